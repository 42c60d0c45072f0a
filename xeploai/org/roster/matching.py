"""Which existing members a roster's rows are, looked up only where the importer may change
records: a file of guessed numbers learns nothing about anyone else (docs/SECURITY.md)."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, members_for_user
from xeploai.org.models import Member, Unit
from xeploai.org.names import fold
from xeploai.org.tree import subtree_q

if TYPE_CHECKING:
    from xeploai.org.roster.validate import Row


def card_key(card: str) -> str:
    """Excel drops the leading zeros of a card number typed as a number: 00000046 → 46."""
    return card.lstrip("0") or card


def _numbers(rows: "list[Row]") -> tuple[list[str], list[str]]:
    cards = [r.card_number for r in rows if r.card_number]
    cards += [c.zfill(8) for c in cards if len(c) < 8 and c.isdigit()]
    return cards, [r.national_id for r in rows if r.national_id]


def existing_members(rows: "list[Row]", scope) -> tuple[dict[str, Member], dict[str, Member]]:
    """The members of `scope` (those whose roster the importer may change) that the file's
    card numbers and national IDs name. Nobody outside it is read."""
    cards, ids = _numbers(rows)
    by_card: dict[str, Member] = {}
    by_id: dict[str, Member] = {}
    fields = (
        "id",
        "full_name",
        "date_of_birth",
        "sex",
        "card_number",
        "national_id",
        "admitted_on",
        "official_on",
        "cell_id",
    )
    for keys, lookup in ((cards, "card_number__in"), (ids, "national_id__in")):
        for start in range(0, len(keys), 5000):
            for m in scope.filter(**{lookup: keys[start : start + 5000]}).only(*fields):
                if m.card_number:
                    by_card[card_key(m.card_number)] = m
                if m.national_id:
                    by_id[m.national_id] = m
    return by_card, by_id


def taken_elsewhere(rows: "list[Row]", scope) -> tuple[set[str], set[str]]:
    """Card numbers (as `card_key`) and national IDs of the file held by someone outside
    `scope`: only the numbers themselves are read, never whose they are, since both are
    unique nationwide and a new member cannot take them."""
    cards, ids = _numbers(rows)
    taken_cards: set[str] = set()
    taken_ids: set[str] = set()
    outside = Member.objects.exclude(pk__in=scope.values("pk"))
    for keys, column, taken in (
        (cards, "card_number", taken_cards),
        (ids, "national_id", taken_ids),
    ):
        for start in range(0, len(keys), 5000):
            found = outside.filter(**{f"{column}__in": keys[start : start + 5000]})
            for number in found.values_list(column, flat=True):
                taken.add(card_key(number) if column == "card_number" else number)
    return taken_cards, taken_ids


def import_scope(actor, root: Unit):
    """The members an import into `root` may match and change: the subtree of `root`, within
    what the importer may change (the access module decides)."""
    members = Member.objects.filter(subtree_q(root.path, "cell__path"))
    if actor is None:
        return members
    return members.filter(pk__in=members_for_user(actor, Action.EDIT_ROSTER).values("pk"))


def not_yours() -> str:
    # The same words whether the number is unknown to the importer's unit or held by a member
    # it may not change: nothing here says whose it is, or whether the row's name fits.
    return _(
        "This number is already registered to a party member whose record you may not change. "
        "A member moving to your unit is transferred by the committee that holds the record; "
        "otherwise check the number."
    )


def taken_numbers(row: "Row", member: Member | None, taken_cards, taken_ids):
    """The row's numbers held by someone outside the import's scope (a number the matched
    member already has is theirs)."""
    found = []
    if row.card_number and card_key(row.card_number) in taken_cards:
        if member is None or card_key(member.card_number or "") != card_key(row.card_number):
            found.append(("card_number", row.card_number))
    if row.national_id and row.national_id in taken_ids:
        if member is None or member.national_id != row.national_id:
            found.append(("national_id", row.national_id))
    return found


def another_person(member: Member, row: "Row") -> bool:
    """A corrected spelling or a corrected birth date is an update; both at once is not the
    same person."""
    return fold(member.full_name) != fold(row.full_name) and (
        member.date_of_birth != row.date_of_birth or member.sex != row.sex
    )
