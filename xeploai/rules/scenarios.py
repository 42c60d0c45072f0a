"""Running the readable scenario files of ``scenarios/<generation>/*.toml``.

A scenario file names its regulation, the R-numbers it covers, and any number of
sections: ``case`` (classify), ``caps``, ``exclusion``, ``order``, ``aggregate``, ``sheet``,
``period``, ``award`` and ``record`` (several years' ratings, records.py). Each section
states its inputs and what is expected; the runner reports every difference instead of
stopping at the first.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .aggregate import PartResult, aggregate
from .caps import check_caps
from .classify import classify
from .enrolment import is_excluded
from .enums import Level, Relation, SubjectKind
from .facts import FactsError
from .loader import load_regulation, regulation_for_period
from .model import Regulation
from .order import Link, Subject, decision_graph, review_graph
from .records import awards_open, completion_record, run_length
from .scenario_facts import ScenarioError, dec, facts_from, outcomes_from, status_from
from .sheets import sheet_totals
from .tomlmerge import merge

SCENARIO_DIR = Path(__file__).parent / "scenarios"
SECTIONS = (
    "case",
    "caps",
    "exclusion",
    "order",
    "aggregate",
    "sheet",
    "period",
    "award",
    "record",
)


@dataclass
class Outcome:
    file: str
    section: str
    name: str
    problems: list[str] = field(default_factory=list)
    result: Any = None

    @property
    def ok(self) -> bool:
        return not self.problems


def scenario_files() -> list[Path]:
    return sorted(SCENARIO_DIR.glob("*/*.toml"))


def read(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    unknown = set(data) - {
        "title",
        "regulation",
        "rules",
        "settings",
        "overlay",
        "defaults",
        *SECTIONS,
    }
    if unknown:
        raise ScenarioError(f"{path.name}: unknown top-level key(s) {sorted(unknown)}")
    return data


def regulation_of(data: Mapping[str, Any]) -> Regulation:
    return load_regulation(data["regulation"], data.get("settings"), data.get("overlay"))


def _same(problems: list[str], what: str, got: Any, expected: Any) -> None:
    if got != expected:
        problems.append(f"{what}: expected {expected!r}, got {got!r}")


def _level(value: str) -> Level | None:
    return None if value == "none" else Level(value)


def _run_case(
    case: Mapping[str, Any], data: Mapping[str, Any], reg: Regulation, out: Outcome
) -> None:
    expect = case["expect"]
    try:
        facts = facts_from(merge(data.get("defaults", {}), case["facts"]), out.name)
        verdict = classify(facts, reg)
    except FactsError as exc:
        if "error" not in expect:
            out.problems.append(f"unexpected error: {exc}")
        elif expect["error"] not in str(exc):
            out.problems.append(f"error {str(exc)!r} does not mention {expect['error']!r}")
        out.result = exc
        return
    out.result = verdict
    if "error" in expect:
        out.problems.append(
            f"expected an error mentioning {expect['error']!r}, got level {verdict.level}"
        )
    p = out.problems
    if "level" in expect:
        _same(p, "level", verdict.level, _level(expect["level"]))
    if "highest_reachable" in expect:
        _same(p, "highest_reachable", verdict.highest_reachable, Level(expect["highest_reachable"]))
    if "score_band" in expect:
        _same(p, "score_band", verdict.score_band, Level(expect["score_band"]))
    if "requires_discretion" in expect:
        _same(p, "requires_discretion", verdict.requires_discretion, expect["requires_discretion"])
    if "total" in expect:
        _same(p, "total", verdict.total, dec(expect["total"], "expect.total"))
    for code in expect.get("reasons", []):
        if code not in verdict.codes:
            p.append(f"reason {code} missing (got {list(verdict.codes)})")
    for code in expect.get("absent", []):
        if code in verdict.codes:
            p.append(f"reason {code} present but should not be")


def _run_caps(
    section: Mapping[str, Any], data: Mapping[str, Any], reg: Regulation, out: Outcome
) -> None:
    outcomes = outcomes_from(section, out.name)
    result = check_caps(
        outcomes,
        reg,
        outstanding_pools=section.get("outstanding", ()),
        pool_sizes=section.get("pool_sizes"),
    )
    out.result = result
    expect, p = section["expect"], out.problems
    by_key = {(c.rule, c.pool): c for c in result.checks}
    for i, want in enumerate(expect.get("checks", [])):
        got = by_key.get((want["rule"], want["pool"]))
        if got is None:
            p.append(f"checks[{i}]: no check of {want['rule']} in pool {want['pool']}")
            continue
        for key in ("counted", "base", "allowed", "violation", "arithmetic_en", "arithmetic_vi"):
            if key in want:
                _same(p, f"checks[{i}].{key}", getattr(got, key), want[key])
    if "violations" in expect:
        _same(p, "violations", len(result.violations), expect["violations"])
    if "moves" in expect:
        _same(p, "moves", len(result.moves), expect["moves"])
    if "moved" in expect:
        _same(p, "moved", sorted(m.subject for m in result.moves), sorted(expect["moved"]))
    _same(p, "violations left after the suggested fit", sum(c.violation for c in result.after), 0)


def _run_exclusion(
    section: Mapping[str, Any], data: Mapping[str, Any], reg: Regulation, out: Outcome
) -> None:
    rule = is_excluded(status_from(section["status"], out.name), reg)
    out.result = rule
    _same(
        out.problems, "exclusion", "none" if rule is None else rule.reason.value, section["expect"]
    )


def _run_order(
    section: Mapping[str, Any], data: Mapping[str, Any], reg: Regulation, out: Outcome
) -> None:
    subjects = [Subject(s["id"], SubjectKind(s["kind"])) for s in section["subjects"]]
    links = [Link(lk["source"], Relation(lk["relation"]), lk["target"]) for lk in section["links"]]
    build = review_graph if section.get("graph", "decision") == "review" else decision_graph
    graph = build(subjects, links, reg)
    out.result = graph
    if "batches" in section:
        _same(out.problems, "batches", [list(b) for b in graph.batches], section["batches"])
    for i, want in enumerate(section.get("expect", [])):
        got = graph.can_decide(want["subject"], set(want.get("decided", [])))
        _same(out.problems, f"expect[{i}].ready", got.ready, want["ready"])
        if "waiting_for" in want:
            _same(
                out.problems, f"expect[{i}].waiting_for", list(got.waiting_for), want["waiting_for"]
            )
        if "chain" in want:
            _same(out.problems, f"expect[{i}].chain", list(got.chain), want["chain"])


def _run_aggregate(
    section: Mapping[str, Any], data: Mapping[str, Any], reg: Regulation, out: Outcome
) -> None:
    parts = [
        PartResult(
            pt["label"], Level(pt["level"]), dec(pt["score"], "score") if "score" in pt else None
        )
        for pt in section["parts"]
    ]
    own = Level(section["own"]) if "own" in section else None
    result = aggregate(parts, reg, section.get("policy", "quarter_to_year"), own=own)
    out.result = result
    expect = section["expect"]
    _same(out.problems, "level", result.level, Level(expect["level"]))
    for key in ("recommend_transfer", "incomplete", "capped_by_part"):
        if key in expect:
            _same(out.problems, key, getattr(result, key), expect[key])


def _run_sheet(
    section: Mapping[str, Any], data: Mapping[str, Any], reg: Regulation, out: Outcome
) -> None:
    sheet = reg.sheets[section["sheet"]]
    expect = section["expect"]
    if "items" in expect:
        _same(
            out.problems, "items", [i.code for g in sheet.groups for i in g.items], expect["items"]
        )
    if "points" not in section:
        return
    try:
        totals = sheet_totals(sheet, {k: dec(v, k) for k, v in section["points"].items()})
    except FactsError as exc:
        if expect.get("error", "\0") not in str(exc):
            out.problems.append(f"unexpected error: {exc}")
        return
    out.result = totals
    for group, value in expect.get("totals", {}).items():
        _same(out.problems, f"totals.{group}", totals.get(group), dec(value, group))


def _run_period(
    section: Mapping[str, Any], data: Mapping[str, Any], reg: Regulation, out: Outcome
) -> None:
    _same(
        out.problems,
        "regulation in force",
        regulation_for_period(section["date"]).code,
        section["expect"],
    )


def _years(raw: Mapping[str, Any]) -> dict[int, Any]:
    return {int(year): value for year, value in raw.items()}


def _run_award(
    section: Mapping[str, Any], data: Mapping[str, Any], reg: Regulation, out: Outcome
) -> None:
    years = {y: Level(v) for y, v in _years(section["years"]).items()}
    year = int(section["year"])
    found = awards_open(years, year, SubjectKind(section["kind"]), reg)
    out.result = found
    expect = section["expect"]
    if "run" in expect:
        _same(out.problems, "run", run_length(years, year), expect["run"])
    _same(out.problems, "awards", [e.award.code for e in found], expect["awards"])


def _run_record(
    section: Mapping[str, Any], data: Mapping[str, Any], reg: Regulation, out: Outcome
) -> None:
    ratings = {y: [Level(v) for v in vs] for y, vs in _years(section["ratings"]).items()}
    record = completion_record(ratings, int(section["year"]), reg)
    out.result = record
    expect, p = section["expect"], out.problems
    if "years" in expect:
        _same(p, "years", [y.year for y in record.years], expect["years"])
    if "levels" in expect:
        got = ["none" if y.level is None else y.level.value for y in record.years]
        _same(p, "levels", got, expect["levels"])
    if "missing" in expect:
        _same(p, "missing", list(record.missing), expect["missing"])
    if "complete" in expect:
        _same(p, "complete", record.complete, expect["complete"])
    if "lowest" in expect:
        _same(p, "lowest", record.lowest, _level(expect["lowest"]))


RUNNERS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any], Regulation, Outcome], None]] = {
    "case": _run_case,
    "caps": _run_caps,
    "exclusion": _run_exclusion,
    "order": _run_order,
    "aggregate": _run_aggregate,
    "sheet": _run_sheet,
    "period": _run_period,
    "award": _run_award,
    "record": _run_record,
}


def run_file(path: Path) -> list[Outcome]:
    data = read(path)
    reg = regulation_of(data)
    results = []
    for section in SECTIONS:
        for i, item in enumerate(data.get(section, [])):
            out = Outcome(path.name, section, item.get("name", f"{section}[{i}]"))
            try:
                RUNNERS[section](item, data, reg, out)
            except (KeyError, ValueError, LookupError) as exc:
                out.problems.append(f"{type(exc).__name__}: {exc}")
            results.append(out)
    if not results:
        results.append(Outcome(path.name, "-", "-", ["the file has no scenario section"]))
    return results


def covered_rules() -> dict[str, list[str]]:
    """R-number → scenario files that declare they cover it."""
    out: dict[str, list[str]] = {}
    for path in scenario_files():
        for rule in read(path).get("rules", []):
            out.setdefault(rule, []).append(f"{path.parent.name}/{path.name}")
    return out
