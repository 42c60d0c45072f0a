"""The downloadable roster template: the members, posts and discipline sheets, with an example
row each, and a sheet explaining every column."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from xeploai.org.roster.columns import COLUMNS
from xeploai.org.roster.extracolumns import (
    DISCIPLINE_COLUMNS,
    DISCIPLINE_SHEET,
    POST_COLUMNS,
    POSTS_SHEET,
)
from xeploai.reports.safe import append_row

EXAMPLE = {
    "full_name": "Nguyễn Thị Hoa",
    "date_of_birth": "12/05/1978",
    "sex": "Nữ",
    "card_number": "79012345",
    "national_id": "079178001234",
    "admitted_on": "03/02/2005",
    "official_on": "03/02/2006",
    "cell": "Chi bộ Thôn 1",
    "organization": "Đảng bộ xã Bình An",
    "status": "",
}
POST_EXAMPLE = {
    "card_number": "79012345",
    "national_id": "",
    "full_name": "Nguyễn Thị Hoa",
    "post": "Bí thư chi bộ",
    "title": "",
    "unit": "Chi bộ Thôn 1",
    "leadership": "Có",
    "managing_level": "Đảng ủy cơ sở",
    "valid_from": "15/07/2025",
    "valid_to": "",
}
DISCIPLINE_EXAMPLE = {
    "card_number": "79012345",
    "national_id": "",
    "full_name": "Nguyễn Thị Hoa",
    "form": "Khiển trách",
    "violation_on": "10/03/2026",
    "decided_on": "20/04/2026",
    "unit_of_act": "Chi bộ Thôn 1",
    "duty_related": "Có",
    "note": "Quyết định số 12-QĐ/ĐU",
}


def _header_sheet(sheet, columns) -> None:
    append_row(sheet, [c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns):
        letter = chr(65 + index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        # Text cells keep dates as dd/mm/yyyy and card numbers with their leading zeros.
        for row in range(2, 1002):
            sheet.cell(row=row, column=index + 1).number_format = "@"


def _guide(guide, title: str, columns, example: dict) -> None:
    append_row(guide, [])
    append_row(guide, [title])
    guide.cell(row=guide.max_row, column=1).font = Font(bold=True)
    for column in columns:
        append_row(
            guide,
            [
                column.header,
                _("yes") if column.required else _("no"),
                ", ".join(column.variants),
                str(column.help),
            ],
        )
    append_row(guide, [_("Example row:")])
    append_row(guide, [c.header for c in columns])
    append_row(guide, [example[c.field] for c in columns])


def roster_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    _header_sheet(sheet, COLUMNS)
    _header_sheet(workbook.create_sheet(POSTS_SHEET), POST_COLUMNS)
    _header_sheet(workbook.create_sheet(DISCIPLINE_SHEET), DISCIPLINE_COLUMNS)
    guide = workbook.create_sheet(_("Guide"))
    append_row(guide, [_("Column"), _("Required"), _("Also accepted"), _("What to write")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        append_row(
            guide,
            [
                column.header,
                _("yes") if column.required else _("no"),
                ", ".join(column.variants),
                str(column.help),
            ],
        )
    append_row(guide, [])
    append_row(
        guide,
        [
            _(
                "Type values, not formulas. One member per row. Rows above the header "
                "(a title) are allowed."
            )
        ],
    )
    append_row(guide, [])
    append_row(guide, [_("Example row:")])
    append_row(guide, [c.header for c in COLUMNS])
    append_row(guide, [EXAMPLE[c.field] for c in COLUMNS])
    append_row(guide, [])
    append_row(
        guide,
        [
            _(
                "The sheets Chức vụ and Kỷ luật are optional: one post or one discipline "
                "decision per row, naming the member by party card number or national ID. The "
                "member is on the Danh sách sheet or already in the unit you import into. Leave "
                "them empty when there is nothing to add. Importing the same workbook again "
                "changes nothing; an ended post keeps its end date."
            )
        ],
    )
    _guide(guide, POSTS_SHEET, POST_COLUMNS, POST_EXAMPLE)
    _guide(guide, DISCIPLINE_SHEET, DISCIPLINE_COLUMNS, DISCIPLINE_EXAMPLE)
    for letter, width in zip("ABCD", (24, 10, 50, 70), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
