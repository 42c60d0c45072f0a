"""Every document of issue 6, opened with the library that reads it: python-docx for Word,
pypdf for PDF. The expected values are read from the fixture's database, not from the output."""

import datetime

from django.utils import timezone, translation

from tests.reports.conftest import CELL_TEXTS, PAPER, RERATING, docx_rows, docx_text, pdf_text
from xeploai.cycles.models import Level, Step, Subject
from xeploai.reports.decisions import decision_list, rerating_decision
from xeploai.reports.docx import render_docx
from xeploai.reports.party_forms import meeting_minutes, subject_document
from xeploai.reports.pdf import render_html, render_pdf
from xeploai.reports.rollup import LEVELS, children_tallies
from xeploai.reports.statistics import statistics_document


def both(document) -> tuple[str, str]:
    return docx_text(render_docx(document)), pdf_text(render_pdf(document))


def label(level: str) -> str:
    with translation.override("vi"):
        return str(Level(level).label)


def dated(day: datetime.date) -> str:
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def member_subject(season, member):
    return Subject.objects.get(cycle=season["cycle"], member=member, position=None)


def test_it_fills_the_members_self_review_in_word_and_pdf(season):
    subject = member_subject(season, season["c1"][1])
    member = subject.member
    word, pdf = both(subject_document(subject))
    for text in (word, pdf):
        assert "Mẫu 2B" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
        assert "KHÔNG GIỮ CHỨC VỤ LÃNH ĐẠO, QUẢN LÝ" in text
        assert f"Họ và tên: {member.full_name}" in text
        assert f"Ngày sinh: {member.date_of_birth:%d/%m/%Y}" in text
        assert f"Chi bộ: {season['C1'].name}" in text
        assert subject.self_assessment.strengths in text
        assert f"☒ {label(subject.self_level)}" in text
        assert f"☐ {label('excellent')}" in text
    total = int(subject.self_score)
    assert f"Tổng điểm | 100 | {total}" in word
    assert f"Tổng điểm 100 {total}" in pdf
    tasks = subject.self_assessment
    assert f"{tasks.tasks_total} | {tasks.tasks_completed} | {tasks.tasks_on_time}" in word


def test_it_fills_the_collectives_report_form_01(season):
    cell = season["cell"]
    cell.refresh_from_db()
    word, pdf = both(subject_document(cell))
    for text in (word, pdf):
        assert "Mẫu 01" in text
        assert "BÁO CÁO KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CỦA TẬP THỂ" in text
        assert season["C1"].name in text
        for value in CELL_TEXTS.values():
            assert value in text
        assert f"☒ {label(cell.self_level)}" in text
        assert "T/M CHI BỘ" in text
    assert f"Tổng điểm | 100 | {int(cell.self_score)}" in word


def test_it_writes_the_cell_meeting_minutes_with_each_members_votes(season):
    cycle, cell = season["cycle"], season["C1"]
    document = meeting_minutes(cycle, cell)
    rows = {row[1]: row for row in docx_rows(render_docx(document))}
    appraised = Subject.objects.filter(cycle=cycle, unit=cell, appraisal__isnull=False)
    assert appraised.count() == 6
    present = max(s.appraisal.attendees for s in appraised)
    tallies = set()
    for s in appraised.select_related("member", "appraisal"):
        votes = [str(s.appraisal.votes.get(level, 0)) for level in LEVELS]
        tallies.add(tuple(votes))
        assert rows[s.member.full_name][3:7] == votes
        assert rows[s.member.full_name][7] == label(s.appraisal.proposed_level)
    assert len(tallies) > 1  # the rows differ, so a shifted row would be caught
    pdf = pdf_text(render_pdf(document))
    word = docx_text(render_docx(document))
    for text in (word, pdf):
        assert "BIÊN BẢN HỌP CHI BỘ" in text
        assert f"có mặt: {present}" in text
        assert dated(timezone.localtime(appraised.first().appraisal.appraised_at).date()) in text
        assert "Chủ trì: ……………" in text  # not recorded: a blank to fill by hand
        for s in appraised:
            assert s.member.full_name in text


