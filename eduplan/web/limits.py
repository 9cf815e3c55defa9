"""Limits that keep the server up under load, applied at the ASGI layer before any route runs.

* :class:`BodyLimit` counts the bytes of every request body as they arrive — declared
  (``Content-Length``) and chunked alike — and answers 413 in Chinese as soon as a body passes its
  route's limit, before it is signed in, parsed or written to a temporary file. A body without a
  signed-in session or an API token may be small (a sign-in form); uploads get their own limits.
* :class:`Admission` lets at most ``active`` requests run at once (as many as the worker threads
  and the pooled database connections, so a running request never waits for either) and at most
  ``queue`` more wait, each for ``queue_seconds`` at most. Past that the answer is 503 with
  ``Retry-After`` and a Chinese page at once, instead of every request waiting for a connection
  that 40 others want. Static files are never queued.

The figures come from the environment (``WebLimits.from_env``) so a deployment can size them.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eduplan.read.sizes import human_size

MIB = 1024 * 1024


def _env_int(name: str, default: int, environ: dict[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    raw = (env.get(name) or "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def _env_float(name: str, default: float, environ: dict[str, str] | None = None) -> float:
    env = os.environ if environ is None else environ
    raw = (env.get(name) or "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


POSTGRESQL_ACTIVE = 16
"""Requests running at once per process on PostgreSQL. More than on SQLite: several processes
serve there, each connection stays with the process that accepted it, and the kernel shares the
cores by runnable threads — with 4 per process the process holding more connections got no more
CPU, and ``bench load --workers 2`` p95 was 283 and 404 ms against 265–288 ms with 16 (its p50
lower, 125–141 against 157–175 ms: the spread is the imbalance)."""


@dataclass(frozen=True)
class WebLimits:
    """How much the web app takes on at once, and how big a body it reads."""

    active: int = 4
    """Requests running at once; also the worker threads and the pooled connections. On SQLite
    (one process) few: a process runs Python on one core at a time (the GIL), so more running
    requests only take turns on it and on SQLite's one writer, in no fair order, while the
    admission queue beyond them is first come, first served. ``eduplan bench load --writers 50``
    on SQLite, 4 alternate 30 s runs each (2 cores): p95 177/192/186/160 ms with 4 running
    against 196/206/216/188 ms with 16, at the same CPU per request (2.5–2.9 ms), max 231–242
    against 314–362 ms. On PostgreSQL ``POSTGRESQL_ACTIVE``. A request whose body is slow to
    come gives its place up meanwhile (``Admission``)."""
    queue: int = 64
    """Requests waiting for a turn beyond ``active``; more are refused with 503 at once."""
    queue_seconds: float = 5.0
    """How long a request waits for its turn (and a writer for the write turn) before a 503."""
    write_seconds: float = 30.0
    """How long a state-changing request waits for this process's write turn before a 503."""
    retry_after: int = 5
    anonymous_body: int = 64 * 1024
    """A body sent without a session or a token: a sign-in form is a few hundred bytes."""
    signed_in_body: int = 1 * MIB
    """Any other signed-in form or JSON body."""
    upload_slack: int = 64 * 1024
    """Room for the multipart envelope and the other fields above a file size limit."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, *, postgresql: bool = False) -> WebLimits:
        """``EDUPLAN_WEB_THREADS``, ``EDUPLAN_WEB_QUEUE``, ``EDUPLAN_WEB_QUEUE_SECONDS``,
        ``EDUPLAN_MAX_ANONYMOUS_BODY_BYTES``, ``EDUPLAN_MAX_BODY_BYTES``; defaults above
        (``POSTGRESQL_ACTIVE`` running on a PostgreSQL ledger)."""
        base = cls()
        active = POSTGRESQL_ACTIVE if postgresql else base.active
        return cls(
            active=_env_int("EDUPLAN_WEB_THREADS", active, environ),
            queue=_env_int("EDUPLAN_WEB_QUEUE", base.queue, environ),
            queue_seconds=_env_float("EDUPLAN_WEB_QUEUE_SECONDS", base.queue_seconds, environ),
            anonymous_body=_env_int("EDUPLAN_MAX_ANONYMOUS_BODY_BYTES", base.anonymous_body, environ),
            signed_in_body=_env_int("EDUPLAN_MAX_BODY_BYTES", base.signed_in_body, environ),
        )

    def upload_routes(self) -> list[tuple[str, re.Pattern[str], int]]:
        """(method, path pattern, body limit) of the routes that take files."""
        from eduplan.settings import Limits
        from eduplan.web.uploads import MAX_FILES_PER_REPORT, max_attachment_bytes

        document = Limits.from_env().max_file_bytes + self.upload_slack
        attachments = MAX_FILES_PER_REPORT * max_attachment_bytes() + self.upload_slack
        return [
            ("POST", re.compile(r"/import/?"), document),
            ("POST", re.compile(r"/items/\d+/(?:reports|close)/?"), attachments),
        ]


# ------------------------------------------------------------------------------ answers


def _wants_json(scope: Scope) -> bool:
    path = scope.get("path", "")
    if path.startswith(("/api/", "/feeds/")):
        return True
    accept = next((v for k, v in scope.get("headers", ()) if k == b"accept"), b"")
    return b"application/json" in accept


_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{status} {title}</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><main class="error-page"><h1>{title}</h1><p>{message}</p>
<p><a href="/">返回工作台</a></p></main></body></html>
"""


