"""``eduplan bench load``: many concurrent writers against the real server, then a count of what
was stored against what the server accepted.

A fresh ledger (a temporary SQLite file in WAL mode, or a new schema in the PostgreSQL database
given) gets the demo bureau and a plan of ``ITEMS`` items for 基教股. The app is served by uvicorn
in a subprocess, as ``eduplan serve`` does. Each writer has an API token of its own and, until
time is up, picks an item at random and either posts a progress report
(``POST /api/v1/items/{id}/reports``) or reads the item and changes its status with the revision
it saw (``PATCH /api/v1/items/{id}``; 409 when someone else changed it first — a conflict, not an
error). The server is then stopped and the database compared with the client's counts:

* lost reports = reports the server accepted (2xx) minus report rows stored (must be 0; every
  accepted report's id must be stored);
* revisions: each item's final revision must be its first one plus the status changes accepted.

Any 5xx, failed connection, lost report or revision mismatch makes the run fail.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select

from eduplan.bench.ledger import _FreshDatabase
from eduplan.ledger.clock import now
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import ApiToken, Item, ProgressReport, User
from eduplan.web.security import new_token, token_digest

ITEMS = 20
"""Fewer items than writers, so writers meet on the same items and revisions conflict."""
STATUSES = ("open", "in_progress")
REPORT_SHARE = 0.5
"""The share of turns that post a report; the rest read an item and change its status."""
STARTUP_SECONDS = 60.0


@dataclass
class WriterTally:
    """What one writer saw; merged after the run (no locks while writing)."""

    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    report_ids: dict[int, set[int]] = field(default_factory=dict)
    status_changes: Counter = field(default_factory=Counter)
    wrong_revision: int = 0


@dataclass(frozen=True)
class LoadResult:
    backend: str
    writers: int
    seconds: float
    elapsed: float
    statuses: Counter
    errors: Counter
    latencies: list[float]
    reports_accepted: int
    reports_stored: int
    reports_missing: int
    status_changes: int
    conflicts: int
    revision_mismatches: list[str]
    wrong_revision_responses: int
    load_average: tuple[float, float, float] | None
    load_average_after: tuple[float, float, float] | None = None
    server_cpu: float | None = None
    """CPU seconds (user + system) the server's processes spent during the run; None off Linux."""
    database_cpu: float | None = None
    """CPU seconds the server's PostgreSQL backends spent (None on SQLite: it is in-process)."""

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.errors.values())

    @property
    def server_errors(self) -> int:
        return sum(n for code, n in self.statuses.items() if code >= 500)

    @property
    def lost_updates(self) -> int:
        return max(self.reports_accepted - self.reports_stored, self.reports_missing)

    @property
    def ok(self) -> bool:
        return (
            self.server_errors == 0
            and not self.errors
            and self.lost_updates == 0
            and not self.revision_mismatches
            and self.wrong_revision_responses == 0
        )

    def percentile_ms(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)  # nearest rank
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)] * 1000


def report_lines(r: LoadResult) -> list[str]:
    codes = " · ".join(f"{code}: {n:,}" for code, n in sorted(r.statuses.items()))
    errors = ", ".join(f"{name} {n}" for name, n in r.errors.most_common()) or "0"

    def load(values: tuple[float, float, float] | None) -> str:
        return " / ".join(f"{v:.2f}" for v in values) if values else "unknown"

    mismatches = "; ".join(r.revision_mismatches[:5]) or "none"
    cpu = []
    if r.server_cpu is not None and r.requests:
        cpu.append(f"server CPU per request {r.server_cpu / r.requests * 1000:.2f} ms")
        if r.database_cpu is not None:
            cpu.append(f"PostgreSQL backends {r.database_cpu / r.requests * 1000:.2f} ms")
    return [
        f"bench load ({r.backend}): {r.writers} writers × {r.seconds:g} s"
        f" · {r.requests:,} requests in {r.elapsed:.1f} s ({r.requests / r.elapsed:,.1f} requests/s)",
        f"responses: {codes} · 5xx: {r.server_errors} · connection errors: {errors}",
        f"latency p50 {r.percentile_ms(0.50):.0f} ms · p95 {r.percentile_ms(0.95):.0f} ms"
        f" · max {r.percentile_ms(1.0):.0f} ms" + "".join(f" · {part}" for part in cpu),
        f"reports accepted {r.reports_accepted:,} · stored {r.reports_stored:,}"
        f" · lost updates {r.lost_updates}",
        f"status changes accepted {r.status_changes:,} · conflicts (409) {r.conflicts:,}"
        f" · revisions consistent: {'yes' if not r.revision_mismatches else 'NO'} ({mismatches})",
        f"load average (1/5/15 min) before {load(r.load_average)}, after {load(r.load_average_after)}"
        f" · {os.cpu_count()} CPUs",
        "result: " + ("OK" if r.ok else "FAILED"),
    ]


