"""Plain multi-row INSERTs for the large writes (roster import, demo data).

The ORM's bulk_create builds every row through model instances and the SQL compiler, which
costs more than the database itself at 100,000 rows; here the rows are tuples and the driver's
executemany does the rest. Only for new rows with no signals or defaults to compute.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.db import connection, models


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch: int = 5000
) -> int:
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if connection.vendor == "postgresql":
        return _copy_rows(meta.db_table, [meta.get_field(n).column for n in fields], rows)
    adapt = connection.ops.adapt_datefield_value
    count = 0
    pending: list[list] = []
    with connection.cursor() as cursor:
        for row in rows:
            pending.append([adapt(v) if isinstance(v, datetime.date) else v for v in row])
            if len(pending) >= batch:
                cursor.executemany(sql, pending)
                count += len(pending)
                pending = []
        if pending:
            cursor.executemany(sql, pending)
            count += len(pending)
    return count


def _copy_rows(table: str, columns: list[str], rows: Iterable[Sequence]) -> int:
    """PostgreSQL's COPY: several times faster than INSERTs for a hundred thousand rows."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def id_in(ids: Sequence[int]):
    """`pk__in=id_in(ids)`: one array parameter instead of one per id. Django prepares each
    element of a plain list, which costs more than the query for a thousand ids."""
    from django.db.models.expressions import RawSQL

    ids = [int(i) for i in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    import json

    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
