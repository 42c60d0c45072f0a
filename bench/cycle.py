"""Review-cycle figures on a generated province (default 200,000 members).

    python bench/cycle.py [--members 200000] [--skip-postgres]

Prints `BENCH <name> <value> <unit>`: enrol_s (opening the cycle), board_ms (calibration board
of the deciding unit nearest 1,000 subjects), decide_all_s (every subject decided through the
services, bottom-up), each with a `_postgres` twin. Steps 1 and 2 are filled in directly (they
are per-person work, not a bulk operation) with 10 % Excellent, 85 % Good, 5 % Complete.
"""

import argparse
import os
import tempfile

from worker import run_worker

WORKER = r"""
import datetime, json, random, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from xeploai.cycles.models import Appraisal, Cycle, Step, Subject
from xeploai.cycles.selectors import board
from xeploai.cycles.services.decisions import decisions_take
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.org.bulk import insert_rows
from xeploai.org.demo import load_demo
from xeploai.org.models import Unit


call_command("migrate", verbosity=0)
members = int(sys.argv[1])
root = load_demo(members=members, seed=7, code_prefix="BENCH")


def analyze():
    # A freshly bulk-loaded PostgreSQL has no statistics until autovacuum runs; a live
    # database has them. Without them the planner picks nested loops over whole tables.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


analyze()
started = time.perf_counter()
cycle = cycle_open(actor=None, unit=root, name="Năm 2026", period_kind="year",
                   period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31))
enrol = time.perf_counter() - started
subjects = Subject.objects.filter(cycle=cycle).exclude(step=Step.EXCLUDED).count()

analyze()
rng = random.Random(1)
rows = list(Subject.objects.filter(cycle=cycle).exclude(step=Step.EXCLUDED)
            .values_list("id", flat=True))
levels = {pk: rng.choices(["excellent", "good", "complete"], [10, 85, 5])[0] for pk in rows}
now = datetime.datetime.now(datetime.timezone.utc)
insert_rows(Appraisal, ("subject", "votes", "proposed_level", "reason", "verdict", "appraised_at",
                        "political_task_grade", "other_criteria_grade", "state_rating"),
            ((pk, "{}", lvl, "", json.dumps({"level": lvl}), now, "", "", "")
             for pk, lvl in levels.items()))
for lvl in ("excellent", "good", "complete"):
    ids = [pk for pk, l in levels.items() if l == lvl]
    for i in range(0, len(ids), 5000):
        Subject.objects.filter(pk__in=ids[i:i + 5000]).update(
            step=Step.APPRAISED, proposed_level=lvl, self_level=lvl)

analyze()
sizes = (Subject.objects.filter(cycle=cycle).exclude(deciding_unit=None)
         .values("deciding_unit").annotate(n=Count("id")))
target = min(sizes, key=lambda r: abs(r["n"] - 1000))
unit = Unit.objects.get(pk=target["deciding_unit"])
board(cycle, unit)
timings = []
for _ in range(5):
    started = time.perf_counter()
    board(cycle, unit)
    timings.append(time.perf_counter() - started)
board_ms = sorted(timings)[2] * 1000

deciders = sorted(Unit.objects.filter(pk__in=[r["deciding_unit"] for r in sizes]),
                  key=lambda u: -u.depth)
started = time.perf_counter()
decided = blocked = 0
for unit in deciders:
    choices = dict(Subject.objects.filter(cycle=cycle, deciding_unit=unit, step=Step.APPRAISED)
                   .values_list("pk", "proposed_level"))
    result = decisions_take(actor=None, cycle=cycle, choices=choices, skip_blocked=True)
    decided += len(result.decided)
    blocked += len(result.blocked)
decide_all = time.perf_counter() - started
print(json.dumps({"enrol": enrol, "subjects": subjects, "board_ms": board_ms,
                  "board_subjects": target["n"], "decide_all": decide_all, "decided": decided,
                  "blocked": blocked}))
"""


def run(members, env):
    return run_worker(WORKER, members, env=env)


def report(figures, suffix):
    print(f"BENCH enrol_s{suffix} {figures['enrol']:.2f} s")
    print(f"BENCH enrolled_subjects{suffix} {figures['subjects']} subjects")
    print(f"BENCH board_ms{suffix} {figures['board_ms']:.0f} ms")
    print(f"BENCH board_subjects{suffix} {figures['board_subjects']} subjects")
    print(f"BENCH decide_all_s{suffix} {figures['decide_all']:.1f} s")
    print(f"BENCH decided{suffix} {figures['decided']} subjects")
    print(f"BENCH decide_blocked{suffix} {figures['blocked']} subjects")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            report(run(args.members, {"XEPLOAI_DATA_DIR": tmp, "DATABASE_URL": ""}), "")
    if not args.skip_postgres:
        import psycopg

        name = f"xeploai_bench_{os.getpid()}"
        with psycopg.connect(args.postgres_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            url = args.postgres_url.rsplit("/", 1)[0] + f"/{name}"
            report(run(args.members, {"DATABASE_URL": url}), "_postgres")
        finally:
            with psycopg.connect(args.postgres_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
