"""Turn an uploaded .xlsx or .csv into rows of cell values, or say precisely why not."""

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from xeploai.limits import MB, RosterLimits, roster_limits
from xeploai.org.progress import grouped
from xeploai.org.roster.columns import field_for_header, header_key
from xeploai.org.roster.csvtext import csv_rows, too_many_rows
from xeploai.org.roster.errors import UnreadableFile
from xeploai.org.roster.extracolumns import DISCIPLINE_HEADERS, POST_HEADERS, sheet_role
from xeploai.org.roster.zipguard import check_workbook

HEADER_SEARCH_ROWS = 15

__all__ = [
    "Roster",
    "Table",
    "UnreadableFile",
    "column_letter",
    "read_roster",
    "read_table",
    "too_large",
]


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based, as Excel shows it
    columns: dict[str, int]  # field -> 0-based column index
    headers: list[str]
    rows: list[list[object]]  # data rows after the header, as read
    formula_cells: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, text)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _find_header(
    rows: list[list[object]], lookup: dict[str, str] | None = None
) -> tuple[int, dict[str, int]] | None:
    """Sheets often start with a title block; the header is the first row naming 3+ columns."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for j, value in enumerate(row):
            if value in ("", None):
                name = None
            elif lookup is None:
                name = field_for_header(value)
            else:
                name = lookup.get(" ".join(header_key(str(value)).split()))
            if name and name not in columns:
                columns[name] = j
        if len(columns) >= 3:
            return i, columns
    return None


def _table(sheet: str, rows: list[list[object]], lookup: dict[str, str] | None = None) -> Table:
    if not any(any(v not in ("", None) for v in row) for row in rows):
        raise UnreadableFile(
            _("The file is empty: sheet “%(sheet)s” has no rows.") % {"sheet": sheet}
        )
    found = _find_header(rows, lookup)
    if found is None and lookup is not None:
        raise UnreadableFile(
            _(
                "No header row found in sheet “%(sheet)s”: the first %(n)s rows do not name its "
                "columns. Download the template to see them."
            )
            % {"sheet": sheet, "n": HEADER_SEARCH_ROWS}
        )
    if found is None:
        raise UnreadableFile(
            _(
                "No header row found in sheet “%(sheet)s”: the first %(n)s rows do not name the "
                "roster columns (Họ và tên, Ngày sinh, Chi bộ, …). "
                "Download the template to see them."
            )
            % {"sheet": sheet, "n": HEADER_SEARCH_ROWS}
        )
    index, columns = found
    headers = ["" if v is None else str(v).strip() for v in rows[index]]
    return Table(
        sheet=sheet, header_row=index + 1, columns=columns, headers=headers, rows=rows[index + 1 :]
    )


_FORMULA = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?(?<!/)>(?:(?!</(?:\w+:)?c>).)*?'
    rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)",
    re.S,
)
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_xml_path(archive: zipfile.ZipFile, sheet_index: int) -> str | None:
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    sheets = [el for el in workbook.iter() if el.tag.endswith("}sheet")]
    if sheet_index >= len(sheets):
        return None
    rel_id = sheets[sheet_index].get(_NS_REL)
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _letters_to_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


@dataclass
class Roster:
    """The sheets of one roster file: members, and a workbook's posts and discipline."""

    members: Table | None
    posts: Table | None = None
    discipline: Table | None = None


