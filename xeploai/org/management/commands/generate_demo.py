import time

from django.core.management.base import BaseCommand, CommandError

from xeploai.org.demo import load_demo
from xeploai.org.models import Unit
from xeploai.org.progress import ProgressBar


class Command(BaseCommand):
    help = "Generate a synthetic province (tree, roster, history), deterministic for a seed."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--code", default="BS", help="code of the province unit")

    def handle(self, *args, **opts):
        if Unit.objects.filter(code=opts["code"]).exists():
            raise CommandError(f"A unit with code {opts['code']} already exists.")
        started = time.monotonic()
        root = load_demo(
            members=opts["members"],
            seed=opts["seed"],
            code_prefix=opts["code"],
            progress=ProgressBar(self.stderr._out),
        )
        units = Unit.objects.filter(path__startswith=root.path).count()
        self.stdout.write(
            f"{root.name}: {units} units, {opts['members']} members "
            f"in {time.monotonic() - started:.1f} s"
        )
