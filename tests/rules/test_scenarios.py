"""Every scenario file under xeploai/rules/scenarios passes, and the runner can fail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xeploai.rules.cli import main
from xeploai.rules.scenarios import SCENARIO_DIR, covered_rules, run_file, scenario_files

FILES = scenario_files()
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_it_passes_the_scenario_file(path: Path) -> None:
    results = run_file(path)
    problems = [f"{r.section} {r.name!r}: {p}" for r in results for p in r.problems]
    assert results and not problems, "\n".join(problems)


def test_it_has_scenarios_for_every_generation() -> None:
    assert {p.parent.name for p in FILES} == {"G27", "G132-16", "G132-21", "G124", "G366"}


def test_it_reports_a_wrong_expectation(tmp_path: Path) -> None:
    source = (SCENARIO_DIR / "G366" / "score_bands.toml").read_text(encoding="utf-8")
    wrong = source.replace(
        'expect = { level = "excellent", highest_reachable = "excellent"',
        'expect = { level = "good", highest_reachable = "excellent"',
        1,
    )
    assert wrong != source
    path = tmp_path / "wrong.toml"
    path.write_text(wrong, encoding="utf-8")
    failed = [r for r in run_file(path) if not r.ok]
    assert len(failed) == 1 and "level: expected <Level.GOOD" in failed[0].problems[0]


def test_it_refuses_a_misspelt_fact(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text(
        'regulation = "G366"\n[[case]]\nname = "typo"\n'
        'facts = { kind = "member", period = { start = 2025-01-01, end = 2025-12-31 }, '
        "degradaton_finding = true }\n"
        'expect = { level = "not_complete" }\n',
        encoding="utf-8",
    )
    [result] = run_file(path)
    assert not result.ok and "degradaton_finding" in result.problems[0]


def test_it_covers_every_r_number_or_says_why_not() -> None:
    text = (REPO / "docs" / "rules-coverage.md").read_text(encoding="utf-8")
    covered = set(covered_rules())
    not_encoded = set(re.findall(r"^\| (R\d+) \|[^|]*\| not encoded", text, flags=re.M))
    documented = set(re.findall(r"^\| (R\d+) \|", text, flags=re.M))
    every = {f"R{i}" for i in range(1, 53)}
    assert documented == every
    assert covered | not_encoded == every
    assert not covered & not_encoded, "a rule is both covered and marked not encoded"
    for rule, files in covered_rules().items():
        line = next(ln for ln in text.splitlines() if ln.startswith(f"| {rule} |"))
        for name in files:
            assert name in line, f"{rule}: docs/rules-coverage.md does not name {name}"


def test_it_checks_everything_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "0 failed; data errors: 0" in out


def test_it_explains_a_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    path = SCENARIO_DIR / "G366" / "mitigation.toml"
    assert main(["explain", str(path)]) == 0
    out = capsys.readouterr().out
    assert "[G366.DISCRETION]" in out and "cấp có thẩm quyền" in out and "Điều 11" in out


def test_it_explains_cap_arithmetic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(SCENARIO_DIR / "G366" / "caps.toml")]) == 0
    out = capsys.readouterr().out
    assert "20 % × 17 good = 3.4 → 3, rounded down" in out and "e3: excellent → good" in out


def test_it_prints_usage_for_unknown_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    assert "usage" in capsys.readouterr().err
