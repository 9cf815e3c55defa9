"""The job queue of a deployment of several processes: procrastinate, on the ledger's own
PostgreSQL database.

Why procrastinate (and not RQ or arq on Redis): a deployment of several web processes already
runs PostgreSQL for the ledger, so the queue needs no other service to install, watch and back up;
a job is deferred in the same database the upload is stored in, it survives a restart of every
process (rows, not memory), and workers take jobs with ``SELECT … FOR UPDATE SKIP LOCKED``.
Periodic tasks are part of it too, so ``eduplan remind`` can run from the worker instead of cron.
The single-process SQLite path needs none of this (``runner.InProcessJobs``).

Workers: ``eduplan worker`` (any number, on any machine that reaches the database). Each job
still reads its upload in a limited child process (``pool``), so a worker's memory comes back.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from functools import cache

from eduplan.jobs import store

log = logging.getLogger(__name__)

QUEUE = "eduplan"
READ_TASK = "eduplan.read_upload"
REMIND_TASK = "eduplan.remind"
DEFAULT_REMIND_CRON = "30 23 * * *"
"""07:30 China Standard Time, as procrastinate reads cron lines in UTC."""


def conninfo(database_url: str) -> str:
    """The libpq address of a SQLAlchemy ``postgresql+psycopg://`` URL (options such as the
    search path kept, so the queue's tables sit beside the ledger's)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def remind_cron(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return (env.get("EDUPLAN_REMIND_CRON") or DEFAULT_REMIND_CRON).strip()


@cache
def _factory(database_url: str):
    from eduplan.ledger.db import connect, sessions

    return sessions(connect(database_url))


@cache
def queue_app(database_url: str):
    """The procrastinate app on the ledger's database, with eduplan's tasks."""
    import procrastinate

    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url)),
        import_paths=[],
    )

    @app.task(name=READ_TASK, queue=QUEUE, pass_context=False)
    def read_upload(job_id: int) -> str:
        from eduplan.jobs.pool import shared_processes

        return store.run_read(_factory(database_url), job_id, shared_processes())

    @app.periodic(cron=remind_cron(), periodic_id="remind")
    @app.task(name=REMIND_TASK, queue=QUEUE, queueing_lock="remind", pass_context=False)
    def remind_task(timestamp: int) -> str:
        from eduplan.ledger.clock import today
        from eduplan.notify import remind
        from eduplan.settings import SmtpSettings

        result = remind(_factory(database_url), today(), smtp=SmtpSettings.from_env())
        log.info("%s", result.summary_line())
        return result.summary_line()

    return app


def ensure_schema(database_url: str) -> bool:
    """Create the queue's tables in the ledger's schema when they are not there; True if made."""
    from sqlalchemy import text

    factory = _factory(database_url)
    with factory() as session:
        present = session.scalar(text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL"))
    if present:
        return False
    app = queue_app(database_url)
    with app.open():
        app.schema_manager.apply_schema()
    return True


def run_worker(database_url: str, once: bool = False) -> None:
    """Work the queue until stopped (SIGINT/SIGTERM); ``once``: until it is empty. Jobs left
    running by a worker that died are put back first."""
    from eduplan.jobs.pool import ChildLimits

    ensure_schema(database_url)
    limits = ChildLimits.from_env()
    requeued = store.requeue_stale(_factory(database_url), timedelta(seconds=limits.seconds + 120))
    app = queue_app(database_url)
    if requeued:
        with app.open():
            for job_id in requeued:
                app.configure_task(READ_TASK).defer(job_id=job_id)
    app.run_worker(queues=[QUEUE], wait=not once, install_signal_handlers=not once)
