"""The roster workbook's "Chức vụ" and "Kỷ luật" sheets: posts and discipline imported with the
members, all or nothing, with history kept, and reaching enrolment and the verdict."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tests.conftest import make_user
from tests.cycles.helpers import appraise, self_rate
from tests.org.test_import import HEADER, ROWS, TODAY
from xeploai.accounts.models import Role
from xeploai.audit.models import Event
from xeploai.cycles.models import Subject
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.org.models import (
    Discipline,
    DisciplineForm,
    ManagingLevel,
    Member,
    Membership,
    MemberStatus,
    Position,
    PositionKind,
)
from xeploai.org.roster.extracolumns import DISCIPLINE_COLUMNS, POST_COLUMNS
from xeploai.org.roster.importer import roster_import
from xeploai.org.roster.template import roster_template
from xeploai.rules import SubjectKind

POST_HEADER = [
    "Số thẻ đảng viên",
    "Họ và tên",
    "Chức vụ",
    "Chức danh",
    "Đơn vị",
    "Lãnh đạo, quản lý",
    "Cấp quản lý cán bộ",
    "Từ ngày",
    "Đến ngày",
]
POSTS = [
    ["79000001", "Nguyễn Văn An", "Bí thư", "", "A1", "", "Đảng ủy cơ sở", "01/01/2024", ""],
    ["79000002", "Trần Thị Bích", "Phó Bí thư chi bộ", "", "A2", "Có", "", "01/06/2023", ""],
    [
        "79000003",
        "Lê Văn Cường",
        "Người đứng đầu",
        "Chủ tịch UBND xã",
        "A",
        "Có",
        "Cấp ủy cấp trên trực tiếp của cơ sở",
        "01/03/2021",
        "31/12/2025",
    ],
]
DISCIPLINE_HEADER = [
    "Số thẻ đảng viên",
    "Họ và tên",
    "Hình thức kỷ luật",
    "Ngày vi phạm",
    "Ngày quyết định",
    "Nơi vi phạm",
    "Liên quan công vụ",
    "Ghi chú",
]
DISCIPLINES = [
    ["79000002", "Trần Thị Bích", "Khiển trách", "01/03/2026", "15/04/2026", "A2", "Có", "QĐ 12"],
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workbook(members=ROWS, posts=POSTS, disciplines=DISCIPLINES, post_header=POST_HEADER):
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    for row in [HEADER, *members] if members is not None else []:
        ws.append(row)
    if posts is not None:
        sheet = wb.create_sheet("Chức vụ")
        for row in [post_header, *posts]:
            sheet.append(row)
    if disciplines is not None:
        sheet = wb.create_sheet("Kỷ luật")
        for row in [DISCIPLINE_HEADER, *disciplines]:
            sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run(tree, data, actor=None, as_of=TODAY, root="A"):
    return roster_import(
        actor=actor, root=tree[root], filename="danh-sach.xlsx", data=data, as_of=as_of
    )


def snapshot():
    return (
        list(Member.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(MemberStatus.objects.order_by("pk").values()),
        list(Position.objects.order_by("pk").values()),
        list(Discipline.objects.order_by("pk").values()),
        Event.objects.count(),
    )


def test_it_imports_posts_and_discipline_with_the_members(tree):
    result = run(tree, workbook())
    assert result.ok, result.problems
    assert (result.created, result.posts_created, result.disciplines_created) == (3, 3, 1)
    an = Position.objects.get(member__card_number="79000001")
    # "Bí thư" alone in a cell is the cell's secretary, a leadership post by default.
    assert (an.kind, an.unit, an.is_leadership) == (PositionKind.CELL_SECRETARY, tree["A1"], True)
    assert an.managing_level == ManagingLevel.GRASSROOTS and an.valid_to is None
    head = Position.objects.get(member__card_number="79000003")
    assert (head.kind, head.title, head.valid_to) == (
        PositionKind.HEAD,
        "Chủ tịch UBND xã",
        datetime.date(2025, 12, 31),
    )
    record = Discipline.objects.get()
    assert (record.form, record.unit_of_act, record.duty_related, record.note) == (
        DisciplineForm.REPRIMAND,
        tree["A2"],
        True,
        "QĐ 12",
    )
    event = Event.objects.get(action="roster.import")
    assert event.after["posts_created"] == 3 and event.after["disciplines_created"] == 1


def test_it_changes_nothing_when_the_same_workbook_is_imported_again(tree):
    data = workbook()
    run(tree, data)
    before = snapshot()
    result = run(tree, data)
    assert result.ok and not result.changed
    assert snapshot() == before


def test_it_ends_a_post_and_keeps_it_in_the_history(tree):
    run(tree, workbook())
    posts = [list(p) for p in POSTS]
    posts[0][8] = "30/06/2026"  # An stops being secretary
    posts.append(["79000002", "", "Bí thư", "", "A1", "", "", "01/07/2026", ""])
    result = run(tree, workbook(posts=posts, disciplines=None))
    assert result.ok, result.problems
    assert (result.posts_ended, result.posts_created, result.unchanged) == (1, 1, 3)
    history = list(
        Position.objects.filter(unit=tree["A1"])
        .order_by("valid_from")
        .values_list("member__card_number", "valid_from", "valid_to")
    )
    assert history == [
        ("79000001", datetime.date(2024, 1, 1), datetime.date(2026, 6, 30)),
        ("79000002", datetime.date(2026, 7, 1), None),
    ]
    # One secretary at a time: a third one while the second's post is open is refused.
    before = snapshot()
    third = [["79000003", "", "Bí thư chi bộ", "", "A1", "", "", "01/08/2026", ""]]
    problems = run(tree, workbook(members=[], posts=third, disciplines=None)).problems
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "C (Chức vụ)", "Cell secretary")]
    assert "01/07/2026" in problems[0].reason and "Trần Thị Bích" not in problems[0].reason
    assert snapshot() == before
    # A later roster that forgot the end date does not reopen the post.
    before = snapshot()
    problems = run(tree, workbook(disciplines=None)).problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Chức vụ", 2, "I (Đến ngày)")]
    assert "30/06/2026" in problems[0].reason
    assert snapshot() == before


def test_it_takes_posts_of_members_already_in_the_unit_without_the_members_sheet(people, tree):
    data = workbook(
        members=[],
        posts=[["10000002", "Trần Thị Cúc", "Bí thư chi bộ", "", "A1", "", "", "01/01/2025", ""]],
        disciplines=None,
    )
    result = run(tree, data, actor=people["alice"])
    assert result.ok, result.problems
    assert Position.objects.get().member == people["carol_member"]


def test_it_tells_nothing_about_members_outside_the_importers_reach(people, tree):
    """A number of another province's member gets the answer an unknown number gets."""
    answers = []
    for card in ("20000001", "29999999"):
        posts = [[card, "", "Bí thư chi bộ", "", "A1", "", "", "01/01/2025", ""]]
        discipline = [[card, "", "Cảnh cáo", "01/01/2026", "01/02/2026", "A1", "Không", ""]]
        before = snapshot()
        result = run(tree, workbook(posts=posts, disciplines=discipline), actor=people["alice"])
        assert snapshot() == before
        answers.append([(p.sheet, p.row, p.column, p.reason) for p in result.problems])
        assert all("Én" not in p.reason for p in result.problems)
    assert answers[0] == answers[1] and len(answers[0]) == 2
    # Nor may a post be placed in a unit outside the subtree imported into.
    posts = [["79000001", "", "Bí thư chi bộ", "", "B1", "", "", "01/01/2025", ""]]
    problems = run(tree, workbook(posts=posts, disciplines=None), actor=people["alice"]).problems
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "E (Đơn vị)", "B1")]


