"""`xeploai rules check` and `xeploai rules explain FILE` for the people who maintain rules."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any, TextIO

from .caps import CapResult
from .classify import Verdict
from .loader import OVERLAY_DIR, RegulationDataError, available_codes, load_regulation
from .model import Reason, Regulation
from .scenario_facts import ScenarioError
from .scenarios import Outcome, covered_rules, read, regulation_of, run_file, scenario_files

USAGE = "usage: xeploai rules check | xeploai rules explain SCENARIO_FILE"


def _validate_data(out: TextIO) -> int:
    errors = 0
    for code in available_codes():
        try:
            reg = load_regulation(code)
            # Every documented choice of every setting must also give usable data.
            for setting in reg.settings.values():
                for choice in reg.raw["settings"][setting.name].get("choices", []):
                    load_regulation(code, {setting.name: choice})
            print(
                f"ok    data {code}: "
                f"{sum(len(p.triggers) for p in reg.plans.values())} trigger uses, "
                f"{len(reg.caps)} caps, {len(reg.settings)} settings",
                file=out,
            )
        except RegulationDataError as exc:
            errors += 1
            print(f"FAIL  data {exc}", file=out)
    for path in sorted(OVERLAY_DIR.glob("*.toml")):
        try:
            target = tomllib.loads(path.read_text(encoding="utf-8")).get("overlay_for", "?")
            load_regulation(target, overlay=path)
            print(f"ok    overlay {path.name} on {target}", file=out)
        except (RegulationDataError, ValueError) as exc:
            errors += 1
            print(f"FAIL  overlay {path.name}: {exc}", file=out)
    return errors


def check(out: TextIO | None = None) -> int:
    out = out or sys.stdout
    errors = _validate_data(out)
    passed = failed = 0
    for path in scenario_files():
        label = f"{path.parent.name}/{path.name}"
        try:
            results = run_file(path)
        except (ScenarioError, RegulationDataError, ValueError, KeyError) as exc:
            failed += 1
            print(f"FAIL  {label}: cannot run: {exc}", file=out)
            continue
        bad = [r for r in results if not r.ok]
        passed += len(results) - len(bad)
        failed += len(bad)
        print(
            f"{'ok  ' if not bad else 'FAIL'}  {label}: {len(results) - len(bad)}/{len(results)}",
            file=out,
        )
        for r in bad:
            for problem in r.problems:
                print(f"        {r.section} {r.name!r}: {problem}", file=out)
    rules = covered_rules()
    print(
        f"\n{passed} scenario sections passed, {failed} failed; data errors: {errors}; "
        f"R-numbers with scenarios: {len(rules)}",
        file=out,
    )
    return 0 if failed == 0 and errors == 0 else 1


def _reason_lines(reason: Reason) -> list[str]:
    return [
        f"    [{reason.code}] ({reason.kind})",
        f"      vi: {reason.message_vi}",
        f"      en: {reason.message_en}",
        f"      source: {reason.citation.text()}",
    ]


def _label(reg: Regulation, verdict: Verdict, level: Any) -> str:
    if level is None:
        return "— (the competent level decides / cấp có thẩm quyền quyết định)"
    lab = reg.label(verdict.kind, level)
    return f"{lab.abbr}: {lab.vi} / {lab.en}"


def _explain_outcome(reg: Regulation, r: Outcome) -> list[str]:
    lines = [f"\n== {r.section}: {r.name}  [{'PASS' if r.ok else 'FAIL'}]"]
    res = r.result
    if isinstance(res, Verdict):
        lines += [
            f"  verdict:           {_label(reg, res, res.level)}",
            f"  highest reachable: {_label(reg, res, res.highest_reachable)}",
            f"  score band:        {_label(reg, res, res.score_band)}"
            + (f"  (total {res.total})" if res.total is not None else ""),
            f"  requires discretion: {res.requires_discretion}",
            "  reasons:",
        ]
        for reason in res.reasons:
            lines += _reason_lines(reason)
    elif isinstance(res, CapResult):
        for c in res.checks:
            flag = "VIOLATION" if c.violation else "ok"
            lines += [
                f"  {c.rule} pool {c.pool_key}={c.pool}: "
                f"{c.counted} counted, allowed {c.allowed} [{flag}]",
                f"      en: {c.arithmetic_en}",
                f"      vi: {c.arithmetic_vi}",
                f"      source: {c.citation.text()}",
            ]
        if res.moves:
            lines.append(
                f"  suggested fit ({len(res.moves)} move(s), fewest possible, lowest score first):"
            )
        for m in res.moves:
            change = (
                "remove distinction"
                if m.from_level == m.to_level
                else f"{m.from_level} → {m.to_level}"
            )
            lines.append(
                f"    {m.subject}: {change} ({m.rule}, pool {m.pool}); {m.note_en} / {m.note_vi}"
            )
    elif res is not None:
        lines.append(f"  result: {res!r}")
    lines += [f"  problem: {p}" for p in r.problems]
    return lines


def explain(path: Path, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    data = read(path)
    reg = regulation_of(data)
    print(f"{path.name}: {data.get('title', '')}", file=out)
    print(f"regulation {reg.code}: {reg.title_en}", file=out)
    print(f"covers: {', '.join(data.get('rules', []))}", file=out)
    changed = {k: v for k, v in data.get("settings", {}).items()}
    if changed:
        print(f"settings changed for this scenario: {changed}", file=out)
    results = run_file(path)
    for r in results:
        print("\n".join(_explain_outcome(reg, r)), file=out)
    return 0 if all(r.ok for r in results) else 1


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"] and len(argv) == 1:
        return check()
    if argv[:1] == ["explain"] and len(argv) == 2:
        path = Path(argv[1])
        if not path.exists():
            print(f"no such scenario file: {path}", file=sys.stderr)
            return 2
        try:
            return explain(path)
        except (ScenarioError, RegulationDataError, ValueError) as exc:
            print(f"cannot explain {path}: {exc}", file=sys.stderr)
            return 1
    print(USAGE, file=sys.stderr)
    return 2
