import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from xeploai.backup import backup_check, database_restore, is_sqlite
from xeploai.errors import AppError


class Command(BaseCommand):
    help = (
        "Replace the SQLite database by a backup made with `xeploai backup`, after checking it. "
        "Stop the server first. On PostgreSQL, names the pg_restore command to use instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to restore")
        parser.add_argument(
            "--force", action="store_true", help="replace the database without asking"
        )
        parser.add_argument("--lang", default="vi", help="vi or en")

    def handle(self, *args, **opts):
        translation.activate("en" if opts["lang"] == "en" else "vi")
        source = Path(opts["file"])
        try:
            if is_sqlite():
                summary = backup_check(source)
                self.stdout.write(
                    _("%(file)s holds %(units)s units, %(members)s members and %(users)s users.")
                    % {
                        "file": source,
                        "units": summary.units,
                        "members": summary.members,
                        "users": summary.users,
                    }
                )
                if not opts["force"]:
                    self._confirm()
            summary = database_restore(source)
        except AppError as error:
            raise CommandError(error.message) from None
        self.stdout.write(_("Restored from %(file)s.") % {"file": source})
        if summary.missing_migrations:
            self.stdout.write(_("The backup is from an older version: run `xeploai migrate` now."))

    def _confirm(self):
        question = _(
            "Everything now in the database will be replaced by the backup. Type yes to go on: "
        )
        if not sys.stdin.isatty():
            raise CommandError(_("Restoring replaces the whole database: add --force to confirm."))
        if input(question).strip().lower() not in ("yes", "có", "co"):
            raise CommandError(_("Nothing was restored."))
