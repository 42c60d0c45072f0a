import datetime

import pytest
from django.core.exceptions import PermissionDenied

from xeploai.audit.models import Event
from xeploai.errors import AppError
from xeploai.org.models import MemberStatus, StatusKind
from xeploai.org.selectors import member_cell_on
from xeploai.org.services import member_status_end, member_status_start, member_transfer

DAY = datetime.date(2025, 10, 1)


def test_it_transfers_a_member_and_keeps_the_old_cell_in_history(people, tree):
    bob = people["bob_member"]
    member_transfer(actor=people["alice"], member=bob, to_cell=tree["A2"], on=DAY)
    bob.refresh_from_db()
    assert bob.cell == tree["A2"]
    assert member_cell_on(bob, DAY - datetime.timedelta(days=1)) == tree["A1"]
    assert member_cell_on(bob, DAY) == tree["A2"]
    event = Event.objects.get(action="member.transfer")
    assert event.actor == people["alice"] and event.after["cell"] == tree["A2"].pk


def test_it_refuses_a_transfer_by_an_officer_of_another_subtree(people, tree):
    with pytest.raises(PermissionDenied):
        member_transfer(
            actor=people["dave"], member=people["bob_member"], to_cell=tree["B1"], on=DAY
        )
    assert people["bob_member"].memberships.count() == 1


def test_it_refuses_a_transfer_into_a_committee(people, tree):
    with pytest.raises(AppError):
        member_transfer(actor=None, member=people["bob_member"], to_cell=tree["A"], on=DAY)


def test_it_derives_probationary_status_from_the_official_date(people):
    bob = people["bob_member"]
    assert not bob.is_probationary(DAY)
    bob.official_on = None
    assert bob.is_probationary(DAY)
    bob.official_on = DAY
    assert bob.is_probationary(DAY - datetime.timedelta(days=1))


def test_it_keeps_dated_statuses(people, tree):
    bob = people["bob_member"]
    member_status_start(actor=None, member=bob, kind=StatusKind.EXEMPT, on=DAY)
    member_status_end(actor=None, member=bob, kind=StatusKind.EXEMPT, on=datetime.date(2026, 1, 31))
    status = MemberStatus.objects.get(member=bob)
    assert (status.valid_from, status.valid_to) == (DAY, datetime.date(2026, 1, 31))
    with pytest.raises(AppError):
        member_status_start(actor=None, member=bob, kind=StatusKind.TEMPORARY_ACTIVITY, on=DAY)
