"""A ward whose season has run: every document of issue 6 has something to show.

C1's six members and C2's three rated members self-rated, were voted on at their cell's meeting
(votes and attendance recorded) and decided by the ward committee on paper (123-QĐ/ĐU); one C2
member was then re-rated (45-QĐ/ĐU). C1 itself wrote its collective report.
"""

import datetime
import io
import unicodedata

import pytest
from docx import Document
from pypdf import PdfReader

from tests.cycles.helpers import open_year, points, self_rate, ward
from xeploai.cycles.models import Subject
from xeploai.cycles.services.assessments import appraisal_record, self_assessment_save
from xeploai.cycles.services.decisions import PaperRecord, decision_rerate, decisions_take

PAPER = PaperRecord("123-QĐ/ĐU", datetime.date(2026, 12, 20), "Lê Văn Bí Thư")
RERATING = PaperRecord("45-QĐ/ĐU", datetime.date(2027, 1, 15), "Lê Văn Bí Thư")
CELL_TEXTS = {
    "strengths": "Duy trì nghiêm túc chế độ sinh hoạt chi bộ",
    "shortcomings": "Chất lượng sinh hoạt chuyên đề chưa đều",
    "causes": "Một số đảng viên còn bận công tác ở địa phương",
    "prompt_answers": "Không có vấn đề được gợi ý",
    "direction": "Đổi mới nội dung sinh hoạt, tăng cường kiểm tra, giám sát",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def docx_text(data: bytes) -> str:
    """Every paragraph and every table cell of a Word file, in order of appearance."""
    word = Document(io.BytesIO(data))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return nfc("\n".join(parts))


def docx_rows(data: bytes) -> list[list[str]]:
    word = Document(io.BytesIO(data))
    return [[nfc(c.text) for c in row.cells] for t in word.tables for row in t.rows]


def pdf_text(data: bytes) -> str:
    """The PDF's text with every run of white space made one space (lines wrap anywhere)."""
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    return " ".join(nfc("\n".join(page.extract_text() for page in reader.pages)).split())


@pytest.fixture
def season(db):
    t = ward()
    cycle = open_year(t["P"])
    cell = Subject.objects.get(cycle=cycle, unit=t["C1"], kind="party_organization")
    self_assessment_save(
        actor=t["sam"],
        subject=cell,
        version=cell.version,
        scores=points(cell, "26", "59"),
        tasks={"total": 12, "completed": 12, "on_time": 12, "late": 0, "exceeding": 2},
        texts=CELL_TEXTS,
        proposed_level="good",
        submit=True,
    )
    plan = [(m, "good") for m in t["c1"]] + [
        (t["c2"][0], "good"),
        (t["c2"][1], "good"),
        (t["c2"][2], "complete"),
    ]
    choices = {}
    for i, (member, level) in enumerate(plan):
        s = Subject.objects.get(cycle=cycle, member=member, position=None)
        self_rate(
            t["sam"],
            s,
            level,
            "25" if level == "good" else "20",
            "58" if level == "good" else "45",
            tasks=(10, 10, 10, 0, 1) if level == "good" else (10, 10, 8, 2, 0),
        )
        s.refresh_from_db()
        present = 6 if member.cell_id == t["C1"].pk else 3
        # Different tallies per member, so a test can tell one row from another.
        votes = (
            {level: present - i % 3, "complete": i % 3}
            if level != "complete"
            else {"complete": present}
        )
        appraisal_record(
            actor=t["sam"],
            subject=s,
            version=s.version,
            proposed_level=level,
            votes=votes,
            attendees=present,
        )
        choices[s.pk] = level
    decisions_take(actor=t["wendy"], cycle=cycle, choices=choices, paper=PAPER)
    rerated = Subject.objects.get(cycle=cycle, member=t["c2"][1], position=None)
    decision = decision_rerate(
        actor=t["wendy"],
        subject=rerated,
        level="complete",
        reason="Phát hiện vi phạm quy định về những điều đảng viên không được làm",
        paper=RERATING,
    )
    return {**t, "cycle": cycle, "cell": cell, "rerated": rerated, "rerating": decision}
