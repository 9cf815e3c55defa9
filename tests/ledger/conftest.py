"""Every ledger test runs twice: on a SQLite file and on the real PostgreSQL server, each test
on a schema of its own (the ``postgresql`` fixture of tests/conftest.py: skipped with the reason
where no server answers, failed under CI).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request, tmp_path) -> Iterator[str]:
    """A database URL of an empty ledger (no tables yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    with request.getfixturevalue("postgresql").schema() as (_, url):
        yield url


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
