"""Accounts for every member of a province (default 200,000) in one go, as the code sheet's
button does: `accounts_create_for_unit` on the root. Target: all of them in 60 s or less.

    python bench/accounts.py [--members 200000] [--postgres-url postgres://...]

Prints `BENCH accounts_created_per_s` (and `_s`, the seconds), then the floor: the same rows
(every user row computed beforehand, every code drawn and hashed) written by the plainest
SQL, a one-row INSERT per table run by the driver's `executemany`, in one transaction, and
`BENCH accounts_created_to_floor_ratio` (the app's time over the floor's: how many times slower
the app is than the database alone). SQLite runs in a temporary file; PostgreSQL in a throw-away
database, dropped afterwards. Lines carry `_sqlite` / `_postgres` after the name on each.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

WORKER = r"""
import datetime, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from xeploai.accounts.activation import accounts_create_for_unit, code_hash, new_code, username_for
from xeploai.accounts.models import ActivationCode, User
from xeploai.org.demo import load_demo
from xeploai.org.models import Member

call_command("migrate", verbosity=0)
members = int(sys.argv[1])
root = load_demo(members=members, seed=11, code_prefix="BENCH")
User.objects.filter(member__isnull=False).delete()  # the demo's own logins
current = Member.objects.filter(left_on__isnull=True).count()
started = time.perf_counter()
issued = accounts_create_for_unit(actor=None, unit=root)
took = time.perf_counter() - started
assert len(issued) == current, (len(issued), current)
assert User.objects.filter(member__isnull=False).count() == current
assert ActivationCode.objects.count() == current

# The floor: the same rows, computed beforehand, by plain INSERTs.
rows = list(Member.objects.filter(left_on__isnull=True).values_list("pk", "full_name"))
ActivationCode.objects.all().delete()
User.objects.filter(member__isnull=False).delete()
now = timezone.now()
stamp = now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
users = [(username_for(pk, name), "!", name[:150], "", "", False, False, True, stamp, pk)
         for pk, name in rows]
q = connection.ops.quote_name
user_sql = (f"INSERT INTO {q('accounts_user')} (username, password, first_name, last_name, email, "
            "is_superuser, is_staff, is_active, date_joined, member_id) VALUES ")
code_sql = (f"INSERT INTO {q('accounts_activationcode')} "
            "(user_id, code_hash, expires_at, wrong_tries) VALUES ")


def insert(cursor, sql, rows, width):
    # One INSERT of one row, run by the driver's executemany over all the rows.
    cursor.executemany(sql + "(" + ", ".join(["%s"] * width) + ")", rows)


started = time.perf_counter()
with transaction.atomic(), connection.cursor() as cursor:
    insert(cursor, user_sql, users, 10)
    cursor.execute(f"SELECT id FROM {q('accounts_user')} WHERE member_id IS NOT NULL ORDER BY id")
    ids = [r[0] for r in cursor.fetchall()]
    insert(cursor, code_sql, [(i, code_hash(i, new_code()), stamp, 0) for i in ids], 4)
floor = time.perf_counter() - started
assert len(ids) == current
print(f"{current} {took} {floor}")
"""


def run(members: int, env: dict) -> tuple[int, float, float]:
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(members)],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "xeploai.settings",
            "PYTHONPATH": str(root),
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
    )
    if out.returncode != 0:
        sys.exit(out.stderr)
    count, took, floor = out.stdout.split()[-3:]
    return int(count), float(took), float(floor)


def report(suffix: str, count: int, took: float, floor: float) -> None:
    print(f"BENCH accounts_members{suffix} {count} members")
    print(f"BENCH accounts_created_s{suffix} {took:.2f} s")
    print(f"BENCH accounts_created_per_s{suffix} {count / took:.0f} accounts/s")
    print(f"BENCH accounts_created_floor_s{suffix} {floor:.2f} s")
    print(f"BENCH accounts_created_to_floor_ratio{suffix} {took / floor:.2f} x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            report("_sqlite", *run(args.members, {"XEPLOAI_DATA_DIR": tmp, "DATABASE_URL": ""}))
    if not args.skip_postgres:
        import psycopg

        name = f"xeploai_bench_accounts_{os.getpid()}"
        with psycopg.connect(args.postgres_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            url = args.postgres_url.rsplit("/", 1)[0] + f"/{name}"
            report("_postgres", *run(args.members, {"DATABASE_URL": url}))
        finally:
            with psycopg.connect(args.postgres_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
