"""Roll-up of a cycle's results over the tree, in SQL.

One statement counts each unit's own subjects (conditional counts, one row per unit and
statistics group), then adds each of those rows to every ancestor of its unit up to the unit asked
for (a recursive walk up `parent_id`), and groups again. A unit's numbers are therefore its own
subjects plus the sum of its children's, exactly, by construction; the same statement runs on
SQLite and PostgreSQL (bench/rollup.py: the whole country).
"""

import gc
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection, transaction

from xeploai.cycles.models import Cycle, Step, Subject
from xeploai.org.models import Unit
from xeploai.org.tree import path_upper_bound, subtree_q

LEVELS = ("excellent", "good", "complete", "not_complete")
STAGES = ("self", "proposed", "decided")
STEPS = tuple(step.value for step in Step)
REASONS = ("exempt", "suspended", "admitted_under_6_months")

# The counted columns, in the order of the statement's output.
COLUMNS: tuple[str, ...] = (
    *(f"{stage}:{level}" for stage in STAGES for level in LEVELS),
    *(f"step:{step}" for step in STEPS),
    *(f"excluded:{reason}" for reason in REASONS),
)
INDEX = {name: i for i, name in enumerate(COLUMNS)}


def count_at(row: tuple, column: str) -> int:
    """A count in a row of unit_counts."""
    return row[4 + INDEX[column]]


def _conditions() -> list[str]:
    stage_field = {"self": "self_level", "proposed": "proposed_level", "decided": "decided_level"}
    out = [f"s.{stage_field[stage]} = '{level}'" for stage in STAGES for level in LEVELS]
    out += [f"s.step = '{step}'" for step in STEPS]
    out += [f"s.step = 'excluded' AND s.excluded_reason = '{reason}'" for reason in REASONS]
    return out


# The statistics groups: members, leaders (per post), collectives, organizations by unit kind.
# Subjects are counted per unit and group number; an organization's unit kind and type are read
# from its unit afterwards, on one row per unit rather than on every subject.
GROUP_SQL = (
    "CASE WHEN s.kind = 'party_organization' THEN 3"
    " WHEN s.kind = 'leadership_collective' THEN 2"
    " WHEN s.position_id IS NOT NULL THEN 1 ELSE 0 END"
)
GROUPS = {0: "member", 1: "leader_post", 2: "collective"}
ORGANIZATION = 3


def _statement(cycles: int, within: bool) -> str:
    subject = Subject._meta.db_table
    unit = Unit._meta.db_table
    n = len(COLUMNS)
    counts = ", ".join(
        f"CAST(COUNT(*) FILTER (WHERE {c}) AS INTEGER) AS c{i}" for i, c in enumerate(_conditions())
    )
    names = ", ".join(f"c{i}" for i in range(n))
    sums = ", ".join(f"CAST(SUM(lab.c{i}) AS INTEGER)" for i in range(n))
    in_cycles = ", ".join(["%s"] * cycles)
    # Without a unit, every unit of the cycles' trees up to its root.
    units_where = "WHERE path >= %s AND path < %s" if within else ""
    # Within a unit, the units joined are the subtree's: an index range, not the whole table.
    within_units = "AND u.path >= %s AND u.path < %s" if within else ""
    subjects_where = (
        f"AND s.unit_id IN (SELECT id FROM {unit} WHERE path >= %s AND path < %s)" if within else ""
    )
    return f"""
        WITH RECURSIVE up (unit_id, ancestor_id, depth) AS (
            SELECT id, id, CAST(depth AS INTEGER) FROM {unit} {units_where}
            UNION ALL
            SELECT up.unit_id, u.parent_id, up.depth - 1
            FROM up JOIN {unit} u ON u.id = up.ancestor_id {within_units}
            WHERE up.depth > %s AND u.parent_id IS NOT NULL
        ),
        own AS (
            SELECT s.unit_id AS unit_id, {GROUP_SQL} AS grp, {counts}
            FROM {subject} s
            WHERE s.cycle_id IN ({in_cycles}) {subjects_where}
            GROUP BY s.unit_id, {GROUP_SQL}
        ),
        lab AS (
            SELECT own.unit_id AS unit_id, own.grp AS grp,
                   CASE WHEN own.grp = 3 THEN u.kind ELSE '' END AS unit_kind,
                   CASE WHEN own.grp = 3 THEN u.org_type ELSE '' END AS org_type,
                   {names}
            FROM own JOIN {unit} u ON u.id = own.unit_id {within_units}
        )
        SELECT up.ancestor_id, lab.grp, lab.unit_kind, lab.org_type, {sums}
        FROM lab JOIN up ON up.unit_id = lab.unit_id
        GROUP BY up.ancestor_id, lab.grp, lab.unit_kind, lab.org_type
    """


