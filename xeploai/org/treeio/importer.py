"""Unit-tree import: check every row first, then write all of it in one transaction, or nothing.

Units are matched by code, so importing the same file twice changes nothing; a changed name,
kind, organization type or cell committee updates the unit (a new name is a dated renaming).
Moving a unit that already exists is the tree page's work, not the import's: the row is refused.
New units are written one tree level at a time, a few statements per level whatever the size.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from xeploai.accounts.access import Action, require
from xeploai.audit.services import event_record
from xeploai.org.bulk import insert_rows
from xeploai.org.models import CELL_KINDS, Member, OrgType, Unit, UnitEvent, UnitEventKind, UnitLink
from xeploai.org.names import fold, normalize_name
from xeploai.org.roster.columns import header_key
from xeploai.org.roster.importer import Problem
from xeploai.org.roster.reader import Table, UnreadableFile, column_letter
from xeploai.org.tree import subtree_q
from xeploai.org.treeio.columns import COLUMNS, NO, YES, kind_words, org_type_words
from xeploai.org.treeio.table import read_tree_table
from xeploai.text import CONTROLS

BATCH = 2000
HEADERS = {c.field: c.header for c in COLUMNS}


@dataclass
class TreeRow:
    line: int
    code: str
    name: str
    kind: str
    org_type: str
    parent: str
    has_cell_committee: bool


@dataclass
class TreeImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Check:
    def __init__(self, table: Table):
        self.table = table
        self.problems: list[Problem] = []
        self.key = functools.lru_cache(maxsize=4096)(header_key)
        self.kinds = kind_words()
        self.org_types = org_type_words()

    def problem(self, line: int | None, fieldname: str, value: str, reason: str) -> None:
        index = self.table.columns.get(fieldname)
        column = f"{column_letter(index)} ({HEADERS[fieldname]})" if index is not None else ""
        self.problems.append(Problem(self.table.sheet, line, column, value[:100], reason))

    def row(self, line: int, cells: list[object]) -> TreeRow | None:
        def cell(name: str) -> str:
            index = self.table.columns.get(name)
            return _text(cells[index]) if index is not None and index < len(cells) else ""

        before = len(self.problems)
        values = {c.field: cell(c.field) for c in COLUMNS}
        for name, value in values.items():
            if CONTROLS.search(value):
                self.problem(line, name, "", _("contains an invisible control character."))
        code, name = values["code"], normalize_name(values["name"])
        if not code:
            self.problem(line, "code", "", _("The unit code is required."))
        elif len(code) > 64:
            self.problem(line, "code", code, _("A unit code has at most 64 characters."))
        if not name:
            self.problem(line, "name", "", _("The unit name is required."))
        elif len(name) > 255:
            self.problem(line, "name", name, _("A unit name has at most 255 characters."))
        kind = self.kinds.get(self.key(values["kind"]))
        if kind is None:
            self.problem(line, "kind", values["kind"], _("Not a unit kind the guide lists."))
        org_type = (
            self.org_types.get(self.key(values["org_type"]))
            if values["org_type"]
            else (OrgType.OTHER)
        )
        if org_type is None:
            self.problem(
                line, "org_type", values["org_type"], _("Not an organization type the guide lists.")
            )
        hcc = self.key(values["has_cell_committee"])
        if hcc not in YES and hcc not in NO:
            self.problem(
                line,
                "has_cell_committee",
                values["has_cell_committee"],
                _("Write Có or leave empty."),
            )
        if values["parent"] == code and code:
            self.problem(line, "parent", code, _("A unit cannot stand under itself."))
        if len(self.problems) > before:
            return None
        return TreeRow(line, code, name, kind, org_type, values["parent"], hcc in YES)


def validate(
    table: Table, root: Unit, actor
) -> tuple[list[TreeRow], dict[str, Unit], list[Problem]]:
    check = _Check(table)
    rows: list[TreeRow] = []
    seen: dict[str, int] = {}
    for offset, cells in enumerate(table.rows):
        if not any(v not in ("", None) for v in cells):
            continue
        line = table.header_row + offset + 1
        row = check.row(line, cells)
        if row is None:
            continue
        if row.code in seen:
            check.problem(
                line, "code", row.code, _("Also on row %(row)s.") % {"row": seen[row.code]}
            )
            continue
        seen[row.code] = line
        rows.append(row)
    codes = {r.code for r in rows} | {r.parent for r in rows if r.parent}
    existing = {u.code: u for u in Unit.objects.filter(code__in=codes).select_related("parent")}
    inside = {u.code for u in Unit.objects.filter(subtree_q(root.path), code__in=list(existing))}
    by_code = {r.code: r for r in rows}
    holders = _holders([u.pk for u in existing.values()], rows)
    for row in rows:
        unit = existing.get(row.code)
        if unit is not None and row.code not in inside:
            check.problem(
                row.line,
                "code",
                row.code,
                _("This code belongs to a unit outside %(root)s.") % {"root": root.name},
            )
        elif unit is not None and not unit.is_active:
            check.problem(row.line, "code", row.code, _("This unit has been dissolved."))
        elif unit is not None and unit.pk == root.pk:
            check.problem(
                row.line, "code", row.code, _("This is the unit the file is imported under.")
            )
        elif unit is not None:
            _check_kind_change(check, row, unit, holders)
            wanted = row.parent or root.code
            if unit.parent is not None and wanted != unit.parent.code:
                check.problem(
                    row.line,
                    "parent",
                    row.parent,
                    _("The unit already stands under another unit; move it on the tree page."),
                )
        if row.parent and row.parent not in by_code:
            parent = existing.get(row.parent)
            if parent is None or row.parent not in inside:
                check.problem(
                    row.line,
                    "parent",
                    row.parent,
                    _("No unit with this code in the file or under %(root)s.")
                    % {"root": root.name},
                )
            elif parent.kind in CELL_KINDS:
                check.problem(
                    row.line, "parent", row.parent, _("A party cell cannot contain other units.")
                )
            elif not parent.is_active:
                check.problem(
                    row.line, "parent", row.parent, _("The parent unit has been dissolved.")
                )
        elif row.parent and by_code[row.parent].kind in CELL_KINDS:
            check.problem(
                row.line, "parent", row.parent, _("A party cell cannot contain other units.")
            )
    if root.kind in CELL_KINDS and rows:
        check.problem(None, "parent", root.code, _("A party cell cannot contain other units."))
    _check_loops(rows, by_code, existing, check)
    return rows, existing, check.problems


def _holders(unit_ids: list[int], rows: list[TreeRow]) -> tuple[set[int], set[int]]:
    """Of the matched units: those with active sub-units, those with active members (a unit
    that holds either cannot change between a cell and a committee). Two queries."""
    parents = set(
        Unit.objects.filter(parent_id__in=unit_ids, dissolved_on__isnull=True).values_list(
            "parent_id", flat=True
        )
    )
    cells = set(
        Member.objects.filter(cell_id__in=unit_ids, left_on__isnull=True).values_list(
            "cell_id", flat=True
        )
    )
    return parents, cells


def _check_kind_change(check, row: TreeRow, unit: Unit, holders) -> None:
    parents, cells = holders
    becomes_cell = row.kind in CELL_KINDS and unit.kind not in CELL_KINDS
    stops_being_cell = unit.kind in CELL_KINDS and row.kind not in CELL_KINDS
    if becomes_cell and unit.pk in parents:
        check.problem(
            row.line, "kind", "", _("This unit has sub-units, so it cannot become a party cell.")
        )
    if stops_being_cell and unit.pk in cells:
        check.problem(
            row.line,
            "kind",
            "",
            _("This cell has members, so it cannot stop being a party cell."),
        )


def _check_loops(rows, by_code, existing, check) -> None:
    """Rows whose chain of parents in the file goes round in a circle."""
    for row in rows:
        seen = {row.code}
        parent = row.parent
        while parent in by_code and parent not in existing:
            if parent in seen:
                check.problem(
                    row.line, "parent", row.parent, _("The parent codes go round in a circle.")
                )
                break
            seen.add(parent)
            parent = by_code[parent].parent


def tree_import(
    *, actor, root: Unit, filename: str, data: bytes, on: datetime.date
) -> TreeImportResult:
    require(actor, Action.MANAGE_TREE, root)
    result = TreeImportResult()
    try:
        table = read_tree_table(filename, data)
    except UnreadableFile as exc:
        result.problems.append(Problem(filename, None, "", "", str(exc)))
        return result
    for row_index, col_index, text in getattr(table, "formula_cells", []):
        result.problems.append(
            Problem(
                table.sheet,
                row_index,
                column_letter(col_index),
                text,
                _("Type values, not formulas."),
            )
        )
    missing = [c for c in COLUMNS if c.required and c.field not in table.columns]
    for column in missing:
        result.problems.append(
            Problem(table.sheet, table.header_row, "", column.header, _("This column is missing."))
        )
    if result.problems:
        return result
    rows, existing, problems = validate(table, root, actor)
    result.rows = len(rows)
    if problems:
        result.problems = problems
        return result
    _write(actor, root, filename, rows, existing, on, result)
    return result


@transaction.atomic
def _write(actor, root, filename, rows, existing, on, result) -> None:
    changed: list[Unit] = []
    renamed: list[UnitEvent] = []
    for row in rows:
        unit = existing.get(row.code)
        if unit is None:
            continue
        if (unit.name, unit.kind, unit.org_type, unit.has_cell_committee) == (
            row.name,
            row.kind,
            row.org_type,
            row.has_cell_committee,
        ):
            result.unchanged += 1
            continue
        if unit.name != row.name:
            renamed.append(
                UnitEvent(
                    unit=unit,
                    kind=UnitEventKind.RENAMED,
                    on=on,
                    old_value=unit.name,
                    new_value=row.name,
                )
            )
        unit.name, unit.name_folded = row.name, fold(row.name)
        unit.kind, unit.org_type, unit.has_cell_committee = (
            row.kind,
            row.org_type,
            row.has_cell_committee,
        )
        changed.append(unit)
    Unit.objects.bulk_update(
        changed, ["name", "name_folded", "kind", "org_type", "has_cell_committee"], batch_size=BATCH
    )
    UnitEvent.objects.bulk_create(renamed, batch_size=BATCH)
    result.updated = len(changed)
    result.created = _create(rows, existing, root, on)
    event_record(
        actor=actor,
        action="tree.import",
        target_type="unit",
        target_id=root.pk,
        after={
            "file": filename,
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
        },
    )


UNIT_FIELDS = (
    "code",
    "name",
    "name_folded",
    "kind",
    "org_type",
    "has_cell_committee",
    "parent",
    "depth",
    "path",
    "established_on",
)
TEMPORARY = "/new-"  # real paths hold only digits and "/" (org/tree.py)


def _create(rows: list[TreeRow], existing: dict[str, Unit], root: Unit, on) -> int:
    """Insert the new units level by level: a parent's id and path exist before its children.

    Per level: one multi-row insert with a temporary path, one select of the new ids, one
    UPDATE computing every path from the parent's, then the links and the history rows."""
    known: dict[str, tuple[int, int]] = {code: (u.pk, u.depth) for code, u in existing.items()}
    known[root.code] = (root.pk, root.depth)
    pending = [r for r in rows if r.code not in existing]
    created = 0
    parent_path = Unit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    while pending:
        level = [r for r in pending if (r.parent or root.code) in known]
        if not level:
            break  # validation refuses loops; nothing is left behind here
        insert_rows(
            Unit,
            UNIT_FIELDS,
            (
                (
                    r.code,
                    r.name,
                    fold(r.name),
                    r.kind,
                    r.org_type,
                    r.has_cell_committee,
                    known[r.parent or root.code][0],
                    known[r.parent or root.code][1] + 1,
                    f"{TEMPORARY}{r.code}/",
                    on,
                )
                for r in level
            ),
        )
        new = Unit.objects.filter(path__startswith=TEMPORARY)
        units = list(new.values_list("pk", "code", "parent_id", "depth", "name"))
        new.update(path=Concat(Subquery(parent_path), Cast("pk", CharField()), Value("/")))
        insert_rows(UnitLink, ("unit", "parent", "valid_from"), ((u[0], u[2], on) for u in units))
        insert_rows(
            UnitEvent,
            ("unit", "kind", "on", "old_value", "new_value", "note"),
            ((u[0], UnitEventKind.CREATED.value, on, "", u[4], "") for u in units),
        )
        for pk, code, _parent, depth, _name in units:
            known[code] = (pk, depth)
        created += len(units)
        done = {r.code for r in level}
        pending = [r for r in pending if r.code not in done]
    return created
