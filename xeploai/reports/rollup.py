"""Roll-up of a cycle's results over the tree, in SQL.

One statement counts each unit's own subjects (conditional sums, one row per unit and statistics
group), then adds every row to each of its unit's ancestors up to the unit asked for (a recursive
walk up `parent_id`), and groups again. A unit's numbers are therefore its own subjects plus the
sum of its children's, exactly, by construction; the same statement runs on SQLite and
PostgreSQL. For the whole country it is one pass over the subjects (bench/rollup.py).
"""

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection, transaction

from xeploai.cycles.models import Cycle, Step, Subject
from xeploai.org.models import Unit
from xeploai.org.tree import path_upper_bound

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


def _conditions() -> list[str]:
    stage_field = {"self": "self_level", "proposed": "proposed_level", "decided": "decided_level"}
    out = [f"s.{stage_field[stage]} = '{level}'" for stage in STAGES for level in LEVELS]
    out += [f"s.step = '{step}'" for step in STEPS]
    out += [f"s.step = 'excluded' AND s.excluded_reason = '{reason}'" for reason in REASONS]
    return out


# The statistics groups: members, leaders (per post), collectives, organizations by unit kind;
# worked out per unit after the subjects are counted, not per subject.
GROUP_SQL = (
    "CASE WHEN own.kind = 'party_organization' THEN 'organization:' || u.kind"
    " WHEN own.kind = 'leadership_collective' THEN 'collective'"
    " WHEN own.post = 1 THEN 'leader_post' ELSE 'member' END"
)
ORG_TYPE_SQL = "CASE WHEN own.kind = 'party_organization' THEN u.org_type ELSE '' END"


def _statement(cycles: int, within: bool) -> str:
    subject = Subject._meta.db_table
    unit = Unit._meta.db_table
    counts = ", ".join(
        f"CAST(COUNT(*) FILTER (WHERE {c}) AS INTEGER) AS c{i}" for i, c in enumerate(_conditions())
    )
    totals = ", ".join(f"CAST(SUM(own.c{i}) AS BIGINT)" for i in range(len(COLUMNS)))
    in_cycles = ", ".join(["%s"] * cycles)
    # Without a unit, every unit of the cycles' trees up to its root.
    units_where = "WHERE path >= %s AND path < %s" if within else ""
    subjects_where = (
        f"AND s.unit_id IN (SELECT id FROM {unit} WHERE path >= %s AND path < %s)" if within else ""
    )
    return f"""
        WITH RECURSIVE up (unit_id, ancestor_id, depth) AS (
            SELECT id, id, CAST(depth AS INTEGER) FROM {unit} {units_where}
            UNION ALL
            SELECT up.unit_id, u.parent_id, up.depth - 1
            FROM up JOIN {unit} u ON u.id = up.ancestor_id
            WHERE up.depth > %s AND u.parent_id IS NOT NULL
        ),
        own AS (
            SELECT s.unit_id AS unit_id, s.kind AS kind,
                   CASE WHEN s.position_id IS NULL THEN 0 ELSE 1 END AS post, {counts}
            FROM {subject} s
            WHERE s.cycle_id IN ({in_cycles}) {subjects_where}
            GROUP BY s.unit_id, s.kind, CASE WHEN s.position_id IS NULL THEN 0 ELSE 1 END
        )
        SELECT up.ancestor_id, {GROUP_SQL} AS grp, {ORG_TYPE_SQL} AS org_type, {totals}
        FROM own JOIN {unit} u ON u.id = own.unit_id JOIN up ON up.unit_id = own.unit_id
        GROUP BY up.ancestor_id, {GROUP_SQL}, {ORG_TYPE_SQL}
    """


def unit_counts(
    cycles: Sequence[Cycle], unit: Unit | None = None
) -> Iterator[tuple[int, str, str, tuple[int, ...]]]:
    """(unit id, group, organization type, counts in COLUMNS order) for `unit` and every unit
    below it, or, without a unit, for every unit the cycles reach."""
    params: list = []
    if unit is not None:
        params += [unit.path, path_upper_bound(unit.path), unit.depth]
    else:
        params += [0]
    params += [c.pk for c in cycles]
    if unit is not None:
        params += [unit.path, path_upper_bound(unit.path)]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One large grouping: room to hash it in memory, and no JIT compilation, which
            # costs more than it saves on a statement that reads each row once.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(_statement(len(cycles), unit is not None), params)
        while rows := cursor.fetchmany(10000):
            for unit_id, grp, org_type, *counts in rows:
                yield unit_id, grp, org_type or "", tuple(counts)


@dataclass
class Tally:
    unit_id: int
    # (group, organization type) -> counts in COLUMNS order; the type only for organizations
    rows: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)
    unit: Unit | None = None

    def _sum(self, group: str | None, column: str) -> int:
        i = INDEX[column]
        return sum(row[i] for (g, _t), row in self.rows.items() if group is None or g == group)

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
                    if n := row[INDEX[f"{stage}:{level}"]]:
                        out[(g, stage, level)] += n
        return out

    @cached_property
    def steps(self) -> Counter:
        """(group, step) -> count; the excluded ones under step "excluded:<reason>"."""
        out: Counter = Counter()
        for (g, _t), row in self.rows.items():
            for step in STEPS:
                if step != Step.EXCLUDED and (n := row[INDEX[f"step:{step}"]]):
                    out[(g, step)] += n
            other = row[INDEX["step:excluded"]]
            for reason in REASONS:
                if n := row[INDEX[f"excluded:{reason}"]]:
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
                    if n := row[INDEX[f"decided:{level}"]]:
                        out[(org_type, level)] += n
        return out


def tallies_of(rows: Iterable[tuple[int, str, str, tuple[int, ...]]]) -> dict[int, Tally]:
    tallies: dict[int, Tally] = {}
    for unit_id, grp, org_type, counts in rows:
        tally = tallies.get(unit_id)
        if tally is None:
            tally = tallies[unit_id] = Tally(unit_id)
        tally.rows[(grp, org_type)] = counts
    return tallies


def rollup(cycle: Cycle, unit: Unit) -> dict[int, Tally]:
    """A tally for `unit` and every unit below it that has subjects, with its unit loaded."""
    tallies = tallies_of(unit_counts([cycle], unit))
    for u in Unit.objects.filter(pk__in=list(tallies)):
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
