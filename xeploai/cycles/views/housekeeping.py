"""Pages that put a cycle right after it is open: its deadlines, cancelling it, and the notices
of members who joined, moved or left while it ran."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, get_cycle_for_user
from xeploai.cycles.forms import CancelForm, DeadlinesForm
from xeploai.cycles.models import CycleState, SelfAssessment, Step
from xeploai.cycles.services.housekeeping import cycle_cancel, cycle_deadlines_set
from xeploai.errors import AppError

_EDITABLE = (CycleState.OPEN, CycleState.LOCKED)


def _field_error(form, exc: AppError) -> dict[str, str]:
    """The service's refusal beside the field it names (or at the top)."""
    errors = form.field_errors()
    if exc.field in form.fields:
        errors[exc.field] = exc.message
    return errors


@login_required
def cycle_deadlines(request, pk):
    cycle = get_cycle_for_user(request.user, pk, Action.MANAGE_CYCLE)
    general = {
        f"deadline_{step}": due.strftime("%d/%m/%Y")
        for step, due in cycle.deadlines.filter(unit_kind="").values_list("step", "due_on")
    }
    form = DeadlinesForm(request.POST if request.method == "POST" else None)
    errors, status = {}, 200
    if request.method == "POST":
        if not form.is_valid():
            errors, status = form.field_errors(), 400
            for message in form.messages():
                messages.error(request, message)
        else:
            own_kinds = [
                (step, kind, due)
                for step, kind, due in cycle.deadlines.exclude(unit_kind="").values_list(
                    "step", "unit_kind", "due_on"
                )
            ]
            try:
                cycle_deadlines_set(
                    actor=request.user, cycle=cycle, deadlines=[*form.deadlines(), *own_kinds]
                )
            except AppError as exc:
                messages.error(request, exc.message)
                errors, status = _field_error(form, exc), 400
            else:
                messages.success(request, _("The deadlines are saved."))
                return redirect("cycle_detail", cycle.pk)
    return render(
        request,
        "cycles/cycle_deadlines.html",
        {
            "cycle": cycle,
            "values": request.POST if request.method == "POST" else general,
            "errors": errors,
            "editable": cycle.state in _EDITABLE,
            "others": cycle.deadlines.exclude(unit_kind="").order_by("unit_kind", "due_on"),
        },
        status=status,
    )


@login_required
def cycle_cancel_view(request, pk):
    cycle = get_cycle_for_user(request.user, pk, Action.MANAGE_CYCLE)
    form = CancelForm(request.POST if request.method == "POST" else None)
    errors, status = {}, 200
    if request.method == "POST":
        if not form.is_valid():
            errors, status = form.field_errors(), 400
            for message in form.messages():
                messages.error(request, message)
        else:
            try:
                cycle_cancel(actor=request.user, cycle=cycle, reason=form.cleaned_data["reason"])
            except AppError as exc:
                messages.error(request, exc.message)
                errors, status = _field_error(form, exc), 400
            else:
                messages.success(request, _("The cycle is cancelled."))
                return redirect("cycle_detail", cycle.pk)
    subjects = cycle.subjects
    return render(
        request,
        "cycles/cycle_cancel.html",
        {
            "cycle": cycle,
            "reason": request.POST.get("reason", ""),
            "errors": errors,
            "cancellable": cycle.state in _EDITABLE,
            "enrolled": subjects.exclude(step=Step.EXCLUDED).count(),
            "submitted": SelfAssessment.objects.filter(
                subject__cycle=cycle, submitted_at__isnull=False
            ).count(),
        },
        status=status,
    )
