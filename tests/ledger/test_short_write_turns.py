"""Short writes of one process on SQLite take turns on a lock of their engine's before
``BEGIN IMMEDIATE`` (a waiter wakes when it is released, instead of SQLite's busy handler
sleeping and retrying); on PostgreSQL, whose rows lock themselves, there is no such turn. Both
writes are stored either way."""

from __future__ import annotations

import threading

from sqlalchemy import select

from eduplan.ledger.db import _sqlite_writers, short_write
from eduplan.ledger.models import AppSetting


def test_a_second_short_writer_waits_for_the_first_to_commit(sessions):
    sqlite = sessions.kw["bind"].dialect.name == "sqlite"
    inside, release, second_in = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with sessions() as session, short_write(session):
            session.add(AppSetting(key="first", value="1"))
            session.flush()
            inside.set()
            release.wait(30)

    def second() -> None:
        inside.wait(30)
        with sessions() as session, short_write(session):
            second_in.set()
            session.add(AppSetting(key="second", value="2"))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert inside.wait(30)
    if sqlite:  # SQLite: the second waits for the turn, not inside BEGIN IMMEDIATE
        assert not second_in.wait(0.5)
        with sessions() as probe:
            assert _sqlite_writers(probe).locked()
    release.set()
    for thread in threads:
        thread.join(60)
    assert second_in.is_set() and not any(t.is_alive() for t in threads)
    with sessions() as session:
        assert set(session.scalars(select(AppSetting.key))) >= {"first", "second"}
        if sqlite:
            assert not _sqlite_writers(session).locked()  # released by both


def test_postgresql_short_writes_take_no_process_turn(sessions):
    with sessions() as session:
        turn = _sqlite_writers(session)
        if sessions.kw["bind"].dialect.name == "sqlite":
            assert isinstance(turn, type(threading.Lock()))
            assert _sqlite_writers(session) is turn  # one per engine
        else:
            assert not hasattr(turn, "locked")


def test_a_postgresql_short_write_carries_on_the_read_transaction(sessions):
    """On PostgreSQL a short write after reads runs on the read's connection (one checkout of
    the pool, so one pre-ping, no COMMIT and BEGIN between); on SQLite the read transaction is
    ended first (``BEGIN IMMEDIATE`` cannot upgrade it). Either way the write is committed, and
    one that raises is rolled back."""
    from sqlalchemy import event

    engine = sessions.kw["bind"]
    checkouts: list[object] = []
    event.listen(engine, "checkout", lambda dbapi, record, proxy: checkouts.append(dbapi))
    with sessions() as session:
        session.scalar(select(AppSetting.key).limit(1))
        with short_write(session):
            session.add(AppSetting(key="carried", value="1"))
        try:
            with short_write(session):
                session.add(AppSetting(key="refused", value="1"))
                session.flush()
                raise RuntimeError("refused")
        except RuntimeError:
            pass
    expected = 3 if engine.dialect.name == "sqlite" else 2  # the read's, each write's / the second's
    assert len(checkouts) == expected
    with sessions() as session:
        keys = set(session.scalars(select(AppSetting.key)))
    assert "carried" in keys and "refused" not in keys


def test_postgresql_connections_have_the_lock_timeout_from_their_start(sessions):
    from sqlalchemy import text

    from eduplan.ledger.db import WRITE_LOCK_TIMEOUT_MS

    if sessions.kw["bind"].dialect.name == "sqlite":
        return
    with sessions() as session:
        assert session.scalar(text("SHOW lock_timeout")) == f"{WRITE_LOCK_TIMEOUT_MS // 1000}s"
        session.rollback()  # the SET was committed on connect: a rollback keeps it
        with short_write(session):
            assert session.scalar(text("SHOW lock_timeout")) == f"{WRITE_LOCK_TIMEOUT_MS // 1000}s"


def test_a_pooled_connection_closed_by_the_server_is_replaced(sessions):
    """pre-ping: a pooled connection the server has ended (``pg_terminate_backend``) is found
    dead on checkout and replaced, and the next short write still succeeds."""
    from sqlalchemy import text

    engine = sessions.kw["bind"]
    if engine.dialect.name == "sqlite":
        return
    with sessions() as session:
        pid = session.scalar(text("SELECT pg_backend_pid()"))
    from sqlalchemy import create_engine

    killer = create_engine(engine.url)  # not the pool's: it would hand out the idle one
    try:
        with killer.connect() as other:
            assert other.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        killer.dispose()
    with sessions() as session:
        session.scalar(select(AppSetting.key).limit(1))
        assert session.scalar(text("SELECT pg_backend_pid()")) != pid
        with short_write(session):
            session.add(AppSetting(key="after_terminate", value="1"))
    with sessions() as session:
        assert session.get(AppSetting, "after_terminate") is not None
