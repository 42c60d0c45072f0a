"""classify: behaviour that scenario files do not show well."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xeploai.rules import (
    Facts,
    FactsError,
    G27OrgFindings,
    LedUnits,
    Level,
    Mitigation,
    OrgForm,
    Period,
    ReasonKind,
    SubjectKind,
    TaskCounts,
    classify,
    load_regulation,
    regulation_for_period,
)

YEAR = Period(date(2025, 1, 1), date(2025, 12, 31))


def member(**kw: object) -> Facts:
    base: dict[str, object] = {
        "kind": SubjectKind.MEMBER,
        "period": YEAR,
        "scores": {"general": Decimal("28"), "tasks": Decimal("64")},
        "tasks": TaskCounts(10, 10, 10, 0, 3),
    }
    base.update(kw)
    return Facts(**base)  # type: ignore[arg-type]


def test_it_marks_the_cascade_as_an_interpretation() -> None:
    verdict = classify(member(tasks=TaskCounts(10, 10, 10, 0, 2)), load_regulation("G366"))
    cascade = [r for r in verdict.reasons if r.code == "G366.CASCADE"]
    assert verdict.level is Level.GOOD
    assert (
        cascade
        and cascade[0].kind is ReasonKind.INTERPRETATION
        and cascade[0].citation.confidence == "INF"
    )


def test_it_gives_every_reason_both_languages_and_a_citation() -> None:
    verdict = classify(
        member(degradation_finding=True, state_rating=Level.COMPLETE), load_regulation("G366")
    )
    for reason in verdict.reasons:
        assert reason.message_vi and reason.message_en and reason.citation.article


def test_it_reports_every_trigger_that_fired() -> None:
    verdict = classify(
        member(degradation_finding=True, prohibited_conduct=True), load_regulation("G366")
    )
    assert {"G366.KHT.DEGRADATION", "G366.KHT.PROHIBITED_CONDUCT"} <= set(verdict.codes)


def test_it_never_hands_an_unmitigable_finding_to_discretion() -> None:
    # G27 gives no mitigation for the Weak defects, so mitigation flags change nothing.
    facts = Facts(
        kind=SubjectKind.PARTY_ORGANIZATION,
        period=Period(date(2016, 1, 1), date(2016, 12, 31)),
        scores={"total": Decimal("80")},
        org_form=OrgForm.CELL,
        g27=G27OrgFindings(committee_disunity=True),
        mitigation=frozenset({Mitigation.SELF_DETECTED}),
    )
    verdict = classify(facts, load_regulation("G27"))
    assert verdict.level is Level.NOT_COMPLETE and not verdict.requires_discretion


def test_it_refuses_impossible_task_counts() -> None:
    with pytest.raises(FactsError, match="on time"):
        TaskCounts(total=10, completed=10, on_time=8, late=1)
    with pytest.raises(FactsError, match="exceed the total"):
        TaskCounts(total=5, completed=6, on_time=6, late=0)


def test_it_refuses_a_low_confidence_share_above_one() -> None:
    facts = member(
        kind=SubjectKind.LEADER,
        low_confidence_share=Decimal("51"),
        led_units=LedUnits(TaskCounts(4, 4, 4, 0, 2), 2),
    )
    with pytest.raises(FactsError, match="between 0 and 1"):
        classify(facts, load_regulation("G366"))


def test_it_picks_the_generation_in_force() -> None:
    assert regulation_for_period(date(2025, 8, 29)).code == "G124"
    assert regulation_for_period(date(2025, 8, 30)).code == "G366"
    with pytest.raises(LookupError):
        regulation_for_period(date(2010, 1, 1))
