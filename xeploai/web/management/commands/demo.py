import datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import F

from xeploai.accounts.models import Role, User
from xeploai.accounts.services import role_grant, user_create
from xeploai.cycles.models import Cycle, Step, Subject
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.org.demo import REFERENCE_DATE, load_demo
from xeploai.org.models import OrgType, PositionKind, Unit
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

    def _season(self, root: Unit) -> Cycle:
        """The demo's annual cycle, open, so that every login has something to do."""
        cycle = Cycle.objects.filter(unit=root, period_kind="year").order_by("-pk").first()
        if cycle is None:
            cycle = cycle_open(
                actor=None,
                unit=root,
                name=f"Năm {REFERENCE_DATE.year}",
                period_kind="year",
                period_start=datetime.date(REFERENCE_DATE.year, 1, 1),
                period_end=datetime.date(REFERENCE_DATE.year, 12, 31),
            )
        return cycle

    def _users(self, root: Unit):
        since = datetime.date(2025, 7, 1)
        cycle = self._season(root)
        commune = (
            Unit.objects.filter(parent=root, org_type__in=[OrgType.COMMUNE, OrgType.WARD])
            .order_by("code")
            .first()
        )
        # Her own self-review, not yet started: the secretary is an active member of her cell,
        # enrolled and reviewed this year (not exempt, not suspended, not newly admitted).
        own = Subject.objects.filter(
            cycle=cycle,
            member__isnull=False,
            step=Step.ENROLLED,
            member__left_on__isnull=True,
        )
        mine = (
            own.filter(
                member__positions__kind=PositionKind.CELL_SECRETARY,
                member__positions__valid_to__isnull=True,
                member__positions__unit=F("member__cell"),
                member__cell__path__startswith=commune.path,
            )
            .select_related("member__cell")
            .order_by("member__sex", "member__cell__code", "member_id")  # "female" first
            .first()
        )
        secretary = mine.member if mine else None
        cell = secretary.cell if secretary else None
        plain_subject = (
            own.filter(member__cell=cell, member__positions__isnull=True)
            .select_related("member")
            .order_by("member_id")
            .first()
        )
        plain = plain_subject.member if plain_subject else None
        plan = [
            ("admin", Role.ADMINISTRATOR, root, None),
            ("canbo", Role.ORGANIZATION_STAFF, root, None),
            ("capuy", Role.COMMITTEE, commune, None),
            ("bithu", Role.CELL_SECRETARY, cell, secretary),
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
