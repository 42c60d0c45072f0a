"""Shared fixtures: a small province with named people.

Tỉnh ủy (P)
├── Đảng bộ xã An Phú (A)        alice: organization staff of A
│   ├── Chi bộ Thôn 1 (A1)       carol: cell secretary of A1, bob: member of A1
│   └── Chi bộ Thôn 2 (A2)
└── Đảng bộ xã Bình Minh (B)     dave: organization staff of B
    └── Chi bộ Thôn 1 (B1)
"""

import datetime

import pytest

from xeploai.accounts.models import Role, RoleGrant, User
from xeploai.org.models import Member, Membership, Sex, Unit, UnitKind
from xeploai.org.names import fold, normalize_name, sort_key
from xeploai.org.services import unit_create

START = datetime.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Real hashing costs half a second per user; tests create dozens."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    p = unit_create(
        actor=None,
        code="P",
        name="Đảng bộ tỉnh Thử",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        parent=None,
        on=START,
    )
    a = unit_create(
        actor=None,
        code="A",
        name="Đảng bộ xã An Phú",
        kind=UnitKind.PROVINCE_DIRECT_COMMITTEE,
        parent=p,
        on=START,
        org_type="commune",
    )
    a1 = unit_create(
        actor=None,
        code="A1",
        name="Chi bộ Thôn 1",
        kind=UnitKind.SUBORDINATE_CELL,
        parent=a,
        on=START,
        org_type="commune",
    )
    a2 = unit_create(
        actor=None,
        code="A2",
        name="Chi bộ Thôn 2",
        kind=UnitKind.SUBORDINATE_CELL,
        parent=a,
        on=START,
        org_type="commune",
    )
    b = unit_create(
        actor=None,
        code="B",
        name="Đảng bộ xã Bình Minh",
        kind=UnitKind.PROVINCE_DIRECT_COMMITTEE,
        parent=p,
        on=START,
        org_type="commune",
    )
    b1 = unit_create(
        actor=None,
        code="B1",
        name="Chi bộ Thôn 1",
        kind=UnitKind.SUBORDINATE_CELL,
        parent=b,
        on=START,
        org_type="commune",
    )
    return {"P": p, "A": a, "A1": a1, "A2": a2, "B": b, "B1": b1}


def make_member(
    cell: Unit,
    name: str,
    card: str | None,
    *,
    born=datetime.date(1970, 1, 1),
    admitted=datetime.date(2000, 5, 19),
    official=datetime.date(2001, 5, 19),
    national_id=None,
) -> Member:
    name = normalize_name(name)
    member = Member.objects.create(
        full_name=name,
        name_folded=fold(name),
        sort_key=sort_key(name),
        date_of_birth=born,
        sex=Sex.MALE,
        card_number=card,
        national_id=national_id,
        admitted_on=admitted,
        official_on=official,
        cell=cell,
    )
    Membership.objects.create(member=member, cell=cell, valid_from=admitted)
    return member


def make_user(
    username: str,
    role: str | None = None,
    unit: Unit | None = None,
    *,
    member: Member | None = None,
    valid_from=START,
    valid_to=None,
) -> User:
    user = User.objects.create_user(
        username=username, password="correct horse battery", member=member
    )
    if role:
        RoleGrant.objects.create(
            user=user, role=role, unit=unit, valid_from=valid_from, valid_to=valid_to
        )
    return user


@pytest.fixture
def people(tree):
    bob_member = make_member(tree["A1"], "Nguyễn Văn Bình", "10000001")
    carol_member = make_member(tree["A1"], "Trần Thị Cúc", "10000002")
    erin_member = make_member(tree["B1"], "Lê Thị Én", "20000001")
    return {
        "alice": make_user("alice", Role.ORGANIZATION_STAFF, tree["A"]),
        "bob": make_user("bob", Role.MEMBER, tree["A1"], member=bob_member),
        "carol": make_user("carol", Role.CELL_SECRETARY, tree["A1"], member=carol_member),
        "dave": make_user("dave", Role.ORGANIZATION_STAFF, tree["B"]),
        "bob_member": bob_member,
        "carol_member": carol_member,
        "erin_member": erin_member,
    }
