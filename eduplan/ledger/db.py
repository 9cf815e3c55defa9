"""Engines and sessions: SQLite (WAL, foreign keys, busy timeout) by default, PostgreSQL by URL."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from eduplan.errors import EduplanError
from eduplan.settings import database_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` as psycopg 3 URLs; refuse what we do not support."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise EduplanError(
            f"数据库地址格式不对：{url}（例：sqlite:///eduplan.db 或 postgresql+psycopg://…）"
        ) from None
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if backend == "sqlite":
        return url
    raise EduplanError(f"不支持的数据库：{backend}（支持 SQLite 和 PostgreSQL）")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _pg_lock_timeout(dbapi_connection, _record) -> None:
    """Every PostgreSQL connection waits at most ``WRITE_LOCK_TIMEOUT_MS`` for a lock (a row, the
    writers' advisory lock): set once when it is opened, not by a ``SET LOCAL`` of each write
    transaction, a round trip to the server per write."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{WRITE_LOCK_TIMEOUT_MS}ms'")
    dbapi_connection.commit()  # a SET rolled back with its transaction would be undone


def _is_memory(url: str) -> bool:
    database = make_url(url).database
    return not database or database == ":memory:" or "mode=memory" in url


def make_engine(
    url: str | None = None, *, pool_size: int | None = None, pool_timeout: float = 30.0
) -> Engine:
    """An engine for ``url`` (default: EDUPLAN_DATABASE_URL or ./eduplan.db). ``pool_size``: keep
    that many connections and open no more (the web app passes its thread limit, so a running
    request never waits for a connection); a wait for one ends after ``pool_timeout`` seconds."""
    url = normalise_url(url or database_url())
    pool: dict = {}
    if pool_size is not None and not (url.startswith("sqlite") and _is_memory(url)):
        pool = {"pool_size": pool_size, "max_overflow": 0, "pool_timeout": pool_timeout}
    if url.startswith("sqlite"):
        engine = create_engine(url, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, **pool)
        event.listen(engine, "connect", _pg_lock_timeout)
    return engine


def connect(
    url: str | None = None, *, upgrade: bool = True, pool_size: int | None = None, pool_timeout: float = 30.0
) -> Engine:
    """Open the ledger: an engine whose schema is at the newest migration (upgraded on first use)."""
    from eduplan.ledger.migrate import ensure_current

    engine = make_engine(url, pool_size=pool_size, pool_timeout=pool_timeout)
    try:
        if upgrade:
            ensure_current(engine)
        else:
            with engine.connect():
                pass
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        shown = engine.url.render_as_string(hide_password=True)
        raise EduplanError(f"无法打开数据库 {shown}：{reason}") from None
    return engine


WRITE_LOCK_KEY = 0x65647570  # "edup": the PostgreSQL advisory lock serialising writers
WRITE_LOCK_TIMEOUT_MS = SQLITE_BUSY_TIMEOUT_MS


def serialise_writes(session: Session) -> None:
    """Make each transaction of ``session`` hold the ledger's write lock from its start, so the
    read-check-write steps of concurrent writers cannot interleave (a revision checked, then
    bumped; a count read, then stored): SQLite ``BEGIN IMMEDIATE`` (waiting up to the busy
    timeout), PostgreSQL a transaction-level advisory lock (other processes wait too). Readers
    are never blocked (WAL, MVCC). The web app does this for every state-changing request."""
    session.info["serialise_writes"] = True


@contextmanager
def short_write(session: Session) -> Iterator[None]:
    """One short write transaction, committed when the block ends (rolled back if it raises),
    for writes that guard themselves (a revision checked in the UPDATE's own WHERE, a row
    inserted): what was read before it — the viewer, the item, its permissions — is read outside
    it, and the open read transaction is ended first. On SQLite it is ``BEGIN IMMEDIATE``, so the
    database's one writer lock is held only for the statements inside the block (other writers
    wait for it up to the busy timeout); on PostgreSQL rows are locked by the statements
    themselves, with a lock timeout. Start, statements and commit run in the caller's thread:
    the lock is never held while the request waits for a thread, a body or the network.

    On PostgreSQL the read transaction is not ended but carried on: its reads took no lock
    (READ COMMITTED; the UPDATE's WHERE still checks the revision against the newest row), and
    ending it gave the connection back to the pool only for the block to take one again — a
    COMMIT, a pre-ping and a BEGIN more per write, each a round trip to the server."""
    if session.in_transaction() and not _carries_on(session):
        session.commit()  # the read transaction: nothing pending, objects kept (no expiry)
    session.info["short_write"] = True
    try:
        if session.in_transaction():  # PostgreSQL: the read transaction, on the same connection
            with _committed(session):
                yield
        else:
            with _sqlite_writers(session), session.begin():
                yield
    finally:
        session.info.pop("short_write", None)


def _carries_on(session: Session) -> bool:
    """Whether a short write carries on the session's read transaction (PostgreSQL)."""
    return session.get_bind().dialect.name != "sqlite"


@contextmanager
def _committed(session: Session) -> Iterator[None]:
    """The open transaction committed when the block ends, rolled back if it raises."""
    try:
        yield
    except BaseException:
        session.rollback()
        raise
    session.commit()


_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def _sqlite_writers(session: Session) -> AbstractContextManager:
    """On SQLite, this process's short writers take turns on a lock of their engine's before
    ``BEGIN IMMEDIATE``: SQLite's busy handler retries a locked database after sleeps of 1, 2,
    5 … up to 100 ms, so writers of one process meeting on its one write lock waited far longer
    than the few statements they wait for, and unevenly (``eduplan bench load``); a waiter on
    this lock wakes as it is released. Other processes still meet on SQLite's own lock."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return nullcontext()
    engine = bind.engine
    lock = _WRITERS.get(engine)
    if lock is None:
        lock = _WRITERS.setdefault(engine, threading.Lock())
    return lock


def _take_write_lock(session: Session, _transaction, connection) -> None:
    if session.info.get("short_write"):
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return  # PostgreSQL: the connection's lock timeout was set when it was opened
    if not session.info.get("serialise_writes"):
        return
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:  # a writer in another process holding it longer than the connection's lock timeout
        # (``_pg_lock_timeout``) is an error, not a wedge
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def sessions(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    event.listen(factory, "after_begin", _take_write_lock)
    return factory
