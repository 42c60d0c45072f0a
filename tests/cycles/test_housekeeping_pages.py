"""The pages of cycle housekeeping, with named people: sam (organization staff of the ward) may;
otto (staff of another district), carol (a cell secretary) and minh (a member) may not."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import make_member, make_user
from tests.cycles.helpers import open_year, ward
from xeploai.accounts.models import Role
from xeploai.audit.models import Event
from xeploai.cycles.models import Cycle, CycleState, Notice
from xeploai.org.models import UnitKind
from xeploai.org.services import member_transfer, unit_create

D = datetime.date


@pytest.fixture
def s(db):
    t = ward()
    district = unit_create(
        actor=None,
        code="W2",
        name="Đảng bộ phường Hai",
        kind=UnitKind.PROVINCE_DIRECT_COMMITTEE,
        parent=t["P"],
        on=D(2020, 1, 1),
        org_type="ward",
    )
    t["otto"] = make_user("otto", Role.ORGANIZATION_STAFF, district)
    t["minh"] = t["m2"]
    t["cycle"] = open_year(t["W"])
    return t


def _as(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["otto", "carol", "minh"])
def test_only_the_staff_of_the_cycles_unit_may_cancel_it_or_move_its_deadlines(s, client, who):
    cycle = s["cycle"]
    c = _as(client, s[who])
    for name, data in [
        ("cycle_cancel", {"reason": "Nhầm"}),
        ("cycle_deadlines", {"deadline_self_submitted": "30/11/2026"}),
    ]:
        url = reverse(name, args=[cycle.pk])
        assert c.get(url).status_code in (403, 404)
        assert c.post(url, data).status_code in (403, 404)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN and not cycle.deadlines.exists()
    assert not Event.objects.filter(action__in=("cycle.cancel", "cycle.deadlines")).exists()


def test_staff_move_the_deadlines_on_their_page_and_a_bad_one_is_refused_beside_its_field(
    s, client
):
    cycle = s["cycle"]
    c = _as(client, s["sam"])
    url = reverse("cycle_deadlines", args=[cycle.pk])
    page = c.get(url)
    assert page.status_code == 200 and "Thời hạn" in page.content.decode()
    refused = c.post(
        url, {"deadline_self_submitted": "30/11/2026", "deadline_appraised": "20/11/2026"}
    )
    text = refused.content.decode()
    assert refused.status_code == 400
    assert 'class="field-error"' in text and "không thể sớm hơn" in text
    assert 'value="20/11/2026"' in text  # what was typed is kept
    assert c.post(url, {"deadline_appraised": "31/02/2026"}).status_code == 400
    assert not cycle.deadlines.exists()
    done = c.post(url, {"deadline_self_submitted": "30/11/2026", "deadline_decided": "20/12/2026"})
    assert done.status_code == 302
    detail = c.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "30/11/2026" in detail and "20/12/2026" in detail
    assert 'value="30/11/2026"' in c.get(url).content.decode()


def test_staff_cancel_a_cycle_with_a_reason_and_it_leaves_the_lists(s, client):
    cycle = s["cycle"]
    c = _as(client, s["sam"])
    url = reverse("cycle_cancel", args=[cycle.pk])
    page = c.get(url).content.decode()
    assert "Đợt này có 15 đối tượng đánh giá." in page
    refused = c.post(url, {"reason": ""})
    assert refused.status_code == 400 and "Lý do hủy" in refused.content.decode()
    assert c.post(url, {"reason": "Mở trùng với đợt của tỉnh"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CANCELLED
    detail = c.get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Mở trùng với đợt của tỉnh" in detail and "Đã hủy ngày" in detail
    assert "cancelled" not in detail  # the state is shown in words, never as its key
    assert "Năm 2026" not in c.get(reverse("cycle_list")).content.decode()
    again = c.post(url, {"reason": "Lần nữa"})
    assert again.status_code == 400 and "Không thể hủy" in again.content.decode()


def test_a_second_cycle_is_refused_on_the_page_naming_the_first(s, client):
    c = _as(client, s["sam"])
    response = c.post(
        reverse("cycle_new", args=[s["W"].pk]),
        {
            "name": "Năm 2026 (lần 2)",
            "period_kind": "year",
            "period_start": "01/01/2026",
            "period_end": "31/12/2026",
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "“Năm 2026” của Đảng bộ phường Một" in text and 'class="field-error"' in text
    assert Cycle.objects.count() == 1
    quarter = c.post(
        reverse("cycle_new", args=[s["W"].pk]),
        {
            "name": "Quý 1",
            "period_kind": "quarter",
            "period_start": "01/01/2026",
            "period_end": "31/12/2026",
        },
    )
    assert quarter.status_code == 400
    assert "Một quý gồm ba tháng: từ 01/01/2026 đến 31/03/2026" in quarter.content.decode()


def test_staff_see_who_joined_and_left_on_the_cycle_page_and_members_do_not(s, client):
    cycle = s["cycle"]
    far = unit_create(
        actor=None,
        code="C9",
        name="Chi bộ Ngoài",
        kind=UnitKind.GRASSROOTS_CELL,
        parent=s["P"],
        on=D(2020, 1, 1),
        org_type="ward",
    )
    newcomer = make_member(far, "Lý Thị Đến", "69000001")
    member_transfer(actor=None, member=newcomer, to_cell=s["C2"], on=D(2026, 10, 2))
    assert list(Notice.objects.values_list("kind", flat=True)) == ["joined"]
    staff = _as(client, s["sam"]).get(reverse("cycle_detail", args=[cycle.pk])).content.decode()
    assert "Lý Thị Đến" in staff and "Chuyển đến trong đợt" in staff and "02/10/2026" in staff
    member = _as(client, s["minh"]).get(reverse("cycle_detail", args=[cycle.pk]))
    assert member.status_code == 200 and "Lý Thị Đến" not in member.content.decode()
