"""Cycle housekeeping on a generated province (default 10,750 members, the size of the
duplicated cycles of issue 12).

    python bench/housekeeping.py [--members 10750] [--postgres-url URL_OF_AN_EMPTY_DATABASE]

Prints `BENCH <name> <value> <unit>`: duplicate_refused_ms (a second annual cycle refused),
cancel_s (the mistaken cycle cancelled, its subjects removed) and transfer_ms (one member moved
to another cell while a cycle is open, the review following her). SQLite by default; with
--postgres-url, the same on that (empty) database, with a `_postgres` suffix.
"""

import argparse
import tempfile

from worker import run_worker

WORKER = r"""
import datetime, json, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from xeploai.cycles.models import Cycle, CycleState, Subject
from xeploai.cycles.services.enrolment import cycle_open, enrol
from xeploai.cycles.services.housekeeping import cycle_cancel
from xeploai.errors import AppError
from xeploai.org.demo import load_demo
from xeploai.org.models import CELL_KINDS, Member, Unit
from xeploai.org.services import member_transfer


call_command("migrate", verbosity=0)
root = load_demo(members=int(sys.argv[1]), seed=7, code_prefix="BENCH")
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
D = datetime.date
right = cycle_open(actor=None, unit=root, name="Năm 2026", period_kind="year",
                   period_start=D(2026, 1, 1), period_end=D(2026, 12, 31))
started = time.perf_counter()
try:
    cycle_open(actor=None, unit=root, name="Năm 2026 (2)", period_kind="year",
               period_start=D(2026, 1, 1), period_end=D(2026, 12, 31))
    raise SystemExit("a second cycle was accepted")
except AppError:
    refused_ms = (time.perf_counter() - started) * 1000
# The mistaken cycle as it was made before the check existed, to time its cancelling.
wrong = Cycle.objects.create(unit=root, name="Năm 2026 (nhầm)", period_kind="year",
                             period_start=D(2026, 1, 1), period_end=D(2026, 12, 31),
                             regulation=right.regulation, state=CycleState.OPEN)
enrol(wrong)
removed = Subject.objects.filter(cycle=wrong).count()
started = time.perf_counter()
cycle_cancel(actor=None, cycle=wrong, reason="Mở trùng")
cancel_s = time.perf_counter() - started
cells = list(Unit.objects.filter(kind__in=CELL_KINDS, dissolved_on__isnull=True).order_by("pk"))
member = Member.objects.filter(cell=cells[0]).first()
started = time.perf_counter()
member_transfer(actor=None, member=member, to_cell=cells[-1], on=D(2026, 10, 1))
transfer_ms = (time.perf_counter() - started) * 1000
print(json.dumps({"refused_ms": refused_ms, "cancel_s": cancel_s, "removed": removed,
                  "transfer_ms": transfer_ms}))
"""


def run(members, env):
    return run_worker(WORKER, members, env=env)


def report(figures, suffix):
    print(f"BENCH duplicate_refused_ms{suffix} {figures['refused_ms']:.0f} ms")
    print(f"BENCH cancel_s{suffix} {figures['cancel_s']:.2f} s")
    print(f"BENCH cancel_removed_subjects{suffix} {figures['removed']} subjects")
    print(f"BENCH transfer_ms{suffix} {figures['transfer_ms']:.0f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_750)
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database to fill")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report(run(args.members, {"XEPLOAI_DATA_DIR": tmp, "DATABASE_URL": ""}), "")
    if args.postgres_url:
        report(run(args.members, {"DATABASE_URL": args.postgres_url}), "_postgres")


if __name__ == "__main__":
    main()
