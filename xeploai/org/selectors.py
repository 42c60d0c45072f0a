"""Reads of the tree and the roster. Every list is filtered through the access module."""

import datetime

from django.db.models import Q, QuerySet

from xeploai.accounts.access import Action, members_for_user, units_for_user
from xeploai.org.models import Member, Unit, UnitLink
from xeploai.org.names import fold
from xeploai.org.tree import subtree_q


def subtree_units(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(subtree_q(unit.path))


def subtree_members(unit: Unit) -> QuerySet[Member]:
    return Member.objects.filter(subtree_q(unit.path, "cell__path"))


def member_search(*, user, query: str = "", within: Unit | None = None) -> QuerySet[Member]:
    """Members the user may see, accent-insensitive on the name, in Vietnamese order."""
    members = members_for_user(user, Action.VIEW)
    if within is not None:
        members = members.filter(subtree_q(within.path, "cell__path"))
    folded = fold(query)
    if folded:
        members = members.filter(Q(name_folded__contains=folded) | Q(card_number=query.strip()))
    return members.select_related("cell").order_by("sort_key", "pk")


def unit_search(*, user, query: str = "") -> QuerySet[Unit]:
    units = units_for_user(user, Action.VIEW)
    folded = fold(query)
    if folded:
        units = units.filter(Q(name_folded__contains=folded) | Q(code__iexact=query.strip()))
    return units.order_by("path")


def unit_parent_on(unit: Unit, on: datetime.date) -> Unit | None:
    """The parent `unit` had on a given date, from the dated links."""
    link = (
        UnitLink.objects.filter(unit=unit)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("parent")
        .first()
    )
    return link.parent if link else None


def member_cell_on(member: Member, on: datetime.date) -> Unit | None:
    membership = (
        member.memberships.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("cell")
        .first()
    )
    return membership.cell if membership else None


def unit_breadcrumbs(unit: Unit) -> list[Unit]:
    from xeploai.org.tree import ancestor_ids

    ids = ancestor_ids(unit.path)
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
