"""Dated history writes shared by the services and the roster import."""

import datetime

from django.db.models import F

from xeploai.org.models import Member, Membership, Position

ONE_DAY = datetime.timedelta(days=1)
CHUNK = 5000


def transfer_members(moves: list[tuple[int, int]], on: datetime.date) -> None:
    """Move each (member, cell) to its new cell from `on`, in a few set-based statements.

    The open membership ends the day before; one that itself began on or after `on` (a second
    change the same day) is corrected in place, so no period ever ends before it starts. Posts
    held in the old cell end with the membership: a secretary who leaves stops being one.
    """
    ids = [member_id for member_id, _cell in moves]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        same_day = set(
            Membership.objects.filter(
                member_id__in=chunk, valid_to__isnull=True, valid_from__gte=on
            ).values_list("member_id", flat=True)
        )
        Membership.objects.filter(member_id__in=same_day, valid_to__isnull=True).delete()
        Membership.objects.filter(member_id__in=chunk, valid_to__isnull=True).update(
            valid_to=on - ONE_DAY
        )
        Position.objects.filter(
            member_id__in=chunk, unit_id=F("member__cell_id"), valid_to__isnull=True
        ).update(valid_to=on - ONE_DAY)
    Membership.objects.bulk_create(
        [
            Membership(member_id=member_id, cell_id=cell_id, valid_from=on)
            for member_id, cell_id in moves
        ],
        batch_size=2000,
    )
    by_cell: dict[int, list[int]] = {}
    for member_id, cell_id in moves:
        by_cell.setdefault(cell_id, []).append(member_id)
    for cell_id, members in by_cell.items():
        Member.objects.filter(pk__in=members).update(cell_id=cell_id)
