"""Enumerations shared by the rule core and, through their values, by stored records.

Values are lowercase snake case so the web application can store them as-is.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """The four quality levels (REGULATIONS.md §1, R1).

    G27 names them differently per subject kind (R2) but the ranks are the same, so a
    G27 "trong sạch, vững mạnh" is stored as EXCELLENT and labelled from the data file.
    """

    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETE = "complete"
    NOT_COMPLETE = "not_complete"


# Rank 0 is the best level; "a level never exceeds X" means rank >= rank of X.
LEVELS_BEST_FIRST: tuple[Level, ...] = (
    Level.EXCELLENT,
    Level.GOOD,
    Level.COMPLETE,
    Level.NOT_COMPLETE,
)
RANK: dict[Level, int] = {level: i for i, level in enumerate(LEVELS_BEST_FIRST)}


def worse(a: Level, b: Level) -> Level:
    """The lower (worse) of two levels."""
    return a if RANK[a] >= RANK[b] else b


def one_below(level: Level) -> Level:
    return LEVELS_BEST_FIRST[min(RANK[level] + 1, 3)]


class SubjectKind(StrEnum):
    """Who is rated (QĐ 366 Điều 5; annexes PL1–PL5)."""

    MEMBER = "member"
    LEADER = "leader"
    MEMBER_OUTSIDE_SYSTEM = "member_outside_system"
    LEADERSHIP_COLLECTIVE = "leadership_collective"
    PARTY_ORGANIZATION = "party_organization"


INDIVIDUAL_KINDS = frozenset(
    {SubjectKind.MEMBER, SubjectKind.LEADER, SubjectKind.MEMBER_OUTSIDE_SYSTEM}
)
COLLECTIVE_KINDS = frozenset({SubjectKind.LEADERSHIP_COLLECTIVE, SubjectKind.PARTY_ORGANIZATION})


class OrgForm(StrEnum):
    """Form of a party organization; G27 applies different Weak triggers to each (R4)."""

    PARTY_UNIT = "party_unit"  # đảng bộ
    CELL = "cell"  # chi bộ


class DisciplineForm(StrEnum):
    """Party discipline forms, mildest first. Every form is "reprimand or higher"."""

    REPRIMAND = "reprimand"  # khiển trách
    WARNING = "warning"  # cảnh cáo
    REMOVAL = "removal"  # cách chức
    EXPULSION = "expulsion"  # khai trừ


DISCIPLINE_RANK: dict[DisciplineForm, int] = {form: i for i, form in enumerate(DisciplineForm)}


class Mitigation(StrEnum):
    """Circumstances that hand a KHT trigger to the competent level's discretion (R23)."""

    FORCE_MAJEURE = "force_majeure"
    SELF_DETECTED = "self_detected"
    TIMELY_HANDLED = "timely_handled"
    REMEDIATED = "remediated"


class ExclusionReason(StrEnum):
    """Why a member is not reviewed or rated in a cycle (R29, R30)."""

    EXEMPT = "exempt"
    SUSPENDED = "suspended"
    ADMITTED_UNDER_6_MONTHS = "admitted_under_6_months"


class CriterionGrade(StrEnum):
    """Criterion-level grades used before the point scale (G132, §6.2; names UNV)."""

    OUTSTANDING = "outstanding"  # xuất sắc
    GOOD = "good"  # tốt
    AVERAGE = "average"  # trung bình
    POOR = "poor"  # kém


GRADE_RANK: dict[CriterionGrade, int] = {grade: i for i, grade in enumerate(CriterionGrade)}


class Confidence(StrEnum):
    """Confidence marks of REGULATIONS.md."""

    C2 = "C2"
    C1 = "C1"
    INF = "INF"
    UNV = "UNV"


class ReasonKind(StrEnum):
    """How a reason bears on the verdict."""

    DECISIVE = "decisive"  # fixed the level
    CONDITION = "condition"  # a level's condition was not met
    INTERPRETATION = "interpretation"  # a reading the text does not state outright
    NOTE = "note"  # context that did not change the level
    WARNING = "warning"  # a soft check a person should look at


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    TERM = "term"
    AD_HOC = "ad_hoc"


class Relation(StrEnum):
    """Relations between subjects of a cycle, used for the decision order (R37, R38)."""

    MEMBER_OF = "member_of"
    LEADS = "leads"
    DEPUTY_OF = "deputy_of"
    BELONGS_TO = "belongs_to"
    SUB_UNIT_OF = "sub_unit_of"
