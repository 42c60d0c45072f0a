"""The findings about a subject and a leader's confidence vote: one page for the competent
level (or whoever appraises), reached from the subject's page. Every POST is read by a form of
the input boundary; every write goes through cycles/services/findings.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from xeploai.accounts.access import get_subject_for_user, may_record_findings, require_that
from xeploai.cycles.models import COUNTED_FINDINGS, ConfidenceVote, Finding, FindingKind
from xeploai.cycles.services.findings import (
    confidence_vote_record,
    finding_record,
    finding_remove,
)
from xeploai.errors import AppError
from xeploai.rules import SubjectKind
from xeploai.web.fields import (
    LONG_TEXT,
    BoundaryForm,
    ChoiceField,
    CountField,
    DayField,
    IdField,
    TextField,
)


class FindingForm(BoundaryForm):
    kind = ChoiceField(label=_lazy("Finding"), choices=FindingKind.choices, required=True)
    count = CountField(label=_lazy("How many"), min_value=1)
    found_on = DayField(label=_lazy("Date (dd/mm/yyyy)"), required=True)
    evidence = TextField(
        label=_lazy("Document or evidence"), max_length=LONG_TEXT, multiline=True, required=True
    )


class RemoveForm(BoundaryForm):
    finding = IdField(label=_lazy("Finding"), required=True)


class ConfidenceForm(BoundaryForm):
    held_on = DayField(label=_lazy("Date of the vote (dd/mm/yyyy)"), required=True)
    ballots_issued = CountField(label=_lazy("Ballots issued"), required=True)
    ballots_valid = CountField(label=_lazy("Valid ballots"), required=True)
    high = CountField(label=_lazy("High confidence"), required=True)
    medium = CountField(label=_lazy("Medium confidence"), required=True)
    low = CountField(label=_lazy("Low confidence"), required=True)


def _page(request, subject, form=None, status=200):
    findings = Finding.objects.filter(subject=subject).order_by("found_on", "pk")
    verdict = (getattr(subject, "appraisal", None) and subject.appraisal.verdict) or {}
    response = render(
        request,
        "cycles/findings.html",
        {
            "subject": subject,
            "findings": [(f, f.get_kind_display(), f.kind in COUNTED_FINDINGS) for f in findings],
            "kinds": FindingKind.choices,
            "counted": sorted(COUNTED_FINDINGS),
            "vote": ConfidenceVote.objects.filter(subject=subject).first(),
            "leader": subject.kind == SubjectKind.LEADER,
            "reasons": verdict.get("reasons", []),
            "posted": request.POST if form is not None else {},
            "errors": form.field_errors() if form is not None else {},
        },
    )
    response.status_code = status
    return response


def _subject(request, pk):
    subject = get_subject_for_user(request.user, pk)
    require_that(may_record_findings(request.user, subject))
    return subject


def _refused(request, subject, form, exc: AppError | None = None):
    for message in [exc.message] if exc else form.messages():
        messages.error(request, message)
    return _page(request, subject, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def subject_findings(request, pk):
    subject = _subject(request, pk)
    if request.method == "GET":
        return _page(request, subject)
    form = FindingForm(request.POST)
    if not form.is_valid():
        return _refused(request, subject, form)
    data = form.cleaned_data
    try:
        finding_record(
            actor=request.user,
            subject=subject,
            kind=data["kind"],
            found_on=data["found_on"],
            evidence=data["evidence"],
            count=data["count"] or 1,
        )
    except AppError as exc:
        return _refused(request, subject, form, exc)
    messages.success(request, _("The finding is recorded; the verdict is updated."))
    return redirect("subject_findings", subject.pk)


@login_required
@require_POST
def subject_finding_remove(request, pk):
    subject = _subject(request, pk)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, subject, form)
    finding = Finding.objects.filter(subject=subject, pk=form.cleaned_data["finding"]).first()
    if finding is None:
        form.add_error("finding", _("not found; reload the page."))
        return _refused(request, subject, form)
    try:
        finding_remove(actor=request.user, finding=finding)
    except AppError as exc:
        return _refused(request, subject, form, exc)
    messages.success(request, _("The finding is removed; the verdict is updated."))
    return redirect("subject_findings", subject.pk)


@login_required
@require_POST
def subject_confidence(request, pk):
    subject = _subject(request, pk)
    form = ConfidenceForm(request.POST)
    if not form.is_valid():
        return _refused(request, subject, form)
    try:
        confidence_vote_record(actor=request.user, subject=subject, **form.cleaned_data)
    except AppError as exc:
        return _refused(request, subject, form, exc)
    messages.success(request, _("The confidence vote's tally is recorded; the verdict is updated."))
    return redirect("subject_findings", subject.pk)
