from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from xeploai.cycles.models import Cycle
from xeploai.org.models import Unit
from xeploai.reports.xlsx import statistics_workbook


class Command(BaseCommand):
    help = "Write a cycle's statistics for a unit and its children (xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("cycle", type=int)
        parser.add_argument("--unit", required=True)
        parser.add_argument("--format", default="xlsx", choices=["xlsx"])
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, **opts):
        translation.activate(opts["lang"])
        cycle = Cycle.objects.filter(pk=opts["cycle"]).first()
        unit = Unit.objects.filter(code=opts["unit"]).first()
        if cycle is None or unit is None:
            raise CommandError("No such cycle or unit")
        Path(opts["output"]).write_bytes(statistics_workbook(cycle, unit))
        self.stdout.write(opts["output"])
