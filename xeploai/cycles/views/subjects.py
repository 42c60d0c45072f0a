"""Pages of one subject of the season: its self-review, the cell meeting's result, opinions,
re-rating and history.

Every POST is read by a form of cycles/forms.py: what it refuses is answered 400 with the page and
a message beside the field; what it accepts goes to the cycles services."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xeploai.accounts.access import (
    Action,
    get_subject_for_user,
    may,
    may_appraise,
    may_decide,
    may_record_findings,
    may_self_assess,
)
from xeploai.cycles.facts import earlier_items, subject_sheet
from xeploai.cycles.forms import (
    TASKS,
    TEXTS,
    AppraisalForm,
    OpinionForm,
    RerateForm,
    SelfAssessmentForm,
    item_maximum,
    paper_record,
)
from xeploai.cycles.models import Level, OpinionSource
from xeploai.cycles.selectors import (
    appraisal_open,
    convened,
    rerating_open,
    score_preview,
    self_assessment_editable,
    stored_points,
    subject_history_lines,
)
from xeploai.cycles.services.assessments import appraisal_record, opinion_add, self_assessment_save
from xeploai.cycles.services.decisions import decision_rerate
from xeploai.errors import AppError
from xeploai.reports.decisions import rerating_of
from xeploai.rules import FactsError, TaskCounts, load_regulation
from xeploai.rules.annex import FORM_FOR_SHEET


def _english(request) -> bool:
    return (request.LANGUAGE_CODE or "vi").startswith("en")


def _sheet_rows(subject, regulation, values, english: bool):
    sheet = subject_sheet(subject, regulation)
    if sheet is None:
        return None, []
    groups = []
    for group in sheet.groups:
        items = [
            {
                "code": item.code,
                "label": item.label_en if english else item.label_vi,
                "value": values.get(item.code, ""),
                "max": item_maximum(group, item),
            }
            for item in group.items
        ]
        groups.append(
            {
                "code": group.code,
                "max": group.max_points,
                "items": items,
                "label": group.label_en if english else group.label_vi,
            }
        )
    return sheet, groups


def self_form(request, subject, regulation) -> SelfAssessmentForm:
    return SelfAssessmentForm(
        request.POST,
        sheet=subject_sheet(subject, regulation),
        earlier=list(earlier_items(subject)),
        english=_english(request),
    )


def _detail(request, subject, form=None, status: int = 200, refused: AppError | None = None):
    """The subject's page; `form` is a refused or failed POST, shown with what was typed."""
    regulation = load_regulation(subject.cycle.regulation)
    assessment = getattr(subject, "self_assessment", None)
    values = dict(assessment.scores) if assessment else {}
    posted = request.POST if form is not None else {}
    if posted:
        values = {k[6:]: v for k, v in posted.items() if k.startswith("score_")}
    sheet, groups = _sheet_rows(subject, regulation, values, _english(request))
    editable = may_self_assess(request.user, subject) and self_assessment_editable(subject)
    if isinstance(form, SelfAssessmentForm):
        preview = _form_preview(subject, regulation, form)
    else:
        preview = score_preview(subject, regulation, stored_points(assessment))
    response = render(
        request,
        "cycles/subject_detail.html",
        {
            "subject": subject,
            # A member sees their own subject but not the whole cell's list.
            "may_see_unit": may(request.user, Action.VIEW, subject.unit),
            "assessment": assessment,
            "groups": groups,
            "form_code": FORM_FOR_SHEET.get(sheet.code, "") if sheet else "",
            "sheet": sheet,
            "editable": editable,
            "levels": Level.choices,
            "items": list(earlier_items(subject)) if subject.member_id or subject.unit_id else [],
            "may_appraise": may_appraise(request.user, subject) and appraisal_open(subject),
            "appraisal": getattr(subject, "appraisal", None),
            "may_rerate": may_decide(request.user, subject) and rerating_open(subject),
            "may_record_findings": may_record_findings(request.user, subject),
            "opinions": subject.opinions.all(),
            "reratings": rerating_of(subject),
            "sources": OpinionSource.choices,
            "preview": preview,
            "posted": posted,
            "fv": _form_values(posted, assessment),
            "tally": [(v, label, posted.get(f"votes_{v}", "0")) for v, label in Level.choices],
            "errors": {
                **(form.field_errors() if form is not None else {}),
                **({refused.field: refused.message} if refused and refused.field else {}),
            },
        },
    )
    response.status_code = status
    return response


@login_required
def subject_detail(request, pk):
    return _detail(request, get_subject_for_user(request.user, pk))


