import datetime
import io
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from xeploai.audit.models import Event
from xeploai.org.models import Member, Membership, MemberStatus, StatusKind
from xeploai.org.roster.importer import roster_import
from xeploai.org.roster.template import roster_template

TODAY = datetime.date(2026, 11, 20)
HEADER = [
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số thẻ đảng viên",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Chi bộ",
    "Đảng bộ",
]
ROWS = [
    ["Nguyễn Văn An", "05/03/1962", "Nam", "79000001", "19/05/1990", "19/05/1991", "A1", ""],
    [
        "Trần Thị Bích",
        "1975-12-01",
        "Nữ",
        "79000002",
        "02/09/2000",
        "02/09/2001",
        "Chi bộ Thôn 2",
        "Đảng bộ xã An Phú",
    ],
    ["Lê Văn Cường", "12/12/1988", "nam", "79000003", "03/02/2015", "", "A2", ""],
]


@pytest.fixture(autouse=True)
def english():
    """Assertions below read the English messages; one test checks the Vietnamese default."""
    with translation.override("en"):
        yield


def xlsx(rows, header=HEADER, title_rows=0, sheet="Danh sách"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for i in range(title_rows):
        ws.append([f"DANH SÁCH ĐẢNG VIÊN {i}"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run(tree, data, filename="danh-sach.xlsx", actor=None, as_of=TODAY, root="A"):
    return roster_import(actor=actor, root=tree[root], filename=filename, data=data, as_of=as_of)


def snapshot():
    return (
        Member.objects.count(),
        Membership.objects.count(),
        MemberStatus.objects.count(),
        Event.objects.count(),
        list(Member.objects.order_by("pk").values()),
    )


def test_it_imports_a_roster_with_a_title_block_and_accented_headers(tree):
    result = run(tree, xlsx(ROWS, title_rows=2))
    assert result.ok, result.problems
    assert (result.created, result.rows) == (3, 3)
    an = Member.objects.get(card_number="79000001")
    assert an.cell == tree["A1"] and an.date_of_birth == datetime.date(1962, 3, 5)
    assert Member.objects.get(card_number="79000002").cell == tree["A2"]
    assert Member.objects.get(card_number="79000003").official_on is None
    assert Event.objects.filter(action="roster.import").count() == 1


def test_it_accepts_header_variants_and_csv(tree):
    text = (
        "Họ tên;Sinh ngày;Nam/Nữ;Số thẻ ĐV;Ngày kết nạp;Ngày chuyển chính thức;Mã chi bộ\n"
        "Phạm Thị Dung;01/01/1980;Nữ;79000010;01/01/2010;01/01/2011;A1\n"
    )
    result = run(tree, text.encode("utf-8-sig"), "ds.csv")
    assert result.ok, result.problems
    assert Member.objects.get(card_number="79000010").full_name == "Phạm Thị Dung"


def test_it_changes_nothing_when_the_same_file_is_imported_again(tree):
    data = xlsx(ROWS)
    run(tree, data)
    before = snapshot()
    result = run(tree, data)
    assert result.ok and not result.changed
    assert result.unchanged == 3
    assert snapshot() == before


def test_it_records_transfers_and_status_changes_from_an_updated_roster(tree):
    header = [*HEADER, "Tình trạng"]
    run(tree, xlsx([[*r, ""] for r in ROWS], header=header), as_of=datetime.date(2026, 1, 1))
    updated = [[*r, ""] for r in ROWS]
    updated[0][6] = "A2"  # An moves to cell A2
    updated[1][8] = "Miễn công tác và sinh hoạt đảng"
    result = run(tree, xlsx(updated, header=header))
    assert result.ok, result.problems
    assert (result.transferred, result.status_changes, result.unchanged) == (1, 1, 1)
    an = Member.objects.get(card_number="79000001")
    assert an.cell == tree["A2"]
    history = list(an.memberships.order_by("valid_from").values_list("cell__code", "valid_to"))
    assert history == [("A1", TODAY - datetime.timedelta(days=1)), ("A2", None)]
    exempt = MemberStatus.objects.get(member__card_number="79000002")
    assert (exempt.kind, exempt.valid_from, exempt.valid_to) == (StatusKind.EXEMPT, TODAY, None)
    # The exemption ends when a later roster says the member is active again.
    updated[1][8] = "Đang sinh hoạt"
    later = datetime.date(2026, 11, 21)
    run(tree, xlsx(updated, header=header), as_of=later)
    exempt.refresh_from_db()
    assert exempt.valid_to == datetime.date(2026, 11, 20)


def assert_untouched(tree, data, filename="danh-sach.xlsx", **kw):
    run(tree, xlsx(ROWS[:1]))
    before = snapshot()
    result = run(tree, data, filename, **kw)
    assert not result.ok
    assert snapshot() == before
    return result.problems


def test_it_reports_a_missing_column_and_writes_nothing(tree):
    header = [h for h in HEADER if h != "Ngày sinh"]
    problems = assert_untouched(tree, xlsx([r[:1] + r[2:] for r in ROWS], header=header))
    assert len(problems) == 1
    assert problems[0].row == 1 and "Ngày sinh" in problems[0].reason


def test_it_reports_every_bad_date_with_row_column_and_value(tree):
    rows = [list(r) for r in ROWS]
    rows[1][1] = "31/02/1975"
    rows[2][4] = "hôm qua"
    problems = assert_untouched(tree, xlsx(rows))
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "B (Ngày sinh)", "31/02/1975"),
        (4, "E (Ngày vào Đảng)", "hôm qua"),
    ]
    assert all(p.sheet == "Danh sách" and "dd/mm/yyyy" in p.reason for p in problems)


def test_it_reports_a_duplicate_card_number(tree):
    rows = [list(r) for r in ROWS]
    rows[2][3] = rows[0][3]
    problems = assert_untouched(tree, xlsx(rows))
    assert [(p.row, p.value) for p in problems] == [(4, "79000001")]
    assert "2" in problems[0].reason  # names the other row


def test_it_reports_an_unknown_cell(tree):
    rows = [list(r) for r in ROWS]
    rows[0][6] = "Chi bộ Không Có"
    problems = assert_untouched(tree, xlsx(rows))
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "G (Chi bộ)", "Chi bộ Không Có")]


