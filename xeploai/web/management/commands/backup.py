from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from xeploai.backup import database_backup
from xeploai.errors import AppError


class Command(BaseCommand):
    help = (
        "Copy the SQLite database into FILE while the server runs (SQLite's online backup). "
        "On PostgreSQL, names the pg_dump command to use instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to write")
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
        parser.add_argument("--lang", default="vi", help="vi or en")

    def handle(self, *args, **opts):
        translation.activate("en" if opts["lang"] == "en" else "vi")
        target = Path(opts["file"])
        try:
            database_backup(target, overwrite=opts["force"])
        except AppError as error:
            raise CommandError(error.message) from None
        self.stdout.write(_("Backed up to %(file)s.") % {"file": target})
