"""`xeploai audit verify`: walk the audit chain and reconcile the subjects' levels with it."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from xeploai.audit.services import audit_verify
from xeploai.cycles.reconcile import subjects_reconcile
from xeploai.reports.party_forms import level_label

SHOWN = 50


def describe(brk) -> str:
    if brk.kind == "link":
        return _(
            "event %(id)s does not follow the event before it (an event was removed or inserted)"
        ) % {"id": brk.event_id}
    if brk.kind == "content":
        return _("event %(id)s was changed after it was written") % {"id": brk.event_id}
    return _("the chain's head does not match the events (events at the end were removed)")


class Command(BaseCommand):
    help = "Verify the audit trail: every break in the chain, and levels that no event recorded."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])
        parser.add_argument("--lang", choices=["vi", "en"], default="vi")

    def handle(self, *args, lang, **options):
        translation.activate(lang)
        result = audit_verify()
        mismatches = subjects_reconcile()
        problems = [describe(b) for b in result.breaks]
        for m in mismatches:
            problems.append(
                _(
                    "subject %(id)s: its %(field)s is “%(stored)s” but the audit trail"
                    " records “%(recorded)s”"
                )
                % {
                    "id": m.subject_id,
                    "field": _("decided level") if m.field == "decided_level" else _("proposal"),
                    "stored": level_label(m.stored) if m.stored else "—",
                    "recorded": level_label(m.recorded) if m.recorded else "—",
                }
            )
        for line in problems[:SHOWN]:
            self.stdout.write(f"- {line}")
        if len(problems) > SHOWN:
            self.stdout.write(_("… and %(n)s more.") % {"n": len(problems) - SHOWN})
        if problems:
            raise CommandError(
                _("The audit trail does not verify: %(n)s problem(s) in %(events)s events.")
                % {"n": len(problems), "events": result.events}
            )
        self.stdout.write(
            _("The audit trail is intact: %(events)s events, every level recorded.")
            % {"events": result.events}
        )
