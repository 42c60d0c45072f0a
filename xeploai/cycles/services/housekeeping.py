"""Putting right a cycle after it is open: cancelling one opened by mistake, moving deadlines."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, require
from xeploai.audit.services import event_record
from xeploai.cycles.models import (
    Cycle,
    CycleState,
    Deadline,
    Decision,
    SelfAssessment,
    Step,
    Subject,
    SubjectLink,
)
from xeploai.cycles.periods import deadlines_check
from xeploai.errors import AppError


@transaction.atomic
def cycle_cancel(*, actor, cycle: Cycle, reason: str) -> Cycle:
    """Cancel a cycle opened by mistake, before anything in it is decided.

    Its subjects are removed, so they leave every list (home, boards, statistics, roll-ups);
    the cycle stays, cancelled, with its reason, and the audit keeps what was removed.
    """
    require(actor, Action.MANAGE_CYCLE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not reason.strip():
        raise AppError(_("Cancelling a cycle needs its reason."), field="reason")
    if cycle.state not in (CycleState.OPEN, CycleState.LOCKED):
        raise AppError(
            _("A %(state)s cycle cannot be cancelled.")
            % {"state": cycle.get_state_display().lower()},
            field="reason",
        )
    subjects = Subject.objects.filter(cycle=cycle)
    decided = (
        subjects.filter(step=Step.DECIDED).exists()
        or Decision.objects.filter(subject__cycle=cycle).exists()
    )
    if decided:
        raise AppError(
            _("Subjects of this cycle are already decided: it can no longer be cancelled."),
            field="reason",
        )
    removed = {
        "subjects": subjects.exclude(step=Step.EXCLUDED).count(),
        "excluded": subjects.filter(step=Step.EXCLUDED).count(),
        "self_assessments_submitted": SelfAssessment.objects.filter(
            subject__cycle=cycle, submitted_at__isnull=False
        ).count(),
    }
    SubjectLink.objects.filter(cycle=cycle).delete()
    subjects.delete()
    cycle.parts.clear()
    cycle.wholes.clear()
    before = cycle.state
    cycle.state = CycleState.CANCELLED
    cycle.cancel_reason = reason.strip()
    cycle.cancelled_at = timezone.now()
    cycle.save(update_fields=["state", "cancel_reason", "cancelled_at"])
    event_record(
        actor=actor,
        action="cycle.cancel",
        target_type="cycle",
        target_id=cycle.pk,
        before={"state": before, **removed},
        after={"state": cycle.state, "reason": cycle.cancel_reason},
    )
    return cycle


@transaction.atomic
def cycle_deadlines_set(
    *, actor, cycle: Cycle, deadlines: list[tuple[str, str, datetime.date]]
) -> Cycle:
    """Replace the cycle's deadlines; the same rules as at opening (inside the season, in
    step order)."""
    require(actor, Action.MANAGE_CYCLE, cycle.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state not in (CycleState.OPEN, CycleState.LOCKED):
        raise AppError(
            _("The deadlines of a %(state)s cycle cannot be changed.")
            % {"state": cycle.get_state_display().lower()},
            field="deadline",
        )
    deadlines_check(
        deadlines=deadlines,
        start=cycle.period_start,
        end=cycle.period_end,
        regulation=cycle.regulation,
    )
    before = sorted(
        (step, kind, due.isoformat())
        for step, kind, due in cycle.deadlines.values_list("step", "unit_kind", "due_on")
    )
    cycle.deadlines.all().delete()
    Deadline.objects.bulk_create(
        [
            Deadline(cycle=cycle, step=step, unit_kind=kind, due_on=due)
            for step, kind, due in deadlines
        ]
    )
    event_record(
        actor=actor,
        action="cycle.deadlines",
        target_type="cycle",
        target_id=cycle.pk,
        before={"deadlines": before},
        after={"deadlines": sorted((s, k, d.isoformat()) for s, k, d in deadlines)},
    )
    return cycle
