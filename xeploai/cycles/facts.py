"""Turn what was entered for a subject into the rule core's facts, and its verdict into JSON.

Only gathering happens here; every judgement is the rule core's.
"""

from decimal import Decimal

from django.db.models import Q

from xeploai.cycles.models import (
    Appraisal,
    RemediationItem,
    RemediationStatus,
    RemediationUpdate,
    SelfAssessment,
    Subject,
)
from xeploai.labels import problem_json
from xeploai.org.models import Discipline, ManagingLevel
from xeploai.rules import (
    CriterionGrade,
    DisciplineForm,
    DisciplineRecord,
    Facts,
    FactsError,
    LedUnits,
    Level,
    PartResult,
    Period,
    PeriodKind,
    Regulation,
    Shortcomings,
    SubjectKind,
    TaskCounts,
    aggregate,
    classify,
    sheet_totals,
)
from xeploai.rules.annex import sheet_for
from xeploai.rules.enums import worse


def subject_sheet(subject: Subject, regulation: Regulation):
    central = bool(
        subject.position_id and subject.position.managing_level == ManagingLevel.POLITBURO
    )
    return sheet_for(regulation, SubjectKind(subject.kind), central)


def group_scores(subject: Subject, regulation: Regulation, points: dict[str, Decimal]):
    """Group totals from item points through the subject's annex; None without a sheet."""
    sheet = subject_sheet(subject, regulation)
    if sheet is None:
        return None
    return sheet_totals(sheet, points)


def _tasks(assessment: SelfAssessment | None) -> TaskCounts | None:
    if assessment is None or assessment.tasks_total == 0:
        return None
    return TaskCounts(
        total=assessment.tasks_total,
        completed=assessment.tasks_completed,
        on_time=assessment.tasks_on_time,
        late=assessment.tasks_late,
        exceeding=assessment.tasks_exceeding,
    )


def _period(subject: Subject) -> Period:
    cycle = subject.cycle
    return Period(cycle.period_start, cycle.period_end, PeriodKind(cycle.period_kind))


def _discipline(member_id: int, period: Period) -> tuple[DisciplineRecord, ...]:
    """Discipline decided in the period, wherever the act was (R20); the unit of the act
    goes with it so the rule core can attribute it (R21, R22)."""
    rows = Discipline.objects.filter(
        member_id=member_id, decided_on__gte=period.start, decided_on__lte=period.end
    )
    return tuple(
        DisciplineRecord(
            form=DisciplineForm(d.form),
            violation_date=d.violation_on,
            decision_date=d.decided_on,
            unit=str(d.unit_of_act_id),
            duty_related=d.duty_related,
        )
        for d in rows
    )


def shortcomings_of(subject: Subject) -> Shortcomings:
    """Earlier remediation items of the same member or unit, and how many this review says
    are fixed (R13, R45)."""
    items = earlier_items(subject)
    total = items.count()
    fixed = RemediationUpdate.objects.filter(
        subject=subject, item__in=items, status=RemediationStatus.FIXED
    ).count()
    return Shortcomings(total=total, fixed=fixed)


def earlier_items(subject: Subject):
    """Items concluded at earlier reviews of the same member (same post) or the same unit,
    still open when this cycle began, or reported on in this review (R45)."""
    items = RemediationItem.objects.filter(origin__cycle__period_end__lt=subject.cycle.period_start)
    if subject.member_id is None:
        items = items.filter(unit_id=subject.unit_id, origin__kind=subject.kind)
    else:
        items = items.filter(member_id=subject.member_id, origin__position_id=subject.position_id)
    still_open = ~Q(status=RemediationStatus.FIXED) | Q(updates__subject=subject)
    return items.filter(still_open).distinct()


def _led_units(subject: Subject) -> LedUnits | None:
    """A leader's led unit: its organization's own task counts and its sub-units' results."""
    org = Subject.objects.filter(
        cycle_id=subject.cycle_id, unit_id=subject.unit_id, kind=SubjectKind.PARTY_ORGANIZATION
    ).first()
    if org is None:
        return None
    assessment = SelfAssessment.objects.filter(subject=org).first()
    subs = Subject.objects.filter(
        cycle_id=subject.cycle_id,
        unit__parent_id=subject.unit_id,
        kind=SubjectKind.PARTY_ORGANIZATION,
    )
    return LedUnits(
        tasks=_tasks(assessment),
        units_total=subs.count(),
        units_not_complete=subs.filter(decided_level=Level.NOT_COMPLETE).count(),
    )


