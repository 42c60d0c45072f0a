from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from xeploai.org.management.commands.import_tree import top_or_named
from xeploai.org.treeio.export import tree_export, tree_template


class Command(BaseCommand):
    help = "Write the unit tree (or, with --template, the empty import template) as .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--under", help="code of the unit whose subtree is written")
        parser.add_argument("--template", action="store_true")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, **opts):
        translation.activate(opts["lang"])
        data = tree_template() if opts["template"] else tree_export(top_or_named(opts["under"]))
        Path(opts["output"]).write_bytes(data)
        self.stdout.write(opts["output"])
