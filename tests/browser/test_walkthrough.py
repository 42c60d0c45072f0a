"""A whole cycle through the pages in a real browser (Debian's Chromium), as each role.

Screenshots of every step at 1280 px and 360 px go to test-artifacts/screenshots/.
"""

import os
from pathlib import Path

import pytest

from tests.cycles.helpers import appraise, open_year, self_rate, ward
from xeploai.cycles.models import Subject

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is needed")


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # ordinary synchronous code between browser steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
        # The test's ORM calls ran while Playwright's event loop was set, in a context of
        # their own: their connection is closed here, or it would keep the test database.
        from django.db import connections

        connections.close_all()


def accessible(page, name):
    """WCAG 2.1 A and AA rules of axe-core: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: {serious}"


def shoot(page, name):
    accessible(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        if width == 360:
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= 360, f"{name}: the page scrolls sideways at 360 px ({overflow})"
    page.set_viewport_size({"width": 1280, "height": 900})


def login(browser, base, username):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")
    return page


def test_it_walks_a_cycle_through_the_pages_as_each_role(
    transactional_db, live_server, browser, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t = ward()
    for user in ("m2", "carol", "sam", "wendy"):
        t[user].set_password(PASSWORD)
        t[user].save()
    cycle = open_year(t["P"])
    # The rest of the ward is entered through the services: two Excellent proposals among
    # few Good ones make the cap bite; the cell's own results are in.
    cell = Subject.objects.get(cycle=cycle, unit=t["C1"], kind="party_organization")
    self_rate(t["sam"], cell, "good", "26", "59")
    appraise(t["sam"], cell, "good")
    for i, member in enumerate(t["c2"][:3]):
        s = Subject.objects.get(cycle=cycle, member=member)
        level = "excellent" if i < 2 else "good"
        self_rate(
            t["sam"],
            s,
            level,
            "28" if i < 2 else "25",
            "66" if i < 2 else "58",
            tasks=(10, 10, 10, 0, 5 if i < 2 else 1),
        )
        appraise(t["sam"], s, level)
    base = live_server.url
    mine = Subject.objects.get(cycle=cycle, member=t["c1"][1])

    # 1. A member fills and submits a 2B self-review, watching the running total.
    page = login(browser, base, "m2")
    page.click("text=Đợt đánh giá")
    shoot(page, "01-member-cycles")
    page.click(f"a[href='/subjects/{mine.pk}/']")
    assert "Mẫu 2B" in page.content()
    inputs = page.locator("input.score")
    inputs.nth(0).fill("26")
    inputs.nth(inputs.count() - 1).fill("60")
    page.locator("#preview").get_by_text("86 / 100").wait_for()
    for name, value in (
        ("tasks_total", "10"),
        ("tasks_completed", "10"),
        ("tasks_on_time", "10"),
        ("tasks_late", "0"),
        ("tasks_exceeding", "1"),
    ):
        page.fill(f"input[name={name}]", value)
    # With the tasks typed too, the rule core's level appears beside the total.
    page.locator("#preview").get_by_text("Hoàn thành tốt nhiệm vụ (HTT)").wait_for()
    page.fill("#strengths", "Hoàn thành tốt nhiệm vụ được giao")
    page.select_option("#proposed_level", "good")
    shoot(page, "02-member-self-review")
    page.click("button[name=submit]")
    page.get_by_text("Đã nộp. Cảm ơn đồng chí.").wait_for()
    shoot(page, "03-member-submitted")

    # 2. The cell secretary records the meeting's tally and proposes.
    page = login(browser, base, "carol")
    page.goto(f"{base}/cycles/{cycle.pk}/units/{t['C1'].pk}/")
    shoot(page, "04-secretary-cell")
    page.click(f"a[href='/subjects/{mine.pk}/']")
    page.fill("input[name=attendees]", "6")
    page.fill("input[name=votes_good]", "6")
    page.select_option("#appraise_level", "good")
    shoot(page, "05-secretary-appraisal")
    page.click("form[action$='/appraise/'] button.primary")
    page.get_by_text("Đã ghi kết quả hội nghị").wait_for()

    # 3. Organization staff open the board: the cap is broken, with its arithmetic.
    page = login(browser, base, "sam")
    page.goto(f"{base}/cycles/{cycle.pk}/board/{t['W'].pk}/")
    page.get_by_text("Vượt tỷ lệ").first.wait_for()
    assert "20 % × 2 HTT = 0,4 → 0" in page.content()
    shoot(page, "06-staff-board-cap")

    # 4. The committee is stopped by the order (the cell before its members), then decides.
    page = login(browser, base, "wendy")
    page.goto(f"{base}/cycles/{cycle.pk}/board/{t['W'].pk}/")
    page.check(f"input[name=pick_{cell.pk}]")
    page.click("button[name=decide]")
    page.get_by_text("Cần quyết định trước").first.wait_for()
    shoot(page, "07-committee-order-block")
    members = Subject.objects.filter(
        cycle=cycle, unit__in=[t["C1"], t["C2"]], step="appraised", member__isnull=False
    )
    for s in members:
        page.check(f"input[name=pick_{s.pk}]")
        page.select_option(f"select[name=level_{s.pk}]", "good")
    page.click("button[name=decide]")
    page.get_by_text("Đã quyết định").first.wait_for()
    shoot(page, "08-committee-decided")
    assert Subject.objects.filter(pk__in=[s.pk for s in members], step="decided").count() == 4


def test_it_keeps_the_roster_pages_readable_on_a_phone(
    transactional_db, live_server, browser, settings, tmp_path
):
    """The organization pages as the staff use them: accessible, no sideways scrolling."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t = ward()
    t["sam"].set_password(PASSWORD)
    t["sam"].save()
    base = live_server.url
    page = login(browser, base, "sam")
    shoot(page, "10-staff-home")
    page.goto(f"{base}/units/{t['W'].pk}/")
    shoot(page, "11-staff-unit")
    page.goto(f"{base}/members/?q=nguyen van")
    page.get_by_text("Nguyễn Văn Một 1").wait_for()
    shoot(page, "12-staff-member-search")
    page.goto(f"{base}/members/{t['c1'][1].pk}/")
    shoot(page, "13-staff-member")
    page.goto(f"{base}/units/{t['W'].pk}/import/")
    broken = tmp_path / "danh-sach.csv"
    broken.write_text(
        "Họ và tên;Ngày sinh;Giới tính;Số thẻ đảng viên;Ngày vào Đảng;Chi bộ\n"
        "Lê Văn Mới;31/02/1990;Nam;90000001;01/01/2020;C9\n",
        encoding="utf-8",
    )
    page.set_input_files("#file", str(broken))
    page.click("button.primary")
    page.get_by_text("Chưa nhập dữ liệu nào").wait_for()
    shoot(page, "14-staff-import-errors")
