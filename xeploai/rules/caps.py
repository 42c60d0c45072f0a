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
from typing import NamedTuple

from .enums import Level, SubjectKind, one_below
from .model import CapRule, Citation, Regulation

_ROUND_WORDS = {
    "floor": ("làm tròn xuống", "rounded down"),
    "half_up": ("làm tròn", "rounded half up"),
    "ceil": ("làm tròn lên", "rounded up"),
}


class PoolOutcome(NamedTuple):
    """One subject's proposed or decided level, with the pools it belongs to
    (e.g. ``{"grassroots": "ward-7", "cell": "cell-3", "similar_group": "non-leaders"}``).
    A named tuple because a cap check may take a million of them."""

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


def _base_words(rule: CapRule, regulation: Regulation) -> tuple[str, str]:
    """Name the base with the generation's own level labels (HTT, or HTTNV under G27)."""
    kind = min(rule.kinds)
    if rule.base == "pool_total":
        return "trong nhóm", "in the pool"
    level = Level.GOOD if rule.base in ("good", "good_and_above") else Level.EXCELLENT
    label = regulation.label(kind, level)
    if rule.base == "good_and_above":
        return f"{label.abbr} trở lên", f"{label.en.lower()} and above"
    return label.abbr, label.en.lower()


def _allowance(
    rule: CapRule, regulation: Regulation, ratio: Fraction, base: int
) -> tuple[int, str, str]:
    product = ratio * base
    allowed = round_allowance(product, rule.rounding)
    pct_vi, pct_en = _num(ratio * 100, True), _num(ratio * 100, False)
    base_vi, base_en = _base_words(rule, regulation)
    round_vi, round_en = _ROUND_WORDS[rule.rounding]
    if product.denominator == 1:
        tail_vi, tail_en = f"= {allowed}", f"= {allowed}"
    else:
        tail_vi = f"= {_num(product, True)} → {allowed} ({round_vi})"
        tail_en = f"= {_num(product, False)} → {allowed}, {round_en}"
    return (
        allowed,
        f"{pct_vi} % × {base} {base_vi} {tail_vi}",
        f"{pct_en} % × {base} {base_en} {tail_en}",
    )


_BASE_LEVELS: dict[str, frozenset[Level] | None] = {
    "good": frozenset({Level.GOOD}),
    "good_and_above": frozenset({Level.GOOD, Level.EXCELLENT}),
    "excellent": frozenset({Level.EXCELLENT}),
    "pool_total": None,
}


class _State:
    """Levels changed by the fit, over the frozen outcomes (which the fit never edits)."""

    def __init__(self) -> None:
        self.level: dict[str, Level] = {}
        self.undistinguished: set[str] = set()

    def tally(self, rule: CapRule, members: list[PoolOutcome]) -> tuple[int, int]:
        overrides = self.level
        dropped = self.undistinguished
        base_levels = _BASE_LEVELS[rule.base]
        by_distinction = rule.counted == "distinguished"
        counted_level = Level.EXCELLENT if by_distinction else Level(rule.counted)
        counted = base = 0
        for o in members:
            level = overrides.get(o.subject, o.level) if overrides else o.level
            if level is counted_level and (
                not by_distinction or (o.distinguished and o.subject not in dropped)
            ):
                counted += 1
            if base_levels is None or level in base_levels:
                base += 1
        return counted, base

    def is_counted(self, rule: CapRule, o: PoolOutcome) -> bool:
        level = self.level.get(o.subject, o.level)
        if rule.counted == "distinguished":
            return (
                level is Level.EXCELLENT
                and o.distinguished
                and o.subject not in self.undistinguished
            )
        return level.value == rule.counted


def _pools(rule: CapRule, outcomes: Iterable[PoolOutcome]) -> dict[str, list[PoolOutcome]]:
    pools: dict[str, list[PoolOutcome]] = {}
    kinds = rule.kinds
    key = rule.pool
    for o in outcomes:
        if o.kind not in kinds:
            continue
        pool = o.pools.get(key)
        if pool is None:
            raise ValueError(
                f"subject {o.subject!r} has no {key!r} pool, which {rule.code} counts in"
            )
        bucket = pools.get(pool)
        if bucket is None:
            pools[pool] = [o]
        else:
            bucket.append(o)
    return pools


def _ratio_for(rule: CapRule, pool: str, outstanding: Collection[str]) -> Fraction | None:
    if rule.outstanding_ratio is not None and pool in outstanding:
        return rule.outstanding_ratio
    return rule.ratio


def _check(
    regulation: Regulation,
    rule: CapRule,
    pool: str,
    members: list[PoolOutcome],
    state: _State,
    outstanding: Collection[str],
    sizes: Mapping[str, int],
) -> PoolCheck | None:
    counted, base = state.tally(rule, members)
    ratio = _ratio_for(rule, pool, outstanding)
    if ratio is None:
        assert rule.small_pool_below is not None and rule.small_pool_max is not None
        size = sizes.get(pool, len(members))
        if size >= rule.small_pool_below:
            return None
        allowed = rule.small_pool_max
        base = size
        vi = f"nhóm có {size} (dưới {rule.small_pool_below}): tối đa {allowed}"
        en = f"pool of {size} (fewer than {rule.small_pool_below}): at most {allowed}"
    else:
        allowed, vi, en = _allowance(rule, regulation, ratio, base)
        if ratio is not rule.ratio:
            vi, en = vi + " (đơn vị có thành tích nổi trội)", en + " (outstanding unit)"
    return PoolCheck(
        rule.code, rule.pool, pool, counted, base, allowed, counted > allowed, vi, en, rule.citation
    )


