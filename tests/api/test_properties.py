"""Whatever a program sends to the API's writes and searches, the answer is in the one error
shape or a success: never a server error, never a value written that the forms refuse."""

import json

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import bearer

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=80),
    st.sampled_from(["NaN", "1e999", str(2**64), "-1", "9" * 3000, "\x00", "good", "8,5"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
ALLOWED = {200, 201, 400, 403, 404, 409, 422}


def _post(method, path, body, token):
    response = Client().generic(
        method, path, json.dumps(body).encode(), content_type="application/json", **bearer(token)
    )
    assert response.status_code in ALLOWED, (path, body, response.content[:300])
    answer = response.json()
    if response.status_code >= 400:
        assert set(answer) >= {"code", "message", "fields"}
    return response


def test_any_self_assessment_field_is_answered(season):
    s = season["m2_subject"]

    @SETTINGS
    @given(
        field=st.sampled_from(
            ["version", "scores", "tasks", "texts", "proposed_level", "remediation", "extra"]
        ),
        value=VALUES,
    )
    def run(field, value):
        s.refresh_from_db()
        body = {"version": s.version, "proposed_level": "good", field: value}
        _post("PUT", f"/api/v1/subjects/{s.pk}/self-assessment", body, season["tokens"]["m2"])

    run()


def test_any_appraisal_and_decision_body_is_answered(season):
    s = season["m2_subject"]
    cycle = season["cycle"].pk

    @SETTINGS
    @given(
        target=st.sampled_from(
            [
                ("sam", f"/api/v1/subjects/{s.pk}/appraisal"),
                ("wendy", f"/api/v1/cycles/{cycle}/decisions/check"),
                ("wendy", f"/api/v1/cycles/{cycle}/boards/{season['W'].pk}/what-if"),
                ("sam", "/api/v1/cycles"),
            ]
        ),
        body=st.dictionaries(
            st.sampled_from(
                [
                    "version",
                    "proposed_level",
                    "attendees",
                    "votes",
                    "reason",
                    "levels",
                    "name",
                    "unit_id",
                    "period_kind",
                    "period_start",
                    "period_end",
                    "zzz",
                ]
            ),
            VALUES,
            max_size=5,
        ),
    )
    def run(target, body):
        who, path = target
        _post("POST", path, body, season["tokens"][who])

    run()


def test_any_search_is_answered(season):
    @SETTINGS
    @given(q=st.text(max_size=200), limit=st.integers(), offset=st.integers())
    def run(q, limit, offset):
        response = Client().get(
            "/api/v1/members",
            {"q": q, "limit": limit, "offset": offset},
            **bearer(season["tokens"]["sam"]),
        )
        assert response.status_code in (200, 422), (q, response.content[:300])

    run()
