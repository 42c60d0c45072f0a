"""A ward season for the API tests, and a token per person.

The ward of tests/cycles/helpers.py (paula: committee of P, wendy: committee of W, sam: staff of
W, carol: secretary of C1, m2: a member of C1), plus a second province Q with its staff oscar:
the outsider."""

import datetime

import pytest

from tests.conftest import make_member, make_user
from tests.cycles.helpers import open_year, ward
from xeploai.accounts.models import Role
from xeploai.api.services import token_create
from xeploai.cycles.models import Subject
from xeploai.org.models import UnitKind
from xeploai.org.services import unit_create


@pytest.fixture
def season(db):
    w = ward()
    cycle = open_year(w["W"])
    q = unit_create(
        actor=None,
        code="Q",
        name="Đảng bộ tỉnh Khác",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        parent=None,
        on=datetime.date(2020, 1, 1),
    )
    q1 = unit_create(
        actor=None,
        code="Q1",
        name="Chi bộ Khác",
        kind=UnitKind.GRASSROOTS_CELL,
        parent=q,
        on=datetime.date(2020, 1, 1),
    )
    other = make_member(q1, "Phạm Văn Ngoài", "90000001")
    oscar = make_user("oscar", Role.ORGANIZATION_STAFF, q)
    tokens = {
        name: token_create(actor=None, user=w[name], name="test")[1]
        for name in ("paula", "wendy", "sam", "carol", "m2")
    }
    tokens["oscar"] = token_create(actor=None, user=oscar, name="test")[1]
    m2_subject = Subject.objects.get(cycle=cycle, member=w["c1"][1], position=None)
    return {
        **w,
        "cycle": cycle,
        "Q": q,
        "Q1": q1,
        "other": other,
        "oscar": oscar,
        "tokens": tokens,
        "m2_subject": m2_subject,
    }


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
