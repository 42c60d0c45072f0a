"""A member on a phone (360 px, Debian's Chromium) types a score beyond its criterion's maximum
and reads, in Vietnamese and beside the field, what is wrong; then a group whose items add up
past the group's maximum, told beside the group. Nothing is saved either time."""

from pathlib import Path

import pytest

from tests.browser.test_walkthrough import (  # noqa: F401 - `browser` is a fixture
    CHROMIUM,
    PASSWORD,
    SHOTS,
    browser,
)
from tests.cycles.helpers import open_year, ward
from xeploai.cycles.facts import subject_sheet
from xeploai.cycles.models import SelfAssessment, Subject
from xeploai.rules import load_regulation

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is needed")


def test_a_member_on_a_phone_reads_why_a_score_is_refused(
    transactional_db,
    live_server,
    browser,  # noqa: F811 - the fixture imported above
    settings,
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t = ward()
    t["m2"].set_password(PASSWORD)
    t["m2"].save()
    cycle = open_year(t["P"])
    mine = Subject.objects.get(cycle=cycle, member=t["c1"][1], position=None)
    general = next(
        g
        for g in subject_sheet(mine, load_regulation(cycle.regulation)).groups
        if g.code == "general"
    )
    first, second, third = (item.code for item in general.items[:3])
    base = live_server.url

    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", "m2")
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/subjects/{mine.pk}/")

    # The maximum is on the page before anything is typed.
    hint = page.locator(f"#max_{first}")
    assert hint.inner_text() == "(tối đa 30 điểm)"
    assert page.locator(f"#score_{first}").get_attribute("aria-describedby") == f"max_{first}"

    # 1. Beyond the criterion's maximum: the live preview says it, then saving refuses it
    #    beside the field, with what was typed kept.
    page.fill(f"#score_{first}", "35")
    page.locator("#preview").get_by_text("tối đa 30 điểm.").wait_for()
    page.click("button[name=save]")
    page.wait_for_load_state()
    beside = page.locator(f"#score_{first} + .field-error")
    assert beside.inner_text() == "tối đa 30 điểm."
    assert beside.is_visible()
    assert page.locator(f"#score_{first}").input_value() == "35"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "score-refused-360.png"), full_page=True)

    # 2. Each item within the group's maximum, together over it: told beside the group.
    page.fill(f"#score_{first}", "15")
    page.fill(f"#score_{second}", "15")
    page.fill(f"#score_{third}", "5")
    page.click("button[name=save]")
    page.wait_for_load_state()
    group = page.locator("#group_general .field-error")
    assert group.inner_text() == "tổng điểm các mục của nhóm này là 35, tối đa 30."
    assert group.is_visible()
    html = page.content()
    assert "exceeds" not in html and "PL4/" not in html
    page.screenshot(path=str(SHOTS / "group-refused-360.png"), full_page=True)
    context.close()

    assert not SelfAssessment.objects.filter(subject=mine).exists()
