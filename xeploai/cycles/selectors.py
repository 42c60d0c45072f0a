"""Reads of the review season: the calibration board, progress, a subject's history."""

import datetime
from dataclasses import dataclass

from django.db.models import Count

from xeploai.audit.models import Event
from xeploai.cycles.models import Cycle, Deadline, RemediationItem, Step, Subject
from xeploai.cycles.pools import pool_outcome
from xeploai.org.models import Unit
from xeploai.org.names import reading_order
from xeploai.org.tree import child_under, subtree_q
from xeploai.rules import CapResult, check_caps, load_regulation

STEP_ORDER = [Step.ENROLLED, Step.SELF_DRAFT, Step.SELF_SUBMITTED, Step.APPRAISED, Step.DECIDED]


@dataclass
class Board:
    rows: list[dict]
    caps: CapResult


def board(cycle: Cycle, deciding_unit: Unit, what_if: dict[int, str] | None = None) -> Board:
    """Every subject one unit decides: self vs proposed vs decided, the rule core's verdict,
    and the caps over the outcome (decided, else proposed, else self-rated) with `what_if`
    moves applied. Two queries and one cap check."""
    what_if = what_if or {}
    rows = list(
        Subject.objects.filter(cycle=cycle, deciding_unit=deciding_unit)
        .exclude(step=Step.EXCLUDED)
        .values(
            "id",
            "kind",
            "pool",
            "step",
            "self_level",
            "self_score",
            "proposed_level",
            "decided_level",
            "deciding_unit_id",
            "unit__path",
            "unit__name",
            "member__full_name",
            "member__sort_key",
            "appraisal__verdict",
        )
        .order_by("pool", "member__sort_key", "unit__name")
    )
    outcomes = []
    for row in rows:
        level = (
            what_if.get(row["id"])
            or row["decided_level"]
            or row["proposed_level"]
            or row["self_level"]
        )
        row["outcome"] = level
        row["name"] = row["member__full_name"] or row["unit__name"]
        if level:
            outcomes.append(pool_outcome(row, level))
    caps = check_caps(outcomes, load_regulation(cycle.regulation))
    return Board(rows, caps)


@dataclass
class UnitProgress:
    unit: Unit
    steps: dict[str, int]
    late: int

    @property
    def total(self) -> int:
        return sum(self.steps.values())


def progress(cycle: Cycle, unit: Unit, today: datetime.date) -> list[UnitProgress]:
    """For each unit directly under `unit` (and the unit itself), subjects per step and how many
    are behind a passed deadline. One grouped query."""
    rows = (
        Subject.objects.filter(cycle=cycle)
        .filter(subtree_q(unit.path, "unit__path"))
        .values("unit__path", "unit__kind", "step")
        .annotate(n=Count("id"))
    )
    deadlines = list(Deadline.objects.filter(cycle=cycle, due_on__lt=today))
    per_child: dict[int, UnitProgress] = {}
    children = {u.pk: u for u in Unit.objects.filter(parent=unit)}
    children[unit.pk] = unit
    for row in rows:
        child_id = child_under(row["unit__path"], unit.path, unit.pk)
        entry = per_child.setdefault(child_id, UnitProgress(children[child_id], {}, 0))
        entry.steps[row["step"]] = entry.steps.get(row["step"], 0) + row["n"]
        if _is_late(row["step"], row["unit__kind"], deadlines):
            entry.late += row["n"]
    return sorted(per_child.values(), key=lambda p: (p.unit.pk != unit.pk, reading_order(p.unit)))


def _is_late(step: str, unit_kind: str, deadlines: list[Deadline]) -> bool:
    if step in (Step.EXCLUDED, Step.DECIDED):
        return False
    position = STEP_ORDER.index(Step(step))
    for deadline in deadlines:
        if deadline.unit_kind and deadline.unit_kind != unit_kind:
            continue
        if position < STEP_ORDER.index(Step(deadline.step)):
            return True
    return False


def subject_history(subject: Subject):
    return (
        Event.objects.filter(target_type="subject", target_id=subject.pk)
        .select_related("actor")
        .order_by("id")
    )


def subjects_in_unit(cycle: Cycle, unit: Unit):
    """The subjects of one unit (a cell's members, the cell itself, its committee, its posts)."""
    return (
        Subject.objects.filter(cycle=cycle, unit=unit)
        .select_related("member", "position")
        .order_by("kind", "member__sort_key")
    )


def board_units_for_user(user, cycle: Cycle) -> list[Unit]:
    """Deciding units whose board the user may open: to decide, or to calibrate (staff)."""
    from xeploai.accounts.access import Action, may, may_decide_at

    ids = (
        Subject.objects.filter(cycle=cycle)
        .exclude(deciding_unit=None)
        .values_list("deciding_unit", flat=True)
        .distinct()
    )
    units = Unit.objects.filter(pk__in=ids).order_by("path")
    return [u for u in units if may_decide_at(user, u) or may(user, Action.VIEW, u)]


@dataclass
class UnitResults:
    unit: Unit
    members: dict[str, int]
    organizations: dict[str, int]


def results(cycle: Cycle, unit: Unit) -> list[UnitResults]:
    """Decided levels of members and of party organizations under each unit directly below
    `unit`, for the levels above that follow the season. One grouped query."""
    rows = (
        Subject.objects.filter(cycle=cycle, step=Step.DECIDED, position__isnull=True)
        .filter(subtree_q(unit.path, "unit__path"))
        .values("unit__path", "kind", "decided_level")
        .annotate(n=Count("id"))
    )
    children = {u.pk: u for u in Unit.objects.filter(parent=unit)}
    children[unit.pk] = unit
    out: dict[int, UnitResults] = {}
    for row in rows:
        child_id = child_under(row["unit__path"], unit.path, unit.pk)
        entry = out.setdefault(child_id, UnitResults(children[child_id], {}, {}))
        if row["kind"] == "party_organization":
            target = entry.organizations
        elif row["kind"] == "leadership_collective":
            continue
        else:
            target = entry.members
        target[row["decided_level"]] = target.get(row["decided_level"], 0) + row["n"]
    return sorted(out.values(), key=lambda r: (r.unit.pk != unit.pk, reading_order(r.unit)))


def own_reviews(member) -> dict:
    """A member's home: reviews still open to them, their last results, what is left to fix."""
    return {
        "open_reviews": Subject.objects.filter(member=member, cycle__state="open")
        .exclude(step__in=(Step.DECIDED, Step.EXCLUDED))
        .select_related("cycle"),
        "results": Subject.objects.filter(member=member, step=Step.DECIDED, position=None)
        .select_related("cycle")
        .order_by("-cycle__period_end")[:10],
        "remediation": RemediationItem.objects.filter(member=member)
        .exclude(status="fixed")
        .select_related("origin__cycle"),
    }


def notices_for(cycle, limit=200):
    """The latest roster notices of a cycle, with their people and units, in one query."""
    return list(
        cycle.notices.select_related("member", "from_unit", "to_unit").order_by(
            "-created_at", "-pk"
        )[:limit]
    )