# ------------------------------------------------------------------------------ the ledger


def _seed(url: str, writers: int) -> tuple[list[int], list[str], dict[int, int]]:
    """The demo bureau, a plan of ITEMS items, one admin token per writer.
    Returns the item ids, the writers' tokens and each item's first revision."""
    from eduplan.demo.bureau import seed_demo
    from eduplan.ledger.importer import import_plan
    from eduplan.plan import Item as PlanItem
    from eduplan.plan import Plan

    engine = connect(url)
    try:
        factory = sessions(engine)
        with factory.begin() as session:
            info = seed_demo(session, corpus=None)
            plan = Plan(
                source={"name": "load.txt", "format": "txt"},
                title=f"{info.bureau}压力测试工作安排",
                issuer=info.bureau,
                items=[
                    PlanItem(
                        f"压测事项{n:02d}",
                        f"压测事项{n:02d}：按要求填报进度",
                        date(2026, 3, 2),
                        date(2026, 7, 3),
                        ["基教股"],
                        None,
                        n,
                    )
                    for n in range(1, ITEMS + 1)
                ],
            )
            plan_id = import_plan(session, plan, b"load test plan", bureau=info.bureau, actor="bench").plan_id
            admin = session.scalars(select(User).where(User.username == "admin")).one()
            tokens = []
            for n in range(writers):
                secret = new_token()
                session.add(
                    ApiToken(
                        user_id=admin.id,
                        name=f"压测{n + 1}",
                        token_hash=token_digest(secret),
                        created_at=now(),
                    )
                )
                tokens.append(secret)
        with factory() as session:
            rows = session.execute(select(Item.id, Item.revision).where(Item.plan_id == plan_id)).all()
        return [i for i, _ in rows], tokens, {i: r for i, r in rows}
    finally:
        engine.dispose()


def _stored(url: str, items: list[int]) -> tuple[dict[int, set[int]], dict[int, int]]:
    engine = connect(url, upgrade=False)
    try:
        with sessions(engine)() as session:
            reports: dict[int, set[int]] = {i: set() for i in items}
            for report_id, item_id in session.execute(
                select(ProgressReport.id, ProgressReport.item_id).where(ProgressReport.item_id.in_(items))
            ):
                reports[item_id].add(report_id)
            revisions = dict(session.execute(select(Item.id, Item.revision).where(Item.id.in_(items))).all())
        return reports, revisions
    finally:
        engine.dispose()


# ------------------------------------------------------------------------------ the server


