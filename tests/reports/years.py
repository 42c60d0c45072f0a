"""Five annual cycles of the ward (2022–2026) with hand-set decided levels.

    member         2022 2023 2024 2025 2026
    m2 = c1[1]      E    E    E    E    E      run 5: the yearly and both 5-year awards
    c1[2]           G    E    E    E    E      run 4: the yearly award only
    c1[3]           E    E    -    E    E      2024 not decided: run 2
    c1[4]           -    -    -    -    G      not Excellent this year: not listed
    c1[5]           -    -    -    -    E      run 1
    carol = c1[0]   -    -    G    E    E      run 2; her secretary post: 2025 G
    organization C1 E    E    E    E    E      run 5
    organization C2 -    -    -    -    E      run 1
    organization W  -    -    -    -    G      not listed

A quarterly cycle of 2026 rates c1[4] Excellent: quarters are not annual results.
"""

import datetime

from tests.cycles.helpers import ward
from xeploai.cycles.models import Step, Subject
from xeploai.cycles.services.enrolment import cycle_open

YEARS = range(2022, 2027)
PLAN = {
    1: "EEEEE",
    2: "GEEEE",
    3: "EE-EE",
    4: "----G",
    5: "----E",
    0: "--GEE",
}
LEVEL = {"E": "excellent", "G": "good"}


def open_year(t, year: int):
    return cycle_open(
        actor=None,
        unit=t["P"],
        name=f"Năm {year}",
        period_kind="year",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )


def decide(qs, level: str) -> None:
    assert qs.exists()
    qs.update(step=Step.DECIDED, decided_level=level)


def five_years():
    t = ward()
    cycles = {}
    for i, year in enumerate(YEARS):
        cycle = cycles[year] = open_year(t, year)
        for index, plan in PLAN.items():
            mark = plan[i]
            if mark != "-":
                own = Subject.objects.filter(cycle=cycle, member=t["c1"][index], position=None)
                decide(own, LEVEL[mark])
        decide(
            Subject.objects.filter(cycle=cycle, unit=t["C1"], kind="party_organization"),
            "excellent",
        )
        if year == 2025:
            post = Subject.objects.filter(cycle=cycle, member=t["c1"][0]).exclude(position=None)
            decide(post, "good")
    last = cycles[2026]
    decide(Subject.objects.filter(cycle=last, unit=t["C2"], kind="party_organization"), "excellent")
    decide(Subject.objects.filter(cycle=last, unit=t["W"], kind="party_organization"), "good")
    quarter = cycle_open(
        actor=None,
        unit=t["P"],
        name="Quý III/2026",
        period_kind="quarter",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 9, 30),
    )
    decide(Subject.objects.filter(cycle=quarter, member=t["c1"][4], position=None), "excellent")
    return t, cycles
