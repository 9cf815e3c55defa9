"""The database session of a request (one per request, committed by the route that writes).

The item's everyday writes — status, 销号, reopening, progress reports, from the pages and the
API — do not queue: their routes are marked ``@short_writes`` and guard themselves (the item's
revision checked in the UPDATE's own WHERE, ``eduplan.supervise.progress.bump``), reading outside a
write transaction and writing in one short transaction (``eduplan.ledger.db.short_write``:
SQLite ``BEGIN IMMEDIATE`` only around those statements, PostgreSQL row locks). They still have
their body read and CSRF checked here first, so the route never waits on the client.

Other state-changing requests (POST, PATCH, PUT, DELETE) are serialised so that concurrent edits
cannot lose one another's updates (a revision checked, then bumped by two requests at once):

* within this process they take turns on an asyncio lock (``write_turn``) — waiting there holds
  no worker thread and no pooled connection, so a request that holds the turn always finds a
  thread to finish on; the turn is taken only once the request's body has been read and its
  CSRF token checked, so a slow upload (a guest trickling a form) holds up no other writer, and
  a writer that waits longer than the admission queue allows gets a 503 instead of waiting on;
* across processes (several uvicorn workers, the CLI) each transaction of such a request holds
  the ledger's write lock (``eduplan.ledger.db.serialise_writes``: SQLite ``BEGIN IMMEDIATE``,
  PostgreSQL an advisory lock with a lock timeout).

Reads are never serialised. Taking the database lock in worker threads without the process lock
deadlocks under load: threads waiting for the lock fill the thread pool while the holder waits
for a thread (found by ``eduplan bench load``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

import anyio
import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from eduplan.ledger.db import serialise_writes
from eduplan.web.csrf import FORM_REFUSED, SAFE_METHODS, check_csrf
from eduplan.web.limits import SLOT
from eduplan.web.sessions import signed_in_cookie

_SHORT_WRITES = "__eduplan_short_writes__"
Endpoint = TypeVar("Endpoint", bound=Callable)


def short_writes(endpoint: Endpoint) -> Endpoint:
    """Mark a route whose writes guard themselves and run in ``short_write`` transactions: it
    takes no process-wide write turn and its session holds no write lock from its start."""
    setattr(endpoint, _SHORT_WRITES, True)
    return endpoint


def _is_short_writer(request: Request) -> bool:
    return bool(getattr(request.scope.get("endpoint"), _SHORT_WRITES, False))


def _write_lock(app: FastAPI) -> asyncio.Lock:
    lock = getattr(app.state, "write_lock", None)
    if lock is None:  # made on first use, in the server's event loop
        lock = app.state.write_lock = asyncio.Lock()
    return lock


BUSY_WRITING = "保存的人太多，请稍后再试"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def read_body(request: Request) -> None:
    """Read the whole body now (a form is parsed, its files spooled), so what follows — the CSRF
    check, the route — never waits on the client. Its size is bounded by ``limits.BodyLimit``."""
    if request.headers.get("content-type", "").startswith(FORM_TYPES):
        try:
            await request.form()  # kept on the request: the route and the CSRF check reuse it
        except StarletteHTTPException:  # the multipart parser's English 400
            raise HTTPException(400, FORM_REFUSED) from None
    else:
        await request.body()


async def write_turn(request: Request) -> asyncio.Lock | None:
    """A state-changing request waits for its turn among this process's writers, after its body
    has been read and its CSRF token checked; a turn not had within the admission wait is a 503.
    The lock it then holds (to be released when the request is done), or None when it needs no
    turn. A plain coroutine, awaited by ``get_session``: as a dependency of its own it cost a
    second dependency and generator of FastAPI's on every request (a tenth of an API call's CPU)."""
    if request.method in SAFE_METHODS:
        return None
    await read_body(request)
    if signed_in_cookie(request):
        await check_csrf(request)
    elif not request.headers.get("authorization"):
        # Nobody signed in and no token: the route refuses it (the sign-in page, or 401) and
        # writes nothing, so it need not queue behind the writers. Signing in itself takes no
        # turn (``get_session_without_turn``).
        return None
    if _is_short_writer(request):
        return None
    lock = _write_lock(request.app)
    limits = getattr(request.app.state, "limits", None)
    wait = limits.write_seconds if limits is not None else None
    busy = HTTPException(503, BUSY_WRITING, headers={"Retry-After": str(limits.retry_after if limits else 5)})
    slot = request.scope.get(SLOT)
    if slot is not None:  # readers may run while this writer waits (it holds no thread yet)
        slot.pause()
    try:
        await asyncio.wait_for(lock.acquire(), wait)
    except TimeoutError:
        raise busy from None
    try:
        if slot is not None:
            await slot.resume(wait or 30.0)
    except TimeoutError:
        lock.release()
        raise busy from None
    return lock


def get_session_without_turn(request: Request) -> Iterator[Session]:
    """A session that does not wait for the writers' turn, for a state-changing route whose
    slow work must not hold up every other writer and whose writes cannot lose an update:
    signing in (argon2 takes a tenth of a second; it only adds failure rows and an audit line)."""
    with request.app.state.sessions() as session:
        yield session


_READS_ONLY = "reads_only"


def end_reads(session: Session) -> None:
    """End the read transaction of a read-only request's session once its route is done, in
    the route's thread (the connection goes back to the pool there, and closing the session is
    then no I/O). COMMIT of a transaction that only read: the loaded objects are kept."""
    if session.info.get(_READS_ONLY) and session.in_transaction():
        session.commit()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session. async: opening a session does no I/O (its connection is checked
    out by the first statement, in the route's thread), so it is made here in the event loop —
    a sync generator cost a thread hop to enter it as well as one to close it. A session
    holding no transaction (a short write committed, reads ended by ``end_reads``) holds no
    connection, so it is closed right here. Otherwise closing (the connection's rollback and
    return to the pool) runs in a worker thread, shielded from cancellation and under a limiter
    of its own, as FastAPI does for a sync dependency's exit: it never waits for a free thread
    and always runs, so no pooled connection is lost. A writer's turn (``write_turn``) is had
    first and given back last."""
    turn = await write_turn(request)
    try:
        session = request.app.state.sessions()
        try:
            if request.method in SAFE_METHODS:
                session.info[_READS_ONLY] = True
            elif not _is_short_writer(request):
                serialise_writes(session)
            yield session
        finally:
            if not session.in_transaction():
                session.close()  # no connection to give back: only the identity map is cleared
            else:
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(session.close, limiter=anyio.CapacityLimiter(1))
    finally:
        if turn is not None:
            turn.release()
