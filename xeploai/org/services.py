"""Writes to the tree and the roster. Each runs in one transaction, checks access, and records
its audit event and its dated history in that same transaction."""

import datetime

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, may_view_member, require, require_that
from xeploai.audit.services import event_record
from xeploai.cycles.services.roster import roster_changed
from xeploai.errors import AppError
from xeploai.org.history import transfer_members
from xeploai.org.models import (
    CELL_KINDS,
    Member,
    MemberStatus,
    StatusKind,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitLink,
)
from xeploai.org.names import fold, normalize_name
from xeploai.org.tree import child_path, is_within, subtree_q

ONE_DAY = datetime.timedelta(days=1)


def _unit_state(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "parent": unit.parent_id, "path": unit.path}


@transaction.atomic
def unit_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    on: datetime.date,
    org_type: str = "other",
    has_cell_committee: bool = False,
) -> Unit:
    if parent is not None:
        require(actor, Action.MANAGE_TREE, parent)
        if parent.kind in CELL_KINDS:
            raise AppError(_("A party cell cannot contain other units."), field="parent")
        if not parent.is_active:
            raise AppError(_("The parent unit has been dissolved."), field="parent")
    elif actor is not None and not actor.is_superuser:
        raise AppError(_("Only an administrator of the whole system may create a top unit."))
    code = code.strip()
    if Unit.objects.filter(code=code).exists():
        raise AppError(_("The unit code %(code)s is already used.") % {"code": code}, field="code")
    name = normalize_name(name)
    # The path needs the id, which the insert gives; a temporary unique path bridges the gap.
    unit = Unit.objects.create(
        code=code,
        name=name,
        name_folded=fold(name),
        kind=kind,
        org_type=org_type,
        has_cell_committee=has_cell_committee,
        parent=parent,
        path=f"/new-{code}/",
        established_on=on,
    )
    unit.path = child_path(parent.path if parent else None, unit.pk)
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    UnitLink.objects.create(unit=unit, parent=parent, valid_from=on)
    UnitEvent.objects.create(unit=unit, kind=UnitEventKind.CREATED, on=on, new_value=name)
    event_record(
        actor=actor,
        action="unit.create",
        target_type="unit",
        target_id=unit.pk,
        after=_unit_state(unit),
    )
    return unit


@transaction.atomic
def unit_rename(*, actor, unit: Unit, name: str, on: datetime.date) -> Unit:
    require(actor, Action.MANAGE_TREE, unit)
    before = _unit_state(unit)
    old_name, name = unit.name, normalize_name(name)
    if name == old_name:
        return unit
    unit.name, unit.name_folded = name, fold(name)
    unit.save(update_fields=["name", "name_folded"])
    UnitEvent.objects.create(
        unit=unit, kind=UnitEventKind.RENAMED, on=on, old_value=old_name, new_value=name
    )
    event_record(
        actor=actor,
        action="unit.rename",
        target_type="unit",
        target_id=unit.pk,
        before=before,
        after=_unit_state(unit),
    )
    return unit


def _move(unit: Unit, new_parent: Unit, on: datetime.date) -> None:
    """Re-hang `unit` and its whole subtree under `new_parent`: two UPDATEs whatever its size."""
    old_path = unit.path
    new_path = child_path(new_parent.path, unit.pk)
    depth_change = new_parent.depth + 1 - unit.depth
    Unit.objects.filter(subtree_q(old_path)).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    old_parent_id = unit.parent_id
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    UnitLink.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=on - ONE_DAY)
    UnitLink.objects.create(unit=unit, parent=new_parent, valid_from=on)
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.MOVED,
        on=on,
        old_value=str(old_parent_id or ""),
        new_value=str(new_parent.pk),
        other_unit=new_parent,
    )
    unit.refresh_from_db()


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit, on: datetime.date) -> Unit:
    require(actor, Action.MANAGE_TREE, unit)
    require(actor, Action.MANAGE_TREE, new_parent)
    if is_within(new_parent.path, unit.path):
        raise AppError(_("A unit cannot be moved under itself or one of its own sub-units."))
    if new_parent.kind in CELL_KINDS:
        raise AppError(_("A party cell cannot contain other units."), field="parent")
    if not new_parent.is_active or not unit.is_active:
        raise AppError(_("A dissolved unit cannot be moved or receive units."))
    if unit.parent_id == new_parent.pk:
        return unit
    before = _unit_state(unit)
    _move(unit, new_parent, on)
    event_record(
        actor=actor,
        action="unit.move",
        target_type="unit",
        target_id=unit.pk,
        before=before,
        after=_unit_state(unit),
    )
    return unit


