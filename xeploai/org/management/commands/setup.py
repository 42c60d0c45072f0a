import getpass
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xeploai.errors import AppError
from xeploai.org.models import OrgType, UnitKind
from xeploai.org.setup import already_set_up, first_run

PASSWORD_ENV = "XEPLOAI_ADMIN_PASSWORD"


def _choices(enum) -> str:
    return "; ".join(f"{value} = {label}" for value, label in enum.choices)


class Command(BaseCommand):
    help = (
        "First run: create the top unit and the first administrator on an empty database. "
        "Asks for what is not given; the password comes from a prompt, "
        f"--admin-password-file or ${PASSWORD_ENV}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit-code")
        parser.add_argument("--unit-name")
        parser.add_argument(
            "--unit-kind",
            choices=UnitKind.values,
            help=f"default provincial_committee ({_choices(UnitKind)})",
        )
        parser.add_argument(
            "--org-type", choices=OrgType.values, help=f"default other ({_choices(OrgType)})"
        )
        parser.add_argument("--admin-username")
        parser.add_argument("--admin-email")
        parser.add_argument("--admin-password-file")
        parser.add_argument("--no-input", action="store_true", help="never prompt")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def _ask(self, opts, key: str, prompt: str, default: str | None = None, enum=None) -> str:
        if opts.get(key):
            return opts[key]
        if opts["no_input"] or not sys.stdin.isatty():
            if default is not None:
                return default
            raise CommandError(_("Missing --%(flag)s.") % {"flag": key.replace("_", "-")})
        for value, label in enum.choices if enum else ():
            self.stdout.write(f"  {value:<28} {label}")
        suffix = f" [{default}]" if default else ""
        answer = input(f"{prompt}{suffix}: ").strip()
        return answer or (default or "")

    def _password(self, opts) -> str:
        if opts["admin_password_file"]:
            path = Path(opts["admin_password_file"])
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            return path.read_text(encoding="utf-8").strip("\r\n")
        if os.environ.get(PASSWORD_ENV):
            return os.environ[PASSWORD_ENV]
        if opts["no_input"] or not sys.stdin.isatty():
            raise CommandError(
                _("Give the password with --admin-password-file or %(env)s.")
                % {"env": PASSWORD_ENV}
            )
        first = getpass.getpass(_("Administrator's password: "))
        if getpass.getpass(_("The password again: ")) != first:
            raise CommandError(_("The two passwords differ."))
        return first

    def handle(self, *args, **opts):
        translation.activate(opts["lang"])
        reason = already_set_up()
        if reason:
            raise CommandError(reason + " " + _("Setup runs only on an empty database."))
        values = {
            "unit_code": self._ask(opts, "unit_code", _("Code of the top unit")),
            "unit_name": self._ask(opts, "unit_name", _("Name of the top unit")),
            "unit_kind": self._ask(
                opts, "unit_kind", _("Kind"), UnitKind.PROVINCIAL_COMMITTEE, UnitKind
            ),
            "org_type": self._ask(opts, "org_type", _("Organization type"), OrgType.OTHER, OrgType),
            "username": self._ask(opts, "admin_username", _("Administrator's user name")),
            "email": self._ask(opts, "admin_email", _("Administrator's e-mail")),
        }
        password = self._password(opts)
        try:
            unit, user = first_run(**values, password=password, on=timezone.localdate())
        except AppError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            _("Created the top unit %(code)s %(name)s and its administrator %(user)s.")
            % {"code": unit.code, "name": unit.name, "user": user.username}
        )
