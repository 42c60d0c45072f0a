"""The members sheet: every row checked against the tree before anything is written."""

import datetime
import functools
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xeploai.org.dates import parse_date
from xeploai.org.models import CELL_KINDS, Unit
from xeploai.org.names import normalize_name
from xeploai.org.roster.columns import BY_FIELD, SEX_VALUES, STATUS_VALUES, header_key
from xeploai.org.roster.reader import Table, column_letter
from xeploai.org.roster.result import Problem, Progress
from xeploai.org.roster.result import cell_text as _text
from xeploai.org.roster.result import folded as _folded
from xeploai.org.tree import subtree_q
from xeploai.text import CONTROLS


@dataclass
class Row:
    line: int
    full_name: str
    date_of_birth: datetime.date
    sex: str
    card_number: str | None
    national_id: str | None
    admitted_on: datetime.date
    official_on: datetime.date | None
    cell: Unit
    status: str | None
    has_status_column: bool


@functools.lru_cache(maxsize=256)
def _status_key(text: str) -> str:
    return header_key(text)


class _Validator:
    def __init__(self, table: Table, root: Unit, today: datetime.date):
        self.table = table
        self.today = today
        self.problems: list[Problem] = []
        # A formula cell is reported once, as a formula, not again as a bad value.
        self.formulas = {(line, col) for line, col, _text in table.formula_cells}
        cells = Unit.objects.filter(
            subtree_q(root.path), kind__in=CELL_KINDS, dissolved_on__isnull=True
        )
        self.cells_by_code = {}
        self.cells_by_name: dict[str, list[Unit]] = {}
        for cell in cells:
            self.cells_by_code[cell.code.lower()] = cell
            self.cells_by_name.setdefault(cell.name_folded, []).append(cell)
        committees = Unit.objects.filter(subtree_q(root.path)).exclude(kind__in=CELL_KINDS)
        self.orgs: dict[str, list[str]] = {}
        for org in committees.only("code", "name_folded", "path"):
            self.orgs.setdefault(org.code.lower(), []).append(org.path)
            self.orgs.setdefault(org.name_folded, []).append(org.path)

    def problem(self, line: int | None, fieldname: str | None, value: object, reason: str):
        if fieldname is None:
            column = ""
        else:
            index = self.table.columns.get(fieldname)
            if (line, index) in self.formulas:
                return
            header = self.table.headers[index] if index is not None else BY_FIELD[fieldname].header
            column = f"{column_letter(index)} ({header})" if index is not None else header
        self.problems.append(Problem(self.table.sheet, line, column, _text(value), reason))

    def value(self, row: list[object], fieldname: str) -> object:
        index = self.table.columns.get(fieldname)
        if index is None or index >= len(row):
            return ""
        return row[index]

    def date(self, line, row, fieldname, required=True) -> datetime.date | None:
        raw = self.value(row, fieldname)
        if _text(raw) == "":
            if required:
                self.problem(line, fieldname, raw, _("Required; this cell is empty."))
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self.problem(line, fieldname, raw, _("Not a date; write it as dd/mm/yyyy."))
        elif parsed > self.today:
            self.problem(line, fieldname, raw, _("This date is in the future."))
            return None
        return parsed

    def cell(self, line, row) -> Unit | None:
        raw = _text(self.value(row, "cell"))
        if not raw:
            self.problem(line, "cell", raw, _("Required; this cell is empty."))
            return None
        by_code = self.cells_by_code.get(raw.lower())
        if by_code is not None:
            return by_code
        candidates = self.cells_by_name.get(_folded(raw), [])
        org_raw = _text(self.value(row, "organization"))
        if org_raw and len(candidates) > 1:
            org_paths = self.orgs.get(org_raw.lower(), []) + self.orgs.get(_folded(org_raw), [])
            candidates = [c for c in candidates if any(c.path.startswith(p) for p in org_paths)]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            self.problem(
                line,
                "cell",
                raw,
                _("No party cell with this code or name in the unit you are importing into."),
            )
        else:
            self.problem(
                line,
                "cell",
                raw,
                _(
                    "Several cells have this name; write the cell's "
                    "code, or fill the Đảng bộ column."
                ),
            )
        return None

    def row(self, line: int, row: list[object]) -> Row | None:
        before = len(self.problems)
        for fieldname in self.table.columns:
            raw = self.value(row, fieldname)
            if isinstance(raw, str) and CONTROLS.search(raw):
                self.problem(
                    line,
                    fieldname,
                    CONTROLS.sub("", raw),
                    _("Contains an invisible control character; retype it without copying it."),
                )
        if len(self.problems) > before:
            return None
        name = normalize_name(_text(self.value(row, "full_name")))
        if not name:
            self.problem(line, "full_name", name, _("Required; this cell is empty."))
        elif any(ch.isdigit() for ch in name) or len(name) > 128:
            self.problem(line, "full_name", name, _("Not a person's name."))
        birth = self.date(line, row, "date_of_birth")
        sex_raw = _text(self.value(row, "sex"))
        sex = SEX_VALUES.get(_folded(sex_raw))
        if sex is None:
            self.problem(line, "sex", sex_raw, _("Write Nam or Nữ."))
        card = re.sub(r"\s+", "", _text(self.value(row, "card_number"))) or None
        if card is not None and not re.fullmatch(r"[0-9A-Za-z.\-/]{1,32}", card):
            self.problem(line, "card_number", card, _("Not a party card number."))
        national_id = re.sub(r"\s+", "", _text(self.value(row, "national_id"))) or None
        if national_id is not None and not re.fullmatch(r"\d{9}|\d{12}", national_id):
            self.problem(
                line,
                "national_id",
                national_id,
                _("A national ID has 12 digits (9 for an old identity card)."),
            )
        if card is None and national_id is None:
            self.problem(
                line,
                "card_number",
                "",
                _(
                    "Give the party card number or the national "
                    "ID, so the member can be recognised."
                ),
            )
        admitted = self.date(line, row, "admitted_on")
        official = self.date(line, row, "official_on", required=False)
        if birth and admitted and admitted <= birth:
            self.problem(
                line,
                "admitted_on",
                self.value(row, "admitted_on"),
                _("The admission date is not after the date of birth."),
            )
        if admitted and official and official < admitted:
            self.problem(
                line,
                "official_on",
                self.value(row, "official_on"),
                _("The official date is before the admission date."),
            )
        cell = self.cell(line, row)
        status = None
        has_status = "status" in self.table.columns
        if has_status:
            status_raw = _text(self.value(row, "status"))
            key = _status_key(status_raw)
            if key not in STATUS_VALUES:
                self.problem(
                    line,
                    "status",
                    status_raw,
                    _(
                        "Unknown status; leave it empty or "
                        "write Miễn công tác và sinh hoạt đảng or Đình chỉ sinh hoạt đảng."
                    ),
                )
            else:
                status = STATUS_VALUES[key]
        if len(self.problems) > before:
            return None
        return Row(
            line, name, birth, sex, card, national_id, admitted, official, cell, status, has_status
        )


