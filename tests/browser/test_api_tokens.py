"""A user makes an API token in the browser, a program uses it over real HTTP, the user revokes
it; and the API's documentation page works in the browser, from the server's own files."""

import json
import urllib.error
import urllib.request

from tests.browser.test_walkthrough import PASSWORD, browser, login, pytestmark, shoot
from tests.cycles.helpers import open_year, ward

__all__ = ["browser", "pytestmark"]


def _get(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_user_makes_uses_and_revokes_a_token(transactional_db, live_server, browser, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t = ward()
    t["sam"].set_password(PASSWORD)
    t["sam"].save()
    cycle = open_year(t["W"])
    base = live_server.url
    page = login(browser, base, "sam")
    page.set_viewport_size({"width": 360, "height": 800})
    page.click("nav >> text=Mã truy cập API")
    page.fill("#name", "Văn phòng điện tử")
    page.click("button.primary")
    secret = page.locator("#secret").inner_text().strip()
    assert secret.startswith("xl_")
    shoot(page, "api-tokens")
    status, answer = _get(f"{base}/api/v1/cycles", secret)
    assert status == 200 and [c["id"] for c in answer["items"]] == [cycle.pk]
    assert answer["items"][0]["state"]["label"] == "Đang mở"
    page.goto(f"{base}/account/api-tokens/")
    assert page.locator("#secret").count() == 0
    page.click("text=Thu hồi")
    assert page.locator("text=Đã thu hồi mã truy cập").count() == 1
    status, answer = _get(f"{base}/api/v1/cycles", secret)
    assert status == 401 and answer["code"] == "unauthorized"
    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 20
    assert page.locator("text=Save and submit a self-assessment").count() == 1
