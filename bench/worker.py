"""The one way the benches run their measured part: a fresh interpreter, Django set up for the
database `env` names, and the figures read back as JSON from the last line it prints."""

import json
import os
import subprocess
import sys


def run_worker(script: str, *args, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "xeploai.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        sys.exit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])
