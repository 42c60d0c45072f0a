"""The posts and discipline sheets: every row checked before anything is written.

A row's member is looked up on the members sheet of the same file, then among the members the
importer may change in the unit imported into, and nowhere else: a number held by anyone else
gets the same answer as a number held by nobody (docs/SECURITY.md).
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from xeploai.org.dates import parse_date
from xeploai.org.models import PositionKind, Unit
from xeploai.org.roster.columns import Column, header_key
from xeploai.org.roster.extracolumns import (
    CELL_POSTS,
    COMMITTEE_POSTS,
    DEPUTY_SECRETARY,
    DISCIPLINE_BY_FIELD,
    DISCIPLINE_VALUES,
    LEADERSHIP_BY_DEFAULT,
    MANAGING_VALUES,
    PARTY_POSTS,
    POST_BY_FIELD,
    POST_VALUES,
    SECRETARY,
    YES_NO,
)
from xeploai.org.roster.matching import card_key
from xeploai.org.roster.reader import Table, column_letter
from xeploai.org.roster.result import Problem, cell_text, folded
from xeploai.org.tree import subtree_q
from xeploai.text import CONTROLS

CHUNK = 5000


@dataclass(frozen=True)
class Person:
    """A member a row may name: already stored (`pk`), or new on the members sheet."""

    pk: int | None
    card: str | None
    national_id: str | None
    full_name: str
    admitted_on: datetime.date


@dataclass
class PostRow:
    line: int
    person: Person
    kind: str
    title: str
    unit: Unit
    is_leadership: bool
    managing_level: str
    valid_from: datetime.date
    valid_to: datetime.date | None


@dataclass
class DisciplineRow:
    line: int
    person: Person
    form: str
    violation_on: datetime.date
    decided_on: datetime.date
    unit_of_act: Unit
    duty_related: bool
    note: str


class People:
    """Card numbers and national IDs → the members the import may name."""

    def __init__(self, scope, sheet_people: list[Person]):
        self.scope = scope
        self.by_card: dict[str, Person] = {}
        self.by_id: dict[str, Person] = {}
        for person in sheet_people:
            self._add(person)

    def _add(self, person: Person) -> None:
        if person.card:
            self.by_card[card_key(person.card)] = person
        if person.national_id:
            self.by_id[person.national_id] = person

    def load(self, cards: set[str], ids: set[str]) -> None:
        """Members of the scope with these numbers, a few queries for the whole file."""
        cards = {c for c in cards if card_key(c) not in self.by_card}
        cards |= {c.zfill(8) for c in cards if len(c) < 8 and c.isdigit()}
        ids = {i for i in ids if i not in self.by_id}
        fields = ("id", "card_number", "national_id", "full_name", "admitted_on")
        for keys, lookup in ((sorted(cards), "card_number__in"), (sorted(ids), "national_id__in")):
            for start in range(0, len(keys), CHUNK):
                found = self.scope.filter(**{lookup: keys[start : start + CHUNK]})
                for pk, card, nid, name, admitted in found.values_list(*fields):
                    self._add(Person(pk, card, nid, name, admitted))

    def find(self, card: str | None, national_id: str | None) -> Person | None:
        if card and card_key(card) in self.by_card:
            return self.by_card[card_key(card)]
        if national_id:
            return self.by_id.get(national_id)
        return None


class Units:
    """Units a row may name: by code or name in the subtree imported into; by code anywhere
    for the place of a violation (a member may have erred in an earlier cell)."""

    def __init__(self, root: Unit):
        self.by_code: dict[str, Unit] = {}
        self.by_name: dict[str, list[Unit]] = {}
        for unit in Unit.objects.filter(subtree_q(root.path), dissolved_on__isnull=True):
            self.by_code[unit.code.lower()] = unit
            self.by_name.setdefault(unit.name_folded, []).append(unit)

    def load_codes(self, codes: set[str]) -> None:
        wanted = sorted({c.lower() for c in codes} - set(self.by_code))
        units = Unit.objects.annotate(code_folded=Lower("code"))
        for start in range(0, len(wanted), CHUNK):
            for unit in units.filter(code_folded__in=wanted[start : start + CHUNK]):
                self.by_code.setdefault(unit.code.lower(), unit)

    def find(self, raw: str) -> Unit | list[Unit] | None:
        unit = self.by_code.get(raw.lower())
        if unit is not None:
            return unit
        named = self.by_name.get(folded(raw), [])
        return named[0] if len(named) == 1 else (named or None)


class _Sheet:
    def __init__(self, table: Table, by_field: dict[str, Column], today: datetime.date):
        self.table = table
        self.by_field = by_field
        self.today = today
        self.problems: list[Problem] = []
        self.formulas = {(line, col) for line, col, _text in table.formula_cells}

    def problem(self, line: int | None, fieldname: str, value: object, reason: str) -> None:
        index = self.table.columns.get(fieldname)
        if (line, index) in self.formulas:
            return
        if index is None:
            column = self.by_field[fieldname].header
        else:
            column = f"{column_letter(index)} ({self.table.headers[index]})"
        self.problems.append(Problem(self.table.sheet, line, column, cell_text(value), reason))

    def text(self, row: list[object], fieldname: str) -> str:
        index = self.table.columns.get(fieldname)
        if index is None or index >= len(row):
            return ""
        return cell_text(row[index])

    def date(self, line, row, fieldname, required=True) -> datetime.date | None:
        index = self.table.columns.get(fieldname)
        raw = row[index] if index is not None and index < len(row) else ""
        if cell_text(raw) == "":
            if required:
                self.problem(line, fieldname, "", _("Required; this cell is empty."))
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self.problem(line, fieldname, raw, _("Not a date; write it as dd/mm/yyyy."))
        elif parsed > self.today:
            self.problem(line, fieldname, raw, _("This date is in the future."))
            return None
        return parsed

    def choice(self, line, row, fieldname, values: dict, reason: str, required=True):
        raw = self.text(row, fieldname)
        if raw == "" and not required:
            return None
        key = " ".join(header_key(raw).split())
        if key not in values:
            self.problem(
                line, fieldname, raw, reason if raw else _("Required; this cell is empty.")
            )
            return None
        return values[key]

    def start(self, required: tuple[str, ...]) -> bool:
        """The header's required columns, and every formula cell; False when columns miss."""
        missing = [f for f in required if f not in self.table.columns]
        if "card_number" not in self.table.columns and "national_id" not in self.table.columns:
            missing.append("card_number")
        for fieldname in missing:
            header = self.by_field[fieldname].header
            self.problem(
                self.table.header_row,
                fieldname,
                "",
                _("Missing column “%(header)s”.") % {"header": header},
            )
        for line, col, formula in self.table.formula_cells:
            header = self.table.headers[col] if col < len(self.table.headers) else ""
            column = f"{column_letter(col)} ({header})" if header else column_letter(col)
            reason = _("The cell holds a formula; type the value itself.")
            self.problems.append(Problem(self.table.sheet, line, column, formula, reason))
        return not missing

    def rows(self):
        for offset, raw in enumerate(self.table.rows):
            if any(cell_text(x) for x in raw):
                yield self.table.header_row + 1 + offset, raw

    def clean(self, line, row) -> bool:
        ok = True
        for fieldname, index in self.table.columns.items():
            raw = row[index] if index < len(row) else ""
            if isinstance(raw, str) and CONTROLS.search(raw):
                self.problem(
                    line,
                    fieldname,
                    CONTROLS.sub("", raw),
                    _("Contains an invisible control character; retype it without copying it."),
                )
                ok = False
        return ok

    def numbers(self, row) -> tuple[str | None, str | None]:
        card = re.sub(r"\s+", "", self.text(row, "card_number")) or None
        nid = re.sub(r"\s+", "", self.text(row, "national_id")) or None
        return card, nid

    def person(self, line, row, people: People) -> Person | None:
        card, nid = self.numbers(row)
        if card is None and nid is None:
            self.problem(
                line,
                "card_number",
                "",
                _("Give the member's party card number or national ID."),
            )
            return None
        person = people.find(card, nid)
        if person is None:
            fieldname = "card_number" if card else "national_id"
            self.problem(
                line,
                fieldname,
                card or nid,
                _(
                    "No member with this number on the members sheet or among the members "
                    "you may change in this unit."
                ),
            )
            return None
        name = self.text(row, "full_name")
        if name and folded(name) != folded(person.full_name):
            self.problem(
                line,
                "full_name",
                name,
                _("This number belongs to %(name)s; check the number or the name.")
                % {"name": person.full_name},
            )
            return None
        return person

    def unit(self, line, row, fieldname, units: Units) -> Unit | None:
        raw = self.text(row, fieldname)
        if not raw:
            self.problem(line, fieldname, raw, _("Required; this cell is empty."))
            return None
        found = units.find(raw)
        if isinstance(found, Unit):
            return found
        if found is None:
            reason = _("No party unit with this code or name in the unit you are importing into.")
        else:
            reason = _("Several units have this name; write the unit's code.")
        self.problem(line, fieldname, raw, reason)
        return None


