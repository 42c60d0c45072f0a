"""Properties that must hold for any facts, not only the scenarios we thought of."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xeploai.rules import (
    DisciplineForm,
    DisciplineRecord,
    Facts,
    LedUnits,
    Level,
    Mitigation,
    Period,
    PoolOutcome,
    Shortcomings,
    SubjectKind,
    TaskCounts,
    check_caps,
    classify,
    load_regulation,
)
from xeploai.rules.caps import round_allowance
from xeploai.rules.enums import RANK

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))
SCORED = (
    SubjectKind.MEMBER,
    SubjectKind.LEADER,
    SubjectKind.MEMBER_OUTSIDE_SYSTEM,
    SubjectKind.LEADERSHIP_COLLECTIVE,
    SubjectKind.PARTY_ORGANIZATION,
)


@st.composite
def task_counts(draw: st.DrawFn) -> TaskCounts:
    total = draw(st.integers(0, 40))
    excused = draw(st.integers(0, total))
    completed = draw(st.integers(0, total - excused))
    late = draw(st.integers(0, completed))
    return TaskCounts(
        total, completed, completed - late, late, draw(st.integers(0, completed)), excused
    )


def points(top: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, top * 100).map(lambda n: Decimal(n) / 100)


discipline = st.builds(
    DisciplineRecord,
    form=st.sampled_from(DisciplineForm),
    violation_date=st.dates(date(2023, 1, 1), date(2025, 12, 31)),
    decision_date=st.dates(date(2024, 6, 1), date(2026, 6, 1)),
    unit=st.sampled_from([None, "here", "elsewhere"]),
    duty_related=st.booleans(),
)


@st.composite
def g366_facts(draw: st.DrawFn) -> Facts:
    kind = draw(st.sampled_from(SCORED))
    return Facts(
        kind=kind,
        period=YEAR,
        unit="here",
        scores={"general": draw(points(30)), "tasks": draw(points(70))},
        tasks=draw(task_counts()),
        discipline=tuple(draw(st.lists(discipline, max_size=2))),
        member_discipline=tuple(draw(st.lists(discipline, max_size=2))),
        subordinate_units_disciplined=draw(st.integers(0, 2)),
        degradation_finding=draw(st.booleans()),
        prohibited_conduct=draw(st.booleans()),
        cadre_work_wrongdoing=draw(st.booleans()),
        basic_targets_missed=draw(st.integers(0, 1)),
        low_confidence_share=draw(st.none() | points(1)),
        led_units=LedUnits(draw(task_counts()), 4, draw(st.integers(0, 4))),
        shortcomings=Shortcomings(2, draw(st.integers(0, 2))),
        state_rating=draw(st.none() | st.sampled_from(Level)),
        mitigation=frozenset(draw(st.sets(st.sampled_from(Mitigation), max_size=2))),
    )


def band_of(total: Decimal) -> Level:
    return (
        Level.EXCELLENT
        if total >= 90
        else Level.GOOD
        if total >= 70
        else Level.COMPLETE
        if total >= 50
        else Level.NOT_COMPLETE
    )


@settings(max_examples=400, deadline=None)
@given(g366_facts(), st.booleans())
def test_it_never_rates_above_the_score_band(facts: Facts, cascade: bool) -> None:
    verdict = classify(facts, load_regulation("G366", {"cascade": cascade}))
    band = band_of(facts.scores["general"] + facts.scores["tasks"])
    assert verdict.score_band is band
    assert RANK[verdict.highest_reachable] >= RANK[band]
    if verdict.level is not None:
        assert RANK[verdict.level] >= RANK[band]
    else:
        assert verdict.requires_discretion


@settings(max_examples=400, deadline=None)
@given(g366_facts(), st.booleans())
def test_it_lets_an_unmitigated_finding_decide_whatever_the_cascade_setting(
    facts: Facts, cascade: bool
) -> None:
    """R17–R19: a Not-complete finding without mitigation overrides the score; with the
    cascade off it must not be handed to the competent level either."""
    facts = Facts(
        **{
            **{f: getattr(facts, f) for f in Facts.__slots__},
            "degradation_finding": True,
            "mitigation": frozenset(),
        }
    )
    verdict = classify(facts, load_regulation("G366", {"cascade": cascade}))
    assert verdict.level is Level.NOT_COMPLETE
    assert not verdict.requires_discretion


@settings(max_examples=400, deadline=None)
@given(g366_facts(), discipline, st.sampled_from(["G366", "G132-21", "G124"]))
def test_it_never_raises_a_level_for_another_discipline(
    facts: Facts, record: DisciplineRecord, code: str
) -> None:
    reg = load_regulation(code)
    if code != "G366":
        facts = Facts(
            kind=SubjectKind.MEMBER,
            period=YEAR,
            assessed_level=Level.EXCELLENT,
            discipline=facts.discipline,
            political_task_grade=None,
            state_rating=facts.state_rating,
        )
    before = classify(facts, reg)
    for field in ("discipline", "member_discipline"):
        more = Facts(
            **{
                **{f: getattr(facts, f) for f in Facts.__slots__},
                field: getattr(facts, field) + (record,),
            }
        )
        after = classify(more, reg)
        assert RANK[after.highest_reachable] >= RANK[before.highest_reachable]
        if before.level is not None and after.level is not None:
            assert RANK[after.level] >= RANK[before.level]


@st.composite
def pools(draw: st.DrawFn) -> list[PoolOutcome]:
    excellent, good, other = (
        draw(st.integers(0, 30)),
        draw(st.integers(0, 60)),
        draw(st.integers(0, 5)),
    )
    scores = st.none() | st.integers(9000, 9100).map(lambda n: Decimal(n) / 100)
    out = [
        PoolOutcome(
            f"e{i}", Level.EXCELLENT, SubjectKind.MEMBER, {"similar_group": "p"}, draw(scores)
        )
        for i in range(excellent)
    ]
    out += [
        PoolOutcome(f"g{i}", Level.GOOD, SubjectKind.MEMBER, {"similar_group": "p"})
        for i in range(good)
    ]
    out += [
        PoolOutcome(f"c{i}", Level.COMPLETE, SubjectKind.MEMBER, {"similar_group": "p"})
        for i in range(other)
    ]
    return out


@settings(max_examples=300, deadline=None)
@given(
    pools(),
    st.sampled_from(["floor", "half_up", "ceil"]),
    st.sampled_from(["good", "good_and_above"]),
    st.booleans(),
)
def test_it_suggests_the_smallest_fit_that_satisfies_the_cap(
    outcomes: list[PoolOutcome], rounding: str, base: str, outstanding: bool
) -> None:
    reg = load_regulation("G366", {"cap_rounding": rounding, "cap_base": base})
    result = check_caps(outcomes, reg, outstanding_pools={"p"} if outstanding else ())
    assert not any(c.violation for c in result.after)
    excellent = sum(o.level is Level.EXCELLENT for o in outcomes)
    good = sum(o.level is Level.GOOD for o in outcomes)
    ratio = reg.caps[0].outstanding_ratio if outstanding else reg.caps[0].ratio
    assert ratio is not None
    k = len(result.moves)

    def fits(moved: int) -> bool:
        base_count = good + moved if base == "good" else good + excellent
        return excellent - moved <= round_allowance(ratio * base_count, rounding)

    assert fits(k) and (k == 0 or not fits(k - 1))
    moved = {m.subject for m in result.moves}
    kept = [o for o in outcomes if o.level is Level.EXCELLENT and o.subject not in moved]
    key = lambda o: (o.score is not None, o.score or Decimal(0))  # noqa: E731
    if moved and kept:
        assert max(key(o) for o in outcomes if o.subject in moved) <= min(key(o) for o in kept)
