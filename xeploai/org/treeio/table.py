"""Read a unit-tree file with the roster's readers and limits: the same size, zip, cell and
encoding checks, then the tree's own header row."""

import io
from pathlib import PurePath

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from xeploai.limits import roster_limits
from xeploai.org.roster.columns import header_key
from xeploai.org.roster.csvtext import csv_rows
from xeploai.org.roster.errors import UnreadableFile
from xeploai.org.roster.reader import (
    Table,
    _check_cells,
    _formula_cells,
    _reader_failure,
    too_large,
)
from xeploai.org.roster.zipguard import check_workbook
from xeploai.org.treeio.columns import HEADER_TO_FIELD

HEADER_SEARCH_ROWS = 15


def _table(sheet: str, rows: list[list[object]]) -> Table:
    if not any(any(v not in ("", None) for v in row) for row in rows):
        raise UnreadableFile(
            _("The file is empty: sheet “%(sheet)s” has no rows.") % {"sheet": sheet}
        )
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for j, value in enumerate(row):
            name = HEADER_TO_FIELD.get(header_key(str(value))) if value not in ("", None) else None
            if name and name not in columns:
                columns[name] = j
        if len(columns) >= 3:
            headers = ["" if v is None else str(v).strip() for v in row]
            return Table(sheet, i + 1, columns, headers, rows[i + 1 :])
    raise UnreadableFile(
        _(
            "No header row found in sheet “%(sheet)s”: the first %(n)s rows do not name the "
            "tree's columns (Mã đơn vị, Tên đơn vị, Loại đơn vị, …). Download the template to "
            "see them."
        )
        % {"sheet": sheet, "n": HEADER_SEARCH_ROWS}
    )


def read_tree_table(filename: str, data: bytes) -> Table:
    name = PurePath(filename).name
    limits = roster_limits()
    if len(data) > limits.upload_bytes:
        raise too_large(name, len(data), limits)
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        if not data.strip():
            raise UnreadableFile(_("The file is empty."))
        rows, _encoding = csv_rows(name, data, limits)
        _check_cells(name, "CSV", rows, limits)
        return _table("CSV", rows)
    if suffix not in (".xlsx", ".xlsm"):
        raise UnreadableFile(
            _("“%(name)s” is not a tree file: use an Excel workbook (.xlsx) or a CSV file (.csv).")
            % {"name": name}
        )
    if not data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook."))
    check_workbook(name, data, limits)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.sheet_names[0]
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except BaseException as exc:
        if not _reader_failure(exc):
            raise
        raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook.")) from None
    _check_cells(name, sheet, rows, limits)
    table = _table(sheet, rows)
    table.formula_cells = _formula_cells(data, 0)
    return table
