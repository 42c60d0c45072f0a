"""Server time of every page on a ward of about 1,000 members, in the middle of a season.

    python bench/pages.py [--members 2300]

A generated province of 2,300 members has one ward of about 1,000; a G366 cycle is opened and
steps 1 and 2 filled in directly. Each page is asked 7 times through Django's test client (no
network) and the median printed as `BENCH page_<name>_ms <value> ms` (target ≤ 300 ms).
"""

import argparse
import os
import subprocess
import sys
import tempfile

WORKER = r"""
import datetime, json, statistics, sys, time
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from xeploai.accounts.models import Role, RoleGrant, User
from xeploai.cycles.models import Appraisal, Step, Subject
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.org.bulk import insert_rows
from xeploai.org.demo import load_demo
from xeploai.org.models import Member, OrgType, Unit

call_command("migrate", verbosity=0)
root = load_demo(members=int(sys.argv[1]), seed=3, code_prefix="PG", commune_size=1700)
ward = max(Unit.objects.filter(parent=root, org_type__in=[OrgType.WARD, OrgType.COMMUNE]),
           key=lambda u: Member.objects.filter(cell__path__startswith=u.path).count())
members = Member.objects.filter(cell__path__startswith=ward.path).count()
cycle = cycle_open(actor=None, unit=root, name="Năm 2026", period_kind="year",
                   period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31))
now = datetime.datetime.now(datetime.timezone.utc)
ids = list(Subject.objects.filter(cycle=cycle).exclude(step=Step.EXCLUDED)
           .values_list("id", flat=True))
insert_rows(Appraisal, ("subject", "votes", "proposed_level", "reason", "verdict", "appraised_at",
                        "political_task_grade", "other_criteria_grade", "state_rating"),
            ((pk, "{}", "good", "", json.dumps({"level": "good"}), now, "", "", "") for pk in ids))
Subject.objects.filter(pk__in=ids).update(step=Step.APPRAISED, proposed_level="good",
                                          self_level="good")
committee = User.objects.create_user("bench", password="x")
RoleGrant.objects.create(user=committee, role=Role.COMMITTEE, unit=ward,
                         valid_from=datetime.date(2020, 1, 1))
staff = User.objects.create_user("staff", password="x", is_superuser=True)
client = Client()
client.force_login(committee)
cell = Unit.objects.filter(parent=ward, kind="subordinate_cell").first()
member = Member.objects.filter(cell=cell).first()
subject = Subject.objects.filter(cycle=cycle, member=member, position=None).first()
pages = {
    "home": "/", "unit_ward": f"/units/{ward.pk}/", "unit_cell": f"/units/{cell.pk}/",
    "members_search": "/members/?q=nguyen", "member": f"/members/{member.pk}/",
    "cycles": "/cycles/", "cycle_ward": f"/cycles/{cycle.pk}/?unit={ward.pk}",
    "cell_subjects": f"/cycles/{cycle.pk}/units/{cell.pk}/",
    "subject": f"/subjects/{subject.pk}/", "board_ward": f"/cycles/{cycle.pk}/board/{ward.pk}/",
    "years_ward": f"/cycles/{cycle.pk}/years/{ward.pk}/",
}
out = {"members": members,
       "board_subjects": Subject.objects.filter(cycle=cycle, deciding_unit=ward).count()}
for name, url in pages.items():
    times = []
    for _ in range(7):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    out[name] = statistics.median(times) * 1000
# The several-years page once everything is decided Excellent: every member is listed.
Subject.objects.filter(pk__in=ids).update(step=Step.DECIDED, decided_level="excellent")
times = []
for _ in range(7):
    started = time.perf_counter()
    assert client.get(f"/cycles/{cycle.pk}/years/{ward.pk}/").status_code == 200
    times.append(time.perf_counter() - started)
out["years_ward_all_excellent"] = statistics.median(times) * 1000
client.force_login(staff)
started = time.perf_counter()
client.get(f"/units/{ward.pk}/import/")
out["roster_import"] = (time.perf_counter() - started) * 1000
print(json.dumps(out))
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "xeploai.settings",
            "XEPLOAI_DATA_DIR": tmp,
            "DATABASE_URL": "",
            "XEPLOAI_DEBUG": "false",
            "XEPLOAI_ALLOWED_HOSTS": "testserver",
        }
        out = subprocess.run(
            [sys.executable, "-c", WORKER, str(args.members)],
            env=env,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            sys.exit(out.stderr[-3000:])
        import json

        figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"BENCH ward_members {figures.pop('members')} members")
    print(f"BENCH board_ward_subjects {figures.pop('board_subjects')} subjects")
    for name, value in figures.items():
        print(f"BENCH page_{name}_ms {value:.0f} ms")


if __name__ == "__main__":
    main()
