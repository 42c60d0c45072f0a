"""Cycle housekeeping: no second cycle over the same season, periods of the right shape,
deadlines inside the season and in order, cancelling a cycle opened by mistake, moving deadlines."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.audit.test_chain import in_threads, postgres_only
from tests.cycles.helpers import appraise, open_year, self_rate, ward
from xeploai.accounts.access import cycles_for_user
from xeploai.audit.models import Event
from xeploai.cycles.models import Cycle, CycleState, Step, Subject, SubjectLink
from xeploai.cycles.periods import period_check
from xeploai.cycles.selectors import own_reviews
from xeploai.cycles.services.decisions import decisions_take
from xeploai.cycles.services.enrolment import cycle_open, enrol
from xeploai.cycles.services.housekeeping import cycle_cancel, cycle_deadlines_set
from xeploai.errors import AppError
from xeploai.org.models import UnitKind
from xeploai.org.services import unit_create

D = datetime.date


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


JAN_1, DEC_31 = D(2026, 1, 1), D(2026, 12, 31)


def _open(unit, kind="year", start=JAN_1, end=DEC_31, name="Năm 2026", **kw):
    return cycle_open(
        actor=None,
        unit=unit,
        name=name,
        period_kind=kind,
        period_start=start,
        period_end=end,
        **kw,
    )


def test_it_refuses_a_second_annual_cycle_for_the_same_province_and_year_naming_the_first(db):
    t = ward()
    first = open_year(t["P"])
    with pytest.raises(AppError) as refused:
        _open(t["P"], name="Năm 2026 (lần 2)")
    assert refused.value.field == "period_start"
    assert "“Năm 2026” của Đảng bộ tỉnh Thử (01/01/2026 – 31/12/2026)" in refused.value.message
    assert Cycle.objects.get() == first
    assert Subject.objects.filter(cycle=first).count() == Subject.objects.count()


def test_it_refuses_an_overlapping_cycle_below_or_above_the_first(db):
    t = ward()
    open_year(t["W"])
    with pytest.raises(AppError, match="Năm 2026"):
        _open(t["P"])  # above: the province's cycle would enrol the ward again
    with pytest.raises(AppError, match="Năm 2026"):
        _open(t["C1"])  # below


def test_it_lets_other_kinds_other_years_and_other_branches_open(db):
    t = ward()
    open_year(t["C1"])
    _open(t["C2"])  # a sibling subtree
    _open(t["P"], name="Năm 2025", start=D(2025, 1, 1), end=D(2025, 12, 31))
    quarter = _open(t["P"], "quarter", D(2026, 4, 1), D(2026, 6, 30), name="Quý II/2026")
    assert quarter.state == CycleState.OPEN
    with pytest.raises(AppError, match="Quý II/2026"):
        _open(t["W"], "quarter", D(2026, 4, 1), D(2026, 6, 30), name="Quý II")


@pytest.mark.parametrize(
    "kind, start, end, field, words",
    [
        ("quarter", D(2026, 1, 1), D(2026, 12, 31), "period_end", "từ 01/01/2026 đến 31/03/2026"),
        ("quarter", D(2026, 2, 1), D(2026, 4, 30), "period_start", "Quý bắt đầu"),
        ("quarter", D(2026, 1, 15), D(2026, 3, 31), "period_start", "ngày đầu tháng"),
        ("month", D(2026, 2, 1), D(2026, 3, 31), "period_end", "01/02/2026 đến 28/02/2026"),
        ("year", D(2026, 1, 1), D(2026, 6, 30), "period_end", "mười hai tháng"),
        ("term", D(2020, 1, 1), D(2020, 12, 31), "period_end", "Nhiệm kỳ"),
        ("term", D(2020, 6, 1), D(2025, 5, 31), "period_start", "Nhiệm kỳ"),
        ("year", D(2026, 12, 31), D(2026, 1, 1), "period_end", "kết thúc trước"),
    ],
)
def test_it_refuses_a_period_that_is_not_the_shape_of_its_kind(db, kind, start, end, field, words):
    t = ward()
    with pytest.raises(AppError) as refused:
        _open(t["W"], kind, start, end)
    assert refused.value.field == field
    assert words in refused.value.message
    assert not Cycle.objects.exists()


def test_it_accepts_a_term_a_month_and_a_school_year_where_the_regulation_allows_it(db):
    t = ward()
    _open(t["W"], "term", D(2021, 1, 1), D(2025, 12, 31), name="Nhiệm kỳ 2020–2025")
    _open(t["W"], "month", D(2026, 2, 1), D(2026, 2, 28), name="Tháng 2/2026")
    school = _open(t["C2"], "year", D(2025, 9, 1), D(2026, 8, 31), name="Năm học 2025–2026")
    assert school.regulation == "G366"  # own_year_calendar is true in G366's data
    with pytest.raises(AppError, match="01/01"):
        _open(t["C1"], "year", D(2019, 9, 1), D(2020, 8, 31), regulation="G132-21")


def test_it_refuses_deadlines_outside_the_season_or_out_of_step_order(db):
    t = ward()
    with pytest.raises(AppError) as refused:
        _open(t["W"], deadlines=[("self_submitted", "", D(2020, 11, 30))])
    assert refused.value.field == "deadline_self_submitted"
    assert (
        "Hạn nộp bản tự kiểm điểm (30/11/2020) nằm ngoài đợt đánh giá, từ 01/01/2026 đến 15/01/2027"
        in (refused.value.message)
    )
    with pytest.raises(AppError) as refused:
        _open(
            t["W"],
            deadlines=[("self_submitted", "", D(2026, 12, 1)), ("appraised", "", D(2026, 11, 20))],
        )
    assert refused.value.field == "deadline_appraised"
    assert "không thể sớm hơn" in refused.value.message
    # A kind's own deadline is checked against the general ones too.
    with pytest.raises(AppError, match="không thể sớm hơn"):
        _open(
            t["W"],
            deadlines=[
                ("appraised", "", D(2026, 12, 10)),
                ("self_submitted", "subordinate_cell", D(2026, 12, 20)),
            ],
        )
    assert not Cycle.objects.exists()
    ok = _open(t["W"], deadlines=[("decided", "", D(2027, 1, 15))])
    assert ok.deadlines.get().due_on == D(2027, 1, 15)


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(["year", "quarter", "month", "term", "ad_hoc"]),
    start=st.dates(D(2000, 1, 1), D(2040, 12, 31)),
    days=st.integers(-40, 2000),
)
def test_it_accepts_a_period_exactly_when_its_kind_says_so(kind, start, days):
    end = start + datetime.timedelta(days=days)
    try:
        period_check(kind=kind, start=start, end=end, regulation="G132-21")
    except AppError as refused:
        assert refused.field in ("period_start", "period_end")
        accepted = False
    else:
        accepted = True
    after = end + datetime.timedelta(days=1)
    expected = end >= start and (
        kind == "ad_hoc"
        or (
            start.day == 1
            and after.day == 1
            and {
                "month": (after.year * 12 + after.month) - (start.year * 12 + start.month) == 1,
                "quarter": start.month in (1, 4, 7, 10)
                and (after.year * 12 + after.month) - (start.year * 12 + start.month) == 3,
                "year": start.month == 1 and after == D(start.year + 1, 1, 1),
                "term": start.month == 1 and after.month == 1 and 2 <= after.year - start.year <= 5,
            }[kind]
        )
    )
    assert accepted == expected


def test_it_cancels_a_cycle_opened_by_mistake_and_its_subjects_leave_every_list(db):
    t = ward()
    right = open_year(t["P"])
    wrong = Cycle.objects.create(  # as the second cycle was opened before this check existed
        unit=t["P"],
        name="Năm 2026 (nhầm)",
        period_kind="year",
        period_start=D(2026, 1, 1),
        period_end=D(2026, 12, 31),
        regulation="G366",
        state=CycleState.OPEN,
    )
    enrol(wrong)
    member = t["c1"][1]
    self_rate(t["m2"], Subject.objects.get(cycle=wrong, member=member, position=None), "good")
    assert len(own_reviews(member)["open_reviews"]) == 2

    cycle_cancel(actor=None, cycle=wrong, reason="Mở trùng đợt năm 2026")

    wrong.refresh_from_db()
    assert wrong.state == CycleState.CANCELLED
    assert wrong.cancel_reason == "Mở trùng đợt năm 2026"
    assert not Subject.objects.filter(cycle=wrong).exists()
    assert not SubjectLink.objects.filter(cycle=wrong).exists()
    assert [s.cycle for s in own_reviews(member)["open_reviews"]] == [right]
    assert list(cycles_for_user(t["paula"])) == [right]
    event = Event.objects.get(action="cycle.cancel")
    assert event.after["reason"] == "Mở trùng đợt năm 2026"
    assert event.before["self_assessments_submitted"] == 1
    # Cancelled, it no longer stands in the way of opening the season again.
    with pytest.raises(AppError, match="Năm 2026"):
        _open(t["W"])


def test_it_refuses_to_cancel_without_a_reason_or_after_a_decision(db):
    t = ward()
    cycle = open_year(t["P"])
    with pytest.raises(AppError) as refused:
        cycle_cancel(actor=None, cycle=cycle, reason="  ")
    assert refused.value.field == "reason"
    s = Subject.objects.get(cycle=cycle, member=t["c2"][0])
    self_rate(t["sam"], s, "good", "25", "58")
    appraise(t["sam"], s, "good")
    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})
    with pytest.raises(AppError, match="đã có đối tượng được quyết định"):
        cycle_cancel(actor=None, cycle=cycle, reason="Nhầm")
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN
    assert Subject.objects.filter(cycle=cycle, step=Step.DECIDED).count() == 1


def test_it_moves_deadlines_after_opening_with_the_same_rules(db):
    t = ward()
    cycle = open_year(t["W"])
    cycle_deadlines_set(
        actor=t["sam"],
        cycle=cycle,
        deadlines=[("self_submitted", "", D(2026, 11, 30)), ("decided", "", D(2026, 12, 20))],
    )
    assert sorted(cycle.deadlines.values_list("step", "due_on")) == [
        ("decided", D(2026, 12, 20)),
        ("self_submitted", D(2026, 11, 30)),
    ]
    with pytest.raises(AppError) as refused:
        cycle_deadlines_set(actor=t["sam"], cycle=cycle, deadlines=[("decided", "", D(2027, 3, 1))])
    assert refused.value.field == "deadline_decided"
    assert cycle.deadlines.count() == 2  # nothing half-written
    event = Event.objects.get(action="cycle.deadlines")
    assert event.after["deadlines"] == [
        ["decided", "", "2026-12-20"],
        ["self_submitted", "", "2026-11-30"],
    ]


def test_it_cancels_and_moves_deadlines_from_the_command_line(db, capsys):
    t = ward()
    cycle = open_year(t["W"])
    call_command("cycle", "deadlines", str(cycle.pk), "--deadline", "self_submitted::30/11/2026")
    assert "self_submitted::30/11/2026" in capsys.readouterr().out
    with pytest.raises(CommandError, match="nằm ngoài đợt"):
        call_command("cycle", "deadlines", str(cycle.pk), "--deadline", "appraised::01/01/2020")
    with pytest.raises(CommandError, match="lý do"):
        call_command("cycle", "cancel", str(cycle.pk), "--reason", " ")
    call_command("cycle", "cancel", str(cycle.pk), "--reason", "Mở nhầm cấp")
    assert "Đã hủy" in capsys.readouterr().out
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CANCELLED
    with pytest.raises(CommandError, match="Không thể hủy"):
        call_command("cycle", "cancel", str(cycle.pk), "--reason", "Lần nữa")


def test_a_quarter_attaches_to_its_year_and_a_cancelled_one_does_not(db):
    t = ward()
    q3 = _open(t["W"], "quarter", D(2026, 7, 1), D(2026, 9, 30), name="Quý III")
    q4 = _open(t["W"], "quarter", D(2026, 10, 1), D(2026, 12, 31), name="Quý IV")
    cycle_cancel(actor=None, cycle=q4, reason="Nhầm")
    with pytest.raises(AppError) as refused:
        _open(t["W"], parts=[q3, q4])
    assert refused.value.field == "parts"
    year = _open(t["W"], parts=[q3])
    assert list(year.parts.all()) == [q3]
    # Another ward of the province runs its own quarter.
    other = unit_create(
        actor=None,
        code="W2",
        name="Đảng bộ phường Hai",
        kind=UnitKind.PROVINCE_DIRECT_COMMITTEE,
        parent=t["P"],
        on=D(2020, 1, 1),
        org_type="ward",
    )
    _open(other, "quarter", D(2026, 7, 1), D(2026, 9, 30), name="Quý III phường Hai")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_offices_opening_the_same_season_at_once_get_one_cycle():
    t = ward()
    units = [t["P"], t["W"], t["C1"], t["P"]]
    results = in_threads(len(units), lambda i: _open(units[i], name=f"Năm 2026 ({i})"))
    opened = [r for r in results if isinstance(r, Cycle)]
    refused = [r for r in results if isinstance(r, AppError)]
    assert len(opened) == 1 and len(refused) == len(units) - 1, results
    assert Cycle.objects.count() == 1
    assert Subject.objects.exclude(cycle=opened[0]).count() == 0
