"""Import the unit tree of a province of about 5,000 units, and beside it the floor.

    python bench/setup_province.py [--units 5000] [--skip-postgres] [--skip-sqlite]

Prints `BENCH <name> <value> <unit>`: tree_import_units_per_s (the whole import of an .xlsx
through `tree_import`: reading, checking every row, writing units, their dated links and
history, the audit event), tree_import_floor_s (the same unit, link and history rows written
by the plainest SQL the project has, `insert_rows`: one executemany on SQLite, COPY on
PostgreSQL, with ids and paths computed beforehand) and tree_import_to_floor_ratio. The floor
is checked to produce the same rows as the import. Each with a `_postgres` twin. SQLite runs in
a temporary file; PostgreSQL in the database `xeploai_setup_test` (created, then dropped).
"""

import argparse
import tempfile

from worker import run_worker

WORKER = r"""
import datetime, io, json, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from openpyxl import Workbook
from xeploai.org.bulk import insert_rows
from xeploai.org.models import Unit, UnitEvent, UnitLink
from xeploai.org.services import unit_create
from xeploai.org.treeio.importer import tree_import


call_command("migrate", verbosity=0)
target = int(sys.argv[1])
ON = datetime.date(2026, 1, 1)
root = unit_create(actor=None, code="T", name="Đảng bộ tỉnh Thử", kind="provincial_committee",
                   parent=None, on=ON)

# Province -> direct committees -> grassroots committees (communes) -> cells, plus a few
# grassroots cells straight under each direct committee: the shape of a province after 2025.
rows = []
per_direct = 8 * (1 + 5) + 1
for d in range(max(1, target // per_direct)):
    dc = f"D{d:03d}"
    rows.append([dc, f"Đảng bộ khối {d + 1}", "Đảng bộ trực thuộc tỉnh", "Khác", "", ""])
    rows.append([f"{dc}-C", f"Chi bộ cơ quan khối {d + 1}", "Chi bộ cơ sở",
                 "Cơ quan nhà nước", dc, ""])
    for g in range(8):
        gc = f"{dc}-G{g}"
        rows.append([gc, f"Đảng bộ xã {d + 1}-{g + 1}", "Đảng bộ cơ sở", "Xã", dc, ""])
        for c in range(5):
            rows.append([f"{gc}-{c}", f"Chi bộ Thôn {c + 1}", "Chi bộ trực thuộc", "Xã", gc,
                         "Có" if c == 0 else ""])
workbook = Workbook()
workbook.active.append(["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Loại hình tổ chức",
                        "Mã đơn vị cấp trên", "Có chi ủy"])
for row in rows:
    workbook.active.append(row)
buffer = io.BytesIO(); workbook.save(buffer); data = buffer.getvalue()

if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
started = time.perf_counter()
result = tree_import(actor=None, root=root, filename="cay.xlsx", data=data, on=ON)
import_s = time.perf_counter() - started
assert result.ok and result.created == len(rows), result.problems[:3]


def snapshot():
    units = sorted(Unit.objects.exclude(pk=root.pk).values_list(
        "code", "name", "name_folded", "kind", "org_type", "has_cell_committee", "parent__code",
        "depth", "established_on"))
    paths_ok = not Unit.objects.exclude(pk=root.pk).exclude(
        path=django.db.models.functions.Concat("parent__path", django.db.models.functions.Cast(
            "pk", django.db.models.CharField()), django.db.models.Value("/"))).exists()
    links = sorted(UnitLink.objects.exclude(unit=root).values_list(
        "unit__code", "parent__code", "valid_from", "valid_to"))
    events = sorted(UnitEvent.objects.exclude(unit=root).values_list(
        "unit__code", "kind", "on", "new_value"))
    return units, paths_ok, links, events


imported = snapshot()
assert imported[1], "paths"
# Take the imported rows away, then write the same rows by the plainest SQL.
units = list(Unit.objects.exclude(pk=root.pk).values(
    "code", "name", "name_folded", "kind", "org_type", "has_cell_committee", "parent__code",
    "depth", "established_on").order_by("depth", "code"))
with transaction.atomic():
    UnitEvent.objects.exclude(unit=root).delete()
    UnitLink.objects.exclude(unit=root).delete()
    for depth in sorted({u["depth"] for u in units}, reverse=True):
        Unit.objects.filter(depth=depth).exclude(pk=root.pk).delete()
next_id = (Unit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
ids, paths = {root.code: root.pk}, {root.code: root.path}
unit_rows, link_rows, event_rows = [], [], []
for u in units:
    pk, parent = next_id, u["parent__code"]
    next_id += 1
    ids[u["code"]], paths[u["code"]] = pk, f"{paths[parent]}{pk}/"
    unit_rows.append((pk, u["code"], u["name"], u["name_folded"], u["kind"], u["org_type"],
                      u["has_cell_committee"], ids[parent], paths[u["code"]], u["depth"],
                      u["established_on"]))
    link_rows.append((pk, ids[parent], u["established_on"]))
    event_rows.append((pk, "created", u["established_on"], u["name"], "", "")
)
started = time.perf_counter()
with transaction.atomic():
    insert_rows(Unit, ("id", "code", "name", "name_folded", "kind", "org_type",
                       "has_cell_committee", "parent", "path", "depth", "established_on"),
                unit_rows)
    insert_rows(UnitLink, ("unit", "parent", "valid_from"), link_rows)
    insert_rows(UnitEvent, ("unit", "kind", "on", "new_value", "old_value", "note"), event_rows)
floor_s = time.perf_counter() - started
assert snapshot() == imported, "the floor wrote other rows than the import"
print(json.dumps({"units": len(rows), "import_s": import_s, "floor_s": floor_s}))
"""


def run(units, env):
    return run_worker(WORKER, units, env=env)


def report(f, suffix):
    print(f"BENCH tree_import_units{suffix} {f['units']} units")
    print(f"BENCH tree_import_s{suffix} {f['import_s']:.3f} s")
    print(f"BENCH tree_import_units_per_s{suffix} {f['units'] / f['import_s']:.0f} units/s")
    print(f"BENCH tree_import_floor_s{suffix} {f['floor_s']:.3f} s")
    print(f"BENCH tree_import_to_floor_ratio{suffix} {f['import_s'] / f['floor_s']:.1f} x")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="xeploai_setup_test")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            report(run(args.units, {"XEPLOAI_DATA_DIR": tmp, "DATABASE_URL": ""}), "")
    if not args.skip_postgres:
        import psycopg

        name = args.database
        with psycopg.connect(args.postgres_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            url = args.postgres_url.rsplit("/", 1)[0] + f"/{name}"
            report(run(args.units, {"DATABASE_URL": url}), "_postgres")
        finally:
            with psycopg.connect(args.postgres_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
