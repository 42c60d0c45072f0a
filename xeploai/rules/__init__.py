"""The rule core: regulation generations as data, cited verdicts, caps, decision order.

Standard library only; nothing here imports Django or the rest of the application.
"""

from .aggregate import Aggregate, PartResult, aggregate
from .caps import CapResult, Move, PoolCheck, PoolOutcome, check_caps
from .classify import Verdict, classify, total_score
from .enrolment import is_excluded
from .enums import (
    Confidence,
    CriterionGrade,
    DisciplineForm,
    ExclusionReason,
    Level,
    Mitigation,
    OrgForm,
    PeriodKind,
    ReasonKind,
    Relation,
    SubjectKind,
)
from .facts import (
    DisciplineRecord,
    Facts,
    FactsError,
    G27OrgFindings,
    LedUnits,
    MemberStatus,
    Period,
    Shortcomings,
    TaskCounts,
)
from .loader import (
    RegulationDataError,
    all_regulations,
    available_codes,
    load_regulation,
    regulation_for_period,
)
from .model import Citation, ExclusionRule, Reason, Regulation
from .order import Link, OrderGraph, Readiness, Subject, can_decide, decision_graph, review_graph
from .sheets import sheet_totals

__all__ = [
    "Aggregate",
    "CapResult",
    "Citation",
    "Confidence",
    "CriterionGrade",
    "DisciplineForm",
    "DisciplineRecord",
    "ExclusionReason",
    "ExclusionRule",
    "Facts",
    "FactsError",
    "G27OrgFindings",
    "LedUnits",
    "Level",
    "Link",
    "MemberStatus",
    "Mitigation",
    "Move",
    "OrderGraph",
    "OrgForm",
    "PartResult",
    "Period",
    "PeriodKind",
    "PoolCheck",
    "PoolOutcome",
    "Readiness",
    "Reason",
    "ReasonKind",
    "Regulation",
    "RegulationDataError",
    "Relation",
    "Shortcomings",
    "Subject",
    "SubjectKind",
    "TaskCounts",
    "Verdict",
    "aggregate",
    "all_regulations",
    "available_codes",
    "can_decide",
    "check_caps",
    "classify",
    "decision_graph",
    "is_excluded",
    "load_regulation",
    "regulation_for_period",
    "review_graph",
    "sheet_totals",
    "total_score",
]