@transaction.atomic
def unit_merge(*, actor, source: Unit, target: Unit, on: datetime.date) -> Unit:
    """Merge `source` into `target`: its sub-units and members go to `target`, it is dissolved."""
    require(actor, Action.MANAGE_TREE, source)
    require(actor, Action.MANAGE_TREE, target)
    if source.pk == target.pk or is_within(target.path, source.path):
        raise AppError(_("A unit cannot be merged into itself or one of its own sub-units."))
    if not source.is_active or not target.is_active:
        raise AppError(_("A dissolved unit cannot be merged."))
    member_ids = list(
        Member.objects.filter(cell=source, left_on__isnull=True).values_list("pk", flat=True)
    )
    if member_ids and target.kind not in CELL_KINDS:
        raise AppError(_("The members of a cell can only be merged into another cell."))
    children = list(source.children.filter(dissolved_on__isnull=True))
    if children and target.kind in CELL_KINDS:
        raise AppError(_("A party cell cannot contain other units."))
    before = _unit_state(source)
    for child in children:
        _move(child, target, on)
    if member_ids:
        transfer_members([(pk, target.pk) for pk in member_ids], on)
        roster_changed(actor=actor, member_ids=member_ids, on=on)
    Unit.objects.filter(pk=source.pk).update(dissolved_on=on, merged_into=target)
    UnitLink.objects.filter(unit=source, valid_to__isnull=True).update(valid_to=on - ONE_DAY)
    UnitEvent.objects.create(
        unit=source,
        kind=UnitEventKind.MERGED,
        on=on,
        other_unit=target,
        new_value=target.name,
        note=f"{len(children)} units, {len(member_ids)} members",
    )
    UnitEvent.objects.create(
        unit=target,
        kind=UnitEventKind.MERGED,
        on=on,
        other_unit=source,
        old_value=source.name,
        note=f"{len(children)} units, {len(member_ids)} members",
    )
    source.refresh_from_db()
    event_record(
        actor=actor,
        action="unit.merge",
        target_type="unit",
        target_id=source.pk,
        before=before,
        after={"merged_into": target.pk, "units": len(children), "members": len(member_ids)},
    )
    return target


@transaction.atomic
def unit_dissolve(*, actor, unit: Unit, on: datetime.date, note: str = "") -> Unit:
    require(actor, Action.MANAGE_TREE, unit)
    if not unit.is_active:
        raise AppError(_("This unit is already dissolved."))
    if unit.children.filter(dissolved_on__isnull=True).exists():
        raise AppError(_("Move or merge its sub-units before dissolving this unit."))
    if Member.objects.filter(cell=unit, left_on__isnull=True).exists():
        raise AppError(_("Transfer its members before dissolving this cell."))
    Unit.objects.filter(pk=unit.pk).update(dissolved_on=on)
    UnitLink.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=on)
    UnitEvent.objects.create(unit=unit, kind=UnitEventKind.DISSOLVED, on=on, note=note)
    unit.refresh_from_db()
    event_record(
        actor=actor,
        action="unit.dissolve",
        target_type="unit",
        target_id=unit.pk,
        after={"dissolved_on": on},
    )
    return unit


@transaction.atomic
def member_transfer(*, actor, member: Member, to_cell: Unit, on: datetime.date) -> Member:
    """Move a member's official membership to another cell; the old one stays in the history."""
    require(actor, Action.EDIT_ROSTER, member.cell)
    require(actor, Action.EDIT_ROSTER, to_cell)
    if to_cell.kind not in CELL_KINDS:
        raise AppError(_("Members belong to party cells; choose a cell."), field="cell")
    if not to_cell.is_active:
        raise AppError(_("The chosen cell has been dissolved."), field="cell")
    if member.cell_id == to_cell.pk:
        return member
    before = {"cell": member.cell_id}
    transfer_members([(member.pk, to_cell.pk)], on)
    member.refresh_from_db()
    roster_changed(actor=actor, member_ids=[member.pk], on=on)
    event_record(
        actor=actor,
        action="member.transfer",
        target_type="member",
        target_id=member.pk,
        before=before,
        after={"cell": to_cell.pk, "on": on},
    )
    return member


@transaction.atomic
def member_status_start(
    *, actor, member: Member, kind: str, on: datetime.date, unit: Unit | None = None, note=""
) -> MemberStatus:
    require(actor, Action.EDIT_ROSTER, member.cell)
    if kind in (StatusKind.TEMPORARY_ACTIVITY, StatusKind.RESIDENCE_CELL) and unit is None:
        raise AppError(_("Name the other cell for this status."), field="unit")
    MemberStatus.objects.filter(member=member, kind=kind, valid_to__isnull=True).update(
        valid_to=on - ONE_DAY
    )
    status = MemberStatus.objects.create(
        member=member, kind=kind, unit=unit, valid_from=on, note=note
    )
    event_record(
        actor=actor,
        action="member.status_start",
        target_type="member",
        target_id=member.pk,
        after={"kind": kind, "unit": unit.pk if unit else None, "on": on},
    )
    return status


@transaction.atomic
def member_status_end(*, actor, member: Member, kind: str, on: datetime.date) -> int:
    require(actor, Action.EDIT_ROSTER, member.cell)
    ended = MemberStatus.objects.filter(Q(member=member, kind=kind, valid_to__isnull=True)).update(
        valid_to=on
    )
    if ended:
        event_record(
            actor=actor,
            action="member.status_end",
            target_type="member",
            target_id=member.pk,
            after={"kind": kind, "on": on},
        )
    return ended


@transaction.atomic
def member_identifiers_reveal(*, actor, member: Member) -> Member:
    """Someone chose to see a member's full card number and national ID: audited."""
    require_that(actor is None or may_view_member(actor, member))
    event_record(actor=actor, action="member.reveal", target_type="member", target_id=member.pk)
    return member
