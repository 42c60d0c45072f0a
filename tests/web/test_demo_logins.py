"""Each printed demo login lands on real work."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from xeploai.accounts.models import User
from xeploai.cycles.models import Step, Subject
from xeploai.org.models import PositionKind, StatusKind


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("demo", "--members", "1500", "--no-serve", stdout=out)
    return out.getvalue()


def test_the_secretary_is_an_active_member_with_her_own_self_review_to_fill(demo, client):
    bithu = User.objects.get(username="bithu")
    member = bithu.member
    assert member is not None and member.left_on is None
    assert member.positions.filter(
        kind=PositionKind.CELL_SECRETARY, unit=member.cell, valid_to__isnull=True
    ).exists()
    assert not member.statuses.filter(
        kind__in=[StatusKind.EXEMPT, StatusKind.SUSPENDED], valid_to__isnull=True
    ).exists()
    own = Subject.objects.get(member=member, cycle__state="open", position__isnull=True)
    assert own.step == Step.ENROLLED
    assert bithu.grants.get().unit == member.cell
    assert member.full_name in demo
    client.force_login(bithu)
    page = client.get(reverse("cycle_list")).text
    assert f"/subjects/{own.pk}/" in page
    assert client.get(reverse("subject_detail", args=[own.pk])).status_code == 200


def test_the_member_has_a_self_review_to_fill_in_the_secretarys_cell(demo, client):
    dangvien = User.objects.get(username="dangvien")
    bithu = User.objects.get(username="bithu")
    assert dangvien.member.cell == bithu.member.cell
    own = Subject.objects.get(member=dangvien.member, cycle__state="open", position__isnull=True)
    assert own.step == Step.ENROLLED
    client.force_login(dangvien)
    assert f"/subjects/{own.pk}/" in client.get(reverse("cycle_list")).text


def test_the_staff_login_sees_the_open_season(demo, client):
    client.force_login(User.objects.get(username="canbo"))
    assert "Năm 2026" in client.get(reverse("cycle_list")).text


def test_running_the_demo_again_opens_no_second_season(demo):
    call_command("demo", "--members", "1500", "--no-serve", stdout=io.StringIO())
    assert Subject.objects.filter(member=User.objects.get(username="bithu").member).count() >= 1
    from xeploai.cycles.models import Cycle

    assert Cycle.objects.count() == 1
