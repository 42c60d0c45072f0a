"""The charts write the right numbers into accessible SVG (parsed back as XML)."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from tests.cycles.helpers import self_rate, ward
from xeploai.cycles.models import Step, Subject
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.reports import charts
from xeploai.reports.compare import deadline_progress

NS = "{http://www.w3.org/2000/svg}"
LABELS = {
    "excellent": "Excellent (HTXS)",
    "good": "Good (HTT)",
    "complete": "Complete (HT)",
    "not_complete": "Not complete (KHT)",
}


def _svg(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{NS}title").text == root.get("aria-label")
    assert "<script" not in markup and "style=" not in markup
    return root


def _texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{NS}text")]


def _tips(root: ET.Element) -> list[str]:
    return [t.text for r in root.iter(f"{NS}rect") for t in r.findall(f"{NS}title")]


def test_it_pairs_self_rated_and_decided_counts_per_level():
    root = _svg(
        charts.self_vs_decided(
            {"excellent": 21, "good": 6},
            {"excellent": 6, "good": 21},
            LABELS,
            "Tự xếp loại và quyết định",
            ("Tự xếp loại", "Quyết định"),
        )
    )
    texts = _texts(root)
    # Per level: self then decided; the seed 004 ward's organizations, 21/6 against 6/21.
    assert texts[:2] == ["21", "6"] and texts[3:5] == ["6", "21"]
    assert "Tự xếp loại, Excellent (HTXS): 21" in _tips(root)
    assert "Quyết định, Good (HTT): 21" in _tips(root)
    assert {"HTXS", "HTT", "HT", "KHT"} <= set(texts)


def test_it_draws_the_trend_with_every_count_and_total():
    root = _svg(
        charts.trend(
            [("2024", {"excellent": 2, "good": 1}), ("2025", {"excellent": 4}), ("2026", {})],
            LABELS,
            "Xu hướng",
        )
    )
    texts = _texts(root)
    # Each bar: its segments from the bottom (worst level first), its total, its period.
    assert texts[:9] == ["1", "2", "3", "2024", "4", "4", "2025", "0", "2026"]
    assert "2024, Excellent (HTXS): 2" in _tips(root)
    assert "2025, Excellent (HTXS): 4" in _tips(root)
    assert not [t for t in _tips(root) if t.startswith("2026")]


def test_it_marks_the_deadlines_and_the_late_counts():
    root = _svg(
        charts.deadlines(
            [
                ("Tự đánh giá", 7, 10, datetime.date(2026, 11, 20), 3),
                ("Quyết định", 2, 10, datetime.date(2026, 12, 31), 0),
            ],
            datetime.date(2026, 11, 25),
            "Tiến độ",
            {"due": "hạn", "late": "trễ", "today": "hôm nay"},
        )
    )
    texts = _texts(root)
    assert "20/11" in texts and "31/12" in texts and "hôm nay 25/11" in texts
    assert "7 / 10 · hạn 20/11/2026" in texts and "2 / 10 · hạn 31/12/2026" in texts
    assert "3 trễ" in texts and not any(t.endswith("trễ") and t != "3 trễ" for t in texts)


@pytest.fixture
def with_deadlines(db):
    t = ward()
    cycle = cycle_open(
        actor=None,
        unit=t["P"],
        name="Năm 2026",
        period_kind="year",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        deadlines=[
            ("self_submitted", "", datetime.date(2026, 11, 20)),
            ("decided", "", datetime.date(2026, 12, 31)),
        ],
    )
    for member in t["c1"][1:3]:
        self_rate(t["sam"], Subject.objects.get(cycle=cycle, member=member, position=None), "good")
    return t, cycle


def test_it_counts_progress_against_each_deadline(with_deadlines):
    t, cycle = with_deadlines
    rated = Subject.objects.filter(cycle=cycle, unit__path__startswith=t["C1"].path)
    total = rated.exclude(step=Step.EXCLUDED).count()
    # C1: six members, the secretary's post, the cell and its committee.
    assert total == 9
    first, last = deadline_progress(cycle, t["C1"], datetime.date(2026, 11, 25))
    assert (first.step, first.done, first.total, first.late) == ("self_submitted", 2, 9, 7)
    assert (last.step, last.done, last.total, last.late) == ("decided", 0, 9, 0)
    before = deadline_progress(cycle, t["C1"], datetime.date(2026, 11, 20))
    assert before[0].late == 0


def test_it_groups_thousands_as_the_tables_do():
    with translation.override("vi"):
        root = _svg(
            charts.self_vs_decided(
                {"good": 1878},
                {"good": 12345},
                LABELS,
                "Tự xếp loại và quyết định",
                ("Tự xếp loại", "Quyết định"),
            )
        )
    assert {"1.878", "12.345"} <= set(_texts(root))
