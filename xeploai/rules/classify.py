"""classify(facts, regulation) -> Verdict: one subject, one period, one generation.

Order of reasoning, the same for every generation:
1. the starting level: the score band (R5–R9, R3) or, where there is no central point
   scale, the level the meeting assessed;
2. the level's conditions, stepping down while they fail (R7, R8 cascade, R16);
3. the findings that cap the level whatever the score (R4, R17–R19), unless mitigation
   hands the case to the competent level (R23);
4. settings-driven ceilings and soft checks (head under the collective, R40).
Only steps down are possible, so a verdict never exceeds its starting level.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from .enums import LEVELS_BEST_FIRST, RANK, Level, SubjectKind
from .facts import Facts, FactsError
from .model import Reason, Regulation

_NOT_COMPLETE = Level.NOT_COMPLETE
_ZERO = Decimal(0)


class Verdict(NamedTuple):
    """The outcome for one subject. A named tuple rather than a frozen dataclass: it is
    built once per subject on the hot path, and frozen dataclasses are slow to build."""

    regulation: str
    kind: SubjectKind
    # None when the competent level must decide (R23, or a cascade the settings forbid).
    level: Level | None
    # The best level the facts allow if every mitigation is accepted; equals level otherwise.
    highest_reachable: Level
    # The level the score band alone allows (or the assessed level without a point scale).
    score_band: Level
    total: Decimal | None
    requires_discretion: bool
    reasons: tuple[Reason, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


def total_score(facts: Facts, regulation: Regulation) -> Decimal:
    """Sum of the criterion groups, each checked against its maximum (R5)."""
    groups = regulation.score_group_items
    scores = facts.scores
    if len(scores) != len(groups):
        names = sorted(g for g, _ in groups)
        raise FactsError(
            f"scores must give exactly the groups {names}, got {sorted(scores)}", "score_groups"
        )
    total = _ZERO
    for group, maximum in groups:
        value = scores.get(group)
        if value is None:
            raise FactsError(f"score for group {group!r} is missing", "score_missing")
        if not _ZERO <= value <= maximum:
            raise FactsError(
                f"score {value} for group {group!r} is outside 0–{maximum}",
                "score_range",
                value=value,
                maximum=maximum,
            )
        total += value
    return total


def _reason(reason: Reason | None, role: str) -> Reason:
    # The loader refuses data that could reach a role without its reason; this guards code.
    if reason is None:
        raise AssertionError(f"regulation data has no fixed reason for {role}")
    return reason


def classify(facts: Facts, regulation: Regulation) -> Verdict:
    plan = regulation.plans.get(facts.kind)
    if plan is None:
        raise FactsError(
            f"{regulation.code} does not rate subjects of kind {facts.kind}",
            "kind_not_rated",
            kind=str(facts.kind),
        )
    reasons: list[Reason] = []

    total: Decimal | None = None
    if plan.basis == "score":
        total = total_score(facts, regulation)
        for band in regulation.bands:
            if total >= band.minimum:
                start = band.level
                reasons.append(band.reason)
                break
        else:
            raise FactsError(
                f"no band of {regulation.code} covers the score {total}", "no_band", total=total
            )
    else:
        if facts.assessed_level is None:
            raise FactsError(
                f"{regulation.code} rates a {facts.kind} from the assessed level; "
                "give assessed_level",
                "assessed_level_missing",
            )
        start = facts.assessed_level
        reasons.append(_reason(plan.assessed, "assessed"))

    if facts.long_leave and plan.long_leave is not None:
        reasons.append(plan.long_leave)

    # Conditions, stepping down from the starting level.
    rank = RANK[start]
    level = start
    blocked_cascade = False
    conditions = plan.conditions_by_rank
    while rank < 3:
        failed = False
        for condition in conditions[rank]:
            if not condition.check(facts):
                reasons.append(condition.reason)
                failed = True
        if not failed:
            break
        rank += 1
        level = LEVELS_BEST_FIRST[rank]
        if level is not _NOT_COMPLETE:
            reasons.append(_reason(plan.cascaded, "cascade"))
            if not plan.cascade:
                blocked_cascade = True
        else:
            reasons.append(_reason(plan.exhausted, "conditions exhausted"))

    # Findings that cap the level. Every finding is reported; a mitigated one only marks
    # how far the competent level might go, it is never applied automatically (R23).
    hard_ceiling = level
    soft_ceiling = level
    mitigated = bool(facts.mitigation)
    # An unmitigated Not-complete finding decides the level whatever the score (R17–R19), so
    # it also settles a case the cascade setting would otherwise hand to the competent level.
    forced = False
    for trigger in plan.triggers:
        if trigger.check(facts):
            reasons.append(trigger.reason)
            ceiling_rank = RANK[trigger.ceiling]
            if ceiling_rank > RANK[soft_ceiling]:
                soft_ceiling = trigger.ceiling
            if not (trigger.mitigable and mitigated):
                if ceiling_rank > RANK[hard_ceiling]:
                    hard_ceiling = trigger.ceiling
                if trigger.ceiling is _NOT_COMPLETE:
                    forced = True

    reachable = hard_ceiling
    led = facts.led_collective_level
    if (
        plan.head_capped
        and facts.kind is SubjectKind.LEADER
        and led is not None
        and RANK[led] > RANK[reachable]
    ):
        reachable = led
        reasons.append(_reason(plan.head_above_collective, "head above collective"))
        if RANK[reachable] > RANK[soft_ceiling]:
            soft_ceiling = reachable

    discretion = (blocked_cascade and not forced) or RANK[soft_ceiling] > RANK[reachable]
    final: Level | None = None if discretion else reachable
    if discretion:
        reasons.append(
            _reason(plan.no_cascade, "no cascade")
            if blocked_cascade
            else _reason(plan.discretion, "discretion")
        )

    state = facts.state_rating
    if state is not None and plan.state_rating_above is not None and RANK[reachable] < RANK[state]:
        reasons.append(plan.state_rating_above)

    return Verdict(
        regulation.code, facts.kind, final, reachable, start, total, discretion, tuple(reasons)
    )