def build_facts(subject: Subject, regulation: Regulation, level_hint: str = "") -> Facts:
    """The facts of one subject as entered so far. Raises FactsError when one is missing."""
    assessment = SelfAssessment.objects.filter(subject=subject).first()
    appraisal = Appraisal.objects.filter(subject=subject).first()
    kind = SubjectKind(subject.kind)
    scores: dict[str, Decimal] = {}
    if assessment is not None and regulation.score_group_items:
        points = {k: Decimal(v) for k, v in assessment.scores.items()}
        scores = group_scores(subject, regulation, points) or {}
    assessed = (
        level_hint
        or (appraisal.proposed_level if appraisal else "")
        or (assessment.proposed_level if assessment else "")
    )
    return Facts(
        kind=kind,
        period=_period(subject),
        unit=str(subject.unit_id),
        scores=scores,
        assessed_level=Level(assessed) if assessed else None,
        tasks=_tasks(assessment),
        discipline=_discipline(subject.member_id, _period(subject)) if subject.member_id else (),
        shortcomings=shortcomings_of(subject),
        led_units=_led_units(subject) if kind is SubjectKind.LEADER else None,
        political_task_grade=_grade(appraisal, "political_task_grade"),
        other_criteria_grade=_grade(appraisal, "other_criteria_grade"),
        state_rating=Level(appraisal.state_rating)
        if appraisal and appraisal.state_rating
        else None,
    )


def _grade(appraisal: Appraisal | None, field: str) -> CriterionGrade | None:
    value = getattr(appraisal, field, "") if appraisal else ""
    return CriterionGrade(value) if value else None


_POLICY_FOR_PART = {
    "month": "month_to_quarter",
    "quarter": "quarter_to_year",
    "year": "year_to_term",
}


def parts_of(subject: Subject) -> list[tuple[str, Subject]]:
    """The same subject's decided results in the cycles this one takes as parts (R48)."""
    same = {
        "kind": subject.kind,
        "member_id": subject.member_id,
        "position_id": subject.position_id,
    }
    if subject.member_id is None:
        same["unit_id"] = subject.unit_id
    found = Subject.objects.filter(cycle__in=subject.cycle.parts.all(), step="decided", **same)
    return [
        (s.cycle.name, s) for s in found.select_related("cycle").order_by("cycle__period_start")
    ]


def _aggregate(subject: Subject, regulation: Regulation, own: Level | None) -> dict | None:
    parts = parts_of(subject)
    if not parts:
        return None
    policy = _POLICY_FOR_PART[parts[0][1].cycle.period_kind]
    try:
        result = aggregate(
            [PartResult(label, Level(s.decided_level), s.self_score) for label, s in parts],
            regulation,
            policy,
            own=own,
        )
    except (ValueError, KeyError) as exc:
        return {"level": None, "missing": str(exc)}
    return {
        "level": result.level.value,
        "policy": policy,
        "parts": len(parts),
        "incomplete": result.incomplete,
        "capped_by_part": result.capped_by_part,
        "recommend_transfer": result.recommend_transfer,
    }


def verdict_json(subject: Subject, regulation: Regulation, level_hint: str = "") -> dict:
    """The rule core's verdict for a subject, ready to store and to show. When the cycle takes
    shorter cycles as parts, their aggregate (R48) bounds the level too."""
    try:
        verdict = classify(build_facts(subject, regulation, level_hint), regulation)
    except FactsError as exc:
        # `problem` is what pages show (xeploai.labels); `missing` stays for the developers.
        return {"level": None, "missing": str(exc), "problem": problem_json(exc), "reasons": []}
    combined = _aggregate(subject, regulation, verdict.level)
    level = verdict.level
    if combined and combined["level"] and level and not verdict.requires_discretion:
        level = worse(level, Level(combined["level"]))
    return {
        "aggregate": combined,
        "own_level": verdict.level.value if verdict.level else None,
        "level": level.value if level else None,
        "highest": verdict.highest_reachable.value if verdict.highest_reachable else None,
        "total": str(verdict.total) if verdict.total is not None else None,
        "discretion": verdict.requires_discretion,
        "regulation": regulation.code,
        "reasons": [
            {
                "code": r.code,
                "kind": str(r.kind),
                "vi": r.message_vi,
                "en": r.message_en,
                "citation": r.citation.text(),
                "source": {"document": r.citation.document, "article": r.citation.article},
            }
            for r in verdict.reasons
        ],
    }
