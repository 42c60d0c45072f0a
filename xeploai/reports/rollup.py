"""Roll-up of a cycle's results over the tree: every unit's numbers are the sum of its own
subjects and its children's, by construction (one grouped query, then added up the paths)."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from xeploai.cycles.models import Cycle, Step, Subject
from xeploai.org.models import Unit
from xeploai.org.tree import ancestor_ids, subtree_q

LEVELS = ("excellent", "good", "complete", "not_complete")


def group_of(kind: str, position_id, unit_kind: str) -> str:
    """The statistics groups: members, leaders (per post), collectives, organizations by kind."""
    if kind == "party_organization":
        return f"organization:{unit_kind}"
    if kind == "leadership_collective":
        return "collective"
    if position_id is not None:
        return "leader_post"
    return "member"


@dataclass
class Tally:
    unit: Unit
    # (group, stage, level) -> count; stage is "self", "proposed" or "decided"
    levels: Counter = field(default_factory=Counter)
    # (group, step) -> count, the excluded ones under step "excluded:<reason>"
    steps: Counter = field(default_factory=Counter)
    # (org_type, level) -> decided organizations
    org_types: Counter = field(default_factory=Counter)

    def count(self, group: str, stage: str, level: str) -> int:
        return self.levels[(group, stage, level)]

    def members(self, stage: str = "decided") -> dict[str, int]:
        return {level: self.levels[("member", stage, level)] for level in LEVELS}

    def total(self, group: str) -> int:
        return sum(n for (g, _step), n in self.steps.items() if g == group)

    def excluded(self, group: str = "member") -> dict[str, int]:
        return {
            step.split(":", 1)[1]: n
            for (g, step), n in self.steps.items()
            if g == group and step.startswith("excluded:")
        }


def rollup(cycle: Cycle, unit: Unit) -> dict[int, Tally]:
    """A tally for `unit` and every unit below it that has subjects."""
    rows = (
        Subject.objects.filter(cycle=cycle)
        .filter(subtree_q(unit.path, "unit__path"))
        .values(
            "unit__path",
            "unit__kind",
            "unit__org_type",
            "kind",
            "position_id",
            "step",
            "excluded_reason",
            "self_level",
            "proposed_level",
            "decided_level",
        )
        .annotate(n=Count("id"))
    )
    top = len(ancestor_ids(unit.path)) - 1
    tallies: dict[int, Tally] = {}
    units: dict[int, Unit] = {}
    for row in rows.iterator():
        group = group_of(row["kind"], row["position_id"], row["unit__kind"])
        step = row["step"]
        if step == Step.EXCLUDED:
            step = f"excluded:{row['excluded_reason']}"
        n = row["n"]
        for unit_id in ancestor_ids(row["unit__path"])[top:]:
            tally = tallies.get(unit_id)
            if tally is None:
                tally = tallies[unit_id] = Tally(unit=units.setdefault(unit_id, None))
            tally.steps[(group, step)] += n
            for stage in ("self", "proposed", "decided"):
                level = row[f"{stage}_level"]
                if level:
                    tally.levels[(group, stage, level)] += n
            if row["kind"] == "party_organization" and row["decided_level"]:
                tally.org_types[(row["unit__org_type"], row["decided_level"])] += n
    for u in Unit.objects.filter(pk__in=list(tallies)):
        tallies[u.pk].unit = u
    return tallies


def children_tallies(cycle: Cycle, unit: Unit) -> tuple[Tally, list[Tally]]:
    """The unit's own tally and those of the units directly under it, in the tree's order."""
    tallies = rollup(cycle, unit)
    own = tallies.get(unit.pk) or Tally(unit=unit)
    children = [
        tallies[u.pk] for u in Unit.objects.filter(parent=unit).order_by("path") if u.pk in tallies
    ]
    return own, children
