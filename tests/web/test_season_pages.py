"""The review season through the pages, with the Django test client."""

import datetime

import pytest
from django.urls import reverse

from tests.cycles.helpers import appraise, open_year, points, self_rate, ward
from xeploai.cycles.models import Subject

NO_VOTES = {f"votes_{level}": "0" for level in ("excellent", "good", "complete", "not_complete")}


@pytest.fixture
def season(db, client):
    t = ward()
    cycle = open_year(t["P"])
    return t, cycle


def test_it_lets_a_member_fill_and_submit_a_2b_self_review(season, client):
    t, cycle = season
    s = Subject.objects.get(cycle=cycle, member=t["c1"][1])
    client.force_login(t["m2"])
    page = client.get(reverse("cycle_list")).content.decode()
    assert reverse("subject_detail", args=[s.pk]) in page
    page = client.get(reverse("subject_detail", args=[s.pk])).content.decode()
    assert "2B" in page and "Nhóm tiêu chí chung" in page
    # Her cell's list of subjects is not hers to open: its name is not a link for her.
    cell_list = reverse("unit_subjects", args=[cycle.pk, s.unit_id])
    assert cell_list not in page and client.get(cell_list).status_code == 404
    client.force_login(t["carol"])
    assert cell_list in client.get(reverse("subject_detail", args=[s.pk])).content.decode()
    client.force_login(t["m2"])
    scores = {f"score_{k}": v for k, v in points(s, "26", "60").items()}
    preview = client.post(reverse("subject_preview", args=[s.pk]), scores).content.decode()
    assert "86 / 100" in preview
    response = client.post(
        reverse("subject_self_save", args=[s.pk]),
        {
            **scores,
            "version": s.version,
            "tasks_total": "10",
            "tasks_completed": "10",
            "tasks_on_time": "10",
            "tasks_late": "0",
            "tasks_exceeding": "1",
            "strengths": "Hoàn thành tốt",
            "proposed_level": "good",
            "submit": "1",
        },
        follow=True,
    )
    assert "Đã nộp" in response.content.decode()
    s.refresh_from_db()
    assert s.step == "self_submitted" and s.self_level == "good"
    assert s.self_assessment.on_behalf is False


def test_it_keeps_the_members_input_when_the_form_has_an_error(season, client):
    t, cycle = season
    s = Subject.objects.get(cycle=cycle, member=t["c1"][1])
    client.force_login(t["m2"])
    page = client.post(
        reverse("subject_self_save", args=[s.pk]),
        {"version": s.version, "strengths": "Điều tôi đã viết", "submit": "1"},
    ).content.decode()
    assert "Hãy chọn mức tự xếp loại" in page and "Điều tôi đã viết" in page


def test_it_lets_the_secretary_record_the_meeting_and_propose(season, client):
    t, cycle = season
    s = Subject.objects.get(cycle=cycle, member=t["c1"][2])
    self_rate(t["carol"], s, "good", "25", "58")
    client.force_login(t["carol"])
    s.refresh_from_db()
    response = client.post(
        reverse("subject_appraise", args=[s.pk]),
        {
            "version": s.version,
            "attendees": "6",
            **NO_VOTES,
            "votes_good": "6",
            "proposed_level": "good",
        },
        follow=True,
    )
    assert "Đã ghi kết quả" in response.content.decode()
    s.refresh_from_db()
    assert s.step == "appraised"
    # The page's title holds the name alone, not a copy of the secretary's forms.
    page = client.get(reverse("subject_detail", args=[s.pk])).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert s.member.full_name in title and "form" not in title


