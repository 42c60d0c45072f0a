"""Every POST page, every field, hostile values: `abc`, `-5`, `""`, `1e9`, 100,000 characters, a
NUL byte, and unknown keys, each posted by a user allowed to post there with the rest of the form
valid. Never a 500; where the value is refused, a 400 with the message shown and not one row
written anywhere (every model's count and the audit trail compared before and after).

The POST routes are found by walking the URL patterns of xeploai/*/urls.py: a route that takes a
POST and is not described here fails the test until it is."""

import datetime
import inspect

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import make_user
from tests.cycles.helpers import appraise, open_year, points, self_rate, ward
from xeploai.accounts.models import Role, User
from xeploai.api.services import token_create
from xeploai.cycles.models import Subject
from xeploai.cycles.services.decisions import decisions_take
from xeploai.cycles.services.findings import finding_record

HOSTILE = {
    "abc": "abc",
    "minus": "-5",
    "empty": "",
    "exponent": "1e9",
    "novel": "ơ" * 100_000,
    "nul": "1\x00",
}
UNKNOWN_KEYS = {
    "zz_unknown": "1",
    "score_zz": "1",
    "votes_zz": "1",
    "tasks_zz": "1",
    "item_zz": "fixed",
    "level_zz": "good",
    "pick_zz": "on",
    "a[b]": "c",
    "__proto__": "x",
}

# What each kind of field refuses of HOSTILE; the rest it may take as typed.
REFUSES = {
    "text": {"novel", "nul"},
    "text_required": {"novel", "nul", "empty"},
    "count": {"abc", "minus", "exponent", "novel", "nul"},
    "count_required": {"abc", "minus", "exponent", "novel", "nul", "empty"},
    "points": {"abc", "minus", "exponent", "novel", "nul"},
    "date": {"abc", "minus", "exponent", "novel", "nul"},
    "date_required": {"abc", "minus", "exponent", "novel", "nul", "empty"},
    "choice": {"abc", "minus", "exponent", "novel", "nul"},
    "choice_required": set(HOSTILE),
    "id_required": {"abc", "minus", "exponent", "novel", "nul", "empty"},
    "file": set(HOSTILE),
    "lenient": set(),
}
LEVELS = ("excellent", "good", "complete", "not_complete")


@pytest.fixture
def season(db):
    t = ward()
    cycle = open_year(t["P"])
    member = Subject.objects.get(cycle=cycle, member=t["c1"][1], position=None)
    decided = Subject.objects.get(cycle=cycle, member=t["c2"][0], position=None)
    self_rate(t["sam"], decided, "good", "25", "58")
    appraise(t["sam"], decided, "good")
    decisions_take(actor=t["wendy"], cycle=cycle, choices={decided.pk: "good"})
    submitted = Subject.objects.get(cycle=cycle, member=t["c1"][2], position=None)
    self_rate(t["sam"], submitted, "good", "25", "58")
    appraised = Subject.objects.get(cycle=cycle, member=t["c2"][1], position=None)
    self_rate(t["sam"], appraised, "good", "25", "58")
    appraise(t["sam"], appraised, "good")
    leader = Subject.objects.filter(cycle=cycle, kind="leader").order_by("pk").first()
    finding = finding_record(
        actor=t["sam"],
        subject=member,
        kind="long_leave",
        found_on=datetime.date(2026, 11, 20),
        evidence="Giấy nghỉ ốm",
    )
    token, _secret = token_create(actor=t["m2"], user=t["m2"], name="Điện thoại")
    for s in (member, decided, submitted, appraised):
        s.refresh_from_db()
    root = User.objects.create_superuser("root", password="correct horse battery")
    olivia = make_user("olivia", Role.ORGANIZATION_STAFF, t["P"])
    return {
        **t,
        "root": root,
        "olivia": olivia,
        "cycle": cycle,
        "member": member,
        "decided": decided,
        "submitted": submitted,
        "appraised": appraised,
        "leader": leader,
        "token": token,
        "finding": finding,
    }


def _tally():
    return {f"votes_{level}": "0" for level in LEVELS}


