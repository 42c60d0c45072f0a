"""Throughput of the rule core: classify and cap-check synthetic subjects.

    python bench/rules.py [--subjects N] [--seed S]

Subjects are generated in chunks (not timed) so memory stays flat; classify and
check_caps are timed separately and together. Each generated chunk is moved out of the
garbage collector's view (gc.freeze) so the timings measure the rule core, not repeated
scans of the synthetic input. Prints `BENCH <name> <value> <unit>` lines.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xeploai.rules import (  # noqa: E402
    DisciplineForm,
    DisciplineRecord,
    Facts,
    LedUnits,
    Period,
    PoolOutcome,
    SubjectKind,
    TaskCounts,
    check_caps,
    classify,
    load_regulation,
)
from xeploai.rules.loader import _load_cached  # noqa: E402

PERIOD = Period(date(2025, 1, 1), date(2025, 12, 31))
CHUNK = 100_000
POOL_SIZE = 40  # members of a similar-function group (a cell or a department)


def _tasks(rng: random.Random) -> TaskCounts:
    total = rng.randint(4, 30)
    completed = total if rng.random() < 0.9 else rng.randint(0, total)
    late = 0 if rng.random() < 0.8 else rng.randint(0, completed)
    exceeding = rng.randint(0, completed)
    return TaskCounts(total, completed, completed - late, late, exceeding)


def make_chunk(rng: random.Random, n: int, start: int) -> list[Facts]:
    out = []
    discipline = (DisciplineRecord(DisciplineForm.REPRIMAND, date(2025, 2, 1), date(2025, 5, 1)),)
    for i in range(n):
        roll = rng.random()
        kind = (
            SubjectKind.MEMBER
            if roll < 0.8
            else SubjectKind.LEADER
            if roll < 0.95
            else SubjectKind.MEMBER_OUTSIDE_SYSTEM
        )
        general = Decimal(rng.randint(1500, 3000)) / 100
        tasks_score = Decimal(rng.randint(3000, 7000)) / 100
        out.append(
            Facts(
                kind=kind,
                period=PERIOD,
                unit=f"u{(start + i) // POOL_SIZE}",
                scores={"general": general, "tasks": tasks_score},
                tasks=_tasks(rng),
                discipline=discipline if rng.random() < 0.01 else (),
                degradation_finding=rng.random() < 0.002,
                led_units=LedUnits(_tasks(rng), 4, rng.choice((0, 0, 0, 1, 3)))
                if kind is SubjectKind.LEADER
                else None,
                low_confidence_share=Decimal(rng.randint(0, 60)) / 100
                if kind is SubjectKind.LEADER
                else None,
            )
        )
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=366)
    args = parser.parse_args(argv)

    _load_cached.cache_clear()
    t0 = time.perf_counter()
    regulation = load_regulation("G366")
    load_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    for _ in range(1000):
        load_regulation("G366")
    cached_us = (time.perf_counter() - t0) * 1000

    rng = random.Random(args.seed)
    classify_s = caps_s = 0.0
    done = discretion = violations = moves = 0
    while done < args.subjects:
        n = min(CHUNK, args.subjects - done)
        facts = make_chunk(rng, n, done)
        gc.collect()
        gc.freeze()
        t0 = time.perf_counter()
        verdicts = [classify(f, regulation) for f in facts]
        classify_s += time.perf_counter() - t0
        # Subjects of one unit share their pool mapping, as rows of one unit would.
        pool_maps = {f.unit: {"similar_group": f.unit or ""} for f in facts}
        t0 = time.perf_counter()
        outcomes = [
            PoolOutcome(str(done + i), v.level, v.kind, pool_maps[f.unit], v.total)
            for i, (f, v) in enumerate(zip(facts, verdicts, strict=True))
            if v.level is not None
        ]
        result = check_caps(outcomes, regulation)
        caps_s += time.perf_counter() - t0
        gc.unfreeze()
        discretion += n - len(outcomes)
        violations += len(result.violations)
        moves += len(result.moves)
        done += n

    print(f"BENCH rules_subjects_per_s {done / (classify_s + caps_s):.0f} subjects/s")
    print(f"BENCH rules_classify_per_s {done / classify_s:.0f} subjects/s")
    print(f"BENCH rules_cap_check_per_s {done / caps_s:.0f} subjects/s")
    print(f"BENCH rules_classify_us {classify_s / done * 1e6:.2f} us/subject")
    print(f"BENCH rules_subjects {done} subjects")
    print(f"BENCH rules_cap_violations {violations} pools")
    print(f"BENCH rules_cap_moves {moves} moves")
    print(f"BENCH rules_discretion {discretion} subjects")
    print(f"BENCH rules_load_ms {load_ms:.1f} ms")
    print(f"BENCH rules_load_cached_us {cached_us:.2f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
