"""Reads of the review season: the calibration board, progress, a subject's history, and what a
subject's page may still do (edit, appraise, re-rate) and preview."""

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from xeploai import labels
from xeploai.audit.models import Event
from xeploai.cycles.facts import build_facts, group_scores
from xeploai.cycles.models import (
    Cycle,
    CycleState,
    Deadline,
    Level,
    RemediationItem,
    Step,
    Subject,
)
from xeploai.cycles.pools import pool_outcome
from xeploai.org.models import Membership, Position, Unit
from xeploai.org.names import reading_order
from xeploai.org.tree import child_under, subtree_q
from xeploai.rules import CapResult, FactsError, check_caps, classify, load_regulation

STEP_ORDER = [Step.ENROLLED, Step.SELF_DRAFT, Step.SELF_SUBMITTED, Step.APPRAISED, Step.DECIDED]


@dataclass
class Board:
    rows: list[dict]
    caps: CapResult
    # The caps' suggested moves in words, set by board_decorate.
    moves: list[dict] = field(default_factory=list)


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


def board_decorate(view: Board, blocks) -> dict[int, list[str]]:
    """What a board row shows beside its codes: each level in words, the pool as the group
    of similar subjects, the blocks found, and the level choice. Returns the blocks' messages
    by subject."""
    blocked: dict[int, list[str]] = {}
    for block in blocks:
        blocked.setdefault(block.subject_id, []).append(block.message)
    # A board has a thousand rows: the level choices are built once per level, not per row.
    # The abbreviation leads, so the choice reads even where the cell is narrow.
    names = [(value, labels.level_choice(value)) for value in Level.values]
    options = {
        selected: mark_safe(
            '<option value="">—</option>'
            + "".join(
                f'<option value="{v}"{" selected" if v == selected else ""}>{escape(name)}</option>'
                for v, name in names
            )
        )
        for selected in ("", *Level.values)
    }
    pools: dict[str, str] = {}
    for row in view.rows:
        for column in ("self_level", "proposed_level", "decided_level"):
            row[f"{column}_label"] = labels.level(row[column]) if row[column] else ""
        rules_level = (row["appraisal__verdict"] or {}).get("level")
        row["rules_label"] = labels.level(rules_level) if rules_level else ""
        if row["pool"] not in pools:
            pools[row["pool"]] = labels.pool(row["pool"])
        row["pool_label"] = pools[row["pool"]]
        row["blocks"] = blocked.get(row["id"], ())
        row["sid"] = str(row["id"])
        row["options"] = options[row["outcome"] or ""]
    names = {str(row["id"]): row["name"] for row in view.rows}
    vietnamese = labels.in_vietnamese()
    view.moves = [
        {
            "name": names.get(str(move.subject), labels.DASH),
            "to": labels.level(move.to_level),
            "note": move.note_vi if vietnamese else move.note_en,
        }
        for move in view.caps.moves
    ]
    return blocked


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
        .select_related("actor", "actor__member")
        .order_by("id")
    )


def subject_history_lines(subject: Subject) -> list:
    """The history page: each event of the subject as a sentence (cycles/narrative.py)."""
    from xeploai.cycles.narrative import sentence

    return [sentence(event, subject) for event in subject_history(subject)]


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


# --- what a subject's page may still do --------------------------------------------------
# Who may do it is the access module's (may_self_assess, may_appraise, may_decide); whether
# the subject's step still allows it is here. Pages show a form only when both say yes, and the
# services refuse on the same two answers.

SELF_EDITABLE_STEPS = frozenset({Step.ENROLLED, Step.SELF_DRAFT, Step.SELF_SUBMITTED})
APPRAISABLE_STEPS = frozenset({Step.SELF_SUBMITTED, Step.APPRAISED})


def self_assessment_editable(subject: Subject) -> bool:
    """The self-assessment can still be changed: the cycle is open and no appraisal or
    decision has been made on it."""
    return subject.cycle.state == CycleState.OPEN and subject.step in SELF_EDITABLE_STEPS


def appraisal_open(subject: Subject) -> bool:
    """The meeting's result can be recorded (or recorded again before the decision)."""
    return subject.cycle.state == CycleState.OPEN and subject.step in APPRAISABLE_STEPS


def rerating_open(subject: Subject) -> bool:
    """Only a decided result is re-rated (Mẫu 03)."""
    return subject.step == Step.DECIDED


@dataclass(frozen=True)
class Convened:
    """How many could be present at the meeting that appraises a subject: the cell's members
    on the day, or the size of the collective that meets; `count` None when nobody is known."""

    count: int | None
    cell: bool


def convened(subject: Subject, on: datetime.date) -> Convened:
    """One count query: members of the cell on `on`, else holders of a post in the unit."""
    alive = Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    if subject.unit.is_cell:
        n = Membership.objects.filter(alive, cell_id=subject.unit_id).values("member").distinct()
        return Convened(n.count() or None, True)
    n = Position.objects.filter(alive, unit_id=subject.unit_id).values("member").distinct()
    return Convened(n.count() or None, False)


# --- the rule preview ------------------------------------------------------------------------


def stored_points(assessment) -> dict[str, Decimal]:
    """The points saved on a self-assessment, as numbers (an unreadable one left out)."""
    points = {}
    for key, raw in (assessment.scores if assessment else {}).items():
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            continue
        if number.is_finite():
            points[key] = number
    return points


def score_preview(subject: Subject, regulation, points: dict[str, Decimal], tasks=None) -> dict:
    """Running total and the level the rule core would give on what is typed so far. Points
    reach here checked by the form (each item and each group within its maximum)."""
    try:
        totals = group_scores(subject, regulation, points) if points else None
    except FactsError as exc:
        return {"error": labels.facts_error(exc)}
    if totals is None:
        return {}
    result = {"totals": totals, "total": sum(totals.values())}
    try:
        facts = replace(build_facts(subject, regulation), scores=totals)
        if tasks is not None:
            facts = replace(facts, tasks=tasks)
        verdict = classify(facts, regulation)
        result["level"] = verdict.level.value if verdict.level else None
        english = not labels.in_vietnamese()
        result["reasons"] = [
            r.message_en if english else r.message_vi
            for r in verdict.reasons
            if str(r.kind) != "note"
        ][:4]
    except FactsError as exc:
        result["missing"] = labels.facts_error(exc)
    return result
def notices_for(cycle, limit=200):
    """The latest roster notices of a cycle, with their people and units, in one query."""
    return list(
        cycle.notices.select_related("member", "from_unit", "to_unit").order_by(
            "-created_at", "-pk"
        )[:limit]
    )