def test_it_refuses_a_cell_of_another_subtree(tree):
    rows = [list(r) for r in ROWS]
    rows[0][6] = "B1"
    problems = assert_untouched(tree, xlsx(rows))
    assert problems[0].row == 2


def test_it_reports_an_empty_file(tree):
    assert "empty" in assert_untouched(tree, b"", "ds.xlsx")[0].reason
    assert "empty" in assert_untouched(tree, b"", "ds.csv")[0].reason
    problems = assert_untouched(tree, xlsx([]))
    assert "no member rows" in problems[0].reason


def test_it_reports_a_wrong_file_type(tree):
    problems = assert_untouched(tree, b"%PDF-1.4", "danh-sach.pdf")
    assert ".xlsx" in problems[0].reason and problems[0].sheet == "danh-sach.pdf"


def test_it_reports_a_corrupt_workbook(tree):
    good = xlsx(ROWS)
    assert "damaged" in assert_untouched(tree, good[: len(good) // 2])[0].reason
    assert "damaged" in assert_untouched(tree, b"not a zip at all")[0].reason
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("xl/workbook.xml", "<nonsense")
    assert "damaged" in assert_untouched(tree, broken.getvalue())[0].reason


def test_it_refuses_formula_cells(tree):
    rows = [list(r) for r in ROWS]
    rows[1][3] = "=D2+1"
    problems = assert_untouched(tree, xlsx(rows))
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "D (Số thẻ đảng viên)", "=D2+1")]
    assert "formula" in problems[0].reason


def test_it_reports_problems_in_vietnamese_by_default(tree):
    rows = [list(r) for r in ROWS]
    rows[0][1] = "xx"
    with translation.override("vi"):
        problems = run(tree, xlsx(rows)).problems
    assert problems[0].reason == "Không phải ngày; hãy viết theo dạng dd/mm/yyyy."


def test_it_refuses_members_outside_the_importers_subtree(people, tree):
    rows = [["Lê Thị Én", "01/01/1970", "Nữ", "20000001", "19/05/2000", "19/05/2001", "A1", ""]]
    problems = assert_untouched(tree, xlsx(rows), actor=people["alice"])
    assert "whose record you may not change" in problems[0].reason


def _reasons(problems) -> str:
    return " | ".join(f"{p.column} {p.value} {p.reason}" for p in problems)


