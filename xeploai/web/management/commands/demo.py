import datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand

from xeploai.accounts.models import Role, User
from xeploai.accounts.services import role_grant, user_create
from xeploai.org.demo import load_demo
from xeploai.org.models import CELL_KINDS, Member, OrgType, Position, PositionKind, Unit
from xeploai.org.progress import ProgressBar

PASSWORD = "xeploai-demo"
CODE = "BS"


class Command(BaseCommand):
    help = "Migrate, load a demo province, create one login per role and start the server."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="set up only")

    def handle(self, *args, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        root = Unit.objects.filter(code=CODE).first()
        if root is None:
            self.stdout.write(f"Loading the demo province ({opts['members']:,} members)…")
            root = load_demo(
                members=opts["members"],
                seed=opts["seed"],
                code_prefix=CODE,
                progress=ProgressBar(self.stderr._out),
            )
        logins = self._users(root)
        self.stdout.write(f"\nDemo logins (password for all: {PASSWORD})")
        for username, role, where in logins:
            self.stdout.write(f"  {username:<10} {role:<20} {where}")
        if not opts["no_serve"]:
            self.stdout.write(f"\nOpen http://{opts['addrport']}/ in a browser.\n")
            call_command("runserver", opts["addrport"], use_reloader=False)

    def _users(self, root: Unit):
        since = datetime.date(2025, 7, 1)
        commune = (
            Unit.objects.filter(parent=root, org_type__in=[OrgType.COMMUNE, OrgType.WARD])
            .order_by("code")
            .first()
        )
        cell = Unit.objects.filter(parent=commune, kind__in=CELL_KINDS).order_by("code").first()
        secretary = (
            Position.objects.filter(unit=cell, kind=PositionKind.CELL_SECRETARY)
            .select_related("member")
            .first()
        )
        plain = Member.objects.filter(cell=cell, positions__isnull=True).order_by("id").first()
        plan = [
            ("admin", Role.ADMINISTRATOR, root, None),
            ("canbo", Role.ORGANIZATION_STAFF, root, None),
            ("capuy", Role.COMMITTEE, commune, None),
            ("bithu", Role.CELL_SECRETARY, cell, secretary.member if secretary else None),
            ("dangvien", Role.MEMBER, cell, plain),
        ]
        logins = []
        for username, role, unit, member in plan:
            if not User.objects.filter(username=username).exists():
                user = user_create(
                    actor=None,
                    username=username,
                    password=PASSWORD,
                    member=member,
                    full_name=member.full_name if member else "",
                )
                role_grant(actor=None, user=user, role=role, unit=unit, valid_from=since)
            who = f" — {member.full_name}" if member else ""
            logins.append((username, Role(role).label, f"{unit.name}{who}"))
        return logins
