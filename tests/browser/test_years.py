"""The several-years page and the cycle page's charts in a real browser, at 1280 and 360 px."""

import datetime

from tests.browser.test_walkthrough import PASSWORD, browser, login, pytestmark, shoot
from tests.cycles.helpers import open_year
from tests.reports.years import five_years
from xeploai.cycles.models import Subject

__all__ = ["browser", "pytestmark"]


def test_it_shows_several_years_and_the_charts_readably(
    transactional_db, live_server, browser, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t, cycles = five_years()
    for user in ("sam", "carol"):
        t[user].set_password(PASSWORD)
        t[user].save()
    cycle = cycles[2026]
    cycle.deadlines.create(step="self_submitted", due_on=datetime.date(2026, 11, 20))
    cycle.deadlines.create(step="decided", due_on=datetime.date(2026, 12, 31))
    Subject.objects.filter(cycle=cycle, member__isnull=False, position=None).update(
        self_level="excellent"
    )
    base = live_server.url
    page = login(browser, base, "sam")
    page.goto(f"{base}/cycles/{cycle.pk}/?unit={t['W'].pk}")
    assert page.locator("svg[role=img]").count() >= 3
    shoot(page, "years-cycle-page")
    page.click(f"a[href='/cycles/{cycle.pk}/years/{t['W'].pk}/']")
    assert page.locator("text=Nguyễn Văn Một 1").count() == 1
    shoot(page, "years-unit")
    # The ward staff's own cycle holds the form to attach its plan: it must fit a phone too.
    own = open_year(t["W"], 2027)
    page.goto(f"{base}/cycles/{own.pk}/")
    assert page.locator("input[type=file]").count() == 1
    shoot(page, "years-cycle-page-manager")
    page = login(browser, base, "carol")
    page.goto(f"{base}/members/{t['c1'][0].pk}/")
    assert page.locator("#member-years").count() == 1
    shoot(page, "years-member")
