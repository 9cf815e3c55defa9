"""Every ledger test runs twice: on a SQLite file and on the real PostgreSQL server.

PostgreSQL: ``EDUPLAN_TEST_PG_URL`` (default the local server's database ``test``); each test
gets a schema of its own, dropped afterwards. Without a server the PostgreSQL half is skipped
and says so — except under CI (``CI`` set), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache

import pytest
from sqlalchemy import create_engine, text

PG_URL = os.environ.get("EDUPLAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@cache
def pg_unavailable() -> str | None:
    """Why PostgreSQL cannot be used here, or None when it can."""
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: not available
        return f"PostgreSQL at {PG_URL} is not reachable ({type(exc).__name__})"
    return None


def _schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request, tmp_path) -> Iterator[str]:
    """A database URL of an empty ledger (no tables yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    reason = pg_unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the ledger tests on PostgreSQL")
        pytest.skip(f"{reason}: PostgreSQL half of the ledger tests skipped")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _schema_url(schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(ledger_url):
    """An engine on a ledger migrated to the newest schema."""
    from eduplan.ledger.db import connect

    engine = connect(ledger_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    from eduplan.ledger.db import sessions

    return sessions(engine)
