"""The members sheet's writes: new members, changed records, transfers and statuses, in a
few set-based statements."""

import datetime

from xeploai.cycles.services.roster import roster_changed
from xeploai.org.bulk import insert_rows
from xeploai.org.history import transfer_members
from xeploai.org.models import Member, Membership, MemberStatus, StatusKind
from xeploai.org.names import fold, sort_key
from xeploai.org.roster.validate import Row

BATCH = 2000
ONE_DAY = datetime.timedelta(days=1)


_MEMBER_FIELDS = (
    "full_name",
    "name_folded",
    "sort_key",
    "date_of_birth",
    "sex",
    "card_number",
    "national_id",
    "admitted_on",
    "official_on",
    "cell",
    "outside_political_system",
)
_COMPARED = (
    "full_name",
    "date_of_birth",
    "sex",
    "card_number",
    "national_id",
    "admitted_on",
    "official_on",
)


def members_write(filename, as_of, plan_new, plan_update, result, progress, actor=None):
    """Write the members sheet; the new members' ids by card number and national ID."""
    # Statuses are compared against what is open today, for the members in the file only.
    member_ids = [m.pk for m, _row in plan_update]
    open_status: dict[int, set[str]] = {}
    for start in range(0, len(member_ids), 5000):
        for member_id, kind in MemberStatus.objects.filter(
            member_id__in=member_ids[start : start + 5000],
            valid_to__isnull=True,
            kind__in=(StatusKind.EXEMPT, StatusKind.SUSPENDED),
        ).values_list("member_id", "kind"):
            open_status.setdefault(member_id, set()).add(kind)

    changed_members: list[Member] = []
    transfers: list[tuple[Member, Row]] = []
    status_start: list[MemberStatus] = []
    status_end: list[tuple[int, str]] = []
    for member, row in plan_update:
        dirty = False
        for name in _COMPARED:
            if getattr(member, name) != getattr(row, name):
                setattr(member, name, getattr(row, name))
                dirty = True
        if dirty:
            member.name_folded = fold(member.full_name)
            member.sort_key = sort_key(member.full_name)
            changed_members.append(member)
        if member.cell_id != row.cell.pk:
            transfers.append((member, row))
        status_changed = False
        if row.has_status_column:
            current = open_status.get(member.pk, set())
            wanted = {row.status} if row.status else set()
            for kind in wanted - current:
                status_start.append(
                    MemberStatus(member=member, kind=kind, valid_from=as_of, note=filename)
                )
            for kind in current - wanted:
                status_end.append((member.pk, kind))
            status_changed = wanted != current
        if not dirty and member.cell_id == row.cell.pk and not status_changed:
            result.unchanged += 1

    # New members: plain INSERTs, then their ids read back by card number / national ID.
    last_id = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    insert_rows(
        Member,
        _MEMBER_FIELDS,
        (
            (
                r.full_name,
                fold(r.full_name),
                sort_key(r.full_name),
                r.date_of_birth,
                r.sex,
                r.card_number,
                r.national_id,
                r.admitted_on,
                r.official_on,
                r.cell.pk,
                False,
            )
            for r in plan_new
        ),
    )
    if progress:
        progress("write", len(plan_new), len(plan_new))
    new_ids_by_card, new_ids_by_nid = {}, {}
    for pk, card, nid in Member.objects.filter(pk__gt=last_id).values_list(
        "pk", "card_number", "national_id"
    ):
        new_ids_by_card[card] = pk
        new_ids_by_nid[nid] = pk
    new_ids = [
        new_ids_by_card[r.card_number] if r.card_number else new_ids_by_nid[r.national_id]
        for r in plan_new
    ]
    # A new member's membership is known from the admission date (the earliest fact we have).
    insert_rows(
        Membership,
        ("member", "cell", "valid_from"),
        ((pk, r.cell.pk, r.admitted_on) for pk, r in zip(new_ids, plan_new, strict=True)),
    )
    status_start.extend(
        MemberStatus(member_id=pk, kind=r.status, valid_from=as_of, note=filename)
        for pk, r in zip(new_ids, plan_new, strict=True)
        if r.status
    )
    if changed_members:
        Member.objects.bulk_update(
            changed_members, [*_COMPARED, "name_folded", "sort_key"], batch_size=BATCH
        )
    if transfers:
        for m, r in transfers:
            m.cell = r.cell
        transfer_members([(m.pk, r.cell.pk) for m, r in transfers], as_of)
    for kind in (StatusKind.EXEMPT, StatusKind.SUSPENDED):
        ending = [member_id for member_id, k in status_end if k == kind]
        for start in range(0, len(ending), 5000):
            MemberStatus.objects.filter(
                member_id__in=ending[start : start + 5000], kind=kind, valid_to__isnull=True
            ).update(valid_to=as_of - ONE_DAY)
    MemberStatus.objects.bulk_create(status_start, batch_size=BATCH)

    result.created = len(plan_new)
    result.updated = len(changed_members)
    result.transferred = len(transfers)
    # Members who joined or moved while a cycle is open are enrolled in it (or moved with it).
    roster_changed(actor=actor, member_ids=[*new_ids, *(m.pk for m, _r in transfers)], on=as_of)
    result.status_changes = len(status_start) + len(status_end)
    return new_ids_by_card, new_ids_by_nid
