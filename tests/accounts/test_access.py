"""Every branch of the access module, read as sentences about named people."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tests.conftest import make_user
from xeploai.accounts.access import (
    Action,
    active_grants,
    get_member_for_user,
    get_unit_for_user,
    may,
    may_change_member,
    may_view_member,
    members_for_user,
    require,
    root_units_for_user,
    units_for_user,
)
from xeploai.accounts.models import Role

TODAY = datetime.date(2026, 11, 22)


def test_it_lets_bob_the_member_see_only_his_own_record(people, tree):
    bob = people["bob"]
    assert may_view_member(bob, people["bob_member"])
    assert not may_view_member(bob, people["carol_member"])
    assert not may(bob, Action.VIEW, tree["A1"])
    assert list(members_for_user(bob)) == [people["bob_member"]]
    assert not units_for_user(bob).exists()


def test_it_lets_carol_the_secretary_see_her_cell_but_not_change_it(people, tree):
    carol = people["carol"]
    assert may(carol, Action.VIEW, tree["A1"])
    assert not may(carol, Action.VIEW, tree["A2"])
    assert not may(carol, Action.VIEW, tree["A"])
    assert may_view_member(carol, people["bob_member"])
    assert not may_change_member(carol, people["bob_member"])
    assert set(members_for_user(carol)) == {people["bob_member"], people["carol_member"]}


def test_it_lets_alice_the_staff_officer_manage_her_whole_commune(people, tree):
    alice = people["alice"]
    for code in ("A", "A1", "A2"):
        assert may(alice, Action.EDIT_ROSTER, tree[code])
        assert may(alice, Action.IMPORT_ROSTER, tree[code])
    assert may_change_member(alice, people["bob_member"])
    # Accounts for her commune's members and grants within it (never above her own role).
    assert may(alice, Action.MANAGE_USERS, tree["A"])
    assert not may(alice, Action.MANAGE_USERS, tree["P"])
    assert not may(alice, Action.VIEW, tree["P"])
    assert {u.code for u in units_for_user(alice)} == {"A", "A1", "A2"}
    assert [u.code for u in root_units_for_user(alice)] == ["A"]


def test_it_keeps_dave_of_another_commune_out_of_alices(people, tree):
    dave = people["dave"]
    assert not may(dave, Action.VIEW, tree["A1"])
    assert not may_view_member(dave, people["bob_member"])
    assert set(members_for_user(dave)) == {people["erin_member"]}
    with pytest.raises(Http404):
        get_unit_for_user(dave, tree["A1"].pk)
    with pytest.raises(Http404):
        get_member_for_user(dave, people["bob_member"].pk)
    with pytest.raises(PermissionDenied):
        require(dave, Action.EDIT_ROSTER, tree["A1"])


def test_it_answers_403_when_a_user_sees_but_may_not_act(people, tree):
    carol = people["carol"]
    assert get_unit_for_user(carol, tree["A1"].pk) == tree["A1"]
    with pytest.raises(PermissionDenied):
        get_unit_for_user(carol, tree["A1"].pk, Action.IMPORT_ROSTER)
    assert get_member_for_user(carol, people["bob_member"].pk) == people["bob_member"]
    with pytest.raises(PermissionDenied):
        get_member_for_user(carol, people["bob_member"].pk, Action.EDIT_ROSTER)
    with pytest.raises(Http404):
        get_unit_for_user(carol, 999999)


def test_it_lets_an_administrator_manage_users_in_the_subtree(tree):
    admin = make_user("frank", Role.ADMINISTRATOR, tree["B"])
    assert may(admin, Action.MANAGE_USERS, tree["B1"])
    assert not may(admin, Action.MANAGE_USERS, tree["A1"])


def test_it_counts_a_committee_as_a_reader(tree):
    committee = make_user("gina", Role.COMMITTEE, tree["A"])
    assert may(committee, Action.VIEW, tree["A2"])
    assert not may(committee, Action.EDIT_ROSTER, tree["A2"])


def test_it_honours_the_dates_of_a_grant(tree):
    past = make_user(
        "hana",
        Role.ORGANIZATION_STAFF,
        tree["A"],
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2024, 12, 31),
    )
    future = make_user(
        "ivan", Role.ORGANIZATION_STAFF, tree["A"], valid_from=datetime.date(2030, 1, 1)
    )
    assert not may(past, Action.VIEW, tree["A"], on=TODAY)
    assert may(past, Action.VIEW, tree["A"], on=datetime.date(2024, 12, 31))
    assert not may(future, Action.VIEW, tree["A"], on=TODAY)
    assert active_grants(future, TODAY) == []


def test_it_refuses_anonymous_and_deactivated_users(people, tree):
    anonymous = AnonymousUser()
    assert not may(anonymous, Action.VIEW, tree["A"])
    assert not members_for_user(anonymous).exists()
    assert not units_for_user(anonymous).exists()
    alice = people["alice"]
    alice.is_active = False
    alice.save()
    alice.refresh_from_db()
    assert not may(alice, Action.VIEW, tree["A"])
    assert not may_view_member(
        people["bob"].__class__.objects.get(username="bob"), people["carol_member"]
    )


def test_it_lets_a_superuser_and_the_system_do_everything(tree):
    root = make_user("root")
    root.is_superuser = True
    assert may(root, Action.MANAGE_USERS, tree["A1"])
    assert units_for_user(root).count() == 6
    assert may(None, Action.MANAGE_TREE, tree["A1"])
    require(None, Action.MANAGE_TREE, tree["A1"])


def test_it_refuses_a_user_without_any_grant(tree, people):
    nobody = make_user("judy")
    assert not may(nobody, Action.VIEW, tree["A1"])
    assert not members_for_user(nobody).exists()
    assert root_units_for_user(nobody) == []


def _subject(member=None, unit=None, deciding=None):
    from types import SimpleNamespace

    return SimpleNamespace(
        member_id=member.pk if member else None,
        unit=unit,
        deciding_unit=deciding,
        deciding_unit_id=deciding.pk if deciding else None,
    )


def test_it_lets_bob_fill_only_his_own_self_assessment(people, tree):
    from xeploai.accounts.access import may_self_assess

    assert may_self_assess(people["bob"], _subject(people["bob_member"], tree["A1"]))
    assert not may_self_assess(people["bob"], _subject(people["carol_member"], tree["A1"]))
    # Carol the secretary may enter it on his behalf; Dave of another commune may not.
    assert may_self_assess(people["carol"], _subject(people["bob_member"], tree["A1"]))
    assert not may_self_assess(people["dave"], _subject(people["bob_member"], tree["A1"]))


def test_it_lets_the_secretary_and_staff_appraise_in_their_subtree(people, tree):
    from xeploai.accounts.access import may_appraise

    subject = _subject(people["bob_member"], tree["A1"])
    assert may_appraise(people["carol"], subject) and may_appraise(people["alice"], subject)
    assert not may_appraise(people["bob"], subject) and not may_appraise(people["dave"], subject)


def test_it_lets_only_the_committee_of_the_deciding_unit_decide(people, tree):
    from xeploai.accounts.access import may_decide, may_decide_at

    ward_committee = make_user("wendy", Role.COMMITTEE, tree["A"])
    province_committee = make_user("paula", Role.COMMITTEE, tree["P"])
    subject = _subject(people["bob_member"], tree["A1"], tree["A"])
    assert may_decide(ward_committee, subject)
    assert not may_decide(province_committee, subject)  # not the competent level
    assert not may_decide(people["alice"], subject)  # staff propose, they do not decide
    assert not may_decide_at(ward_committee, None)  # decided above the tree: on paper
    assert may_decide_at(None, None)
    assert not may_decide(AnonymousUser(), subject)
