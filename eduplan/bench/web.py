"""``eduplan bench web``: the pages at province scale, through the real server.

A fresh ledger (a temporary SQLite file, or a new schema in the PostgreSQL database given) gets
the demo bureau's accounts and ``bureaus`` bureaus (the demo bureau first), each with its offices
and schools and ``plans`` plans of ``items`` items each, imported through the real importer
(``import_plan``, which inserts in bulk) and timed as items per second; then ``reports`` progress
reports per item (bulk inserted), a share of the items done or in progress, and a share under
督办. Items are dated around today, so this week and this month have work.

The server is then started as ``eduplan serve`` starts it (uvicorn in a subprocess), with 1 and
with N worker processes, and for each page — 工作台, 行事历 week and month, an item's page, 督办,
an office's .ics feed, the API's item list, and a static file from the same server for
comparison — requests are sent one at a time and from several connections at once, signed in as
the demo bureau's administrator (the .ics feed by its secret link, the API with a token). The
figures printed are p50 and p95 per page, beside the load average: a measurement, never a
pass/fail test (other programs on the machine change them).
"""

from __future__ import annotations

import math
import os
import random
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from eduplan.bench.ledger import _FreshDatabase
from eduplan.bench.load import Server, _load_average, _sign_in
from eduplan.errors import EduplanError
from eduplan.ledger.bulk import insert_rows
from eduplan.ledger.clock import now
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.db import connect, normalise_url, sessions
from eduplan.ledger.models import (
    ApiToken,
    FeedToken,
    Item,
    ItemUnit,
    Organisation,
    ProgressReport,
    Supervision,
    User,
)
from eduplan.web.security import new_token, token_digest

OFFICES = ("办公室", "基教股", "教研室", "师训股", "人事股", "安全股", "督导室", "计财股")
SCHOOLS = tuple(f"第{n}中学" for n in range(1, 13)) + tuple(f"第{n}小学" for n in range(1, 13))
ALL_SCHOOLS = "各学校"
WORK = ("检查", "培训", "调研", "评估", "会议", "督导", "排查", "总结", "备课", "开放日")
SPAN_DAYS = 120
"""Items start within this many days either side of today."""
DONE_SHARE, IN_PROGRESS_SHARE, SUPERVISED_SHARE = 0.35, 0.25, 0.02
REPORT_CHUNK = 20_000


@dataclass(frozen=True)
class Scale:
    bureaus: int = 105
    plans: int = 5
    items: int = 100
    """Items per plan."""
    reports: int = 4
    """Progress reports per item."""

    @property
    def total_items(self) -> int:
        return self.bureaus * self.plans * self.items


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    auth: str = "cookie"
    """How it is asked for: "cookie" (signed in), "token" (API token) or "none"."""


@dataclass
class Built:
    """The ledger made, and how long it took."""

    bureaus: int
    items: int
    reports: int
    import_seconds: float
    report_seconds: float
    pages: list[Page] = field(default_factory=list)
    token: str = ""
    reused: bool = False
    """Built by an earlier run (``--reuse``): nothing imported this time."""

    @property
    def items_per_second(self) -> float:
        return self.items / self.import_seconds if self.import_seconds else 0.0

    @property
    def reports_per_second(self) -> float:
        return self.reports / self.report_seconds if self.report_seconds else 0.0


@dataclass(frozen=True)
class Timing:
    workers: int
    connections: int
    page: Page
    latencies: list[float]
    statuses: Counter

    def percentile_ms(self, share: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)  # nearest rank
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)] * 1000


@dataclass
class WebBenchResult:
    backend: str
    built: Built
    timings: list[Timing] = field(default_factory=list)
    load_before: tuple[float, float, float] | None = None
    load_after: tuple[float, float, float] | None = None


# ------------------------------------------------------------------------------ the ledger


def _bureau_name(n: int) -> str:
    from eduplan.demo.bureau import DEMO_BUREAU

    return DEMO_BUREAU if n == 0 else f"基准{n:03d}县教育局"