def _prepare(table: Table, people: People, units: Units, codes_field: str | None) -> None:
    """One query for every number and unit code the sheet names."""
    cards, ids, codes = set(), set(), set()
    index = table.columns.get(codes_field) if codes_field else None
    for raw in table.rows:
        for fieldname, found in (("card_number", cards), ("national_id", ids)):
            at = table.columns.get(fieldname)
            if at is not None and at < len(raw):
                value = re.sub(r"\s+", "", cell_text(raw[at]))
                if value:
                    found.add(value)
        if index is not None and index < len(raw) and cell_text(raw[index]):
            codes.add(cell_text(raw[index]))
    people.load(cards, ids)
    units.load_codes(codes)


def posts_validate(table: Table, people: People, units: Units, today: datetime.date):
    sheet = _Sheet(table, POST_BY_FIELD, today)
    if not sheet.start(("post", "unit", "valid_from")):
        return [], sheet.problems
    _prepare(table, people, units, None)  # a post's unit is in the subtree: no code elsewhere
    found: list[PostRow] = []
    seen: dict[tuple, int] = {}
    for line, row in sheet.rows():
        before = len(sheet.problems)
        if not sheet.clean(line, row):
            continue
        person = sheet.person(line, row, people)
        unit = sheet.unit(line, row, "unit", units)
        kind = sheet.choice(
            line,
            row,
            "post",
            POST_VALUES,
            _("Unknown post; the template's guide lists the posts to write."),
        )
        if unit is not None and kind in (SECRETARY, DEPUTY_SECRETARY):
            pair = {
                SECRETARY: (PositionKind.CELL_SECRETARY, PositionKind.COMMITTEE_SECRETARY),
                DEPUTY_SECRETARY: (
                    PositionKind.CELL_DEPUTY_SECRETARY,
                    PositionKind.COMMITTEE_DEPUTY_SECRETARY,
                ),
            }[kind]
            kind = pair[0] if unit.is_cell else pair[1]
        if unit is not None and kind in CELL_POSTS and not unit.is_cell:
            sheet.problem(
                line,
                "post",
                sheet.text(row, "post"),
                _("A party cell's post, but %(unit)s is not a party cell.") % {"unit": unit.name},
            )
        elif unit is not None and kind in COMMITTEE_POSTS and unit.is_cell:
            sheet.problem(
                line,
                "post",
                sheet.text(row, "post"),
                _("A party committee's post, but %(unit)s is a party cell.") % {"unit": unit.name},
            )
        leadership = sheet.choice(
            line, row, "leadership", YES_NO, _("Write Có or Không."), required=False
        )
        managing = sheet.choice(
            line,
            row,
            "managing_level",
            MANAGING_VALUES,
            _("Unknown managing level; the template's guide lists the levels to write."),
            required=False,
        )
        title = sheet.text(row, "title")
        if len(title) > 255:
            sheet.problem(line, "title", title[:40] + "…", _("Longer than 255 characters."))
        start = sheet.date(line, row, "valid_from")
        end = sheet.date(line, row, "valid_to", required=False)
        if start and end and end < start:
            sheet.problem(
                line, "valid_to", sheet.text(row, "valid_to"), _("The post ends before it begins.")
            )
        if person and start and kind in PARTY_POSTS and start < person.admitted_on:
            sheet.problem(
                line,
                "valid_from",
                sheet.text(row, "valid_from"),
                _("A party post cannot begin before the member was admitted (%(day)s).")
                % {"day": person.admitted_on.strftime("%d/%m/%Y")},
            )
        if len(sheet.problems) > before:
            continue
        key = (person, kind, unit.pk, start)
        if key in seen:
            sheet.problem(
                line,
                "post",
                sheet.text(row, "post"),
                _("Also on row %(row)s: one post per row.") % {"row": seen[key]},
            )
            continue
        seen[key] = line
        found.append(
            PostRow(
                line,
                person,
                kind,
                title,
                unit,
                kind in LEADERSHIP_BY_DEFAULT if leadership is None else leadership,
                managing or MANAGING_VALUES[""],
                start,
                end,
            )
        )
    return found, sheet.problems


