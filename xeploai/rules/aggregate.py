"""Shorter periods into a longer one: months → quarter → year → term (R48, R49).

No central text says how (REGULATIONS.md §8.11, §12.5), so each generation names a policy
per step in its data file and the methods below are the menu:

- ``mean_score``: the mean of the parts' scores placed in the generation's score bands;
- ``mean_rank``: the mean of the parts' ranks, a half rounded toward the worse level;
- ``worst``: the worst part;
- ``own_with_ceiling``: the longer period's own verdict (``own=``), only capped.

No method rates the longer period above its best part: a mean of scores can otherwise turn
four Good quarters scored 92 (a condition failed every quarter) into an Excellent year, which
no reading of Điều 15.1 ("quarterly results are the basis of the annual one") allows (INF).
Every method is then capped by ``kht_part_ceiling`` when any part was Not complete (the
local rule S-APP-HY: one Not-complete quarter bars an Excellent year), and a run of
``flag_consecutive_kht`` Not-complete parts raises ``recommend_transfer`` (R49).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .enums import LEVELS_BEST_FIRST, RANK, Level, worse
from .model import AggregationPolicy, Regulation


@dataclass(frozen=True, slots=True)
class PartResult:
    label: str
    level: Level
    score: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Aggregate:
    level: Level
    policy: AggregationPolicy
    incomplete: bool
    # The parts lowered the level: it was above the best part, or a part was Not complete.
    capped_by_part: bool
    recommend_transfer: bool


def _mean_score(parts: Sequence[PartResult], regulation: Regulation) -> Level:
    scores = [p.score for p in parts]
    if any(s is None for s in scores) or not regulation.bands:
        raise ValueError("mean_score needs a score on every part and a generation with score bands")
    mean = sum((s for s in scores if s is not None), Decimal(0)) / len(scores)
    return next(b.level for b in regulation.bands if mean >= b.minimum)


def aggregate(
    parts: Sequence[PartResult],
    regulation: Regulation,
    policy: str = "quarter_to_year",
    *,
    own: Level | None = None,
) -> Aggregate:
    if not parts:
        raise ValueError("nothing to aggregate")
    rule = regulation.aggregation[policy]
    if rule.method == "mean_score":
        level = _mean_score(parts, regulation)
    elif rule.method == "mean_rank":
        mean = Fraction(sum(RANK[p.level] for p in parts), len(parts))
        level = LEVELS_BEST_FIRST[math.floor(mean + Fraction(1, 2))]
    elif rule.method == "worst":
        level = max((p.level for p in parts), key=RANK.__getitem__)
    else:
        if own is None:
            raise ValueError(f"policy {policy} uses the period's own verdict; pass own=")
        level = own
    capped = False
    best = min((p.level for p in parts), key=RANK.__getitem__)
    if rule.method != "own_with_ceiling" and RANK[level] < RANK[best]:
        level = best
        capped = True
    has_kht = any(p.level is Level.NOT_COMPLETE for p in parts)
    if has_kht and rule.kht_part_ceiling is not None and RANK[level] < RANK[rule.kht_part_ceiling]:
        level = worse(level, rule.kht_part_ceiling)
        capped = True
    run = longest = 0
    for p in parts:
        run = run + 1 if p.level is Level.NOT_COMPLETE else 0
        longest = max(longest, run)
    transfer = rule.flag_consecutive_kht > 0 and longest >= rule.flag_consecutive_kht
    return Aggregate(level, rule, len(parts) < rule.expected_parts, capped, transfer)