def _cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU seconds of the processes ``pids`` (from /proc; None where there is none).
    A process gone meanwhile counts 0."""
    if not Path("/proc/self/stat").exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    return total / ticks


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (uvicorn's worker processes)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def _settled(server: Server) -> tuple[list[int], float | None]:
    """The server's processes and their CPU seconds once every worker has started (a worker
    still importing the app when the first answers would count its start-up as serving)."""
    tree = _process_tree(server.process.pid)
    before = _cpu_seconds(tree)
    for _ in range(int(STARTUP_SECONDS * 2) if server.workers > 1 else 0):
        time.sleep(0.5)
        tree = _process_tree(server.process.pid)
        now_cpu = _cpu_seconds(tree)
        if now_cpu is None or before is None or now_cpu - before < 0.02:
            return tree, now_cpu
        before = now_cpu
    return tree, before


def _backend_pids(url: str, application: str) -> list[int]:
    """The PostgreSQL backends serving connections named ``application`` (the server's pool)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
                {"name": application},
            )
            return [pid for (pid,) in rows]
    finally:
        engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``uvicorn`` serving ``create_app`` on ``url`` in a subprocess (as ``eduplan serve``, with its
    listening socket's ``TCP_NODELAY``: ``eduplan.web.listener``), with ``workers`` processes.
    ``stop_seconds`` is how long it took to stop after SIGTERM."""

    def __init__(self, url: str, log: Path, workers: int = 1) -> None:
        self.url = url
        self.port = _free_port()
        self.log = log
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.stop_seconds: float | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def application(self) -> str:
        """The ``application_name`` of the server's PostgreSQL connections."""
        return f"eduplan-load-{self.port}"

    def __enter__(self) -> Server:
        url = self.url
        if not url.startswith("sqlite"):  # its backends can then be found (their CPU counted)
            url += f"{'&' if '?' in url else '?'}application_name={self.application}"
        env = {**os.environ, "EDUPLAN_DATABASE_URL": url}
        command = [
            sys.executable, "-m", "eduplan.web.listener", "--factory", "eduplan.web.app:create_app",
            "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log", "--log-level", "warning",
            "--timeout-graceful-shutdown", "10", "--limit-concurrency", "2048",
        ]  # fmt: skip
        from eduplan.web.protocols import fast_protocols

        for option, value in fast_protocols().items():  # as eduplan serve
            command += [f"--{option}", value]
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_SECONDS * self.workers  # each worker imports the app
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"服务器启动失败：\n{self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{self.base}/login", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"服务器 {STARTUP_SECONDS * self.workers:.0f} 秒内没有启动")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            start = time.monotonic()
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.stop_seconds = time.monotonic() - start


# ------------------------------------------------------------------------------ the writers


class _Answer:
    """A response as the writers need it: its status and its JSON body."""

    __slots__ = ("body", "status_code")

    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code = status_code
        self.body = body

    def json(self):
        return json.loads(self.body)


WRITER_ERRORS = (OSError, http.client.HTTPException)
"""A failed connection or a broken answer: counted as a connection error, by its type's name."""


def _writer(base: str, token: str, items: list[int], deadline: float, seed: int, tally: WriterTally) -> None:
    # One keep-alive connection per writer with the standard library's client: real HTTP
    # requests as before (httpx), at a fraction of the client CPU — the writers share the two
    # cores with the server, so a heavy client inflated the server's measured latency.
    rng = random.Random(seed)
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    json_headers = {**headers, "Content-Type": "application/json"}

    def call(method: str, path: str, body: dict | None = None) -> _Answer | None:
        start = time.perf_counter()
        try:
            if body is None:
                connection.request(method, path, headers=headers)
            else:
                connection.request(method, path, body=json.dumps(body).encode(), headers=json_headers)
            response = connection.getresponse()
            answer = _Answer(response.status, response.read())
            if response.will_close:
                connection.close()
        except WRITER_ERRORS as exc:
            tally.errors[type(exc).__name__] += 1
            connection.close()  # the next request connects again
            return None
        tally.latencies.append(time.perf_counter() - start)
        tally.statuses[answer.status_code] += 1
        return answer

    try:
        turn = 0
        while time.monotonic() < deadline:
            turn += 1
            item = rng.choice(items)
            if rng.random() < REPORT_SHARE:
                body = {"text": f"压测进度 {seed}-{turn}", "percent": rng.randint(0, 100)}
                response = call("POST", f"/api/v1/items/{item}/reports", body)
                if response is not None and response.status_code == 201:
                    tally.report_ids.setdefault(item, set()).add(response.json()["id"])
                continue
            seen = call("GET", f"/api/v1/items/{item}")
            if seen is None or seen.status_code != 200:
                continue
            current = seen.json()
            wanted = STATUSES[1 - STATUSES.index(current["stored_status"])]
            response = call(
                "PATCH", f"/api/v1/items/{item}", {"status": wanted, "revision": current["revision"]}
            )
            if response is not None and response.status_code == 200:
                tally.status_changes[item] += 1
                if response.json()["revision"] != current["revision"] + 1:
                    tally.wrong_revision += 1
    finally:
        connection.close()


