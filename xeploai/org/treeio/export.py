"""The tree as a workbook: the import's columns, so an exported tree imports back unchanged;
and the empty template with its guide sheet."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from xeploai.org.models import OrgType, Unit, UnitKind
from xeploai.org.tree import subtree_q
from xeploai.org.treeio.columns import COLUMNS
from xeploai.reports.safe import append_row

EXAMPLE = (
    ["DB-XA-AP", "Đảng bộ xã An Phú", "Đảng bộ cơ sở", "Xã", "", ""],
    ["CB-AP-T1", "Chi bộ Thôn 1", "Chi bộ trực thuộc", "Xã", "DB-XA-AP", "Có"],
)


def _header(sheet) -> None:
    append_row(sheet, [c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEF", (18, 40, 28, 24, 20, 10), strict=True):
        sheet.column_dimensions[letter].width = width


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def tree_export(root: Unit) -> bytes:
    """Active units under `root` (not `root` itself), parents before children: one query."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = _("Units")
    _header(sheet)
    kinds, org_types = dict(UnitKind.choices), dict(OrgType.choices)
    units = (
        Unit.objects.filter(subtree_q(root.path), dissolved_on__isnull=True)
        .exclude(pk=root.pk)
        .select_related("parent")
        .order_by("depth", "path")
    )
    for unit in units.iterator(chunk_size=2000):
        parent = unit.parent.code if unit.parent_id != root.pk else ""
        append_row(
            sheet,
            [
                unit.code,
                unit.name,
                str(kinds[unit.kind]),
                str(org_types[unit.org_type]),
                parent,
                _("Yes") if unit.has_cell_committee else "",
            ],
        )
    return _save(workbook)


def tree_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Units")
    _header(sheet)
    for row in range(2, 1002):
        for column in range(1, 7):
            sheet.cell(row=row, column=column).number_format = "@"
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
    append_row(guide, [_("Unit kinds:")])
    for _value, label in UnitKind.choices:
        append_row(guide, [str(label)])
    append_row(guide, [])
    append_row(guide, [_("Organization types:")])
    for _value, label in OrgType.choices:
        append_row(guide, [str(label)])
    append_row(guide, [])
    append_row(
        guide,
        [
            _(
                "One unit per row; a parent may come before or after its sub-units. Importing "
                "the same file again changes nothing."
            )
        ],
    )
    append_row(guide, [_("Example rows:")])
    append_row(guide, [c.header for c in COLUMNS])
    for row in EXAMPLE:
        append_row(guide, row)
    for letter, width in zip("ABCD", (24, 10, 40, 70), strict=True):
        guide.column_dimensions[letter].width = width
    return _save(workbook)
