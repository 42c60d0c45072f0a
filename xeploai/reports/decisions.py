"""The competent level's documents: the list of decided levels (per deciding unit, or per
paper decision) and the re-rating decision, form 03 of HD 43. In Vietnamese, like the forms."""

from xeploai.cycles.models import Cycle, Decision, Subject
from xeploai.org.models import Unit
from xeploai.reports.documents import (
    BLANK,
    Document,
    Header,
    Heading,
    Paragraph,
    Signatures,
    Signer,
    Table,
)
from xeploai.reports.party_forms import (
    date_words,
    in_vietnamese,
    issuer,
    level_counts,
    level_label,
    local_date,
    place_date,
    subject_name,
)
from xeploai.reports.rollup import LEVELS
from xeploai.rules import load_regulation


def _only(values) -> object | None:
    """The one value all rows share, or None when they differ or are missing."""
    distinct = set(values)
    if len(distinct) == 1:
        (value,) = distinct
        return value or None
    return None


def current_decisions(cycle: Cycle, deciding_unit: Unit, document_number: str = ""):
    """The decisions in force that `deciding_unit` took in the cycle (a re-rating replaces the
    decision it names), optionally those of one paper document."""
    decisions = Decision.objects.filter(
        subject__cycle=cycle, subject__deciding_unit=deciding_unit, replaced_by__isnull=True
    ).select_related("subject", "subject__member", "subject__unit", "subject__position")
    if document_number:
        decisions = decisions.filter(document_number=document_number)
    return decisions.order_by("subject__unit__path", "subject__kind", "subject__member__sort_key")


@in_vietnamese
def decision_list(cycle: Cycle, deciding_unit: Unit, document_number: str = "") -> Document:
    """The competent level's list of decided levels, grouped by level, with the number, date
    and signer of the paper decision when one was recorded."""
    decisions = list(current_decisions(cycle, deciding_unit, document_number))
    numbers = _only(d.document_number for d in decisions)
    # The paper's date when the decisions were taken on paper, else the day they were taken
    # in the app; a blank when they differ.
    if any(d.on_paper for d in decisions):
        dated = _only(d.document_date for d in decisions)
    else:
        dated = _only(local_date(d.decided_at) for d in decisions)
    signer = _only(d.signer for d in decisions)
    title = "DANH SÁCH KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG"
    doc = Document(
        title=f"{title} — {deciding_unit.name}",
        filename=f"danh-sach-xep-loai-{cycle.pk}-{deciding_unit.pk}",
        header=Header(
            issuer=issuer(deciding_unit),
            number=f"Số: {numbers}" if numbers else f"Số {BLANK}",
            place_date=place_date(dated),
        ),
    )
    attached = (
        f"(Kèm theo Quyết định số {numbers or BLANK}, {date_words(dated)} của {deciding_unit.name})"
    )
    doc.add(
        Heading(title, 0),
        Paragraph(cycle.name, bold=True, center=True),
        Paragraph(attached, italic=True, center=True),
    )
    several = numbers is None and any(d.document_number for d in decisions)
    header = ["STT", "Họ và tên / tổ chức", "Đơn vị"] + (["Văn bản"] if several else [])
    counts = dict.fromkeys(LEVELS, 0)
    for roman, level in zip(("I", "II", "III", "IV"), LEVELS, strict=True):
        chosen = [d for d in decisions if d.level == level]
        counts[level] = len(chosen)
        doc.add(Heading(f"{roman}. {level_label(level)}: {len(chosen)}", 2))
        if chosen:
            rows = []
            for i, d in enumerate(chosen, 1):
                row = [str(i), subject_name(d.subject), d.subject.unit.name]
                if several:
                    paper = d.document_number
                    if paper and d.document_date:
                        paper += f", {d.document_date:%d/%m/%Y}"
                    row.append(paper or "")
                rows.append(row)
            doc.add(Table(header, rows, numeric=(0,)))
    doc.add(
        Heading("Tổng hợp", 2),
        level_counts("Số lượng", counts),
        Signatures([Signer(f"T/M {deciding_unit.name.upper()}", name=signer or BLANK)]),
    )
    return doc


