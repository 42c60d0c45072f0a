"""Opening a cycle: every subject of the subtree as of the period's end, set-based."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, require
from xeploai.audit.services import event_record
from xeploai.cycles.models import (
    Cycle,
    CycleState,
    Deadline,
    PeriodKind,
    Step,
    Subject,
    SubjectLink,
)
from xeploai.cycles.periods import deadlines_check, overlap_check, period_check
from xeploai.cycles.pools import deciding_unit_id, similar_group
from xeploai.errors import AppError
from xeploai.org.bulk import insert_rows
from xeploai.org.models import (
    CELL_KINDS,
    Member,
    Membership,
    MemberStatus,
    Position,
    PositionKind,
    StatusKind,
    Unit,
)
from xeploai.org.tree import ancestor_ids, subtree_q
from xeploai.rules import MemberStatus as MemberFacts
from xeploai.rules import (
    Relation,
    SubjectKind,
    all_regulations,
    is_excluded,
    load_regulation,
    regulation_for_period,
)

_HEAD_POSTS = {PositionKind.CELL_SECRETARY, PositionKind.COMMITTEE_SECRETARY, PositionKind.HEAD}
_DEPUTY_POSTS = {
    PositionKind.CELL_DEPUTY_SECRETARY,
    PositionKind.COMMITTEE_DEPUTY_SECRETARY,
    PositionKind.DEPUTY_HEAD,
}


def _active_on(day: datetime.date, start="valid_from", end="valid_to") -> Q:
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": day}))


@transaction.atomic
def cycle_open(
    *,
    actor,
    unit: Unit,
    name: str,
    period_kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    regulation: str | None = None,
    deadlines: list[tuple[str, str, datetime.date]] = (),
    parts: list[Cycle] = (),
) -> Cycle:
    """Open a cycle for `unit`'s subtree and enrol its subjects.

    The regulation is pinned now (default: the one in force at the period's end), so the cycle
    stays reproducible when rules change later.
    """
    require(actor, Action.MANAGE_CYCLE, unit)
    if period_end < period_start:
        raise AppError(_("The period ends before it starts."), field="period_end")
    if regulation:
        code = regulation
    else:
        try:
            code = regulation_for_period(period_end).code
        except LookupError:
            # No generation (or more than one) is in force at the period's end, e.g. 2012.
            raise AppError(
                _(
                    "No regulation on the review and classification of party organizations "
                    "and members known to the system covers a period ending on %(day)s. "
                    "Choose a period from %(first)s on."
                )
                % {
                    "day": period_end.strftime("%d/%m/%Y"),
                    "first": min(r.effective_from for r in all_regulations()).strftime("%d/%m/%Y"),
                },
                field="period_end",
            ) from None
    try:
        load_regulation(code)
    except (KeyError, ValueError):
        raise AppError(
            _("Unknown regulation %(code)s.") % {"code": code}, field="regulation"
        ) from None
    period_check(kind=period_kind, start=period_start, end=period_end, regulation=code)
    deadlines_check(deadlines=deadlines, start=period_start, end=period_end, regulation=code)
    # Every overlapping subtree shares the tree's top unit: locking it makes two openings of
    # the same season wait for each other, so the second one sees the first and is refused.
    list(Unit.objects.select_for_update().filter(pk=ancestor_ids(unit.path)[0]).values("pk"))
    overlap_check(unit=unit, kind=period_kind, start=period_start, end=period_end)
    cycle = Cycle.objects.create(
        unit=unit,
        name=name,
        period_kind=period_kind,
        period_start=period_start,
        period_end=period_end,
        regulation=code,
        state=CycleState.OPEN,
    )
    parts = list(Cycle.objects.filter(pk__in=[part.pk for part in parts]))  # as stored now
    for part in parts:
        if (
            part.unit_id != unit.pk
            or part.state == CycleState.CANCELLED
            or part.period_kind not in (PeriodKind.QUARTER, PeriodKind.MONTH)
            or not (period_start <= part.period_start and part.period_end <= period_end)
        ):
            raise AppError(
                _("A part must be a cycle of the same unit within this period."), field="parts"
            )
    cycle.parts.set(parts)
    Deadline.objects.bulk_create(
        [
            Deadline(cycle=cycle, step=step, unit_kind=kind, due_on=due)
            for step, kind, due in deadlines
        ]
    )
    counts = enrol(cycle)
    event_record(
        actor=actor,
        action="cycle.open",
        target_type="cycle",
        target_id=cycle.pk,
        after={"name": name, "regulation": code, "period": [period_start, period_end], **counts},
    )
    return cycle


def enrol(cycle: Cycle) -> dict[str, int]:
    """Create the subjects and their relations. A handful of queries whatever the size."""
    end = cycle.period_end
    regulation = load_regulation(cycle.regulation)
    units = {
        u["id"]: u
        for u in Unit.objects.filter(subtree_q(cycle.unit.path))
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))
        .values("id", "path", "kind", "has_cell_committee")
    }
    kinds_by_id = {pk: u["kind"] for pk, u in units.items()}
    # Ancestors above the cycle's unit decide some of its subjects (the unit itself, say).
    for pk, kind in Unit.objects.filter(
        pk__in={int(x) for u in units.values() for x in u["path"].strip("/").split("/")}
    ).values_list("id", "kind"):
        kinds_by_id[pk] = kind

    # Sub-selects, not id lists: a province's members would make a 200,000-item IN.
    in_tree = subtree_q(cycle.unit.path, "cell__path")
    memberships = Membership.objects.filter(_active_on(end)).filter(in_tree)
    cell_of = dict(memberships.values_list("member_id", "cell_id"))
    enrolled_ids = memberships.values("member_id")
    members = Member.objects.filter(pk__in=enrolled_ids).values_list(
        "id", "admitted_on", "outside_political_system"
    )
    statuses: dict[int, set[str]] = {}
    for member_id, kind in MemberStatus.objects.filter(
        _active_on(end),
        member_id__in=enrolled_ids,
        kind__in=(StatusKind.EXEMPT, StatusKind.SUSPENDED),
    ).values_list("member_id", "kind"):
        statuses.setdefault(member_id, set()).add(kind)
    posts = list(
        Position.objects.filter(_active_on(end), is_leadership=True)
        .filter(subtree_q(cycle.unit.path, "unit__path"))
        .values_list("id", "member_id", "unit_id", "kind")
    )
    posts = [p for p in posts if p[2] in units]
    deciders: dict[tuple[str, int], int | None] = {}

    def decider(kind: str, unit_id: int) -> int | None:
        key = (kind, unit_id)
        if key not in deciders:
            deciders[key] = deciding_unit_id(kind, units[unit_id]["path"], kinds_by_id)
        return deciders[key]

    leaders = {member_id for _pk, member_id, _u, _k in posts}

    rows = []  # (kind, member, position, unit, deciding, pool, step, excluded_reason)
    for member_id, admitted_on, outside in members:
        cell_id = cell_of[member_id]
        flags = statuses.get(member_id, ())
        rule = is_excluded(
            MemberFacts(
                review_date=end,
                admitted_on=admitted_on,
                exempt=StatusKind.EXEMPT in flags,
                party_activity_suspended=StatusKind.SUSPENDED in flags,
            ),
            regulation,
        )
        kind = (
            SubjectKind.LEADER
            if member_id in leaders
            else SubjectKind.MEMBER_OUTSIDE_SYSTEM
            if outside
            else SubjectKind.MEMBER
        )
        if cell_id not in units:
            continue  # a cell dissolved by the period's end
        deciding = decider(kind, cell_id)
        rows.append(
            (
                kind,
                member_id,
                None,
                cell_id,
                deciding,
                similar_group(kind, deciding, kinds_by_id[cell_id], False),
                Step.EXCLUDED if rule else Step.ENROLLED,
                rule.reason if rule else "",
            )
        )
    for pk, u in units.items():
        deciding = decider(SubjectKind.PARTY_ORGANIZATION, pk)
        kinds = [SubjectKind.PARTY_ORGANIZATION]
        # The committee is a reviewed collective; a cell without a cell committee is not one
        # (its secretary and deputy are reviewed before the cell, HD 43 §1.1).
        if u["kind"] not in CELL_KINDS or u["has_cell_committee"]:
            kinds.append(SubjectKind.LEADERSHIP_COLLECTIVE)
        for kind in kinds:
            group = similar_group(kind, deciding, u["kind"], False)
            rows.append((kind, None, None, pk, deciding, group, Step.ENROLLED, ""))
    excluded = {r[1] for r in rows if r[6] == Step.EXCLUDED}
    for pk, member_id, unit_id, _post_kind in posts:
        if member_id in excluded or member_id not in cell_of:
            continue
        deciding = decider(SubjectKind.LEADER, unit_id)
        rows.append(
            (
                SubjectKind.LEADER,
                member_id,
                pk,
                unit_id,
                deciding,
                similar_group(SubjectKind.LEADER, deciding, units[unit_id]["kind"], True),
                Step.ENROLLED,
                "",
            )
        )

    insert_rows(
        Subject,
        (
            "cycle",
            "kind",
            "member",
            "position",
            "unit",
            "deciding_unit",
            "pool",
            "step",
            "excluded_reason",
            "self_level",
            "proposed_level",
            "decided_level",
            "version",
        ),
        ((cycle.pk, *row, "", "", "", 0) for row in rows),
    )
    _link(cycle, units, posts, cell_of)
    enrolled = sum(1 for r in rows if r[6] != Step.EXCLUDED)
    return {"subjects": enrolled, "excluded": len(rows) - enrolled}


def _link(cycle: Cycle, units: dict, posts: list, cell_of: dict[int, int]) -> None:
    """Relations of the rule core (R38) between the subjects just enrolled."""
    org, collective, member_subject, post_subject = {}, {}, {}, {}
    for pk, kind, member_id, position_id, unit_id, step in Subject.objects.filter(
        cycle=cycle
    ).values_list("id", "kind", "member_id", "position_id", "unit_id", "step"):
        if kind == SubjectKind.PARTY_ORGANIZATION:
            org[unit_id] = pk
        elif kind == SubjectKind.LEADERSHIP_COLLECTIVE:
            collective[unit_id] = pk
        elif position_id:
            post_subject[position_id] = pk
        elif step != Step.EXCLUDED:
            member_subject[member_id] = pk
    links = []
    for member_id, pk in member_subject.items():
        links.append((pk, Relation.MEMBER_OF, org[cell_of[member_id]]))
    for unit_id, u in units.items():
        parts = u["path"].strip("/").split("/")
        parent = int(parts[-2]) if len(parts) > 1 else None
        if parent in org:
            links.append((org[unit_id], Relation.SUB_UNIT_OF, org[parent]))
        if unit_id in collective:
            links.append((collective[unit_id], Relation.BELONGS_TO, org[unit_id]))
    for position_id, _member, unit_id, post_kind in posts:
        source = post_subject.get(position_id)
        target = collective.get(unit_id) or org[unit_id]
        if source is None:
            continue
        relation = (
            Relation.LEADS
            if post_kind in _HEAD_POSTS
            else Relation.DEPUTY_OF
            if post_kind in _DEPUTY_POSTS
            else Relation.MEMBER_OF
        )
        links.append((source, relation, target))
    insert_rows(
        SubjectLink,
        ("cycle", "source", "relation", "target"),
        ((cycle.pk, s, r.value, t) for s, r, t in links),
    )
