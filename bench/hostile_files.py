"""Refusing hostile roster workbooks: the seconds and the resident memory (MiB of growth) each
takes, every one read in a fresh process whose address space may grow by 300 MiB at most.

    python bench/hostile_files.py
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xeploai.settings")

import django  # noqa: E402

django.setup()

from tests.org import hostile  # noqa: E402
from tests.org.test_hostile_files import MEASURE  # noqa: E402

CASES = {
    "declared_dimension": hostile.corners,
    "zip_bomb_4gb": hostile.bomb,
    "zip_bomb_lying_sizes": lambda: hostile.bomb(unpacked=500_000_000, declared=200_000),
}

with tempfile.TemporaryDirectory() as tmp:
    for name, make in CASES.items():
        data = make()
        path = Path(tmp) / f"{name}.xlsx"
        path.write_bytes(data)
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, cwd=ROOT
        )
        first, message = out.stdout.split("\n", 1)
        seconds, mib = first.split()
        print(f"BENCH {name}_bytes {len(data)} bytes")
        print(f"BENCH {name}_refused {seconds} s")
        print(f"BENCH {name}_memory {mib} MiB")
        print(f"  {message.strip()}")