def _fewest_moves(rule: CapRule, check: PoolCheck, ratio: Fraction | None) -> int:
    """Smallest k with counted − k ≤ allowance after k moves."""
    if ratio is None or rule.base != "good" or rule.counted != Level.EXCELLENT.value:
        return check.counted - check.allowed
    # Each Excellent moved to Good adds one to a Good base, so the allowance may grow.
    k = 0
    while check.counted - k > round_allowance(ratio * (check.base + k), rule.rounding):
        k += 1
    return k


def _sort_key(o: PoolOutcome) -> tuple[int, Decimal, str]:
    # Lowest score first; subjects without a score come first, ordered by id.
    return (0, Decimal(0), o.subject) if o.score is None else (1, o.score, o.subject)


def _fit_pool(
    rule: CapRule,
    check: PoolCheck,
    members: list[PoolOutcome],
    state: _State,
    ratio: Fraction | None,
) -> list[Move]:
    k = _fewest_moves(rule, check, ratio)
    candidates = sorted((o for o in members if state.is_counted(rule, o)), key=_sort_key)
    chosen, rest = candidates[:k], candidates[k:]
    boundary = chosen[-1].score if chosen else None
    tied_left = [o for o in rest if o.score == boundary] if chosen else []
    moves = []
    for o in chosen:
        if tied_left and o.score == boundary:
            shown = "cùng không có điểm" if boundary is None else f"cùng {boundary} điểm"
            shown_en = "tied (no score)" if boundary is None else f"tied at {boundary}"
            note_vi = (
                f"{shown} với {len(tied_left)} người khác không bị chuyển; "
                "thứ tự trong nhóm bằng điểm theo mã, "
                "cấp có thẩm quyền cần chọn"
            )
            note_en = (
                f"{shown_en} with {len(tied_left)} subject(s) not moved; "
                "within the tie the order follows the "
                "subject id and the competent level must choose"
            )
        elif o.score is None:
            note_vi, note_en = "không có điểm", "no score given"
        else:
            note_vi, note_en = (
                f"điểm thấp nhất còn lại ({o.score})",
                f"lowest remaining score ({o.score})",
            )
        level = state.level.get(o.subject, o.level)
        was_distinguished = o.distinguished and o.subject not in state.undistinguished
        state.undistinguished.add(o.subject)
        lower = level if rule.counted == "distinguished" else one_below(level)
        state.level[o.subject] = lower
        moves.append(
            Move(
                o.subject,
                level,
                lower,
                was_distinguished,
                rule.code,
                check.pool,
                o.score,
                note_vi,
                note_en,
            )
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
    outcomes = list(outcomes)
    if len({o.subject for o in outcomes}) != len(outcomes):
        raise ValueError("each subject may appear only once in a cap check")
    sizes = pool_sizes or {}
    state = _State()
    # Fixed small-pool limits force their moves, so they go first; the ratio caps then
    # need fewer moves of their own.
    rules = sorted(regulation.caps, key=lambda r: r.ratio is not None)
    index: dict[tuple[str, str], tuple[CapRule, list[PoolOutcome]]] = {}
    for rule in rules:
        for pool, members in _pools(rule, outcomes).items():
            index[(rule.code, pool)] = (rule, members)
    checks: dict[tuple[str, str], PoolCheck] = {}
    for key, (rule, members) in index.items():
        check = _check(regulation, rule, key[1], members, state, outstanding_pools, sizes)
        if check is not None:
            checks[key] = check
    current = dict(checks)
    moves: list[Move] = []
    dirty = [key for key, c in checks.items() if c.violation]
    # A move can change another rule's count or base (a cell's move shrinks the district's
    # Excellent count), so after each round only the pools a move touched are re-checked.
    while dirty:
        touched: dict[tuple[str, str], None] = {}
        for key in dirty:
            rule, members = index[key]
            check = _check(regulation, rule, key[1], members, state, outstanding_pools, sizes)
            if check is None or not check.violation:
                continue
            new = _fit_pool(
                rule, check, members, state, _ratio_for(rule, key[1], outstanding_pools)
            )
            moves.extend(new)
            moved = {m.subject for m in new}
            for o in members:
                if o.subject in moved:
                    for other in rules:
                        if o.kind in other.kinds:
                            touched[(other.code, o.pools[other.pool])] = None
        dirty = []
        for key in touched:
            rule, members = index[key]
            check = _check(regulation, rule, key[1], members, state, outstanding_pools, sizes)
            if check is not None:
                current[key] = check
                if check.violation:
                    dirty.append(key)
    return CapResult(tuple(checks.values()), tuple(moves), tuple(current.values()))
