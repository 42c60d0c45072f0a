"""`xeploai grant USER ROLE UNIT --from dd/mm/yyyy [--to …] [--acting-for USER]`, and
`xeploai grant --end GRANT_ID --on dd/mm/yyyy`: role grants from a script, as the system."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from xeploai.accounts.models import Role, RoleGrant, User
from xeploai.accounts.services import role_grant, role_grant_end
from xeploai.errors import AppError
from xeploai.org.dates import parse_date
from xeploai.org.models import Unit


def day(text: str) -> datetime.date:
    parsed = parse_date(text)
    if parsed is None:
        raise CommandError(f"{text!r} is not a date dd/mm/yyyy")
    return parsed


def unit_named(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"No unit with code {code!r}")
    return unit


def user_named(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No account with login name {username!r}")
    return user


class Command(BaseCommand):
    help = "Grant a role over a unit's subtree for dates (or end a grant with --end)."

    def add_arguments(self, parser):
        parser.add_argument("user", nargs="?")
        parser.add_argument("role", nargs="?", choices=Role.values)
        parser.add_argument("unit", nargs="?", help="unit code")
        parser.add_argument("--from", dest="valid_from", help="dd/mm/yyyy")
        parser.add_argument("--to", dest="valid_to", help="dd/mm/yyyy (inclusive)")
        parser.add_argument("--acting-for", help="login name of the holder acted for")
        parser.add_argument("--end", type=int, help="id of a grant to end")
        parser.add_argument("--on", help="the grant's last day, dd/mm/yyyy")
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])

    def handle(self, *args, **o):
        with translation.override(o["lang"]):
            try:
                if o["end"] is not None:
                    self._end(o)
                else:
                    self._grant(o)
            except AppError as error:
                raise CommandError(error.message) from None

    def _end(self, o):
        grant = RoleGrant.objects.select_related("unit").filter(pk=o["end"]).first()
        if grant is None:
            raise CommandError(f"No grant {o['end']}")
        if not o["on"]:
            raise CommandError("--on dd/mm/yyyy is required with --end")
        role_grant_end(actor=None, grant=grant, on=day(o["on"]))
        self.stdout.write(f"grant {grant.pk} ends on {o['on']}")

    def _grant(self, o):
        if not (o["user"] and o["role"] and o["unit"] and o["valid_from"]):
            raise CommandError("usage: xeploai grant USER ROLE UNIT --from dd/mm/yyyy [--to …]")
        grant = role_grant(
            actor=None,
            user=user_named(o["user"]),
            role=o["role"],
            unit=unit_named(o["unit"]),
            valid_from=day(o["valid_from"]),
            valid_to=day(o["valid_to"]) if o["valid_to"] else None,
            acting_for=user_named(o["acting_for"]) if o["acting_for"] else None,
        )
        self.stdout.write(f"grant {grant.pk}")
