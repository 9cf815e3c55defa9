"""Jobs as rows of the ``jobs`` table: submitted by the upload route, claimed and finished by
whoever runs them (a thread of the web process, or a queue worker), read by the waiting page.

Each step is a short transaction of its own; the claim is one conditional ``UPDATE`` (status
pending → running), so two runners never read the same upload twice. The upload stays in the
row until its draft is written, so a restart loses nothing: a job left running by a process that
died is put back to pending (``requeue_stale``) and read again, at most ``MAX_ATTEMPTS`` times.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.corrections import apply_unit_aliases, hints_for
from eduplan.ledger.db import serialise_writes
from eduplan.ledger.models import Draft, Job, User

log = logging.getLogger(__name__)

READ_UPLOAD = "read_upload"
MAX_ATTEMPTS = 2
"""A reading that killed its runner twice is not tried a third time."""

STAGES = ("", "reading", "understanding")
STAGE_LABELS = {
    "": "排队等候处理",
    "reading": "正在读取文件内容",
    "understanding": "正在识别工作安排",
}
"""What the waiting page says at each stage (the child reports ``reading`` then ``understanding``)."""
GAVE_UP = "处理这份文件时服务已重启两次，没有完成。请拆分文件或另存为其他格式后重新上传"


@dataclass(frozen=True)
class JobView:
    """A job as the waiting page shows it."""

    id: int
    status: str
    stage: str
    name: str
    message: str | None
    draft_id: int | None
    created_at: datetime
    started_at: datetime | None
    bureau_id: int

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def label(self) -> str:
        return (
            STAGE_LABELS.get(self.stage, STAGE_LABELS[""]) if self.status == "running" else STAGE_LABELS[""]
        )

    @property
    def step(self) -> int:
        """1 queued, 2 reading, 3 understanding (of 3): the page's progress bar."""
        if self.status != "running":
            return 0 if self.status == "pending" else len(STAGES)
        return STAGES.index(self.stage) + 1 if self.stage in STAGES else 1


def _write(factory: sessionmaker[Session]) -> Session:
    session = factory()
    serialise_writes(session)
    return session


def submit_read(
    session: Session, user_id: int, bureau_id: int, name: str, data: bytes, year: int | None
) -> Job:
    """A pending job to read ``data`` into a draft (flushed; the caller commits)."""
    job = Job(
        kind=READ_UPLOAD,
        status="pending",
        stage="",
        user_id=user_id,
        bureau_id=bureau_id,
        name=name[:500],
        year=year,
        content=data,
        attempts=0,
        created_at=now(),
    )
    session.add(job)
    session.flush()
    return job


def view(session: Session, job_id: int) -> JobView | None:
    row = session.execute(
        select(
            Job.id,
            Job.status,
            Job.stage,
            Job.name,
            Job.message,
            Job.draft_id,
            Job.created_at,
            Job.started_at,
            Job.bureau_id,
        ).where(Job.id == job_id)
    ).first()
    return JobView(*row) if row else None


def claim(factory: sessionmaker[Session], job_id: int) -> tuple[bytes, str, int | None] | None:
    """Take a pending job (pending → running); its upload, name and year, or None when someone
    else has it or it is gone."""
    with _write(factory) as session, session.begin():
        taken = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "pending")
            .values(status="running", stage="", started_at=now(), attempts=Job.attempts + 1)
        ).rowcount
        if taken != 1:
            return None
        row = session.execute(select(Job.content, Job.name, Job.year).where(Job.id == job_id)).one()
        return bytes(row.content), row.name, row.year


def set_stage(factory: sessionmaker[Session], job_id: int, stage: str) -> None:
    with _write(factory) as session, session.begin():
        session.execute(update(Job).where(Job.id == job_id, Job.status == "running").values(stage=stage[:32]))


def fail(factory: sessionmaker[Session], job_id: int, message: str) -> None:
    with _write(factory) as session, session.begin():
        session.execute(
            update(Job).where(Job.id == job_id).values(status="failed", message=message, finished_at=now())
        )


def _hints(factory: sessionmaker[Session], job_id: int):
    """What the job's bureau taught the reading (``ledger.corrections``)."""
    with factory() as session:
        job = session.get(Job, job_id)
        return hints_for(session, job.bureau_id if job is not None else None)


def finish_read(factory: sessionmaker[Session], job_id: int, result: dict) -> int | None:
    """Keep what was read as a draft of the job's user; the draft's id (None if the job is gone)."""
    with _write(factory) as session, session.begin():
        job = session.get(Job, job_id)
        if job is None or job.status != "running":
            return None
        username = session.scalar(select(User.username).where(User.id == job.user_id)) or "?"
        draft = Draft(
            user_id=job.user_id,
            bureau_id=job.bureau_id,
            source_name=job.name,
            content=job.content,
            lines=result["lines"],
            plan=apply_unit_aliases(result["plan"], hints_for(session, job.bureau_id)),
            created_at=now(),
        )
        session.add(draft)
        session.flush()
        audit.record(
            session, username, "upload", "draft", draft.id, None, {"name": job.name, "items": result["items"]}
        )
        job.status, job.draft_id, job.finished_at = "done", draft.id, now()
        job.content = b""  # the draft keeps the file
        return draft.id


def run_read(factory: sessionmaker[Session], job_id: int, processes, work=None) -> str:
    """Claim the job and read its upload in a limited child process (``processes``: a
    :class:`~eduplan.jobs.pool.ChildProcesses`; ``work``: what the child runs, by default
    ``reading.read_upload_job``); the job's status afterwards."""
    from eduplan.jobs.reading import read_upload_job

    work = work or read_upload_job
    claimed = claim(factory, job_id)
    if claimed is None:
        return "skipped"
    data, name, year = claimed
    hints = _hints(factory, job_id)
    taught = (dict(hints.header_roles),) if hints.header_roles else ()  # what the bureau taught
    try:
        result = processes.run(
            work, data, name, year, *taught, progress=lambda stage: set_stage(factory, job_id, stage)
        )
    except EduplanError as error:
        fail(factory, job_id, str(error))
        return "failed"
    except Exception:
        log.exception("job %s", job_id)
        from eduplan.jobs.pool import CRASH_MESSAGE

        fail(factory, job_id, CRASH_MESSAGE)
        return "failed"
    try:
        finish_read(factory, job_id, result)
    except Exception:  # e.g. a value the database refuses: the person is told, the job is not stuck
        log.exception("job %s: storing the draft", job_id)
        from eduplan.jobs.pool import CRASH_MESSAGE

        fail(factory, job_id, CRASH_MESSAGE)
        return "failed"
    return "done"


def requeue_stale(factory: sessionmaker[Session], older_than: timedelta) -> list[int]:
    """Jobs left running longer than ``older_than`` (their runner died: a child is killed well
    before) go back to pending, or fail after ``MAX_ATTEMPTS``; the ids put back."""
    cutoff = now() - older_than
    with _write(factory) as session, session.begin():
        stale = Job.status == "running", Job.started_at < cutoff
        session.execute(
            update(Job)
            .where(*stale, Job.attempts >= MAX_ATTEMPTS)
            .values(status="failed", message=GAVE_UP, finished_at=now())
        )
        ids = list(session.scalars(select(Job.id).where(*stale)))
        if ids:
            session.execute(update(Job).where(Job.id.in_(ids)).values(status="pending", stage=""))
        return ids


def pending(factory: sessionmaker[Session], kind: str = READ_UPLOAD) -> list[int]:
    with factory() as session:
        return list(
            session.scalars(select(Job.id).where(Job.status == "pending", Job.kind == kind).order_by(Job.id))
        )
