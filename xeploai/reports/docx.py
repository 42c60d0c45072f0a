"""Word documents filled with what was entered: a member's self-review (forms 2A, 2B, 2C)."""

import io

from docx import Document
from docx.shared import Pt

from xeploai.cycles.facts import earlier_items, subject_sheet
from xeploai.cycles.models import Level, Subject
from xeploai.rules import load_regulation
from xeploai.rules.annex import FORM_FOR_SHEET

TITLES = {
    "2A": "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN GIỮ CHỨC VỤ LÃNH ĐẠO, QUẢN LÝ",
    "2B": "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN KHÔNG GIỮ CHỨC VỤ LÃNH ĐẠO, QUẢN LÝ",
    "2C": "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN KHÔNG LÀM VIỆC TRONG HỆ THỐNG CHÍNH TRỊ",
}


def self_review_docx(subject: Subject) -> bytes:
    """The self-review of one member as form 2A/2B/2C of HD 43 (structure of §8.13)."""
    regulation = load_regulation(subject.cycle.regulation)
    sheet = subject_sheet(subject, regulation)
    form = FORM_FOR_SHEET.get(sheet.code, "2B") if sheet else "2B"
    assessment = getattr(subject, "self_assessment", None)
    member = subject.member
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    document.add_paragraph(f"Mẫu {form}").runs[0].bold = True
    heading = document.add_paragraph(TITLES.get(form, TITLES["2B"]))
    heading.runs[0].bold = True
    document.add_paragraph(subject.cycle.name)
    document.add_paragraph(f"Họ và tên: {member.full_name}")
    document.add_paragraph(f"Ngày sinh: {member.date_of_birth:%d/%m/%Y}")
    document.add_paragraph(f"Chi bộ: {subject.unit.name}")
    texts = {
        "I. Ưu điểm, kết quả đạt được": assessment.strengths if assessment else "",
        "II. Hạn chế, khuyết điểm và nguyên nhân": "\n".join(
            x for x in ((assessment.shortcomings, assessment.causes) if assessment else ()) if x
        ),
        "IV. Giải trình những vấn đề được gợi ý kiểm điểm": (
            assessment.prompt_answers if assessment else ""
        ),
        "V. Phương hướng, biện pháp khắc phục": assessment.direction if assessment else "",
    }
    for title, text in texts.items():
        document.add_paragraph(title).runs[0].bold = True
        document.add_paragraph(text or "…")
        if title.startswith("II."):
            document.add_paragraph(
                "III. Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra"
            ).runs[0].bold = True
            labels = {
                "fixed": "đã khắc phục",
                "in_progress": "đang khắc phục",
                "open": "chưa khắc phục",
            }
            items = list(earlier_items(subject))
            for item in items:
                document.add_paragraph(f"- {item.text}: {labels.get(item.status, item.status)}")
            if not items:
                document.add_paragraph("…")
    document.add_paragraph("VI. Tự đánh giá, xếp loại").runs[0].bold = True
    scores = {}
    if assessment and sheet:
        from decimal import Decimal

        from xeploai.rules import sheet_totals

        scores = sheet_totals(sheet, {k: Decimal(v) for k, v in assessment.scores.items()})
    if scores:
        document.add_paragraph(f"Nhóm tiêu chí chung: {scores.get('general', 0)}/30 điểm")
        document.add_paragraph(
            f"Nhóm tiêu chí về kết quả thực hiện nhiệm vụ: {scores.get('tasks', 0)}/70 điểm"
        )
        document.add_paragraph(f"Tổng điểm: {sum(scores.values())}/100 điểm")
    labels = dict(Level.choices)
    for value, _label in Level.choices:
        mark = "☒" if assessment and assessment.proposed_level == value else "☐"
        document.add_paragraph(f"{mark} {labels[value]}")
    document.add_paragraph("NGƯỜI TỰ KIỂM ĐIỂM (ký, ghi rõ họ tên)")
    document.add_paragraph(member.full_name)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
