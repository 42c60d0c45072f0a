"""Inputs to the rule core: plain frozen records, no behaviour beyond validation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from .enums import (
    CriterionGrade,
    DisciplineForm,
    Level,
    Mitigation,
    OrgForm,
    PeriodKind,
    SubjectKind,
)

_EMPTY_SCORES: Mapping[str, Decimal] = MappingProxyType({})


class FactsError(ValueError):
    """Facts that cannot describe a real subject (e.g. more tasks completed than assigned).

    The message is for developers and scenario files; `code` and `params` are what the
    application turns into words for people (xeploai/labels.py), so the message never is."""

    def __init__(self, message: str, code: str = "facts", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    kind: PeriodKind = PeriodKind.YEAR

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise FactsError(
                f"period ends ({self.end}) before it starts ({self.start})",
                "period_order",
                start=self.start,
                end=self.end,
            )

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class TaskCounts:
    """Tasks of the period. ``completed = on_time + late``; ``excused`` tasks leave the
    denominator (force majeure, or work not done during long leave, R33)."""

    total: int
    completed: int
    on_time: int
    late: int
    exceeding: int = 0
    excused: int = 0

    def __post_init__(self) -> None:
        if (
            min(self.total, self.completed, self.on_time, self.late, self.exceeding, self.excused)
            < 0
        ):
            raise FactsError("task counts cannot be negative", "tasks_negative")
        if self.on_time + self.late != self.completed:
            raise FactsError(
                f"on time ({self.on_time}) + late ({self.late}) "
                f"must equal completed ({self.completed})",
                "tasks_on_time_late",
                on_time=self.on_time,
                late=self.late,
                completed=self.completed,
            )
        if self.completed + self.excused > self.total:
            raise FactsError("completed plus excused tasks exceed the total", "tasks_over_total")
        if self.exceeding > self.completed:
            raise FactsError(
                "more tasks exceed requirements than were completed", "tasks_exceeding"
            )

    @property
    def assessed(self) -> int:
        """The denominator the percentages use."""
        return self.total - self.excused


@dataclass(frozen=True, slots=True)
class DisciplineRecord:
    form: DisciplineForm
    violation_date: date
    decision_date: date
    # Where the act happened; None means the unit being rated (R21, R22).
    unit: str | None = None
    duty_related: bool = True


@dataclass(frozen=True, slots=True)
class LedUnits:
    """Results of the localities, sectors or units a leader directly leads (R11, R14, R15, R18)."""

    tasks: TaskCounts | None = None
    units_total: int = 0
    units_not_complete: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.units_not_complete <= self.units_total:
            raise FactsError(
                "units rated not complete must be between 0 and the number of units",
                "led_units_range",
            )


@dataclass(frozen=True, slots=True)
class Shortcomings:
    """Shortcomings concluded at the previous review and how many are fixed (R13, R45)."""

    total: int = 0
    fixed: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.fixed <= self.total:
            raise FactsError(
                "fixed shortcomings must be between 0 and the total", "remediation_range"
            )


NO_SHORTCOMINGS = Shortcomings()


@dataclass(frozen=True, slots=True)
class G27OrgFindings:
    """The defects that make a G27 organization Weak whatever its score (R4)."""

    fails_many_tasks: bool = False
    committee_disunity: bool = False
    corruption_led_to_discipline: bool = False
    government_rated_lowest: bool = False
    mass_orgs_rated_lowest: int = 0
    subordinate_orgs_total: int = 0
    subordinate_orgs_weak: int = 0
    members_total: int = 0
    members_not_complete: int = 0


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the rule core needs to classify one subject for one period.

    Fields a generation does not use are ignored by it. For a collective,
    ``degradation_finding`` and ``member_discipline`` concern members of the collective.
    """

    kind: SubjectKind
    period: Period
    unit: str | None = None
    scores: Mapping[str, Decimal] = field(default_factory=lambda: _EMPTY_SCORES)
    # Generations without a central point scale (G27 members, G132, G124) start from
    # the level the meeting assessed; the rule core only caps it.
    assessed_level: Level | None = None
    tasks: TaskCounts | None = None
    discipline: tuple[DisciplineRecord, ...] = ()
    member_discipline: tuple[DisciplineRecord, ...] = ()
    subordinate_units_disciplined: int = 0
    degradation_finding: bool = False
    prohibited_conduct: bool = False
    cadre_work_wrongdoing: bool = False
    managed_corruption_disciplined: bool = False
    basic_targets_missed: int = 0
    low_confidence_share: Decimal | None = None
    led_units: LedUnits | None = None
    led_collective_level: Level | None = None
    shortcomings: Shortcomings = NO_SHORTCOMINGS
    state_rating: Level | None = None
    long_leave: bool = False
    mitigation: frozenset[Mitigation] = frozenset()
    political_task_grade: CriterionGrade | None = None
    other_criteria_grade: CriterionGrade | None = None
    org_form: OrgForm | None = None
    g27: G27OrgFindings | None = None


@dataclass(frozen=True, slots=True)
class MemberStatus:
    """What enrolment needs to know to decide whether a member is rated at all (R29, R30)."""

    review_date: date
    admitted_on: date | None = None
    exempt: bool = False
    party_activity_suspended: bool = False
    # Suspension from committee work only: the member is still rated (R30).
    committee_activity_suspended: bool = False
