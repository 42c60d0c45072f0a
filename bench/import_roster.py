"""Generate a roster of N members (default 100,000) for a generated tree and import it.

    python bench/import_roster.py [--members 100000] [--postgres-url postgres://...]

Prints `BENCH <name> <value> <unit>` lines. SQLite runs in a temporary file; PostgreSQL in a
throw-away database created on the server given (default: the local one), then dropped.
"""

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

WORKER = r"""
import datetime, os, random, sys, time
import django
django.setup()
from django.core.management import call_command
from xeploai.org import demo
from xeploai.org.models import Member, Unit
from xeploai.org.roster.importer import roster_import

call_command("migrate", verbosity=0)
members = int(sys.argv[1]); data = open(sys.argv[2], "rb").read()
rng = random.Random(2026)
specs = demo.build_tree(rng, members, "BENCH")
demo.create_units(specs, datetime.date(2025, 7, 1))
root = Unit.objects.get(code="BENCH")
started = time.perf_counter()
result = roster_import(actor=None, root=root, filename="roster.xlsx", data=data,
                       as_of=datetime.date(2026, 11, 1))
elapsed = time.perf_counter() - started
assert result.ok, result.problems[:5]
assert Member.objects.count() == members, Member.objects.count()
started = time.perf_counter()
again = roster_import(actor=None, root=root, filename="roster.xlsx", data=data,
                      as_of=datetime.date(2026, 11, 2))
reimport = time.perf_counter() - started
assert again.ok and not again.changed
import resource
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{elapsed} {reimport} {rss}")
"""


def make_roster(members: int, path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xeploai.settings")
    import django

    django.setup()
    from openpyxl import Workbook

    from xeploai.org import demo

    rng = random.Random(2026)
    specs = demo.build_tree(rng, members, "BENCH")
    people = demo.build_people(rng, demo.cells_of(specs), members)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH ĐẢNG VIÊN"])
    sheet.append(
        [
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Số thẻ đảng viên",
            "Số CCCD",
            "Ngày vào Đảng",
            "Ngày chính thức",
            "Chi bộ",
            "Tình trạng",
        ]
    )
    status = {"exempt": "Miễn công tác và sinh hoạt đảng", "suspended": "Đình chỉ sinh hoạt đảng"}
    for p in people:
        sheet.append(
            [
                p.full_name,
                p.date_of_birth.strftime("%d/%m/%Y"),
                "Nam" if p.sex == "male" else "Nữ",
                p.card_number or "",
                p.national_id,
                p.admitted_on.strftime("%d/%m/%Y"),
                p.official_on.strftime("%d/%m/%Y") if p.official_on else "",
                p.cell.code,
                status.get(p.status or "", ""),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def run(members: int, roster: Path, env: dict[str, str]) -> tuple[float, float, float]:
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(members), str(roster)],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "xeploai.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        sys.exit(out.stderr)
    elapsed, reimport, rss = (float(x) for x in out.stdout.split()[-3:])
    return elapsed, reimport, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.xlsx"
        make_roster(args.members, roster)
        print(f"BENCH roster_file_mib {roster.stat().st_size / 2**20:.1f} MiB")
        peak = 0.0
        if not args.skip_sqlite:
            elapsed, reimport, rss = run(
                args.members, roster, {"XEPLOAI_DATA_DIR": tmp, "DATABASE_URL": ""}
            )
            print(f"BENCH import_sqlite_s {elapsed:.2f} s")
            print(f"BENCH import_sqlite_members_per_s {args.members / elapsed:.0f} members/s")
            print(f"BENCH reimport_unchanged_sqlite_s {reimport:.2f} s")
            peak = rss
        if not args.skip_postgres:
            import psycopg

            name = f"xeploai_bench_{os.getpid()}"
            with psycopg.connect(args.postgres_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                url = args.postgres_url.rsplit("/", 1)[0] + f"/{name}"
                elapsed, reimport, rss = run(args.members, roster, {"DATABASE_URL": url})
                print(f"BENCH import_postgres_s {elapsed:.2f} s")
                print(f"BENCH import_postgres_members_per_s {args.members / elapsed:.0f} members/s")
                print(f"BENCH reimport_unchanged_postgres_s {reimport:.2f} s")
                peak = max(peak, rss)
            finally:
                with psycopg.connect(args.postgres_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"BENCH import_peak_rss_mib {peak:.0f} MiB")


if __name__ == "__main__":
    main()
