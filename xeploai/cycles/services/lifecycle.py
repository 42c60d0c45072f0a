"""A cycle's states: open → locked → closed, and reopening with a reason."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xeploai.accounts.access import Action, require
from xeploai.audit.services import event_record
from xeploai.cycles.attachments import attachment_check
from xeploai.cycles.models import Cycle, CycleDocument, CycleState, Step
from xeploai.errors import AppError

_ALLOWED = {
    "lock": ({CycleState.OPEN}, CycleState.LOCKED),
    "close": ({CycleState.LOCKED}, CycleState.CLOSED),
    "reopen": ({CycleState.LOCKED, CycleState.CLOSED}, CycleState.OPEN),
}


@transaction.atomic
def cycle_transition(*, actor, cycle: Cycle, to: str, reason: str = "") -> Cycle:
    require(actor, Action.MANAGE_CYCLE, cycle.unit)
    sources, target = _ALLOWED[to]
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state not in sources:
        raise AppError(
            _("A %(state)s cycle cannot be %(action)s.")
            % {"state": cycle.get_state_display().lower(), "action": _ACTION_WORDS[to]}
        )
    if to == "reopen" and not reason.strip():
        raise AppError(_("Reopening a cycle needs its reason."), field="reason")
    if to == "close":
        # Whoever is reviewed must be rated in the same cycle (QĐ 366 Điều 3; R31).
        undecided = cycle.subjects.exclude(step__in=(Step.DECIDED, Step.EXCLUDED)).count()
        if undecided:
            raise AppError(
                _(
                    "%(n)s subject(s) are not decided yet; every reviewed subject must "
                    "be rated before the cycle closes."
                )
                % {"n": undecided}
            )
    before = cycle.state
    cycle.state = target
    cycle.save(update_fields=["state"])
    event_record(
        actor=actor,
        action=f"cycle.{to}",
        target_type="cycle",
        target_id=cycle.pk,
        before={"state": before},
        after={"state": target, "reason": reason},
    )
    return cycle


# Lazy: a module-level string is translated when shown, in the reader's language.
_ACTION_WORDS = {
    "lock": gettext_lazy("locked"),
    "close": gettext_lazy("closed"),
    "reopen": gettext_lazy("reopened"),
}


@transaction.atomic
def cycle_document_add(
    *, actor, cycle: Cycle, title: str, number: str = "", issued_on=None, file=None
) -> CycleDocument:
    """Attach the plan or guidance the cycle runs under (e.g. Kế hoạch 07-KH/ĐU, 18/11/2020)."""
    require(actor, Action.MANAGE_CYCLE, cycle.unit)
    if not title.strip():
        raise AppError(_("Give the document's title."), field="title")
    if file is not None:
        attachment_check(file)
    document = CycleDocument(cycle=cycle, title=title, number=number, issued_on=issued_on)
    if file is not None:
        document.file.save(file.name, file, save=False)
    document.save()
    event_record(
        actor=actor,
        action="cycle.document",
        target_type="cycle",
        target_id=cycle.pk,
        after={"title": title, "number": number, "issued_on": issued_on},
    )
    return document
