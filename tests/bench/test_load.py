"""The load test, short: concurrent writers against the real server (uvicorn subprocess) on SQLite
and on PostgreSQL; no 5xx, no lost report, every item's revision = first + accepted changes.
Also the write lock that makes this so, and the command's exit code. No timing is asserted."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from eduplan.bench.load import LoadResult, bench_load, report_lines
from eduplan.cli import app
from eduplan.ledger.db import connect, serialise_writes, sessions
from eduplan.ledger.models import AppSetting


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request) -> str | None:
    """None: bench_load makes a temporary SQLite file; a PostgreSQL URL: it makes a schema there."""
    return None if request.param == "sqlite" else request.getfixturevalue("postgresql").url


def test_ten_writers_lose_nothing(database):
    result = bench_load(writers=10, seconds=5, url=database)
    assert result.backend == ("sqlite" if database is None else "postgresql")
    assert result.requests > 0
    assert result.server_errors == 0, report_lines(result)
    assert not result.errors, report_lines(result)
    assert result.reports_accepted > 0 and result.status_changes > 0
    assert result.reports_accepted == result.reports_stored
    assert result.reports_missing == 0 and result.lost_updates == 0
    assert result.revision_mismatches == []
    assert result.wrong_revision_responses == 0
    # every request is counted once: reports (201), reads and changes (200), conflicts (409)
    assert set(result.statuses) <= {200, 201, 409}, result.statuses
    assert result.statuses[201] == result.reports_accepted
    assert result.conflicts == result.statuses.get(409, 0)
    assert result.ok


def _result(**changes) -> LoadResult:
    values = dict(
        backend="sqlite", writers=2, seconds=1, elapsed=1.0, statuses=Counter({201: 4, 200: 2}),
        errors=Counter(), latencies=[0.01, 0.02, 0.03, 0.04], reports_accepted=4, reports_stored=4,
        reports_missing=0, status_changes=1, conflicts=0, revision_mismatches=[],
        wrong_revision_responses=0, load_average=(0.5, 0.5, 0.5),
    )  # fmt: skip
    return LoadResult(**(values | changes))


def test_the_verdict_fails_on_5xx_lost_reports_connection_errors_and_revisions():
    assert _result().ok
    assert not _result(statuses=Counter({201: 4, 500: 1})).ok
    assert not _result(reports_stored=3).ok  # an accepted report was not stored
    assert not _result(reports_missing=1, reports_stored=5).ok  # stored count hides a missing id
    assert not _result(errors=Counter({"ReadTimeout": 1})).ok
    assert not _result(revision_mismatches=["事项 1: 修订号 3 ≠ 1 + 3"]).ok
    lines = report_lines(_result(statuses=Counter({201: 4, 500: 1}), reports_stored=3))
    assert "5xx: 1" in lines[1] and "lost updates 1" in lines[3] and lines[-1] == "result: FAILED"


def test_percentiles_are_of_the_latencies():
    result = _result(latencies=[i / 1000 for i in range(1, 101)])  # 1 … 100 ms
    assert result.percentile_ms(0.50) == pytest.approx(50)
    assert result.percentile_ms(0.95) == pytest.approx(95)
    assert result.percentile_ms(1.0) == pytest.approx(100)


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request, tmp_path):
    if request.param == "sqlite":
        engine = connect(f"sqlite:///{tmp_path / 'lock.db'}")
        yield engine
        engine.dispose()
        return
    with request.getfixturevalue("postgresql").schema() as (_, url):
        engine = connect(url)
        try:
            yield engine
        finally:
            engine.dispose()


def test_a_writer_waits_for_the_write_lock_held_by_another(ledger):
    factory = sessions(ledger)
    holder = factory()
    serialise_writes(holder)
    holder.add(AppSetting(key="first", value="1"))
    holder.flush()  # the holder's transaction has begun: it holds the lock
    reached = threading.Event()

    def second_writer() -> None:
        with factory() as session:
            serialise_writes(session)
            session.execute(select(AppSetting.key))  # begins: waits for the lock
            reached.set()
            session.add(AppSetting(key="second", value="2"))
            session.commit()

    thread = threading.Thread(target=second_writer)
    thread.start()
    assert not reached.wait(1.0), "the second writer began while the first held the lock"
    holder.commit()
    holder.close()
    thread.join(60)
    assert reached.is_set() and not thread.is_alive()
    with factory() as session:
        assert set(session.scalars(select(AppSetting.key))) >= {"first", "second"}


def test_a_reader_does_not_wait_for_the_write_lock(ledger):
    factory = sessions(ledger)
    with factory() as holder:
        serialise_writes(holder)
        holder.add(AppSetting(key="held", value="1"))
        holder.flush()
        with factory() as reader:  # same thread: it would hang forever if reads took the lock
            assert "held" not in set(reader.scalars(select(AppSetting.key)))
        holder.commit()


def test_the_command_prints_the_figures_and_exits_0():
    result = CliRunner().invoke(app, ["bench", "load", "--writers", "3", "--seconds", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()  # (the progress bar leaves a blank line)
    assert lines[0].startswith("bench load (sqlite): 3 writers × 2 s · ")
    assert "5xx: 0" in result.output and "lost updates 0" in result.output
    assert lines[-1] == "result: OK"
