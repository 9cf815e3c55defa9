"""``eduplan bench ledger``: import throughput and export times on a fresh database.

The corpus is parsed once (its time printed apart), then stored ``copies`` times, each copy as
its own bureau, one transaction per document as ``eduplan import`` does. Then the office with
most items is exported as iCalendar (across all bureaus: one office name, many counties — the
provincial setup), and the first term calendar as an Excel 行事历; export times are medians.
Last, full-text search (``eduplan.ledger.search``): a word of four characters (through the
trigram index) and one of two (the short-word fallback) taken from a middle item's title, each
searched in one bureau's live items as the web's search page asks, and over the whole ledger.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from eduplan.errors import EduplanError
from eduplan.ledger.db import connect, normalise_url, sessions
from eduplan.ledger.exporting import Selection, export_bytes
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan

EXPORT_RUNS = 3


@dataclass(frozen=True)
class SearchTiming:
    """One query's median answer time: in one bureau's live items, and over the whole ledger."""

    query: str
    bureau_hits: int
    bureau_ms: float
    ledger_hits: int
    ledger_ms: float


@dataclass(frozen=True)
class LedgerBenchResult:
    backend: str
    documents: int
    copies: int
    items: int
    parse_seconds: float
    import_seconds: float
    ics_office: str
    ics_events: int
    ics_ms: float
    xlsx_items: int
    xlsx_weeks: int
    xlsx_ms: float
    searches: tuple[SearchTiming, ...] = ()

    @property
    def items_per_second(self) -> float:
        return self.items / self.import_seconds if self.import_seconds else 0.0


def summary_line(r: LedgerBenchResult) -> str:
    return (
        f"bench ledger ({r.backend}): {r.documents} documents × {r.copies} bureaus, {r.items:,} items"
        f" · import {r.items_per_second:,.0f} items/s ({r.import_seconds:.1f} s;"
        f" parse once {r.parse_seconds:.2f} s)"
        f" · ics {r.ics_events:,} events for {r.ics_office} {r.ics_ms:.0f} ms"
        f" · xlsx full term ({r.xlsx_items} items, {r.xlsx_weeks} weeks) {r.xlsx_ms:.0f} ms"
        + "".join(
            f" · search “{t.query}” {t.bureau_ms:.1f} ms in a bureau ({t.bureau_hits} hits),"
            f" {t.ledger_ms:.1f} ms ledger-wide ({t.ledger_hits:,} hits)"
            for t in r.searches
        )
    )


SEARCH_RUNS = 5


def _search_timings(session) -> tuple[SearchTiming, ...]:
    from eduplan.ledger.queries import live_items
    from eduplan.ledger.search import search_item_ids

    count = session.scalar(select(func.count()).select_from(Item))
    item = session.scalars(select(Item).order_by(Item.id).offset(count // 2).limit(1)).first()
    if item is None:
        return ()
    title = "".join(item.title.split())
    bureau = session.get(Organisation, session.get(Plan, item.plan_id).bureau_id)
    timings = []
    for query in dict.fromkeys(q for q in (title[:4], title[:2]) if q):
        bureau_ms, found = _median_ms(
            lambda q=query: live_items(session, bureau=bureau, matching=q), SEARCH_RUNS
        )
        ledger_ms, ids = _median_ms(lambda q=query: search_item_ids(session, q), SEARCH_RUNS)
        timings.append(SearchTiming(query, len(found), bureau_ms, len(ids), ledger_ms))
    return tuple(timings)


def _median_ms(work: Callable[[], object], runs: int = EXPORT_RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


class _FreshDatabase:
    """A fresh ledger: a new SQLite file, or a new schema in the PostgreSQL database given."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self.cleanup: Callable[[], None] = lambda: None

    def __enter__(self) -> str:
        if self.url is None or normalise_url(self.url).startswith("sqlite"):
            if self.url is not None:
                path = make_url(self.url).database
                if path and Path(path).exists():
                    raise EduplanError(f"基准测试需要一个新的数据库，{path} 已存在")
                return self.url
            folder = tempfile.TemporaryDirectory(prefix="eduplan-bench-")
            self.cleanup = folder.cleanup
            return f"sqlite:///{Path(folder.name) / 'bench.db'}"
        base = normalise_url(self.url)
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))

        def drop() -> None:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()

        self.cleanup = drop
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options=-csearch_path%3D{schema}"

    def __exit__(self, *exc) -> None:
        self.cleanup()


def bench_ledger(
    documents: list[tuple[str, bytes]],
    url: str | None = None,
    copies: int = 100,
    progress: Callable[[int, int], None] | None = None,
) -> LedgerBenchResult:
    """Parse ``documents`` (name, bytes) once, store them ``copies`` times, time two exports."""
    from eduplan.documents import plan_from_bytes

    start = time.perf_counter()
    parsed = [(plan_from_bytes(data, name), data) for name, data in documents]
    parse_seconds = time.perf_counter() - start

    with _FreshDatabase(url) as fresh:
        engine = connect(fresh)
        try:
            factory = sessions(engine)
            items = 0
            start = time.perf_counter()
            for copy in range(copies):
                for plan, data in parsed:
                    with factory.begin() as session:
                        bureau = f"{plan.issuer or '本教育局'}·{copy + 1:03d}"
                        items += import_plan(session, plan, data, bureau=bureau, actor="bench").items
                if progress is not None:
                    progress(copy + 1, copies)
            import_seconds = time.perf_counter() - start

            with factory() as session:
                office, _count = session.execute(
                    select(Organisation.name, func.count())
                    .join(ItemUnit, ItemUnit.org_id == Organisation.id)
                    .where(Organisation.kind == "office")
                    .group_by(Organisation.name)
                    .order_by(func.count().desc(), Organisation.name)
                    .limit(1)
                ).one()
                ics_ms, ics = _median_ms(lambda: export_bytes(session, "ics", Selection(office=office)))
                term_plan = session.scalars(
                    select(Plan).where(Plan.term_id.is_not(None)).order_by(Plan.id).limit(1)
                ).first()
                xlsx_ms, xlsx_items, xlsx_weeks = 0.0, 0, 0
                if term_plan is not None:
                    selection = Selection(plan_id=term_plan.id)
                    xlsx_ms, _ = _median_ms(lambda: export_bytes(session, "xlsx", selection))
                    from eduplan.ledger.exporting import calendar_doc

                    doc = calendar_doc(session, selection)
                    xlsx_items, xlsx_weeks = len(doc.rows), len(doc.weeks)
                searches = _search_timings(session)
        finally:
            engine.dispose()

    return LedgerBenchResult(
        backend=engine.dialect.name,
        documents=len(documents),
        copies=copies,
        items=items,
        parse_seconds=parse_seconds,
        import_seconds=import_seconds,
        ics_office=office,
        ics_events=ics.count(b"BEGIN:VEVENT"),
        ics_ms=ics_ms,
        xlsx_items=xlsx_items,
        xlsx_weeks=xlsx_weeks,
        xlsx_ms=xlsx_ms,
        searches=searches,
    )