def assert_untouched(tree, data):
    run(tree, workbook(posts=None, disciplines=None))
    before = snapshot()
    result = run(tree, data)
    assert not result.ok
    assert snapshot() == before
    return [(p.sheet, p.row, p.column, p.value) for p in result.problems], result.problems


def test_it_reports_every_bad_cell_of_the_posts_sheet_and_writes_nothing(tree):
    posts = [list(p) for p in POSTS]
    posts[0][2] = "Trưởng thôn nhiệm kỳ"  # unknown post
    posts[1][4] = "Z9"  # unknown unit
    posts[2][5] = "Có lẽ"  # not yes/no
    posts[2][6] = "Bộ Quốc phòng"  # unknown managing level
    posts[2][7] = "31/02/2021"
    posts.append(["79000001", "", "Bí thư đảng ủy", "", "A1", "", "", "01/01/2020", "01/01/2019"])
    posts.append(["79000001", "", "Bí thư chi bộ", "", "A", "", "", "01/01/1980", ""])
    posts.append(["79000003", "Người Khác Hẳn", "Cấp ủy viên", "", "A", "", "", "01/01/2020", ""])
    posts.append(["79000001", "", "Cấp ủy viên", "", "A", "", "", "01/01/2021", ""])
    posts.append(["79000001", "", "Cấp ủy viên", "", "A", "", "", "01/01/2021", ""])
    where, problems = assert_untouched(tree, workbook(posts=posts))
    assert where == [
        ("Chức vụ", 2, "C (Chức vụ)", "Trưởng thôn nhiệm kỳ"),
        ("Chức vụ", 3, "E (Đơn vị)", "Z9"),
        ("Chức vụ", 4, "F (Lãnh đạo, quản lý)", "Có lẽ"),
        ("Chức vụ", 4, "G (Cấp quản lý cán bộ)", "Bộ Quốc phòng"),
        ("Chức vụ", 4, "H (Từ ngày)", "31/02/2021"),
        ("Chức vụ", 5, "C (Chức vụ)", "Bí thư đảng ủy"),
        ("Chức vụ", 5, "I (Đến ngày)", "01/01/2019"),
        ("Chức vụ", 6, "C (Chức vụ)", "Bí thư chi bộ"),
        ("Chức vụ", 6, "H (Từ ngày)", "01/01/1980"),
        ("Chức vụ", 7, "B (Họ và tên)", "Người Khác Hẳn"),
        ("Chức vụ", 9, "C (Chức vụ)", "Cấp ủy viên"),
    ]
    reasons = [p.reason for p in problems]
    assert "is a party cell" in reasons[5] and "not a party cell" in reasons[7]
    assert "19/05/1990" in reasons[8] and "Lê Văn Cường" in reasons[9]
    assert "row 8" in reasons[10]


