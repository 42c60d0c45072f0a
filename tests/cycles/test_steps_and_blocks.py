import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from tests.cycles.helpers import appraise, self_rate, ward
from xeploai.audit.models import Event
from xeploai.cycles.facts import earlier_items
from xeploai.cycles.models import Decision, OpinionSource, RemediationItem, Subject
from xeploai.cycles.selectors import subject_history
from xeploai.cycles.services.assessments import opinion_add, self_assessment_save
from xeploai.cycles.services.decisions import (
    DecisionBlocked,
    PaperRecord,
    case_close,
    case_open,
    decision_rerate,
    decisions_take,
)
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.errors import AppError
from xeploai.org.models import Discipline, MemberStatus, StatusKind

END = datetime.date(2026, 12, 31)


def open_year(t, year=2026):
    return cycle_open(
        actor=None,
        unit=t["P"],
        name=f"Năm {year}",
        period_kind="year",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )


def subject_of(cycle, member):
    return Subject.objects.get(cycle=cycle, member=member, position__isnull=True)


@pytest.fixture
def one(db):
    """A ward, its 2026 cycle, and one plain member of C2 through steps 1 and 2 at Good."""
    t = ward()
    cycle = open_year(t)
    s = subject_of(cycle, t["c2"][0])
    self_rate(t["sam"], s, "good", "25", "58", shortcomings="Chưa đóng đảng phí đúng hạn")
    appraise(t["sam"], s, "good")
    s.refresh_from_db()
    return t, cycle, s


def blocks(actor, cycle, choices):
    with pytest.raises(DecisionBlocked) as caught:
        decisions_take(actor=actor, cycle=cycle, choices=choices)
    assert not Decision.objects.filter(subject_id__in=choices).exists()
    return {b.code: b.message for b in caught.value.blocks}


def test_it_blocks_a_decision_while_a_complaint_is_open(one):
    t, cycle, s = one
    case = case_open(actor=t["wendy"], subject=s, kind="complaint", opened_on=END, note="Đơn thư")
    assert "case" in blocks(t["wendy"], cycle, {s.pk: "good"})
    case_close(actor=t["wendy"], case=case, closed_on=END, conclusion="Không có cơ sở")
    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})


def test_it_blocks_until_the_temporary_cell_has_commented(one):
    t, cycle, s = one
    MemberStatus.objects.create(
        member=s.member,
        kind=StatusKind.TEMPORARY_ACTIVITY,
        unit=t["C1"],
        valid_from=datetime.date(2026, 3, 1),
    )
    assert "opinion" in blocks(t["wendy"], cycle, {s.pk: "good"})
    opinion_add(
        actor=t["sam"],
        subject=s,
        source=OpinionSource.TEMPORARY_CELL,
        author="Chi bộ Tổ 1",
        text="Sinh hoạt đầy đủ",
        received_on=END,
    )
    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})


def test_it_blocks_a_level_above_what_the_rules_allow(one):
    t, cycle, s = one
    with translation.override("vi"):
        message = blocks(t["wendy"], cycle, {s.pk: "excellent"})["rule"]
    assert "cao nhất chỉ được" in message and "at most" not in message
    with translation.override("en"):
        message = blocks(t["wendy"], cycle, {s.pk: "excellent"})["rule"]
    assert "at most" in message and "cao nhất" not in message


def test_it_blocks_a_decision_before_the_appraisal(one):
    t, cycle, _s = one
    fresh = subject_of(cycle, t["c2"][1])
    assert "steps" in blocks(t["wendy"], cycle, {fresh.pk: "good"})


def test_it_lets_only_the_competent_level_decide(one):
    t, cycle, s = one
    assert "access" in blocks(t["sam"], cycle, {s.pk: "good"})  # staff propose, not decide
    assert "access" in blocks(t["paula"], cycle, {s.pk: "good"})  # W decides its members


def test_it_records_a_paper_decision_with_its_document(one):
    t, cycle, s = one
    paper = PaperRecord("125-QĐ/ĐU", datetime.date(2026, 12, 20), "Nguyễn Văn Bí Thư")
    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"}, paper=paper)
    decision = Decision.objects.get(subject=s)
    assert (decision.on_paper, decision.document_number, decision.signer) == (
        True,
        "125-QĐ/ĐU",
        "Nguyễn Văn Bí Thư",
    )
    assert decision.document_date == datetime.date(2026, 12, 20)


def test_it_re_rates_a_decided_result_only_with_a_reason(one):
    t, cycle, s = one
    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})
    s.refresh_from_db()
    with pytest.raises(AppError):
        decision_rerate(actor=t["wendy"], subject=s, level="complete", reason=" ")
    with pytest.raises(AppError):  # the rules do not allow Excellent on these facts
        decision_rerate(actor=t["wendy"], subject=s, level="excellent", reason="Xem lại")
    with pytest.raises(PermissionDenied):
        decision_rerate(actor=t["sam"], subject=s, level="complete", reason="Xem lại")
    Discipline.objects.create(
        member=s.member,
        form="reprimand",
        violation_on=datetime.date(2026, 6, 1),
        decided_on=datetime.date(2027, 1, 10),
        unit_of_act=t["C2"],
    )
    new = decision_rerate(
        actor=t["wendy"], subject=s, level="complete", reason="Phát hiện vi phạm sau khi xếp loại"
    )
    s.refresh_from_db()
    assert s.decided_level == "complete" and new.replaces.level == "good"
    assert "decision.rerate" in [e.action for e in subject_history(s)]


