"""The tree pages: who may change the tree, what each change does, and bad input refused.

alice: organization staff of A · dave: staff of B (another district) · carol: secretary of
cell A1 · bob: a member of A1.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xeploai.audit.models import Event
from xeploai.org.models import Unit, UnitEvent


@pytest.fixture
def vi(settings):
    settings.LANGUAGE_CODE = "vi"


def _post(client, unit, action, **data):
    return client.post(reverse("unit_tree_change", args=[unit.pk, action]), data)


def test_alice_creates_renames_and_sees_the_history(tree, people, client):
    client.force_login(people["alice"])
    page = client.get(reverse("unit_tree", args=[tree["A"].pk]))
    assert page.status_code == 200 and "Chi bộ Thôn 1" in page.text
    response = _post(
        client,
        tree["A"],
        "create",
        code="A9",
        name="Chi bộ  Thôn 9",
        kind="subordinate_cell",
        org_type="commune",
        has_cell_committee="yes",
        on="01/02/2026",
    )
    assert response.status_code == 302
    a9 = Unit.objects.get(code="A9")
    assert a9.parent == tree["A"] and a9.has_cell_committee and a9.name == "Chi bộ Thôn 9"
    assert _post(client, a9, "rename", name="Chi bộ Thôn Chín", on="03/02/2026").status_code == 302
    history = client.get(reverse("unit_tree", args=[a9.pk])).text
    assert "03/02/2026" in history and "Chi bộ Thôn 9 → Chi bộ Thôn Chín" in history
    assert "01/02/2026" in history
    assert Event.objects.filter(action="unit.rename", actor=people["alice"]).exists()
    assert "renamed" not in history and "subordinate_cell" not in history


def test_alice_moves_merges_and_dissolves_inside_her_subtree(tree, people, client):
    client.force_login(people["alice"])
    partial = Unit.objects.get(code="A")
    _post(
        client,
        partial,
        "create",
        code="AB",
        name="Đảng bộ bộ phận Bắc",
        kind="partial_committee",
        org_type="commune",
        has_cell_committee="no",
        on="01/01/2026",
    )
    ab = Unit.objects.get(code="AB")
    assert _post(client, tree["A2"], "move", target="AB", on="02/01/2026").status_code == 302
    tree["A2"].refresh_from_db()
    assert tree["A2"].parent == ab and tree["A2"].path.startswith(ab.path)
    assert _post(client, tree["A2"], "merge", target="A1", on="03/01/2026").status_code == 302
    tree["A2"].refresh_from_db()
    assert tree["A2"].merged_into == tree["A1"] and tree["A2"].dissolved_on is not None
    assert (
        _post(client, ab, "dissolve", on="04/01/2026", note="Quyết định số 12").status_code == 302
    )
    ab.refresh_from_db()
    assert ab.dissolved_on.isoformat() == "2026-01-04"
    assert UnitEvent.objects.filter(unit=ab, kind="dissolved", note="Quyết định số 12").exists()
    actions = set(Event.objects.filter(actor=people["alice"]).values_list("action", flat=True))
    assert {"unit.create", "unit.move", "unit.merge", "unit.dissolve"} <= actions


def test_alice_cannot_move_a_unit_into_another_district(tree, people, client, vi):
    client.force_login(people["alice"])
    response = _post(client, tree["A2"], "move", target="B", on="02/01/2026")
    assert response.status_code == 400
    assert 'class="field-error"' in response.text
    tree["A2"].refresh_from_db()
    assert tree["A2"].parent == tree["A"]


@pytest.mark.parametrize(
    "action,data,field",
    [
        (
            "create",
            {
                "code": "",
                "name": "X",
                "kind": "subordinate_cell",
                "org_type": "other",
                "has_cell_committee": "no",
                "on": "01/01/2026",
            },
            "Code",
        ),
        (
            "create",
            {
                "code": "A1",
                "name": "X",
                "kind": "subordinate_cell",
                "org_type": "other",
                "has_cell_committee": "no",
                "on": "01/01/2026",
            },
            "A1",
        ),
        (
            "create",
            {
                "code": "Z",
                "name": "X",
                "kind": "Chi bộ",
                "org_type": "other",
                "has_cell_committee": "no",
                "on": "01/01/2026",
            },
            "Kind",
        ),
        ("rename", {"name": "X", "on": "31/02/2026"}, "31/02/2026"),
        ("dissolve", {"on": "01/01/2026"}, "sub-units"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_changes(
    tree, people, client, action, data, field, settings
):
    settings.LANGUAGE_CODE = "en"
    client.force_login(people["alice"])
    before = list(Unit.objects.values_list("code", "name", "dissolved_on"))
    response = _post(client, tree["A"], action, **data)
    assert response.status_code == 400 and field in response.text
    assert list(Unit.objects.values_list("code", "name", "dissolved_on")) == before


@pytest.mark.parametrize(
    "who,code,status", [("dave", "A", 404), ("carol", "A1", 403), ("bob", "A1", 404)]
)
def test_others_may_not_change_the_tree_of_a(tree, people, client, who, code, status):
    """dave sees nothing of A; carol sees her cell but may not change it; bob has no page."""
    client.force_login(people[who])
    before = list(Unit.objects.values_list("code", "name", "parent", "dissolved_on"))
    unit = tree[code]
    assert client.get(reverse("unit_tree", args=[unit.pk])).status_code == status
    assert client.get(reverse("tree_export", args=[unit.pk])).status_code == status
    assert client.get(reverse("tree_import", args=[unit.pk])).status_code == status
    for action, data in [
        (
            "create",
            {
                "code": "X",
                "name": "X",
                "kind": "subordinate_cell",
                "org_type": "other",
                "has_cell_committee": "no",
                "on": "01/01/2026",
            },
        ),
        ("rename", {"name": "X", "on": "01/01/2026"}),
        ("move", {"target": "P", "on": "01/01/2026"}),
        ("merge", {"target": "A2", "on": "01/01/2026"}),
        ("dissolve", {"on": "01/01/2026"}),
    ]:
        assert _post(client, unit, action, **data).status_code == status
    assert list(Unit.objects.values_list("code", "name", "parent", "dissolved_on")) == before


def test_the_unit_page_offers_the_tree_only_to_those_who_may(tree, people, client):
    client.force_login(people["alice"])
    assert (
        reverse("unit_tree", args=[tree["A1"].pk])
        in client.get(reverse("unit_detail", args=[tree["A1"].pk])).text
    )
    client.force_login(people["carol"])
    assert (
        reverse("unit_tree", args=[tree["A1"].pk])
        not in client.get(reverse("unit_detail", args=[tree["A1"].pk])).text
    )


def _xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    workbook.active.append(["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "cay.xlsx"
    return buffer


def test_alice_imports_and_exports_a_tree_on_the_page(tree, people, client):
    client.force_login(people["alice"])
    url = reverse("tree_import", args=[tree["A"].pk])
    bad = client.post(url, {"file": _xlsx([["A5", "Chi bộ Thôn 5", "Chi bộ lạ", ""]])})
    assert bad.status_code == 400 and "Chi bộ lạ" in bad.text
    assert not Unit.objects.filter(code="A5").exists()
    good = client.post(url, {"file": _xlsx([["A5", "Chi bộ Thôn 5", "Chi bộ trực thuộc", ""]])})
    assert good.status_code == 200 and Unit.objects.get(code="A5").parent == tree["A"]
    export = client.get(reverse("tree_export", args=[tree["A"].pk]))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert ("A5", "Chi bộ Thôn 5") in [r[:2] for r in rows]
    template = client.get(reverse("tree_template"))
    assert load_workbook(io.BytesIO(template.content)).sheetnames[1] == "Hướng dẫn"


def test_the_import_page_asks_for_a_file(tree, people, client, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(people["alice"])
    response = client.post(reverse("tree_import", args=[tree["A"].pk]), {})
    assert response.status_code == 400 and "choose a file" in response.text
