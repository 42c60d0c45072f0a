"""The 403/404 matrix on every API route: oscar, staff of another province, sends the ward's
ids to every operation and gets 403 or 404, never the ward's data. And hostile values to
every write as an allowed user: 422 naming the field, nothing written."""

import json

import pytest
from django.test import Client

from tests.api.conftest import bearer
from xeploai.audit.models import Event

BODIES = {
    "transition": {"to": "lock"},
    "self-assessment": {"version": 0},
    "submit": {"version": 0},
    "appraisal": {"version": 0, "proposed_level": "good"},
}
IDS = ("cycle_id", "unit_id", "subject_id", "member_id", "document_id")


def _operations(client):
    spec = json.loads(client.get("/api/v1/openapi.json").content)
    for path, methods in spec["paths"].items():
        for method in methods:
            yield method.upper(), path


def test_it_refuses_an_outsider_on_every_object_route(season):
    client = Client()
    ids = {
        "cycle_id": season["cycle"].pk,
        "unit_id": season["C1"].pk,
        "subject_id": season["m2_subject"].pk,
        "member_id": season["c1"][1].pk,
        "document_id": 1,
        "fmt": "pdf",
    }
    checked = 0
    for method, path in _operations(client):
        if not any(f"{{{name}}}" in path for name in IDS):
            continue
        url = path.format(**ids)
        body = BODIES.get(url.rsplit("/", 1)[-1], {})
        response = client.generic(
            method,
            url,
            json.dumps(body).encode(),
            content_type="application/json",
            **bearer(season["tokens"]["oscar"]),
        )
        assert response.status_code in (403, 404), (method, url, response.status_code)
        assert "Tổ 1" not in response.content.decode()
        checked += 1
    assert checked >= 20


def test_it_shows_an_outsider_nothing_of_the_ward_in_lists(season):
    client = Client()
    for path in ("/api/v1/units", "/api/v1/cycles", "/api/v1/members?q=Một", "/api/v1/me/subjects"):
        body = client.get(path, **bearer(season["tokens"]["oscar"])).content.decode()
        assert "Tổ 1" not in body and "Năm 2026" not in body and "Một" not in body, path
    response = Client().post(
        "/api/v1/cycles",
        {
            "unit_id": season["W"].pk,
            "name": "x",
            "period_kind": "year",
            "period_start": "01/01/2026",
            "period_end": "31/12/2026",
        },
        content_type="application/json",
        **bearer(season["tokens"]["oscar"]),
    )
    assert response.status_code == 404


def test_it_answers_401_without_a_valid_token(season):
    for headers in ({}, bearer("xl_nope"), bearer(season["tokens"]["sam"] + "x")):
        response = Client().get("/api/v1/cycles", **headers)
        assert response.status_code == 401
        assert set(response.json()) == {"code", "message", "fields"}


HUGE = "9" * 100_000
NUMBER = ["abc", -5, "", 1e9, "1e9", HUGE, "\x00"]
TEXT = ["x" * 100_000, "a\x00b"]
LEVEL = ["abc", -5, "", "\x00", "x" * 100_000]
DATE = ["abc", "-5", "", 1e9, "\x00", "x" * 100_000]


