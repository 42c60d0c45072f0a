from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from xeploai.cycles.models import Cycle
from xeploai.org.models import Unit
from xeploai.org.progress import ProgressBar
from xeploai.org.tree import is_within
from xeploai.reports.docx import render_docx
from xeploai.reports.pdf import render_pdf
from xeploai.reports.statistics import statistics_document
from xeploai.reports.xlsx import statistics_workbook

FORMATS = ("xlsx", "docx", "pdf")
LANGUAGES = ("vi", "en")


class Command(BaseCommand):
    help = (
        "Write a cycle's statistics for a unit and its children as a workbook (xlsx: with the "
        "list of subjects) or as a report (docx, pdf: with the levels chart)."
    )

    def add_arguments(self, parser):
        parser.add_argument("cycle", help="the cycle's number")
        parser.add_argument("--unit", required=True, help="code of the unit")
        parser.add_argument(
            "--format", default="", help="xlsx, docx or pdf (default: the output file's extension)"
        )
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--lang", default="vi", help="vi or en")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        # The arguments are checked here rather than by argparse, so that the messages are
        # in the user's language (Vietnamese unless --lang en).
        lang = opts["lang"] if opts["lang"] in LANGUAGES else "vi"
        translation.activate(lang)
        if opts["lang"] not in LANGUAGES:
            raise CommandError(_("Unknown language “%(lang)s”: use vi or en.") % opts)
        extension = Path(opts["output"]).suffix.lower().lstrip(".")
        fmt = opts["format"].lower() or extension
        if fmt not in FORMATS:
            raise CommandError(
                _("Unknown format “%(format)s”: use xlsx, docx or pdf.") % {"format": fmt}
            )
        if extension != fmt:
            raise CommandError(
                _("The file %(output)s does not end in .%(format)s: name it for its format.")
                % {"output": opts["output"], "format": fmt}
            )
        if Cycle._meta.db_table not in connection.introspection.table_names():
            where = connection.settings_dict["NAME"]
            raise CommandError(
                _(
                    "No xeploai database at %(where)s: run the command in the folder that holds "
                    "var/, or set XEPLOAI_DATA_DIR or DATABASE_URL."
                )
                % {"where": where}
            )
        cycle = (
            Cycle.objects.select_related("unit").filter(pk=opts["cycle"]).first()
            if opts["cycle"].isdigit()
            else None
        )
        if cycle is None:
            raise CommandError(_("No cycle number “%(cycle)s”.") % opts)
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if unit is None:
            raise CommandError(_("No unit with code “%(unit)s”.") % opts)
        if not (is_within(unit.path, cycle.unit.path) or is_within(cycle.unit.path, unit.path)):
            raise CommandError(
                _("The unit %(unit)s is outside the cycle “%(cycle)s”.")
                % {"unit": unit.name, "cycle": cycle.name}
            )
        output = Path(opts["output"])
        if not output.parent.is_dir():
            raise CommandError(_("No such folder: %(folder)s") % {"folder": output.parent})
        progress = None if opts["no_progress"] else ProgressBar(self.stderr._out)
        if fmt == "xlsx":
            data = statistics_workbook(cycle, unit, progress=progress)
        else:
            document = statistics_document(cycle, unit, progress=progress)
            if progress:
                progress(_("Writing the file"), 0, 1)
            data = render_docx(document) if fmt == "docx" else render_pdf(document)
            if progress:
                progress(_("Writing the file"), 1, 1)
        output.write_bytes(data)
        self.stdout.write(str(output))
