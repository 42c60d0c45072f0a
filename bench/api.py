"""Self-assessment submissions per second through the API and through the page, one process,
on SQLite and on PostgreSQL; and the floor: the same writes as plain SQL.

    python bench/api.py [--members 1200] [--n 150] [--no-pg]

A generated province is loaded and its annual cycle opened; the province's organization staff
submits members' self-assessments on their behalf, `n` through
`POST /api/v1/subjects/<id>/self-assessment/submit` (bearer token) and `n` through the subject
page's form (`POST /subjects/<id>/self/`), both through Django's test client (no network).
The floor: `n` other subjects submitted as one plain-SQL transaction each (the subject's step
and version, the self-assessment row, one chained audit event), with no checks at all.

Prints, per database, `BENCH api_submit_per_s`, `BENCH page_submit_per_s`,
`BENCH submit_floor_per_s`, and `BENCH api_to_floor_ratio`, `BENCH page_to_floor_ratio` (how
many times slower than the floor). For information: there is no target.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_DB = "xeploai_bench_api"

WORKER = r"""
import datetime, hashlib, json, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from xeploai.accounts.models import Role, RoleGrant, User
from xeploai.api.services import token_create
from xeploai.audit.models import Event
from xeploai.cycles.facts import subject_sheet
from xeploai.cycles.models import SelfAssessment, Step, Subject
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.org.demo import load_demo
from xeploai.rules import load_regulation

members, n = int(sys.argv[1]), int(sys.argv[2])
call_command("migrate", verbosity=0)
root = load_demo(members=members, seed=5, code_prefix="AP")
cycle = cycle_open(actor=None, unit=root, name="Năm 2026", period_kind="year",
                   period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31))
staff = User.objects.create_user("staff", password="x")
RoleGrant.objects.create(user=staff, role=Role.ORGANIZATION_STAFF, unit=root,
                         valid_from=datetime.date(2020, 1, 1))
secret = token_create(actor=None, user=staff, name="bench")[1]
regulation = load_regulation(cycle.regulation)
subjects = list(Subject.objects.filter(cycle=cycle, member__isnull=False, position=None,
                                       step=Step.ENROLLED).select_related("cycle", "unit", "member")
                .order_by("pk")[: 3 * n])
assert len(subjects) == 3 * n, len(subjects)


def scores(subject):
    sheet = subject_sheet(subject, regulation)
    out = {}
    for group in sheet.groups:
        item = group.items[0]
        top = item.weight if item.weight is not None else group.max_points
        out[item.code] = int(min(top, group.max_points) * 8 // 10)
    return out


tasks = {"total": 10, "completed": 10, "on_time": 10, "late": 0, "exceeding": 2}
prepared = [(s, scores(s)) for s in subjects]
api, page, plain = prepared[:n], prepared[n : 2 * n], prepared[2 * n :]
client = Client()
auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
def timed(pairs, send):
    send(*pairs[0])  # the first request of each kind warms its code paths; it is not timed
    started = time.perf_counter()
    for pair in pairs[1:]:
        send(*pair)
    return (len(pairs) - 1) / (time.perf_counter() - started)


def send_api(subject, points):
    body = {"version": subject.version, "scores": points, "tasks": tasks,
            "texts": {"strengths": "Hoàn thành nhiệm vụ"}, "proposed_level": "good"}
    response = client.post(f"/api/v1/subjects/{subject.pk}/self-assessment/submit",
                           json.dumps(body), content_type="application/json", **auth)
    assert response.status_code == 200, response.content[:500]


api_rate = timed(api, send_api)
page_client = Client()
page_client.force_login(staff)


def send_page(subject, points):
    form = {"version": subject.version, "submit": "1", "proposed_level": "good",
            "strengths": "Hoàn thành nhiệm vụ",
            **{f"score_{k}": v for k, v in points.items()},
            **{f"tasks_{k}": v for k, v in tasks.items()}}
    response = page_client.post(f"/subjects/{subject.pk}/self/", form)
    assert response.status_code == 302, response.content[:500]


page_rate = timed(page, send_page)

table = SelfAssessment._meta.db_table
subject_table = Subject._meta.db_table
event_table = Event._meta.db_table
started = time.perf_counter()
for subject, points in plain:
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {subject_table} SET step = %s, self_level = %s,"
                       " version = version + 1 WHERE id = %s",
                       ["self_submitted", "good", subject.pk])
        cursor.execute(
            f"INSERT INTO {table} (subject_id, scores, tasks_total, tasks_completed, tasks_on_time,"
            " tasks_late, tasks_exceeding, strengths, shortcomings, causes, prompt_answers,"
            " direction, proposed_level, entered_by_id, on_behalf, submitted_at)"
            " VALUES (%s, %s, 10, 10, 10, 0, 2, %s, '', '', '', '', 'good', %s, %s, %s)",
            [subject.pk, json.dumps(points), "Hoàn thành nhiệm vụ", staff.pk, True, now])
        cursor.execute(f"SELECT hash FROM {event_table} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        prev = row[0] if row else ""
        digest = hashlib.sha256((prev + str(subject.pk) + json.dumps(points)).encode()).hexdigest()
        cursor.execute(
            f"INSERT INTO {event_table} (at, actor_id, action, target_type, target_id, before,"
            " after, prev_hash, hash) VALUES (%s, %s, 'assessment.submit', 'subject', %s, NULL,"
            " %s, %s, %s)", [now, staff.pk, subject.pk, json.dumps(points), prev, digest])
floor_took = time.perf_counter() - started
done = Subject.objects.filter(pk__in=[s.pk for s, _ in api + page],
                              step=Step.SELF_SUBMITTED).count()
assert done == 2 * n, done
print(json.dumps({"api": api_rate, "page": page_rate, "floor": n / floor_took}))
"""


def run(label: str, database_url: str, members: int, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "xeploai.settings",
            "XEPLOAI_DATA_DIR": tmp,
            "DATABASE_URL": database_url,
            "XEPLOAI_DEBUG": "false",
            "XEPLOAI_ALLOWED_HOSTS": "testserver",
        }
        out = subprocess.run(
            [sys.executable, "-c", WORKER, str(members), str(n)],
            env=env,
            capture_output=True,
            text=True,
        )
    if out.returncode != 0:
        sys.exit(out.stderr[-3000:])
    rates = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"BENCH api_submit_per_s {rates['api']:.1f} submissions/s ({label})")
    print(f"BENCH page_submit_per_s {rates['page']:.1f} submissions/s ({label})")
    print(f"BENCH submit_floor_per_s {rates['floor']:.1f} submissions/s ({label})")
    print(f"BENCH api_to_floor_ratio {rates['floor'] / rates['api']:.1f} x ({label})")
    print(f"BENCH page_to_floor_ratio {rates['floor'] / rates['page']:.1f} x ({label})")


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER + "postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1200)
    parser.add_argument("--n", type=int, default=150)
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    run("sqlite", "", args.members, args.n)
    if args.no_pg:
        return
    _pg(f"DROP DATABASE IF EXISTS {PG_DB}")
    _pg(f"CREATE DATABASE {PG_DB}")
    try:
        run("postgresql", PG_SERVER + PG_DB, args.members, args.n)
    finally:
        _pg(f"DROP DATABASE IF EXISTS {PG_DB}")


if __name__ == "__main__":
    main()
