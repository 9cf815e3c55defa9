"""Every state-changing route checks the CSRF token (``eduplan.web.csrf.check_csrf``, which lets
API calls with a bearer token through): a new form route that forgot it fails here rather than
in a forged request."""

from __future__ import annotations

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from eduplan.web.app import create_app
from eduplan.web.csrf import check_csrf

SAFE = {"GET", "HEAD", "OPTIONS"}


def _checks_csrf(dependant: Dependant) -> bool:
    return dependant.call is check_csrf or any(_checks_csrf(d) for d in dependant.dependencies)


def test_every_state_changing_route_checks_the_csrf_token(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'csrf.db'}")
    # FastAPI keeps an included router as one entry of app.routes; its contexts are the routes as
    # served, with the router's own dependencies.
    routes = [context.route for context in iter_route_contexts(app.routes)]
    writes = [r for r in routes if isinstance(r, APIRoute) and r.methods - SAFE]
    unchecked = sorted(
        f"{sorted(r.methods - SAFE)} {r.path}" for r in writes if not _checks_csrf(r.dependant)
    )
    assert unchecked == []
    # Not vacuous: the forms and the API's writes are all there.
    paths = {r.path for r in writes}
    assert {"/login", "/items/{item_id}/supervise", "/import"} <= paths and len(writes) > 30
    app.state.engine.dispose()