def discipline_validate(table: Table, people: People, units: Units, today: datetime.date):
    sheet = _Sheet(table, DISCIPLINE_BY_FIELD, today)
    required = ("form", "violation_on", "decided_on", "unit_of_act", "duty_related")
    if not sheet.start(required):
        return [], sheet.problems
    _prepare(table, people, units, "unit_of_act")
    found: list[DisciplineRow] = []
    seen: dict[tuple, int] = {}
    for line, row in sheet.rows():
        before = len(sheet.problems)
        if not sheet.clean(line, row):
            continue
        person = sheet.person(line, row, people)
        form = sheet.choice(
            line,
            row,
            "form",
            DISCIPLINE_VALUES,
            _("Write Khiển trách, Cảnh cáo, Cách chức or Khai trừ."),
        )
        violation = sheet.date(line, row, "violation_on")
        decided = sheet.date(line, row, "decided_on")
        if violation and decided and decided < violation:
            sheet.problem(
                line,
                "decided_on",
                sheet.text(row, "decided_on"),
                _("The decision is dated before the violation."),
            )
        unit = sheet.unit(line, row, "unit_of_act", units)
        duty = sheet.choice(line, row, "duty_related", YES_NO, _("Write Có or Không."))
        note = sheet.text(row, "note")
        if len(note) > 500:
            sheet.problem(line, "note", note[:40] + "…", _("Longer than 500 characters."))
        if len(sheet.problems) > before:
            continue
        key = (person, form, violation, decided)
        if key in seen:
            sheet.problem(
                line,
                "form",
                sheet.text(row, "form"),
                _("Also on row %(row)s: one decision per row.") % {"row": seen[key]},
            )
            continue
        seen[key] = line
        found.append(DisciplineRow(line, person, form, violation, decided, unit, duty, note))
    return found, sheet.problems


def sheet_people(plan_new, plan_update) -> list[Person]:
    """The members sheet's rows as people the other sheets may name."""
    people = [
        Person(None, r.card_number, r.national_id, r.full_name, r.admitted_on) for r in plan_new
    ]
    people += [
        Person(m.pk, r.card_number, r.national_id, r.full_name, r.admitted_on)
        for m, r in plan_update
    ]
    return people
