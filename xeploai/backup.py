"""Backing up and restoring the SQLite database with SQLite's online backup API, which copies a
consistent snapshot while the server keeps running. PostgreSQL has its own tools (pg_dump,
pg_restore): the commands name them rather than wrap them."""

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from xeploai.errors import AppError

SQLITE_HEADER = b"SQLite format 3\x00"
# Tables without which a file is not an xeploai database.
REQUIRED_TABLES = ("django_migrations", "accounts_user", "org_unit", "org_member")
PG_DUMP = 'pg_dump --format=custom --dbname="$DATABASE_URL" --file=%(file)s'
PG_RESTORE = 'pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_URL" %(file)s'


@dataclass
class BackupSummary:
    units: int
    members: int
    users: int
    missing_migrations: list[str]


def is_sqlite(using: str = "default") -> bool:
    return connections[using].vendor == "sqlite"


def _refuse_postgresql(command: str, file: Path) -> None:
    tool = PG_DUMP if command == "backup" else PG_RESTORE
    raise AppError(
        _(
            "The database is PostgreSQL: use its own tool, as docs/SECURITY.md describes:\n"
            "  %(command)s"
        )
        % {"command": tool % {"file": file}}
    )


def database_backup(target: Path, *, overwrite: bool = False, using: str = "default") -> None:
    """Copy the live database into `target`, a self-contained SQLite file (no -wal beside it).
    The copy is written beside the target and renamed into place only when complete."""
    if not is_sqlite(using):
        _refuse_postgresql("backup", target)
    if target.exists() and not overwrite:
        raise AppError(
            _("%(file)s already exists: choose another name, or add --force to replace it.")
            % {"file": target}
        )
    if not target.parent.is_dir():
        raise AppError(_("The folder %(folder)s does not exist.") % {"folder": target.parent})
    partial = target.with_name(target.name + ".part")
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(partial)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    os.replace(partial, target)


def _open_read_only(source: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)


def backup_check(source: Path, *, using: str = "default") -> BackupSummary:
    """Refuse anything but a whole xeploai SQLite database that this version can run on."""
    if not source.is_file():
        raise AppError(_("There is no file %(file)s.") % {"file": source})
    with source.open("rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise AppError(_("%(file)s is not an SQLite database.") % {"file": source})
    db = _open_read_only(source)
    try:
        try:
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as error:
            raise AppError(
                _("%(file)s is damaged: %(error)s") % {"file": source, "error": error}
            ) from None
        if check != "ok":
            raise AppError(_("%(file)s is damaged: %(error)s") % {"file": source, "error": check})
        if not set(REQUIRED_TABLES) <= tables:
            raise AppError(
                _("%(file)s is an SQLite database, but not an xeploai one.") % {"file": source}
            )
        applied = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        newer = sorted(f"{app}.{name}" for app, name in applied - known)
        if newer:
            raise AppError(
                _(
                    "%(file)s was made by a newer version of xeploai (migrations %(names)s): "
                    "install that version first."
                )
                % {"file": source, "names": ", ".join(newer[:5])}
            )
        return BackupSummary(
            units=db.execute("SELECT count(*) FROM org_unit").fetchone()[0],
            members=db.execute("SELECT count(*) FROM org_member").fetchone()[0],
            users=db.execute("SELECT count(*) FROM accounts_user").fetchone()[0],
            missing_migrations=sorted(f"{app}.{name}" for app, name in known - applied),
        )
    finally:
        db.close()


def database_restore(source: Path, *, using: str = "default") -> BackupSummary:
    """Replace the whole database by the backup `source`, after checking it."""
    if not is_sqlite(using):
        _refuse_postgresql("restore", source)
    summary = backup_check(source, using=using)
    connection = connections[using]
    connection.ensure_connection()
    backup = _open_read_only(source)
    try:
        backup.backup(connection.connection)
    finally:
        backup.close()
    connection.close()
    return summary
