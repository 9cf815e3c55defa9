"""Thread hops of an API request: the request's session is opened in the event loop, and a sync
API endpoint runs as a coroutine wrapping it (its response is then serialised in the event loop,
not in a second worker thread), keeping its signature and its marks."""

from __future__ import annotations

import inspect

from fastapi.routing import APIRoute

from eduplan.web.api import ROUTERS, items
from eduplan.web.db import _SHORT_WRITES, get_session


def test_api_endpoints_are_coroutines_keeping_signature_and_marks():
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert routes and all(inspect.iscoroutinefunction(r.endpoint) for r in routes)
    patch = next(r for r in routes if r.path == "/api/v1/items/{item_id}" and "PATCH" in r.methods)
    assert getattr(patch.endpoint, _SHORT_WRITES, False)
    assert inspect.unwrap(patch.endpoint) is items.patch_item
    assert list(inspect.signature(patch.endpoint).parameters) == ["item_id", "change", "viewer", "session"]


def test_the_request_session_is_an_async_dependency():
    assert inspect.isasyncgenfunction(get_session)
