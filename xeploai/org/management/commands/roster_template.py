from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from xeploai.org.roster.template import roster_template


class Command(BaseCommand):
    help = "Write the roster import template (.xlsx) with a sheet explaining every column."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", default="mau-danh-sach-dang-vien.xlsx")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, **opts):
        translation.activate(opts["lang"])
        Path(opts["output"]).write_bytes(roster_template())
        self.stdout.write(opts["output"])