@in_vietnamese
def rerating_decision(decision: Decision) -> Document:
    """The re-rating decision, form 03 of HD 43 (QĐ 366 Điều 15, R44): old level, new level,
    reason."""
    subject = decision.subject
    unit = subject.deciding_unit
    old = decision.replaces
    regulation = load_regulation(decision.regulation or subject.cycle.regulation)
    whom = "đảng viên" if subject.member_id else "tổ chức đảng"
    title = "QUYẾT ĐỊNH"
    about = f"về việc đánh giá, xếp loại lại chất lượng {whom}"
    doc = Document(
        title=f"{title} {about}",
        filename=f"quyet-dinh-xep-loai-lai-03-{decision.pk}",
        header=Header(
            issuer=issuer(unit),
            number=f"Số: {decision.document_number}" if decision.document_number else f"Số {BLANK}",
            place_date=place_date(decision.document_date),
        ),
        form="Mẫu 03",
    )
    body = unit.name.upper() if unit else BLANK
    doc.add(
        Heading(title, 0),
        Paragraph(about, bold=True, center=True),
        Paragraph(body, bold=True, center=True),
        Paragraph(f"Căn cứ {regulation.title_vi};", italic=True),
        Paragraph(
            f"Căn cứ kết quả đánh giá, xếp loại chất lượng {subject.cycle.name} "
            f"(Quyết định số {(old and old.document_number) or BLANK}, "
            f"{date_words(old.document_date or local_date(old.decided_at) if old else None)});",
            italic=True,
        ),
        Paragraph(f"Xét đề nghị của {BLANK},", italic=True),
        Heading("QUYẾT ĐỊNH:", 1),
    )
    if subject.member_id:
        who = f"đồng chí {subject.member.full_name}, đảng viên {subject.member.cell.name}"
        if subject.position_id:
            who += f" ({subject.position.get_kind_display()})"
    else:
        who = f"{subject.get_kind_display().lower()} {subject.unit.name}"
    old_level = level_label(old.level) if old else BLANK
    doc.add(
        Paragraph(
            f"Điều 1. Đánh giá, xếp loại lại chất lượng {subject.cycle.name} đối với {who}: "
            f"từ mức “{old_level}” thành mức “{level_label(decision.level)}”."
        ),
        Paragraph(f"Lý do: {decision.reason or BLANK}"),
        Table(
            ["", "Mức xếp loại"],
            [["Đã xếp loại", old_level], ["Xếp loại lại", level_label(decision.level)]],
        ),
        Paragraph("Điều 2. Quyết định có hiệu lực kể từ ngày ký."),
        Paragraph(
            "Điều 3. Các tổ chức đảng, cơ quan, đơn vị có liên quan và "
            f"{'đồng chí' if subject.member_id else 'tổ chức đảng'} có tên tại Điều 1"
            " chịu trách nhiệm thi hành Quyết định này."
        ),
        Signatures(
            [Signer(f"T/M {body}", name=decision.signer or BLANK)],
            recipients=["Như Điều 3,", "Lưu."],
        ),
    )
    return doc


def rerating_of(subject: Subject) -> list[Decision]:
    """The subject's re-rating decisions, newest first (those that replace another)."""
    return list(
        subject.decisions.filter(replaces__isnull=False)
        .select_related("replaces")
        .order_by("-decided_at")
    )


def paper_numbers(cycle: Cycle, deciding_unit: Unit) -> list[str]:
    """The numbers of the paper decisions in force at `deciding_unit`: one list each."""
    return sorted(
        set(
            current_decisions(cycle, deciding_unit)
            .exclude(document_number="")
            .values_list("document_number", flat=True)
        )
    )
