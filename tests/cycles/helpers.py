"""A small ward for cycle tests, with hand-countable subjects.

P  Đảng bộ tỉnh (provincial)                    paula: committee of P
└── W  Đảng bộ phường (commune/ward committee)   wendy: committee of W, sam: staff of W
    ├── C1 Chi bộ Tổ 1 (cell committee)          carol: secretary of C1 (also a member)
    │     6 members: carol (secretary), m2..m6
    └── C2 Chi bộ Tổ 2                           3 rated + 1 exempt + 1 admitted 3 months ago
"""

import datetime
from decimal import Decimal

from tests.conftest import make_member, make_user
from xeploai.accounts.models import Role
from xeploai.cycles.facts import subject_sheet
from xeploai.cycles.models import Subject
from xeploai.cycles.services.assessments import appraisal_record, self_assessment_save
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.org.models import MemberStatus, Position, PositionKind, StatusKind, UnitKind
from xeploai.org.services import unit_create
from xeploai.rules import load_regulation

START = datetime.date(2020, 1, 1)


def ward(members_c1=6, end=datetime.date(2026, 12, 31)):
    p = unit_create(
        actor=None,
        code="P",
        name="Đảng bộ tỉnh Thử",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        parent=None,
        on=START,
    )
    w = unit_create(
        actor=None,
        code="W",
        name="Đảng bộ phường Một",
        kind=UnitKind.PROVINCE_DIRECT_COMMITTEE,
        parent=p,
        on=START,
        org_type="ward",
    )
    c1 = unit_create(
        actor=None,
        code="C1",
        name="Chi bộ Tổ 1",
        kind=UnitKind.SUBORDINATE_CELL,
        parent=w,
        on=START,
        org_type="ward",
        has_cell_committee=True,
    )
    c2 = unit_create(
        actor=None,
        code="C2",
        name="Chi bộ Tổ 2",
        kind=UnitKind.SUBORDINATE_CELL,
        parent=w,
        on=START,
        org_type="ward",
    )
    c1_members = [make_member(c1, f"Nguyễn Văn Một {i}", f"1{i:07d}") for i in range(members_c1)]
    c2_members = [make_member(c2, f"Trần Thị Hai {i}", f"2{i:07d}") for i in range(5)]
    secretary = c1_members[0]
    Position.objects.create(
        member=secretary,
        kind=PositionKind.CELL_SECRETARY,
        unit=c1,
        is_leadership=True,
        valid_from=START,
    )
    MemberStatus.objects.create(member=c2_members[3], kind=StatusKind.EXEMPT, valid_from=START)
    recent = c2_members[4]
    recent.admitted_on = end - datetime.timedelta(days=90)
    recent.official_on = None
    recent.save()
    people = {
        "paula": make_user("paula", Role.COMMITTEE, p),
        "wendy": make_user("wendy", Role.COMMITTEE, w),
        "sam": make_user("sam", Role.ORGANIZATION_STAFF, w),
        "carol": make_user("carol", Role.CELL_SECRETARY, c1, member=secretary),
        "m2": make_user("m2", Role.MEMBER, c1, member=c1_members[1]),
    }
    return {"P": p, "W": w, "C1": c1, "C2": c2, "c1": c1_members, "c2": c2_members, **people}


def points(subject: Subject, general: str, tasks: str) -> dict[str, str]:
    """Put a group's points on its first item (no sub-weights are set centrally)."""
    sheet = subject_sheet(subject, load_regulation(subject.cycle.regulation))
    groups = {g.code: g for g in sheet.groups}
    return {groups["general"].items[0].code: general, groups["tasks"].items[0].code: tasks}


def self_rate(
    actor,
    subject: Subject,
    level: str,
    general="27",
    task_points="63",
    tasks=(10, 10, 10, 0, 3),
    submit=True,
    shortcomings="",
):
    subject.refresh_from_db()
    total, completed, on_time, late, exceeding = tasks
    scores = (
        points(subject, general, task_points)
        if subject_sheet(subject, load_regulation(subject.cycle.regulation))
        else {}
    )
    return self_assessment_save(
        actor=actor,
        subject=subject,
        version=subject.version,
        scores=scores,
        tasks={
            "total": total,
            "completed": completed,
            "on_time": on_time,
            "late": late,
            "exceeding": exceeding,
        },
        texts={"strengths": "Hoàn thành nhiệm vụ", "shortcomings": shortcomings},
        proposed_level=level,
        submit=submit,
    )


def appraise(
    actor, subject: Subject, level: str, reason: str = "", votes=None, grades=None, attendees=None
):
    """Record the meeting: by default one vote, for the proposed level, of one member present."""
    subject.refresh_from_db()
    votes = votes or {level: 1}
    return appraisal_record(
        actor=actor,
        subject=subject,
        version=subject.version,
        proposed_level=level,
        votes=votes,
        attendees=sum(votes.values()) if attendees is None else attendees,
        reason=reason,
        grades=grades,
    )


def D(value: str) -> Decimal:
    return Decimal(value)


def open_year(unit, year: int = 2026, actor=None):
    """The annual cycle "Năm <year>" opened at `unit`."""
    return cycle_open(
        actor=actor,
        unit=unit,
        name=f"Năm {year}",
        period_kind="year",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )
