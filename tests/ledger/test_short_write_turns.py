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
