"""`xeploai cycle open|status|lock|close|reopen|decide|cancel|deadlines|notices`: a whole cycle
from the command line."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from xeploai.cycles.models import Cycle, Step, Subject
from xeploai.cycles.selectors import notices_for, progress
from xeploai.cycles.services.decisions import DecisionBlocked, PaperRecord, decisions_take
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.cycles.services.housekeeping import cycle_cancel, cycle_deadlines_set
from xeploai.cycles.services.lifecycle import cycle_transition
from xeploai.errors import AppError
from xeploai.org.dates import parse_date
from xeploai.org.models import Unit


def _date(text: str) -> datetime.date:
    parsed = parse_date(text)
    if parsed is None:
        raise CommandError(f"{text!r} is not a date dd/mm/yyyy")
    return parsed


def _deadlines(texts: list[str]) -> list[tuple[str, str, datetime.date]]:
    deadlines = []
    for text in texts:
        try:
            step, kind, day = text.split(":")
        except ValueError:
            raise CommandError(f"--deadline {text!r}: write step:unit_kind:dd/mm/yyyy") from None
        deadlines.append((step, kind, _date(day)))
    return deadlines


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"No unit with code {code!r}")
    return unit


class Command(BaseCommand):
    help = (
        "Run a review cycle: open, status, lock, close, reopen, decide, cancel, deadlines, notices."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("open", help="open a cycle and enrol its subjects")
        p.add_argument("--unit", required=True)
        p.add_argument("--name", required=True)
        p.add_argument(
            "--kind", default="year", choices=["year", "quarter", "month", "term", "ad_hoc"]
        )
        p.add_argument("--start", required=True, help="dd/mm/yyyy")
        p.add_argument("--end", required=True, help="dd/mm/yyyy")
        p.add_argument("--regulation", help="default: the one in force at the period's end")
        p.add_argument(
            "--deadline",
            action="append",
            default=[],
            help="step:unit_kind:dd/mm/yyyy, e.g. self_submitted:subordinate_cell:30/11/2026",
        )
        p.add_argument("--parts", nargs="*", type=int, default=[], help="ids of part cycles")
        p = sub.add_parser("status", help="subjects per step and late ones, per unit")
        p.add_argument("cycle", type=int)
        p.add_argument("--unit", help="code of the unit to look under (default: the cycle's)")
        for name in ("lock", "close", "reopen"):
            p = sub.add_parser(name)
            p.add_argument("cycle", type=int)
            p.add_argument("--reason", default="")
        p = sub.add_parser("cancel", help="cancel a cycle opened by mistake, before any decision")
        p.add_argument("cycle", type=int)
        p.add_argument("--reason", required=True)
        p = sub.add_parser("deadlines", help="show the deadlines, or replace them all")
        p.add_argument("cycle", type=int)
        p.add_argument(
            "--deadline",
            action="append",
            default=[],
            help="step:unit_kind:dd/mm/yyyy (unit_kind may be empty); every one given replaces "
            "the cycle's deadlines",
        )
        p.add_argument("--clear", action="store_true", help="remove every deadline")
        p = sub.add_parser("notices", help="members who joined, moved or left during the cycle")
        p.add_argument("cycle", type=int)
        p = sub.add_parser("decide", help="decide the proposed levels of a deciding unit")
        p.add_argument("cycle", type=int)
        p.add_argument("--unit", required=True, help="code of the deciding unit")
        p.add_argument("--skip-blocked", action="store_true")
        p.add_argument("--paper", help="number,dd/mm/yyyy,signer of the paper decision")

    def handle(self, *args, **opts):
        translation.activate(opts["lang"])
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except DecisionBlocked as exc:
            for block in exc.blocks[:50]:
                self.stderr.write(
                    f"#{block.subject_id} {Subject.objects.get(pk=block.subject_id)}"
                    f" [{block.code}] {block.message}"
                )
            raise CommandError(exc.message) from None
        except AppError as exc:
            raise CommandError(exc.message) from None

    def _cycle(self, pk) -> Cycle:
        cycle = Cycle.objects.filter(pk=pk).first()
        if cycle is None:
            raise CommandError(f"No cycle {pk}")
        return cycle

    def _open(self, opts):
        deadlines = _deadlines(opts["deadline"])
        cycle = cycle_open(
            actor=None,
            unit=_unit(opts["unit"]),
            name=opts["name"],
            period_kind=opts["kind"],
            period_start=_date(opts["start"]),
            period_end=_date(opts["end"]),
            regulation=opts["regulation"],
            deadlines=deadlines,
            parts=list(Cycle.objects.filter(pk__in=opts["parts"])),
        )
        enrolled = cycle.subjects.exclude(step=Step.EXCLUDED).count()
        excluded = cycle.subjects.filter(step=Step.EXCLUDED).count()
        self.stdout.write(
            f"cycle {cycle.pk} {cycle.name} ({cycle.regulation}): "
            f"{enrolled} subjects, {excluded} not reviewed"
        )

    def _status(self, opts):
        cycle = self._cycle(opts["cycle"])
        unit = _unit(opts["unit"]) if opts["unit"] else cycle.unit
        self.stdout.write(f"{cycle.name} [{cycle.state}] {cycle.regulation}")
        steps = [s.value for s in Step]
        self.stdout.write(f"{'unit':<40} " + " ".join(f"{s[:10]:>10}" for s in steps) + "   late")
        for row in progress(cycle, unit, timezone.localdate()):
            counts = " ".join(f"{row.steps.get(s, 0):>10}" for s in steps)
            self.stdout.write(f"{row.unit.name[:40]:<40} {counts} {row.late:>6}")

    def _lock(self, opts):
        self._move(opts, "lock")

    def _close(self, opts):
        self._move(opts, "close")

    def _reopen(self, opts):
        self._move(opts, "reopen")

    def _move(self, opts, to):
        cycle = cycle_transition(
            actor=None, cycle=self._cycle(opts["cycle"]), to=to, reason=opts["reason"]
        )
        self.stdout.write(f"cycle {cycle.pk}: {cycle.state}")

    def _decide(self, opts):
        cycle = self._cycle(opts["cycle"])
        unit = _unit(opts["unit"])
        choices = dict(
            Subject.objects.filter(
                cycle=cycle, deciding_unit=unit, step=Step.APPRAISED
            ).values_list("pk", "proposed_level")
        )
        paper = None
        if opts["paper"]:
            number, day, signer = opts["paper"].split(",", 2)
            paper = PaperRecord(number, _date(day), signer)
        result = decisions_take(
            actor=None, cycle=cycle, choices=choices, skip_blocked=opts["skip_blocked"], paper=paper
        )
        self.stdout.write(f"decided {len(result.decided)}, blocked {len(result.blocked)}")

    def _cancel(self, opts):
        cycle = cycle_cancel(actor=None, cycle=self._cycle(opts["cycle"]), reason=opts["reason"])
        self.stdout.write(f"cycle {cycle.pk}: {cycle.get_state_display()}")

    def _deadlines(self, opts):
        cycle = self._cycle(opts["cycle"])
        if opts["deadline"] or opts["clear"]:
            if opts["deadline"] and opts["clear"]:
                raise CommandError("--clear or --deadline, not both")
            cycle_deadlines_set(actor=None, cycle=cycle, deadlines=_deadlines(opts["deadline"]))
        for step, kind, due in cycle.deadlines.order_by("due_on", "unit_kind").values_list(
            "step", "unit_kind", "due_on"
        ):
            self.stdout.write(f"{step}:{kind}:{due:%d/%m/%Y}")

    def _notices(self, opts):
        cycle = self._cycle(opts["cycle"])
        for notice in notices_for(cycle, limit=None):
            self.stdout.write(
                f"{notice.on:%d/%m/%Y} {notice.member.full_name}: {notice.get_kind_display()}"
                f" ({notice.from_unit.name if notice.from_unit else '—'}"
                f" → {notice.to_unit.name if notice.to_unit else '—'})"
            )