def test_it_refuses_two_secretaries_of_one_cell_over_the_same_days(tree):
    posts = [
        ["79000001", "", "Bí thư", "", "A1", "", "", "01/01/2024", ""],
        ["79000003", "", "Bí thư", "", "A1", "", "", "01/01/2025", "31/12/2025"],
        ["79000002", "", "Bí thư", "", "A", "", "", "01/01/2024", "31/12/2024"],
        ["79000003", "", "Bí thư", "", "A", "", "", "01/01/2025", ""],
    ]
    where, problems = assert_untouched(tree, workbook(posts=posts, disciplines=None))
    assert where == [("Chức vụ", 3, "C (Chức vụ)", "Cell secretary")]
    assert "row 2" in problems[0].reason


def test_it_reports_every_bad_cell_of_the_discipline_sheet_and_writes_nothing(tree):
    rows = [
        ["79000001", "", "Phê bình", "01/03/2026", "15/04/2026", "A1", "Có", ""],
        ["79000001", "", "Cảnh cáo", "01/03/2026", "15/02/2026", "A1", "Có", ""],
        ["79000001", "", "Cảnh cáo", "01/03/2026", "15/04/2099", "Nơi Không Có", "", ""],
        ["", "", "Khiển trách", "01/03/2026", "15/04/2026", "A1", "Không", ""],
        [*DISCIPLINES[0][:7], "x" * 501],
    ]
    where, problems = assert_untouched(tree, workbook(disciplines=rows))
    assert where == [
        ("Kỷ luật", 2, "C (Hình thức kỷ luật)", "Phê bình"),
        ("Kỷ luật", 3, "E (Ngày quyết định)", "15/02/2026"),
        ("Kỷ luật", 4, "E (Ngày quyết định)", "15/04/2099"),
        ("Kỷ luật", 4, "F (Nơi vi phạm)", "Nơi Không Có"),
        ("Kỷ luật", 4, "G (Liên quan công vụ)", ""),
        ("Kỷ luật", 5, "A (Số thẻ đảng viên)", ""),
        ("Kỷ luật", 6, "H (Ghi chú)", "x" * 40 + "…"),
    ]
    assert "future" in problems[2].reason and "empty" in problems[4].reason


def test_it_reports_missing_columns_and_formulas_in_the_new_sheets(tree):
    header = [h for h in POST_HEADER if h != "Từ ngày"]
    posts = [[c for i, c in enumerate(p) if i != 7] for p in POSTS]
    where, _problems = assert_untouched(tree, workbook(posts=posts, post_header=header))
    assert where == [("Chức vụ", 1, "Từ ngày", "")]
    rows = [list(DISCIPLINES[0])]
    rows[0][3] = "=TODAY()"
    where, problems = assert_untouched(tree, workbook(posts=None, disciplines=rows))
    assert where == [("Kỷ luật", 2, "D (Ngày vi phạm)", "=TODAY()")]
    assert "formula" in problems[0].reason


def test_it_reports_problems_of_the_new_sheets_in_vietnamese(tree):
    rows = [list(DISCIPLINES[0])]
    rows[0][2] = "Nhắc nhở"
    with translation.override("vi"):
        problems = run(tree, workbook(disciplines=rows)).problems
    assert problems[0].reason == "Hãy viết Khiển trách, Cảnh cáo, Cách chức hoặc Khai trừ."


