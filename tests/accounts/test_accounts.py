"""Accounts for members in bulk, activation codes, grants and deactivation, with named people:
alice (staff of A), dave (staff of B: another district), carol (cell secretary of A1),
bob (a member of A1)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.conftest import make_member, make_user
from xeploai.accounts.activation import (
    MAX_WRONG_TRIES,
    account_activate,
    accounts_create_for_unit,
)
from xeploai.accounts.models import ActivationCode, Role, RoleGrant, User
from xeploai.accounts.services import role_grant, role_grant_end, staff_create, user_deactivate
from xeploai.audit.models import Event
from xeploai.errors import AppError

DAY = datetime.date(2026, 1, 1)


def test_it_creates_accounts_for_a_subtree_without_passwords(people, tree):
    extra = make_member(tree["A2"], "Phạm Văn Dũng", "10000003")
    issued = accounts_create_for_unit(actor=people["alice"], unit=tree["A"])
    # carol and bob have accounts already (made with passwords), so only the new member
    # gets one; the roster of B is outside.
    assert [i.full_name for i in issued] == ["Phạm Văn Dũng"]
    user = User.objects.get(member=extra)
    assert not user.has_usable_password()
    assert issued[0].username == user.username == f"phamvandung.{extra.pk}"
    stored = ActivationCode.objects.get(user=user)
    assert issued[0].code.replace("-", "") not in stored.code_hash
    assert Event.objects.filter(action="accounts.create_for_unit").count() == 1


def test_it_reissues_codes_and_kills_the_old_ones(people, tree):
    make_member(tree["A2"], "Phạm Văn Dũng", "10000003")
    first = accounts_create_for_unit(actor=people["alice"], unit=tree["A2"])
    second = accounts_create_for_unit(actor=people["alice"], unit=tree["A2"])
    assert User.objects.filter(member__cell=tree["A2"]).count() == 1
    with pytest.raises(AppError):
        account_activate(
            username=first[0].username, code=first[0].code, password="Xanh-la-cay-2026"
        )
    user = account_activate(
        username=second[0].username, code=second[0].code, password="Xanh-la-cay-2026"
    )
    assert user.check_password("Xanh-la-cay-2026")


def test_a_code_is_single_use_and_expires(people, tree):
    make_member(tree["A2"], "Phạm Văn Dũng", "10000003")
    (issued,) = accounts_create_for_unit(actor=people["alice"], unit=tree["A2"])
    later = timezone.now() + datetime.timedelta(days=31)
    with pytest.raises(AppError):
        account_activate(
            username=issued.username, code=issued.code, password="Xanh-la-cay-2026", now=later
        )
    account_activate(username=issued.username, code=issued.code, password="Xanh-la-cay-2026")
    with pytest.raises(AppError):
        account_activate(username=issued.username, code=issued.code, password="Khac-hẳn-2026")
    assert User.objects.get(username=issued.username).check_password("Xanh-la-cay-2026")
    assert Event.objects.filter(action="user.activate").count() == 1


def test_a_code_dies_after_too_many_wrong_tries(people, tree):
    make_member(tree["A2"], "Phạm Văn Dũng", "10000003")
    (issued,) = accounts_create_for_unit(actor=people["alice"], unit=tree["A2"])
    for _ in range(MAX_WRONG_TRIES):
        with pytest.raises(AppError):
            account_activate(username=issued.username, code="AAAAA-AAAAA", password="x")
    with pytest.raises(AppError):
        account_activate(username=issued.username, code=issued.code, password="Xanh-la-cay-2026")


def test_a_weak_password_leaves_the_code_unspent(people, tree):
    make_member(tree["A2"], "Phạm Văn Dũng", "10000003")
    (issued,) = accounts_create_for_unit(actor=people["alice"], unit=tree["A2"])
    with pytest.raises(AppError) as refused:
        account_activate(username=issued.username, code=issued.code, password="123")
    assert refused.value.field == "password1"
    account_activate(username=issued.username, code=issued.code, password="Xanh-la-cay-2026")


@pytest.mark.parametrize("who", ["dave", "carol", "bob"])
def test_others_may_not_create_accounts_for_alices_commune(people, tree, who):
    with pytest.raises(PermissionDenied):
        accounts_create_for_unit(actor=people[who], unit=tree["A"])
    assert not ActivationCode.objects.exists()


def test_alice_grants_a_secretary_role_in_her_commune(people, tree):
    grant = role_grant(
        actor=people["alice"],
        user=people["bob"],
        role=Role.CELL_SECRETARY,
        unit=tree["A2"],
        valid_from=DAY,
    )
    assert grant.granted_by == people["alice"]
    assert Event.objects.get(action="role.grant").after["role"] == "cell_secretary"


@pytest.mark.parametrize(
    ("who", "role", "unit"),
    [
        ("dave", Role.CELL_SECRETARY, "A1"),  # an officer of another district
        ("carol", Role.CELL_SECRETARY, "A1"),  # a cell secretary trying to grant a role
        ("bob", Role.MEMBER, "A1"),  # a member
        ("alice", Role.COMMITTEE, "A"),  # above her own: she does not decide
        ("alice", Role.ADMINISTRATOR, "A"),
        ("alice", Role.CELL_SECRETARY, "P"),  # outside her subtree
    ],
)
def test_nobody_grants_above_their_own_or_outside_their_subtree(people, tree, who, role, unit):
    before = RoleGrant.objects.count()
    with pytest.raises(PermissionDenied):
        role_grant(
            actor=people[who], user=people["bob"], role=role, unit=tree[unit], valid_from=DAY
        )
    assert RoleGrant.objects.count() == before


def test_an_acting_grant_names_whom_it_acts_for_and_must_end(people, tree):
    deputy = make_user("dung")
    with pytest.raises(AppError) as refused:
        role_grant(
            actor=people["alice"],
            user=deputy,
            role=Role.CELL_SECRETARY,
            unit=tree["A1"],
            valid_from=DAY,
            acting_for=people["carol"],
        )
    assert refused.value.field == "valid_to"
    grant = role_grant(
        actor=people["alice"],
        user=deputy,
        role=Role.CELL_SECRETARY,
        unit=tree["A1"],
        valid_from=DAY,
        valid_to=datetime.date(2026, 3, 31),
        acting_for=people["carol"],
    )
    event = Event.objects.get(action="role.grant_acting")
    assert event.after["acting_for"] == "carol"
    assert grant.acting_for == people["carol"]


def test_an_acting_grant_needs_the_holder_to_hold_the_role(people, tree):
    deputy = make_user("dung")
    with pytest.raises(AppError) as refused:
        role_grant(
            actor=people["alice"],
            user=deputy,
            role=Role.CELL_SECRETARY,
            unit=tree["A2"],
            valid_from=DAY,
            valid_to=datetime.date(2026, 3, 31),
            acting_for=people["carol"],
        )
    assert refused.value.field == "acting_for"


def test_alice_ends_a_grant_and_dave_may_not(people, tree):
    grant = RoleGrant.objects.get(user=people["carol"])
    with pytest.raises(PermissionDenied):
        role_grant_end(actor=people["dave"], grant=grant, on=DAY)
    role_grant_end(actor=people["alice"], grant=grant, on=DAY)
    grant.refresh_from_db()
    assert grant.valid_to == DAY
    assert Event.objects.get(action="role.end").before["to"] is None


def test_staff_account_and_its_grant_are_written_together(people, tree):
    with pytest.raises(AppError):
        staff_create(
            actor=people["alice"],
            username="erin",
            password="1",
            full_name="Lê Én",
            email="",
            role=Role.ORGANIZATION_STAFF,
            unit=tree["A"],
            valid_from=DAY,
        )
    assert not User.objects.filter(username="erin").exists()
    user = staff_create(
        actor=people["alice"],
        username="erin",
        password="Xanh-la-cay-2026",
        full_name="Lê Én",
        email="en@example.org",
        role=Role.ORGANIZATION_STAFF,
        unit=tree["A1"],
        valid_from=DAY,
    )
    assert user.grants.get().unit == tree["A1"]


@pytest.mark.parametrize("who", ["dave", "carol", "bob"])
def test_only_alice_deactivates_bob(people, who):
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=people[who], user=people["bob"])
    user_deactivate(actor=people["alice"], user=people["bob"])
    people["bob"].refresh_from_db()
    assert not people["bob"].is_active
    assert Event.objects.filter(action="user.deactivate").count() == 1


def test_alice_may_not_deactivate_a_staff_peer_of_another_unit_or_a_superuser(people):
    boss = User.objects.create_superuser("boss", password="Xanh-la-cay-2026")
    for target in (people["dave"], boss):
        with pytest.raises(PermissionDenied):
            user_deactivate(actor=people["alice"], user=target)
