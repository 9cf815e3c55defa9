"""Concurrent writes inside one app (as uvicorn runs it: requests in flight at once on one event
loop, sync routes in worker threads), on SQLite and on PostgreSQL: of many status changes sent
with the same revision exactly one is applied and the others get 409; concurrent reports are all
stored; reads go on while writers wait. eduplan bench load / tests/bench/test_load.py do the same
through a real server."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select

from eduplan.ledger.clock import now
from eduplan.ledger.models import ApiToken, AuditEntry, Item, ProgressReport, Supervision, User
from eduplan.web.security import new_token, token_digest

WRITERS = 12


@pytest.fixture
def web_db(web_db_both):
    return web_db_both


@pytest.fixture
def admin_token(app) -> str:
    secret = new_token()
    with app.state.sessions.begin() as session:
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        session.add(
            ApiToken(user_id=admin.id, name="并发", token_hash=token_digest(secret), created_at=now())
        )
    return secret


def _item_id(app, title: str) -> int:
    with app.state.sessions() as session:
        return session.scalars(select(Item.id).where(Item.title == title)).one()


async def _together(app, requests: list[tuple[str, str, dict | None]], token: str) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as client:
        return await asyncio.gather(
            *(client.request(method, url, json=body) for method, url, body in requests)
        )


def test_one_of_many_changes_with_the_same_revision_wins(app, admin_token, run_async):
    item = _item_id(app, "开学工作检查")
    with app.state.sessions() as session:
        first = session.get(Item, item).revision
    change = ("PATCH", f"/api/v1/items/{item}", {"status": "in_progress", "revision": first})
    responses = run_async(_together(app, [change] * WRITERS, admin_token))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (WRITERS - 1)
    winner = next(r for r in responses if r.status_code == 200)
    assert winner.json()["revision"] == first + 1
    loser = next(r for r in responses if r.status_code == 409)
    assert "已被他人修改" in loser.json()["detail"]
    with app.state.sessions() as session:
        assert session.get(Item, item).revision == first + 1
        updates = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.entity == "item", AuditEntry.entity_id == item, AuditEntry.action == "update")
        )
    assert updates == 1


def test_concurrent_reports_are_all_stored(app, admin_token, run_async):
    item = _item_id(app, "城关中学开放日")
    reports = [
        ("POST", f"/api/v1/items/{item}/reports", {"text": f"并发填报 {n}", "percent": n})
        for n in range(WRITERS)
    ]
    reads = [("GET", f"/api/v1/items/{item}", None)] * 4
    responses = run_async(_together(app, reports + reads, admin_token))
    assert [r.status_code for r in responses] == [201] * WRITERS + [200] * 4
    ids = {r.json()["id"] for r in responses[:WRITERS]}
    with app.state.sessions() as session:
        stored = dict(
            session.execute(
                select(ProgressReport.id, ProgressReport.text).where(ProgressReport.item_id == item)
            ).all()
        )
    assert ids <= set(stored) and len(ids) == WRITERS
    assert sorted(stored[i] for i in ids) == sorted(f"并发填报 {n}" for n in range(WRITERS))


def test_item_writes_do_not_wait_for_the_write_turn(app, admin_token, run_async):
    """A status change and a report go through while another request holds the process's write
    turn (as an import would): they take no turn (``@short_writes``), their own statement guards
    the revision. A 督办, which still takes the turn, waits for it."""
    item = _item_id(app, "开学工作检查")
    with app.state.sessions() as session:
        first = session.get(Item, item).revision
    from eduplan.web.db import _write_lock

    async def scenario():
        lock = _write_lock(app)
        await lock.acquire()  # held for the whole scenario, as by a long write
        try:
            transport = httpx.ASGITransport(app=app)
            headers = {"Authorization": f"Bearer {admin_token}"}
            async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as c:
                # Bounded only so that a regression fails instead of hanging the run.
                change = await asyncio.wait_for(
                    c.patch(f"/api/v1/items/{item}", json={"status": "in_progress", "revision": first}), 60
                )
                report = await asyncio.wait_for(
                    c.post(f"/api/v1/items/{item}/reports", json={"text": "照常填报", "percent": 30}), 60
                )
                supervise = asyncio.create_task(
                    c.post(
                        f"/api/v1/items/{item}/supervision",
                        json={"deadline": "2099-01-01", "note": "按期办结"},
                    )
                )
                await asyncio.sleep(0.2)
                waiting, held = not supervise.done(), lock.locked()
                lock.release()
                supervised = await asyncio.wait_for(supervise, 60)
        finally:
            if lock.locked():
                lock.release()
        return change, report, waiting, held, supervised

    change, report, waiting, held, supervised = run_async(scenario())
    assert change.status_code == 200 and change.json()["revision"] == first + 1
    assert report.status_code == 201
    assert held and waiting  # the turn was held throughout; the 督办 waited for it
    assert supervised.status_code == 201  # and went through once the turn was free


def test_a_signed_in_form_without_its_csrf_token_is_refused_before_the_write_turn(app, login, run_async):
    """The CSRF check of a signed-in form comes before the process's write turn: while another
    request holds the turn, a 督办 form without its token is refused (403) at once instead of
    queueing behind the writer; an anonymous form is turned away without being sent a cookie."""
    item = _item_id(app, "开学工作检查")
    cookies = dict(login("admin").cookies)
    from eduplan.web.db import _write_lock

    async def scenario():
        lock = _write_lock(app)
        await lock.acquire()
        try:
            transport = httpx.ASGITransport(app=app)
            form = {"deadline": "2099-01-01", "note": "按期办结"}
            async with httpx.AsyncClient(transport=transport, base_url="http://test", cookies=cookies) as c:
                forged = asyncio.create_task(c.post(f"/items/{item}/supervise", data=form))
                await asyncio.sleep(0.5)
                answered_while_held = forged.done() and lock.locked()
        finally:
            lock.release()
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as anonymous:
            stranger = await asyncio.wait_for(anonymous.post(f"/items/{item}/supervise", data=form), 60)
        return answered_while_held, await forged, stranger

    answered_while_held, forged, stranger = run_async(scenario())
    assert answered_while_held
    assert forged.status_code == 403 and "CSRF" in forged.text
    assert stranger.status_code in (303, 401, 403) and "set-cookie" not in stranger.headers


def test_an_anonymous_write_is_sent_away_at_once_while_the_turn_is_held(app, run_async):
    """A write with neither a signed-in cookie nor a token writes nothing (the route refuses
    it), so it does not queue for the write turn: while another request holds the turn, a
    cookie-less 督办 form is sent to 登录 at once, not after the wait (or a 503 past it)."""
    item = _item_id(app, "开学工作检查")
    from eduplan.web.db import _write_lock

    async def scenario():
        lock = _write_lock(app)
        await lock.acquire()
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as anonymous:
                form = asyncio.create_task(
                    anonymous.post(f"/items/{item}/supervise", data={"deadline": "2099-01-01", "note": "x"})
                )
                await asyncio.sleep(0.5)
                done_while_held = form.done() and lock.locked()
                return done_while_held, await form
        finally:
            lock.release()

    done_while_held, form = run_async(scenario())
    assert done_while_held
    assert form.status_code == 303 and form.headers["location"].startswith("/login")
    assert "set-cookie" not in form.headers
    with app.state.sessions() as session:
        assert session.scalar(select(func.count()).where(Supervision.item_id == item)) == 0
