"""Limits at the ASGI layer (eduplan/web/limits.py) and the write turn (eduplan/web/db.py):

* a body past its limit is refused with a Chinese 413 before the app reads it — announced or
  chunked, before sign-in (small) and for uploads (their own limits);
* past the admission queue the answer is 503 with Retry-After at once; static files still
  answer; the server serves again when the load has gone;
* a writer is not held up by another request still sending its body.

Everything here asserts what happens, never how fast.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

import httpx
import pytest
from sqlalchemy import select

from eduplan.ledger.clock import now
from eduplan.ledger.models import ApiToken, Item, User
from eduplan.web.limits import SLOT, Admission, BodyLimit, WebLimits
from eduplan.web.security import new_token, token_digest
from eduplan.web.sessions import STATE, CookieState

MIB = 1024 * 1024


def _run(coro):
    """Run ``coro`` on a loop of its own in a thread: an earlier test (Playwright's sync API in
    the end-to-end tests) may leave an event loop set in this thread, where asyncio.run refuses."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


class Sent:
    """What an ASGI app sent, and how many body bytes it pulled from ``receive``."""

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.body = b""
        self.pulled = 0

    async def send(self, message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = {k.decode(): v.decode() for k, v in message.get("headers", [])}
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    def text(self) -> str:
        return self.body.decode("utf-8")


def _scope(path: str, headers: dict[str, str], method: str = "POST", session: dict | None = None) -> dict:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "query_string": b"",
    }
    if session is not None:
        # What eduplan.web.sessions.ServerSessions leaves for a request with a signed cookie.
        scope[STATE] = CookieState(token="t", minted=False, csrf_key=b"k")
    return scope


def _endless(sent: Sent, chunk: int = 64 * 1024):
    """A client that never stops sending (chunked, no Content-Length)."""

    async def receive():
        sent.pulled += chunk
        return {"type": "http.request", "body": b"x" * chunk, "more_body": True}

    return receive


async def _reading_app(scope, receive, send) -> None:
    """An app that reads its whole body before answering (as a form or JSON route does)."""
    while True:
        message = await receive()
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_an_announced_300_mib_body_without_sign_in_is_refused_unread():
    limits = WebLimits()
    sent = Sent()
    scope = _scope(
        "/api/v1/items/1/reports", {"content-length": str(300 * MIB), "content-type": "application/json"}
    )
    _run(BodyLimit(_reading_app, limits)(scope, _endless(sent), sent.send))
    assert sent.status == 413
    assert sent.pulled == 0
    assert "提交的内容太大" in sent.text()
    assert sent.headers["connection"] == "close"


def test_a_chunked_body_is_counted_and_refused_once_past_the_limit():
    limits = WebLimits()
    sent = Sent()
    scope = _scope("/login", {"content-type": "multipart/form-data; boundary=x"})
    _run(BodyLimit(_reading_app, limits)(scope, _endless(sent), sent.send))
    assert sent.status == 413
    assert "内容太大" in sent.text() and "<html" in sent.text()
    assert sent.pulled <= limits.anonymous_body + 64 * 1024


def _body_of(size: int, chunk: int):
    """A client sending ``size`` bytes in chunks of ``chunk``, then the end of the body."""
    left = size

    async def receive():
        nonlocal left
        part = min(chunk, left)
        left -= part
        return {"type": "http.request", "body": b"x" * part, "more_body": left > 0}

    return receive


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize(("extra", "status"), [(-1, 200), (0, 200), (1, 413)], ids=["under", "at", "over"])
def test_a_body_of_exactly_the_limit_passes_and_one_byte_more_is_refused(declared, extra, status):
    limits = WebLimits()
    size = limits.anonymous_body + extra
    headers = {"content-type": "application/json"}
    if declared:
        headers["content-length"] = str(size)
    sent = Sent()
    _run(BodyLimit(_reading_app, limits)(_scope("/login", headers), _body_of(size, 4096), sent.send))
    assert sent.status == status


