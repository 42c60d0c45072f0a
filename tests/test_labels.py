"""xeploai.labels: the one place that turns stored codes into the words people read."""

import datetime
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.cycles.helpers import ward
from tests.rules.test_classify import member
from xeploai import labels
from xeploai.cycles.models import Cycle
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.errors import AppError
from xeploai.rules import FactsError, SubjectKind, classify, load_regulation
from xeploai.rules.annex import sheet_for
from xeploai.rules.sheets import sheet_totals

G366 = load_regulation("G366")


def test_it_names_a_level_with_its_abbreviation_in_either_language():
    with translation.override("vi"):
        assert labels.level("excellent") == "Hoàn thành xuất sắc nhiệm vụ (HTXS)"
        assert labels.level_choice("good") == "HTT — Hoàn thành tốt nhiệm vụ"
        assert labels.level("") == labels.level("nonsense") == "—"
    with translation.override("en"):
        assert labels.level("excellent") == "Excellent (HTXS)"
        assert labels.level_choice("not_complete") == "KHT — Not complete"


def test_it_cites_the_document_and_article_never_the_marks():
    stored = "QĐ 366-QĐ/TW (30/8/2025), Điều 11, mức HTXS, khung điểm [C2] R5, R6"
    with translation.override("vi"):
        assert labels.citation(stored) == "Điều 11, Quy định 366-QĐ/TW"
        assert labels.citation({"document": "HD 43-HD/BTCTW (31/10/2025)", "article": "mục 2"}) == (
            "mục 2, Hướng dẫn 43-HD/BTCTW"
        )
        reason = G366.bands[0].reason
        assert labels.citation(reason.citation) == "Điều 11, Quy định 366-QĐ/TW"
    with translation.override("en"):
        assert labels.citation(stored) == "Điều 11, Regulation 366-QĐ/TW"


@given(st.text(max_size=200))
def test_it_never_shows_a_confidence_mark_or_rule_number_whatever_was_stored(raw):
    text = labels.citation(raw + " [INF] R12, R30")
    assert "[INF]" not in text and not re.search(r"\bR(12|30)\b", text)


def test_it_names_a_pool_as_its_group_without_the_units_number():
    with translation.override("vi"):
        assert labels.pool("11151/leaders") == "Cán bộ lãnh đạo, quản lý"
        assert labels.pool("11151/members") == "Đảng viên"
        assert labels.pool("7/party_organization/subordinate_cell").startswith("Tổ chức đảng")
        assert labels.pool("garbage") == "—"


def test_it_names_a_regulation_generation_by_its_documents():
    with translation.override("vi"):
        assert labels.regulation("G366").startswith("Quy định 366-QĐ/TW")
        assert labels.regulation("G999") == "—"


def test_it_words_the_rule_cores_problems_in_the_readers_language():
    sheet = sheet_for(G366, SubjectKind.MEMBER_OUTSIDE_SYSTEM)
    group = sheet.groups[0]
    points = {item.code: Decimal(0) for item in group.items}
    points[group.items[0].code] = group.max_points + 5
    with pytest.raises(FactsError) as error:
        sheet_totals(sheet, points)
    with translation.override("vi"):
        words = labels.facts_error(error.value)
    assert f"“{group.label_vi}”: {group.max_points + 5} điểm, vượt mức tối đa" in words
    assert sheet.code not in words and "exceeds" not in words
    with translation.override("en"):
        assert "more than the group's maximum" in labels.facts_error(error.value)


def test_it_words_missing_task_counts_without_the_kinds_code():
    facts = replace(member(), kind=SubjectKind.MEMBER_OUTSIDE_SYSTEM, tasks=None)
    with pytest.raises(FactsError) as error:
        classify(facts, G366)
    with translation.override("vi"):
        words = labels.facts_error(error.value)
    assert "member_outside_system" not in words and "task counts" not in words
    assert "nhiệm vụ" in words


def test_it_refuses_a_period_no_regulation_covers_with_a_clear_message(db, client):
    t = ward()
    with translation.override("vi"), pytest.raises(AppError) as error:
        cycle_open(
            actor=None,
            unit=t["P"],
            name="Năm 2012",
            period_kind="year",
            period_start=datetime.date(2012, 1, 1),
            period_end=datetime.date(2012, 12, 31),
        )
    assert error.value.field == "period_end"
    assert "31/12/2012" in error.value.message and "25/09/2014" in error.value.message
    client.force_login(t["sam"])
    response = client.post(
        reverse("cycle_new", args=[t["W"].pk]),
        {
            "name": "Năm 2012",
            "period_kind": "year",
            "period_start": "01/01/2012",
            "period_end": "31/12/2012",
        },
    )
    assert response.status_code == 400
    assert "31/12/2012" in response.content.decode()
    assert not Cycle.objects.exists()


def test_it_has_words_for_every_problem_the_rule_core_raises():
    import ast
    from pathlib import Path

    import xeploai.rules

    codes = set()
    for path in Path(xeploai.rules.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "FactsError":
                assert len(node.args) == 2 and isinstance(node.args[1], ast.Constant), (
                    f"{path.name}:{node.lineno}: a FactsError without a code"
                )
                codes.add(node.args[1].value)
    assert len(codes) >= 20
    assert codes <= set(labels.PROBLEMS), codes - set(labels.PROBLEMS)
    with translation.override("vi"):
        for code in codes:
            words = labels.problem(code, {"kind": "member", "value": "5", "maximum": "3"})
            assert words and "%(" not in words
