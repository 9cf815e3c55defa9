"""The app's routes are its routers' routes themselves, the API's first: Starlette tries routes
in order, and FastAPI (0.16x) matches an included router by walking all of its routes (twice per
request), so an API request is matched by the API without being tried against every page route
first, and no request walks whole routers."""

from __future__ import annotations

from fastapi.routing import APIRoute
from starlette.routing import Match

from eduplan.web import api


def _api_routes() -> set[int]:
    return {id(route) for router in api.ROUTERS for route in router.routes}


def _page_routes() -> set[int]:
    from eduplan.web.routes import ROUTERS

    return {id(route) for router in ROUTERS for route in router.routes} - _api_routes()


def test_no_router_is_included_whole(app):
    assert not [r for r in app.routes if hasattr(r, "original_router")]


def test_api_routes_are_registered_before_the_page_routes(app):
    ours = _api_routes()
    routes = [r for r in app.routes if isinstance(r, APIRoute)]
    api_positions = [n for n, r in enumerate(routes) if id(r) in ours]
    page_positions = [n for n, r in enumerate(routes) if id(r) not in ours and not r.path.startswith("/api/")]
    assert len(api_positions) == len(ours) and page_positions
    assert max(api_positions) < min(page_positions)


def test_an_api_path_is_matched_by_the_api_before_any_page_route(app):
    ours, pages = _api_routes(), _page_routes()
    scope = {"type": "http", "method": "PATCH", "path": "/api/v1/items/1", "root_path": ""}
    tried_pages = 0
    for route in app.routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            assert id(route) in ours
            assert route.name == "patch_item"
            break
        if id(route) in pages:
            tried_pages += 1
    else:
        raise AssertionError("no route matched PATCH /api/v1/items/1")
    assert tried_pages == 0
