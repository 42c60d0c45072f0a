"""The several-years page and the cycle page's comparison, for allowed and refused people."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.reports.years import five_years
from xeploai.accounts.models import Role
from xeploai.org.models import UnitKind
from xeploai.org.services import unit_create


@pytest.fixture
def years(db):
    return five_years()


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_it_shows_the_staff_their_units_runs_awards_and_cadres(years, client):
    t, cycles = years
    url = reverse("cycle_years", args=[cycles[2026].pk, t["W"].pk])
    page = _get(client, t["sam"], url).content.decode()
    assert reverse("member_detail", args=[t["c1"][1].pk]) in page
    assert reverse("member_detail", args=[t["c1"][4].pk]) not in page
    assert "Bằng khen của ban thường vụ tỉnh ủy, thành ủy: 5 năm liền HTXS" in page
    assert 'data-label="2024"' in page and "Chi bộ Tổ 1" in page
    assert "HD 45-HD/BTCTW" in page
    # Readers see the document and article, not the rule core's confidence marks.
    assert "[C1]" not in page and "[INF]" not in page and "REGULATIONS.md" not in page


@pytest.mark.parametrize("who", ["wendy", "paula"])
def test_it_lets_a_committee_above_see_the_unit(years, client, who):
    t, cycles = years
    url = reverse("cycle_years", args=[cycles[2026].pk, t["W"].pk])
    assert _get(client, t[who], url).status_code == 200


def test_it_lets_a_cell_secretary_see_the_cell_but_not_the_ward(years, client):
    t, cycles = years
    cell = reverse("cycle_years", args=[cycles[2026].pk, t["C1"].pk])
    assert _get(client, t["carol"], cell).status_code == 200
    ward = reverse("cycle_years", args=[cycles[2026].pk, t["W"].pk])
    assert _get(client, t["carol"], ward).status_code == 404


def test_it_refuses_an_ordinary_member(years, client):
    t, cycles = years
    url = reverse("cycle_years", args=[cycles[2026].pk, t["C1"].pk])
    assert _get(client, t["m2"], url).status_code == 404


@pytest.mark.parametrize("name", ["cycle_years", "unit_statistics"])
def test_it_answers_alike_for_a_unit_in_the_cycle_and_one_outside_it(years, client, name):
    """A member sees the province's cycle (they are one of its subjects); asking for a unit of
    its tree and for a unit of another province must read the same, or the answers map the
    tree."""
    t, cycles = years
    other = unit_create(
        actor=None,
        code="Q2",
        name="Đảng bộ tỉnh Khác",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        parent=None,
        on=datetime.date(2020, 1, 1),
    )
    extra = {"fmt": "xlsx"} if name == "unit_statistics" else {}
    answers = set()
    for unit in (t["W"], t["C1"], other):
        url = reverse(name, kwargs={"pk": cycles[2026].pk, "unit_pk": unit.pk, **extra})
        answers.add(_get(client, t["m2"], url).status_code)
    assert answers == {404}


def test_it_hides_the_page_from_another_province(years, client):
    t, cycles = years
    other = unit_create(
        actor=None,
        code="Q",
        name="Đảng bộ tỉnh Khác",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        parent=None,
        on=datetime.date(2020, 1, 1),
    )
    stranger = make_user("quinn", Role.ORGANIZATION_STAFF, other)
    url = reverse("cycle_years", args=[cycles[2026].pk, t["W"].pk])
    assert _get(client, stranger, url).status_code == 404


def test_it_shows_a_member_their_own_years_at_home(years, client):
    t, _cycles = years
    page = _get(client, t["m2"], reverse("home")).content.decode()
    assert "Giấy khen của ban thường vụ cấp ủy cấp trên trực tiếp cơ sở: 5 năm liền HTXS" in page
    page = _get(client, t["carol"], reverse("member_detail", args=[t["c1"][0].pk])).content
    assert "2024: HTT · 2025: HTT · 2026: HTXS" in page.decode()


def test_it_links_the_unit_page_to_the_latest_annual_cycle(years, client):
    t, cycles = years
    page = _get(client, t["sam"], reverse("unit_detail", args=[t["W"].pk])).content.decode()
    assert reverse("cycle_years", args=[cycles[2026].pk, t["W"].pk]) in page


def test_it_compares_the_cycle_with_earlier_ones_on_the_cycle_page(years, client):
    t, cycles = years
    url = reverse("cycle_detail", args=[cycles[2026].pk]) + f"?unit={t['W'].pk}"
    page = _get(client, t["sam"], url).content.decode()
    assert reverse("cycle_years", args=[cycles[2026].pk, t["W"].pk]) in page
    for year in (2022, 2023, 2024, 2025):
        assert reverse("cycle_detail", args=[cycles[year].pk]) in page
    assert page.count('role="img"') >= 2
    assert "2026, Hoàn thành xuất sắc nhiệm vụ (HTXS): 5" in page