@contextmanager
def _no_cycle_collection():
    """Hundreds of thousands of small tuples that live on: the cyclic garbage collector would
    walk them all again and again while they are made, and there is no cycle among them."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def unit_counts(cycles: Sequence[Cycle], unit: Unit | None = None) -> list[tuple]:
    """Rows of (unit id, group number, unit kind, organization type, *counts in COLUMNS order)
    for `unit` and every unit below it, or, without a unit, for every unit the cycles reach; the
    unit kind and type are those of the organizations counted (group number 3)."""
    params: list = []
    if unit is not None:
        upper = path_upper_bound(unit.path)
        params += [unit.path, upper, unit.path, upper, unit.depth]
    else:
        params += [0]
    params += [c.pk for c in cycles]
    if unit is not None:
        params += [unit.path, upper, unit.path, upper]
    with transaction.atomic(), connection.cursor() as cursor, _no_cycle_collection():
        if connection.vendor == "postgresql":
            # No JIT compilation: it costs more than it saves on a statement that reads each
            # row once.
            cursor.execute("SET LOCAL jit = off")
            if unit is None:
                # The whole country: room to hash each step in memory. The planner cannot
                # size a recursive query's result and, guessing it small, would sort or look
                # parents up one row at a time; hashing is several times faster here.
                cursor.execute("SET LOCAL work_mem = '512MB'")
                cursor.execute("SET LOCAL enable_nestloop = off")
                cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(_statement(len(cycles), unit is not None), params)
        return cursor.fetchall()


@dataclass
class Tally:
    unit_id: int
    # (group, organization type) -> its row of unit_counts; the type only for organizations
    rows: dict[tuple[str, str], tuple] = field(default_factory=dict)
    unit: Unit | None = None

    def _sum(self, group: str | None, column: str) -> int:
        return sum(
            count_at(row, column)
            for (g, _t), row in self.rows.items()
            if group is None or g == group
        )

    def count(self, group: str, stage: str, level: str) -> int:
        return self._sum(group, f"{stage}:{level}")

    def members(self, stage: str = "decided") -> dict[str, int]:
        return {level: self.count("member", stage, level) for level in LEVELS}

    def total(self, group: str) -> int:
        return sum(self._sum(group, f"step:{step}") for step in STEPS)

    def excluded(self, group: str = "member") -> dict[str, int]:
        found = {reason: self._sum(group, f"excluded:{reason}") for reason in REASONS}
        return {reason: n for reason, n in found.items() if n}

    @cached_property
    def levels(self) -> Counter:
        """(group, stage, level) -> count."""
        out: Counter = Counter()
        for (g, _t), row in self.rows.items():
            for stage in STAGES:
                for level in LEVELS:
                    if n := count_at(row, f"{stage}:{level}"):
                        out[(g, stage, level)] += n
        return out

    @cached_property
    def steps(self) -> Counter:
        """(group, step) -> count; the excluded ones under step "excluded:<reason>"."""
        out: Counter = Counter()
        for (g, _t), row in self.rows.items():
            for step in STEPS:
                if step != Step.EXCLUDED and (n := count_at(row, f"step:{step}")):
                    out[(g, step)] += n
            other = count_at(row, "step:excluded")
            for reason in REASONS:
                if n := count_at(row, f"excluded:{reason}"):
                    out[(g, f"excluded:{reason}")] += n
                    other -= n
            if other:
                out[(g, "excluded:other")] += other
        return out

    @cached_property
    def org_types(self) -> Counter:
        """(organization type, level) -> decided organizations."""
        out: Counter = Counter()
        for (g, org_type), row in self.rows.items():
            if g.startswith("organization:"):
                for level in LEVELS:
                    if n := count_at(row, f"decided:{level}"):
                        out[(org_type, level)] += n
        return out


def tallies_of(rows: Iterable[tuple]) -> dict[int, Tally]:
    tallies: dict[int, Tally] = {}
    with _no_cycle_collection():
        labels = dict(GROUPS)
        for row in rows:
            tally = tallies.get(row[0])
            if tally is None:
                tally = tallies[row[0]] = Tally(row[0])
            if row[1] == ORGANIZATION:
                key = row[2]
                if key not in labels:
                    labels[key] = f"organization:{key}"
                tally.rows[(labels[key], row[3])] = row
            else:
                tally.rows[(labels[row[1]], "")] = row
    return tallies


# What the reports read of a unit; the rest stays in the database.
UNIT_FIELDS = ("id", "code", "name", "kind", "org_type", "parent_id", "path", "depth")


def rollup(cycle: Cycle, unit: Unit) -> dict[int, Tally]:
    """A tally for `unit` and every unit below it that has subjects, with its unit loaded."""
    tallies = tallies_of(unit_counts([cycle], unit))
    for u in Unit.objects.filter(subtree_q(unit.path)).only(*UNIT_FIELDS):
        if u.pk in tallies:
            tallies[u.pk].unit = u
    return tallies


def children_tallies(cycle: Cycle, unit: Unit) -> tuple[Tally, list[Tally]]:
    """The unit's own tally and those of the units directly under it, in the tree's order."""
    tallies = rollup(cycle, unit)
    own = tallies.get(unit.pk) or Tally(unit.pk, unit=unit)
    children = [
        tallies[u.pk] for u in Unit.objects.filter(parent=unit).order_by("path") if u.pk in tallies
    ]
    return own, children