def _load_average() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except OSError:
        return None


def bench_load(
    writers: int = 50,
    seconds: float = 60.0,
    url: str | None = None,
    progress: Callable[[float], None] | None = None,
    workers: int = 1,
) -> LoadResult:
    """Run ``writers`` concurrent writers for ``seconds`` against a served fresh ledger
    (``workers`` server processes)."""
    with _FreshDatabase(url) as fresh, tempfile.TemporaryDirectory(prefix="eduplan-load-") as scratch:
        backend = "sqlite" if fresh.startswith("sqlite") else "postgresql"
        items, tokens, first = _seed(fresh, writers)
        load_average = _load_average()
        with Server(fresh, Path(scratch) / "server.log", workers) as server:
            tallies = [WriterTally() for _ in range(writers)]
            start = time.monotonic()
            deadline = start + seconds
            threads = [
                threading.Thread(
                    target=_writer,
                    args=(server.base, tokens[n], items, deadline, n + 1, tallies[n]),
                    daemon=True,
                )
                for n in range(writers)
            ]
            server_tree, server_cpu_before = _settled(server)
            for thread in threads:
                thread.start()
            while any(t.is_alive() for t in threads):
                if progress is not None:
                    progress(min(seconds, time.monotonic() - start))
                time.sleep(0.5)
            elapsed = time.monotonic() - start
            load_average_after = _load_average()
            server_cpu_after = _cpu_seconds(server_tree)
            server_cpu = (
                server_cpu_after - server_cpu_before
                if server_cpu_before is not None and server_cpu_after is not None
                else None
            )
            database_cpu = None  # the backends' whole life: they start with the run (pool)
            if backend == "postgresql" and server_cpu is not None:
                database_cpu = _cpu_seconds(_backend_pids(fresh, server.application))
            server_log = server.log
        log_tail = server_log.read_text(errors="replace")[-4000:] if server_log.exists() else ""
        stored, revisions = _stored(fresh, items)

    statuses: Counter = Counter()
    errors: Counter = Counter()
    changes: Counter = Counter()
    accepted: dict[int, set[int]] = {i: set() for i in items}
    latencies: list[float] = []
    wrong = 0
    for tally in tallies:
        statuses.update(tally.statuses)
        errors.update(tally.errors)
        changes.update(tally.status_changes)
        latencies.extend(tally.latencies)
        wrong += tally.wrong_revision
        for item, ids in tally.report_ids.items():
            accepted[item] |= ids
    mismatches = [
        f"事项 {i}: 修订号 {revisions[i]} ≠ {first[i]} + {changes[i]}"
        for i in items
        if revisions[i] != first[i] + changes[i]
    ]
    result = LoadResult(
        backend=backend if workers == 1 else f"{backend}, {workers} workers",
        writers=writers,
        seconds=seconds,
        elapsed=elapsed,
        statuses=statuses,
        errors=errors,
        latencies=latencies,
        reports_accepted=sum(len(ids) for ids in accepted.values()),
        reports_stored=sum(len(ids) for ids in stored.values()),
        reports_missing=sum(len(accepted[i] - stored[i]) for i in items),
        status_changes=sum(changes.values()),
        conflicts=statuses.get(409, 0),
        revision_mismatches=mismatches,
        wrong_revision_responses=wrong,
        load_average=load_average,
        load_average_after=load_average_after,
        server_cpu=server_cpu,
        database_cpu=database_cpu,
    )
    if result.server_errors and log_tail:
        print(log_tail, file=sys.stderr)
    return result


# ------------------------------------------------------------------------------ a burst


BURST_TIMEOUT = 40.0
"""A client gives up on an answer after this long (the server should answer far sooner)."""


