"""The committees' documents, built from what was entered: self-reviews (Mẫu 2A/2B/2C), the
collective's report (Mẫu 01) and the cell meeting's minutes (decisions.py has the competent
level's). HD 43's forms are Vietnamese, so these are written in Vietnamese whatever the reader's
language. A field the form asks for that the app does not record (the place, the chair of the
meeting, …) is left as a dotted blank to fill by hand.
"""

import datetime
import functools
from decimal import Decimal

from django.utils import timezone, translation

from xeploai import labels
from xeploai.cycles.facts import earlier_items, subject_sheet
from xeploai.cycles.models import Cycle, Level, Step, Subject, SubjectKind
from xeploai.org.models import CELL_KINDS, Unit
from xeploai.reports.documents import (
    BLANK,
    Checkboxes,
    Document,
    Header,
    Heading,
    Paragraph,
    Signatures,
    Signer,
    Table,
)
from xeploai.reports.rollup import LEVELS
from xeploai.rules import load_regulation, sheet_totals
from xeploai.rules.annex import FORM_FOR_SHEET

SELF_REVIEW_TITLES = {
    "2A": "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN GIỮ CHỨC VỤ LÃNH ĐẠO, QUẢN LÝ",
    "2B": "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN KHÔNG GIỮ CHỨC VỤ LÃNH ĐẠO, QUẢN LÝ",
    "2C": "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI ĐẢNG VIÊN KHÔNG LÀM VIỆC TRONG HỆ THỐNG CHÍNH TRỊ",
}
REMEDIATION = {"fixed": "đã khắc phục", "in_progress": "đang khắc phục", "open": "chưa khắc phục"}
COLLECTIVE_KINDS = (SubjectKind.PARTY_ORGANIZATION, SubjectKind.LEADERSHIP_COLLECTIVE)


def in_vietnamese(build):
    """The forms are Vietnamese: level and kind labels too, whatever the request's language."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with translation.override("vi"):
            return build(*args, **kwargs)

    return wrapper


def level_label(level: str) -> str:
    return labels.level(level) if level in Level.values else ""


def number(value) -> str:
    """83 → "83", 25.50 → "25,5": the Vietnamese decimal comma."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}".replace(".", ",")
    return str(value)


def level_counts(heading: str, counts) -> Table:
    """How many per level and in all: the summary table of the minutes and decision lists."""
    return Table(
        ["Mức xếp loại", heading],
        [[level_label(level), str(counts[level])] for level in LEVELS]
        + [["Tổng cộng", str(sum(counts[level] for level in LEVELS))]],
        bold_rows=(len(LEVELS),),
        numeric=(1,),
    )


def date_words(day: datetime.date | None) -> str:
    if day is None:
        return "ngày … tháng … năm ……"
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def place_date(day: datetime.date | None) -> str:
    # The place of signing is not recorded.
    return f"{BLANK}, {date_words(day)}"


def issuer(unit: Unit | None) -> list[str]:
    if unit is None:
        return [BLANK, "*"]
    lines = [unit.parent.name.upper()] if unit.parent_id else []
    return [*lines, unit.name.upper(), "*"]


def subject_name(subject: Subject) -> str:
    if subject.member_id:
        name = subject.member.full_name
        if subject.position_id:
            name += f" — {subject.position.get_kind_display()}"
        return name
    return f"{subject.get_kind_display()} {subject.unit.name}"


