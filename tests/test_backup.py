"""`xeploai backup` and `xeploai restore`: the restore drill, and what restore refuses."""

import sqlite3

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import make_user
from xeploai.accounts.models import User
from xeploai.org.models import Member, Unit

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's backup API; PostgreSQL uses pg_dump"
)


def database_state() -> dict[str, int]:
    """What a restore must bring back: the rows of every table of the app."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("org", "accounts", "audit", "cycles", "reports", "axes")
    }


def assert_restored(before: dict[str, int]) -> None:
    assert database_state() == before
    from xeploai.audit.services import audit_verify

    assert audit_verify().intact


@sqlite_only
def test_it_restores_what_was_backed_up(transactional_db, people, tmp_path):
    backup = tmp_path / "xeploai-backup.sqlite3"
    call_command("backup", str(backup))
    before = database_state()
    assert before["org.Member"] == 3 and before["accounts.User"] == 4

    Member.objects.filter(pk=people["bob_member"].pk).delete()
    make_user("mallory")
    Unit.objects.filter(code="A").update(name="Đổi tên")
    assert database_state() != before

    call_command("restore", str(backup), "--force")
    assert_restored(before)
    assert Unit.objects.get(code="A").name == "Đảng bộ xã An Phú"
    assert not User.objects.filter(username="mallory").exists()


@sqlite_only
def test_it_writes_a_backup_that_stands_alone(transactional_db, people, tmp_path):
    backup = tmp_path / "b.sqlite3"
    call_command("backup", str(backup))
    assert not (tmp_path / "b.sqlite3-wal").exists()
    db = sqlite3.connect(backup)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db.execute("SELECT count(*) FROM org_member").fetchone()[0] == 3


@sqlite_only
def test_it_does_not_overwrite_a_backup_without_force(db, tmp_path):
    backup = tmp_path / "b.sqlite3"
    backup.write_text("an older backup")
    with pytest.raises(CommandError, match="đã có"):
        call_command("backup", str(backup))
    assert backup.read_text() == "an older backup"


@sqlite_only
def test_it_asks_before_replacing_the_database(transactional_db, people, tmp_path):
    backup = tmp_path / "b.sqlite3"
    call_command("backup", str(backup))
    make_user("mallory")
    # Not a terminal (as under pytest): no one to ask, so it refuses.
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(backup))
    assert User.objects.filter(username="mallory").exists()


@sqlite_only
@pytest.mark.parametrize(
    "content,why",
    [
        (b"name,card\nNguyen Van A,1\n", "không phải là cơ sở dữ liệu SQLite"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "hỏng"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_database(transactional_db, people, tmp_path, content, why):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=why):
        call_command("restore", str(bad), "--force")
    assert Member.objects.count() == 3


@sqlite_only
def test_it_refuses_an_sqlite_database_of_another_program(transactional_db, people, tmp_path):
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.commit()
    db.close()
    with pytest.raises(CommandError, match="không phải của xeploai"):
        call_command("restore", str(other), "--force")
    assert Member.objects.count() == 3


@sqlite_only
def test_it_refuses_a_backup_from_a_newer_version(transactional_db, people, tmp_path):
    backup = tmp_path / "b.sqlite3"
    call_command("backup", str(backup))
    db = sqlite3.connect(backup)
    db.execute(
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('org', '9999_from_the_future', '2030-01-01')"
    )
    db.commit()
    db.close()
    with pytest.raises(CommandError, match="9999_from_the_future"):
        call_command("restore", str(backup), "--force")


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the PostgreSQL answer")
@pytest.mark.parametrize("command,tool", [("backup", "pg_dump"), ("restore", "pg_restore")])
def test_it_names_the_postgresql_tools(db, tmp_path, command, tool):
    with pytest.raises(CommandError, match=tool):
        call_command(command, str(tmp_path / "xeploai.dump"), "--force")