def _pages(s) -> dict:
    """route name → (who posts, url, a valid form, {field: kind})."""
    member, submitted, decided = s["member"], s["submitted"], s["decided"]
    scores = points(member, "25", "58")
    score_fields = dict.fromkeys((f"score_{k}" for k in scores), "points")
    tasks = {f"tasks_{n}": "count" for n in ("total", "completed", "on_time", "late", "exceeding")}
    texts = dict.fromkeys(
        ("strengths", "shortcomings", "causes", "prompt_answers", "direction"), "text"
    )
    self_form = {"version": str(member.version), **{f"score_{k}": v for k, v in scores.items()}}
    self_fields = {
        "version": "id_required",
        **score_fields,
        **tasks,
        **texts,
        "proposed_level": "choice",
    }
    paper = {"paper_number": "text", "paper_date": "date", "paper_signer": "text"}
    appraised = s["appraised"].pk
    return {
        "login": (
            None,
            reverse("login"),
            {"username": "m2", "password": "correct horse battery"},
            {"username": "text_required", "password": "text_required"},
        ),
        "logout": ("m2", reverse("logout"), {}, {}),
        # Django's own: an unknown language is ignored, nothing is stored.
        "set_language": (
            "m2",
            reverse("set_language"),
            {"language": "en", "next": "/"},
            {"language": "lenient", "next": "lenient"},
        ),
        "member_reveal": ("olivia", reverse("member_reveal", args=[s["c1"][1].pk]), {}, {}),
        "roster_import": (
            "olivia",
            reverse("roster_import", args=[s["W"].pk]),
            {},
            {"file": "file"},
        ),
        "cycle_new": (
            "sam",
            reverse("cycle_new", args=[s["W"].pk]),
            {
                "name": "Quý 1",
                "period_kind": "quarter",
                "period_start": "01/01/2026",
                "period_end": "31/03/2026",
            },
            {
                "name": "text_required",
                "period_kind": "choice_required",
                "period_start": "date_required",
                "period_end": "date_required",
                "deadline_self_submitted": "date",
                "deadline_appraised": "date",
                "deadline_decided": "date",
            },
        ),
        "cycle_document": (
            "olivia",
            reverse("cycle_document", args=[s["cycle"].pk]),
            {"title": "Kế hoạch", "number": "07-KH/TU", "issued_on": "18/11/2026"},
            {"title": "text", "number": "text", "issued_on": "date"},
        ),
        "cycle_move": (
            "olivia",
            reverse("cycle_move", args=[s["cycle"].pk, "lock"]),
            {"reason": "Hết hạn"},
            {"reason": "text"},
        ),
        "board": (
            "wendy",
            reverse("board", args=[s["cycle"].pk, s["W"].pk]),
            {f"level_{appraised}": "good", f"pick_{appraised}": "on", "decide": ""},
            {f"level_{appraised}": "choice", **paper},
        ),
        "subject_self_save": (
            "m2",
            reverse("subject_self_save", args=[member.pk]),
            self_form,
            self_fields,
        ),
        "subject_preview": (
            "m2",
            reverse("subject_preview", args=[member.pk]),
            self_form,
            {k: v for k, v in self_fields.items() if k != "version"},
        ),
        "subject_appraise": (
            "sam",
            reverse("subject_appraise", args=[submitted.pk]),
            {
                "version": str(submitted.version),
                "proposed_level": "good",
                "attendees": "6",
                **_tally(),
                "votes_good": "6",
            },
            {
                "version": "id_required",
                "proposed_level": "choice_required",
                "attendees": "count_required",
                **dict.fromkeys((f"votes_{level}" for level in LEVELS), "count_required"),
                "reason": "text",
            },
        ),
        "subject_opinion": (
            "sam",
            reverse("subject_opinion", args=[submitted.pk]),
            {"source": "residence", "author": "Chi ủy", "text": "Tốt", "received_on": "20/11/2026"},
            {
                "source": "choice_required",
                "author": "text",
                "text": "text_required",
                "received_on": "date_required",
            },
        ),
        "cycle_deadlines": (
            "olivia",
            reverse("cycle_deadlines", args=[s["cycle"].pk]),
            {"deadline_self_submitted": "15/12/2026"},
            {
                "deadline_self_submitted": "date",
                "deadline_appraised": "date",
                "deadline_decided": "date",
            },
        ),
        "cycle_cancel": (
            "olivia",
            reverse("cycle_cancel", args=[s["cycle"].pk]),
            {"reason": "Mở nhầm"},
            {"reason": "text_required"},
        ),
        "api_tokens": (
            "m2",
            reverse("api_tokens"),
            {"name": "Máy tính bảng"},
            {"name": "text_required"},
        ),
        "api_token_revoke": ("m2", reverse("api_token_revoke", args=[s["token"].pk]), {}, {}),
        "subject_findings": (
            "sam",
            reverse("subject_findings", args=[member.pk]),
            {"kind": "prohibited_conduct", "found_on": "20/11/2026", "evidence": "Biên bản"},
            {
                "kind": "choice_required",
                "count": "count",
                "found_on": "date_required",
                "evidence": "text_required",
            },
        ),
        "subject_finding_remove": (
            "sam",
            reverse("subject_finding_remove", args=[member.pk]),
            {"finding": str(s["finding"].pk)},
            {"finding": "id_required"},
        ),
        "subject_confidence": (
            "sam",
            reverse("subject_confidence", args=[s["leader"].pk]),
            {
                "held_on": "20/11/2026",
                "ballots_issued": "10",
                "ballots_valid": "10",
                "high": "5",
                "medium": "3",
                "low": "2",
            },
            dict.fromkeys(
                ("ballots_issued", "ballots_valid", "high", "medium", "low"), "count_required"
            )
            | {"held_on": "date_required"},
        ),
        "subject_rerate": (
            "wendy",
            reverse("subject_rerate", args=[decided.pk]),
            {"level": "complete", "reason": "Vi phạm"},
            {"level": "choice_required", "reason": "text_required", **paper},
        ),
    }


def _routes(patterns=None) -> list[URLPattern]:
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            continue  # the JSON API's writes: tests/api/test_scope.py posts the same values
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append(pattern)
    return found