def test_signed_in_bodies_and_uploads_have_larger_limits(monkeypatch):
    monkeypatch.setenv("EDUPLAN_MAX_FILE_BYTES", str(2 * MIB))
    limits = WebLimits()
    body_limit = BodyLimit(_reading_app, limits)
    signed_in = {"user_id": 1}
    assert body_limit.limit_for(_scope("/login", {})) == (limits.anonymous_body, False)
    assert body_limit.limit_for(_scope("/items/3/status", {}, session=signed_in)) == (
        limits.signed_in_body,
        False,
    )
    assert body_limit.limit_for(_scope("/import", {}, session=signed_in)) == (
        2 * MIB + limits.upload_slack,
        True,
    )
    # A chunked upload past the route's limit: 413, "文件太大", read no further than the limit.
    sent = Sent()
    scope = _scope("/import", {"content-type": "multipart/form-data; boundary=x"}, session=signed_in)
    _run(body_limit(scope, _endless(sent), sent.send))
    assert sent.status == 413 and "文件太大" in sent.text()
    assert sent.pulled <= 2 * MIB + limits.upload_slack + 64 * 1024
    # Within its limit the body reaches the route.
    small = Sent()

    async def one_chunk():
        return {"type": "http.request", "body": b"x" * 1000, "more_body": False}

    _run(body_limit(_scope("/login", {"content-length": "1000"}), one_chunk, small.send))
    assert small.status == 200


def test_the_real_app_refuses_a_big_anonymous_post_before_csrf_or_sign_in(app):
    from fastapi.testclient import TestClient

    client = TestClient(app)
    response = client.post("/api/v1/items/1/reports", content=b"{" + b" " * (2 * MIB) + b"}")
    assert response.status_code == 413
    assert "内容太大" in response.json()["detail"]
    page = client.post("/login", data={"username": "x" * (100 * 1024), "password": "y"})
    assert page.status_code == 413 and "内容太大" in page.text


def _chunks(total: int, size: int = 64 * 1024):
    """A body sent chunked, without Content-Length."""
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size


