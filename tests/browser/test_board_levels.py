"""The calibration board's level choice reads in full in a real browser, at 1280 and 360 px:
"HTXS — Hoàn thành xuất sắc nhiệm vụ", never "Hoàn th…" for three levels alike."""

from django.urls import reverse

from tests.browser.test_walkthrough import PASSWORD, browser, login, pytestmark, shoot
from tests.cycles.helpers import appraise, open_year, self_rate, ward
from xeploai.cycles.models import Subject

__all__ = ["browser", "pytestmark"]

# How much of a select's inner width the drop-down arrow takes, as Chromium draws it.
ARROW = 16

FITS = """(el) => {
    const style = getComputedStyle(el);
    const ruler = document.createElement("canvas").getContext("2d");
    ruler.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = el.options[el.selectedIndex].text;
    const inner = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {text, needed: ruler.measureText(text).width, inner};
}"""


def test_it_shows_each_chosen_level_in_full(transactional_db, live_server, browser, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t = ward()
    cycle = open_year(t["P"])
    chosen = {}
    for member, level in zip(t["c1"][1:4], ("excellent", "good", "complete"), strict=True):
        subject = Subject.objects.get(cycle=cycle, member=member, position=None)
        self_rate(t["sam"], subject, level, general="29", task_points="66")
        appraise(t["carol"], subject, level, votes={level: 5})
        chosen[subject.pk] = level
    deciding = Subject.objects.get(pk=next(iter(chosen))).deciding_unit
    t["wendy"].set_password(PASSWORD)
    t["wendy"].save()
    base = live_server.url
    page = login(browser, base, "wendy")
    page.goto(base + reverse("board", args=[cycle.pk, deciding.pk]))
    shoot(page, "board-levels")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        seen = {}
        for pk, level in chosen.items():
            select = page.locator(f"select[name=level_{pk}]")
            assert select.input_value() == level
            found = select.evaluate(FITS)
            seen[found["text"].split(" — ")[0]] = found["text"]
            assert found["needed"] + ARROW <= found["inner"], f"{width} px: {found}"
        assert seen == {
            "HTXS": "HTXS — Hoàn thành xuất sắc nhiệm vụ",
            "HTT": "HTT — Hoàn thành tốt nhiệm vụ",
            "HT": "HT — Hoàn thành nhiệm vụ",
        }