def test_it_shows_the_board_with_the_cap_arithmetic_and_decides(season, client):
    t, cycle = season
    subjects = list(
        Subject.objects.filter(cycle=cycle, unit=t["C2"], member__isnull=False).exclude(
            step="excluded"
        )
    )
    for i, s in enumerate(subjects):
        level = "excellent" if i == 0 else "good"
        self_rate(
            t["sam"],
            s,
            level,
            "28" if i == 0 else "25",
            "66" if i == 0 else "58",
            tasks=(10, 10, 10, 0, 5 if i == 0 else 1),
        )
        appraise(t["sam"], s, level)
    client.force_login(t["wendy"])
    url = reverse("board", args=[cycle.pk, t["W"].pk])
    page = client.get(url).content.decode()
    assert "20 % × 2 HTT = 0,4 → 0" in page
    data = {f"level_{s.pk}": "good" for s in subjects}
    data.update({f"pick_{s.pk}": "on" for s in subjects})
    data["decide"] = "1"
    page = client.post(url, data, follow=True).content.decode()
    assert "Đã quyết định 3 đối tượng" in page
    assert Subject.objects.filter(pk__in=[s.pk for s in subjects], step="decided").count() == 3


def test_it_hides_another_subtrees_subjects_and_boards(season, client):
    t, cycle = season
    from tests.conftest import make_user
    from xeploai.accounts.models import Role
    from xeploai.org.models import UnitKind
    from xeploai.org.services import unit_create

    other = unit_create(
        actor=None,
        code="X",
        name="Đảng bộ xã Khác",
        kind=UnitKind.PROVINCE_DIRECT_COMMITTEE,
        parent=t["P"],
        on=datetime.date(2020, 1, 1),
    )
    outsider = make_user("olga", Role.COMMITTEE, other)
    client.force_login(outsider)
    s = Subject.objects.filter(cycle=cycle, unit=t["C1"]).first()
    for url in (
        reverse("subject_detail", args=[s.pk]),
        reverse("subject_history", args=[s.pk]),
        reverse("board", args=[cycle.pk, t["W"].pk]),
        reverse("unit_subjects", args=[cycle.pk, t["C1"].pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(reverse("subject_appraise", args=[s.pk]), {}).status_code in (403, 404)


def test_it_shows_the_levels_above_the_decided_results_per_unit(season, client):
    t, cycle = season
    s = Subject.objects.get(cycle=cycle, member=t["c2"][0])
    self_rate(t["sam"], s, "good", "25", "58")
    appraise(t["sam"], s, "good")
    from xeploai.cycles.services.decisions import decisions_take

    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})
    client.force_login(t["paula"])
    page = client.get(reverse("cycle_detail", args=[cycle.pk]) + f"?unit={t['W'].pk}")
    text = page.content.decode()
    assert "Kết quả đã quyết định" in text and "Chi bộ Tổ 2" in text
    # No level decided is written 0, not left blank.
    assert 'data-label="Hoàn thành xuất sắc nhiệm vụ (HTXS)">0</td>' in text
    assert 'data-label="Hoàn thành tốt nhiệm vụ (HTT)">1</td>' in text
    chart = 'aria-label="Đảng viên theo mức xếp loại đã quyết định, theo đơn vị"'
    assert chart in text
    # A cell has no units under it: its results come without an empty chart.
    cell = client.get(reverse("cycle_detail", args=[cycle.pk]) + f"?unit={s.unit_id}")
    assert "Kết quả đã quyết định" in cell.content.decode()
    assert chart not in cell.content.decode()


def test_it_shows_a_member_their_results_and_shortcomings_at_home(season, client):
    t, cycle = season
    s = Subject.objects.get(cycle=cycle, member=t["c1"][1])
    self_rate(t["sam"], s, "good", "25", "58", shortcomings="Chưa đóng đảng phí đúng hạn")
    appraise(t["sam"], s, "good")
    from xeploai.cycles.services.decisions import decisions_take

    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})
    client.force_login(t["m2"])
    text = client.get(reverse("home")).content.decode()
    assert "Năm 2026" in text and "Hoàn thành tốt nhiệm vụ" in text
    assert "Chưa đóng đảng phí đúng hạn" in text