def test_the_real_app_refuses_chunked_bodies_past_their_limit_in_chinese(app, login, monkeypatch):
    from fastapi.testclient import TestClient

    anonymous = TestClient(app)
    page = anonymous.post(
        "/login", content=_chunks(MIB), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert page.status_code == 413 and "内容太大" in page.text
    api = anonymous.post(
        "/api/v1/items/1/reports", content=_chunks(MIB), headers={"Content-Type": "application/json"}
    )
    assert api.status_code == 413 and "内容太大" in api.json()["detail"]
    monkeypatch.setenv("EDUPLAN_MAX_FILE_BYTES", "100000")
    admin = login("admin")
    upload = admin.post(
        "/import",
        content=_chunks(2 * MIB),
        headers={"Content-Type": "multipart/form-data; boundary=x", "X-CSRF-Token": admin.csrf},
    )
    assert upload.status_code == 413 and "文件太大" in upload.text


# ------------------------------------------------------------------------------ admission


def test_past_the_queue_the_answer_is_503_at_once_and_static_files_still_answer():
    limits = WebLimits(active=1, queue=1, queue_seconds=30)
    release = asyncio.Event()

    async def slow_app(scope, receive, send):
        if scope["path"].startswith("/items"):
            await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    admission = Admission(slow_app, limits)

    async def scenario():
        first, second, third, static, later = Sent(), Sent(), Sent(), Sent(), Sent()

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        running = asyncio.create_task(admission(_scope("/items/1", {}, "GET"), receive, first.send))
        queued = asyncio.create_task(admission(_scope("/items/2", {}, "GET"), receive, second.send))
        await asyncio.sleep(0)  # both are in: one running, one queued
        await admission(_scope("/items/3", {"accept": "application/json"}, "GET"), receive, third.send)
        await admission(_scope("/static/app.css", {}, "GET"), receive, static.send)
        assert first.status is None and second.status is None  # still held
        release.set()
        await asyncio.gather(running, queued)
        await admission(_scope("/items/4", {}, "GET"), receive, later.send)
        return first, second, third, static, later

    first, second, third, static, later = _run(scenario())
    assert third.status == 503
    assert third.headers["retry-after"] == str(limits.retry_after)
    assert "系统繁忙" in third.text()
    assert static.status == 200
    assert first.status == second.status == later.status == 200  # recovered by itself
    assert admission.waiting == 0


def test_a_queued_request_waits_no_longer_than_the_queue_allows():
    limits = WebLimits(active=1, queue=5, queue_seconds=0.05)
    hold = asyncio.Event()

    async def slow_app(scope, receive, send):
        await hold.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    admission = Admission(slow_app, limits)

    async def scenario():
        running, waited = Sent(), Sent()

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        task = asyncio.create_task(admission(_scope("/a", {}, "GET"), receive, running.send))
        await asyncio.sleep(0)
        await admission(_scope("/b", {}, "GET"), receive, waited.send)
        hold.set()
        await task
        return running, waited

    running, waited = _run(scenario())
    assert waited.status == 503 and running.status == 200


def test_a_request_waiting_for_the_write_turn_gives_its_place_to_readers():
    limits = WebLimits(active=1, queue=0, queue_seconds=30)
    turn = asyncio.Event()

    async def app(scope, receive, send):
        if scope["path"] == "/write":
            slot = scope[SLOT]
            slot.pause()  # as write_turn does while it waits for the lock
            await turn.wait()
            await slot.resume(30)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    admission = Admission(app, limits)

    async def scenario():
        writer, reader = Sent(), Sent()

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        task = asyncio.create_task(admission(_scope("/write", {}), receive, writer.send))
        await asyncio.sleep(0)
        await admission(_scope("/page", {}, "GET"), receive, reader.send)  # not refused: room made
        turn.set()
        await task
        return writer, reader

    writer, reader = _run(scenario())
    assert reader.status == 200 and writer.status == 200


def test_200_concurrent_item_pages_get_200_or_503_never_500_and_the_server_recovers(
    seeded, login, monkeypatch
):
    monkeypatch.setenv("EDUPLAN_WEB_THREADS", "4")
    monkeypatch.setenv("EDUPLAN_WEB_QUEUE", "8")
    from eduplan.web.app import create_app

    app = create_app(seeded["url"])
    with app.state.sessions() as session:
        item = session.scalars(select(Item.id).where(Item.title == "开学工作检查")).one()
    cookies = login("admin").cookies  # a session cookie signed with the same key (kept in the db)

    async def burst():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", cookies=cookies
        ) as client:
            pages = await asyncio.gather(*(client.get(f"/items/{item}") for _ in range(200)))
            static = await client.get("/static/app.css")
            again = await client.get(f"/items/{item}")
        return pages, static, again

    pages, static, again = _run(burst())
    codes = {r.status_code for r in pages}
    assert codes <= {200, 503}, codes
    assert 200 in codes
    assert all(r.headers.get("retry-after") for r in pages if r.status_code == 503)
    assert static.status_code == 200
    assert again.status_code == 200


# ------------------------------------------------------------------------------ the write turn


def _admin_token_and_item(app, name: str) -> tuple[str, int]:
    """A new API token of the admin's, named ``name``, and the id of the item 开学工作检查."""
    with app.state.sessions.begin() as session:
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        secret = new_token()
        session.add(ApiToken(user_id=admin.id, name=name, token_hash=token_digest(secret), created_at=now()))
        return secret, session.scalars(select(Item.id).where(Item.title == "开学工作检查")).one()


