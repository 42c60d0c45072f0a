"""The in-memory shape of a regulation generation, built once from its data file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .enums import Confidence, ExclusionReason, Level, ReasonKind, Relation, SubjectKind
from .facts import Facts


@dataclass(frozen=True, slots=True)
class Citation:
    document: str
    article: str
    clause: str
    confidence: Confidence
    rules: tuple[str, ...] = ()
    source_keys: tuple[str, ...] = ()

    def text(self) -> str:
        parts = [self.document, self.article]
        if self.clause:
            parts.append(self.clause)
        tail = f" [{self.confidence}]"
        if self.rules:
            tail += " " + ", ".join(self.rules)
        return ", ".join(p for p in parts if p) + tail

    def reference(self) -> str:
        """The document and article alone, for readers: "HD06, mục 19.2"."""
        return ", ".join(p for p in (self.document, self.article) if p)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    kind: ReasonKind
    message_vi: str
    message_en: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class LevelLabel:
    vi: str
    en: str
    abbr: str


@dataclass(frozen=True, slots=True)
class Band:
    level: Level
    minimum: Decimal
    reason: Reason


Predicate = Callable[[Facts], bool]


@dataclass(frozen=True, slots=True)
class Trigger:
    """A finding that forces the lowest level whatever the score (R4, R17–R19)."""

    code: str
    predicate: str
    kinds: frozenset[SubjectKind]
    mitigable: bool
    reason: Reason
    check: Predicate
    # The best level a subject with this finding can hold; NOT_COMPLETE for a KHT trigger.
    ceiling: Level = Level.NOT_COMPLETE


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition a subject must meet to hold ``level`` (R10–R15, R40)."""

    code: str
    level: Level
    predicate: str
    kinds: frozenset[SubjectKind]
    reason: Reason
    check: Predicate


@dataclass(frozen=True, slots=True)
class CapRule:
    """``count(counted) <= round(ratio × base)`` in every pool; or, for a small-pool rule,
    ``count(counted) <= small_pool_max`` in pools with fewer than ``small_pool_below`` subjects."""

    code: str
    kinds: frozenset[SubjectKind]
    counted: str  # a level value, or "distinguished"
    base: str  # "good", "good_and_above", "excellent" or "pool_total"
    ratio: Fraction | None
    rounding: str  # "floor", "half_up" or "ceil"
    pool: str
    outstanding_ratio: Fraction | None
    small_pool_below: int | None
    small_pool_max: int | None
    enabled: bool
    label_vi: str
    label_en: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class ExclusionRule:
    reason: ExclusionReason
    citation: Citation
    message_vi: str
    message_en: str
    months: int = 0


@dataclass(frozen=True, slots=True)
class OrderRule:
    """One edge family of the decision or review order (R37, R38).

    For ``source --relation--> target`` the subject named by ``first`` is handled first.
    """

    graph: str  # "decision" or "review"
    relation: Relation
    target_kinds: frozenset[SubjectKind]
    first: str  # "source" or "target"
    citation: Citation


@dataclass(frozen=True, slots=True)
class SiblingRule:
    """Among the sources related to one target, ``before`` sources come ahead of ``after``
    ones (head → deputies → members, R37)."""

    graph: str
    before: Relation
    after: Relation
    citation: Citation


@dataclass(frozen=True, slots=True)
class AggregationPolicy:
    """How shorter periods feed a longer one (R48); see aggregate.py for the methods."""

    name: str
    method: str
    kht_part_ceiling: Level | None
    flag_consecutive_kht: int
    expected_parts: int
    citation: Citation


@dataclass(frozen=True, slots=True)
class AwardRule:
    """An award open to a subject rated ``level`` for ``years`` consecutive years (R51)."""

    code: str
    level: Level
    years: int
    kinds: frozenset[SubjectKind]
    label_vi: str
    label_en: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class RecordRule:
    """The years of annual ratings compiled before an appointment or nomination (R50)."""

    years: int
    label_vi: str
    label_en: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class SheetItem:
    code: str
    label_vi: str
    label_en: str
    weight: Decimal | None = None


@dataclass(frozen=True, slots=True)
class SheetGroup:
    code: str
    label_vi: str
    label_en: str
    max_points: Decimal
    items: tuple[SheetItem, ...]


@dataclass(frozen=True, slots=True)
class SheetTemplate:
    code: str
    title_vi: str
    title_en: str
    kinds: frozenset[SubjectKind]
    groups: tuple[SheetGroup, ...]
    citation: Citation


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    value: Any
    default: Any
    reference: str
    confidence: Confidence
    description_en: str


@dataclass(frozen=True, slots=True)
class KindPlan:
    """Everything classify needs for one subject kind, resolved at load time so that a
    call does no lookups by name."""

    basis: str  # "score" or "assessed"
    triggers: tuple[Trigger, ...]
    conditions: Mapping[Level, tuple[Condition, ...]]
    # The same conditions indexed by rank (0 = Excellent), for the hot path.
    conditions_by_rank: tuple[tuple[Condition, ...], ...]
    cascade: bool
    head_capped: bool
    # Fixed reasons by role; None where the generation does not use that role.
    assessed: Reason | None
    cascaded: Reason | None
    exhausted: Reason | None
    discretion: Reason | None
    no_cascade: Reason | None
    long_leave: Reason | None
    state_rating_above: Reason | None
    head_above_collective: Reason | None


@dataclass(frozen=True, slots=True)
class Regulation:
    code: str
    title_vi: str
    title_en: str
    effective_from: date
    effective_to: date | None
    score_groups: Mapping[str, Decimal]
    # (group, maximum) pairs of score_groups, iterated on every classify.
    score_group_items: tuple[tuple[str, Decimal], ...]
    bands: tuple[Band, ...]
    labels: Mapping[SubjectKind, Mapping[Level, LevelLabel]]
    plans: Mapping[SubjectKind, KindPlan]
    reasons: Mapping[str, Reason]
    caps: tuple[CapRule, ...]
    exclusions: tuple[ExclusionRule, ...]
    order_rules: tuple[OrderRule, ...]
    sibling_rules: tuple[SiblingRule, ...]
    aggregation: Mapping[str, AggregationPolicy]
    sheets: Mapping[str, SheetTemplate]
    settings: Mapping[str, Setting]
    awards: tuple[AwardRule, ...] = ()
    appointment_record: RecordRule | None = None
    raw: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), repr=False)

    def label(self, kind: SubjectKind, level: Level) -> LevelLabel:
        return self.labels[kind][level]

    def setting(self, name: str) -> Any:
        return self.settings[name].value

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )
