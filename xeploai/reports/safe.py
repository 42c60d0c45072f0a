"""Text made safe to write into an export, whatever the database holds.

The input boundary (web/fields.py) refuses control characters, but rows written before it, by a
command or by an import may still hold them; an export must not fail because of one row.

- `printable`: control characters other than tab and line breaks (Excel and Word files cannot
  hold them; lxml and openpyxl refuse them) and bidirectional overrides are removed.
- `append_row`: a row of a workbook, its text written as text. A name such as
  `=HYPERLINK(…)`, `+84…` or `@…` would otherwise be a live formula in Excel: every text cell
  starting with `=`, `+`, `-`, `@`, a tab or a carriage return (checked after `printable`) is
  stored as a string with Excel's quote prefix, so it shows exactly what was typed.
"""

import re

from openpyxl.cell.cell import TYPE_STRING, Cell

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def printable(text: str) -> str:
    return _UNSAFE.sub("", text)


def append_row(sheet, values) -> None:
    sheet.append([_cell(sheet, v) if isinstance(v, str) else v for v in values])


def _cell(sheet, value: str):
    text = printable(value)
    if not text.startswith(FORMULA_START):
        return text
    cell = Cell(sheet, value=text)
    cell.data_type = TYPE_STRING
    cell.quotePrefix = True
    return cell
