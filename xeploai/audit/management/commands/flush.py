"""Django's `flush`, which empties every table: on SQLite it deletes row by row, so the audit
table's append-only triggers are lifted for the run and put back after it."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from xeploai.audit.triggers import lifted


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with lifted(connection):
            return super().handle(**options)
