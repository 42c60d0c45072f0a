"""Roster import: validate every row first, then write everything in one transaction, or nothing.

Members are matched by party card number, else by national ID. Re-importing the same file
changes nothing; an updated roster becomes history: a new cell is a transfer dated `as_of`, a
new or ended exemption/suspension is a dated status. A workbook's "Chức vụ" and "Kỷ luật"
sheets add posts (with their dates) and discipline records of the same members.
"""

import datetime
import hashlib
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, require
from xeploai.audit.services import event_record
from xeploai.org.models import Member, Unit
from xeploai.org.roster.columns import BY_FIELD
from xeploai.org.roster.extrasheets import (
    People,
    Units,
    discipline_validate,
    posts_validate,
    sheet_people,
)
from xeploai.org.roster.extrawrite import ExtraPlan, extras_plan, extras_write
from xeploai.org.roster.matching import (
    another_person,
    card_key,
    existing_members,
    import_scope,
    not_yours,
    taken_elsewhere,
    taken_numbers,
)
from xeploai.org.roster.reader import Roster, UnreadableFile, read_roster
from xeploai.org.roster.result import ImportResult, Problem, Progress, cell_text
from xeploai.org.roster.validate import Row, validate
from xeploai.org.roster.write import members_write

security_log = logging.getLogger("xeploai.security")

__all__ = ["ImportResult", "Problem", "roster_import", "validate"]


def roster_import(
    *,
    actor,
    root: Unit,
    filename: str,
    data: bytes,
    as_of: datetime.date,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a roster into the subtree of `root`. Nothing is written unless every row is valid."""
    require(actor, Action.IMPORT_ROSTER, root)
    result = ImportResult()
    try:
        roster = read_roster(filename, data)
    except UnreadableFile as exc:
        result.problems.append(Problem(filename, None, "", "", str(exc)))
        return result
    extra_sheets = any(
        any(cell_text(v) for row in t.rows for v in row)
        for t in (roster.posts, roster.discipline)
        if t is not None
    )
    rows, problems = [], []
    if roster.members is not None:
        rows, problems = validate(
            roster.members, root, as_of, progress, require_rows=not extra_sheets
        )
    table = roster.members
    result.rows = len(rows)
    scope = import_scope(actor, root)
    by_card, by_id = existing_members(rows, scope)
    taken_cards, taken_ids = taken_elsewhere(rows, scope)
    plan_new: list[Row] = []
    plan_update: list[tuple[Member, Row]] = []
    elsewhere = 0
    for row in rows:
        member = by_card.get(card_key(row.card_number)) if row.card_number else None
        if member is not None and card_key(member.card_number) == card_key(row.card_number):
            row.card_number = member.card_number  # keep the zeros the roster once had
        other = by_id.get(row.national_id) if row.national_id else None
        if member is None:
            member = other
        elif other is not None and other.pk != member.pk:
            problems.append(
                Problem(
                    table.sheet,
                    row.line,
                    BY_FIELD["national_id"].header,
                    row.national_id,
                    _("This national ID belongs to another member (card %(card)s).")
                    % {"card": other.card_number or "—"},
                )
            )
            continue
        taken = taken_numbers(row, member, taken_cards, taken_ids)
        if taken:
            elsewhere += 1
            problems.extend(
                Problem(table.sheet, row.line, BY_FIELD[name].header, value, not_yours())
                for name, value in taken
            )
        elif member is None:
            plan_new.append(row)
        elif another_person(member, row):
            problems.append(
                Problem(
                    table.sheet,
                    row.line,
                    BY_FIELD["card_number"].header,
                    row.card_number or row.national_id or "",
                    _(
                        "This number belongs to %(name)s, born %(born)s; the row describes someone "
                        "else. Check the number."
                    )
                    % {"name": member.full_name, "born": member.date_of_birth.strftime("%d/%m/%Y")},
                )
            )
        else:
            plan_update.append((member, row))
    extras, extra_problems = _extras(roster, root, scope, plan_new, plan_update, as_of)
    problems += extra_problems
    if problems:
        result.problems = problems
        if elsewhere:
            _record_refusal(actor, root, filename, len(rows), elsewhere)
        return result
    _write(actor, root, filename, data, as_of, plan_new, plan_update, extras, result, progress)
    return result


def _extras(roster: Roster, root: Unit, scope, plan_new, plan_update, as_of):
    """The posts and discipline sheets, checked and compared with what is stored."""
    posts, disciplines, problems = [], [], []
    if roster.posts is None and roster.discipline is None:
        return ExtraPlan(), problems
    people = People(scope, sheet_people(plan_new, plan_update))
    units = Units(root)
    if roster.posts is not None:
        posts, found = posts_validate(roster.posts, people, units, as_of)
        problems += found
    if roster.discipline is not None:
        disciplines, found = discipline_validate(roster.discipline, people, units, as_of)
        problems += found
    plan, found = extras_plan(posts, disciplines, roster.posts, roster.discipline)
    return plan, problems + found


def _record_refusal(actor, root: Unit, filename: str, rows: int, elsewhere: int) -> None:
    """Numbers of members outside the importer's reach were tried: worth knowing (a probe looks
    like this). Logged, not written: a refused import leaves the database as it was."""
    security_log.warning(
        "roster import refused: user=%s unit=%s file=%r rows=%s numbers_held_elsewhere=%s",
        actor.pk if actor else "system",
        root.code,
        filename[:200],
        rows,
        elsewhere,
    )


@transaction.atomic
def _write(actor, root, filename, data, as_of, plan_new, plan_update, extras, result, progress):
    new_by_card, new_by_nid = members_write(
        filename, as_of, plan_new, plan_update, result, progress, actor=actor
    )
    extras_write(extras, new_by_card, new_by_nid, result)
    if result.changed:
        event_record(
            actor=actor,
            action="roster.import",
            target_type="unit",
            target_id=root.pk,
            after={
                "file": filename,
                "sha256": hashlib.sha256(data).hexdigest(),
                "as_of": as_of,
                "created": result.created,
                "updated": result.updated,
                "transferred": result.transferred,
                "status_changes": result.status_changes,
                "posts_created": result.posts_created,
                "posts_ended": result.posts_ended,
                "posts_updated": result.posts_updated,
                "disciplines_created": result.disciplines_created,
                "disciplines_updated": result.disciplines_updated,
            },
        )