def local_date(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _text(value: str) -> list[Paragraph]:
    lines = [line for line in (value or "").splitlines() if line.strip()]
    return [Paragraph(line) for line in lines] or [Paragraph(BLANK)]


# --- self-reviews (Mẫu 2A, 2B, 2C) and the collective's report (Mẫu 01) ------------------


def _scores(subject: Subject, assessment, sheet) -> Table | None:
    if not (assessment and sheet):
        return None
    totals = sheet_totals(sheet, {k: Decimal(v) for k, v in assessment.scores.items()})
    rows = [
        [group.label_vi, number(group.max_points), number(totals.get(group.code, Decimal(0)))]
        for group in sheet.groups
    ]
    maximum = sum(group.max_points for group in sheet.groups)
    rows.append(["Tổng điểm", number(maximum), number(sum(totals.values()))])
    return Table(
        ["Nhóm tiêu chí", "Điểm tối đa", "Điểm tự chấm"],
        rows,
        bold_rows=(len(rows) - 1,),
        numeric=(1, 2),
    )


def _review_parts(subject: Subject, assessment) -> list:
    """Parts I–V, common to the individual forms and to Mẫu 01 (HD 43 §8.13)."""
    a = assessment
    blocks: list = [Heading("I. Ưu điểm, kết quả đạt được", 2), *_text(a and a.strengths)]
    blocks.append(Heading("II. Hạn chế, khuyết điểm và nguyên nhân", 2))
    blocks += _text(a and a.shortcomings)
    if a and a.causes:
        blocks.append(Paragraph("Nguyên nhân:", italic=True))
        blocks += _text(a.causes)
    blocks.append(Heading("III. Kết quả khắc phục hạn chế, khuyết điểm đã được chỉ ra", 2))
    items = list(earlier_items(subject))
    if items:
        blocks.append(
            Table(
                ["STT", "Hạn chế, khuyết điểm đã được chỉ ra", "Kết quả khắc phục"],
                [
                    [str(i), item.text, REMEDIATION.get(item.status, item.status)]
                    for i, item in enumerate(items, 1)
                ],
                numeric=(0,),
            )
        )
    else:
        blocks.append(Paragraph(BLANK))
    blocks.append(Heading("IV. Giải trình những vấn đề được gợi ý kiểm điểm", 2))
    blocks += _text(a and a.prompt_answers)
    blocks.append(Heading("V. Phương hướng, biện pháp khắc phục", 2))
    blocks += _text(a and a.direction)
    return blocks


def _rating(subject: Subject, assessment, sheet) -> list:
    blocks: list = []
    scores = _scores(subject, assessment, sheet)
    if scores:
        blocks.append(scores)
    proposed = assessment.proposed_level if assessment else ""
    blocks.append(Paragraph("Tự xếp loại chất lượng:", italic=True))
    blocks.append(Checkboxes([(label, value == proposed) for value, label in Level.choices]))
    return blocks


@in_vietnamese
def self_review(subject: Subject) -> Document:
    """A member's self-review as form 2A/2B/2C of HD 43."""
    regulation = load_regulation(subject.cycle.regulation)
    sheet = subject_sheet(subject, regulation)
    form = FORM_FOR_SHEET.get(sheet.code, "2B") if sheet else "2B"
    if form not in SELF_REVIEW_TITLES:
        form = "2B"
    assessment = getattr(subject, "self_assessment", None)
    member = subject.member
    submitted = local_date(assessment.submitted_at) if assessment else None
    doc = Document(
        title=SELF_REVIEW_TITLES[form],
        filename=f"ban-kiem-diem-{form}-{subject.pk}",
        header=Header(issuer=issuer(subject.unit), place_date=place_date(submitted)),
        form=f"Mẫu {form}",
    )
    doc.add(Heading(SELF_REVIEW_TITLES[form], 0), Paragraph(subject.cycle.name, center=True))
    if subject.step == Step.EXCLUDED:
        doc.add(
            Paragraph(
                "Đảng viên không kiểm điểm, xếp loại trong kỳ này: "
                f"{subject.get_excluded_reason_display()}.",
                bold=True,
            )
        )
    doc.add(
        Paragraph(f"Họ và tên: {member.full_name}"),
        Paragraph(f"Ngày sinh: {member.date_of_birth:%d/%m/%Y}"),
    )
    if subject.position_id:
        doc.add(Paragraph(f"Chức vụ: {subject.position.get_kind_display()}"))
    # The workplace is not in the roster.
    doc.add(Paragraph(f"Đơn vị công tác: {BLANK}"), Paragraph(f"Chi bộ: {subject.unit.name}"))
    doc.add(*_review_parts(subject, assessment))
    doc.add(Heading("VI. Tự đánh giá, xếp loại", 2), *_rating(subject, assessment, sheet))
    if assessment and assessment.tasks_total:
        doc.add(
            Heading("Phụ lục: Kết quả thực hiện nhiệm vụ", 2),
            Table(
                ["Được giao", "Hoàn thành", "Đúng hạn", "Chậm", "Vượt yêu cầu"],
                [
                    [
                        str(assessment.tasks_total),
                        str(assessment.tasks_completed),
                        str(assessment.tasks_on_time),
                        str(assessment.tasks_late),
                        str(assessment.tasks_exceeding),
                    ]
                ],
                numeric=(0, 1, 2, 3, 4),
            ),
        )
    doc.add(Signatures([Signer("NGƯỜI TỰ KIỂM ĐIỂM", name=member.full_name)]))
    return doc


def _collective_signer(subject: Subject) -> Signer:
    if subject.kind == SubjectKind.LEADERSHIP_COLLECTIVE:
        return Signer("T/M TẬP THỂ LÃNH ĐẠO", "BÍ THƯ")
    if subject.unit.kind in CELL_KINDS:
        return Signer("T/M CHI BỘ", "BÍ THƯ")
    return Signer("T/M ĐẢNG ỦY", "BÍ THƯ")


@in_vietnamese
def collective_report(subject: Subject) -> Document:
    """A party organization's or leadership collective's report, form 01 of HD 43."""
    regulation = load_regulation(subject.cycle.regulation)
    sheet = subject_sheet(subject, regulation)
    assessment = getattr(subject, "self_assessment", None)
    whom = (
        subject.unit.name
        if subject.kind == SubjectKind.PARTY_ORGANIZATION
        else (f"tập thể lãnh đạo {subject.unit.name}")
    )
    title = "BÁO CÁO KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CỦA TẬP THỂ"
    submitted = local_date(assessment.submitted_at) if assessment else None
    doc = Document(
        title=title,
        filename=f"bao-cao-tap-the-01-{subject.pk}",
        header=Header(
            issuer=issuer(subject.unit), number=f"Số {BLANK}", place_date=place_date(submitted)
        ),
        form="Mẫu 01",
    )
    doc.add(
        Heading(title, 0),
        Paragraph(whom, bold=True, center=True),
        Paragraph(subject.cycle.name, center=True),
        Heading("A. KIỂM ĐIỂM", 1),
        *_review_parts(subject, assessment),
        Heading("B. TỰ ĐÁNH GIÁ, XẾP LOẠI", 1),
        *_rating(subject, assessment, sheet),
        Signatures([_collective_signer(subject)], recipients=["Cấp ủy cấp trên", "Lưu."]),
    )
    return doc


@in_vietnamese
def subject_document(subject: Subject) -> Document:
    """The form a subject fills: 01 for a collective, 2A/2B/2C for a person."""
    if subject.kind in COLLECTIVE_KINDS:
        return collective_report(subject)
    return self_review(subject)


# --- the cell meeting's minutes ----------------------------------------------------------


@in_vietnamese
def meeting_minutes(cycle: Cycle, unit: Unit) -> Document:
    """Minutes of the cell meeting that reviewed its members: for each appraised subject the
    meeting's vote tally and the proposal. No central template exists (HD 43 §8.13), so the
    common structure is followed: time, attendance, the votes, the result, the signatures."""
    subjects = list(
        Subject.objects.filter(cycle=cycle, unit=unit)
        .select_related("member", "position", "unit", "appraisal")
        .order_by("kind", "member__sort_key", "position_id")
    )
    appraised = [s for s in subjects if hasattr(s, "appraisal")]
    members = [s for s in subjects if s.member_id and s.position_id is None]
    excluded = [s for s in members if s.step == Step.EXCLUDED]
    days = sorted({local_date(s.appraisal.appraised_at) for s in appraised})
    attendees = [s.appraisal.attendees for s in appraised if s.appraisal.attendees]
    title = "BIÊN BẢN HỌP CHI BỘ"
    doc = Document(
        title=f"{title} — {unit.name}",
        filename=f"bien-ban-hop-chi-bo-{cycle.pk}-{unit.pk}",
        header=Header(issuer=issuer(unit), place_date=place_date(days[-1] if days else None)),
    )
    doc.add(
        Heading(title, 0),
        Paragraph(
            f"Về kiểm điểm, đánh giá, xếp loại chất lượng — {cycle.name}", bold=True, center=True
        ),
    )
    if len(days) > 1:
        when = f"từ {date_words(days[0])} đến {date_words(days[-1])}"
    else:
        when = date_words(days[0] if days else None)
    present = max(attendees) if attendees else None
    doc.add(
        Paragraph(f"1. Thời gian: {when}."),
        Paragraph(f"2. Địa điểm: {BLANK}."),
        Paragraph(
            f"3. Thành phần: tổng số đảng viên của chi bộ phải kiểm điểm: {len(members)}; "
            f"không kiểm điểm: {len(excluded)}; có mặt: {present if present else BLANK}; "
            f"vắng mặt: {BLANK}."
        ),
    )
    if excluded:
        doc.add(
            Paragraph(
                "Không kiểm điểm: "
                + "; ".join(
                    f"{s.member.full_name} ({s.get_excluded_reason_display()})" for s in excluded
                )
                + "."
            )
        )
    doc.add(
        Paragraph(f"Chủ trì: {BLANK}. Thư ký: {BLANK}."),
        Heading("4. Kết quả biểu quyết đề xuất xếp loại", 2),
    )
    rows = []
    proposed = dict.fromkeys(LEVELS, 0)
    for i, s in enumerate(appraised, 1):
        votes = s.appraisal.votes or {}
        rows.append(
            [
                str(i),
                subject_name(s),
                level_label(s.self_level) or BLANK,
                *(str(votes.get(level, 0)) for level in LEVELS),
                level_label(s.appraisal.proposed_level),
            ]
        )
        proposed[s.appraisal.proposed_level] = proposed.get(s.appraisal.proposed_level, 0) + 1
    doc.add(
        Table(
            ["STT", "Đảng viên / tổ chức", "Tự xếp loại", "HTXS", "HTT", "HT", "KHT", "Đề xuất"],
            rows,
            numeric=(0, 3, 4, 5, 6),
            widths=(6, 28, 18, 7, 7, 7, 7, 20),
        )
        if rows
        else Paragraph("Chưa có kết quả biểu quyết nào được ghi nhận.")
    )
    # A proposal other than the level most votes went to, or than the self-rating, is
    # recorded with its reason (cycles/tally.py).
    for s in appraised:
        if s.appraisal.reason.strip():
            doc.add(
                Paragraph(
                    f"Lý do đề xuất {level_label(s.appraisal.proposed_level)} đối với "
                    f"{subject_name(s)}: {s.appraisal.reason.strip()}"
                )
            )
    doc.add(
        Heading("5. Tổng hợp đề xuất", 2),
        level_counts("Số đề xuất", proposed),
        Paragraph(f"Cuộc họp kết thúc vào lúc {BLANK} cùng ngày."),
        Signatures([Signer("THƯ KÝ"), Signer("CHỦ TRÌ")]),
    )
    return doc
