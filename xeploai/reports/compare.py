"""A cycle beside the earlier ones, self-rated beside decided, progress against the deadlines.

Read-only; the caller passes the cycles the user may see (the access module decides that).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from xeploai.cycles.models import Cycle, Step, Subject
from xeploai.cycles.selectors import STEP_ORDER
from xeploai.org.models import Unit
from xeploai.org.tree import ancestor_ids, subtree_q
from xeploai.reports.rollup import LEVELS, Tally, tallies


@dataclass
class CycleResults:
    cycle: Cycle
    members: dict[str, int]
    organizations: dict[str, int]

    @property
    def label(self) -> str:
        if self.cycle.period_kind == "year":
            return str(self.cycle.period_end.year)
        return self.cycle.name

    @property
    def total(self) -> int:
        return sum(self.members.values())


def organizations_decided(tally: Tally) -> dict[str, int]:
    out = dict.fromkeys(LEVELS, 0)
    for (group, stage, level), n in tally.levels.items():
        if group.startswith("organization:") and stage == "decided":
            out[level] += n
    return out


def earlier_cycles(cycle: Cycle, unit: Unit, visible: QuerySet, *, count: int = 4) -> list[Cycle]:
    """Up to `count` cycles of the same period kind that ended before `cycle` and were run at
    `unit` or above it (so they hold the unit), oldest first; where several cover one period,
    the one run nearest the unit."""
    candidates = (
        visible.filter(
            period_kind=cycle.period_kind,
            period_end__lt=cycle.period_end,
            unit_id__in=ancestor_ids(unit.path),
        )
        .select_related("unit")
        .order_by("-period_end")
    )
    nearest: dict[tuple[datetime.date, datetime.date], Cycle] = {}
    for c in candidates[: count * 4]:
        key = (c.period_start, c.period_end)
        if key not in nearest or len(c.unit.path) > len(nearest[key].unit.path):
            nearest[key] = c
    return sorted(nearest.values(), key=lambda c: c.period_end)[-count:]


def comparison(
    cycle: Cycle,
    unit: Unit,
    visible: QuerySet,
    *,
    count: int = 4,
    current: Tally | None = None,
) -> list[CycleResults]:
    """The unit's decided levels in the earlier cycles and in this one, oldest first: one
    roll-up per cycle (`current`, this cycle's tally of the unit, when the caller has it)."""
    out = []
    for c in [*earlier_cycles(cycle, unit, visible, count=count), cycle]:
        tally = current if c == cycle and current is not None else tallies([c], unit).get(unit.pk)
        tally = tally or Tally(unit.pk, unit=unit)
        out.append(CycleResults(c, tally.members("decided"), organizations_decided(tally)))
    return out


@dataclass
class DeadlineProgress:
    step: str
    unit_kind: str
    due_on: datetime.date
    done: int
    total: int
    late: int


def deadline_progress(cycle: Cycle, unit: Unit, today: datetime.date) -> list[DeadlineProgress]:
    """For each deadline of the cycle, the subjects of `unit`'s subtree it applies to, how many
    have reached its step, and, once it has passed, how many have not (late). One query."""
    rows = list(
        Subject.objects.filter(cycle=cycle)
        .filter(subtree_q(unit.path, "unit__path"))
        .exclude(step=Step.EXCLUDED)
        .values_list("unit__kind", "step")
        .annotate(n=Count("id"))
        .order_by()
    )
    out = []
    for deadline in cycle.deadlines.order_by("due_on", "step", "unit_kind"):
        position = STEP_ORDER.index(Step(deadline.step))
        total = done = 0
        for unit_kind, step, n in rows:
            if deadline.unit_kind and deadline.unit_kind != unit_kind:
                continue
            total += n
            if STEP_ORDER.index(Step(step)) >= position:
                done += n
        late = total - done if deadline.due_on < today else 0
        out.append(
            DeadlineProgress(deadline.step, deadline.unit_kind, deadline.due_on, done, total, late)
        )
    return out
