"""The database session of a request (one per request, committed by the route that writes).

State-changing requests (POST, PATCH, PUT, DELETE) are serialised so that concurrent edits
cannot lose one another's updates (a revision checked, then bumped by two requests at once):

* within this process they take turns on an asyncio lock (``write_turn``) — waiting there holds
  no worker thread, so a request that holds the turn always finds a thread to finish on;
* across processes (several uvicorn workers, the CLI) each transaction of such a request holds
  the ledger's write lock (``eduplan.ledger.db.serialise_writes``: SQLite ``BEGIN IMMEDIATE``,
  PostgreSQL an advisory lock).

Reads are never serialised. Taking the database lock in worker threads without the process lock
deadlocks under load: threads waiting for the lock fill the thread pool while the holder waits
for a thread (found by ``eduplan bench load``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

from fastapi import Depends, FastAPI, Request
from sqlalchemy.orm import Session

from eduplan.ledger.db import serialise_writes

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _write_lock(app: FastAPI) -> asyncio.Lock:
    lock = getattr(app.state, "write_lock", None)
    if lock is None:  # made on first use, in the server's event loop
        lock = app.state.write_lock = asyncio.Lock()
    return lock


async def write_turn(request: Request) -> AsyncIterator[None]:
    """A state-changing request waits for its turn among this process's writers."""
    if request.method in SAFE_METHODS:
        yield
        return
    async with _write_lock(request.app):
        yield


def get_session_without_turn(request: Request) -> Iterator[Session]:
    """A session that does not wait for the writers' turn, for a state-changing route whose
    slow work must not hold up every other writer and whose writes cannot lose an update:
    signing in (argon2 takes a tenth of a second; it only adds failure rows and an audit line)."""
    with request.app.state.sessions() as session:
        yield session


def get_session(request: Request, _turn: None = Depends(write_turn)) -> Iterator[Session]:
    factory = request.app.state.sessions
    with factory() as session:
        if request.method not in SAFE_METHODS:
            serialise_writes(session)
        yield session
