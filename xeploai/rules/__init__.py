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
from .model import AwardRule, Citation, ExclusionRule, Reason, RecordRule, Regulation
from .order import Link, OrderGraph, Readiness, Subject, can_decide, decision_graph, review_graph
from .records import (
    CompletionRecord,
    Eligibility,
    YearRating,
    awards_open,
    completion_record,
    run_length,
    year_level,
)
from .sheets import sheet_totals

__all__ = [
    "Aggregate",
    "AwardRule",
    "CapResult",
    "Citation",
    "CompletionRecord",
    "Confidence",
    "CriterionGrade",
    "DisciplineForm",
    "DisciplineRecord",
    "Eligibility",
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
    "RecordRule",
    "Regulation",
    "RegulationDataError",
    "Relation",
    "Shortcomings",
    "Subject",
    "SubjectKind",
    "TaskCounts",
    "Verdict",
    "YearRating",
    "aggregate",
    "all_regulations",
    "available_codes",
    "awards_open",
    "can_decide",
    "check_caps",
    "classify",
    "completion_record",
    "decision_graph",
    "is_excluded",
    "load_regulation",
    "regulation_for_period",
    "review_graph",
    "run_length",
    "sheet_totals",
    "total_score",
    "year_level",
]