def _writes(season):
    s = season["m2_subject"]
    cycle = season["cycle"].pk
    open_body = {
        "unit_id": season["W"].pk,
        "name": "Quý 1",
        "period_kind": "quarter",
        "period_start": "01/01/2026",
        "period_end": "31/03/2026",
    }
    self_body = {
        "version": 0,
        "tasks": {"total": 10},
        "texts": {"strengths": "Tốt"},
        "proposed_level": "good",
    }
    return [
        (
            "sam",
            "POST",
            "/api/v1/cycles",
            open_body,
            {
                "name": TEXT + [""],
                "period_kind": LEVEL,
                "period_start": DATE,
                "period_end": DATE,
                "unit_id": ["abc", -5, "", 1e30],
            },
        ),
        (
            "m2",
            "PUT",
            f"/api/v1/subjects/{s.pk}/self-assessment",
            self_body,
            {
                "version": NUMBER,
                "tasks.total": NUMBER,
                "tasks.late": NUMBER,
                "texts.strengths": TEXT,
                "proposed_level": LEVEL[:2] + LEVEL[3:],
            },
        ),
        (
            "m2",
            "POST",
            f"/api/v1/subjects/{s.pk}/self-assessment/submit",
            self_body,
            {"version": NUMBER, "texts.direction": TEXT},
        ),
        (
            "sam",
            "POST",
            f"/api/v1/subjects/{s.pk}/appraisal",
            {"version": 0, "proposed_level": "good", "attendees": 5, "votes": {"good": 5}},
            {
                "version": NUMBER,
                "attendees": NUMBER[:2] + NUMBER[3:],
                "votes.good": NUMBER[:2] + NUMBER[3:],
                "proposed_level": LEVEL,
                "reason": TEXT,
            },
        ),
        (
            "sam",
            "POST",
            f"/api/v1/cycles/{cycle}/transition",
            {"to": "reopen", "reason": "x"},
            {"to": LEVEL, "reason": TEXT},
        ),
        (
            "wendy",
            "POST",
            f"/api/v1/cycles/{cycle}/decisions",
            {"levels": {str(s.pk): "good"}},
            {
                f"levels.{s.pk}": LEVEL,
                "paper_date": ["abc", "\x00", "x" * 100_000],
                "paper_number": TEXT,
                "paper_signer": TEXT,
            },
        ),
    ]


# A version that is a whole number but not the current one is a conflict; an id that no
# object has is not found.
ALSO = {"version": (409,), "unit_id": (404,)}


def _set(body: dict, dotted: str, value) -> dict:
    body = json.loads(json.dumps(body))
    *head, last = dotted.split(".")
    target = body
    for part in head:
        target = target.setdefault(part, {})
    target[last] = value
    return body


@pytest.mark.parametrize("index", range(6))
def test_it_refuses_hostile_values_naming_the_field(season, index):
    who, method, path, base, fields = _writes(season)[index]
    client = Client()
    events = Event.objects.count()
    version = season["m2_subject"].version
    bodies = [
        (name, _set(base, name, value)) for name, values in fields.items() for value in values
    ]
    bodies.append(("zzz", {**base, "zzz": 1}))
    for name, body in bodies:
        response = client.generic(
            method,
            path,
            json.dumps(body).encode(),
            content_type="application/json",
            **bearer(season["tokens"][who]),
        )
        if response.status_code in ALSO.get(name, ()):
            continue
        assert response.status_code == 422, (name, repr(body)[:80], response.content[:300])
        errors = response.json()["fields"]
        assert any(key == name or key.startswith(name.split(".")[0]) for key in errors), (
            name,
            errors,
        )
    assert Event.objects.count() == events
    season["m2_subject"].refresh_from_db()
    assert season["m2_subject"].version == version


@pytest.mark.parametrize("pk", ["0", "9223372036854775808", "9" * 40])
def test_it_answers_404_for_ids_no_database_holds(season, pk):
    client = Client()
    for path in (f"/api/v1/subjects/{pk}", f"/api/v1/units/{pk}/subtree", f"/api/v1/cycles/{pk}"):
        response = client.get(path, **bearer(season["tokens"]["sam"]))
        assert response.status_code == 404, (path, response.content[:200])
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"{not json", 400), (b"", 422), (b"[1, 2]", 422), (b"NaN", 422), (b'"x"', 422)],
)
def test_it_refuses_a_body_that_is_not_an_object_in_the_one_shape(season, body, status):
    response = Client().generic(
        "POST",
        f"/api/v1/cycles/{season['cycle'].pk}/transition",
        body,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(season["tokens"]["sam"]),
    )
    assert response.status_code == status
    answer = response.json()
    assert answer["code"] == "invalid" and answer["message"] == "Some fields are not valid."
    assert list(answer["fields"]) == ["body"]
    season["cycle"].refresh_from_db()
    assert season["cycle"].state == "open"


def test_it_answers_a_missing_method_in_the_one_shape(season):
    response = Client().delete("/api/v1/cycles", **bearer(season["tokens"]["sam"]))
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
