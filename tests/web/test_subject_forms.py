"""The subject's page holds to the annex and to the meeting: each criterion shows its maximum,
a group's points are refused beside the group when they add up past its maximum, the tally is
whole numbers that fit the meeting, and a proposal the majority did not vote for carries its
reason into the minutes. The page and the service answer the same."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.cycles.helpers import appraise, open_year, self_rate, ward
from tests.reports.conftest import docx_text, pdf_text
from xeploai.audit.models import Event
from xeploai.cycles.facts import subject_sheet
from xeploai.cycles.models import Appraisal, SelfAssessment, Step, Subject
from xeploai.cycles.services.assessments import appraisal_record, self_assessment_save
from xeploai.cycles.services.decisions import decision_rerate, decisions_take
from xeploai.errors import AppError
from xeploai.reports.docx import render_docx
from xeploai.reports.party_forms import meeting_minutes
from xeploai.reports.pdf import render_pdf
from xeploai.rules import load_regulation

LEVELS = ("excellent", "good", "complete", "not_complete")


@pytest.fixture
def season(db):
    t = ward()
    cycle = open_year(t["P"])
    member = Subject.objects.get(cycle=cycle, member=t["c1"][1], position=None)
    leader = Subject.objects.filter(cycle=cycle, member=t["c1"][0], kind="leader").first()
    submitted = Subject.objects.get(cycle=cycle, member=t["c1"][2], position=None)
    self_rate(t["sam"], submitted, "good", "25", "58")
    return {**t, "cycle": cycle, "member": member, "leader": leader, "submitted": submitted}


def _sheet(subject):
    return subject_sheet(subject, load_regulation(subject.cycle.regulation))


def _fieldset(html: str, code: str) -> str:
    start = html.index(f'id="group_{code}"')
    return html[start : html.index("</fieldset>", start)]


def test_it_shows_each_criterion_and_its_maximum(season, client):
    client.force_login(season["m2"])
    html = client.get(reverse("subject_detail", args=[season["member"].pk])).content.decode()
    for group in _sheet(season["member"]).groups:
        box = _fieldset(html, group.code)
        assert f"tối đa {group.max_points} điểm" in box
        for item in group.items:
            assert item.label_vi in box
            assert f'data-max="{group.max_points}"' in box
            assert f'aria-describedby="max_{item.code}"' in box


def test_a_group_over_its_maximum_is_refused_in_vietnamese_beside_the_group(season, client):
    """The rule core used to answer 'PL3/general: 35 exceeds the group maximum 30'."""
    leader = season["leader"]
    sheet = _sheet(leader)
    assert sheet.code == "PL3"
    general = next(g for g in sheet.groups if g.code == "general")
    assert len(general.items) == 5
    client.force_login(season["carol"])
    events = Event.objects.count()
    response = client.post(
        reverse("subject_self_save", args=[leader.pk]),
        {"version": leader.version, **{f"score_{i.code}": "7" for i in general.items}},
    )
    html = response.content.decode()
    assert response.status_code == 400
    said = "tổng điểm các mục của nhóm này là 35, tối đa 30"
    assert said in _fieldset(html, "general")
    assert "exceeds" not in html and "PL3/" not in html
    # What was typed is kept.
    assert html.count('value="7"') == 5
    assert not SelfAssessment.objects.filter(subject=leader).exists()
    assert Event.objects.count() == events
    preview = client.post(
        reverse("subject_preview", args=[leader.pk]),
        {f"score_{i.code}": "7" for i in general.items},
    ).content.decode()
    assert said in preview and "exceeds" not in preview


def test_points_within_the_groups_are_saved_with_their_total(season, client):
    leader = season["leader"]
    general = next(g for g in _sheet(leader).groups if g.code == "general")
    client.force_login(season["carol"])
    response = client.post(
        reverse("subject_self_save", args=[leader.pk]),
        {"version": leader.version, **{f"score_{i.code}": "6" for i in general.items}},
    )
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.self_score == 30


def _tally(s, **changes):
    subject = s["submitted"]
    subject.refresh_from_db()
    data = {
        "version": subject.version,
        "proposed_level": "good",
        "attendees": "6",
        **{f"votes_{level}": "0" for level in LEVELS},
        "votes_good": "5",
        "votes_complete": "1",
    }
    return reverse("subject_appraise", args=[subject.pk]), {**data, **changes}


@pytest.mark.parametrize(
    "changes,field,words",
    [
        ({"attendees": ""}, "attendees", "hãy ghi số đảng viên có mặt"),
        ({"attendees": "abc"}, "attendees", "số nguyên"),
        ({"attendees": "-5"}, "attendees", "ít nhất là 0"),
        ({"attendees": "1e9"}, "attendees", "số nguyên"),
        ({"attendees": "4000"}, "attendees", "chi bộ chỉ có 6 đảng viên"),
        ({"votes_good": "-5"}, "votes_good", "ít nhất là 0"),
        ({"votes_good": ""}, "votes_good", "không có thì ghi 0"),
        ({"votes_good": "0", "votes_complete": "0"}, "votes_good", "chưa ghi phiếu"),
        ({"attendees": "3"}, "attendees", "đã ghi 6 phiếu nhưng chỉ có 3 đảng viên"),
        (
            {"votes_good": "1", "votes_complete": "5"},
            "reason",
            "đa số phiếu của cuộc họp dành cho mức khác",
        ),
    ],
)
def test_the_tally_is_refused_beside_its_field(season, client, changes, field, words):
    client.force_login(season["carol"])
    url, data = _tally(season, **changes)
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    # The message sits right after its own input.
    after = html[html.index(f'name="{field}"') :]
    assert words in after[: after.index("</label>") if field != "reason" else 800]
    assert not Appraisal.objects.filter(subject=season["submitted"]).exists()


def test_a_proposal_against_the_majority_is_recorded_with_its_reason_in_the_minutes(season, client):
    client.force_login(season["carol"])
    reason = "Đồng chí chưa hoàn thành chỉ tiêu phát triển đảng viên"
    url, data = _tally(season, votes_good="1", votes_complete="5", reason=reason)
    assert client.post(url, data).status_code == 302
    document = meeting_minutes(season["cycle"], season["C1"])
    for text in (docx_text(render_docx(document)), pdf_text(render_pdf(document))):
        flat = " ".join(text.split())
        assert re.search(r"Lý do đề xuất Hoàn thành tốt.*" + reason, flat)


def test_the_service_holds_to_the_same_tally(season):
    subject = season["submitted"]
    subject.refresh_from_db()

    def record(**kwargs):
        return appraisal_record(
            actor=season["sam"],
            subject=subject,
            version=subject.version,
            proposed_level="good",
            **kwargs,
        )

    for kwargs, field in [
        ({}, "attendees"),
        ({"attendees": 4000, "votes": {"good": 6}}, "attendees"),
        ({"attendees": 6, "votes": {"good": 7}}, "attendees"),
        ({"attendees": 6, "votes": {}}, "votes"),
        ({"attendees": 6, "votes": {"complete": 4, "good": 2}}, "reason"),
    ]:
        with pytest.raises(AppError) as refused:
            record(**kwargs)
        assert refused.value.field == field, kwargs
    assert not Appraisal.objects.filter(subject=subject).exists()
    record(attendees=6, votes={"good": 6})
    assert Appraisal.objects.get(subject=subject).attendees == 6


def _forms(client, user, subject) -> set[str]:
    client.force_login(user)
    html = client.get(reverse("subject_detail", args=[subject.pk])).content.decode()
    actions = {"subject_self_save", "subject_appraise", "subject_rerate"}
    return {name for name in actions if reverse(name, args=[subject.pk]) in html}


def test_the_page_offers_exactly_what_the_services_accept(season, client):
    """One definition of "may this still be edited / appraised / re-rated": the page shows a
    form when, and only when, its service would take it."""
    s, subject = season, season["submitted"]
    assert _forms(client, s["sam"], subject) == {"subject_self_save", "subject_appraise"}
    appraise(s["sam"], subject, "good")
    subject.refresh_from_db()
    assert _forms(client, s["sam"], subject) == {"subject_appraise"}
    with pytest.raises(AppError):
        self_rate(s["sam"], subject, "good")
    assert _forms(client, s["wendy"], subject) == set()
    decisions_take(actor=s["wendy"], cycle=s["cycle"], choices={subject.pk: "good"})
    subject.refresh_from_db()
    assert subject.step == Step.DECIDED
    assert _forms(client, s["sam"], subject) == set()
    with pytest.raises(AppError):
        appraise(s["sam"], subject, "good")
    with pytest.raises(PermissionDenied):
        decision_rerate(actor=s["sam"], subject=subject, level="complete", reason="Vi phạm")
    assert _forms(client, s["wendy"], subject) == {"subject_rerate"}
    decision_rerate(actor=s["wendy"], subject=subject, level="complete", reason="Vi phạm")


def test_a_member_cannot_save_once_the_page_stops_offering_it(season, client):
    member = season["member"]
    self_rate(season["m2"], member, "good", "25", "58")
    appraise(season["sam"], member, "good")
    member.refresh_from_db()
    assert _forms(client, season["m2"], member) == set()
    with pytest.raises(AppError):
        self_assessment_save(actor=season["m2"], subject=member, version=member.version, scores={})


@pytest.mark.parametrize(
    "tasks,field,words",
    [
        (
            (10, 12, 12, 0, 0),
            "tasks_completed",
            "ghi 12 nhiệm vụ hoàn thành, nhưng chỉ được giao 10",
        ),
        ((10, 10, 7, 2, 0), "tasks_on_time", "phải bằng số hoàn thành (10)"),
        ((10, 8, 8, 0, 9), "tasks_exceeding", "vượt yêu cầu, nhưng chỉ hoàn thành 8"),
    ],
)
def test_the_years_tasks_must_add_up_beside_their_field(season, client, tasks, field, words):
    """Said by the form, before the rule core is asked (it used to store them and answer in
    English at the appraisal)."""
    member = season["member"]
    names = ("total", "completed", "on_time", "late", "exceeding")
    client.force_login(season["m2"])
    response = client.post(
        reverse("subject_self_save", args=[member.pk]),
        {
            "version": member.version,
            **{f"tasks_{n}": str(v) for n, v in zip(names, tasks, strict=True)},
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    after = html[html.index(f'name="{field}"') :]
    assert words in after[: after.index("</label>")]
    assert not SelfAssessment.objects.filter(subject=member).exists()
    with pytest.raises(AppError) as refused:
        self_assessment_save(
            actor=season["m2"],
            subject=member,
            version=member.version,
            scores={},
            tasks=dict(zip(names, tasks, strict=True)),
        )
    assert refused.value.field == field