@dataclass(frozen=True)
class BurstResult:
    backend: str
    requests: int
    path: str
    statuses: Counter
    errors: Counter
    latencies: list[float]
    by_status: dict[int, list[float]]
    static_after: float | None
    static_status: int | None
    stop_seconds: float | None
    load_average: tuple[float, float, float] | None

    @property
    def ok(self) -> bool:
        """Every answer 2xx or 503, none lost, and a static file answered afterwards."""
        return (
            not self.errors
            and all(200 <= code < 300 or code == 503 for code in self.statuses)
            and self.static_status == 200
        )


def burst_lines(r: BurstResult) -> list[str]:
    codes = " · ".join(f"{code}: {n:,}" for code, n in sorted(r.statuses.items())) or "none"
    errors = ", ".join(f"{name} {n}" for name, n in r.errors.most_common()) or "0"
    ordered = sorted(r.latencies)

    def at(share: float) -> str:
        if not ordered:
            return "-"
        return f"{ordered[max(0, math.ceil(share * len(ordered)) - 1)]:.2f} s"

    static = (
        f"{r.static_after * 1000:.0f} ms ({r.static_status})" if r.static_after is not None else "no answer"
    )
    stop = f"{r.stop_seconds:.1f} s" if r.stop_seconds is not None else "unknown"
    load = " / ".join(f"{v:.2f}" for v in r.load_average) if r.load_average else "unknown"
    return [
        f"bench burst ({r.backend}): {r.requests:,} concurrent GET {r.path} (signed in)",
        f"responses: {codes} · connection errors/timeouts: {errors}",
        f"answered within p50 {at(0.5)} · p95 {at(0.95)} · max {at(1.0)}",
        " · ".join(
            f"{code} p50 {_nearest(times, 0.5):.2f} s max {max(times):.2f} s"
            for code, times in sorted(r.by_status.items())
        ),
        f"static file right after: {static} · server stopped {stop} after SIGTERM",
        f"load average before {load} · {os.cpu_count()} CPUs",
        "result: " + ("OK" if r.ok else "FAILED"),
    ]


def _nearest(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _sign_in(client: httpx.Client, username: str, password: str) -> None:
    import re

    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    form = {"username": username, "password": password, "csrf_token": token.group(1) if token else ""}
    response = client.post("/login", data=form)
    if response.status_code != 303:
        raise RuntimeError(f"登录失败：{response.status_code}")


async def _burst(
    port: int, cookie: str, path: str, count: int
) -> tuple[Counter, Counter, list[float], dict[int, list[float]]]:
    """``count`` requests at once, each on a connection of its own. Raw HTTP/1.1 over asyncio
    streams: a full HTTP client costs more CPU per request than the server's 503 does, and on a
    busy machine would measure itself."""
    import asyncio

    by_status: dict[int, list[float]] = {}
    statuses: Counter = Counter()
    errors: Counter = Counter()
    latencies: list[float] = []
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
        "Accept: text/html\r\nConnection: close\r\n\r\n"
    ).encode("latin-1")

    async def exchange() -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(request)
            await writer.drain()
            answer = await reader.read()  # the server closes the connection when it is done
        finally:
            writer.close()
        return int(answer.split(b" ", 2)[1])

    async def one() -> None:
        start = time.perf_counter()
        try:
            status = await asyncio.wait_for(exchange(), BURST_TIMEOUT)
        except (OSError, TimeoutError, ValueError, IndexError) as exc:
            errors[type(exc).__name__] += 1
            return
        latencies.append(time.perf_counter() - start)
        by_status.setdefault(status, []).append(latencies[-1])
        statuses[status] += 1

    await asyncio.gather(*(one() for _ in range(count)))
    return statuses, errors, latencies, by_status


