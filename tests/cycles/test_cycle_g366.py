"""A G366 annual cycle run end to end on a small ward, bottom-up in the required order, with
the final counts checked against numbers computed by hand."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from tests.cycles.helpers import appraise, self_rate, ward
from xeploai.audit.services import audit_verify
from xeploai.cycles.models import Decision, RemediationItem, Step, Subject
from xeploai.cycles.selectors import board, board_decorate, progress
from xeploai.cycles.services.decisions import DecisionBlocked, decisions_take
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.cycles.services.lifecycle import cycle_transition
from xeploai.errors import AppError

END = datetime.date(2026, 12, 31)


@pytest.fixture
def season(db):
    t = ward()
    cycle = cycle_open(
        actor=None,
        unit=t["P"],
        name="Năm 2026",
        period_kind="year",
        period_start=datetime.date(2026, 1, 1),
        period_end=END,
        deadlines=[
            ("self_submitted", "subordinate_cell", datetime.date(2026, 11, 30)),
            ("decided", "", datetime.date(2026, 12, 31)),
        ],
    )
    subjects = {}
    for s in (
        Subject.objects.filter(cycle=cycle)
        .exclude(step=Step.EXCLUDED)
        .select_related("unit", "member")
    ):
        key = (s.member.card_number if s.member_id else s.unit.code, s.kind, bool(s.position_id))
        subjects[key] = s
    return t, cycle, subjects


def member(subjects, card, post=False):
    return next(s for (c, _k, p), s in subjects.items() if c == card and p == post)


def org(subjects, code, kind="party_organization"):
    return subjects[(code, kind, False)]


def run_steps(t, subjects):
    """Self-assessment and appraisal for everyone in the ward. Two members of C1 reach 95;
    the rest score 83. Cells and collectives score 85."""
    sam = t["sam"]
    # The cell's own tasks first: the secretary's rating looks at the unit they lead.
    for code in ("C1", "C2"):
        self_rate(sam, org(subjects, code), "good", general="26", task_points="59")
        appraise(sam, org(subjects, code), "good")
    self_rate(sam, org(subjects, "C1", "leadership_collective"), "good", "26", "59")
    appraise(sam, org(subjects, "C1", "leadership_collective"), "good")
    for s in subjects.values():
        if s.member_id is None:
            continue
        s.refresh_from_db()
        top = s.member.card_number in ("10000001", "10000002")
        actor = t["m2"] if s.member.card_number == "10000001" else sam
        general, tasks = ("28", "67") if top else ("25", "58")
        counts = (10, 10, 10, 0, 4) if top else (10, 10, 10, 0, 1)
        self_rate(
            actor,
            s,
            "excellent" if top else "good",
            general,
            tasks,
            counts,
            shortcomings="Chưa tích cực phát biểu\nĐôi lúc đi họp muộn" if not top else "",
        )
        appraise(
            t["carol"] if s.unit.code == "C1" and not s.position_id else sam,
            s,
            "excellent" if top else "good",
        )


def test_it_runs_a_g366_cycle_bottom_up_to_hand_computed_counts(season):
    t, cycle, subjects = season
    run_steps(t, subjects)
    wendy, paula = t["wendy"], t["paula"]

    # The calibration board of the ward shows the cap with its arithmetic: 9 members, 2
    # proposed Excellent, 7 Good: 20 % × 7 = 1.4 → 1, so one must come down.
    view = board(cycle, t["W"])
    member_check = next(c for c in view.caps.violations if c.pool.endswith("/members"))
    assert member_check.allowed == 1 and member_check.counted == 2
    assert "20 % × 7" in member_check.arithmetic_en and "1.4 → 1" in member_check.arithmetic_en
    assert [m.subject for m in view.caps.moves]  # a suggested fit
    # On the board the fit names the person and the level, and each row its group, in words.
    with translation.override("vi"):
        board_decorate(view, [])
    names = {r["name"] for r in view.rows}
    assert view.moves and all(m["name"] in names for m in view.moves)
    assert {m["to"] for m in view.moves} == {"Hoàn thành tốt nhiệm vụ (HTT)"}
    assert {r["pool_label"] for r in view.rows if r["pool"].endswith("/members")} == {"Đảng viên"}

    # The committee tries the cell before its members: the order blocks it.
    with pytest.raises(DecisionBlocked) as blocked:
        decisions_take(actor=wendy, cycle=cycle, choices={org(subjects, "C1").pk: "good"})
    assert {b.code for b in blocked.value.blocks} == {"order"}
    # The block cites where the order comes from as a reader would, without internal marks.
    order = blocked.value.blocks[0].message
    assert order.endswith("(Điều 12, Quy định 366-QĐ/TW)."), order
    assert "[C" not in order and "[INF" not in order and not re.search(r"\bR\d+\b", order)

    # Deciding both Excellent members breaks the cap: blocked, nothing written.
    members = {
        s.pk: s.proposed_level
        for s in Subject.objects.filter(
            cycle=cycle, deciding_unit=t["W"], pool__endswith="/members"
        ).exclude(step=Step.EXCLUDED)
    }
    with pytest.raises(DecisionBlocked) as blocked:
        decisions_take(actor=wendy, cycle=cycle, choices=members)
    assert {b.code for b in blocked.value.blocks} == {"cap"}
    assert not Decision.objects.exists()

    # The suggested fit moves the lower-scored one down; then the batch passes.
    lowest = int(view.caps.moves[0].subject)
    members[lowest] = "good"
    decisions_take(actor=wendy, cycle=cycle, choices=members)

    # Then the collective of C1 and the secretary's post, then the cells, then the ward.
    rest = Subject.objects.filter(cycle=cycle, deciding_unit=t["W"]).exclude(
        step__in=(Step.DECIDED, Step.EXCLUDED)
    )
    decisions_take(actor=wendy, cycle=cycle, choices={s.pk: s.proposed_level for s in rest})
    for s in Subject.objects.filter(cycle=cycle, deciding_unit=t["P"]):
        self_rate(None, s, "good", "26", "59")  # the provincial staff, from the command line
        appraise(None, s, "good")
    decisions_take(
        actor=paula,
        cycle=cycle,
        choices={s.pk: "good" for s in Subject.objects.filter(cycle=cycle, deciding_unit=t["P"])},
    )

    decided = Subject.objects.filter(cycle=cycle, step=Step.DECIDED)
    count = lambda **kw: decided.filter(**kw).count()  # noqa: E731
    assert (
        count(kind__in=["member", "leader"], position__isnull=True, decided_level="excellent") == 1
    )
    assert count(kind__in=["member", "leader"], position__isnull=True, decided_level="good") == 8
    assert count(kind="party_organization", decided_level="good") == 3  # C1, C2, W
    assert Subject.objects.filter(cycle=cycle, step=Step.EXCLUDED).count() == 2
    # Every shortcoming of a decided self-assessment became a remediation item: two each for
    # the 7 members below the top two and for the secretary's post.
    assert RemediationItem.objects.count() == 16
    assert audit_verify().intact


def test_it_counts_progress_and_lateness_per_unit(season):
    t, cycle, subjects = season
    self_rate(t["sam"], member(subjects, "20000000"), "good", "25", "58")
    rows = {p.unit.code: p for p in progress(cycle, t["W"], datetime.date(2026, 12, 1))}
    assert rows["C2"].steps == {"self_submitted": 1, "enrolled": 3, "excluded": 2}
    # After 30/11 whoever in the cells has not submitted is late: 2 members and the cell in C2.
    assert rows["C2"].late == 3
    assert rows["C1"].late == 9  # 6 members, the cell, its committee, the secretary's post


def test_it_closes_only_when_everyone_reviewed_is_rated(season):
    t, cycle, subjects = season
    with pytest.raises(PermissionDenied):  # the ward's staff do not run the province's cycle
        cycle_transition(actor=t["sam"], cycle=cycle, to="lock")
    cycle_transition(actor=None, cycle=cycle, to="lock")
    with translation.override("vi"), pytest.raises(AppError) as error:
        cycle_transition(actor=None, cycle=cycle, to="close")
    assert "chưa được quyết định" in str(error.value.message)
    with translation.override("en"), pytest.raises(AppError) as error:
        cycle_transition(actor=None, cycle=cycle, to="close")
    assert "not decided" in str(error.value.message)
    # A word kept at module level follows the reader's language too.
    with translation.override("en"), pytest.raises(AppError) as error:
        cycle_transition(actor=None, cycle=cycle, to="lock")
    assert str(error.value.message) == "A locked cycle cannot be locked."
    with translation.override("vi"), pytest.raises(AppError) as error:
        cycle_transition(actor=None, cycle=cycle, to="lock")
    assert "không thể khóa" in str(error.value.message)
    with pytest.raises(AppError):
        cycle_transition(actor=None, cycle=cycle, to="reopen")  # needs a reason
    cycle = cycle_transition(actor=None, cycle=cycle, to="reopen", reason="Bổ sung hồ sơ")
    assert cycle.state == "open"
