"""First run: `xeploai setup`, and the README's "Running for real" walked word for word."""

import io
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from openpyxl import Workbook

from xeploai.accounts.access import Action, may
from xeploai.accounts.models import Role, RoleGrant, User
from xeploai.audit.models import Event
from xeploai.org.models import Unit

README = Path(__file__).resolve().parents[2] / "README.md"
XEPLOAI = Path(sys.executable).parent / "xeploai"
PASSWORD = "một câu mật khẩu đủ dài 2026"
FLAGS = [
    "--unit-code=TINH",
    "--unit-name=Đảng bộ tỉnh Hà Tĩnh",
    "--unit-kind=provincial_committee",
    "--org-type=other",
    "--admin-username=quantri",
    "--admin-email=quantri@example.vn",
    "--no-input",
]


def _setup(tmp_path, *extra, password=PASSWORD):
    secret = tmp_path / "mat-khau.txt"
    secret.write_text(password + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("setup", *FLAGS, f"--admin-password-file={secret}", *extra, stdout=out)
    return out.getvalue()


def test_it_creates_the_top_unit_and_its_administrator(db, tmp_path):
    printed = _setup(tmp_path)
    unit = Unit.objects.get(parent__isnull=True)
    user = User.objects.get(username="quantri")
    assert (unit.code, unit.name, unit.kind) == (
        "TINH",
        "Đảng bộ tỉnh Hà Tĩnh",
        "provincial_committee",
    )
    assert RoleGrant.objects.filter(user=user, role=Role.ADMINISTRATOR, unit=unit).exists()
    assert user.check_password(PASSWORD) and not user.is_superuser
    assert may(user, Action.MANAGE_TREE, unit)
    assert Event.objects.filter(action="setup.first_run").exists()
    assert "TINH" in printed and "quantri" in printed


def test_it_refuses_a_database_that_already_has_a_top_unit(db, tmp_path):
    _setup(tmp_path)
    with pytest.raises(CommandError, match="TINH"):
        _setup(tmp_path, "--admin-username=nguoikhac")
    assert User.objects.count() == 1 and Unit.objects.count() == 1


def test_it_refuses_a_weak_password_and_writes_nothing(db, tmp_path):
    with pytest.raises(CommandError):
        _setup(tmp_path, password="123")
    assert not Unit.objects.exists() and not User.objects.exists()


def test_it_refuses_a_bad_email_and_writes_nothing(db, tmp_path):
    with pytest.raises(CommandError):
        _setup(tmp_path, "--admin-email=khong-phai-email")
    assert not Unit.objects.exists() and not User.objects.exists()


def test_it_asks_for_the_password_source_when_it_cannot_prompt(db, monkeypatch):
    monkeypatch.delenv("XEPLOAI_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="XEPLOAI_ADMIN_PASSWORD"):
        call_command("setup", *FLAGS)
    assert not Unit.objects.exists()


def test_it_takes_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("XEPLOAI_ADMIN_PASSWORD", PASSWORD)
    call_command("setup", *FLAGS, stdout=io.StringIO())
    assert User.objects.get(username="quantri").check_password(PASSWORD)


# --- the README, word for word ---------------------------------------------------------------


def _readme_block() -> list[str]:
    section = README.read_text().split("## Running for real", 1)[1].split("```sh", 1)[1]
    return section.split("```", 1)[0].splitlines()


def _workbook(path: Path, rows: list[list[str]]) -> None:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)


def _files(cwd: Path) -> None:
    (cwd / "mat-khau.txt").write_text(PASSWORD + "\n", encoding="utf-8")
    _workbook(
        cwd / "don-vi.xlsx",
        [
            ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Loại hình tổ chức", "Mã đơn vị cấp trên"],
            ["XA-AP", "Đảng bộ xã An Phú", "Đảng bộ trực thuộc tỉnh", "Xã", ""],
            ["XA-AP-T1", "Chi bộ Thôn 1", "Chi bộ trực thuộc", "Xã", "XA-AP"],
        ],
    )
    _workbook(
        cwd / "danh-sach.xlsx",
        [
            [
                "Họ và tên",
                "Ngày sinh",
                "Giới tính",
                "Số thẻ đảng viên",
                "Ngày vào Đảng",
                "Ngày chính thức",
                "Chi bộ",
                "Đảng bộ",
            ],
            [
                "Nguyễn Thị Hoa",
                "12/05/1978",
                "Nữ",
                "79012345",
                "03/02/2005",
                "03/02/2006",
                "Chi bộ Thôn 1",
                "Đảng bộ xã An Phú",
            ],
        ],
    )


def _database_line() -> str:
    if connection.vendor != "postgresql":
        return "unset DATABASE_URL"
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"export DATABASE_URL={url}"


@pytest.mark.django_db(transaction=True)
def test_the_readme_runs_word_for_word_on_an_empty_database(tmp_path):
    """Every `xeploai` line of "Running for real", after its exports, on this run's database
    (a fresh SQLite file, or the PostgreSQL test database emptied)."""
    lines = _readme_block()
    exports = [line for line in lines if line.startswith("export ")]
    commands = [line for line in lines if line.startswith("/opt/xeploai/bin/xeploai ")]
    assert any(" setup " in c for c in commands) and any("import_tree" in c for c in commands)
    _files(tmp_path)
    script = "\n".join(
        ["set -e", *exports, _database_line()]
        + [line.replace("/opt/xeploai/bin/xeploai", shlex.quote(str(XEPLOAI))) for line in commands]
        + [f"{shlex.quote(sys.executable)} -c {shlex.quote(MEMBER_SUBMITS)}"]
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.update(XEPLOAI_DATA_DIR=str(tmp_path / "var"), PYTHONPATH=str(README.parent))
    result = subprocess.run(
        ["sh", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "mau-don-vi.xlsx").stat().st_size > 0
    assert (tmp_path / "cay-don-vi.xlsx").stat().st_size > 0
    assert "1 new" in result.stdout or "1 mới" in result.stdout or "created 1" in result.stdout
    if connection.vendor == "postgresql":
        assert Unit.objects.get(code="XA-AP-T1").parent.code == "XA-AP"
        assert User.objects.get(username="quantri").grants.get().role == Role.ADMINISTRATOR
    # The member took her code from the printed sheet, activated, signed in and submitted.
    assert "submitted" in result.stdout


MEMBER_SUBMITS = r"""
import sys
import django
django.setup()
from django.test import Client
from tests.cycles.helpers import points
from xeploai.accounts.models import User
from xeploai.cycles.models import SelfAssessment, Subject
from openpyxl import load_workbook
login = code = None
for sheet in load_workbook("ma-kich-hoat.xlsx", read_only=True).worksheets:
    header = None
    for row in sheet.iter_rows(values_only=True):
        cells = [str(c or "").strip() for c in row]
        if header is None and "Tên đăng nhập" in cells:
            header = cells
        elif header and "Nguyễn Thị Hoa" in cells:
            login = cells[header.index("Tên đăng nhập")]
            code = cells[header.index("Mã kích hoạt")]
assert login and code, "Nguyễn Thị Hoa is not on the activation sheet"
password = "Mật khẩu riêng của Hoa 2026"
client = Client(HTTP_HOST="xeploai.example.vn", HTTP_X_FORWARDED_PROTO="https", secure=True)
r = client.post("/activate/", {"username": login, "code": code, "password1": password,
                               "password2": password})
assert r.status_code == 302, (r.status_code, r.content[-3000:])
r = client.post("/login/", {"username": login, "password": password})
assert r.status_code == 302, r.status_code
member = User.objects.get(username=login).member
subject = Subject.objects.get(member=member, position=None, cycle__name="Năm 2026")
assert client.get(f"/subjects/{subject.pk}/").status_code == 200
data = {"version": str(subject.version), "proposed_level": "good", "submit": "1",
        "tasks_total": "10", "tasks_completed": "10", "tasks_on_time": "10",
        "tasks_late": "0", "tasks_exceeding": "3"}
data.update({f"score_{k}": v for k, v in points(subject, "25", "58").items()})
r = client.post(f"/subjects/{subject.pk}/self/", data)
assert r.status_code == 302, (r.status_code, r.content.decode()[-3000:])
assert SelfAssessment.objects.get(subject=subject).submitted_at is not None
print("submitted")
"""


# --- interactive, on a real terminal ----------------------------------------------------------


def _controlling_terminal():
    import fcntl
    import termios

    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _expect(fd: int, text: str, seen: list[str], timeout: float = 60) -> None:
    import select
    import time

    end = time.monotonic() + timeout
    while text not in "".join(seen):
        ready, _w, _x = select.select([fd], [], [], max(0.0, end - time.monotonic()))
        assert ready, f"waited for {text!r}, saw {''.join(seen)!r}"
        seen.append(os.read(fd, 4096).decode("utf-8", "replace"))


def test_it_asks_for_everything_on_a_terminal(tmp_path):
    """`xeploai setup` with no flags, answered at the prompts of a real terminal."""
    import pty
    import sqlite3

    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.pop("XEPLOAI_ADMIN_PASSWORD", None)
    env.update(XEPLOAI_DATA_DIR=str(tmp_path), DATABASE_URL="", PYTHONPATH=str(README.parent))
    migrate = subprocess.run([str(XEPLOAI), "migrate"], env=env, capture_output=True, text=True)
    assert migrate.returncode == 0, migrate.stderr
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [str(XEPLOAI), "setup"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        preexec_fn=_controlling_terminal,
    )
    os.close(slave)
    seen: list[str] = []
    answers = [
        ("Mã đơn vị cấp cao nhất", "TINH"),
        ("Tên đơn vị cấp cao nhất", "Đảng bộ tỉnh Hà Tĩnh"),
        ("Loại", ""),
        ("Loại hình tổ chức", ""),
        ("Tên đăng nhập của quản trị viên", "quantri"),
        ("Thư điện tử của quản trị viên", "quantri@example.vn"),
        ("Mật khẩu của quản trị viên", PASSWORD),
        ("Nhập lại mật khẩu", PASSWORD),
    ]
    for prompt, answer in answers:
        _expect(master, prompt, seen)
        seen.clear()
        os.write(master, (answer + "\n").encode())
    _expect(master, "quantri", seen)
    assert child.wait(timeout=60) == 0
    os.close(master)
    with sqlite3.connect(tmp_path / "xeploai.sqlite3") as db:
        units = db.execute("SELECT code, name, kind FROM org_unit").fetchall()
        grants = db.execute(
            "SELECT u.username, g.role FROM accounts_rolegrant g JOIN accounts_user u"
            " ON u.id = g.user_id"
        ).fetchall()
    assert units == [("TINH", "Đảng bộ tỉnh Hà Tĩnh", "provincial_committee")]
    assert grants == [("quantri", "administrator")]
