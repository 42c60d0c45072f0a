"""Subjects of a cycle: per unit and step, one with its verdict, the self-assessment (read,
save, submit) and the cell meeting's appraisal. Values go through the pages' forms."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from xeploai.accounts.access import (
    get_cycle_unit_for_user,
    get_subject_for_user,
    may_appraise,
    may_self_assess,
    require_that,
)
from xeploai.api.core import Coded, Conflict, Invalid, PageQuery, coded, errors, page
from xeploai.api.inputs import as_form_value, checked
from xeploai.api.routes.org import UnitOut, unit_out
from xeploai.cycles.facts import earlier_items, subject_sheet
from xeploai.cycles.forms import TASKS, TEXTS, AppraisalForm, SelfAssessmentForm
from xeploai.cycles.models import Level, Step, Subject, SubjectKind
from xeploai.cycles.selectors import subjects_in_unit
from xeploai.cycles.services.assessments import appraisal_record, self_assessment_save
from xeploai.rules import load_regulation

router = Router(tags=["subjects"])


class SubjectOut(Schema):
    id: int
    cycle_id: int
    name: str
    kind: Coded
    unit: UnitOut
    member_id: int | None
    step: Coded
    self_level: Coded | None
    self_score: Decimal | None
    proposed_level: Coded | None
    decided_level: Coded | None
    rules_level: Coded | None = Field(description="The level the rules allow at most")
    version: int


class SubjectPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SubjectOut]


def subject_out(subject) -> dict:
    appraisal = getattr(subject, "appraisal", None)
    verdict = appraisal.verdict if appraisal is not None else {}
    return {
        "id": subject.pk,
        "cycle_id": subject.cycle_id,
        "name": subject.member.full_name if subject.member_id else subject.unit.name,
        "kind": coded(SubjectKind, subject.kind),
        "unit": unit_out(subject.unit),
        "member_id": subject.member_id,
        "step": coded(Step, subject.step),
        "self_level": coded(Level, subject.self_level),
        "self_score": subject.self_score,
        "proposed_level": coded(Level, subject.proposed_level),
        "decided_level": coded(Level, subject.decided_level),
        "rules_level": coded(Level, (verdict or {}).get("level")),
        "version": subject.version,
    }


class SubjectQuery(PageQuery):
    step: str = Field("", description="Only subjects at this step (its code)")


@router.get(
    "/cycles/{int:cycle_id}/units/{int:unit_id}/subjects",
    response=errors(200, SubjectPage),
    summary="The subjects of one unit",
)
def subjects_list(request, cycle_id: int, unit_id: int, query: Query[SubjectQuery]):
    cycle, unit = get_cycle_unit_for_user(request.user, cycle_id, unit_id)
    subjects = subjects_in_unit(cycle, unit).select_related("unit", "appraisal")
    if query.step:
        if query.step not in Step.values:
            raise Invalid({"step": [_("choose one of the options.")]})
        subjects = subjects.filter(step=query.step)
    found = page(subjects, query)
    found["items"] = [subject_out(s) for s in found["items"]]
    return found


@router.get("/subjects/{int:subject_id}", response=errors(200, SubjectOut), summary="A subject")
def subject_read(request, subject_id: int):
    return subject_out(get_subject_for_user(request.user, subject_id))


class ItemOut(Schema):
    code: str
    label: str
    max: Decimal | None


class TasksIO(Schema, extra="forbid"):
    total: int | None = None
    completed: int | None = None
    on_time: int | None = None
    late: int | None = None
    exceeding: int | None = None


class TextsIO(Schema, extra="forbid"):
    strengths: str = ""
    shortcomings: str = ""
    causes: str = ""
    prompt_answers: str = ""
    direction: str = ""


class SelfAssessmentOut(Schema):
    subject_id: int
    version: int = Field(description="Send it back with the next save")
    step: Coded
    items: list[ItemOut] = Field(description="The form's items and their maximum points")
    scores: dict[str, str]
    tasks: TasksIO
    texts: TextsIO
    proposed_level: Coded | None
    submitted_at: datetime.datetime | None


def _items(subject, english: bool) -> list[dict]:
    sheet = subject_sheet(subject, load_regulation(subject.cycle.regulation))
    out = []
    for group in sheet.groups if sheet else ():
        for item in group.items:
            out.append(
                {
                    "code": item.code,
                    "label": item.label_en if english else item.label_vi,
                    "max": item.weight if item.weight is not None else group.max_points,
                }
            )
    return out


def _english(request) -> bool:
    return (getattr(request, "LANGUAGE_CODE", "vi") or "vi").startswith("en")


def self_assessment_out(request, subject) -> dict:
    assessment = getattr(subject, "self_assessment", None)
    return {
        "subject_id": subject.pk,
        "version": subject.version,
        "step": coded(Step, subject.step),
        "items": _items(subject, _english(request)),
        "scores": {k: str(v) for k, v in (assessment.scores if assessment else {}).items()},
        "tasks": {n: getattr(assessment, f"tasks_{n}") if assessment else None for n in TASKS},
        "texts": {n: getattr(assessment, n) if assessment else "" for n in TEXTS},
        "proposed_level": coded(Level, assessment.proposed_level if assessment else ""),
        "submitted_at": assessment.submitted_at if assessment else None,
    }


@router.get(
    "/subjects/{int:subject_id}/self-assessment",
    response=errors(200, SelfAssessmentOut),
    summary="A self-assessment",
)
def self_assessment_read(request, subject_id: int):
    return self_assessment_out(request, get_subject_for_user(request.user, subject_id))


class SelfAssessmentIn(Schema, extra="forbid"):
    version: int = Field(..., description="The version you read; a newer one is a 409")
    scores: dict[str, float | str] = Field(
        default_factory=dict, description="Item code → points, at most the item's maximum"
    )
    tasks: TasksIO = Field(default_factory=TasksIO)
    texts: TextsIO = Field(default_factory=TextsIO)
    proposed_level: str = Field("", description="excellent, good, complete or not_complete")
    remediation: dict[str, str] = Field(
        default_factory=dict,
        description="Earlier shortcoming id → fixed, in_progress or not_fixed",
    )


def _self_save(request, subject_id: int, payload: SelfAssessmentIn, submit: bool):
    subject = get_subject_for_user(request.user, subject_id)
    require_that(may_self_assess(request.user, subject))
    regulation = load_regulation(subject.cycle.regulation)
    sheet = subject_sheet(subject, regulation)
    earlier = list(earlier_items(subject))
    known = {item.code for group in (sheet.groups if sheet else ()) for item in group.items}
    unknown = {f"scores.{k}": [_("this item is not on the form.")] for k in payload.scores}
    unknown = {k: v for k, v in unknown.items() if k[7:] not in known}
    ids = {str(item.pk) for item in earlier}
    unknown.update(
        {
            f"remediation.{k}": [_("this field is not known.")]
            for k in payload.remediation
            if k not in ids
        }
    )
    if unknown:
        raise Invalid(unknown)
    data = {
        "version": as_form_value(payload.version),
        "proposed_level": payload.proposed_level,
        **{f"score_{k}": as_form_value(v) for k, v in payload.scores.items()},
        **{f"tasks_{k}": as_form_value(v) for k, v in payload.tasks.dict().items()},
        **payload.texts.dict(),
        **{f"item_{k}": v for k, v in payload.remediation.items()},
    }
    form = SelfAssessmentForm(data, sheet=sheet, earlier=earlier, english=_english(request))
    names = {
        **{f"score_{k}": f"scores.{k}" for k in known},
        **{f"tasks_{k}": f"tasks.{k}" for k in TASKS},
        **{name: f"texts.{name}" for name in TEXTS},
        **{f"item_{k}": f"remediation.{k}" for k in ids},
    }
    cleaned = checked(form, names)
    if cleaned["version"] != subject.version:
        raise Conflict(
            _(
                "Someone else saved this assessment after you read it. Nothing was saved; "
                "read it again, then send your changes."
            )
        )
    self_assessment_save(
        actor=request.user,
        subject=subject,
        version=cleaned["version"],
        scores=form.scores(),
        tasks=form.tasks(),
        texts=form.texts(),
        proposed_level=cleaned["proposed_level"],
        remediation=form.remediation(),
        submit=submit,
    )
    return self_assessment_out(request, get_subject_for_user(request.user, subject_id))


@router.put(
    "/subjects/{int:subject_id}/self-assessment",
    response=errors(200, SelfAssessmentOut, 409),
    summary="Save a self-assessment as a draft",
)
def self_assessment_save_draft(request, subject_id: int, payload: SelfAssessmentIn):
    return _self_save(request, subject_id, payload, submit=False)


@router.post(
    "/subjects/{int:subject_id}/self-assessment/submit",
    response=errors(200, SelfAssessmentOut, 409),
    summary="Save and submit a self-assessment",
)
def self_assessment_submit(request, subject_id: int, payload: SelfAssessmentIn):
    return _self_save(request, subject_id, payload, submit=True)


class VotesIO(Schema, extra="forbid"):
    """Votes per level at the meeting; a level left out had no votes."""

    excellent: int | None = 0
    good: int | None = 0
    complete: int | None = 0
    not_complete: int | None = 0


class AppraisalIn(Schema, extra="forbid"):
    version: int
    proposed_level: str = Field(..., description="excellent, good, complete or not_complete")
    attendees: int | None = Field(None, description="Members present at the meeting")
    votes: VotesIO = Field(default_factory=VotesIO)
    reason: str = ""


@router.post(
    "/subjects/{int:subject_id}/appraisal",
    response=errors(200, SubjectOut, 409),
    summary="Record the meeting's tally and the proposal",
)
def appraisal_save(request, subject_id: int, payload: AppraisalIn):
    subject = get_subject_for_user(request.user, subject_id)
    require_that(may_appraise(request.user, subject))
    data = {
        "version": as_form_value(payload.version),
        "proposed_level": payload.proposed_level,
        "attendees": as_form_value(payload.attendees),
        "reason": payload.reason,
        **{f"votes_{k}": as_form_value(v) for k, v in payload.votes.dict().items()},
    }
    form = AppraisalForm(data)
    cleaned = checked(form, {f"votes_{v}": f"votes.{v}" for v in Level.values})
    if cleaned["version"] != subject.version:
        raise Conflict(_("Someone else changed this subject after you read it; read it again."))
    appraisal_record(
        actor=request.user,
        subject=subject,
        version=cleaned["version"],
        proposed_level=cleaned["proposed_level"],
        votes=form.votes(),
        attendees=cleaned["attendees"],
        reason=cleaned["reason"],
    )
    return subject_out(get_subject_for_user(request.user, subject_id))


@router.get(
    "/me/subjects",
    response=errors(200, list[SubjectOut]),
    summary="Your own reviews in open cycles",
)
def my_subjects(request):
    if not request.user.member_id:
        return []
    rows = (
        Subject.objects.filter(member_id=request.user.member_id, cycle__state="open")
        .select_related("unit", "member", "appraisal")
        .order_by("-cycle__period_end", "pk")
    )
    return [subject_out(s) for s in rows]
