"""Every page of a season, as each role, reads as words: no stored code reaches a person.

The season has every step (draft, submitted, appraised, decided, re-rated, entered on a
member's behalf), so the board, the history, the verdict and its citations all have content.
Each GET route of the site is opened with real ids as a member, a cell secretary, organization
staff, a committee and an administrator; the text people see (and the attributes a screen
reader speaks) must hold no raw enum value, pool key, confidence mark, R-number, regulation
generation code or Python repr.
"""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import make_user
from tests.cycles.helpers import appraise, open_year, self_rate, ward
from tests.web.test_every_url_is_scoped import _kwargs
from xeploai.accounts.models import Role
from xeploai.cycles.models import (
    CaseKind,
    CycleState,
    ExcludedReason,
    Level,
    OpinionSource,
    Step,
    Subject,
    SubjectKind,
)
from xeploai.cycles.services.decisions import decision_rerate, decisions_take
from xeploai.cycles.services.lifecycle import cycle_document_add
from xeploai.org.models import PositionKind, UnitKind

# Values with an underscore are never words; the plain ones are checked as whole words on
# Vietnamese pages, where an English "good" or "complete" can only be a leaked code.
_CODES = sorted(
    {
        value
        for choices in (
            Level,
            Step,
            SubjectKind,
            ExcludedReason,
            OpinionSource,
            CaseKind,
            CycleState,
            UnitKind,
            PositionKind,
            Role,
        )
        for value in choices.values
    }
    | {"excellent", "good", "complete"},
    key=len,
    reverse=True,
)
FORBIDDEN = {
    "raw code": re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, _CODES)) + r")(?![\w/-])"),
    "pool key": re.compile(r"\b\d+/(?:leaders|members|[a-z_]+/[a-z_]+)\b"),
    "confidence mark": re.compile(r"\[(?:C1|C2|INF|UNV)\]"),
    "rule number": re.compile(r"\bR\d{1,2}\b"),
    "regulation code": re.compile(r"\bG(?:27|124|132(?:-16|-21)?|366)\b"),
    "python repr": re.compile(r"\{'|\{\"|\['|Decimal\(|datetime\.|\bNone\b|\bTrue\b|\bFalse\b"),
}
UNDERSCORED = re.compile(r"(?<![\w/.-])[a-z]+(?:_[a-z0-9]+)+(?![\w/-])")
SPOKEN = ("title", "aria-label", "alt", "placeholder")