def bench_burst(requests: int = 1000, url: str | None = None, workers: int = 1) -> BurstResult:
    """``requests`` concurrent item pages from one signed-in user against a served fresh ledger,
    then one static file; the server is then stopped with SIGTERM and timed."""
    import asyncio

    from eduplan.demo.bureau import DEMO_USERS

    password = next(p for name, p, *_ in DEMO_USERS if name == "admin")
    with _FreshDatabase(url) as fresh, tempfile.TemporaryDirectory(prefix="eduplan-burst-") as scratch:
        backend = "sqlite" if fresh.startswith("sqlite") else "postgresql"
        items, _tokens, _first = _seed(fresh, 1)
        path = f"/items/{items[0]}"
        load_average = _load_average()
        server = Server(fresh, Path(scratch) / "server.log", workers)
        with server:
            with httpx.Client(base_url=server.base, timeout=30) as client:
                _sign_in(client, "admin", password)
                cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
            statuses, errors, latencies, by_status = asyncio.run(_burst(server.port, cookie, path, requests))
            start = time.perf_counter()
            try:
                static = httpx.get(f"{server.base}/static/app.css", timeout=BURST_TIMEOUT)
                static_after, static_status = time.perf_counter() - start, static.status_code
            except httpx.HTTPError:
                static_after, static_status = None, None
    return BurstResult(
        backend=backend if workers == 1 else f"{backend}, {workers} workers",
        requests=requests,
        path=path,
        statuses=statuses,
        errors=errors,
        latencies=latencies,
        by_status=by_status,
        static_after=static_after,
        static_status=static_status,
        stop_seconds=server.stop_seconds,
        load_average=load_average,
    )


# ------------------------------------------------------------------------------ a trickled upload


def bench_trickle(seconds: float = 20.0, url: str | None = None) -> list[str]:
    """A signed-in report form sent a few bytes at a time over ``seconds`` while one API client
    posts reports one after another; the lines printed: the form's answer and the writes' figures."""
    import re

    from eduplan.demo.bureau import DEMO_USERS

    password = next(p for name, p, *_ in DEMO_USERS if name == "admin")
    with _FreshDatabase(url) as fresh, tempfile.TemporaryDirectory(prefix="eduplan-trickle-") as scratch:
        items, tokens, _first = _seed(fresh, 1)
        with Server(fresh, Path(scratch) / "server.log") as server:
            with httpx.Client(base_url=server.base, timeout=30) as client:
                _sign_in(client, "admin", password)
                page = client.get(f"/items/{items[0]}").text
                cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
            found = re.search(r'name="csrf_token" value="([^"]+)"', page)
            csrf = found.group(1) if found else ""
            boundary = "trickle"
            body = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
                + "慢慢填报" * 50
                + f"\r\n--{boundary}--\r\n"
            ).encode()
            head = (
                f"POST /items/{items[0]}/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            with socket.create_connection(("127.0.0.1", server.port)) as sock:
                sock.sendall(head + body[:300])
                rest = body[300:]
                step = max(1, len(rest) // max(1, int(seconds * 4)))

                def trickle() -> None:
                    for i in range(0, len(rest), step):
                        sock.sendall(rest[i : i + step])
                        time.sleep(0.25)

                sender = threading.Thread(target=trickle, daemon=True)
                sender.start()
                latencies: list[float] = []
                statuses: Counter = Counter()
                headers = {"Authorization": f"Bearer {tokens[0]}"}
                with httpx.Client(base_url=server.base, headers=headers, timeout=60) as api:
                    while sender.is_alive():
                        start = time.perf_counter()
                        response = api.post(
                            f"/api/v1/items/{items[1]}/reports", json={"text": "并行填报", "percent": 5}
                        )
                        latencies.append(time.perf_counter() - start)
                        statuses[response.status_code] += 1
                sock.settimeout(60)
                answer = sock.recv(200).split(b"\r\n", 1)[0].decode("latin-1")
    codes = " · ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    load = _load_average()
    return [
        f"bench trickle: a signed-in form trickled over {seconds:g} s, answered {answer!r}",
        f"API writes meanwhile: {len(latencies)} ({codes}) · p50 {_nearest(latencies, 0.5) * 1000:.0f} ms"
        f" · p95 {_nearest(latencies, 0.95) * 1000:.0f} ms · max {max(latencies) * 1000:.0f} ms",
        f"load average {' / '.join(f'{v:.2f}' for v in load) if load else 'unknown'} · {os.cpu_count()} CPUs",
    ]
