import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.conftest import make_member
from tests.cycles.helpers import appraise, open_year, self_rate, ward
from tests.reports.conftest import docx_text
from xeploai.cycles.models import Subject
from xeploai.cycles.selectors import progress
from xeploai.cycles.services.decisions import decisions_take
from xeploai.org.models import UnitKind
from xeploai.org.services import unit_create
from xeploai.reports.rollup import LEVELS, children_tallies, rollup
from xeploai.reports.xlsx import statistics_workbook


@pytest.fixture
def decided(db):
    """The ward with C2's three rated members decided: 1 Excellent is over the cap, so
    Good, Good, Complete; C1's six members Good."""
    t = ward()
    cycle = open_year(t["P"])
    cell = Subject.objects.get(cycle=cycle, unit=t["C1"], kind="party_organization")
    self_rate(t["sam"], cell, "good", "26", "59")
    choices = {}
    plan = [(m, "good") for m in t["c1"]] + [
        (t["c2"][0], "good"),
        (t["c2"][1], "good"),
        (t["c2"][2], "complete"),
    ]
    for member, level in plan:
        s = Subject.objects.get(cycle=cycle, member=member, position=None)
        self_rate(
            t["sam"],
            s,
            level,
            "25" if level == "good" else "20",
            "58" if level == "good" else "45",
            tasks=(10, 10, 10, 0, 1) if level == "good" else (10, 10, 8, 2, 0),
        )
        appraise(t["sam"], s, level)
        choices[s.pk] = level
    decisions_take(actor=t["wendy"], cycle=cycle, choices=choices)
    return t, cycle


def test_it_adds_every_unit_up_from_its_children(decided):
    t, cycle = decided
    tallies = rollup(cycle, t["P"])
    for unit_id, tally in tallies.items():
        children = [x for x in tallies.values() if x.unit.parent_id == unit_id]
        if not children:
            continue
        for level in LEVELS:
            below = sum(c.count("member", "decided", level) for c in children)
            assert tally.count("member", "decided", level) == below
    assert tallies[t["W"].pk].members() == {
        "excellent": 0,
        "good": 8,
        "complete": 1,
        "not_complete": 0,
    }
    assert tallies[t["P"].pk].excluded() == {"exempt": 1, "admitted_under_6_months": 1}
    assert tallies[t["C2"].pk].members("self")["complete"] == 1


def test_it_writes_the_statistics_workbook_with_the_same_numbers(decided):
    t, cycle = decided
    workbook = load_workbook(io.BytesIO(statistics_workbook(cycle, t["W"])))
    sheet = workbook.worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    by_name = {row[0]: row for row in rows}
    # Unit, members, HTXS, HTT, HT, KHT, not reviewed, exempt, suspended, under 6 months, …
    assert by_name["Chi bộ Tổ 1"][1:10] == [6, 0, 6, 0, 0, 0, 0, 0, 0]
    assert by_name["Chi bộ Tổ 2"][1:10] == [5, 0, 2, 1, 0, 2, 1, 0, 1]
    total = rows[-1]
    assert total[0] == "Tổng cộng" and total[1:6] == [11, 0, 8, 1, 0]
    assert workbook["Đối tượng"].max_row > 10  # the list of subjects


def test_it_writes_the_report_from_the_command_line(decided, tmp_path):
    t, cycle = decided
    out = tmp_path / "thong-ke.xlsx"
    call_command("report", str(cycle.pk), "--unit", "W", "-o", str(out))
    assert load_workbook(out).worksheets[0]["A1"].value == "Năm 2026"


def test_it_fills_the_review_count_form_6f(decided):
    t, cycle = decided
    workbook = load_workbook(io.BytesIO(statistics_workbook(cycle, t["P"])))
    sheet = workbook["Biểu 6F"]
    rows = {row[0].value: (row[1].value, row[2].value) for row in sheet.iter_rows(min_row=3)}
    assert rows["1. Số phải kiểm điểm"][1] == 11  # 9 rated members and 2 not reviewed
    assert rows["2. Số đã kiểm điểm"][1] == 9
    assert rows["3.2 Đảng viên kết nạp dưới 6 tháng"][1] == 1
    assert rows["3.3 Đảng viên được miễn sinh hoạt"][1] == 1
    # Line 1 is line 2 plus line 3, for the members and the collectives alike.
    for column in (0, 1):
        required = rows["1. Số phải kiểm điểm"][column]
        assert required == rows["2. Số đã kiểm điểm"][column] + rows["3. Số chưa kiểm điểm"][column]
    assert rows["3.1 Chưa bắt đầu kiểm điểm"][1] == 0


def test_it_writes_the_members_self_review_as_a_word_form(decided, client):
    t, cycle = decided
    s = Subject.objects.get(cycle=cycle, member=t["c1"][1], position=None)
    client.force_login(t["m2"])
    response = client.get(f"/subjects/{s.pk}/form.docx")
    text = docx_text(response.content)
    assert "Mẫu 2B" in text and "Nguyễn Văn Một 1" in text
    assert "Tổng điểm | 100 | 83" in text
    assert "☒ Hoàn thành tốt nhiệm vụ (HTT)" in text


def test_it_writes_every_group_with_its_stages_and_shares(decided):
    t, cycle = decided
    workbook = load_workbook(io.BytesIO(statistics_workbook(cycle, t["W"])))
    sheet = workbook.worksheets[2]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    by_stage = {(row[0], row[1]): row for row in rows if row and row[1]}
    members = Subject.objects.filter(
        cycle=cycle, unit__parent=t["W"], position=None, kind__in=["member", "leader"]
    ).count()
    # Decided: 8 HTT and 1 HT of the 9 rated; the share is of those rated.
    decided_row = by_stage[("Đảng viên", "Đã quyết định")]
    assert decided_row[2:7] == [members, 0, 8, 1, 0]
    assert decided_row[7:11] == ["0,0\u00a0%", "88,9\u00a0%", "11,1\u00a0%", "0,0\u00a0%"]
    # Self-rated: C1's six and C2's three as they rated themselves.
    assert by_stage[("Đảng viên", "Tự xếp loại")][3:7] == [0, 8, 1, 0]
    # The cells by organization kind: C1 rated itself HTT, nothing is decided yet.
    cells = by_stage[("Tổ chức đảng: Chi bộ trực thuộc", "Tự xếp loại")]
    assert cells[2:7] == [2, 0, 1, 0, 0]
    assert by_stage[("Tổ chức đảng: Chi bộ trực thuộc", "Đã quyết định")][7:11] == [None] * 4


def test_it_lists_the_children_in_reading_order(db):
    """ "Tổ 10", created last, comes after "Tổ 2" whatever the ids in the paths say."""
    t = ward()
    for number in (10, 3):
        cell = unit_create(
            actor=None,
            code=f"C{number}",
            name=f"Chi bộ Tổ {number}",
            kind=UnitKind.SUBORDINATE_CELL,
            parent=t["W"],
            on=datetime.date(2025, 7, 1),
        )
        make_member(cell, f"Lê Văn Mười {number}", f"9{number:07d}")
    cycle = open_year(t["P"])
    in_order = ["Chi bộ Tổ 1", "Chi bộ Tổ 2", "Chi bộ Tổ 3", "Chi bộ Tổ 10"]
    _own, children = children_tallies(cycle, t["W"])
    assert [c.unit.name for c in children] == in_order
    # The cycle page's progress rows too, after the ward's own.
    rows = progress(cycle, t["W"], datetime.date(2026, 11, 22))
    assert [r.unit.name for r in rows] == [t["W"].name, *in_order]