def _plan(bureau: str, number: int, scale: Scale, rng: random.Random, today: date):
    from eduplan.plan import Item as PlanItem
    from eduplan.plan import Plan

    items = []
    for seq in range(1, scale.items + 1):
        start = today + timedelta(days=rng.randint(-SPAN_DAYS, SPAN_DAYS))
        end = start + timedelta(days=rng.choice((0, 0, 1, 2, 4, 6, 13)))
        office = rng.choice(OFFICES[1:])
        units = [office]
        if rng.random() < 0.3:
            units.append(rng.choice((*SCHOOLS, ALL_SCHOOLS)))
        title = f"{office}{rng.choice(WORK)}（第{number}号计划第{seq}项）"
        items.append(PlanItem(title, f"{title}：按要求完成并报送材料", start, end, units, None, seq))
    return Plan(
        source={"name": f"计划{number}.txt", "format": "txt"},
        title=f"{bureau}{today.year}年第{number}号工作安排",
        issuer=bureau,
        items=items,
    )


def build_ledger(url: str, scale: Scale, today: date, progress: Callable[[str], None] | None = None) -> Built:
    """Fill the empty ledger at ``url``; returns what was made and how long the imports took."""
    from eduplan.demo.bureau import _unit, seed_demo
    from eduplan.ledger.importer import import_plan
    from eduplan.ledger.orgs import get_or_create_bureau

    say = progress or (lambda _line: None)
    rng = random.Random(12)
    engine = connect(url)
    try:
        factory = sessions(engine)
        with factory.begin() as session:
            seed_demo(session, corpus=None)
        import_seconds = 0.0
        for n in range(scale.bureaus):
            name = _bureau_name(n)
            with factory.begin() as session:
                bureau = get_or_create_bureau(session, name, "bench")
                for office in OFFICES:
                    _unit(session, bureau, office, "office")
                for school in SCHOOLS:
                    _unit(session, bureau, school, "school")
                _unit(session, bureau, ALL_SCHOOLS, "group")
            plans = [_plan(name, p + 1, scale, rng, today) for p in range(scale.plans)]
            start = time.perf_counter()
            with factory.begin() as session:
                for p, plan in enumerate(plans):
                    import_plan(session, plan, f"{name} plan {p}".encode(), bureau=name, actor="bench")
            import_seconds += time.perf_counter() - start
            if (n + 1) % 10 == 0 or n + 1 == scale.bureaus:
                say(f"已导入 {n + 1}/{scale.bureaus} 个教育局")
        report_seconds = _activity(factory, scale, today, rng)
        say("进度报告已写入")
        return _pages(factory, scale, import_seconds, report_seconds)
    finally:
        engine.dispose()


def reuse_ledger(url: str, scale: Scale) -> Built:
    """The ledger an earlier run built at ``url`` (``--reuse``): its counts and fresh tokens for
    the pages; nothing is imported."""
    engine = connect(url)
    try:
        factory = sessions(engine)
        with factory() as session:
            bureaus = session.scalar(
                select(func.count()).select_from(Organisation).where(Organisation.kind == "bureau")
            )
            items = session.scalar(select(func.count()).select_from(Item))
        built = _pages(factory, scale, 0.0, 0.0)
        return replace(built, bureaus=bureaus or 0, items=items or 0, reused=True)
    finally:
        engine.dispose()


def _reusable(url: str | None) -> str | None:
    """The SQLite file ``--reuse`` names when it exists (None: build it); an error for no file
    or PostgreSQL."""
    if url is None or not normalise_url(url).startswith("sqlite"):
        raise EduplanError("--reuse 需要用 --db 指定一个 SQLite 文件（如 sqlite:///bench-web.db）")
    path = make_url(normalise_url(url)).database
    return url if path and Path(path).exists() else None


