"""Who runs the jobs: threads of this process, each waiting on a limited child process (the
single-process default: no service to set up), or the PostgreSQL-backed queue of
``eduplan.jobs.queue`` (EDUPLAN_JOB_QUEUE=procrastinate, with ``eduplan worker`` running).

Either way the job's row is the truth the waiting page reads; the runner only moves it on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from eduplan.errors import EduplanError
from eduplan.jobs import store
from eduplan.jobs.pool import ChildLimits, ChildProcesses

log = logging.getLogger(__name__)

IN_PROCESS = "inprocess"
PROCRASTINATE = "procrastinate"
BACKENDS = (IN_PROCESS, PROCRASTINATE)
STALE_MARGIN = timedelta(minutes=2)
"""A job running this much longer than the child's time limit has lost its runner."""
POLL_SECONDS = 0.2


def backend_name(database_url: str, environ: dict[str, str] | None = None) -> str:
    """EDUPLAN_JOB_QUEUE: ``inprocess`` (default) or ``procrastinate`` (PostgreSQL only)."""
    env = os.environ if environ is None else environ
    name = (env.get("EDUPLAN_JOB_QUEUE") or IN_PROCESS).strip().lower()
    if name not in BACKENDS:
        raise EduplanError(f"EDUPLAN_JOB_QUEUE 只能是 {' 或 '.join(BACKENDS)}，现在是“{name}”")
    if name == PROCRASTINATE and not database_url.startswith("postgresql"):
        raise EduplanError("EDUPLAN_JOB_QUEUE=procrastinate 需要 PostgreSQL 数据库（EDUPLAN_DATABASE_URL）")
    return name


class InProcessJobs:
    """Jobs run by this process: a thread per running job, waiting on its child process."""

    def __init__(self, factory: sessionmaker[Session], processes: ChildProcesses | None = None) -> None:
        self.factory = factory
        self.processes = processes or ChildProcesses()
        self._threads = ThreadPoolExecutor(self.processes.limits.processes, thread_name_prefix="eduplan-job")
        self._futures: dict[int, Future] = {}
        self._lock = threading.Lock()

    def submit(self, job_id: int) -> None:
        future = self._threads.submit(store.run_read, self.factory, job_id, self.processes)
        with self._lock:
            self._futures[job_id] = future
        future.add_done_callback(lambda _f: self._forget(job_id))

    def _forget(self, job_id: int) -> None:
        with self._lock:
            self._futures.pop(job_id, None)

    async def wait(self, job_id: int, seconds: float) -> None:
        """Return when the job is finished or after ``seconds`` (holding no thread meanwhile)."""
        with self._lock:
            future = self._futures.get(job_id)
        if future is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), seconds)
        except TimeoutError:
            pass

    def resume(self) -> list[int]:
        """At start: jobs whose runner died go back to pending, and every pending job is run."""
        store.requeue_stale(self.factory, timedelta(seconds=self.processes.limits.seconds) + STALE_MARGIN)
        ids = store.pending(self.factory)
        for job_id in ids:
            self.submit(job_id)
        return ids

    def close(self) -> None:
        self.processes.close()
        self._threads.shutdown(wait=False, cancel_futures=True)


class QueuedJobs:
    """Jobs deferred to the PostgreSQL queue; ``eduplan worker`` (any number, anywhere) runs them."""

    def __init__(self, factory: sessionmaker[Session], database_url: str) -> None:
        from eduplan.jobs.queue import ensure_schema, queue_app

        self.factory = factory
        ensure_schema(database_url)  # the queue's tables, made once by whichever process comes first
        self.app = queue_app(database_url)
        self.app.open()

    def submit(self, job_id: int) -> None:
        from eduplan.jobs.queue import READ_TASK

        self.app.configure_task(READ_TASK).defer(job_id=job_id)

    async def wait(self, job_id: int, seconds: float) -> None:
        from anyio import to_thread

        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while loop.time() < deadline:
            if await to_thread.run_sync(self._finished, job_id):
                return
            await asyncio.sleep(POLL_SECONDS)

    def _finished(self, job_id: int) -> bool:
        with self.factory() as session:
            job = store.view(session, job_id)
        return job is None or job.finished

    def resume(self) -> list[int]:
        return []  # the queue keeps its jobs; a worker that died is dealt with by ``eduplan worker``

    def close(self) -> None:
        self.app.close()


def make_runner(factory: sessionmaker[Session], database_url: str) -> InProcessJobs | QueuedJobs:
    if backend_name(database_url) == PROCRASTINATE:
        return QueuedJobs(factory, database_url)
    return InProcessJobs(factory, ChildProcesses(ChildLimits.from_env()))