def test_a_trickled_upload_does_not_hold_up_another_write(app, login):
    secret, item = _admin_token_and_item(app, "写入")
    guest = login("admin")
    cookies, csrf = guest.cookies, guest.csrf

    async def scenario():
        write_done = asyncio.Event()
        boundary = "trickle"

        async def trickled_form():
            yield (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n慢慢填报'
            ).encode()
            await write_done.wait()  # the rest of the body comes only after the other write
            yield f"\r\n--{boundary}--\r\n".encode()

        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies=cookies) as slow,
            httpx.AsyncClient(
                transport=transport, base_url="http://test", headers={"Authorization": f"Bearer {secret}"}
            ) as fast,
        ):
            upload = asyncio.create_task(
                slow.post(
                    f"/items/{item}/reports",
                    content=trickled_form(),
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                )
            )
            await asyncio.sleep(0.05)  # the upload is in, its body half sent
            # Bounded only so that a regression fails instead of hanging the test run.
            write = await asyncio.wait_for(
                fast.post(f"/api/v1/items/{item}/reports", json={"text": "并行填报", "percent": 10}), 60
            )
            upload_pending = not upload.done()
            write_done.set()
            uploaded = await asyncio.wait_for(upload, 60)
        return write, upload_pending, uploaded

    write, upload_pending, uploaded = _run(scenario())
    assert write.status_code == 201
    assert upload_pending  # the write went through while the upload was still arriving
    assert uploaded.status_code in (200, 303)


def test_running_places_are_few_on_sqlite_more_per_process_on_postgresql_unless_set():
    assert WebLimits.from_env({}).active == 4
    assert WebLimits.from_env({}, postgresql=True).active == 16
    assert WebLimits.from_env({"EDUPLAN_WEB_THREADS": "7"}).active == 7
    assert WebLimits.from_env({"EDUPLAN_WEB_THREADS": "7"}, postgresql=True).active == 7


def test_an_app_on_sqlite_runs_four_requests_at_once(seeded, monkeypatch):
    monkeypatch.delenv("EDUPLAN_WEB_THREADS", raising=False)
    from eduplan.web.app import create_app

    assert seeded["url"].startswith("sqlite")
    assert create_app(seeded["url"]).state.limits.active == 4


def test_a_slowly_sent_body_gives_its_running_place_up_until_it_is_in(seeded, monkeypatch):
    """With one running place, a report whose body is still coming does not keep it: a read
    asked meanwhile is answered (not queued into a 503), and the report is stored once its
    body is in."""
    monkeypatch.setenv("EDUPLAN_WEB_THREADS", "1")
    monkeypatch.setenv("EDUPLAN_WEB_QUEUE_SECONDS", "2")
    from eduplan.web.app import create_app

    app = create_app(seeded["url"])
    assert app.state.limits.active == 1
    secret, item = _admin_token_and_item(app, "慢发")

    async def scenario():
        read_done = asyncio.Event()

        async def trickled_json():
            yield b'{"text": "\xe6\x85\xa2'  # half of the body, cut inside a character
            await read_done.wait()  # the rest comes only after the read was answered
            yield b'\xe6\x85\xa2\xe5\xa1\xab", "percent": 20}'

        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {secret}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as client:
            report = asyncio.create_task(
                client.post(
                    f"/api/v1/items/{item}/reports",
                    content=trickled_json(),
                    headers={"Content-Type": "application/json"},
                )
            )
            await asyncio.sleep(0.5)  # past BODY_PROMPT_SECONDS: the report is waiting for its body
            # Bounded only so that a regression fails instead of hanging the test run.
            read = await asyncio.wait_for(client.get(f"/api/v1/items/{item}"), 30)
            report_pending = not report.done()
            read_done.set()
            stored = await asyncio.wait_for(report, 30)
        return read, report_pending, stored

    read, report_pending, stored = _run(scenario())
    assert read.status_code == 200
    assert report_pending  # the read was answered while the report's body was still coming
    assert stored.status_code == 201, stored.text
    with app.state.sessions() as session:
        from eduplan.ledger.models import ProgressReport

        texts = session.scalars(select(ProgressReport.text).where(ProgressReport.id == stored.json()["id"]))
        assert list(texts) == ["慢慢填"]


def test_a_write_without_sign_in_is_still_sent_to_the_login_page(app):
    from fastapi.testclient import TestClient

    response = TestClient(app).post("/items/1/status", data={"status": "done"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
