"""The printed sheet of activation codes, one section per cell, for secretaries to hand out:
an Excel workbook (a sheet per cell) and a PDF (a table per cell). The codes exist nowhere else:
the database keeps only their hashes."""

import io
from itertools import groupby

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from xeploai.accounts.activation import VALID_DAYS, IssuedCode
from xeploai.org.models import Unit
from xeploai.reports.documents import Document, Heading, Paragraph, Table
from xeploai.reports.safe import append_row, printable


def _header() -> list[str]:
    return [_("No."), _("Full name"), _("Login name"), _("Activation code")]


def _guide(activate_url: str, expires) -> str:
    return _(
        "Open %(url)s, type the login name and the code, then choose a password. Each code "
        "works once and expires on %(day)s (after %(days)s days)."
    ) % {"url": activate_url, "day": date_format(expires, "d/m/Y"), "days": VALID_DAYS}


def by_cell(issued: list[IssuedCode]):
    return [(key, list(rows)) for key, rows in groupby(issued, key=lambda i: (i.cell_code, i.cell))]


def codes_workbook(unit: Unit, issued: list[IssuedCode], activate_url: str, expires) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for (code, name), rows in by_cell(issued) or [((unit.code, unit.name), [])]:
        # Sheet titles: at most 31 characters, none of []:*?/\ and unique.
        title = "".join(c for c in printable(f"{code} {name}") if c not in "[]:*?/\\")[:31]
        while title in used:
            title = title[:28] + f"~{len(used)}"
        used.add(title)
        sheet = workbook.create_sheet(title)
        append_row(sheet, [name])
        sheet["A1"].font = Font(bold=True, size=13)
        append_row(sheet, [_guide(activate_url, expires)])
        append_row(sheet, [])
        append_row(sheet, _header())
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for n, row in enumerate(rows, start=1):
            append_row(sheet, [n, row.full_name, row.username, row.code])
        for column, width in zip("ABCD", (6, 32, 28, 16), strict=True):
            sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def codes_document(unit: Unit, issued: list[IssuedCode], activate_url: str, expires) -> Document:
    document = Document(
        title=_("Activation codes: %(unit)s") % {"unit": unit.name},
        filename=f"activation-codes-{unit.code}",
    )
    document.add(Heading(_("Activation codes: %(unit)s") % {"unit": unit.name}, level=0))
    document.add(Paragraph(_guide(activate_url, expires), italic=True))
    if not issued:
        document.add(Paragraph(_("Every member here has activated their account.")))
    for (_code, name), rows in by_cell(issued):
        document.add(Heading(name, level=1))
        document.add(
            Table(
                header=_header(),
                rows=[[str(n), r.full_name, r.username, r.code] for n, r in enumerate(rows, 1)],
                numeric=(0,),
                widths=(8, 40, 30, 22),
            )
        )
    return document
