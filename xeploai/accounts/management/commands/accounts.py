"""`xeploai accounts create-for-unit|create-staff|deactivate|holders`: accounts from a script.

Run with shell access to the server, as the system (no acting user): the audit records no actor.
"""

import getpass
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from xeploai.accounts.activation import VALID_DAYS, accounts_create_for_unit
from xeploai.accounts.management.commands.grant import day, unit_named, user_named
from xeploai.accounts.models import Role, RoleGrant
from xeploai.accounts.services import staff_create, user_deactivate
from xeploai.accounts.sheets import codes_document, codes_workbook
from xeploai.errors import AppError
from xeploai.org.tree import subtree_q


class Command(BaseCommand):
    help = "Accounts: members' accounts and code sheets, staff accounts, deactivation, holders."

    def add_arguments(self, parser):
        parser.add_argument("--lang", default="vi", choices=["vi", "en"])
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser(
            "create-for-unit",
            help="accounts for the unit's members without one, fresh codes for those not "
            "activated, the sheet of codes written to --out (.xlsx or .pdf)",
        )
        p.add_argument("unit", help="unit code")
        p.add_argument("--out", required=True, help="file to write: codes.xlsx or codes.pdf")
        p.add_argument("--cell-only", action="store_true", help="not the units under it")
        p.add_argument("--activate-url", default="/activate/", help="the activation page's address")
        p = sub.add_parser("create-staff", help="a staff account and its first grant")
        p.add_argument("username")
        p.add_argument("--name", required=True)
        p.add_argument("--email", default="")
        p.add_argument("--role", required=True, choices=Role.values)
        p.add_argument("--unit", required=True)
        p.add_argument("--from", dest="valid_from", required=True, help="dd/mm/yyyy")
        p.add_argument("--to", dest="valid_to", help="dd/mm/yyyy")
        p.add_argument(
            "--password-env",
            help="read the password from this environment variable (default: ask)",
        )
        p = sub.add_parser("deactivate", help="the account can no longer log in")
        p.add_argument("username")
        p = sub.add_parser("holders", help="who holds what under a unit, today")
        p.add_argument("unit")

    def handle(self, *args, **options):
        with translation.override(options["lang"]):
            try:
                getattr(self, "do_" + options["action"].replace("-", "_"))(options)
            except AppError as error:
                raise CommandError(error.message) from None

    def do_create_for_unit(self, options):
        unit = unit_named(options["unit"])
        out = Path(options["out"])
        if out.suffix not in (".xlsx", ".pdf"):
            raise CommandError("--out must end in .xlsx or .pdf")
        issued = accounts_create_for_unit(actor=None, unit=unit, subtree=not options["cell_only"])
        expires = timezone.localdate() + timezone.timedelta(days=VALID_DAYS)
        url = options["activate_url"]
        if out.suffix == ".xlsx":
            out.write_bytes(codes_workbook(unit, issued, url, expires))
        else:
            from xeploai.reports.pdf import render_pdf

            out.write_bytes(render_pdf(codes_document(unit, issued, url, expires)))
        self.stdout.write(f"{len(issued)} codes -> {out}")

    def do_create_staff(self, options):
        unit = unit_named(options["unit"])
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
        else:
            password = getpass.getpass("Password: ")
        user = staff_create(
            actor=None,
            username=options["username"],
            password=password,
            full_name=options["name"],
            email=options["email"],
            role=options["role"],
            unit=unit,
            valid_from=day(options["valid_from"]),
            valid_to=day(options["valid_to"]) if options["valid_to"] else None,
        )
        self.stdout.write(f"created {user.username}")

    def do_deactivate(self, options):
        user = user_deactivate(actor=None, user=user_named(options["username"]))
        self.stdout.write(f"deactivated {user.username}")

    def do_holders(self, options):
        unit = unit_named(options["unit"])
        today = timezone.localdate()
        grants = (
            RoleGrant.objects.filter(subtree_q(unit.path, "unit__path"), valid_from__lte=today)
            .exclude(valid_to__lt=today)
            .select_related("user", "unit", "acting_for")
            .order_by("unit__path", "role", "pk")
        )
        for g in grants:
            acting = f" (acting for {g.acting_for.username})" if g.acting_for_id else ""
            to = g.valid_to.strftime("%d/%m/%Y") if g.valid_to else "-"
            self.stdout.write(
                f"{g.pk}\t{g.unit.code}\t{g.role}\t{g.user.username}{acting}\t"
                f"{g.valid_from:%d/%m/%Y}\t{to}"
            )
