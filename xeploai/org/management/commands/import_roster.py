import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from xeploai.limits import roster_limits
from xeploai.org.models import Unit
from xeploai.org.progress import ProgressBar, grouped
from xeploai.org.roster.importer import roster_import
from xeploai.org.roster.reader import too_large
from xeploai.org.roster.result import problem_lines


class Command(BaseCommand):
    help = "Import a roster (.xlsx or .csv) into a unit's subtree. All rows or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit", required=True, help="code of the unit the roster belongs to")
        parser.add_argument("--as-of", help="date of the changes (dd/mm/yyyy); default today")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        translation.activate(opts["lang"])
        root = Unit.objects.filter(code=opts["unit"]).first()
        if root is None:
            raise CommandError(f"No unit with code {opts['unit']!r}")
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        limits = roster_limits()
        if path.stat().st_size > limits.upload_bytes:  # refused before it is read into memory
            raise CommandError(str(too_large(path.name, path.stat().st_size, limits)))
        as_of = timezone.localdate()
        if opts["as_of"]:
            as_of = datetime.datetime.strptime(opts["as_of"], "%d/%m/%Y").date()
        progress = None if opts["no_progress"] else ProgressBar(self.stderr._out)
        result = roster_import(
            actor=None,
            root=root,
            filename=path.name,
            data=path.read_bytes(),
            as_of=as_of,
            progress=progress,
        )
        if not result.ok:
            for line in problem_lines(result.problems):
                self.stderr.write(line)
            raise CommandError(f"{grouped(len(result.problems))} problem(s); nothing was imported.")
        self.stdout.write(result.summary())
