"""The database itself refuses to change or remove an audit event.

On PostgreSQL a trigger raises on UPDATE and DELETE (TRUNCATE, which only the tables' owner may
run, is not a row change, so `flush` still empties a database). On SQLite the triggers abort;
the project's `flush` command lifts them for its own run and puts them back."""

from contextlib import contextmanager

MESSAGE = "audit events are append-only"

INSTALL = {
    "sqlite": [
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
        "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    ],
}
REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
    ],
    "postgresql": ["DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event"],
}


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in INSTALL.get(connection.vendor, ()):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in REMOVE.get(connection.vendor, ()):
            cursor.execute(sql)


@contextmanager
def lifted(connection):
    """For the owner's maintenance only (emptying a test database): the triggers are off
    inside the block and back after it."""
    remove(connection)
    try:
        yield
    finally:
        install(connection)