def test_it_attaches_an_opinion_and_re_rates_through_the_pages(season, client):
    t, cycle = season
    s = Subject.objects.get(cycle=cycle, member=t["c2"][0])
    self_rate(t["sam"], s, "good", "25", "58")
    client.force_login(t["sam"])
    response = client.post(
        reverse("subject_opinion", args=[s.pk]),
        {
            "source": "residence",
            "author": "Chi ủy tổ dân phố 5",
            "text": "Gương mẫu nơi cư trú",
            "received_on": "20/11/2026",
        },
        follow=True,
    )
    assert "Gương mẫu nơi cư trú" in response.content.decode()
    appraise(t["sam"], s, "good")
    from xeploai.cycles.services.decisions import decisions_take

    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})
    client.force_login(t["wendy"])
    page = client.post(
        reverse("subject_rerate", args=[s.pk]), {"level": "complete", "reason": " "}
    ).content.decode()
    assert "Xếp loại lại phải có lý do" in page
    client.post(
        reverse("subject_rerate", args=[s.pk]),
        {
            "level": "complete",
            "reason": "Phát hiện vi phạm",
            "paper_number": "15-QĐ/ĐU",
            "paper_date": "05/01/2027",
            "paper_signer": "Bí thư Đảng ủy",
        },
    )
    s.refresh_from_db()
    assert s.decided_level == "complete"
    assert s.decisions.filter(document_number="15-QĐ/ĐU", replaces__isnull=False).exists()


def test_it_attaches_the_plan_and_serves_it_only_to_those_who_see_the_cycle(season, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import make_user
    from xeploai.accounts.models import Role
    from xeploai.cycles.models import CycleDocument

    t, cycle = season
    staff = make_user("olivia", Role.ORGANIZATION_STAFF, t["P"])
    client.force_login(staff)
    client.post(
        reverse("cycle_document", args=[cycle.pk]),
        {
            "title": "Kế hoạch kiểm điểm năm 2026",
            "number": "07-KH/TU",
            "issued_on": "18/11/2026",
            "file": SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 plan"),
        },
    )
    document = CycleDocument.objects.get()
    response = client.get(reverse("cycle_document_file", args=[cycle.pk, document.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    client.force_login(t["m2"])  # a member of the cycle may read the plan too
    assert (
        client.get(reverse("cycle_document_file", args=[cycle.pk, document.pk])).status_code == 200
    )


def test_it_draws_the_decided_levels_as_an_svg_chart(season, client):
    t, cycle = season
    from xeploai.cycles.services.decisions import decisions_take

    subjects = []
    for member in t["c2"][:2]:
        s = Subject.objects.get(cycle=cycle, member=member)
        self_rate(t["sam"], s, "good", "25", "58")
        appraise(t["sam"], s, "good")
        subjects.append(s.pk)
    decisions_take(actor=t["wendy"], cycle=cycle, choices={pk: "good" for pk in subjects})
    client.force_login(t["paula"])
    page = client.get(reverse("cycle_detail", args=[cycle.pk]) + f"?unit={t['W'].pk}")
    text = page.content.decode()
    assert "<svg" in text and "Hoàn thành tốt nhiệm vụ (HTT): 2" in text


def test_it_says_on_an_excluded_subjects_page_why(season, client):
    t, cycle = season
    s = Subject.objects.filter(cycle=cycle, step="excluded").exclude(excluded_reason="").first()
    client.force_login(t["sam"])
    page = client.get(reverse("subject_detail", args=[s.pk])).content.decode()
    assert f"Không kiểm điểm ({s.get_excluded_reason_display()})" in page


def test_it_recounts_a_board_of_two_thousand_subjects(db, client):
    """Two fields per row: a board of 2,000 subjects posts 4,000 fields, more than Django's
    default limit of 1,000."""
    t = ward(members_c1=2000)
    cycle = open_year(t["P"])
    subjects = list(
        Subject.objects.filter(cycle=cycle, deciding_unit=t["W"]).values_list("pk", flat=True)
    )
    assert len(subjects) > 2000
    client.force_login(t["wendy"])
    url = reverse("board", args=[cycle.pk, t["W"].pk])
    data = {f"level_{pk}": "good" for pk in subjects}
    data.update({f"pick_{pk}": "on" for pk in subjects})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.content.decode().count('<option value="good" selected>') >= 2000
