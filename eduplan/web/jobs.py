"""The web side of long work (``eduplan.jobs``): the upload route stores the upload as a job and
hands it to the app's runner, waits a few seconds for it without holding a thread, a pooled
connection, the writers' turn or an admission slot, and then shows either the draft (a small
file is read by then) or the waiting page, which refreshes itself until the reading is done."""

from __future__ import annotations

import os

from fastapi import Depends, FastAPI, HTTPException, Request
from sqlalchemy.orm import Session

from eduplan.jobs import store
from eduplan.jobs.runner import InProcessJobs, QueuedJobs, make_runner
from eduplan.ledger.db import serialise_writes
from eduplan.web.auth import Viewer
from eduplan.web.db import get_session_without_turn
from eduplan.web.limits import SLOT

DEFAULT_WAIT_SECONDS = 3.0
"""How long the upload's answer waits for the reading before it sends the waiting page."""
REFRESH_SECONDS = 2
"""The waiting page reloads itself this often (also without script)."""


def wait_seconds(environ: dict[str, str] | None = None) -> float:
    """EDUPLAN_IMPORT_WAIT_SECONDS, else 3 (0: always show the waiting page)."""
    env = os.environ if environ is None else environ
    raw = (env.get("EDUPLAN_IMPORT_WAIT_SECONDS") or "").strip()
    try:
        value = float(raw) if raw else DEFAULT_WAIT_SECONDS
    except ValueError:
        return DEFAULT_WAIT_SECONDS
    return max(value, 0.0)


def admin_without_turn(request: Request, session: Session = Depends(get_session_without_turn)) -> Viewer:
    """``require_admin`` without the writers' turn: the upload route writes only its job row (a
    short transaction of its own), so it must not hold the turn, or SQLite's write lock, while
    the file arrives and is read."""
    from eduplan.web.auth import _find_viewer

    viewer = _find_viewer(request, session)
    session.commit()  # the lookup's read transaction ends here
    request.state.viewer = viewer
    if viewer is None:
        raise HTTPException(401, "请先登录")
    if not viewer.is_admin:
        raise HTTPException(403, "只有管理员可以这样做")
    return viewer


def runner(app: FastAPI) -> InProcessJobs | QueuedJobs:
    """The app's job runner, made on first use (EDUPLAN_JOB_QUEUE chooses it)."""
    found = getattr(app.state, "job_runner", None)
    if found is None:
        url = app.state.engine.url.render_as_string(hide_password=False)
        found = app.state.job_runner = make_runner(app.state.sessions, url)
    return found


def start(app: FastAPI) -> None:
    """At the server's start: run what a stopped server left pending."""
    runner(app).resume()


def stop(app: FastAPI) -> None:
    found = getattr(app.state, "job_runner", None)
    if found is not None:
        found.close()
        app.state.job_runner = None


def submit_upload(
    app: FastAPI, user_id: int, bureau_id: int, name: str, data: bytes, year: int | None
) -> int:
    """Store the upload as a pending job (a short transaction of its own) and start it."""
    with app.state.sessions() as session:
        session: Session
        serialise_writes(session)
        with session.begin():
            job_id = store.submit_read(session, user_id, bureau_id, name, data, year).id
    runner(app).submit(job_id)
    return job_id


async def wait_for(request: Request, job_id: int, seconds: float) -> None:
    """Wait up to ``seconds`` for the job, giving the request's admission slot up meanwhile."""
    if seconds <= 0:
        return
    slot = request.scope.get(SLOT)
    if slot is not None:
        slot.pause()
    try:
        await runner(request.app).wait(job_id, seconds)
    finally:
        if slot is not None:
            await slot.resume(max(seconds, 30.0))


def job_of(session: Session, bureau_id: int | None, job_id: int) -> store.JobView | None:
    """The job, if it is one of this bureau's."""
    job = store.view(session, job_id)
    return job if job is not None and job.bureau_id == bureau_id else None


def elapsed_seconds(job: store.JobView) -> int:
    """Seconds since the reading started (since the upload while it waits its turn)."""
    from eduplan.ledger.clock import now

    since = job.started_at or job.created_at
    if since.tzinfo is None:  # SQLite gives naive UTC back
        from datetime import UTC

        since = since.replace(tzinfo=UTC)
    return max(0, int((now() - since).total_seconds()))


def time_limit(app: FastAPI) -> int:
    """The child's time limit, shown on the waiting page."""
    from eduplan.jobs.pool import ChildLimits

    found = getattr(app.state, "job_runner", None)
    processes = getattr(found, "processes", None)
    limits = processes.limits if processes is not None else ChildLimits.from_env()
    return int(limits.seconds)
