"""The tree pages in a real browser, as alice (organization staff of A), at 1280 and 360 px."""

from openpyxl import Workbook

from tests.browser.test_walkthrough import browser, login, pytestmark, shoot
from xeploai.org.models import Unit, UnitEvent

__all__ = ["browser", "pytestmark"]


def _workbook(path, rows):
    workbook = Workbook()
    workbook.active.append(["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"])
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return str(path)


def test_alice_changes_the_tree_through_the_pages(
    transactional_db, live_server, browser, tree, people, tmp_path
):
    base = live_server.url
    page = login(browser, base, "alice")
    page.goto(f"{base}/units/{tree['A'].pk}/")
    page.click("text=Quản lý cây đơn vị")
    assert page.locator("h1").inner_text().startswith("Quản lý cây đơn vị")
    shoot(page, "tree-01-manage")

    page.fill("#create-code", "A9")
    page.fill("#create-name", "Chi bộ Thôn 9")
    page.select_option("#create-kind", "subordinate_cell")
    page.fill("#create-on", "01/02/2026")
    page.click("#create button")
    page.get_by_text("Đã tạo Chi bộ Thôn 9.").wait_for()
    a9 = Unit.objects.get(code="A9")
    assert a9.parent_id == tree["A"].pk

    page.goto(f"{base}/units/{a9.pk}/tree/")
    page.fill("#rename-name", "Chi bộ Thôn Chín")
    page.fill("#rename-on", "03/02/2026")
    page.click("#rename button")
    page.get_by_text("Đã đổi tên.").wait_for()
    history = page.locator("#history").inner_text()
    assert "03/02/2026" in history and "Chi bộ Thôn 9 → Chi bộ Thôn Chín" in history
    shoot(page, "tree-02-history")

    # Another district's code is refused beside the field, and nothing moves.
    page.fill("#move-target", "B")
    page.click("#move button")
    page.locator("#move .field-error").wait_for()
    assert "Không có đơn vị mang mã này" in page.locator("#move .field-error").inner_text()
    shoot(page, "tree-03-move-refused")
    assert Unit.objects.get(code="A9").parent_id == tree["A"].pk

    page.fill("#move-target", "A")
    page.fill("#dissolve-on", "31/02/2026")
    page.click("#dissolve button")
    page.locator("#dissolve .field-error").wait_for()
    assert Unit.objects.get(code="A9").dissolved_on is None

    page.goto(f"{base}/units/{tree['A'].pk}/tree/import/")
    page.set_input_files("#file", _workbook(tmp_path / "sai.xlsx", [["A5", "Chi bộ 5", "Lạ", ""]]))
    page.click("button.primary")
    page.locator("table.problems").wait_for()
    assert "C (Loại đơn vị)" in page.locator("table.problems").inner_text()
    shoot(page, "tree-04-import-problems")
    assert not Unit.objects.filter(code="A5").exists()
    good = _workbook(tmp_path / "dung.xlsx", [["A5", "Chi bộ Thôn 5", "Chi bộ trực thuộc", ""]])
    page.set_input_files("#file", good)
    page.click("button.primary")
    page.get_by_text("Đã nhập 1 dòng").wait_for()
    shoot(page, "tree-05-imported")
    assert UnitEvent.objects.filter(unit__code="A5", kind="created").exists()
