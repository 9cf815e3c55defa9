"""The import's reading as a job: upload → pending (正在读取…, the page refreshing itself) → done →
the review page; a reading past its time limit → a Chinese message, the upload kept. On SQLite
with the in-process runner, and on PostgreSQL with the procrastinate queue and its worker."""

from __future__ import annotations

import concurrent.futures
import re
import time

import pytest
from sqlalchemy import select

from eduplan.jobs import samples, store
from eduplan.jobs.pool import ChildLimits, ChildProcesses
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import Draft, Job

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CALENDAR_TXT = "\n".join(
    [
        "示例县教育局2024年秋季学期工作行事历",
        "周次\t日期\t工作内容\t责任科室",
        "第1周\t9月2日—9月6日\t开学工作检查\t基教股、各学校",
        "第2周\t9月10日\t庆祝教师节表彰大会\t办公室",
        "",
    ]
).encode("utf-8")


class HeldRunner:
    """A runner that runs nothing until the test says so (the job stays pending meanwhile)."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, job_id: int) -> None:
        self.submitted.append(job_id)

    async def wait(self, job_id: int, seconds: float) -> None:
        return None

    def resume(self) -> list[int]:
        return []

    def close(self) -> None:
        pass


def signed_in(login, role: str):
    client = login(role)
    client.csrf = CSRF.search(client.get("/login").text).group(1)
    return client


@pytest.fixture(autouse=True)
def _default_wait(monkeypatch):
    """These tests are about the waiting page: the upload's answer waits the default 3 s, not
    the 60 s tests/web/conftest.py gives uploads elsewhere (a held job would wait them out)."""
    monkeypatch.delenv("EDUPLAN_IMPORT_WAIT_SECONDS", raising=False)


def upload(client, name: str = "行事历.txt", data: bytes = CALENDAR_TXT, **headers):
    return client.post(
        "/import",
        data={"csrf_token": client.csrf},
        files={"file": (name, data, "application/octet-stream")},
        headers=headers,
        follow_redirects=False,
    )


def job_id_of(response) -> int:
    assert response.status_code == 303, response.text[:300]
    match = re.fullmatch(r"/import/jobs/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def factory_of(url: str):
    return sessions(connect(url))


def test_upload_pending_then_done_then_the_review_page(app, login, seeded):
    held = app.state.job_runner = HeldRunner()
    admin = signed_in(login, "admin")
    job_id = job_id_of(upload(admin))
    assert held.submitted == [job_id]

    waiting = admin.get(f"/import/jobs/{job_id}", follow_redirects=False)
    assert waiting.status_code == 200
    assert "正在读取…" in waiting.text and "排队等候处理" in waiting.text
    assert '<meta http-equiv="refresh" content="2">' in waiting.text
    assert re.search(r'<progress id="job-progress" max="3" value="0"', waiting.text)
    assert (
        admin.get(f"/import/jobs/{job_id}", headers={"accept": "application/json"}).json()["status"]
        == "pending"
    )

    factory = factory_of(seeded["url"])
    assert store.run_read(factory, job_id, ChildProcesses(ChildLimits(seconds=60))) == "done"
    done = admin.get(f"/import/jobs/{job_id}", follow_redirects=False)
    assert done.status_code == 303
    draft_id = int(done.headers["location"].rsplit("/", 1)[1])
    review = admin.get(done.headers["location"]).text
    assert "核对导入：行事历.txt" in review and "庆祝教师节表彰大会" in review
    with factory() as session:
        draft = session.get(Draft, draft_id)
        job = session.get(Job, job_id)
        assert draft.content == CALENDAR_TXT and len(draft.plan["items"]) == 2
        assert (job.status, job.draft_id, job.content, job.attempts) == ("done", draft_id, b"", 1)
    # The same job is never read twice.
    assert store.run_read(factory, job_id, ChildProcesses()) == "skipped"


def test_a_reading_past_its_time_limit_is_a_chinese_message_and_the_upload_is_kept(app, login, seeded):
    app.state.job_runner = HeldRunner()
    admin = signed_in(login, "admin")
    job_id = job_id_of(upload(admin))
    factory = factory_of(seeded["url"])
    short = ChildProcesses(ChildLimits(seconds=1))
    assert store.run_read(factory, job_id, short, work=samples.slow_read) == "failed"
    page = admin.get(f"/import/jobs/{job_id}")
    assert page.status_code == 200
    assert "没能读取这份文件：处理时间超过 1 秒上限，已停止" in page.text
    assert "http-equiv" not in page.text  # no more refreshing
    with factory() as session:
        job = session.get(Job, job_id)
        assert job.status == "failed" and job.content == CALENDAR_TXT
        assert session.scalars(select(Draft)).all() == []


def test_the_in_process_runner_reads_in_a_child_and_the_page_gets_there(login, seeded, monkeypatch):
    monkeypatch.setenv("EDUPLAN_IMPORT_WAIT_SECONDS", "0")
    admin = signed_in(login, "admin")
    job_id = job_id_of(upload(admin, accept="text/html"))
    deadline = time.monotonic() + 60  # bounded wait for the child, not a timing assertion
    while time.monotonic() < deadline:
        answer = admin.get(f"/import/jobs/{job_id}", headers={"accept": "application/json"}).json()
        if answer["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert answer["status"] == "done", answer
    assert "开学工作检查" in admin.get(answer["redirect"]).text


def test_a_script_upload_that_takes_long_is_sent_to_the_waiting_page(app, login, seeded):
    app.state.job_runner = HeldRunner()
    admin = signed_in(login, "admin")
    answer = upload(admin, accept="application/json")
    assert answer.status_code == 200
    assert answer.json()["redirect"] == f"/import/jobs/{answer.json()['job_id']}"


def test_another_bureaus_or_a_non_admins_job_is_not_shown(app, login, seeded):
    app.state.job_runner = HeldRunner()
    job_id = job_id_of(upload(signed_in(login, "admin")))
    assert signed_in(login, "office").get(f"/import/jobs/{job_id}").status_code == 403
    assert signed_in(login, "admin").get(f"/import/jobs/{job_id + 1}").status_code == 404


def test_a_job_left_running_by_a_dead_server_is_read_again_at_most_twice(app, login, seeded):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    app.state.job_runner = HeldRunner()
    job_id = job_id_of(upload(signed_in(login, "admin")))
    factory = factory_of(seeded["url"])
    assert store.claim(factory, job_id) is not None  # a runner took it, then died
    assert store.requeue_stale(factory, timedelta(hours=1)) == []  # not stale yet
    assert store.requeue_stale(factory, timedelta(0)) == [job_id]
    assert store.pending(factory) == [job_id]
    assert store.claim(factory, job_id) is not None  # the second attempt dies too
    with factory.begin() as session:
        session.execute(update(Job).values(started_at=datetime(2026, 1, 1, tzinfo=UTC)))
    assert store.requeue_stale(factory, timedelta(0)) == []
    with factory() as session:
        job = session.get(Job, job_id)
        assert job.status == "failed" and job.message == store.GAVE_UP


def test_a_job_a_stopped_server_left_pending_is_read_when_it_starts_again(app, login, seeded):
    from fastapi.testclient import TestClient

    from eduplan.web.app import create_app

    app.state.job_runner = HeldRunner()  # this server stops before it reads the upload
    job_id = job_id_of(upload(signed_in(login, "admin")))
    again = create_app(seeded["url"])
    with TestClient(again):  # the lifespan: start-up resumes pending jobs, shutdown waits for none
        runner = again.state.job_runner
        deadline = time.monotonic() + 60  # bounded wait for the child, not a timing assertion
        while time.monotonic() < deadline:
            with factory_of(seeded["url"])() as session:
                status = session.get(Job, job_id).status
            if status in ("done", "failed"):
                break
            time.sleep(0.1)
    assert status == "done"
    assert runner is not None


# ---------------------------------------------------------------- the queue (PostgreSQL)


@pytest.fixture
def pg_seeded(postgresql, monkeypatch):
    from eduplan.demo.bureau import seed_demo

    with postgresql.schema() as (_, url):
        with sessions(connect(url)).begin() as session:
            seed_demo(session)
        monkeypatch.setenv("EDUPLAN_JOB_QUEUE", "procrastinate")
        monkeypatch.setenv("EDUPLAN_IMPORT_WAIT_SECONDS", "0")
        yield url


def test_the_queue_keeps_the_job_until_a_worker_reads_it(pg_seeded):
    from fastapi.testclient import TestClient

    from eduplan.demo.bureau import DEMO_USERS
    from eduplan.jobs import queue
    from eduplan.web.app import create_app

    queue.ensure_schema(pg_seeded)
    app = create_app(pg_seeded)
    client = TestClient(app)
    token = CSRF.search(client.get("/login").text).group(1)
    username, password = DEMO_USERS[0][0], DEMO_USERS[0][1]
    signed = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    client.csrf = CSRF.search(client.get("/login").text).group(1)
    job_id = job_id_of(upload(client))
    assert "正在读取…" in client.get(f"/import/jobs/{job_id}").text
    web_runner = app.state.job_runner
    web_runner.close()  # the web process goes away; the job is in the queue's table

    # A worker (another process in production) reads it. procrastinate's worker runs its own event
    # loop (asyncio.run), which refuses a thread where an earlier test (Playwright's sync API) left
    # one set: here it gets a thread of its own, as it has a process of its own in production.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(queue.run_worker, pg_seeded, once=True).result()
    done = client.get(f"/import/jobs/{job_id}", follow_redirects=False)
    assert done.status_code == 303, done.text[:300]
    assert "庆祝教师节表彰大会" in client.get(done.headers["location"]).text


def test_the_worker_runs_the_reminders_as_a_periodic_task(pg_seeded):
    from eduplan.jobs import queue

    app = queue.queue_app(pg_seeded)
    periodic = [p for p in app.periodic_registry.periodic_tasks.values() if p.task.name == queue.REMIND_TASK]
    assert [p.cron for p in periodic] == [queue.DEFAULT_REMIND_CRON]
    line = app.tasks[queue.REMIND_TASK](timestamp=0)  # what the worker calls at the cron's time
    assert line.startswith("remind ") and "failed" in line
