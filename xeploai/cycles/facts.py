"""Turn what was entered for a subject into the rule core's facts, and its verdict into JSON.

Only gathering happens here; every judgement is the rule core's.
"""

from decimal import Decimal

from django.db.models import Q

from xeploai.cycles.models import (
    Appraisal,
    ConfidenceVote,
    Finding,
    FindingKind,
    RemediationItem,
    RemediationStatus,
    RemediationUpdate,
    SelfAssessment,
    Subject,
)
from xeploai.labels import problem_json
from xeploai.org.models import CELL_KINDS, Discipline, ManagingLevel, PositionKind
from xeploai.org.tree import is_within, subtree_q
from xeploai.rules import (
    CriterionGrade,
    DisciplineForm,
    DisciplineRecord,
    Facts,
    FactsError,
    G27OrgFindings,
    LedUnits,
    Level,
    Mitigation,
    OrgForm,
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


MITIGATIONS = {
    FindingKind.FORCE_MAJEURE: Mitigation.FORCE_MAJEURE,
    FindingKind.SELF_DETECTED: Mitigation.SELF_DETECTED,
    FindingKind.TIMELY_HANDLED: Mitigation.TIMELY_HANDLED,
    FindingKind.REMEDIATED: Mitigation.REMEDIATED,
}
G27_FLAGS = {
    FindingKind.FAILS_MANY_TASKS: "fails_many_tasks",
    FindingKind.COMMITTEE_DISUNITY: "committee_disunity",
    FindingKind.CORRUPTION_DISCIPLINE: "corruption_led_to_discipline",
    FindingKind.GOVERNMENT_LOWEST: "government_rated_lowest",
}
# The posts that make a member one of a leadership collective (its party committee).
COLLECTIVE_POSTS = (
    PositionKind.COMMITTEE_SECRETARY,
    PositionKind.COMMITTEE_DEPUTY_SECRETARY,
    PositionKind.COMMITTEE_MEMBER,
    PositionKind.CELL_SECRETARY,
    PositionKind.CELL_DEPUTY_SECRETARY,
)
COLLECTIVES = (SubjectKind.LEADERSHIP_COLLECTIVE, SubjectKind.PARTY_ORGANIZATION)


def _findings(subject: Subject) -> dict[str, int]:
    return dict(Finding.objects.filter(subject=subject).values_list("kind", "count"))


def _member_discipline(subject: Subject, period: Period) -> tuple[DisciplineRecord, ...]:
    """Discipline of a collective's members decided in the period (R21, R22): for a party
    organization, every member of its cells; for a leadership collective, the holders of its
    committee's posts during the period. An act inside the organization counts against it; an
    act elsewhere carries that unit, so the rule core attributes it there."""
    unit = subject.unit
    rows = Discipline.objects.filter(decided_on__gte=period.start, decided_on__lte=period.end)
    if subject.kind == SubjectKind.PARTY_ORGANIZATION:
        rows = rows.filter(subtree_q(unit.path, "member__cell__path"))
    else:
        rows = rows.filter(
            member__positions__unit=unit,
            member__positions__kind__in=COLLECTIVE_POSTS,
            member__positions__valid_from__lte=period.end,
        ).exclude(member__positions__valid_to__lt=period.start)
    return tuple(
        DisciplineRecord(
            form=DisciplineForm(d.form),
            violation_date=d.violation_on,
            decision_date=d.decided_on,
            unit=str(unit.pk) if is_within(act_path, unit.path) else str(d.unit_of_act_id),
            duty_related=d.duty_related,
        )
        for d, act_path in (
            (d, d.unit_of_act.path) for d in rows.select_related("unit_of_act").distinct()
        )
    )


def _led_collective_level(subject: Subject) -> Level | None:
    """The level of the collective a leader heads, once proposed or decided (R16)."""
    collective = (
        Subject.objects.filter(
            cycle_id=subject.cycle_id,
            unit_id=subject.unit_id,
            kind=SubjectKind.LEADERSHIP_COLLECTIVE,
        )
        .values_list("decided_level", "proposed_level")
        .first()
    )
    level = next((v for v in collective or () if v), "")
    return Level(level) if level else None


def _org_form(subject: Subject) -> OrgForm | None:
    if subject.kind != SubjectKind.PARTY_ORGANIZATION:
        return None
    return OrgForm.CELL if subject.unit.kind in CELL_KINDS else OrgForm.PARTY_UNIT


def _g27(subject: Subject, findings: dict[str, int]) -> G27OrgFindings | None:
    """HD 27's findings for an organization: the recorded ones, and the counts of its
    subordinate organizations and members the cycle already holds (R4)."""
    if subject.kind != SubjectKind.PARTY_ORGANIZATION:
        return None
    in_cycle = Subject.objects.filter(cycle_id=subject.cycle_id)
    subs = in_cycle.filter(kind=SubjectKind.PARTY_ORGANIZATION, unit__parent_id=subject.unit_id)
    members = in_cycle.filter(kind=SubjectKind.MEMBER).filter(
        subtree_q(subject.unit.path, "unit__path")
    )
    return G27OrgFindings(
        **{attr: kind in findings for kind, attr in G27_FLAGS.items()},
        mass_orgs_rated_lowest=findings.get(FindingKind.MASS_ORGS_LOWEST, 0),
        subordinate_orgs_total=subs.count(),
        subordinate_orgs_weak=subs.filter(decided_level=Level.NOT_COMPLETE).count(),
        members_total=members.exclude(step="excluded").count(),
        members_not_complete=members.filter(decided_level=Level.NOT_COMPLETE).count(),
    )


def _low_confidence_share(subject: Subject) -> Decimal | None:
    vote = ConfidenceVote.objects.filter(subject=subject).first()
    if vote is None or not vote.ballots_valid:
        return None
    return Decimal(vote.low) / Decimal(vote.ballots_valid)


def build_facts(subject: Subject, regulation: Regulation, level_hint: str = "") -> Facts:
    """The facts of one subject as entered so far. Raises FactsError when one is missing."""
    assessment = SelfAssessment.objects.filter(subject=subject).first()
    appraisal = Appraisal.objects.filter(subject=subject).first()
    kind = SubjectKind(subject.kind)
    period = _period(subject)
    findings = _findings(subject)
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
        period=period,
        unit=str(subject.unit_id),
        scores=scores,
        assessed_level=Level(assessed) if assessed else None,
        tasks=_tasks(assessment),
        discipline=_discipline(subject.member_id, period) if subject.member_id else (),
        member_discipline=_member_discipline(subject, period) if kind in COLLECTIVES else (),
        subordinate_units_disciplined=findings.get(FindingKind.SUBORDINATES_DISCIPLINED, 0),
        degradation_finding=FindingKind.DEGRADATION in findings,
        prohibited_conduct=FindingKind.PROHIBITED in findings,
        cadre_work_wrongdoing=FindingKind.CADRE_WORK in findings,
        managed_corruption_disciplined=FindingKind.CORRUPTION in findings,
        basic_targets_missed=findings.get(FindingKind.BASIC_TARGETS, 0),
        low_confidence_share=_low_confidence_share(subject) if kind is SubjectKind.LEADER else None,
        led_units=_led_units(subject) if kind is SubjectKind.LEADER else None,
        led_collective_level=_led_collective_level(subject) if kind is SubjectKind.LEADER else None,
        shortcomings=shortcomings_of(subject),
        state_rating=Level(appraisal.state_rating)
        if appraisal and appraisal.state_rating
        else None,
        long_leave=FindingKind.LONG_LEAVE in findings,
        mitigation=frozenset(m for k, m in MITIGATIONS.items() if k in findings),
        political_task_grade=_grade(appraisal, "political_task_grade"),
        other_criteria_grade=_grade(appraisal, "other_criteria_grade"),
        org_form=_org_form(subject),
        g27=_g27(subject, findings),
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
