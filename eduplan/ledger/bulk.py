"""Many rows into one table, fast on both databases.

SQLite: the driver's executemany (a C loop over one prepared statement). PostgreSQL: ``COPY …
FROM STDIN`` through psycopg — executemany would send a statement per row, and multi-row
``INSERT … VALUES`` statements cost psycopg more to parse than the rows cost to store.
Callers that need the new ids select them back by a unique key (items: ``uid``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) within the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    if len(rows) == 1:  # one INSERT: COPY costs PostgreSQL a round trip more (an audit line)
        connection.execute(insert(table), rows[0])
    elif connection.dialect.name == "postgresql":
        _copy(connection, table, rows)
    else:
        connection.execute(insert(table), rows)


def _copy(connection, table: Table, rows: list[dict[str, Any]]) -> None:
    from psycopg.types.json import Json

    columns = list(rows[0])
    quote = connection.dialect.identifier_preparer
    statement = f"COPY {quote.format_table(table)} ({', '.join(quote.quote(c) for c in columns)}) FROM STDIN"
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([Json(v) if isinstance(v, dict | list) else v for v in (row[c] for c in columns)])
