"""Importing and exporting the unit tree: all or nothing, every problem placed, idempotent."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from tests.conftest import START
from xeploai.audit.models import Event
from xeploai.org.models import Unit, UnitEvent, UnitLink
from xeploai.org.tree import subtree_q
from xeploai.org.treeio.export import tree_export, tree_template
from xeploai.org.treeio.importer import tree_import

HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại đơn vị",
    "Loại hình tổ chức",
    "Mã đơn vị cấp trên",
    "Có chi ủy",
]
GOOD = [
    ["C", "Đảng bộ xã Cẩm Thành", "Đảng bộ cơ sở", "Xã", "", ""],
    ["C2", "Chi bộ Thôn 2", "Chi bộ trực thuộc", "Xã", "C", "Có"],
    ["C1", "Chi bộ Thôn 1", "Subordinate party cell", "commune", "C", ""],
    ["A3", "Chi bộ Thôn 3", "Chi bộ trực thuộc", "", "A", ""],
]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Danh sách đơn vị"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8")


def snapshot():
    return (
        sorted(
            Unit.objects.values_list(
                "code", "name", "kind", "org_type", "parent__code", "depth", "path"
            )
        ),
        UnitLink.objects.count(),
        UnitEvent.objects.count(),
    )


def run(root, data, name="cay.xlsx", actor=None):
    return tree_import(actor=actor, root=root, filename=name, data=data, on=START)


def test_it_imports_a_tree_with_paths_links_and_history(tree):
    result = run(tree["P"], xlsx(GOOD))
    assert result.ok, result.problems
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    c2 = Unit.objects.get(code="C2")
    c = Unit.objects.get(code="C")
    assert c2.parent == c and c.parent == tree["P"]
    assert c2.path == f"{c.path}{c2.pk}/" and c2.depth == 2
    assert c2.has_cell_committee and c2.kind == "subordinate_cell"
    assert Unit.objects.get(code="A3").parent == tree["A"]
    assert Unit.objects.get(code="A3").org_type == "other"
    assert set(Unit.objects.filter(subtree_q(c.path)).values_list("code", flat=True)) == {
        "C",
        "C1",
        "C2",
    }
    assert UnitLink.objects.filter(unit=c2, parent=c, valid_from=START).exists()
    assert UnitEvent.objects.filter(unit=c2, kind="created").exists()
    assert Event.objects.filter(action="tree.import").count() == 1


def test_it_changes_nothing_when_the_same_file_comes_again(tree):
    assert run(tree["P"], xlsx(GOOD)).ok
    before = snapshot()
    again = run(tree["P"], csv_bytes(GOOD), name="cay.csv")
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert snapshot() == before


def test_it_renames_with_a_dated_event_on_re_import(tree):
    run(tree["P"], xlsx(GOOD))
    changed = [list(r) for r in GOOD]
    changed[1][1] = "Chi bộ Thôn Hai"
    result = run(tree["P"], xlsx(changed))
    assert result.updated == 1
    assert Unit.objects.get(code="C2").name == "Chi bộ Thôn Hai"
    assert UnitEvent.objects.filter(kind="renamed", old_value="Chi bộ Thôn 2").exists()


def test_an_exported_tree_imports_back_unchanged(tree):
    run(tree["P"], xlsx(GOOD))
    data = tree_export(tree["P"])
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(HEADER)
    assert ("C2", "Chi bộ Thôn 2", "Chi bộ trực thuộc", "Xã", "C", "Có") in rows
    before = snapshot()
    result = run(tree["P"], data)
    assert result.ok and result.created == 0 and result.updated == 0
    assert snapshot() == before


def test_the_template_has_the_columns_and_a_guide(db):
    workbook = load_workbook(io.BytesIO(tree_template()))
    assert [c.value for c in workbook.worksheets[0][1]] == HEADER
    guide = [r[0] for r in workbook.worksheets[1].iter_rows(values_only=True)]
    assert workbook.worksheets[1].title == "Hướng dẫn"
    assert "Chi bộ trực thuộc" in guide and "Mã đơn vị cấp trên" in guide


BAD = [
    (["", "Tên", "Chi bộ trực thuộc", "", "", ""], "A (Mã đơn vị)", "required"),
    (["X1", "", "Chi bộ trực thuộc", "", "", ""], "B (Tên đơn vị)", "required"),
    (["X1", "Tên", "Chi bộ lạ", "", "", ""], "C (Loại đơn vị)", "kind"),
    (
        ["X1", "Tên", "Chi bộ trực thuộc", "Sao Hỏa", "", ""],
        "D (Loại hình tổ chức)",
        "organization type",
    ),
    (["X1", "Tên", "Chi bộ trực thuộc", "", "KHONG-CO", ""], "E (Mã đơn vị cấp trên)", "No unit"),
    (["X1", "Tên", "Chi bộ trực thuộc", "", "A1", ""], "E (Mã đơn vị cấp trên)", "cell cannot"),
    (["X1", "Tên", "Chi bộ trực thuộc", "", "", "có lẽ"], "F (Có chi ủy)", "Có"),
    (["X1", "Tên", "Chi bộ trực thuộc", "", "X1", ""], "E (Mã đơn vị cấp trên)", "itself"),
    (
        ["B1", "Chi bộ Thôn 1", "Chi bộ trực thuộc", "", "A", ""],
        "E (Mã đơn vị cấp trên)",
        "move it",
    ),
]


@pytest.mark.parametrize("bad,column,words", BAD)
def test_it_writes_nothing_and_places_each_problem(tree, bad, column, words, settings):
    settings.LANGUAGE_CODE = "en"
    before = snapshot()
    result = run(tree["P"], xlsx([*GOOD, bad]))
    assert not result.ok
    problem = result.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("Sheet", 7, column)
    assert words in problem.reason
    assert snapshot() == before
    assert not Event.objects.filter(action="tree.import").exists()


def test_it_refuses_duplicate_codes_and_circles(tree, settings):
    settings.LANGUAGE_CODE = "en"
    rows = [*GOOD, ["C1", "Lặp", "Chi bộ trực thuộc", "", "C", ""]]
    rows += [["Y", "Y", "Đảng bộ bộ phận", "", "Z", ""], ["Z", "Z", "Đảng bộ bộ phận", "", "Y", ""]]
    before = snapshot()
    result = run(tree["P"], xlsx(rows))
    reasons = [(p.row, p.reason) for p in result.problems]
    assert (7, "Also on row 5.") in reasons
    assert sum("circle" in r for _row, r in reasons) == 2
    assert snapshot() == before


def test_it_refuses_a_code_outside_the_importers_subtree(tree, settings):
    settings.LANGUAGE_CODE = "en"
    result = run(tree["A"], xlsx([["B1", "Chi bộ Thôn 1", "Chi bộ trực thuộc", "", "", ""]]))
    assert "outside" in result.problems[0].reason


@pytest.mark.parametrize(
    "name,data,words",
    [
        ("cay.pdf", b"%PDF", "not a tree file"),
        ("cay.xlsx", b"not a zip", "damaged"),
        ("cay.csv", b"", "empty"),
        ("cay.csv", "Một,Hai,Ba\n1,2,3\n".encode(), "No header row"),
    ],
)
def test_it_names_an_unreadable_file(tree, name, data, words, settings):
    settings.LANGUAGE_CODE = "en"
    before = snapshot()
    result = run(tree["P"], data, name=name)
    assert words in result.problems[0].reason and result.problems[0].sheet == name
    assert snapshot() == before


def test_it_refuses_a_missing_required_column(tree, settings):
    settings.LANGUAGE_CODE = "en"
    header = HEADER[:2] + ["Ghi chú"] + HEADER[3:]
    result = run(tree["P"], xlsx([["X", "Y", "Z", "", "", ""]], header=header))
    assert result.problems[0].value == "Loại đơn vị"


def test_it_refuses_a_formula(tree, settings):
    settings.LANGUAGE_CODE = "en"
    result = run(tree["P"], xlsx([["X1", "=A1", "Chi bộ trực thuộc", "", "", ""]]))
    assert not result.ok and "formula" in result.problems[0].reason


def test_people_outside_the_tree_staff_may_not_import(tree, people):
    for name in ("dave", "carol", "bob"):
        with pytest.raises(PermissionDenied):
            run(tree["A"], xlsx(GOOD[3:]), actor=people[name])
    assert run(tree["A"], xlsx(GOOD[3:]), actor=people["alice"]).created == 1


def test_it_refuses_a_row_for_the_unit_it_imports_under(tree, settings):
    settings.LANGUAGE_CODE = "en"
    before = snapshot()
    result = run(tree["A"], xlsx([["A", "Đổi", "Chi bộ trực thuộc", "", "", ""]]))
    assert "imported under" in result.problems[0].reason
    assert snapshot() == before


def test_it_refuses_a_kind_change_the_unit_cannot_take(tree, people, settings):
    settings.LANGUAGE_CODE = "en"
    before = snapshot()
    result = run(
        tree["P"],
        xlsx(
            [
                ["A", "Đảng bộ xã An Phú", "Chi bộ cơ sở", "Xã", "", ""],
                ["A1", "Chi bộ Thôn 1", "Đảng bộ bộ phận", "Xã", "A", ""],
            ]
        ),
    )
    reasons = [(p.row, p.column, p.reason) for p in result.problems]
    assert (
        3,
        "C (Loại đơn vị)",
        "This unit has sub-units, so it cannot become a party cell.",
    ) in reasons
    assert (
        4,
        "C (Loại đơn vị)",
        "This cell has members, so it cannot stop being a party cell.",
    ) in reasons
    assert snapshot() == before
