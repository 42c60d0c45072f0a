"""Units (the tree, a subtree) and members (search, profile, results over the years).
Every object comes through the access module, exactly as the pages take it."""

import datetime

from ninja import Field, Query, Router, Schema

from xeploai.accounts.access import get_member_for_user, get_unit_for_user, root_units_for_user
from xeploai.api.core import Coded, PageQuery, coded, errors, page
from xeploai.api.inputs import text_or_invalid
from xeploai.cycles.models import Level, Step, Subject, SubjectKind
from xeploai.org.models import Unit, UnitKind
from xeploai.org.names import reading_order
from xeploai.org.selectors import member_search, subtree_units

router = Router(tags=["units and members"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: Coded
    parent_id: int | None
    dissolved_on: datetime.date | None


class UnitTreeOut(UnitOut):
    children: list[UnitOut]


class UnitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UnitOut]


def unit_out(unit: Unit) -> dict:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "kind": coded(UnitKind, unit.kind),
        "parent_id": unit.parent_id,
        "dissolved_on": unit.dissolved_on,
    }


@router.get("/units", response=errors(200, list[UnitTreeOut]), summary="Your top units")
def units_roots(request):
    roots = root_units_for_user(request.user)
    children: dict[int, list[Unit]] = {}
    for child in Unit.objects.filter(parent__in=roots, dissolved_on__isnull=True):
        children.setdefault(child.parent_id, []).append(child)
    return [
        {
            **unit_out(root),
            "children": [unit_out(c) for c in sorted(children.get(root.pk, []), key=reading_order)],
        }
        for root in roots
    ]


@router.get("/units/{int:unit_id}", response=errors(200, UnitTreeOut), summary="A unit")
def unit_read(request, unit_id: int):
    unit = get_unit_for_user(request.user, unit_id)
    children = sorted(unit.children.filter(dissolved_on__isnull=True), key=reading_order)
    return {**unit_out(unit), "children": [unit_out(c) for c in children]}


@router.get(
    "/units/{int:unit_id}/subtree", response=errors(200, UnitPage), summary="A unit's subtree"
)
def unit_subtree(request, unit_id: int, query: Query[PageQuery]):
    unit = get_unit_for_user(request.user, unit_id)
    found = page(subtree_units(unit).order_by("path"), query)
    found["items"] = [unit_out(u) for u in found["items"]]
    return found


class MemberOut(Schema):
    id: int
    full_name: str
    cell: UnitOut
    admitted_on: datetime.date
    official_on: datetime.date | None
    left_on: datetime.date | None


class MemberPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MemberOut]


class MemberQuery(PageQuery):
    q: str = Field("", max_length=100, description="Part of a name, or a card number")
    unit: int | None = Field(None, ge=1, le=2**63 - 1, description="Only inside this unit")


def member_out(member) -> dict:
    return {
        "id": member.pk,
        "full_name": member.full_name,
        "cell": unit_out(member.cell),
        "admitted_on": member.admitted_on,
        "official_on": member.official_on,
        "left_on": member.left_on,
    }


@router.get("/members", response=errors(200, MemberPage), summary="Search members")
def members_search(request, query: Query[MemberQuery]):
    within = get_unit_for_user(request.user, query.unit) if query.unit else None
    text = text_or_invalid("q", query.q, 100)
    found = page(member_search(user=request.user, query=text, within=within), query)
    found["items"] = [member_out(m) for m in found["items"]]
    return found


@router.get("/members/{int:member_id}", response=errors(200, MemberOut), summary="A member")
def member_read(request, member_id: int):
    return member_out(get_member_for_user(request.user, member_id))


class ResultOut(Schema):
    cycle_id: int
    cycle: str
    period_end: datetime.date
    kind: Coded
    step: Coded
    decided_level: Coded | None


@router.get(
    "/members/{int:member_id}/history",
    response=errors(200, list[ResultOut]),
    summary="A member's reviews, newest first",
)
def member_history(request, member_id: int):
    member = get_member_for_user(request.user, member_id)
    rows = (
        Subject.objects.filter(member=member)
        .select_related("cycle")
        .order_by("-cycle__period_end", "pk")
    )
    return [
        {
            "cycle_id": s.cycle_id,
            "cycle": s.cycle.name,
            "period_end": s.cycle.period_end,
            "kind": coded(SubjectKind, s.kind),
            "step": coded(Step, s.step),
            "decided_level": coded(Level, s.decided_level),
        }
        for s in rows
    ]
