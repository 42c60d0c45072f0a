"""The downloadable roster template: the columns, one example row, and a sheet explaining them."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from xeploai.org.roster.columns import COLUMNS
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


def roster_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    append_row(sheet, [c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS):
        letter = chr(65 + index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        # Text cells keep dates as dd/mm/yyyy and card numbers with their leading zeros.
        for row in range(2, 1002):
            sheet.cell(row=row, column=index + 1).number_format = "@"
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
    for letter, width in zip("ABCD", (24, 10, 50, 70), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