def _formula_cells(data: bytes, sheet_index: int) -> list[tuple[int, int, str]]:
    """Formula cells hold a computed copy that may be stale; the import refuses them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        path = _sheet_xml_path(archive, sheet_index)
        if path is None or path not in archive.namelist():
            return []
        xml = archive.read(path)
    if b"<f" not in xml and b":f" not in xml:
        return []
    found = []
    for m in _FORMULA.finditer(xml):
        text = (m.group(3) or b"").decode("utf-8", "replace")
        found.append((int(m.group(2)), _letters_to_index(m.group(1)), f"={text}" if text else "="))
    return found


def _reader_failure(exc: BaseException) -> bool:
    """What the spreadsheet reader may raise on a hostile file: any error, and the Rust panic
    (pyo3's PanicException derives from BaseException, and its class cannot be imported).
    Interrupts and exits go through."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _check_cells(name: str, sheet: str, rows: list[list[object]], limits: RosterLimits) -> None:
    if len(rows) > limits.rows:
        raise too_many_rows(name, limits)
    for i, row in enumerate(rows, start=1):
        if len(row) > limits.columns:
            raise UnreadableFile(
                _(
                    "Sheet “%(sheet)s” of “%(name)s”, row %(row)s: %(count)s columns; a roster "
                    "may have at most %(limit)s."
                )
                % {
                    "sheet": sheet,
                    "name": name,
                    "row": grouped(i),
                    "count": grouped(len(row)),
                    "limit": grouped(limits.columns),
                }
            )
        for j, value in enumerate(row):
            if isinstance(value, str) and len(value) > limits.cell_chars:
                raise UnreadableFile(
                    _(
                        "Sheet “%(sheet)s” of “%(name)s”, row %(row)s, column %(column)s: the "
                        "cell holds %(count)s characters; a cell may hold at most %(limit)s."
                    )
                    % {
                        "sheet": sheet,
                        "name": name,
                        "row": grouped(i),
                        "column": column_letter(j),
                        "count": grouped(len(value)),
                        "limit": grouped(limits.cell_chars),
                    }
                )


def _blank(rows: list[list[object]]) -> bool:
    return not any(any(v not in ("", None) for v in row) for row in rows)


def read_xlsx_roster(data: bytes, name: str = "", limits: RosterLimits | None = None) -> Roster:
    """The members sheet (the first sheet not named as another), and the sheets named
    Chức vụ and Kỷ luật; a guide sheet, and an extra sheet left empty, are not read."""
    limits = limits or roster_limits()
    if not data:
        raise UnreadableFile(_("The file is empty."))
    if not data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook."))
    check_workbook(name, data, limits)  # before the reader allocates anything
    found: dict[str, tuple[int, str, list[list[object]]]] = {}
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        if not names:
            raise UnreadableFile(_("The workbook has no sheets."))
        for index, sheet in enumerate(names):
            role = sheet_role(sheet) or "members"
            if role == "guide" or role in found:
                continue
            rows = workbook.get_sheet_by_index(index).to_python(skip_empty_area=False)
            found[role] = (index, sheet, rows)
        formulas = {role: _formula_cells(data, index) for role, (index, _s, _r) in found.items()}
    except UnreadableFile:
        raise
    except BaseException as exc:
        if not _reader_failure(exc):
            raise
        raise UnreadableFile(
            _(
                "The file is damaged or is not a real .xlsx workbook, or it holds a value the "
                "reader cannot take, such as a date out of range (%(detail)s)."
            )
            % {"detail": str(exc)[:120]}
        ) from None
    tables: dict[str, Table] = {}
    lookups = {"members": None, "posts": POST_HEADERS, "discipline": DISCIPLINE_HEADERS}
    for role, (_index, sheet, rows) in found.items():
        _check_cells(name, sheet, rows, limits)
        if role != "members" and _blank(rows):
            continue
        tables[role] = _table(sheet, rows, lookups[role])
        tables[role].formula_cells = formulas[role]
    if "members" not in tables and not tables:
        raise UnreadableFile(
            _("The file is empty: sheet “%(sheet)s” has no rows.") % {"sheet": names[0]}
        )
    return Roster(tables.get("members"), tables.get("posts"), tables.get("discipline"))


def read_csv(data: bytes, name: str = "", limits: RosterLimits | None = None) -> Table:
    limits = limits or roster_limits()
    if not data.strip():
        raise UnreadableFile(_("The file is empty."))
    rows, encoding = csv_rows(name, data, limits)
    _check_cells(name, "CSV", rows, limits)
    try:
        return _table("CSV", rows)
    except UnreadableFile as exc:
        if encoding != "cp1258":
            raise
        raise UnreadableFile(
            f"{exc} "
            + _(
                "The file is not in UTF-8: in Excel choose Save As → “CSV UTF-8”, "
                "or upload the .xlsx workbook itself."
            )
        ) from None


def too_large(name: str, size: int, limits: RosterLimits) -> UnreadableFile:
    return UnreadableFile(
        _("“%(name)s” is %(size)s MB; a roster file may be at most %(limit)s MB.")
        % {
            "name": name,
            "size": grouped(-(-size // MB)),
            "limit": grouped(limits.upload_bytes // MB),
        }
    )


def read_table(filename: str, data: bytes) -> Table:
    """The members sheet of a roster file (see read_roster)."""
    roster = read_roster(filename, data)
    if roster.members is None:
        raise UnreadableFile(_("The workbook has no members sheet."))
    return roster.members


def read_roster(filename: str, data: bytes) -> Roster:
    """Read a roster file, or raise UnreadableFile naming what is wrong and where. The limits
    (xeploai/limits.py) are checked before anything is built from the file. A CSV file holds
    the members only."""
    name = PurePath(filename).name
    limits = roster_limits()
    if len(data) > limits.upload_bytes:
        raise too_large(name, len(data), limits)
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_roster(data, name, limits)
    if suffix == ".csv":
        return Roster(read_csv(data, name, limits))
    raise UnreadableFile(
        _("“%(name)s” is not a roster file: use an Excel workbook (.xlsx) or a CSV file (.csv).")
        % {"name": name}
    )
