"""Several years of a subtree (R50, R51) against the hand-set table of tests/reports/years.py."""

import pytest

from tests.reports.years import five_years
from xeploai.cycles.models import Cycle, Subject
from xeploai.reports.compare import comparison, earlier_cycles
from xeploai.reports.multiyear import member_years, years_view
from xeploai.reports.rollup import LEVELS


@pytest.fixture
def years(db):
    return five_years()


def _codes(entry):
    return [e.award.code for e in entry.awards]


def test_it_lists_the_excellent_members_with_their_runs(years):
    t, cycles = years
    view = years_view(cycles[2026], t["W"])
    c1 = t["c1"]
    assert [(m.pk, m.run) for m in view.members] == [
        (c1[1].pk, 5),
        (c1[2].pk, 4),
        (c1[0].pk, 2),
        (c1[3].pk, 2),
        (c1[5].pk, 1),
    ]
    assert view.columns == [2022, 2023, 2024, 2025, 2026]
    first = view.members[0]
    assert first.shown(view.columns) == [(y, "excellent") for y in view.columns]
    c3 = next(m for m in view.members if m.pk == c1[3].pk)
    assert c3.shown(view.columns)[2] == (2024, "")


def test_it_opens_the_five_year_awards_only_for_five_consecutive_years(years):
    t, cycles = years
    view = years_view(cycles[2026], t["W"])
    by_pk = {m.pk: m for m in view.members}
    assert _codes(by_pk[t["c1"][1].pk]) == [
        "G366.AWARD.MEMBER_YEAR",
        "G366.AWARD.MEMBER_5Y_UPPER",
        "G366.AWARD.MEMBER_5Y_PROVINCIAL",
    ]
    assert _codes(by_pk[t["c1"][2].pk]) == ["G366.AWARD.MEMBER_YEAR"]
    assert (view.threshold, view.reaching, view.totals["members"]) == (5, 1, 5)


def test_it_lists_the_excellent_organizations(years):
    t, cycles = years
    view = years_view(cycles[2026], t["W"])
    assert [(o.pk, o.run, _codes(o)) for o in view.organizations] == [
        (t["C1"].pk, 5, ["G366.AWARD.ORGANIZATION_YEAR", "G366.AWARD.ORGANIZATION_5Y"]),
        (t["C2"].pk, 1, ["G366.AWARD.ORGANIZATION_YEAR"]),
    ]


def test_it_gives_each_cadre_the_last_three_years_with_the_lower_rating_of_a_year(years):
    t, cycles = years
    [cadre] = years_view(cycles[2026], t["W"]).cadres
    assert cadre.pk == t["c1"][0].pk
    assert [(y.year, y.level) for y in cadre.record.years] == [
        (2024, "good"),
        (2025, "good"),
        (2026, "excellent"),
    ]
    assert cadre.record.complete and cadre.record.lowest == "good"
    assert "Chi bộ Tổ 1" in cadre.posts[0]


def test_it_counts_missing_years_in_an_earlier_anchor(years):
    t, cycles = years
    [cadre] = years_view(cycles[2025], t["W"]).cadres
    assert [(y.year, y.level) for y in cadre.record.years] == [
        (2023, None),
        (2024, "good"),
        (2025, "good"),
    ]
    assert cadre.record.missing == (2023,) and not cadre.record.complete


def test_it_has_no_cadre_record_before_the_regulation_that_asks_for_it(years):
    t, cycles = years
    assert cycles[2024].regulation == "G124"
    assert years_view(cycles[2024], t["W"]).cadres == []


def test_it_keeps_to_the_subtree(years):
    t, cycles = years
    view = years_view(cycles[2026], t["C2"])
    assert view.members == [] and view.cadres == []
    assert [o.pk for o in view.organizations] == [t["C2"].pk]


def test_it_reads_a_subtree_in_a_few_queries(years, django_assert_max_num_queries):
    t, cycles = years
    with django_assert_max_num_queries(6):
        years_view(cycles[2026], t["P"])


def test_it_gives_a_member_their_own_years(years):
    t, _cycles = years
    own = member_years(t["c1"][3])
    assert own.years == [
        (2026, "excellent"),
        (2025, "excellent"),
        (2023, "excellent"),
        (2022, "excellent"),
    ]
    assert own.run == 2 and own.record is None
    carol = member_years(t["c1"][0])
    assert [y.level for y in carol.record.years] == ["good", "good", "excellent"]
    assert member_years(t["c2"][3]) is None


def test_it_compares_the_unit_with_its_earlier_annual_cycles(years):
    t, cycles = years
    rows = comparison(cycles[2026], t["W"], Cycle.objects.all())
    assert [r.label for r in rows] == ["2022", "2023", "2024", "2025", "2026"]
    assert [(r.members["excellent"], r.members["good"]) for r in rows] == [
        (2, 1),
        (3, 0),
        (2, 1),
        (4, 0),
        (5, 1),
    ]
    assert [r.organizations["excellent"] for r in rows] == [1, 1, 1, 1, 2]
    assert rows[-1].organizations["good"] == 1


def test_it_compares_only_with_cycles_the_caller_may_see(years):
    t, cycles = years
    visible = Cycle.objects.exclude(pk=cycles[2023].pk)
    found = earlier_cycles(cycles[2026], t["W"], visible, count=2)
    assert found == [cycles[2024], cycles[2025]]
    assert cycles[2023] not in earlier_cycles(cycles[2026], t["W"], visible)


def test_it_compares_a_unit_that_has_no_figures_in_earlier_cycles(years):
    """A cell created this year: its earlier years are zeros, not an error."""
    t, cycles = years
    Subject.objects.filter(cycle__in=[cycles[2022], cycles[2023]], unit=t["C2"]).delete()
    rows = comparison(cycles[2026], t["C2"], Cycle.objects.all())
    assert [r.label for r in rows][:2] == ["2022", "2023"]
    assert rows[0].members == dict.fromkeys(LEVELS, 0)
    assert rows[1].organizations == dict.fromkeys(LEVELS, 0)
    assert rows[-1].organizations["excellent"] == 1