class _Visible(HTMLParser):
    """The text a person reads or hears: data outside script/style, and spoken attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in SPOKEN and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def leaks(html: str, english: bool = False) -> list[str]:
    text = visible_text(html)
    found = []
    for what, pattern in FORBIDDEN.items():
        if english and what == "raw code":
            # In English "good" is a word: only the codes that cannot be words are checked.
            pattern = UNDERSCORED
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"{what}: {match.group(0)!r} in …{text[start : match.end() + 40]!r}…")
    return found


def _get_routes(patterns=None):
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            continue  # the JSON API answers JSON: its words are checked in tests/api
        if isinstance(pattern, URLResolver):
            routes += _get_routes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            routes.append((pattern.name, list(pattern.pattern.converters)))
    return routes


# Not pages: leaving, changing the language, and the POST-only steps.
SKIP = {"logout", "set_language"}


@pytest.fixture
def season(db):
    t = ward()
    cycle = open_year(t["P"])
    members = {m.pk: Subject.objects.get(cycle=cycle, member=m, position=None) for m in t["c1"]}
    subjects = list(members.values())
    # Submitted by the member herself, appraised, decided, then re-rated.
    self_rate(t["m2"], subjects[1], "good")
    appraise(t["carol"], subjects[1], "good", votes={"good": 5})
    # Entered for a member by the ward's staff, appraised with a different proposal.
    self_rate(t["sam"], subjects[2], "excellent", general="29", task_points="66")
    appraise(t["carol"], subjects[2], "good", reason="Chưa vượt chỉ tiêu", votes={"good": 4})
    # A draft.
    self_rate(t["sam"], subjects[3], "good", submit=False)
    deciding = Subject.objects.get(pk=subjects[1].pk).deciding_unit
    decisions_take(actor=None, cycle=cycle, choices={subjects[1].pk: "good"})
    decision = subjects[1].decisions.get()
    decision_rerate(
        actor=None,
        subject=Subject.objects.get(pk=subjects[1].pk),
        level="complete",
        reason="Phát hiện vi phạm sau khi xếp loại",
    )
    document = cycle_document_add(
        actor=None, cycle=cycle, title="Kế hoạch", file=ContentFile(b"%PDF-1.4", name="kh.pdf")
    )
    rerating = subjects[1].decisions.exclude(pk=decision.pk).get()
    ids = {
        "unit": t["C1"].pk,
        "member": t["c1"][2].pk,
        "cycle": cycle.pk,
        "subject": subjects[2].pk,
        "document": document.pk,
        "decision": rerating.pk,
    }
    people = {
        "member": t["m2"],
        "cell secretary": t["carol"],
        "organization staff": t["sam"],
        "committee": t["wendy"],
        "administrator": make_user("adam", Role.ADMINISTRATOR, t["P"]),
    }
    return t, cycle, ids, deciding, people, subjects


def test_it_finds_a_leak_when_one_is_there():
    page = (
        "<p>Theo quy định, cao nhất được: complete</p><p>#11151 · 2/leaders</p>"
        "<p>{'level': 'good'}</p><p>QĐ 366, Điều 11 [C2] R5, R7</p><p>G366</p>"
    )
    kinds = {leak.split(":")[0] for leak in leaks(page)}
    assert kinds == set(FORBIDDEN)
    assert leaks("<p>Hoàn thành tốt nhiệm vụ (HTT) — Điều 11, Quy định 366-QĐ/TW</p>") == []
    # A code in a form's value is not read; one in an aria-label is.
    assert leaks('<option value="good">HTT — Hoàn thành tốt nhiệm vụ</option>') == []
    assert leaks('<select aria-label="good"></select>')


def _walk(client, people, ids, deciding, english=False) -> tuple[list[str], set[str]]:
    problems = []
    opened = set()
    for role, user in people.items():
        client.force_login(user)
        for name, params in _get_routes():
            if name in SKIP:
                continue
            for fmt in ("docx", "pdf", "xlsx") if "fmt" in params else (None,):
                url = reverse(name, kwargs=_kwargs(name, params, ids, deciding.pk, fmt))
                response = client.get(url)
                assert response.status_code < 500, f"{role} {url}: {response.status_code}"
                if response.status_code != 200:
                    continue
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                opened.add(name)
                html = response.content.decode()
                problems += [f"{role} {url} {leak}" for leak in leaks(html, english)]
    return problems, opened


def test_it_shows_no_code_on_any_page_to_any_role(season, client):
    t, cycle, ids, deciding, people, subjects = season
    problems, opened = _walk(client, people, ids, deciding)
    assert not problems, "\n".join(problems)
    # The walk really opened the pages that hold codes.
    assert {"board", "subject_detail", "subject_history", "cycle_detail", "home"} <= opened


def test_it_shows_no_code_in_english_either(season, client, settings):
    t, cycle, ids, deciding, people, subjects = season
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    chosen = {role: people[role] for role in ("member", "committee")}
    problems, opened = _walk(client, chosen, ids, deciding, english=True)
    assert not problems, "\n".join(problems)
    page = client.get(reverse("subject_history", args=[subjects[2].pk])).content.decode()
    assert "entered for comrade" in page and "self-rated HTXS" in page


def test_it_tells_the_history_as_sentences(season, client):
    t, cycle, ids, deciding, people, subjects = season
    client.force_login(t["carol"])
    page = visible_text(
        client.get(reverse("subject_history", args=[subjects[2].pk])).content.decode()
    )
    member = t["c1"][2].full_name
    assert f"sam nhập thay đồng chí {member} bản tự kiểm điểm: 95 điểm, tự xếp HTXS" in page
    assert "đề xuất Hoàn thành tốt nhiệm vụ (HTT)" in page
    assert "Lý do: Chưa vượt chỉ tiêu" in page
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d — ", page)
    page = visible_text(
        client.get(reverse("subject_history", args=[subjects[1].pk])).content.decode()
    )
    assert "xếp loại lại từ Hoàn thành tốt nhiệm vụ (HTT) thành Hoàn thành nhiệm vụ (HT)" in page
