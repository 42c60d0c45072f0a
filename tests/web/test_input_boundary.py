"""The input boundary (web/fields.py, web/forms.py) through the pages: control characters,
over-long text, numbers that are not numbers and malformed keys are refused with a message in
Vietnamese naming the field, answered 400, and nothing is written."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.cycles.helpers import appraise, open_year, points, self_rate, ward
from xeploai.accounts.models import Role
from xeploai.audit.models import Event
from xeploai.cycles.models import Cycle, Opinion, SelfAssessment, Subject
from xeploai.cycles.services.decisions import decisions_take

CONTROLS = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f"]


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
    olivia = make_user("olivia", Role.ORGANIZATION_STAFF, t["P"])
    return {
        **t,
        "olivia": olivia,
        "cycle": cycle,
        "member": member,
        "decided": decided,
        "submitted": submitted,
    }


def _self_review(s):
    subject = s["member"]
    return (
        "m2",
        reverse("subject_self_save", args=[subject.pk]),
        {
            "version": subject.version,
            **{f"score_{k}": v for k, v in points(subject, "25", "58").items()},
        },
    )


def _appraisal(s):
    subject = s["submitted"]
    subject.refresh_from_db()
    url = reverse("subject_appraise", args=[subject.pk])
    tally = {f"votes_{level}": "0" for level in ("excellent", "good", "complete", "not_complete")}
    return "sam", url, {"version": subject.version, "proposed_level": "good", **tally}


def _opinion(s):
    url = reverse("subject_opinion", args=[s["submitted"].pk])
    return (
        "sam",
        url,
        {"source": "residence", "author": "Chi ủy", "text": "Tốt", "received_on": "20/11/2026"},
    )


def _rerate(s):
    url = reverse("subject_rerate", args=[s["decided"].pk])
    return "wendy", url, {"level": "complete", "reason": "Vi phạm"}


def _board(s):
    url = reverse("board", args=[s["cycle"].pk, s["W"].pk])
    return "wendy", url, {f"level_{s['submitted'].pk}": "good"}


def _cycle_new(s):
    url = reverse("cycle_new", args=[s["W"].pk])
    data = {"name": "Quý 1", "period_kind": "quarter", "period_start": "01/01/2026"}
    return "sam", url, {**data, "period_end": "31/03/2026"}


def _document(s):
    url = reverse("cycle_document", args=[s["cycle"].pk])
    return "olivia", url, {"title": "Kế hoạch", "number": "07-KH/TU", "issued_on": "18/11/2026"}


def _reopen(s):
    return "olivia", reverse("cycle_move", args=[s["cycle"].pk, "reopen"]), {"reason": "Sai sót"}


# (form, field, its label in Vietnamese, its limit when it is one line)
TEXT_FIELDS = [
    (_self_review, "strengths", "Ưu điểm, kết quả đạt được", None),
    (_self_review, "shortcomings", "Hạn chế", None),
    (_self_review, "causes", "Nguyên nhân", None),
    (_self_review, "direction", "Phương hướng", None),
    (_self_review, "prompt_answers", "Giải trình các vấn đề được gợi ý", None),
    (_appraisal, "reason", "Lý do", None),
    (_opinion, "author", "Người, tổ chức nhận xét", 255),
    (_opinion, "text", "Nội dung", None),
    (_rerate, "reason", "Lý do", None),
    (_rerate, "paper_number", "Số văn bản", 64),
    (_rerate, "paper_signer", "Người ký", 255),
    (_board, "paper_number", "Số văn bản", 64),
    (_board, "paper_signer", "Người ký", 255),
    (_cycle_new, "name", "Tên", 255),
    (_document, "title", "Tên văn bản", 255),
    (_document, "number", "Số văn bản", 64),
    (_reopen, "reason", "Lý do mở lại", None),
]


def post(client, s, form, **changes):
    who, url, data = form(s)
    client.force_login(s[who])
    return client.post(url, {**data, **changes})


def assert_refused(response, *words):
    text = response.content.decode()
    assert response.status_code == 400, text[:300]
    for word in words:
        assert word in text, word


@pytest.mark.parametrize("form,field,label,limit", TEXT_FIELDS)
def test_it_refuses_a_control_character_in_every_free_text_field(
    season, client, form, field, label, limit
):
    writes = Event.objects.count()
    for control in CONTROLS:
        response = post(client, season, form, **{field: f"Nguyễn{control}Văn"})
        assert_refused(response, label, "ký tự điều khiển")
    assert Event.objects.count() == writes


@pytest.mark.parametrize("form,field,label,limit", [f for f in TEXT_FIELDS if f[3]])
def test_it_refuses_a_line_longer_than_its_column(season, client, form, field, label, limit):
    writes = Event.objects.count()
    assert_refused(
        post(client, season, form, **{field: "ơ" * (limit + 1)}),
        label,
        f"tối đa {limit} ký tự (ở đây có {limit + 1})",
    )
    assert Event.objects.count() == writes


def test_it_refuses_free_text_beyond_ten_thousand_characters(season, client):
    assert_refused(post(client, season, _opinion, text="a" * 100_000), "tối đa 10.000 ký tự")
    assert not Opinion.objects.exists()


def test_it_strips_bidi_overrides_and_stores_nfc(season, client):
    response = post(
        client, season, _opinion, author="Chi\u202e ủy\u2066", text="Tô\u0301t\r\nlắm\tạ"
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.author == "Chi ủy"
    assert opinion.text == "Tốt\nlắm\tạ"


def test_a_one_line_field_refuses_a_line_break(season, client):
    assert_refused(post(client, season, _opinion, author="Chi\nủy"), "ký tự điều khiển")


@pytest.mark.parametrize(
    "value", ["NaN", "sNaN", "-Infinity", "Infinity", "1e999999999", "1" * 100_000, "2,555", "-1"]
)
def test_it_refuses_points_that_are_not_points(season, client, value):
    subject = season["member"]
    item = next(iter(points(subject, "1", "1")))
    response = post(client, season, _self_review, **{f"score_{item}": value})
    assert_refused(response, "Điểm: ")
    assert not SelfAssessment.objects.filter(subject=subject).exists()


def test_it_reads_points_with_a_comma(season, client):
    subject = season["member"]
    general, tasks = points(subject, "1", "1")
    response = post(client, season, _self_review, **{f"score_{general}": "25,5"})
    assert response.status_code == 302
    assert SelfAssessment.objects.get(subject=subject).scores[general] == "25.5"


@pytest.mark.parametrize("value", [str(2**64), "-1", "abc", "1e3", "9" * 5000, "-" + "9" * 5000])
def test_it_refuses_task_counts_that_are_not_counts(season, client, value):
    assert_refused(post(client, season, _self_review, tasks_total=value), "Được giao")
    assert not SelfAssessment.objects.filter(subject=season["member"]).exists()


@pytest.mark.parametrize("value", [str(2**70), "abc", "", "\x00"])
def test_it_refuses_a_version_that_is_not_one(season, client, value):
    assert_refused(post(client, season, _self_review, version=value), "tải lại trang")


@pytest.mark.parametrize(
    "changes,words",
    [
        ({"votes_good": "abc", "attendees": "6"}, ["Số phiếu: Hoàn thành tốt", "số nguyên"]),
        ({"votes_good": "-1", "attendees": "6"}, ["ít nhất là 0"]),
        ({"votes_good": "7", "attendees": "6"}, ["đã ghi 7 phiếu nhưng chỉ có 6 đảng viên"]),
        ({"votes_good": "3"}, ["hãy ghi số đảng viên có mặt"]),
        ({"attendees": str(2**64)}, ["Có mặt", "nhiều nhất là 100.000"]),
        ({"attendees": "7"}, ["chi bộ chỉ có 6 đảng viên"]),
    ],
)
def test_the_meeting_tally_is_whole_numbers_that_add_up(season, client, changes, words):
    assert_refused(post(client, season, _appraisal, **changes), *words)
    season["submitted"].refresh_from_db()
    assert season["submitted"].step == "self_submitted"


def test_a_coherent_tally_is_recorded(season, client):
    response = post(client, season, _appraisal, attendees="6", votes_good="5", votes_complete="1")
    assert response.status_code == 302
    appraised = Subject.objects.get(pk=season["submitted"].pk)
    assert appraised.appraisal.votes == {"good": 5, "complete": 1}


@pytest.mark.parametrize(
    "form,key,value",
    [
        (_board, "level_abc", "good"),
        (_board, f"level_{2**70}", "good"),
        (_board, "pick_1x", "on"),
        (_self_review, "item_abc", "fixed"),
        (_self_review, "item_99", "fixed"),
        (_self_review, "score_nothing", "3"),
        (_self_review, "tasks_unknown", "3"),
        (_appraisal, "votes_maybe", "3"),
    ],
)
def test_it_refuses_a_malformed_key_rather_than_failing(season, client, form, key, value):
    assert_refused(post(client, season, form, **{key: value}), "Không đọc được biểu mẫu")


def test_the_board_refuses_a_level_that_is_not_one(season, client):
    board = {f"level_{season['submitted'].pk}": "superb"}
    assert_refused(post(client, season, _board, **board), "Hãy chọn một trong bốn mức")


@pytest.mark.parametrize("value", ["abc", str(2**70), "\x00", "1" * 100_000, "-3"])
def test_the_cycle_page_refuses_a_unit_that_is_not_a_number(season, client, value):
    client.force_login(season["paula"])
    url = reverse("cycle_detail", args=[season["cycle"].pk])
    assert_refused(client.get(url, {"unit": value}), "Đơn vị")
    assert client.get(url, {"unit": season["W"].pk}).status_code == 200
    assert client.get(url, {"unit": 2**62}).status_code == 404


@pytest.mark.parametrize("value", ["\x00", "a" * 100_000, "Nguyễn\x1b"])
def test_the_search_refuses_control_characters_and_novels(season, client, value):
    client.force_login(season["paula"])
    assert_refused(client.get(reverse("member_list"), {"q": value}), "Tìm")


def test_the_decision_list_refuses_a_number_with_controls(season, client):
    client.force_login(season["wendy"])
    url = reverse("decision_list", args=[season["cycle"].pk, season["W"].pk, "docx"])
    assert_refused(client.get(url, {"number": "1\x00"}), "Số văn bản")
    assert_refused(client.get(url, {"number": "1" * 65}), "tối đa 64")


def test_a_cycle_name_is_checked_the_same_on_every_database(season, client):
    cycles = Cycle.objects.count()
    assert_refused(post(client, season, _cycle_new, name="N" * 256), "tối đa 255 ký tự")
    assert_refused(post(client, season, _cycle_new, period_end="31/02/2026"), "dd/mm/yyyy")
    assert_refused(post(client, season, _cycle_new, period_kind="decade"), "Kỳ")
    assert Cycle.objects.count() == cycles
    response = post(client, season, _cycle_new)
    assert response.status_code == 302 and Cycle.objects.count() == cycles + 1
    assert Cycle.objects.latest("pk").period_end == datetime.date(2026, 3, 31)
