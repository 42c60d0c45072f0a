"""Each resource answers what the pages show: the tree, members, progress, the board and its
what-if, blocked decisions as data, statistics and the documents as files."""

import io

import openpyxl
from django.test import Client

from tests.api.conftest import bearer
from tests.cycles.helpers import appraise, self_rate
from xeploai.cycles.models import Step, Subject


def _get(season, who, path, **params):
    response = Client().get(path, params, **bearer(season["tokens"][who]))
    assert response.status_code == 200, (path, response.content[:300])
    return response


def test_it_reads_the_tree_and_pages_the_subtree(season):
    roots = _get(season, "sam", "/api/v1/units").json()
    assert [r["id"] for r in roots] == [season["W"].pk]
    assert {c["name"] for c in roots[0]["children"]} == {"Chi bộ Tổ 1", "Chi bộ Tổ 2"}
    page = _get(season, "sam", f"/api/v1/units/{season['W'].pk}/subtree", limit=2).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    rest = _get(season, "sam", f"/api/v1/units/{season['W'].pk}/subtree", offset=2).json()
    assert len(rest["items"]) == 1
    assert page["items"][0]["kind"]["code"] and page["items"][0]["kind"]["label"]


def test_it_searches_members_and_reads_a_history(season):
    found = _get(season, "sam", "/api/v1/members", q="hai").json()
    assert found["count"] == 5 and all("Hai" in m["full_name"] for m in found["items"])
    within = _get(season, "sam", "/api/v1/members", unit=season["C1"].pk).json()
    assert within["count"] == 6
    member = season["c1"][1]
    assert (
        _get(season, "m2", f"/api/v1/members/{member.pk}").json()["full_name"] == member.full_name
    )
    history = _get(season, "m2", f"/api/v1/members/{member.pk}/history").json()
    assert history[0]["cycle"] == "Năm 2026" and history[0]["step"]["code"] == "enrolled"
    other = Client().get(f"/api/v1/members/{season['c1'][2].pk}", **bearer(season["tokens"]["m2"]))
    assert other.status_code == 404


def test_it_shows_progress_per_unit(season):
    cycle = season["cycle"]
    self_rate(season["m2"], season["m2_subject"], "good")
    rows = _get(season, "sam", f"/api/v1/cycles/{cycle.pk}/units/{season['W'].pk}/progress").json()
    c1 = next(r for r in rows if r["unit"]["id"] == season["C1"].pk)
    submitted = next(s for s in c1["steps"] if s["step"]["code"] == Step.SELF_SUBMITTED)
    assert submitted["count"] == 1 and c1["total"] == sum(s["count"] for s in c1["steps"])


def test_the_board_counts_what_if_and_decisions_blocked_come_back_as_data(season):
    cycle, subject = season["cycle"], season["m2_subject"]
    self_rate(season["m2"], subject, "good")
    appraise(season["carol"], subject, "good")
    deciding = Subject.objects.get(pk=subject.pk).deciding_unit
    board = _get(season, "wendy", f"/api/v1/cycles/{cycle.pk}/boards/{deciding.pk}").json()
    row = next(r for r in board["rows"] if r["subject_id"] == subject.pk)
    assert row["outcome"]["code"] == "good" and board["may_decide"] is True
    what_if = (
        Client()
        .post(
            f"/api/v1/cycles/{cycle.pk}/boards/{deciding.pk}/what-if",
            {"levels": {str(subject.pk): "excellent"}},
            content_type="application/json",
            **bearer(season["tokens"]["wendy"]),
        )
        .json()
    )
    row = next(r for r in what_if["rows"] if r["subject_id"] == subject.pk)
    assert row["outcome"]["code"] == "excellent"
    other = Subject.objects.filter(cycle=cycle, step=Step.ENROLLED, deciding_unit=deciding).first()
    blocked = Client().post(
        f"/api/v1/cycles/{cycle.pk}/decisions",
        {"levels": {str(other.pk): "good"}},
        content_type="application/json",
        **bearer(season["tokens"]["wendy"]),
    )
    assert blocked.status_code == 409
    answer = blocked.json()
    assert answer["code"] == "blocked"
    assert {"subject_id": other.pk, "code": "steps"} == {
        k: answer["blocks"][0][k] for k in ("subject_id", "code")
    }
    other.refresh_from_db()
    assert other.step == Step.ENROLLED


def test_it_gives_the_statistics_as_a_workbook_and_a_form_as_a_pdf(season):
    cycle, w = season["cycle"], season["W"]
    workbook = _get(season, "sam", f"/api/v1/cycles/{cycle.pk}/units/{w.pk}/statistics.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row > 1
    form = _get(season, "m2", f"/api/v1/subjects/{season['m2_subject'].pk}/form.pdf")
    assert form.content.startswith(b"%PDF")
    assert _get(season, "sam", f"/api/v1/cycles/{cycle.pk}/documents").json() == []
    missing = Client().get(
        f"/api/v1/cycles/{cycle.pk}/units/{w.pk}/statistics.exe", **bearer(season["tokens"]["sam"])
    )
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
