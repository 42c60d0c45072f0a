"""Exports cannot be broken or turned into formulas by what the database already holds: rows
written before the input boundary, by a command or by an import. Every export of a ward whose
names and texts hold control characters opens (openpyxl, python-docx, pypdf), and a name that
looks like a formula is a text cell showing what was typed."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from tests.reports.conftest import docx_text, pdf_text
from xeploai.cycles.models import Appraisal, Cycle, Decision, Opinion, SelfAssessment
from xeploai.org.models import Member, Unit
from xeploai.org.roster.template import roster_template

FORMULAS = ['=HYPERLINK("http://example.invalid","Bấm vào đây")', "\t=1+1", "+84 912", "@SUM(A1)"]


def controls() -> str:
    """Every kind of control character the database takes (PostgreSQL refuses NUL)."""
    every = "\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\u202e"
    return every + ("\x00" if connection.vendor == "sqlite" else "")


@pytest.fixture
def spoiled(season):
    c = controls()
    cycle = season["cycle"]
    Cycle.objects.filter(pk=cycle.pk).update(name=f"={c}Năm 2026")
    for code in ("C1", "W"):
        unit = season[code]
        Unit.objects.filter(pk=unit.pk).update(name=f"{unit.name}{c}")
    for member, formula in zip(season["c1"], FORMULAS, strict=False):
        Member.objects.filter(pk=member.pk).update(full_name=formula)
    Member.objects.filter(pk=season["c2"][0].pk).update(full_name=f"Trần{c} Thị Hai")
    SelfAssessment.objects.filter(subject__cycle=cycle).update(
        strengths=f"Tốt{c}", shortcomings=f"Chưa{c}\nđủ", direction=f"={c}"
    )
    Appraisal.objects.filter(subject__cycle=cycle).update(reason=f"Họp{c}")
    Decision.objects.filter(subject__cycle=cycle).update(signer=f"Lê{c} Văn", reason=f"Lý do{c}")
    Opinion.objects.create(
        subject=season["cell"],
        source="residence",
        author=f"Chi{c}",
        text=f"Ý kiến{c}",
        received_on=cycle.period_end,
    )
    return season


def workbook_cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_safe_workbook(data: bytes) -> list:
    cells = workbook_cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    return [c.value for c in cells if isinstance(c.value, str)]


def test_every_statistics_workbook_opens_and_holds_no_formula(spoiled, client):
    client.force_login(spoiled["paula"])
    for code in ("C1", "C2", "W", "P"):
        url = reverse("unit_statistics", args=[spoiled["cycle"].pk, spoiled[code].pk, "xlsx"])
        response = client.get(url)
        assert response.status_code == 200, code
        texts = assert_safe_workbook(response.content)
        assert "=Năm 2026" in texts
        if code in ("C1", "W", "P"):
            # The user's text is kept as typed (after the control characters are left out).
            assert set(FORMULAS) <= set(texts), code


def test_the_report_command_writes_a_safe_workbook(spoiled, tmp_path):
    out = tmp_path / "thong-ke.xlsx"
    call_command("report", str(spoiled["cycle"].pk), "--unit", "P", "-o", str(out))
    texts = assert_safe_workbook(out.read_bytes())
    assert FORMULAS[0] in texts


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_every_document_opens_with_the_text_kept(spoiled, client, fmt):
    s = spoiled
    cycle = s["cycle"]
    urls = [
        reverse("subject_form", args=[s["cell"].pk, fmt]),
        reverse("subject_form", args=[s["rerated"].pk, fmt]),
        reverse("unit_minutes", args=[cycle.pk, s["C1"].pk, fmt]),
        reverse("unit_minutes", args=[cycle.pk, s["C2"].pk, fmt]),
        reverse("unit_statistics", args=[cycle.pk, s["W"].pk, fmt]),
        reverse("decision_list", args=[cycle.pk, s["W"].pk, fmt]),
        reverse("rerating_form", args=[s["rerating"].pk, fmt]),
    ]
    client.force_login(s["paula"])
    read = docx_text if fmt == "docx" else pdf_text
    texts = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(read(response.content))
    everything = "\n".join(texts)
    assert "Trần Thị Hai" in everything and "Tốt" in everything
    assert not set(controls()) & set(everything)


def test_the_roster_template_holds_no_formula():
    assert_safe_workbook(roster_template())