def _activity(factory, scale: Scale, today: date, rng: random.Random) -> float:
    """Statuses, progress reports and 督办 on the items; returns the reports' insert seconds."""
    at = now()
    with factory.begin() as session:
        rows = session.execute(
            select(Item.id, Item.end, ItemUnit.org_id)
            .join(ItemUnit, (ItemUnit.item_id == Item.id) & (ItemUnit.position == 0))
            .order_by(Item.id)
        ).all()
        done = [i for i, end, _ in rows if end is not None and end < today and rng.random() < DONE_SHARE * 2]
        busy = [i for i, _, _ in rows if rng.random() < IN_PROGRESS_SHARE]
        closed = set(done)
        busy = sorted(set(busy) - closed)
        for ids, status in ((done, "done"), (busy, "in_progress")):
            for i in range(0, len(ids), 5000):
                session.execute(
                    update(Item)
                    .where(Item.id.in_(ids[i : i + 5000]))
                    .values(status=status, revision=Item.revision + 1)
                    .execution_options(synchronize_session=False)
                )
        open_ids = [i for i, end, _ in rows if i not in closed and end is not None]
        supervised = rng.sample(open_ids, min(len(open_ids), int(len(rows) * SUPERVISED_SHARE)))
        insert_rows(
            session,
            Supervision.__table__,
            [
                {
                    "item_id": i,
                    "deadline": today + timedelta(days=rng.randint(-10, 20)),
                    "note": "请按期办结并销号",
                    "created_by": "bench",
                    "created_at": at,
                }
                for i in supervised
            ],
        )
    start = time.perf_counter()
    batch: list[dict] = []
    for item_id, _end, org_id in rows:
        for r in range(scale.reports):
            batch.append(
                {
                    "item_id": item_id,
                    "org_id": org_id,
                    "author": "基准测试",
                    "text": f"第{r + 1}次进度：已按计划推进",
                    "percent": 25 * (r + 1) if r < 4 else 100,
                    "kind": "progress",
                    "created_at": at - timedelta(days=scale.reports - r),
                }
            )
        if len(batch) >= REPORT_CHUNK:
            with factory.begin() as session:
                insert_rows(session, ProgressReport.__table__, batch)
            batch = []
    if batch:
        with factory.begin() as session:
            insert_rows(session, ProgressReport.__table__, batch)
    return time.perf_counter() - start


def _pages(factory, scale: Scale, import_seconds: float, report_seconds: float) -> Built:
    from eduplan.demo.bureau import DEMO_BUREAU

    with factory.begin() as session:
        bureau = session.scalars(
            select(Organisation).where(Organisation.kind == "bureau", Organisation.name == DEMO_BUREAU)
        ).one()
        office = session.scalars(
            select(Organisation).where(Organisation.bureau_id == bureau.id, Organisation.name == "基教股")
        ).one()
        feed = new_token()
        session.add(FeedToken(org_id=office.id, token=feed, created_at=now()))
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        token = new_token()
        session.add(
            ApiToken(user_id=admin.id, name="基准测试", token_hash=token_digest(token), created_at=now())
        )
        item = session.scalars(
            select(ProgressReport.item_id)
            .join(Item, Item.id == ProgressReport.item_id)
            .join(ItemUnit, ItemUnit.item_id == Item.id)
            .where(ItemUnit.org_id == office.id)
            .order_by(ProgressReport.item_id)
            .limit(1)
        ).one()
        reports = session.scalar(select(ProgressReport.id).order_by(ProgressReport.id.desc()).limit(1)) or 0
    pages = [
        Page("工作台", "/"),
        Page("行事历（周）", "/calendar"),
        Page("行事历（月）", "/calendar/month"),
        Page("事项页", f"/items/{item}"),
        Page("督办", "/supervision"),
        Page("订阅 .ics", f"/feeds/{feed}.ics", "none"),
        Page("API 事项列表", "/api/v1/items?limit=100", "token"),
        Page("静态文件", "/static/app.css", "none"),
    ]
    return Built(scale.bureaus, scale.total_items, reports, import_seconds, report_seconds, pages, token)


# ------------------------------------------------------------------------------ the requests


