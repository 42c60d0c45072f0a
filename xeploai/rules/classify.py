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

from dataclasses import dataclass
from decimal import Decimal

from .enums import LEVELS_BEST_FIRST, RANK, Level, SubjectKind
from .facts import Facts, FactsError
from .model import Reason, Regulation

_NOT_COMPLETE = Level.NOT_COMPLETE
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Verdict:
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
    groups = regulation.score_groups
    scores = facts.scores
    if len(scores) != len(groups):
        raise FactsError(f"scores must give exactly the groups {sorted(groups)}, got {sorted(scores)}")
    total = _ZERO
    for group, maximum in groups.items():
        value = scores.get(group)
        if value is None:
            raise FactsError(f"score for group {group!r} is missing")
        if not _ZERO <= value <= maximum:
            raise FactsError(f"score {value} for group {group!r} is outside 0–{maximum}")
        total += value
    return total


def classify(facts: Facts, regulation: Regulation) -> Verdict:
    plan = regulation.plans.get(facts.kind)
    if plan is None:
        raise FactsError(f"{regulation.code} does not rate subjects of kind {facts.kind}")
    reasons: list[Reason] = []
    catalogue = regulation.reasons

    total: Decimal | None = None
    if plan.basis == "score":
        total = total_score(facts, regulation)
        for band in regulation.bands:
            if total >= band.minimum:
                start = band.level
                reasons.append(band.reason)
                break
        else:
            raise FactsError(f"no band of {regulation.code} covers the score {total}")
    else:
        if facts.assessed_level is None:
            raise FactsError(f"{regulation.code} rates a {facts.kind} from the assessed level; give assessed_level")
        start = facts.assessed_level
        reasons.append(catalogue["assessed"])

    if facts.long_leave and "long_leave" in catalogue:
        reasons.append(catalogue["long_leave"])

    # Conditions, stepping down from the starting level.
    level = start
    cascade = regulation.settings["cascade"].value if "cascade" in regulation.settings else True
    blocked_cascade = False
    conditions = plan.conditions
    while level is not _NOT_COMPLETE:
        failed = False
        for condition in conditions[level]:
            if not condition.check(facts):
                reasons.append(condition.reason)
                failed = True
        if not failed:
            break
        level = LEVELS_BEST_FIRST[RANK[level] + 1]
        if level is not _NOT_COMPLETE:
            reasons.append(catalogue["cascade"])
            if not cascade:
                blocked_cascade = True
        else:
            reasons.append(catalogue["conditions_exhausted"])

    # Findings that cap the level. Every finding is reported; a mitigated one only marks
    # how far the competent level might go, it is never applied automatically (R23).
    hard_ceiling = level
    soft_ceiling = level
    mitigated = bool(facts.mitigation)
    for trigger in plan.triggers:
        if trigger.check(facts):
            reasons.append(trigger.reason)
            rank = RANK[trigger.ceiling]
            if rank > RANK[soft_ceiling]:
                soft_ceiling = trigger.ceiling
            if rank > RANK[hard_ceiling] and not (trigger.mitigable and mitigated):
                hard_ceiling = trigger.ceiling

    reachable = hard_ceiling
    if (
        facts.kind is SubjectKind.LEADER
        and facts.led_collective_level is not None
        and "head_not_above_collective" in regulation.settings
        and regulation.settings["head_not_above_collective"].value
        and RANK[facts.led_collective_level] > RANK[reachable]
    ):
        reachable = facts.led_collective_level
        reasons.append(catalogue["head_above_collective"])
        if RANK[reachable] > RANK[soft_ceiling]:
            soft_ceiling = reachable

    discretion = blocked_cascade or RANK[soft_ceiling] > RANK[reachable]
    final: Level | None = None if discretion else reachable
    if discretion:
        reasons.append(catalogue["no_cascade"] if blocked_cascade else catalogue["discretion"])

    shown = final if final is not None else reachable
    state = facts.state_rating
    if state is not None and "state_rating_above" in catalogue and RANK[shown] < RANK[state]:
        reasons.append(catalogue["state_rating_above"])

    return Verdict(
        regulation=regulation.code,
        kind=facts.kind,
        level=final,
        highest_reachable=reachable,
        score_band=start,
        total=total,
        requires_discretion=discretion,
        reasons=tuple(reasons),
    )