async def send_refusal(
    scope: Scope,
    send: Send,
    status: int,
    title: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> None:
    """A short answer in Chinese — JSON for the API and feeds, else a small page — that needs no
    template, no database and no thread (it is sent when those are what is short)."""
    if _wants_json(scope):
        body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
        kind = b"application/json"
    else:
        body = _PAGE.format(status=status, title=title, message=message).encode("utf-8")
        kind = b"text/html; charset=utf-8"
    raw = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    raw.extend((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items())
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


# ------------------------------------------------------------------------------ body limit


class BodyTooLarge(Exception):
    """Raised from ``receive`` when the body passes its limit; turned into a 413."""


def too_large_message(limit: int, upload: bool = False) -> str:
    if upload:
        return f"文件太大：本次提交超过上限 {human_size(limit)}，请压缩或拆分后再上传"
    return f"提交的内容太大（超过 {human_size(limit)}），请减小内容或拆分后再提交"


def _has_session(scope: Scope) -> bool:
    """The request carried a validly signed session cookie (``eduplan.web.sessions``)."""
    from eduplan.web.sessions import ANONYMOUS, STATE

    state = scope.get(STATE)
    return state is not None and not state.minted and not state.token.startswith(ANONYMOUS)


class BodyLimit:
    """Pure ASGI middleware refusing a request body past its route's limit with 413, before the
    route reads it. Must run inside ``ServerSessions`` (a request carrying a validly signed
    cookie of a signed-in session counts as signed in; whether the session is still live the
    route decides)."""

    def __init__(self, app: ASGIApp, limits: WebLimits | None = None) -> None:
        self.app = app
        self.limits = limits or WebLimits.from_env()

    def limit_for(self, scope: Scope) -> tuple[int, bool]:
        """The body limit of this request, and whether it is an upload route's."""
        method, path = scope.get("method", "GET"), scope.get("path", "")
        headers = dict(scope.get("headers", ()))
        bearer = headers.get(b"authorization", b"").lower().startswith(b"bearer ")
        if not (bearer or _has_session(scope)):
            return self.limits.anonymous_body, False
        if method == "POST":  # the file limits are read from the environment each time
            for wanted, pattern, limit in self.limits.upload_routes():
                if method == wanted and pattern.fullmatch(path):
                    return limit, True
        return self.limits.signed_in_body, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, upload = self.limit_for(scope)
        refusal = {"Connection": "close"}
        text = too_large_message(limit, upload)
        declared = next((v for k, v in scope.get("headers", ()) if k == b"content-length"), None)
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = -1
            if size > limit:
                await send_refusal(scope, send, 413, "内容太大", text, refusal)
                return
        received = 0
        exceeded = started = refused = False

        async def counted_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            # Whatever the app made of the exception (FastAPI's English 400 "error parsing the
            # body", a form parser's 400, a 500) is replaced by the 413 it really is.
            nonlocal started, refused
            if exceeded and not started:
                if not refused:
                    refused = True
                    await send_refusal(scope, send, 413, "内容太大", text, refusal)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started and not refused:
            await send_refusal(scope, send, 413, "内容太大", text, refusal)


# ------------------------------------------------------------------------------ admission


BUSY_MESSAGE = "系统繁忙，请稍后再试（同时访问的人太多，请过几秒刷新页面）"


BODY_PROMPT_SECONDS = 0.1
"""A part of a request's body not in within this long is being sent slowly: the request gives its
running place up until it is in (``Admission``)."""

SLOT = "eduplan.admission_slot"
"""The scope key of a running request's :class:`Slot`."""


class Slot:
    """A running request's place among the ``active`` ones. A request about to wait for something
    other requests do not need — the write turn — gives its place up meanwhile (``pause``) and
    takes one again afterwards (``resume``, bounded), so waiting writers cannot crowd out readers."""

    def __init__(self, slots: asyncio.Semaphore) -> None:
        self.slots = slots
        self.held = True

    def pause(self) -> None:
        if self.held:
            self.held = False
            self.slots.release()

    async def resume(self, timeout: float) -> None:
        """Take a place again; TimeoutError after ``timeout`` seconds."""
        if not self.held:
            await asyncio.wait_for(self.slots.acquire(), timeout)
            self.held = True

    def release(self) -> None:
        self.pause()


class Admission:
    """Pure ASGI middleware bounding the requests in progress: ``active`` run, ``queue`` wait at
    most ``queue_seconds``, the rest get 503 with ``Retry-After`` at once. Static files and
    non-HTTP scopes pass untouched. Waiting happens on the event loop: it holds no thread and no
    database connection. The running request's :class:`Slot` is in ``scope[SLOT]``."""

    def __init__(
        self, app: ASGIApp, limits: WebLimits | None = None, exempt: tuple[str, ...] = ("/static/",)
    ):
        self.app = app
        self.limits = limits or WebLimits.from_env()
        self.exempt = exempt
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.waiting = 0
        self.refused = 0

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._slots is None or self._loop is not loop:  # made in the server's event loop
            self._slots, self._loop = asyncio.Semaphore(self.limits.active), loop
        return self._slots

    async def _busy(self, scope: Scope, send: Send) -> None:
        self.refused += 1
        headers = {"Retry-After": str(self.limits.retry_after)}
        await send_refusal(scope, send, 503, "系统繁忙", BUSY_MESSAGE, headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        slots = self._semaphore()
        if slots.locked():
            if self.waiting >= self.limits.queue:
                await self._busy(scope, send)
                return
            self.waiting += 1
            try:
                await asyncio.wait_for(slots.acquire(), self.limits.queue_seconds)
            except TimeoutError:
                await self._busy(scope, send)
                return
            finally:
                self.waiting -= 1
        else:
            await slots.acquire()
        slot = scope[SLOT] = Slot(slots)
        try:
            await self.app(scope, self._receiving(receive, slot), send)
        finally:
            slot.release()

    def _receiving(self, receive: Receive, slot: Slot) -> Receive:
        """``receive`` of a request holding ``slot``: a part of the body not in within
        ``BODY_PROMPT_SECONDS`` is waited for without the running place (a timer gives it up; no
        task per message), which is taken again once the part is in — a 503 if none comes free
        within the admission wait. Slow senders cannot take the few running places. Once the
        body is in, ``receive`` only waits for the client to go (a response listening for a
        disconnect): that wait keeps the place, as the response is still being made."""
        loop = asyncio.get_running_loop()
        body_in = False

        async def receive_in_turn() -> Message:
            nonlocal body_in
            if body_in or not slot.held:
                return await receive()
            timer = loop.call_later(BODY_PROMPT_SECONDS, slot.pause)
            try:
                message = await receive()
            finally:
                timer.cancel()
            body_in = message["type"] != "http.request" or not message.get("more_body", False)
            if not slot.held:
                try:
                    await slot.resume(self.limits.queue_seconds)
                except TimeoutError:
                    headers = {"Retry-After": str(self.limits.retry_after)}
                    raise HTTPException(503, BUSY_MESSAGE, headers=headers) from None
            return message

        return receive_in_turn