def test_it_tells_nothing_about_members_of_another_province(people, tree):
    """A card number or national ID held in another unit gets the same answer whether the
    row's name and birth date are right, wrong or random, and never a name or a date."""
    erin = people["erin_member"]
    erin.national_id = "079170000001"
    erin.save()
    guesses = {
        "right name and birth date": ["Lê Thị Én", "01/01/1970", "Nữ", "20000001"],
        "wrong name": ["Trần Văn Lạ", "02/02/1980", "Nam", "20000001"],
        "unknown number": ["Trần Văn Lạ", "02/02/1980", "Nam", "29999999"],
    }
    answers = {}
    for label, guess in guesses.items():
        row = [*guess, "19/05/2000", "19/05/2001", "A1", ""]
        result = run(tree, xlsx([row]), actor=people["alice"])
        answers[label] = _reasons(result.problems)
        assert "Én" not in answers[label] and "1970" not in answers[label], label
    assert answers["right name and birth date"] == answers["wrong name"]
    # The unknown number is a new member of the importer's own cell: imported.
    assert answers["unknown number"] == ""
    by_id = ["Ai Đó", "01/01/1970", "Nữ", "", "19/05/2000", "19/05/2001", "A1", ""]
    header = [*HEADER, "Số CCCD"]
    result = run(tree, xlsx([[*by_id, "079170000001"]], header=header), actor=people["alice"])
    assert "whose record you may not change" in _reasons(result.problems)
    assert "20000001" not in _reasons(result.problems) and "Én" not in _reasons(result.problems)


def test_it_serves_a_template_that_documents_the_columns(tree):
    workbook = load_workbook(io.BytesIO(roster_template()))
    sheet, *_extra, guide = workbook.worksheets
    assert [c.value for c in sheet[1]][:3] == ["Họ và tên", "Ngày sinh", "Giới tính"]
    documented = [row[0].value for row in guide.iter_rows(min_row=2) if row[0].value]
    assert {"Họ và tên", "Số thẻ đảng viên", "Chi bộ", "Đảng bộ"} <= set(documented)


def test_it_refuses_a_card_number_that_belongs_to_someone_else(tree):
    run(tree, xlsx(ROWS))
    before = snapshot()
    other = [["Tên Khác Hẳn", "01/01/1999", "Nữ", "79000001", "19/05/2020", "", "A1", ""]]
    problems = run(tree, xlsx(other)).problems
    assert len(problems) == 1 and "Nguyễn Văn An" in problems[0].reason
    assert snapshot() == before


def test_it_accepts_a_corrected_spelling_for_the_same_person(tree):
    run(tree, xlsx(ROWS))
    fixed = [list(ROWS[0])]
    fixed[0][0] = "Nguyễn Văn Ân"
    result = run(tree, xlsx(fixed))
    assert result.ok and result.updated == 1
    assert Member.objects.get(card_number="79000001").full_name == "Nguyễn Văn Ân"


def test_it_matches_a_card_number_that_lost_its_leading_zeros(tree):
    rows = [list(ROWS[0])]
    rows[0][3] = "00000046"
    run(tree, xlsx(rows))
    rows[0][3] = 46  # typed as a number in Excel
    result = run(tree, xlsx(rows))
    assert result.ok and not result.changed
    assert Member.objects.get().card_number == "00000046"


def test_it_keeps_history_sane_when_a_member_moves_twice_the_same_day(tree):
    from xeploai.org.models import Position, PositionKind

    run(tree, xlsx(ROWS), as_of=datetime.date(2026, 1, 1))
    an = Member.objects.get(card_number="79000001")
    Position.objects.create(
        member=an,
        kind=PositionKind.CELL_DEPUTY_SECRETARY,
        unit=tree["A1"],
        is_leadership=True,
        valid_from=datetime.date(2025, 1, 1),
    )
    moved = [list(ROWS[0])]
    moved[0][6] = "A2"
    run(tree, xlsx(moved))
    moved[0][6] = "A1"
    run(tree, xlsx(moved))
    periods = list(
        an.memberships.order_by("valid_from", "id").values_list(
            "cell__code", "valid_from", "valid_to"
        )
    )
    assert all(end is None or end >= start for _c, start, end in periods)
    assert periods[-1] == ("A1", TODAY, None)
    post = Position.objects.get(member=an)
    assert post.valid_to == TODAY - datetime.timedelta(days=1)  # the deputy left the cell


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85"])
def test_it_refuses_control_characters_in_any_cell_and_strips_bidi(tree, char):
    rows = [list(r) for r in ROWS]
    rows[0][0] = f"Nguyễn{char} Văn An"
    text = "\n".join(";".join(r) for r in [HEADER, *rows])
    problems = assert_untouched(tree, text.encode("utf-8"), "ds.csv")
    # The reader refuses a NUL itself; every other control character is refused per cell.
    if char == "\x00":
        assert any("Row 2" in p.reason and "NUL" in p.reason for p in problems), problems
    else:
        assert any("control character" in p.reason and p.row == 2 for p in problems), problems
    assert all(char not in p.value for p in problems)
    rows[0][0] = "Nguyễn\u202e Văn An"
    result = run(tree, xlsx(rows))
    assert result.ok, result.problems
    assert Member.objects.get(card_number="79000001").full_name == "Nguyễn Văn An"
