"""The pages read a bureau's items in a fixed number of queries (issue 12): the number of
statements a page sends does not grow with its items, their units or their 督办 — a loop
querying per item (N+1) would show as a difference between 5 items and 50."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger.clock import now
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, Supervision
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan

PAGES = ("/", "/calendar", "/calendar/month", "/supervision", "/units")
UNITS = (["基教股"], ["教研室", "各学校"], ["基教股", "城关中学"], ["办公室", "各小学"], ["安全股"])


def _add_items(url: str, count: int, number: int) -> None:
    """``count`` items around today with varied units, every third one done, every fifth under 督办."""
    today = clock_today()
    items = [
        PlanItem(
            f"第{number}批工作{n}",
            f"第{number}批工作{n}：按要求完成",
            today + timedelta(days=n % 9 - 4),
            today + timedelta(days=n % 9 - 4 + n % 3),
            list(UNITS[n % len(UNITS)]),
            None,
            n,
        )
        for n in range(1, count + 1)
    ]
    plan = Plan(
        source={"name": f"批{number}.txt", "format": "txt"},
        title=f"第{number}批",
        issuer=DEMO_BUREAU,
        items=items,
    )
    engine = connect(url)
    try:
        with sessions(engine).begin() as session:
            result = import_plan(session, plan, f"batch {number}".encode(), bureau=DEMO_BUREAU, actor="test")
            rows = session.scalars(
                select(Item).where(Item.plan_id == result.plan_id).order_by(Item.seq)
            ).all()
            for n, item in enumerate(rows, 1):
                if n % 3 == 0:
                    item.status = "done"
                    item.closed_at = now()
                if n % 5 == 0:
                    session.add(
                        Supervision(
                            item_id=item.id,
                            deadline=today,
                            note="请按期办结",
                            created_by="test",
                            created_at=now(),
                        )
                    )
    finally:
        engine.dispose()


def _statements(app, client, path: str) -> int:
    counted = []

    def count(*_args, **_kw) -> None:
        counted.append(1)

    event.listen(app.state.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(app.state.engine, "before_cursor_execute", count)
    assert response.status_code == 200, (path, response.text[:300])
    return len(counted)


@pytest.mark.parametrize("role", ["admin", "office", "school"])
def test_a_page_sends_as_many_statements_for_50_items_as_for_5(seeded, app, login, role):
    client = login(role)
    _add_items(seeded["url"], 5, 1)
    few = {path: _statements(app, client, path) for path in PAGES}
    _add_items(seeded["url"], 45, 2)
    many = {path: _statements(app, client, path) for path in PAGES}
    assert many == few
    # and the pages did show the items added (an empty page would send few statements anyway)
    assert "第2批工作" in client.get("/calendar").text
