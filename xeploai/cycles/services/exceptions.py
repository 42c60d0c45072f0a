"""The competent level's other records beside its decisions: an outstanding unit's cap
exception (R25) and the complaint or denunciation cases that hold a decision until verified."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, may, may_decide, may_decide_at, require_that
from xeploai.audit.services import event_record
from xeploai.cycles.models import CapException, Case, Cycle, Subject
from xeploai.errors import AppError
from xeploai.org.models import Unit


@transaction.atomic
def cap_exception_record(
    *, actor, cycle: Cycle, pool: str, reason: str, document_number: str = ""
) -> CapException:
    """The competent level marks a pool's unit outstanding: the cap becomes 25 % (R25)."""
    unit_id = int(pool.split("/", 1)[0]) if pool.split("/", 1)[0].isdigit() else None
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else cycle.unit
    require_that(may_decide_at(actor, unit))
    if not reason.strip():
        raise AppError(_("Write why the unit is outstanding."), field="reason")
    exception = CapException.objects.create(
        cycle=cycle,
        pool=pool,
        reason=reason,
        document_number=document_number,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    event_record(
        actor=actor,
        action="cap.exception",
        target_type="cycle",
        target_id=cycle.pk,
        after={"pool": pool, "reason": reason},
    )
    return exception


@transaction.atomic
def case_open(*, actor, subject: Subject, kind: str, opened_on, note: str = "") -> Case:
    require_that(may_decide(actor, subject) or may(actor, Action.APPRAISE, subject.unit))
    case = Case.objects.create(subject=subject, kind=kind, opened_on=opened_on, note=note)
    event_record(
        actor=actor,
        action="case.open",
        target_type="subject",
        target_id=subject.pk,
        after={"kind": kind, "note": note},
    )
    return case


@transaction.atomic
def case_close(*, actor, case: Case, closed_on, conclusion: str) -> Case:
    require_that(may_decide(actor, case.subject))
    if not conclusion.strip():
        raise AppError(_("Write the conclusion of the verification."), field="conclusion")
    case.closed_on, case.conclusion = closed_on, conclusion
    case.save(update_fields=["closed_on", "conclusion"])
    event_record(
        actor=actor,
        action="case.close",
        target_type="subject",
        target_id=case.subject_id,
        after={"conclusion": conclusion},
    )
    return case
