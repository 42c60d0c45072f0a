"""Changing a cycle's deadlines and cancelling it in a real browser, at 1280 and 360 px."""

from tests.browser.test_walkthrough import PASSWORD, browser, login, pytestmark, shoot
from tests.cycles.helpers import open_year, ward
from xeploai.cycles.models import CycleState

__all__ = ["browser", "pytestmark"]


def test_staff_move_the_deadlines_then_cancel_the_cycle(
    transactional_db, live_server, browser, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t = ward()
    t["sam"].set_password(PASSWORD)
    t["sam"].save()
    cycle = open_year(t["W"])
    base = live_server.url
    page = login(browser, base, "sam")
    page.goto(f"{base}/cycles/{cycle.pk}/")
    page.click("text=Sửa thời hạn")
    page.fill("#deadline_self_submitted", "30/11/2026")
    page.fill("#deadline_appraised", "20/11/2026")
    page.click("button.primary")
    assert page.locator(".field-error").count() == 1
    assert "không thể sớm hơn" in page.locator(".field-error").inner_text()
    shoot(page, "cycle-deadlines-refused")
    page.fill("#deadline_appraised", "10/12/2026")
    page.click("button.primary")
    page.wait_for_url(f"{base}/cycles/{cycle.pk}/")
    assert page.locator("li", has_text="10/12/2026").count() == 1
    page.click("text=Hủy đợt đánh giá")
    assert page.locator("text=Đợt này có 15 đối tượng đánh giá.").count() == 1
    shoot(page, "cycle-cancel")
    page.fill("#reason", "Mở nhầm ở cấp phường")
    page.click("button.primary")
    page.wait_for_url(f"{base}/cycles/{cycle.pk}/")
    assert page.locator("text=Mở nhầm ở cấp phường").count() == 1
    shoot(page, "cycle-cancelled")
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CANCELLED