def _takes_post(callback) -> bool:
    """Does the view read a POST? A class view with `post`, a `require_POST` /
    `require_http_methods([... "POST"])` decorator, or a body that branches on the method or
    reads files."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    function = callback
    while function is not None:
        for cell in function.__closure__ or ():
            allowed = cell.cell_contents
            if isinstance(allowed, (list, tuple)) and "POST" in allowed:
                return True
        function = getattr(function, "__wrapped__", None)
    source = inspect.getsource(inspect.unwrap(callback))
    return 'request.method == "POST"' in source or "request.FILES" in source


def _rows() -> dict[str, int]:
    """Every row of every model of the project (the audit trail included)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"org", "cycles", "accounts", "audit", "reports", "api"}
        and not model._meta.proxy
    }


def _post(client, s, who, url, data, files=None):
    """One POST inside a savepoint that is rolled back: each try starts from the same season."""
    client.logout()
    if who:
        client.force_login(s[who])
    with transaction.atomic():
        before = _rows()
        response = client.post(url, {**data, **(files or {})})
        written = {k: v for k, v in _rows().items() if v != before.get(k)}
        transaction.set_rollback(True)
    return response, written


# POST routes whose bad input is posted by their own tests for now (property tests over their
# forms and page tests with errors beside the field); to be folded into this walk.
ELSEWHERE = {
    "activate": "tests/accounts/test_properties.py",
    "grant_add": "tests/accounts/test_properties.py",
    "grant_end": "tests/accounts/test_pages.py",
    "account_codes": "tests/accounts/test_pages.py",
    "account_deactivate": "tests/accounts/test_pages.py",
    "staff_new": "tests/accounts/test_pages.py",
    "password_change": "tests/accounts/test_reset.py",
    "password_reset": "tests/accounts/test_reset.py",
    "password_reset_confirm": "tests/accounts/test_reset.py",
    "tree_import": "tests/org/test_tree_import.py",
    "unit_tree_change": "tests/org/test_tree_pages.py",
}


def test_every_post_route_is_described(season):
    described = set(_pages(season)) | set(ELSEWHERE)
    assert {"subject_appraise", "board", "cycle_new", "set_language"} <= described
    missing = {
        pattern.name
        for pattern in _routes()
        if _takes_post(pattern.callback) and pattern.name not in described
    }
    assert not missing, f"POST routes without hostile values in this test: {sorted(missing)}"


def _beside(html: str, field: str) -> bool:
    """The field's message comes after its input and before the next field (a hidden field,
    such as the version, has nowhere to show one: its message is at the top)."""
    at = html.index(f'name="{field}"')
    if html[max(0, at - 40) : at].endswith('type="hidden" '):
        return True
    rest = html[at + len(field) + 7 :]
    following = rest.find(' name="')
    error = rest.find('class="field-error"')
    return error != -1 and (following == -1 or error < following)


def _shown(html: str) -> bool:
    return 'class="field-error"' in html or "message error" in html or "errorlist" in html


@pytest.mark.parametrize(
    "name",
    [
        "login",
        "set_language",
        "roster_import",
        "cycle_new",
        "cycle_document",
        "cycle_move",
        "board",
        "subject_self_save",
        "subject_preview",
        "subject_appraise",
        "subject_opinion",
        "subject_rerate",
    ],
)
def test_hostile_values_in_every_field_are_refused_and_write_nothing(season, client, name):
    who, url, valid, fields = _pages(season)[name]
    if "file" not in fields.values():  # a valid roster file is tests/org's matter
        response, _written = _post(client, season, who, url, valid)
        assert response.status_code < 400, f"{name}: the valid form is refused"
    for field, kind in fields.items():
        for label, value in HOSTILE.items():
            data = {**valid, field: value}
            files = {}
            if kind == "file":
                data.pop(field, None)
                files = {field: value}
            response, written = _post(client, season, who, url, data, files)
            where = f"{name} {field}={label}"
            assert response.status_code != 500, where
            if kind == "lenient":
                assert not written, f"{where}: wrote {written}"
            if label not in REFUSES[kind]:
                continue
            html = response.content.decode()
            assert not written, f"{where}: wrote {written}"
            if name == "login":
                assert response.status_code == 200 and "_auth_user_id" not in client.session
            elif name == "subject_preview":
                assert 'class="message error"' in html, where
                continue
            else:
                assert response.status_code == 400, f"{where}: {response.status_code}"
            assert _shown(html), f"{where}: no message"
            if name.startswith("subject") and f'name="{field}"' in html:
                assert _beside(html, field), f"{where}: not beside the field"


def test_unknown_keys_never_fail_and_are_never_read(season, client):
    for name, (who, url, valid, _fields) in _pages(season).items():
        response, written = _post(client, season, who, url, {**valid, **UNKNOWN_KEYS})
        assert response.status_code != 500, name
        if name in ("subject_self_save", "subject_appraise", "board"):
            # These read keys by prefix: one they do not know is refused, not guessed at.
            assert response.status_code == 400, name
            assert not written, f"{name}: wrote {written}"