def validate(
    table: Table,
    root: Unit,
    today: datetime.date,
    progress: Progress | None = None,
    require_rows: bool = True,
):
    v = _Validator(table, root, today)
    required = [
        c
        for c in ("full_name", "date_of_birth", "sex", "admitted_on", "cell")
        if c not in table.columns
    ]
    if "card_number" not in table.columns and "national_id" not in table.columns:
        required.append("card_number")
    for fieldname in required:
        v.problem(
            table.header_row,
            fieldname,
            "",
            _("Missing column “%(header)s”.") % {"header": BY_FIELD[fieldname].header},
        )
    if required:
        return [], v.problems
    for line, col, formula in table.formula_cells:
        header = table.headers[col] if col < len(table.headers) else ""
        column = f"{column_letter(col)} ({header})" if header else column_letter(col)
        v.problems.append(
            Problem(
                table.sheet,
                line,
                column,
                formula,
                _("The cell holds a formula; type the value itself."),
            )
        )
    rows: list[Row] = []
    seen_card: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    total = len(table.rows)
    for offset, raw in enumerate(table.rows):
        line = table.header_row + 1 + offset
        if not any(_text(x) for x in raw):
            continue
        parsed = v.row(line, raw)
        if parsed is not None:
            for key, seen, fieldname in (
                (parsed.card_number, seen_card, "card_number"),
                (parsed.national_id, seen_id, "national_id"),
            ):
                if key is None:
                    continue
                if key in seen:
                    v.problem(
                        line,
                        fieldname,
                        key,
                        _("Also on row %(row)s: one member per row.") % {"row": seen[key]},
                    )
                    parsed = None
                    break
                seen[key] = line
        if parsed is not None:
            rows.append(parsed)
        if progress and offset % 5000 == 0:
            progress("validate", offset, total)
    if require_rows and not rows and not v.problems:
        v.problem(None, None, "", _("The file has a header but no member rows."))
    if progress:
        progress("validate", total, total)
    return rows, v.problems
