from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xeploai.limits import roster_limits
from xeploai.org.models import Unit
from xeploai.org.progress import grouped
from xeploai.org.roster.reader import too_large
from xeploai.org.roster.result import problem_lines
from xeploai.org.treeio.importer import tree_import


def top_or_named(code: str | None) -> Unit:
    if code:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(_("No unit with code %(code)s.") % {"code": code})
        return unit
    tops = list(Unit.objects.filter(parent__isnull=True)[:2])
    if len(tops) != 1:
        raise CommandError(_("Name the unit with --under CODE (run `xeploai setup` first)."))
    return tops[0]


class Command(BaseCommand):
    help = (
        "Import a unit tree (.xlsx or .csv) under a unit (default: the top unit). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--under", help="code of the unit the rows hang under")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, **opts):
        translation.activate(opts["lang"])
        root = top_or_named(opts["under"])
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        limits = roster_limits()
        if path.stat().st_size > limits.upload_bytes:
            raise CommandError(str(too_large(path.name, path.stat().st_size, limits)))
        result = tree_import(
            actor=None,
            root=root,
            filename=path.name,
            data=path.read_bytes(),
            on=timezone.localdate(),
        )
        if not result.ok:
            for line in problem_lines(result.problems):
                self.stderr.write(line)
            raise CommandError(
                _("%(n)s problem(s); nothing was imported.") % {"n": grouped(len(result.problems))}
            )
        self.stdout.write(
            _("%(rows)s rows: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "rows": grouped(result.rows),
                "created": grouped(result.created),
                "updated": grouped(result.updated),
                "unchanged": grouped(result.unchanged),
            }
        )
