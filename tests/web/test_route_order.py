"""The API's routers come before the page routers: Starlette (and FastAPI's included routers)
try routes in order, so an API request is matched by the API without being tried against every
page route first."""

from __future__ import annotations

from starlette.routing import Match

from eduplan.web import api


def _router(route):
    """The router an app route was included from (FastAPI keeps included routers whole), else
    the route itself."""
    return getattr(route, "original_router", route)


def test_api_routers_are_registered_before_the_page_routers(app):
    included = [_router(r) for r in app.routes if hasattr(r, "original_router")]
    api_positions = [n for n, r in enumerate(included) if r in api.ROUTERS]
    page_positions = [n for n, r in enumerate(included) if r not in api.ROUTERS]
    assert len(api_positions) == len(api.ROUTERS) and page_positions
    assert max(api_positions) < min(page_positions)


def test_an_api_path_is_matched_by_the_api_before_any_page_router(app):
    scope = {"type": "http", "method": "PATCH", "path": "/api/v1/items/1", "root_path": ""}
    tried_pages = 0
    for route in app.routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            assert _router(route) in api.ROUTERS
            break
        if hasattr(route, "original_router") and _router(route) not in api.ROUTERS:
            tried_pages += 1
    else:
        raise AssertionError("no route matched PATCH /api/v1/items/1")
    assert tried_pages == 0
