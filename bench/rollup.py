"""Roll-up figures on a generated national-scale season, on PostgreSQL.

    python bench/rollup.py [--members 5600000] [--regenerate] [--postgres-url URL]

The country: 34 provinces (two of 380,000 members, the others sharing the rest), each built
by the demo generator's tree (communes and wards under the province, agencies and enterprises
under province-level committees), about 55,000 grassroots organizations and 270,000 cells;
members, one secretary's post per committee and every subject of each province's annual cycle
are written in SQL (generate_series), with random but plausible levels and 3 % not reviewed.
The database `xeploai_bench_national` is kept between runs; `--regenerate` builds it again
(about ten minutes here).

Prints `BENCH <name> <value> <unit>`:
  rollup_national_s     every unit at every level of all 34 provinces, and the national sum
  rollup_province_s     every unit of the largest province (380,000 members) at every level
  rollup_province_report_s  the same with the province's children loaded for its report
  rollup_ward_ms        a commune's own tally and its cells' (the page and the xlsx read this),
                        for the commune of median size and (rollup_ward_largest_ms) the largest
  floor_groupby_s       bare SQL: members' decided level counted per cell, nothing added up
  rollup_to_floor_ratio rollup_national_s / floor_groupby_s
Each timing is the median of three runs. The run also checks that the national sum equals the
count of member subjects, and each province the sum of its children.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROVINCES = 34


def timed(fn, runs=3):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def province_sizes(total: int) -> list[int]:
    big = min(380_000, total // 10)
    rest = total - 2 * big
    rng = random.Random(34)
    weights = [rng.uniform(0.5, 1.5) for _ in range(PROVINCES - 2)]
    sizes = [big, big] + [int(rest * w / sum(weights)) for w in weights]
    sizes[-1] += total - sum(sizes)
    return sizes


def generate(total: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from xeploai.cycles.models import Cycle
    from xeploai.org.demo import build_tree, cells_of, create_units

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_cell (id integer PRIMARY KEY, size integer)")
    started = time.perf_counter()
    for number, members in enumerate(province_sizes(total), start=1):
        specs = build_tree(rng, members, f"N{number:02d}", commune_size=450)
        create_units(specs, datetime.date(2025, 7, 1))
        cells = cells_of(specs)
        weight = sum(c.weight for c in cells)
        sizes = [int(members * c.weight / weight) for c in cells]
        for i in range(members - sum(sizes)):
            sizes[i % len(sizes)] += 1
        with connection.cursor() as cursor:
            with cursor.cursor.copy("COPY bench_cell (id, size) FROM STDIN") as copy:
                for cell, size in zip(cells, sizes, strict=True):
                    copy.write_row((cell.id, size))
        Cycle.objects.create(
            unit_id=specs[0].id,
            name="Năm 2026",
            period_kind="year",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
            regulation="G366",
            state="open",
        )
        print(f"  province {number}: {len(specs)} units", file=sys.stderr, flush=True)
    statements = [
        # Members, spread over the cells by the generator's weights.
        """INSERT INTO org_member (full_name, name_folded, sort_key, date_of_birth, sex,
               admitted_on, official_on, cell_id, outside_political_system)
           SELECT 'Đảng viên ' || c.id || '.' || g, 'dang vien ' || c.id || '.' || g,
                  lpad(g::text, 6, '0'), date '1950-01-01' + (random() * 18000)::int,
                  CASE WHEN random() < 0.5 THEN 'male' ELSE 'female' END,
                  a.admitted, a.admitted + 365, c.id, random() < 0.25
           FROM bench_cell c CROSS JOIN LATERAL generate_series(1, c.size) g
           CROSS JOIN LATERAL (SELECT date '1980-01-01' + (random() * 16000 + 0 * g)::int
                               AS admitted) a""",
        # One secretary per committee that has cells directly under it.
        """INSERT INTO org_position (member_id, kind, title, unit_id, is_leadership,
               managing_level, valid_from)
           SELECT min(m.id), 'committee_secretary', 'Bí thư', c.parent_id, true, 'none',
                  date '2025-10-01'
           FROM org_member m JOIN org_unit c ON c.id = m.cell_id
           WHERE c.parent_id IS NOT NULL GROUP BY c.parent_id""",
        """CREATE TABLE bench_draw AS
           SELECT m.id, m.cell_id, m.outside_political_system AS outside, random() AS r,
                  random() AS q FROM org_member m""",
        # Members: 3 % not reviewed; self 20/72/7/1 %; a third of self-rated HTXS proposed
        # HTT; decided as proposed, 5 % of subjects still waiting at the appraisal.
        """INSERT INTO cycles_subject (cycle_id, kind, member_id, position_id, unit_id,
               deciding_unit_id, pool, step, excluded_reason, self_level, proposed_level,
               decided_level, version)
           SELECT cy.id, CASE WHEN d.outside THEN 'member_outside_system' ELSE 'member' END,
                  d.id, NULL, d.cell_id, c.parent_id, '',
                  CASE WHEN d.r < 0.03 THEN 'excluded' WHEN d.q < 0.05 THEN 'appraised'
                       ELSE 'decided' END,
                  CASE WHEN d.r < 0.015 THEN 'exempt' WHEN d.r < 0.017 THEN 'suspended'
                       WHEN d.r < 0.03 THEN 'admitted_under_6_months' ELSE '' END,
                  lv.self, lv.proposed,
                  CASE WHEN d.r >= 0.03 AND d.q >= 0.05 THEN lv.proposed ELSE '' END, 0
           FROM bench_draw d JOIN org_unit c ON c.id = d.cell_id
           JOIN cycles_cycle cy ON cy.unit_id = split_part(c.path, '/', 2)::int
           CROSS JOIN LATERAL (SELECT
               CASE WHEN d.r < 0.03 THEN '' WHEN d.r < 0.23 THEN 'excellent'
                    WHEN d.r < 0.95 THEN 'good' WHEN d.r < 0.99 THEN 'complete'
                    ELSE 'not_complete' END AS self,
               CASE WHEN d.r < 0.03 THEN '' WHEN d.r < 0.16 THEN 'excellent'
                    WHEN d.r < 0.95 THEN 'good' WHEN d.r < 0.99 THEN 'complete'
                    ELSE 'not_complete' END AS proposed) lv""",
        # Every unit as a party organization; committees and cells with a cell committee as
        # leadership collectives; each secretary's post.
        """INSERT INTO cycles_subject (cycle_id, kind, member_id, position_id, unit_id,
               deciding_unit_id, pool, step, excluded_reason, self_level, proposed_level,
               decided_level, version)
           SELECT cy.id, k.kind, NULL, NULL, u.id, u.parent_id, '', 'decided', '',
                  lv.level, lv.level, lv.level, 0
           FROM (SELECT org_unit.*, random() AS r FROM org_unit) u
           JOIN cycles_cycle cy ON cy.unit_id = split_part(u.path, '/', 2)::int
           CROSS JOIN LATERAL (VALUES ('party_organization'), ('leadership_collective')) k(kind)
           CROSS JOIN LATERAL (SELECT CASE WHEN u.r < 0.15 THEN 'excellent'
               WHEN u.r < 0.9 THEN 'good' ELSE 'complete' END AS level) lv
           WHERE k.kind = 'party_organization' OR u.kind NOT IN
               ('grassroots_cell', 'subordinate_cell') OR u.has_cell_committee""",
        """INSERT INTO cycles_subject (cycle_id, kind, member_id, position_id, unit_id,
               deciding_unit_id, pool, step, excluded_reason, self_level, proposed_level,
               decided_level, version)
           SELECT cy.id, 'leader', p.member_id, p.id, p.unit_id, u.parent_id, '', 'decided', '',
                  'good', 'good', 'good', 0
           FROM org_position p JOIN org_unit u ON u.id = p.unit_id
           JOIN cycles_cycle cy ON cy.unit_id = split_part(u.path, '/', 2)::int""",
        "DROP TABLE bench_draw",
        "DROP TABLE bench_cell",
        "ANALYZE",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
        for sql in statements:
            cursor.execute(sql)
            print(f"  {sql.split()[0:3]} {time.perf_counter() - started:.0f} s", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5_600_000)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--database", default="xeploai_bench_national")
    args = parser.parse_args()
    name = args.database

    import psycopg

    with psycopg.connect(args.postgres_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and args.regenerate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = args.postgres_url.rsplit("/", 1)[0] + f"/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xeploai.settings")
    import django

    django.setup()
    from django.db import connection

    from xeploai.cycles.models import Cycle, Subject
    from xeploai.org.models import Unit
    from xeploai.reports.rollup import children_tallies, rollup
    from xeploai.reports.rollup import tallies as country_tallies

    if not exists:
        print(f"generating {args.members:,} members in {name} …", file=sys.stderr, flush=True)
        generate(args.members)
    cycles = list(Cycle.objects.order_by("pk"))
    members = Subject.objects.filter(position=None, kind__in=["member", "member_outside_system"])
    units = Unit.objects.count()
    grassroots = Unit.objects.filter(
        kind__in=["grassroots_committee", "grassroots_cell", "province_direct_committee"]
    ).count()
    cells = Unit.objects.filter(kind__in=["grassroots_cell", "subordinate_cell"]).count()
    print(f"BENCH national_members {members.count()} members")
    print(f"BENCH national_subjects {Subject.objects.count()} subjects")
    print(f"BENCH national_units {units} units ({grassroots} grassroots, {cells} cells)")

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT unit_id, decided_level, count(*) FROM cycles_subject"
                " WHERE cycle_id = ANY(%s) AND kind IN ('member', 'member_outside_system')"
                " AND position_id IS NULL GROUP BY unit_id, decided_level",
                [[c.pk for c in cycles]],
            )
            return cursor.fetchall()

    floor_s, floor_rows = timed(floor)
    national_s, national = timed(lambda: country_tallies(cycles))
    provinces = [national[c.unit_id] for c in cycles]
    total = {
        level: sum(p.count("member", "decided", level) for p in provinces)
        for level in ("excellent", "good", "complete", "not_complete")
    }
    floor_total = {}
    for _unit, level, n in floor_rows:
        floor_total[level] = floor_total.get(level, 0) + n
    if any(total[level] != floor_total.get(level, 0) for level in total):
        sys.exit(f"national sum {total} differs from the floor's {floor_total}")

    big = max(cycles, key=lambda c: national[c.unit_id].total("member"))
    province = Unit.objects.get(pk=big.unit_id)
    # Every unit of the province at every level, as for the country; then, as the province's
    # page and report need it, the province and its children with their units loaded.
    province_s, tallies = timed(lambda: country_tallies([big], province))
    report_s, _ = timed(lambda: children_tallies(big, province))
    tallies = rollup(big, province)
    children = [t for t in tallies.values() if t.unit.parent_id == province.pk]
    for level in total:
        below = sum(c.count("member", "decided", level) for c in children)
        if tallies[province.pk].count("member", "decided", level) != below:
            sys.exit(f"{province.name}: {level} is not the sum of its children")

    communes = (
        Unit.objects.filter(parent=province, kind="province_direct_committee")
        .filter(org_type__in=["commune", "ward"])
        .order_by("pk")
    )
    sizes = sorted((tallies[u.pk].total("member"), u.pk) for u in communes if u.pk in tallies)
    ward = Unit.objects.get(pk=sizes[len(sizes) // 2][1])
    ward_s, _ = timed(lambda: children_tallies(big, ward), runs=5)
    largest = Unit.objects.get(pk=sizes[-1][1])
    largest_s, _ = timed(lambda: children_tallies(big, largest), runs=5)

    print(f"BENCH rollup_national_s {national_s:.2f} s")
    print(f"BENCH rollup_national_tallies {len(national)} units")
    print(f"BENCH rollup_province_s {province_s:.2f} s")
    print(f"BENCH rollup_province_report_s {report_s:.2f} s")
    print(f"BENCH rollup_province_members {tallies[province.pk].total('member')} members")
    print(f"BENCH rollup_ward_ms {ward_s * 1000:.0f} ms")
    print(f"BENCH rollup_ward_members {sizes[len(sizes) // 2][0]} members")
    print(f"BENCH rollup_ward_largest_ms {largest_s * 1000:.0f} ms")
    print(f"BENCH rollup_ward_largest_members {sizes[-1][0]} members")
    print(f"BENCH floor_groupby_s {floor_s:.2f} s")
    print(f"BENCH rollup_to_floor_ratio {national_s / floor_s:.2f} x")


if __name__ == "__main__":
    main()
