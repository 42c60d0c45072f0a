"""Turn an uploaded .xlsx or .csv into rows of cell values, or say precisely why not."""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from xeploai.org.roster.columns import field_for_header

HEADER_SEARCH_ROWS = 15


class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message is in the user's language."""


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


def _find_header(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """Sheets often start with a title block; the header is the first row naming 3+ columns."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for j, value in enumerate(row):
            name = field_for_header(value) if value not in ("", None) else None
            if name and name not in columns:
                columns[name] = j
        if len(columns) >= 3:
            return i, columns
    return None


def _table(sheet: str, rows: list[list[object]]) -> Table:
    if not any(any(v not in ("", None) for v in row) for row in rows):
        raise UnreadableFile(
            _("The file is empty: sheet “%(sheet)s” has no rows.") % {"sheet": sheet}
        )
    found = _find_header(rows)
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


def read_xlsx(data: bytes) -> Table:
    if not data:
        raise UnreadableFile(_("The file is empty."))
    if not data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook."))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        if not names:
            raise UnreadableFile(_("The workbook has no sheets."))
        sheet_index = 0
        sheet = workbook.get_sheet_by_index(sheet_index)
        rows = sheet.to_python(skip_empty_area=False)
    except (CalamineError, zipfile.BadZipFile, ValueError, KeyError) as exc:
        raise UnreadableFile(
            _("The file is damaged or is not a real .xlsx workbook (%(detail)s).")
            % {"detail": str(exc)[:120]}
        ) from None
    table = _table(names[sheet_index], rows)
    table.formula_cells = _formula_cells(data, sheet_index)
    return table


def read_csv(data: bytes) -> Table:
    if not data.strip():
        raise UnreadableFile(_("The file is empty."))
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(
            _("The file is not text in UTF-8 or Windows-1258; save it as CSV UTF-8.")
        )
    text = unicodedata.normalize("NFC", text)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    try:
        return _table("CSV", rows)
    except UnreadableFile as exc:
        if encoding == "utf-8-sig":
            raise
        raise UnreadableFile(
            f"{exc} "
            + _(
                "The file is not in UTF-8: in Excel choose Save As → “CSV UTF-8”, "
                "or upload the .xlsx workbook itself."
            )
        ) from None


def read_table(filename: str, data: bytes) -> Table:
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data)
    if suffix == ".csv":
        return read_csv(data)
    raise UnreadableFile(
        _("“%(name)s” is not a roster file: use an Excel workbook (.xlsx) or a CSV file (.csv).")
        % {"name": PurePath(filename).name}
    )
