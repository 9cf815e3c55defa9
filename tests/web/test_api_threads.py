"""Thread hops of an API request: the request's session is opened in the event loop, and a sync
API endpoint runs as a coroutine wrapping it (its response is then serialised in the event loop,
not in a second worker thread), keeping its signature and its marks."""

from __future__ import annotations

import inspect
from pathlib import Path

from fastapi import Request
from fastapi.routing import APIRoute

from eduplan.web.api import ROUTERS, items
from eduplan.web.db import _SHORT_WRITES, get_session


def test_api_endpoints_are_coroutines_keeping_signature_and_marks():
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert routes and all(inspect.iscoroutinefunction(r.endpoint) for r in routes)
    patch = next(r for r in routes if r.path == "/api/v1/items/{item_id}" and "PATCH" in r.methods)
    assert getattr(patch.endpoint, _SHORT_WRITES, False)
    assert inspect.unwrap(patch.endpoint) is items.patch_item
    # its viewer is looked up in the thread, from the request FastAPI passes in its place
    shown = inspect.signature(patch.endpoint).parameters
    assert list(shown) == ["item_id", "change", "session", "viewer"]
    assert shown["viewer"].annotation is Request and shown["viewer"].kind is inspect.Parameter.KEYWORD_ONLY
    assert shown["session"].default.dependency is get_session


def test_the_request_session_is_an_async_dependency():
    assert inspect.isasyncgenfunction(get_session)


def test_viewer_lookup_endpoint_and_end_of_reads_share_one_thread(app, seeded, db_sessions, monkeypatch):
    """A token's viewer is looked up in the thread that runs the endpoint (not a hop of its
    own); a GET leaves its session with no transaction (so it is closed without a hop), and the
    answers are those of the long way: the item, a 401 for a bad token."""
    import threading

    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from eduplan.ledger.clock import now
    from eduplan.ledger.models import ApiToken, Item, User
    from eduplan.web import auth
    from eduplan.web.api import scope
    from eduplan.web.security import new_token, token_digest

    secret = new_token()
    with db_sessions.begin() as session:
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        session.add(
            ApiToken(user_id=admin.id, name="线程", token_hash=token_digest(secret), created_at=now())
        )
        item_id = session.scalars(select(Item.id).where(Item.plan_id == seeded["plan_id"])).first()
    seen: dict[str, object] = {}
    find, load = auth._find_viewer, scope._item_or_error

    def found_viewer(request, session):
        seen["viewer thread"] = threading.get_ident()
        # within the one call that runs the endpoint in its thread (a pool thread would be
        # reused by a second hop, so the thread alone does not tell)
        seen["in the endpoint's call"] = any(
            f.function == "call" and f.filename.endswith(str(Path("api", "common.py")))
            for f in inspect.stack()
        )
        return find(request, session)

    def loaded_item(session, viewer, wanted):
        seen["endpoint thread"], seen["session"] = threading.get_ident(), session
        return load(session, viewer, wanted)

    monkeypatch.setattr(auth, "_find_viewer", found_viewer)
    monkeypatch.setattr(items, "_item_or_error", loaded_item)
    client = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    answer = client.get(f"/api/v1/items/{item_id}")
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == item_id
    assert seen["viewer thread"] == seen["endpoint thread"] != threading.get_ident()
    assert seen["in the endpoint's call"]
    assert not seen["session"].in_transaction()
    bad = TestClient(app, headers={"Authorization": "Bearer nope"}).get(f"/api/v1/items/{item_id}")
    assert bad.status_code == 401


def test_end_reads_ends_only_a_read_only_transaction_keeping_what_was_loaded(db_sessions):
    from sqlalchemy import select

    from eduplan.ledger.models import Item
    from eduplan.web.db import _READS_ONLY, end_reads

    with db_sessions() as reader, db_sessions() as writer:
        reader.info[_READS_ONLY] = True
        item = reader.scalars(select(Item)).first()
        end_reads(reader)
        assert not reader.in_transaction() and item.title  # loaded, not expired
        writer.scalars(select(Item)).first()
        end_reads(writer)  # not marked read-only: its transaction is the route's business
        assert writer.in_transaction()


def test_a_tokens_viewer_is_the_one_its_user_signs_in_as(seeded, db_sessions):
    """The prebuilt token query (run on the session's connection) against the long way round:
    the user loaded as an ORM object (``_viewer``), for every role; a revoked token is a 401."""
    import pytest
    from fastapi import HTTPException
    from sqlalchemy import select

    from eduplan.ledger.clock import now
    from eduplan.ledger.models import ApiToken, User
    from eduplan.web.auth import _token_viewer, _viewer
    from eduplan.web.security import new_token, token_digest

    secrets: dict[int, str] = {}
    with db_sessions.begin() as session:
        for user in session.scalars(select(User)):
            secrets[user.id] = new_token()
            session.add(
                ApiToken(
                    user_id=user.id, name="比对", token_hash=token_digest(secrets[user.id]), created_at=now()
                )
            )
    roles = set()
    with db_sessions() as session:
        for user in session.scalars(select(User)):
            assert _token_viewer(session, secrets[user.id]) == _viewer(session, user, via_token=True)
            roles.add(user.role)
        assert roles >= {"admin", "office", "school"}
        token = session.scalars(select(ApiToken)).first()
        token.revoked_at = now()
        session.commit()
        with pytest.raises(HTTPException) as refused:
            _token_viewer(session, secrets[token.user_id])
        assert refused.value.status_code == 401
