import os
import subprocess
import sys
from pathlib import Path

import pytest


def _environ() -> dict[str, str]:
    """The test process's environment, without what the browser tests set for themselves."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _settings(env):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**_environ(), "DJANGO_SETTINGS_MODULE": "xeploai.settings", **env},
        capture_output=True,
        text=True,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    result = _settings(
        {"XEPLOAI_ENV": "production", "XEPLOAI_SECRET_KEY": "", "XEPLOAI_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode != 0 and "XEPLOAI_SECRET_KEY" in result.stderr


def test_it_starts_in_production_with_a_secret_key(tmp_path):
    result = _settings(
        {
            "XEPLOAI_ENV": "production",
            "XEPLOAI_SECRET_KEY": "x" * 50,
            "XEPLOAI_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr


def test_it_refuses_a_malformed_boolean(tmp_path):
    result = _settings({"XEPLOAI_DEBUG": "perhaps", "XEPLOAI_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and "XEPLOAI_DEBUG" in result.stderr


README = Path(__file__).resolve().parents[1] / "README.md"
XEPLOAI = Path(sys.executable).parent / "xeploai"


def _production_exports() -> list[str]:
    """The `export` lines of the README's "Running for real", word for word."""
    section = README.read_text().split("## Running for real", 1)[1].split("```sh", 1)[1]
    block = section.split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith("export ")]


def _check_deploy(tmp_path, exports, env=None):
    script = "\n".join([*exports, f"exec {XEPLOAI} check --deploy --fail-level WARNING"])
    return subprocess.run(
        ["sh", "-c", script],
        env={**_environ(), "XEPLOAI_DATA_DIR": str(tmp_path), **(env or {})},
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )


def test_it_passes_the_deploy_check_with_the_readme_production_variables(tmp_path):
    exports = _production_exports()
    assert any("XEPLOAI_ENV=production" in line for line in exports)
    result = _check_deploy(tmp_path, exports)
    assert result.returncode == 0, result.stderr


def test_it_names_the_missing_proxy_header_in_production(tmp_path):
    exports = [e for e in _production_exports() if "XEPLOAI_PROXY_SSL_HEADER" not in e]
    result = _check_deploy(tmp_path, exports)
    assert result.returncode != 0 and "XEPLOAI_PROXY_SSL_HEADER" in result.stderr


@pytest.mark.parametrize(
    "variable,value,check",
    [
        ("XEPLOAI_SSL_REDIRECT", "false", "security.W008"),
        ("XEPLOAI_HSTS_SECONDS", "0", "security.W004"),
        ("XEPLOAI_SECURE_COOKIES", "false", "security.W012"),
    ],
)
def test_it_fails_the_deploy_check_when_production_turns_https_off(
    tmp_path, variable, value, check
):
    result = _check_deploy(tmp_path, _production_exports(), {variable: value})
    assert result.returncode != 0 and check in result.stderr


def test_it_is_lenient_in_development(tmp_path):
    # A developer's http://127.0.0.1:8000 is neither redirected nor pinned to https.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)",
        ],
        env={
            **_environ(),
            "DJANGO_SETTINGS_MODULE": "xeploai.settings",
            "XEPLOAI_ENV": "development",
            "XEPLOAI_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["False", "0", "False"], result.stderr


def test_it_refuses_a_proxy_header_that_is_not_a_header_name(tmp_path):
    result = _settings(
        {"XEPLOAI_TRUSTED_PROXY_HEADER": "X-Forwarded-For; rm", "XEPLOAI_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode != 0 and "XEPLOAI_TRUSTED_PROXY_HEADER" in result.stderr