def test_it_serves_a_template_with_the_posts_and_discipline_sheets(tree):
    wb = load_workbook(io.BytesIO(roster_template()))
    assert wb.sheetnames[:3] == ["Danh sách", "Chức vụ", "Kỷ luật"]
    assert [c.value for c in wb["Chức vụ"][1]] == [c.header for c in POST_COLUMNS]
    assert [c.value for c in wb["Kỷ luật"][1]] == [c.header for c in DISCIPLINE_COLUMNS]
    documented = {row[0].value for row in wb.worksheets[-1].iter_rows()}
    assert {"Chức vụ", "Từ ngày", "Hình thức kỷ luật", "Nơi vi phạm"} <= documented
    # The template as it comes holds no rows: it is refused, with the reason.
    problems = run(tree, roster_template()).problems
    assert [p.reason for p in problems] == ["The file has a header but no member rows."]


def test_imported_posts_enrol_leaders_and_imported_discipline_reaches_the_verdict(tree):
    """Through the real path: a workbook imported, a cycle opened, self-reviews, appraisals."""
    dung = ["Phạm Thị Dung", "01/01/1980", "Nữ", "79000004", "01/01/2010", "01/01/2011", "A2", ""]
    discipline = [list(DISCIPLINES[0])]
    discipline[0][:2] = ["79000003", "Lê Văn Cường"]
    result = run(
        tree,
        workbook(members=[*ROWS, dung], disciplines=discipline),
        as_of=datetime.date(2026, 5, 1),
    )
    assert result.ok, result.problems
    staff = make_user("olga", Role.ORGANIZATION_STAFF, tree["P"])
    cycle = cycle_open(
        actor=None,
        unit=tree["P"],
        name="Năm 2026",
        period_kind="year",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    subjects = Subject.objects.filter(cycle=cycle).select_related("member", "position")
    an = [s for s in subjects if s.member_id and s.member.card_number == "79000001"]
    assert {(s.kind, s.position.kind if s.position else None) for s in an} == {
        (SubjectKind.LEADER, None),
        (SubjectKind.LEADER, PositionKind.CELL_SECRETARY),
    }
    # Cường's post ended in 2025: he is reviewed as a plain member.
    cuong = [s for s in subjects if s.member_id and s.member.card_number == "79000003"]
    assert [s.kind for s in cuong] == [SubjectKind.MEMBER]

    def verdict(subject):
        self_rate(staff, subject, "good", "25", "58")
        appraise(staff, subject, "good")
        subject.refresh_from_db()
        return subject.appraisal.verdict

    plain = verdict(next(s for s in subjects if s.member_id and s.member.card_number == "79000004"))
    assert plain["level"] == "good", plain
    judged = verdict(cuong[0])
    assert judged["level"] == "not_complete", judged
    assert any("kỷ luật" in r["vi"] for r in judged["reasons"])


def test_the_members_page_shows_imported_posts_and_discipline_in_vietnamese(client, people, tree):
    discipline = [list(DISCIPLINES[0])]
    discipline[0][6] = "Không"
    assert run(tree, workbook(disciplines=discipline), actor=people["alice"]).ok
    client.force_login(people["alice"])
    bich = Member.objects.get(card_number="79000002")
    with translation.override("vi"):
        html = client.get(f"/members/{bich.pk}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Phó Bí thư chi bộ" in html and "01/06/2023" in html
    assert "chức vụ lãnh đạo, quản lý" in html.lower()
    assert "Khiển trách" in html and "15/04/2026" in html and "QĐ 12" in html
    assert "không liên quan thực thi công vụ" in html
    cuong = Member.objects.get(card_number="79000003")
    html = client.get(f"/members/{cuong.pk}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Chủ tịch UBND xã" in html and "31/12/2025" in html
    assert "Cấp ủy cấp trên trực tiếp của cơ sở" in html
    assert "direct_higher" not in html


def test_the_place_of_a_violation_may_be_a_unit_elsewhere_named_by_its_code(tree):
    """A member may have erred in an earlier cell of another commune: its code names it."""
    rows = [list(DISCIPLINES[0]), list(DISCIPLINES[0])]
    rows[0][5] = "b1"
    rows[1][2], rows[1][5] = "Cảnh cáo", "Chi bộ Thôn 1"  # by name: only in the subtree
    assert run(tree, workbook(disciplines=rows)).ok
    places = dict(Discipline.objects.values_list("form", "unit_of_act__code"))
    assert places == {DisciplineForm.REPRIMAND: "B1", DisciplineForm.WARNING: "A1"}