def test_it_refuses_the_second_of_two_concurrent_saves(one):
    t, cycle, _s = one
    s = subject_of(cycle, t["c2"][1])
    seen_by_sam = s.version
    seen_by_carol = s.version
    self_assessment_save(
        actor=t["sam"],
        subject=s,
        version=seen_by_sam,
        scores={},
        texts={"strengths": "Bản của Sam"},
    )
    for language, expected in (("vi", "người khác"), ("en", "Someone else saved")):
        with translation.override(language), pytest.raises(AppError) as error:
            self_assessment_save(
                actor=t["sam"],
                subject=s,
                version=seen_by_carol,
                scores={},
                texts={"strengths": "Bản thứ hai"},
            )
        assert expected in error.value.message
    assert s.self_assessment.strengths == "Bản của Sam"


def test_it_records_who_entered_on_behalf_of_a_member(db):
    t = ward()
    cycle = open_year(t)
    s = subject_of(cycle, t["c1"][1])
    assert self_rate(t["carol"], s, "good", "25", "58").on_behalf is True
    s = subject_of(cycle, t["c1"][1])
    assessment = self_rate(t["m2"], s, "good", "25", "58")
    assert assessment.on_behalf is False and assessment.entered_by == t["m2"]
    with pytest.raises(PermissionDenied):  # a member cannot fill someone else's
        self_rate(t["m2"], subject_of(cycle, t["c1"][2]), "good")


def test_it_asks_for_a_reason_when_the_proposal_differs(one):
    t, cycle, _s = one
    s = subject_of(cycle, t["c2"][1])
    self_rate(t["sam"], s, "good", "25", "58")
    with pytest.raises(AppError):
        appraise(t["sam"], s, "complete")
    appraise(t["sam"], s, "complete", reason="Còn để xảy ra chậm trễ")


def test_it_carries_shortcomings_into_the_next_years_self_assessment(one):
    t, cycle, s = one
    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})
    item = RemediationItem.objects.get(member=s.member)
    assert item.text == "Chưa đóng đảng phí đúng hạn"
    next_cycle = open_year(t, 2027)
    next_subject = subject_of(next_cycle, s.member)
    assert list(earlier_items(next_subject)) == [item]
    with pytest.raises(AppError):  # submitting needs a status for every earlier shortcoming
        self_rate(t["sam"], next_subject, "good", "25", "58")
    next_subject.refresh_from_db()
    self_assessment_save(
        actor=t["sam"],
        subject=next_subject,
        version=next_subject.version,
        scores={},
        proposed_level="good",
        remediation={item.pk: "fixed"},
        submit=True,
    )
    item.refresh_from_db()
    assert item.status == "fixed"


def test_it_keeps_an_audit_trail_of_every_step(one):
    t, cycle, s = one
    decisions_take(actor=t["wendy"], cycle=cycle, choices={s.pk: "good"})
    actions = [(e.action, e.actor and e.actor.username) for e in subject_history(s)]
    assert actions == [
        ("assessment.submit", "sam"),
        ("appraisal.record", "sam"),
        ("decision.take", "wendy"),
    ]
    assert Event.objects.filter(action="cycle.open", target_id=cycle.pk).exists()


def test_it_lets_the_competent_level_raise_the_cap_for_an_outstanding_unit(db):
    """2 Excellent and 8 Good in the ward's member pool: 20 % × 8 = 1.6 → 1, blocked;
    once the ward is recorded outstanding, 25 % × 8 = 2 (R25)."""
    from xeploai.cycles.services.decisions import cap_exception_record

    t = ward(members_c1=10)
    cycle = open_year(t)
    members = [subject_of(cycle, m) for m in t["c1"][1:]]  # 9 plain members of C1
    for s in members[:2]:
        self_rate(t["sam"], s, "excellent", "29", "66", tasks=(10, 10, 10, 0, 5))
        appraise(t["sam"], s, "excellent")
    for s in members[2:]:
        self_rate(t["sam"], s, "good", "25", "58")
        appraise(t["sam"], s, "good")
    others = [subject_of(cycle, m) for m in t["c2"][:1]]
    for s in others:
        self_rate(t["sam"], s, "good", "25", "58")
        appraise(t["sam"], s, "good")
    choices = {s.pk: s.proposed_level for s in members[:2]}
    pool = members[0].pool
    assert "cap" in blocks(t["wendy"], cycle, choices)
    with pytest.raises(PermissionDenied):
        cap_exception_record(actor=t["sam"], cycle=cycle, pool=pool, reason="Nổi trội")
    cap_exception_record(
        actor=t["wendy"], cycle=cycle, pool=pool, reason="Đơn vị vượt kế hoạch, chuyển biến rõ nét"
    )
    decisions_take(actor=t["wendy"], cycle=cycle, choices=choices)


def test_it_attaches_the_plan_to_the_cycle(db):
    from django.core.files.base import ContentFile

    from xeploai.cycles.services.lifecycle import cycle_document_add

    t = ward()
    cycle = open_year(t)
    document = cycle_document_add(
        actor=None,
        cycle=cycle,
        title="Kế hoạch kiểm điểm năm 2026",
        number="07-KH/ĐU",
        issued_on=datetime.date(2026, 11, 18),
        file=ContentFile(b"%PDF-1.4 ...", name="ke-hoach.pdf"),
    )
    assert document.file.read().startswith(b"%PDF")
    assert cycle.documents.get().number == "07-KH/ĐU"