def _form_values(posted, assessment) -> dict:
    """What the form shows: what was just posted (kept on an error), else what is saved."""
    tasks = [f"tasks_{name}" for name in TASKS]
    if posted:
        return {
            name: posted.get(name, "")
            for name in (*TEXTS, *tasks, "proposed_level", "reason", "attendees")
        }
    if assessment is None:
        return {}
    values = {name: getattr(assessment, name) for name in TEXTS}
    values.update({name: getattr(assessment, name) or "" for name in tasks})
    values["proposed_level"] = assessment.proposed_level
    return values


def _form_preview(subject, regulation, form: SelfAssessmentForm) -> dict:
    """The preview of what was typed, or the first thing the boundary refused in it."""
    if not form.is_valid():
        return {"error": form.messages()[0]}
    points = {k: Decimal(v) for k, v in form.scores().items()}
    tasks = form.tasks()
    counts = None
    if tasks["total"]:
        try:
            counts = TaskCounts(**tasks)
        except FactsError:
            counts = None
    return score_preview(subject, regulation, points, counts)


@login_required
@require_POST
def subject_preview(request, pk):
    subject = get_subject_for_user(request.user, pk)
    regulation = load_regulation(subject.cycle.regulation)
    form = self_form(request, subject, regulation)
    form.fields["version"].required = False
    preview = _form_preview(subject, regulation, form)
    return render(request, "cycles/_preview.html", {"preview": preview})


def refuse(request, subject, form):
    """The page again, answered 400, with each refused field's message."""
    for message in form.messages():
        messages.error(request, message)
    return _detail(request, subject, form, status=400)


def _failed(request, subject, form, exc: AppError):
    """A service refused what the form accepted (a lock, a rule, a count): the page again,
    answered 400, with the service's message, beside its field when it names one."""
    messages.error(request, exc.message)
    return _detail(request, subject, form, status=400, refused=exc)


@login_required
@require_POST
def subject_self_save(request, pk):
    subject = get_subject_for_user(request.user, pk)
    form = self_form(request, subject, load_regulation(subject.cycle.regulation))
    if not form.is_valid():
        return refuse(request, subject, form)
    submit = "submit" in request.POST
    try:
        self_assessment_save(
            actor=request.user,
            subject=subject,
            version=form.cleaned_data["version"],
            scores=form.scores(),
            tasks=form.tasks(),
            texts=form.texts(),
            proposed_level=form.cleaned_data["proposed_level"],
            remediation=form.remediation(),
            submit=submit,
        )
    except AppError as exc:
        return _failed(request, subject, form, exc)
    messages.success(request, _("Submitted. Thank you.") if submit else _("Saved as a draft."))
    return redirect("subject_detail", subject.pk)


@login_required
@require_POST
def subject_appraise(request, pk):
    subject = get_subject_for_user(request.user, pk)
    form = AppraisalForm(request.POST, convened=convened(subject, timezone.localdate()))
    if not form.is_valid():
        return refuse(request, subject, form)
    data = form.cleaned_data
    try:
        appraisal_record(
            actor=request.user,
            subject=subject,
            version=data["version"],
            proposed_level=data["proposed_level"],
            votes=form.votes(),
            attendees=data["attendees"],
            reason=data["reason"],
        )
    except AppError as exc:
        return _failed(request, subject, form, exc)
    messages.success(request, _("The meeting result and the proposal are recorded."))
    return redirect("unit_subjects", subject.cycle_id, subject.unit_id)


@login_required
@require_POST
def subject_opinion(request, pk):
    subject = get_subject_for_user(request.user, pk)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return refuse(request, subject, form)
    try:
        opinion_add(actor=request.user, subject=subject, **form.cleaned_data)
    except AppError as exc:
        return _failed(request, subject, form, exc)
    messages.success(request, _("The opinion is attached."))
    return redirect("subject_detail", subject.pk)


@login_required
@require_POST
def subject_rerate(request, pk):
    subject = get_subject_for_user(request.user, pk)
    form = RerateForm(request.POST)
    if not form.is_valid():
        return refuse(request, subject, form)
    try:
        decision_rerate(
            actor=request.user,
            subject=subject,
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
            paper=paper_record(form),
        )
    except AppError as exc:
        return _failed(request, subject, form, exc)
    messages.success(request, _("The subject is re-rated."))
    return redirect("subject_detail", subject.pk)


@login_required
def subject_history_view(request, pk):
    subject = get_subject_for_user(request.user, pk)
    return render(
        request,
        "cycles/subject_history.html",
        {"subject": subject, "lines": subject_history_lines(subject)},
    )
