"""Several years' ratings: award runs (R51) and the appointment record (R50)."""

from __future__ import annotations

from pathlib import Path

import pytest

from xeploai.rules import Level, SubjectKind, awards_open, completion_record, load_regulation
from xeploai.rules.builder import _Builder
from xeploai.rules.loader import _read
from xeploai.rules.reading import RegulationDataError
from xeploai.rules.scenarios import SCENARIO_DIR, run_file

E, G = Level.EXCELLENT, Level.GOOD


def test_it_reads_the_five_year_threshold_from_the_data() -> None:
    reg = load_regulation("G366")
    five = [a for a in reg.awards if a.years == 5 and SubjectKind.MEMBER in a.kinds]
    assert len(five) == 2 and all("R51" in a.citation.rules for a in five)
    assert reg.appointment_record is not None and reg.appointment_record.years == 3


def test_it_opens_the_five_year_awards_only_at_five() -> None:
    reg = load_regulation("G366")
    four = {y: E for y in range(2023, 2027)}
    five = {y: E for y in range(2022, 2027)}
    assert [e.award.years for e in awards_open(four, 2026, SubjectKind.MEMBER, reg)] == [1]
    assert [e.award.years for e in awards_open(five, 2026, SubjectKind.MEMBER, reg)] == [1, 5, 5]


def test_it_has_no_record_rule_in_an_older_generation() -> None:
    with pytest.raises(LookupError):
        completion_record({2022: [G]}, 2022, load_regulation("G124"))


def test_it_refuses_an_award_of_zero_years() -> None:
    raw = _read(Path(__file__).resolve().parents[2] / "xeploai/rules/data/G366.toml")
    raw["awards"][0]["years"] = 0
    with pytest.raises(RegulationDataError, match="awards\\[0\\].*years"):
        _Builder("G366.toml", raw, {}).build()


def test_it_reports_a_wrong_award_expectation(tmp_path: Path) -> None:
    source = (SCENARIO_DIR / "G366" / "awards.toml").read_text(encoding="utf-8")
    wrong = source.replace("expect = { run = 4,", "expect = { run = 5,", 1)
    assert wrong != source
    path = tmp_path / "wrong.toml"
    path.write_text(wrong, encoding="utf-8")
    failed = [r for r in run_file(path) if not r.ok]
    assert len(failed) == 1 and "run: expected 5, got 4" in failed[0].problems[0]