def _time_page(base: str, cookie: str, token: str, page: Page, connections: int, requests: int) -> Timing:
    headers = {"Accept": "text/html"}
    if page.auth == "cookie":
        headers["Cookie"] = cookie
    elif page.auth == "token":
        headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    each = max(1, requests // connections)

    def client() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            http.get(page.path)  # warm: the connection, the server's caches
            for _ in range(each):
                start = time.perf_counter()
                try:
                    status = http.get(page.path).status_code
                except httpx.HTTPError as exc:
                    with lock:
                        statuses[type(exc).__name__] += 1
                    continue
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    statuses[status] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Timing(0, connections, page, latencies, statuses)


def bench_web(
    url: str | None = None,
    scale: Scale | None = None,
    workers: int = 2,
    connections: tuple[int, ...] = (1, 8),
    requests: int = 40,
    progress: Callable[[str], None] | None = None,
    reuse: bool = False,
    import_only: bool = False,
) -> WebBenchResult:
    """Build the ledger at ``scale`` in a fresh database and time every page with 1 and
    ``workers`` server processes at each number of ``connections`` (``requests`` per page and
    setting, at least one per connection). ``reuse``: ``url`` is a SQLite file kept between runs,
    used as it is when it exists (built there, and kept, when it does not). ``import_only``: build
    and time the ledger, start no server (the import and report figures alone)."""
    from contextlib import nullcontext

    from eduplan.demo.bureau import DEMO_USERS

    scale = scale or Scale()
    say = progress or (lambda _line: None)
    password = next(p for name, p, *_ in DEMO_USERS if name == "admin")
    existing = _reusable(url) if reuse else None
    database = nullcontext(existing) if existing is not None else _FreshDatabase(url)
    with database as fresh, tempfile.TemporaryDirectory(prefix="eduplan-web-") as scratch:
        backend = "sqlite" if fresh.startswith("sqlite") else "postgresql"
        if existing is not None:
            say(f"沿用已建的数据库 {existing}（不再导入）")
            built = reuse_ledger(fresh, scale)
        else:
            built = build_ledger(fresh, scale, clock_today(), say)
        result = WebBenchResult(backend, built, load_before=_load_average())
        for count in [] if import_only else sorted({1, workers}):
            say(f"启动服务器（{count} 个进程）")
            with Server(fresh, Path(scratch) / f"server-{count}.log", count) as server:
                with httpx.Client(base_url=server.base, timeout=60) as http:
                    _sign_in(http, "admin", password)
                    cookie = "; ".join(f"{name}={value}" for name, value in http.cookies.items())
                for conns in connections:
                    for page in built.pages:
                        timing = _time_page(
                            server.base, cookie, built.token, page, conns, max(requests, conns)
                        )
                        result.timings.append(Timing(count, conns, page, timing.latencies, timing.statuses))
                    say(f"{count} 个进程、{conns} 个连接：已测完")
        result.load_after = _load_average()
    return result


def _shown(path: str) -> str:
    """The path as printed: no query, no feed secret."""
    path = path.split("?")[0]
    return "/feeds/<secret>.ics" if path.startswith("/feeds/") else path


TARGET_MS = {1: 100.0, 8: 250.0}
"""Issue 12's targets for p95 at 1 and at 8 connections (printed beside the figures)."""


def report_lines(r: WebBenchResult) -> list[str]:
    b = r.built

    def load(values: tuple[float, float, float] | None) -> str:
        return " / ".join(f"{v:.2f}" for v in values) if values else "unknown"

    lines = [
        f"bench web ({r.backend}): {b.bureaus} bureaus · {b.items:,} items · {b.reports:,} progress reports",
        "import: none (--reuse: the ledger an earlier run built)"
        if b.reused
        else f"import {b.items_per_second:,.0f} items/s"
        f" ({b.items:,} items in {b.import_seconds:.1f} s, import_plan)"
        f" · reports {b.reports_per_second:,.0f} rows/s ({b.report_seconds:.1f} s, bulk insert)",
    ]
    for t in r.timings:
        codes = ",".join(f"{code}×{n}" for code, n in sorted(t.statuses.items(), key=str))
        target = TARGET_MS.get(t.connections)
        verdict = ""
        if target is not None and t.page.label != "静态文件":
            verdict = (
                f" · target p95 < {target:.0f} ms: {'met' if t.percentile_ms(0.95) < target else 'NOT met'}"
            )
        lines.append(
            f"workers {t.workers} · {t.connections} conn · {t.page.label} {_shown(t.page.path)}:"
            f" p50 {t.percentile_ms(0.5):.0f} ms · p95 {t.percentile_ms(0.95):.0f} ms"
            f" · n={len(t.latencies)} ({codes}){verdict}"
        )
    lines.append(
        f"load average (1/5/15 min) before {load(r.load_before)}, after {load(r.load_after)}"
        f" · {os.cpu_count()} CPUs (shared: other programs change these figures)"
    )
    return lines
