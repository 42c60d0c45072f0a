"""Whatever a browser (or anyone) sends to the season's pages, the answer is the page, a
redirect or a 4xx with a message: never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.test_input_boundary import (
    _appraisal,
    _board,
    _cycle_new,
    _document,
    _opinion,
    _reopen,
    _rerate,
    _self_review,
)
from tests.web.test_input_boundary import season as season  # noqa: F401 - the fixture

NUMBERS = st.sampled_from(
    ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999999", str(2**63), str(2**64), "-1", "0"]
    + ["abc", "1,5", "26.555", "9" * 5000, "", " ", "0x10", "١٢"]
)
TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(max_codepoint=0x20AF), max_size=300),
    NUMBERS,
    st.integers().map(str),
    st.decimals().map(str),
)
FORMS = [_self_review, _appraisal, _opinion, _rerate, _board, _cycle_new, _document, _reopen]


def _fields(s, form) -> list[str]:
    names = set(form(s)[2])
    if form is _self_review:
        names |= {"tasks_total", "tasks_completed", "strengths", "proposed_level", "item_1"}
    if form is _appraisal:
        names |= {"attendees", "votes_good", "votes_excellent", "reason"}
    if form in (_rerate, _board):
        names |= {"paper_number", "paper_date", "paper_signer", "decide", "pick_1"}
    if form is _board:
        names |= {f"pick_{s['submitted'].pk}", "decide"}
    return sorted(names)


@pytest.mark.django_db
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_input_gives_a_server_error(season, client, data):  # noqa: F811
    form = data.draw(st.sampled_from(FORMS), label="form")
    who, url, base = form(season)
    changes = data.draw(
        st.dictionaries(st.sampled_from(_fields(season, form)), TEXT, max_size=4), label="fields"
    )
    stray = data.draw(
        st.dictionaries(
            st.one_of(st.text(max_size=12), st.sampled_from(["level_", "item_", "score_"])).map(
                lambda key: key + data.draw(st.text(max_size=6))
            ),
            TEXT,
            max_size=2,
        ),
        label="stray keys",
    )
    client.force_login(season[who])
    response = client.post(url, {**base, **changes, **stray})
    assert response.status_code < 500
    if response.status_code == 400:
        assert 'class="message error"' in response.content.decode()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(unit=TEXT, q=TEXT, number=TEXT)
def test_no_query_string_gives_a_server_error(season, client, unit, q, number):  # noqa: F811
    client.force_login(season["paula"])
    cycle = season["cycle"]
    for url, query in (
        (reverse("cycle_detail", args=[cycle.pk]), {"unit": unit}),
        (reverse("member_list"), {"q": q, "page": unit}),
        (reverse("decision_list", args=[cycle.pk, season["W"].pk, "docx"]), {"number": number}),
    ):
        response = client.get(url, query)
        assert response.status_code in (200, 400, 404), (url, query)
