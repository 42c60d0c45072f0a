"""Open cycles follow the roster: members who join a cell are enrolled, those who move are
reviewed where they now are, those who leave leave the cycle, with a notice to staff each time."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook

from tests.conftest import make_member
from tests.cycles.helpers import appraise, open_year, self_rate, ward
from xeploai.audit.models import Event
from xeploai.cycles.models import Notice, NoticeKind, Step, Subject, SubjectLink
from xeploai.cycles.services.decisions import decisions_take
from xeploai.cycles.services.roster import roster_changed
from xeploai.org.models import UnitKind
from xeploai.org.roster.importer import roster_import
from xeploai.org.services import member_transfer, unit_create, unit_merge
from xeploai.rules import Relation

D = datetime.date
ON = D(2026, 10, 15)


@pytest.fixture
def season(db):
    t = ward()
    other = unit_create(
        actor=None,
        code="P2",
        name="Đảng bộ tỉnh Khác",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        parent=None,
        on=D(2020, 1, 1),
    )
    far = unit_create(
        actor=None,
        code="F1",
        name="Chi bộ Xa",
        kind=UnitKind.GRASSROOTS_CELL,
        parent=other,
        on=D(2020, 1, 1),
        org_type="ward",
    )
    t["far"] = far
    t["cycle"] = open_year(t["P"])
    return t


def _member_subject(cycle, member):
    return Subject.objects.filter(cycle=cycle, member=member, position=None).first()


def test_a_member_who_moves_to_another_cell_of_the_cycle_takes_her_review_with_her(season):
    t, cycle = season, season["cycle"]
    member = t["c1"][2]
    subject = _member_subject(cycle, member)
    self_rate(t["sam"], subject, "good", submit=False)

    member_transfer(actor=t["sam"], member=member, to_cell=t["C2"], on=ON)

    moved = _member_subject(cycle, member)
    assert moved.pk == subject.pk and moved.unit == t["C2"]
    assert moved.step == Step.SELF_DRAFT  # what she wrote goes with her
    org_c2 = Subject.objects.get(cycle=cycle, kind="party_organization", unit=t["C2"])
    assert SubjectLink.objects.get(source=moved, relation=Relation.MEMBER_OF.value).target_id == (
        org_c2.pk
    )
    notice = Notice.objects.get(cycle=cycle)
    assert (notice.kind, notice.from_unit, notice.to_unit) == (NoticeKind.MOVED, t["C1"], t["C2"])


def test_a_member_who_leaves_the_cycles_units_leaves_the_cycle_and_her_new_one_enrols_her(
    season,
):
    t, cycle = season, season["cycle"]
    other_cycle = open_year(t["far"].parent)
    member = t["c2"][0]
    admin_of_both = None  # the system: the move crosses two provinces

    member_transfer(actor=admin_of_both, member=member, to_cell=t["far"], on=ON)

    assert _member_subject(cycle, member) is None
    joined = _member_subject(other_cycle, member)
    assert joined.unit == t["far"] and joined.step == Step.ENROLLED
    assert Notice.objects.get(cycle=cycle).kind == NoticeKind.LEFT
    assert Notice.objects.get(cycle=other_cycle).kind == NoticeKind.JOINED
    assert Event.objects.filter(action="cycle.roster").count() == 2


def test_a_secretary_who_leaves_takes_her_post_review_out_with_her(season):
    t, cycle = season, season["cycle"]
    carol = t["c1"][0]
    assert Subject.objects.filter(cycle=cycle, member=carol).count() == 2  # member and post
    member_transfer(actor=None, member=carol, to_cell=t["far"], on=ON)
    assert not Subject.objects.filter(cycle=cycle, member=carol).exists()
    assert not SubjectLink.objects.filter(cycle=cycle, source__member=carol).exists()


def test_a_decided_review_stays_when_the_member_leaves_afterwards(season):
    t, cycle = season, season["cycle"]
    member = t["c2"][0]
    subject = _member_subject(cycle, member)
    self_rate(t["sam"], subject, "good", "25", "58")
    appraise(t["sam"], subject, "good")
    decisions_take(actor=t["wendy"], cycle=cycle, choices={subject.pk: "good"})

    member_transfer(actor=None, member=member, to_cell=t["far"], on=ON)

    subject.refresh_from_db()
    assert subject.step == Step.DECIDED and subject.unit == t["C2"]
    notice = Notice.objects.get(cycle=cycle)
    assert (notice.kind, notice.step_before) == (NoticeKind.KEPT, Step.DECIDED)


def test_a_move_after_the_period_ends_changes_nothing_in_it(season):
    t, cycle = season, season["cycle"]
    member = t["c1"][3]
    member_transfer(actor=None, member=member, to_cell=t["far"], on=D(2027, 1, 5))
    assert _member_subject(cycle, member).unit == t["C1"]
    assert not Notice.objects.exists()


def _roster(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Số thẻ đảng viên",
            "Ngày vào Đảng",
            "Ngày chính thức",
            "Chi bộ",
        ]
    )
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_members_imported_while_a_cycle_is_open_are_enrolled_and_staff_told(season):
    t, cycle = season, season["cycle"]
    data = _roster(
        [
            ["Phạm Thị Mới", "01/02/1990", "Nữ", "39000001", "19/05/2015", "19/05/2016", "C1"],
            ["Đỗ Văn Vừa", "01/02/1995", "Nam", "39000002", "01/09/2026", "", "C2"],
        ]
    )
    result = roster_import(
        actor=t["sam"], root=t["W"], filename="bo-sung.xlsx", data=data, as_of=ON
    )
    assert result.created == 2
    settled = Subject.objects.get(cycle=cycle, member__card_number="39000001")
    assert (settled.unit, settled.step, settled.kind) == (t["C1"], Step.ENROLLED, "member")
    assert settled.deciding_unit == t["W"]
    recent = Subject.objects.get(cycle=cycle, member__card_number="39000002")
    assert (recent.step, recent.excluded_reason) == (Step.EXCLUDED, "admitted_under_6_months")
    assert set(Notice.objects.values_list("kind", "member__card_number")) == {
        (NoticeKind.JOINED, "39000001"),
        (NoticeKind.JOINED, "39000002"),
    }
    # Re-importing the same file enrols nobody twice.
    roster_import(actor=t["sam"], root=t["W"], filename="bo-sung.xlsx", data=data, as_of=ON)
    assert Subject.objects.filter(cycle=cycle, member__card_number="39000001").count() == 1
    assert Notice.objects.count() == 2


def test_a_transfer_by_import_moves_the_review(season):
    t, cycle = season, season["cycle"]
    member = t["c1"][4]
    member.full_name = "Hoàng Văn Chuyển"  # a roster refuses digits in a name
    member.save(update_fields=["full_name"])
    data = _roster(
        [[member.full_name, "01/01/1970", "Nam", member.card_number, "19/05/2000", "", "C2"]]
    )
    result = roster_import(actor=t["sam"], root=t["W"], filename="chuyen.xlsx", data=data, as_of=ON)
    assert result.transferred == 1, result.problems
    assert _member_subject(cycle, member).unit == t["C2"]
    assert Notice.objects.get().kind == NoticeKind.MOVED


def test_the_notices_are_listed_for_staff_by_the_command(season, capsys):
    t, cycle = season, season["cycle"]
    newcomer = make_member(t["far"], "Vũ Văn Đến", "59000001")
    member_transfer(actor=None, member=newcomer, to_cell=t["C2"], on=ON)
    with translation.override("vi"):
        call_command("cycle", "notices", str(cycle.pk))
    out = capsys.readouterr().out
    assert "15/10/2026 Vũ Văn Đến: Chuyển đến trong đợt" in out
    assert "Chi bộ Xa → Chi bộ Tổ 2" not in out  # he had no review in this cycle before
    assert "(— → Chi bộ Tổ 2)" in out


def test_merging_two_cells_moves_their_members_reviews_to_the_cell_they_merge_into(season):
    t, cycle = season, season["cycle"]
    unit_merge(actor=None, source=t["C2"], target=t["C1"], on=ON)
    moved = Subject.objects.filter(cycle=cycle, member__in=t["c2"], position=None)
    assert {s.unit_id for s in moved} == {t["C1"].pk}
    assert Notice.objects.filter(cycle=cycle, kind=NoticeKind.MOVED).count() == 5


def test_a_member_who_left_the_party_organization_leaves_the_open_cycle(season):
    t, cycle = season, season["cycle"]
    member = t["c1"][5]
    member.left_on = ON
    member.save(update_fields=["left_on"])
    counts = roster_changed(actor=None, member_ids=[member.pk], on=ON)
    assert counts["left"] == 1
    assert _member_subject(cycle, member) is None
