"""Caps, decision order, aggregation, enrolment: edge behaviour."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xeploai.rules import (
    Level,
    Link,
    MemberStatus,
    PartResult,
    PoolOutcome,
    Relation,
    Subject,
    SubjectKind,
    aggregate,
    check_caps,
    decision_graph,
    is_excluded,
    load_regulation,
)
from xeploai.rules.enrolment import add_months

G366 = load_regulation("G366")


def outcome(sid: str, level: Level, score: str | None = None, pool: str = "p") -> PoolOutcome:
    return PoolOutcome(
        sid, level, SubjectKind.MEMBER, {"similar_group": pool}, Decimal(score) if score else None
    )


def test_it_explains_a_tie_at_the_cut() -> None:
    outcomes = [outcome("a", Level.EXCELLENT, "91"), outcome("b", Level.EXCELLENT, "91")]
    outcomes += [outcome(f"g{i}", Level.GOOD) for i in range(5)]
    result = check_caps(outcomes, G366)
    [move] = result.moves
    assert (
        move.subject == "a"
        and "competent level must choose" in move.note_en
        and "cần chọn" in move.note_vi
    )


def test_it_moves_the_lowest_score_first() -> None:
    outcomes = [outcome("high", Level.EXCELLENT, "99"), outcome("low", Level.EXCELLENT, "90.5")]
    outcomes += [outcome(f"g{i}", Level.GOOD) for i in range(5)]
    [move] = check_caps(outcomes, G366).moves
    assert (move.subject, move.to_level, move.note_en) == (
        "low",
        Level.GOOD,
        "lowest remaining score (90.5)",
    )


def test_it_refuses_a_subject_twice() -> None:
    with pytest.raises(ValueError, match="only once"):
        check_caps([outcome("a", Level.GOOD), outcome("a", Level.GOOD)], G366)


def test_it_refuses_a_subject_without_the_pool() -> None:
    lonely = PoolOutcome("a", Level.GOOD, SubjectKind.MEMBER, {"cell": "c1"})
    with pytest.raises(ValueError, match="no 'similar_group' pool"):
        check_caps([lonely], G366)


def test_it_refuses_relations_that_loop() -> None:
    subjects = [
        Subject("a", SubjectKind.PARTY_ORGANIZATION),
        Subject("b", SubjectKind.PARTY_ORGANIZATION),
    ]
    links = [Link("a", Relation.SUB_UNIT_OF, "b"), Link("b", Relation.SUB_UNIT_OF, "a")]
    with pytest.raises(ValueError, match="cycle"):
        decision_graph(subjects, links, G366)


def test_it_refuses_a_link_to_an_unknown_subject() -> None:
    with pytest.raises(ValueError, match="unknown subject 'ghost'"):
        decision_graph(
            [Subject("a", SubjectKind.MEMBER)], [Link("a", Relation.MEMBER_OF, "ghost")], G366
        )


def test_it_cites_why_a_subject_must_wait() -> None:
    subjects = [Subject("cell", SubjectKind.PARTY_ORGANIZATION), Subject("m", SubjectKind.MEMBER)]
    graph = decision_graph(subjects, [Link("m", Relation.MEMBER_OF, "cell")], G366)
    readiness = graph.can_decide("cell", set())
    assert readiness.waiting_for == ("m",) and readiness.citations[0].article == "Điều 12"


def test_it_refuses_to_aggregate_nothing() -> None:
    with pytest.raises(ValueError, match="nothing"):
        aggregate([], G366)


def test_it_needs_scores_for_the_mean_score_policy() -> None:
    with pytest.raises(ValueError, match="score on every part"):
        aggregate([PartResult("Q1", Level.GOOD)], G366)


def test_it_adds_months_with_the_month_end() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def test_it_excludes_with_a_citation() -> None:
    rule = is_excluded(MemberStatus(review_date=date(2025, 12, 1), exempt=True), G366)
    assert rule is not None and rule.citation.article == "Điều 5" and rule.message_vi