def test_it_names_the_members_a_cell_did_not_review_in_its_minutes(season):
    word, pdf = both(meeting_minutes(season["cycle"], season["C2"]))
    exempt = season["c2"][3].full_name
    for text in (word, pdf):
        flowing = " ".join(text.split())  # the PDF breaks lines where the page ends them
        assert f"{exempt} (được miễn sinh hoạt đảng)" in flowing
        assert flowing.index("Không kiểm điểm:") < flowing.index(exempt)
        assert "(exempt)" not in text


def test_it_says_on_an_excluded_members_form_that_she_is_not_reviewed(season):
    subject = member_subject(season, season["c2"][3])
    assert subject.step == Step.EXCLUDED
    word, pdf = both(subject_document(subject))
    for text in (word, pdf):
        flowing = " ".join(text.split())
        assert "không kiểm điểm, xếp loại trong kỳ này: được miễn sinh hoạt đảng" in flowing


def test_it_lists_the_decided_levels_grouped_by_level_with_counts(season):
    cycle, ward = season["cycle"], season["W"]
    decided = Subject.objects.filter(cycle=cycle, deciding_unit=ward, step=Step.DECIDED)
    counts = {level: decided.filter(decided_level=level).count() for level in LEVELS}
    assert counts["complete"] == 2  # one decided so, one re-rated to it
    word, pdf = both(decision_list(cycle, ward))
    rows = docx_rows(render_docx(decision_list(cycle, ward)))
    summary = {row[0]: row[1] for row in rows if len(row) == 2}
    for level in LEVELS:
        assert summary[label(level)] == str(counts[level])
    assert summary["Tổng cộng"] == str(decided.count())
    for text in (word, pdf):
        assert "DANH SÁCH KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG" in text
        for level in LEVELS:
            assert f"{label(level)}: {counts[level]}" in text
    # Two paper documents are in force (the list and the re-rating): each row names its own,
    # and the list's own number and date are left blank.
    assert "Số ……………" in word and "Kèm theo Quyết định số ……………, ngày … tháng" in pdf
    rerated = season["rerated"].member.full_name
    assert any(row[1] == rerated and row[3].startswith(RERATING.number) for row in rows)


def test_it_lists_one_paper_decision_with_its_number_date_and_signer(season):
    cycle, ward = season["cycle"], season["W"]
    document = decision_list(cycle, ward, PAPER.number)
    word, pdf = both(document)
    rerated = season["rerated"].member.full_name
    in_force = Subject.objects.filter(cycle=cycle, deciding_unit=ward, step=Step.DECIDED)
    for text in (word, pdf):
        assert f"Số: {PAPER.number}" in text
        assert dated(PAPER.date) in text
        assert PAPER.signer in text
        assert rerated not in text  # its decision of that list was replaced
        assert f"Tổng cộng {in_force.count() - 1}" in text.replace(" |", "")


def test_it_writes_the_re_rating_decision_form_03(season):
    decision = season["rerating"]
    word, pdf = both(rerating_decision(decision))
    member = season["rerated"].member
    for text in (word, pdf):
        assert "Mẫu 03" in text and "QUYẾT ĐỊNH" in text
        assert f"Số: {RERATING.number}" in text and dated(RERATING.date) in text
        assert f"đồng chí {member.full_name}" in text
        assert f"từ mức “{label(decision.replaces.level)}” thành mức “{label('complete')}”" in text
        assert decision.reason in text
        assert RERATING.signer in text
        # The number of the decision it replaces (a line may break after its "/").
        assert PAPER.number in text.replace("/ ", "/")


def test_it_writes_the_statistics_with_the_rollups_numbers_and_the_chart(season):
    cycle, ward = season["cycle"], season["W"]
    own, children = children_tallies(cycle, ward)
    document = statistics_document(cycle, ward)
    rows = docx_rows(render_docx(document))
    by_name = {}
    for row in rows:  # the first table: members by level
        if len(row) == 7:
            by_name.setdefault(row[0], row)
    pdf = pdf_text(render_pdf(document))
    for tally in (*children, own):
        name = tally.unit.name if tally is not own else "Tổng cộng"
        levels = [str(n) for n in tally.members().values()]
        excluded = str(sum(tally.excluded().values()))
        assert by_name[name][1:] == [str(tally.total("member")), *levels, excluded]
        assert " ".join([name, str(tally.total("member")), *levels, excluded]) in pdf
    assert own.members()["good"] > 0 and sum(own.excluded().values()) == 2
    html = render_html(document)
    assert "<svg" in html and ward.name in pdf
