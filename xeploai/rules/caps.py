"""Quota caps on the best level (R24–R28) and the smallest fit that satisfies them.

The cap is computed after the other levels are fixed, because its base is the number of
Good ratings (§8.7 (d)); moving an Excellent down to Good therefore also raises the
allowance, and the fit accounts for it when it looks for the fewest moves.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .enums import Level, SubjectKind
from .model import CapRule, Citation, Regulation

_BASE_WORDS = {
    "good": ("HTT", "good"),
    "good_and_above": ("HTT trở lên", "good and above"),
    "excellent": ("HTXS", "excellent"),
    "pool_total": ("trong nhóm", "in the pool"),
}
_ROUND_WORDS = {
    "floor": ("làm tròn xuống", "rounded down"),
    "half_up": ("làm tròn", "rounded half up"),
    "ceil": ("làm tròn lên", "rounded up"),
}


@dataclass(frozen=True, slots=True)
class PoolOutcome:
    """One subject's proposed or decided level, with the pools it belongs to
    (e.g. ``{"grassroots": "ward-7", "cell": "cell-3", "similar_group": "non-leaders"}``)."""

    subject: str
    level: Level
    kind: SubjectKind
    pools: Mapping[str, str]
    score: Decimal | None = None
    distinguished: bool = False


@dataclass(frozen=True, slots=True)
class PoolCheck:
    rule: str
    pool_key: str
    pool: str
    counted: int
    base: int
    allowed: int
    violation: bool
    arithmetic_vi: str
    arithmetic_en: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class Move:
    """A suggested change: one level down, or (for a distinction cap) the distinction removed."""

    subject: str
    from_level: Level
    to_level: Level
    removes_distinction: bool
    rule: str
    pool: str
    score: Decimal | None
    note_vi: str
    note_en: str


@dataclass(frozen=True, slots=True)
class CapResult:
    checks: tuple[PoolCheck, ...]
    moves: tuple[Move, ...]
    after: tuple[PoolCheck, ...]

    @property
    def violations(self) -> tuple[PoolCheck, ...]:
        return tuple(c for c in self.checks if c.violation)

    @property
    def ok(self) -> bool:
        return not self.violations


def round_allowance(value: Fraction, rounding: str) -> int:
    if rounding == "floor":
        return math.floor(value)
    if rounding == "ceil":
        return math.ceil(value)
    return math.floor(value + Fraction(1, 2))


def _num(value: Fraction, comma: bool) -> str:
    if value.denominator == 1:
        text = str(value.numerator)
    else:
        text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if comma else text


def _allowance(rule: CapRule, ratio: Fraction, base: int) -> tuple[int, str, str]:
    product = ratio * base
    allowed = round_allowance(product, rule.rounding)
    pct_vi, pct_en = _num(ratio * 100, True), _num(ratio * 100, False)
    base_vi, base_en = _BASE_WORDS[rule.base]
    round_vi, round_en = _ROUND_WORDS[rule.rounding]
    if product.denominator == 1:
        tail_vi, tail_en = f"= {allowed}", f"= {allowed}"
    else:
        tail_vi = f"= {_num(product, True)} → {allowed} ({round_vi})"
        tail_en = f"= {_num(product, False)} → {allowed}, {round_en}"
    return allowed, f"{pct_vi} % × {base} {base_vi} {tail_vi}", f"{pct_en} % × {base} {base_en} {tail_en}"


class _State:
    """Mutable levels during the fit; outcomes themselves stay frozen."""

    def __init__(self, outcomes: Iterable[PoolOutcome]) -> None:
        self.outcomes = list(outcomes)
        self.level = {o.subject: o.level for o in self.outcomes}
        self.distinguished = {o.subject: o.distinguished for o in self.outcomes}
        if len(self.level) != len(self.outcomes):
            raise ValueError("each subject may appear only once in a cap check")

    def counted(self, rule: CapRule, subject: str) -> bool:
        if rule.counted == "distinguished":
            return self.level[subject] is Level.EXCELLENT and self.distinguished[subject]
        return self.level[subject].value == rule.counted

    def in_base(self, rule: CapRule, subject: str) -> bool:
        level = self.level[subject]
        if rule.base == "good":
            return level is Level.GOOD
        if rule.base == "good_and_above":
            return level is Level.GOOD or level is Level.EXCELLENT
        if rule.base == "excellent":
            return level is Level.EXCELLENT
        return True


def _pools(rule: CapRule, outcomes: Iterable[PoolOutcome]) -> dict[str, list[PoolOutcome]]:
    pools: dict[str, list[PoolOutcome]] = {}
    for o in outcomes:
        if o.kind not in rule.kinds:
            continue
        pool = o.pools.get(rule.pool)
        if pool is None:
            raise ValueError(f"subject {o.subject!r} has no {rule.pool!r} pool, which {rule.code} counts in")
        pools.setdefault(pool, []).append(o)
    return pools


def _check(
    rule: CapRule, pool: str, members: list[PoolOutcome], state: _State, outstanding: Collection[str],
    sizes: Mapping[str, int],
) -> PoolCheck | None:
    counted = sum(1 for o in members if state.counted(rule, o.subject))
    if rule.ratio is None:
        assert rule.small_pool_below is not None and rule.small_pool_max is not None
        size = sizes.get(pool, len(members))
        if size >= rule.small_pool_below:
            return None
        allowed = rule.small_pool_max
        base = size
        vi = f"nhóm có {size} (dưới {rule.small_pool_below}): tối đa {allowed}"
        en = f"pool of {size} (fewer than {rule.small_pool_below}): at most {allowed}"
    else:
        base = sum(1 for o in members if state.in_base(rule, o.subject))
        ratio = rule.ratio
        if pool in outstanding and rule.outstanding_ratio is not None:
            ratio = rule.outstanding_ratio
        allowed, vi, en = _allowance(rule, ratio, base)
        if ratio is not rule.ratio:
            vi, en = vi + " (đơn vị có thành tích nổi trội)", en + " (outstanding unit)"
    return PoolCheck(rule.code, rule.pool, pool, counted, base, allowed, counted > allowed, vi, en, rule.citation)


def _all_checks(
    regulation: Regulation, state: _State, outstanding: Collection[str], sizes: Mapping[str, int]
) -> list[PoolCheck]:
    out = []
    for rule in regulation.caps:
        for pool, members in _pools(rule, state.outcomes).items():
            check = _check(rule, pool, members, state, outstanding, sizes)
            if check is not None:
                out.append(check)
    return out


def _fewest_moves(rule: CapRule, check: PoolCheck, ratio: Fraction) -> int:
    """Smallest k with counted − k ≤ allowance after k moves."""
    if rule.ratio is None or rule.base != "good":
        return check.counted - check.allowed
    # Each Excellent moved to Good adds one to a Good base, so the allowance may grow.
    k = 0
    while check.counted - k > round_allowance(ratio * (check.base + k), rule.rounding):
        k += 1
    return k


def _sort_key(o: PoolOutcome) -> tuple[int, Decimal, str]:
    # Lowest score first; a subject without a score sorts first among equals of "no score".
    return (0, Decimal(0), o.subject) if o.score is None else (1, o.score, o.subject)


def _fit_pool(
    rule: CapRule, check: PoolCheck, members: list[PoolOutcome], state: _State, ratio: Fraction
) -> list[Move]:
    k = _fewest_moves(rule, check, ratio)
    candidates = sorted((o for o in members if state.counted(rule, o.subject)), key=_sort_key)
    chosen, rest = candidates[:k], candidates[k:]
    boundary = chosen[-1].score if chosen else None
    tied_left = [o for o in rest if o.score == boundary] if chosen else []
    moves = []
    for o in chosen:
        if tied_left and o.score == boundary:
            shown = "không có điểm" if boundary is None else f"cùng {boundary} điểm"
            shown_en = "no score" if boundary is None else f"the same score {boundary}"
            note_vi = (
                f"{shown} với {len(tied_left)} người khác không bị chuyển; thứ tự trong nhóm bằng điểm theo mã, "
                "cấp có thẩm quyền cần chọn"
            )
            note_en = (
                f"{shown_en} as {len(tied_left)} subject(s) not moved; within the tie the order follows the "
                "subject id and the competent level must choose"
            )
        elif o.score is None:
            note_vi, note_en = "không có điểm", "no score given"
        else:
            note_vi, note_en = f"điểm thấp nhất còn lại ({o.score})", f"lowest remaining score ({o.score})"
        level = state.level[o.subject]
        if rule.counted == "distinguished":
            state.distinguished[o.subject] = False
            moves.append(Move(o.subject, level, level, True, rule.code, check.pool, o.score, note_vi, note_en))
        else:
            lower = Level.GOOD if level is Level.EXCELLENT else Level.COMPLETE if level is Level.GOOD else Level.NOT_COMPLETE
            state.level[o.subject] = lower
            was_distinguished = state.distinguished[o.subject]
            state.distinguished[o.subject] = False
            moves.append(
                Move(o.subject, level, lower, was_distinguished, rule.code, check.pool, o.score, note_vi, note_en)
            )
    return moves


def check_caps(
    outcomes: Iterable[PoolOutcome],
    regulation: Regulation,
    *,
    outstanding_pools: Collection[str] = (),
    pool_sizes: Mapping[str, int] | None = None,
) -> CapResult:
    """Check every cap of ``regulation`` in every pool and suggest the smallest fit.

    ``outstanding_pools`` are pools whose managing organization the competent level marked
    outstanding (R25). ``pool_sizes`` gives the real size of a pool when it differs from the
    number of outcomes passed (a cell's member count for the G27 small-cell rule).
    """
    sizes = pool_sizes or {}
    state = _State(outcomes)
    checks = _all_checks(regulation, state, outstanding_pools, sizes)
    moves: list[Move] = []
    # Fixed small-pool limits force their moves, so they go first; the ratio caps then
    # need fewer moves of their own. Loop because a move can change another rule's base.
    ordered = sorted(regulation.caps, key=lambda r: r.ratio is not None)
    for _ in range(len(state.outcomes) + 1):
        progressed = False
        for rule in ordered:
            for pool, members in _pools(rule, state.outcomes).items():
                check = _check(rule, pool, members, state, outstanding_pools, sizes)
                if check is None or not check.violation:
                    continue
                ratio = rule.ratio or Fraction(0)
                if pool in outstanding_pools and rule.outstanding_ratio is not None:
                    ratio = rule.outstanding_ratio
                moves.extend(_fit_pool(rule, check, members, state, ratio))
                progressed = True
        if not progressed:
            break
    after = _all_checks(regulation, state, outstanding_pools, sizes)
    return CapResult(tuple(checks), tuple(moves), tuple(after))
