"""Roll-up of a cycle's results over the tree: counted in SQL, added up the tree in Python.

One statement counts each unit's own subjects: 21 conditional counts (self-rated, proposed and
decided per level, the steps, the reasons for not reviewing) per unit and statistics group, in
one pass over the cycle's subjects. Those rows are then added up the tree in Python, deepest
units first, each unit's totals once into its parent's. A unit's numbers are therefore its own
subjects plus the sum of its children's, exactly, by construction. (Adding each row to every
ancestor in SQL was measured slower: bench/rollup.py, docs/ARCHITECTURE.md.)
"""

import gc
from collections import Counter
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection, transaction

from xeploai.cycles.models import Cycle, ExcludedReason, Level, Step, Subject
from xeploai.org.models import Unit
from xeploai.org.names import reading_order
from xeploai.org.tree import path_upper_bound, subtree_q

LEVELS = tuple(Level.values)
STAGES = ("self", "proposed", "decided")
STEPS = tuple(step.value for step in Step)
REASONS = tuple(ExcludedReason.values)

# The counted columns, in the order of the statement's output.
COLUMNS: tuple[str, ...] = (
    *(f"{stage}:{level}" for stage in STAGES for level in LEVELS),
    *(f"step:{step}" for step in STEPS),
    *(f"excluded:{reason}" for reason in REASONS),
)
INDEX = {name: i for i, name in enumerate(COLUMNS)}


def count_at(counts: tuple[int, ...], column: str) -> int:
    return counts[INDEX[column]]


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
    counts = ", ".join(f"CAST(COUNT(*) FILTER (WHERE {c}) AS INTEGER)" for c in _conditions())
    in_cycles = ", ".join(["%s"] * cycles)
    subjects_where = (
        f"AND s.unit_id IN (SELECT id FROM {unit} WHERE path >= %s AND path < %s)" if within else ""
    )
    return f"""
        SELECT s.unit_id, {GROUP_SQL}, {counts}
        FROM {subject} s
        WHERE s.cycle_id IN ({in_cycles}) {subjects_where}
        GROUP BY s.unit_id, {GROUP_SQL}
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


def own_counts(cycles: Sequence[Cycle], unit: Unit | None = None) -> list[tuple]:
    """Rows of (unit id, group number, *counts in COLUMNS order): the subjects of each unit
    itself, for `unit` and every unit below it or, without a unit, every unit the cycles
    reach."""
    params: list = [c.pk for c in cycles]
    # A cycle's subjects all lie in its unit's subtree: only a unit below it needs a filter.
    within = unit is not None and any(c.unit_id != unit.pk for c in cycles)
    if within:
        params += [unit.path, path_upper_bound(unit.path)]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # No JIT compilation: it costs more than it saves on a statement that reads each
            # row once; room to hash a whole country's groups in memory.
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(_statement(len(cycles), within), params)
        return cursor.fetchall()


def tallies(cycles: Sequence[Cycle], unit: Unit | None = None) -> dict[int, "Tally"]:
    """A tally for `unit` and every unit below it (or, without a unit, every unit the cycles
    reach) that has subjects in its subtree, without the units loaded."""
    units = Unit.objects.all() if unit is None else Unit.objects.filter(subtree_q(unit.path))
    with _no_cycle_collection():
        tree = list(units.values_list("id", "parent_id", "depth", "kind", "org_type"))
        return _added_up(own_counts(cycles, unit), tree, unit.pk if unit else None)


def _added_up(rows: list[tuple], tree: list[tuple], top: int | None) -> dict[int, "Tally"]:
    """Tallies from each unit's own counts and the tree's (id, parent id, depth, kind,
    organization type), every unit's children added in."""
    found: dict[int, Tally] = {}
    keys = {number: (label, "") for number, label in GROUPS.items()}
    # The group of an organization is its unit's kind; its type is counted too.
    organization = {
        unit_id: (f"organization:{kind}", org_type) for unit_id, _p, _d, kind, org_type in tree
    }
    for row in rows:
        tally = found.get(row[0])
        if tally is None:
            tally = found[row[0]] = Tally(row[0])
        key = organization[row[0]] if row[1] == ORGANIZATION else keys[row[1]]
        tally.rows[key] = row[2:]
    # Depth by depth from the bottom: every unit's totals are complete before they are added
    # to its parent, and each parent sums its children's counts column by column at once.
    levels: dict[int, list[tuple[int, int]]] = {}
    for unit_id, parent_id, depth, _kind, _type in tree:
        if parent_id is not None and unit_id != top:
            levels.setdefault(depth, []).append((unit_id, parent_id))
    for depth in sorted(levels, reverse=True):
        children: dict[tuple[int, tuple[str, str]], list[tuple[int, ...]]] = {}
        for unit_id, parent_id in levels[depth]:
            if (tally := found.get(unit_id)) is None:
                continue  # nothing counted in this unit's subtree
            for key, counts in tally.rows.items():
                if (vectors := children.get((parent_id, key))) is None:
                    children[(parent_id, key)] = [counts]
                else:
                    vectors.append(counts)
        for (parent_id, key), vectors in children.items():
            parent = found.get(parent_id)
            if parent is None:
                parent = found[parent_id] = Tally(parent_id)
            if (mine := parent.rows.get(key)) is not None:
                vectors.append(mine)
            parent.rows[key] = (
                vectors[0] if len(vectors) == 1 else tuple(map(sum, zip(*vectors, strict=True)))
            )
    return found


@dataclass
class Tally:
    unit_id: int
    # (group, organization type) -> counts in COLUMNS order; the type only for organizations
    rows: dict[tuple[str, str], tuple[int, ...]] = field(default_factory=dict)
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


# What the reports read of a unit; the rest stays in the database.
UNIT_FIELDS = ("id", "code", "name", "kind", "org_type", "parent_id", "path", "depth")


def rollup(cycle: Cycle, unit: Unit) -> dict[int, Tally]:
    """A tally for `unit` and every unit below it that has subjects, with its unit loaded."""
    units = {u.pk: u for u in Unit.objects.filter(subtree_q(unit.path)).only(*UNIT_FIELDS)}
    with _no_cycle_collection():
        tree = [(u.pk, u.parent_id, u.depth, u.kind, u.org_type) for u in units.values()]
        found = _added_up(own_counts([cycle], unit), tree, unit.pk)
    for unit_id, tally in found.items():
        tally.unit = units[unit_id]
    return found


def children_tallies(cycle: Cycle, unit: Unit) -> tuple[Tally, list[Tally]]:
    """The unit's own tally and those of the units directly under it, in reading order, with
    only those units loaded."""
    found = tallies([cycle], unit)
    own = found.get(unit.pk) or Tally(unit.pk)
    own.unit = unit
    children = []
    for child in sorted(Unit.objects.filter(parent=unit).only(*UNIT_FIELDS), key=reading_order):
        if (tally := found.get(child.pk)) is not None:
            tally.unit = child
            children.append(tally)
    return own, children
