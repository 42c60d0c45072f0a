import os
import subprocess
import sys


def _settings(env):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "xeploai.settings", **env},
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
