import datetime

import pytest

from tests.cycles.helpers import appraise, open_year, self_rate, ward
from xeploai.cycles.models import Step, Subject
from xeploai.cycles.selectors import board
from xeploai.cycles.services.decisions import DecisionBlocked, decisions_take
from xeploai.cycles.services.enrolment import cycle_open


def test_it_runs_a_g132_cycle_with_the_cap_per_grassroots_organization(db):
    """HD 21 (2019–2022): no point scale; Excellent members ≤ 20 % of the Good ones in each
    grassroots organization. HD 21 does not exclude members admitted under 6 months, so all
    10 are rated (the exempt one is not): 3 proposed Excellent, 7 Good:
    20 % × 7 = 1.4 → 1 allowed; the fit moves two down, leaving 1 and 9."""
    t = ward(end=datetime.date(2020, 12, 31))
    cycle = open_year(t["P"], 2020)
    assert cycle.regulation == "G132-21"
    members = list(
        Subject.objects.filter(cycle=cycle, member__isnull=False, position__isnull=True)
        .exclude(step=Step.EXCLUDED)
        .order_by("member__card_number")
    )
    assert len(members) == 10
    # The secretary is rated as a leader: the cell's own results come first.
    cell = Subject.objects.get(cycle=cycle, unit=t["C1"], kind="party_organization")
    self_rate(t["sam"], cell, "good")
    top = {"political_task": "outstanding", "other_criteria": "good"}
    for i, s in enumerate(members):
        level = "excellent" if i in (1, 2, 3) else "good"
        self_rate(t["sam"], s, level, tasks=(10, 10, 10, 0, 6 - i if i < 4 else 1))
        appraise(t["sam"], s, level, grades=top if level == "excellent" else None)
    view = board(cycle, t["W"])
    check = next(c for c in view.caps.violations if c.rule == "G132.CAP.MEMBER")
    assert (check.counted, check.allowed) == (3, 1)
    assert "20 % × 7" in check.arithmetic_en
    assert len(view.caps.moves) == 2
    choices = {s.pk: s.proposed_level for s in members}
    with pytest.raises(DecisionBlocked):
        decisions_take(actor=t["wendy"], cycle=cycle, choices=choices)
    for move in view.caps.moves:
        choices[int(move.subject)] = move.to_level.value
    decisions_take(actor=t["wendy"], cycle=cycle, choices=choices)
    levels = list(Subject.objects.filter(pk__in=choices).values_list("decided_level", flat=True))
    assert (levels.count("excellent"), levels.count("good")) == (1, 9)


def test_it_bounds_the_year_by_its_quarters(db):
    """Four quarters decided Good (scores around 80) make the year at most Good, whatever the
    annual self-rating says (R48, default policy: the mean of the quarterly scores)."""
    t = ward()
    member = t["c2"][0]
    quarters = []
    for q in range(4):
        start = datetime.date(2026, 3 * q + 1, 1)
        end = (
            datetime.date(2026, 3 * q + 4, 1) if q < 3 else datetime.date(2027, 1, 1)
        ) - datetime.timedelta(days=1)
        cycle = cycle_open(
            actor=None,
            unit=t["P"],
            name=f"Quý {q + 1}/2026",
            period_kind="quarter",
            period_start=start,
            period_end=end,
        )
        s = Subject.objects.get(cycle=cycle, member=member)
        self_rate(t["sam"], s, "good", "24", "56", tasks=(5, 5, 5, 0, 0))
        appraise(t["sam"], s, "good")
        decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})
        quarters.append(cycle)
    year = cycle_open(
        actor=None,
        unit=t["P"],
        name="Năm 2026",
        period_kind="year",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        parts=quarters,
    )
    s = Subject.objects.get(cycle=year, member=member)
    self_rate(t["sam"], s, "excellent", "29", "67", tasks=(10, 10, 10, 0, 5))
    appraisal = appraise(t["sam"], s, "excellent")
    assert appraisal.verdict["own_level"] == "excellent"
    assert appraisal.verdict["aggregate"]["level"] == "good"
    assert appraisal.verdict["level"] == "good"
    with pytest.raises(DecisionBlocked) as blocked:
        decisions_take(actor=t["wendy"], cycle=year, choices={s.pk: "excellent"})
    assert "rule" in {b.code for b in blocked.value.blocks}
