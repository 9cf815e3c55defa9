"""Routes grouped by resource; each module has a ``router``. Order matters only for paths
that could overlap."""

from eduplan.web import api
from eduplan.web.routes import (
    account,
    admin,
    assignments,
    calendar,
    dashboard,
    feeds,
    imports,
    items,
    login,
    notifications,
    public,
    reports,
    review,
    search,
    supervision,
    targets,
    units,
)

ROUTERS = [
    # The API first: Starlette tries routes in order, and every API request would otherwise be
    # matched against all the page routes before its own (a tenth of its CPU under load).
    *api.ROUTERS,
    login.router,
    account.router,
    dashboard.router,
    calendar.router,
    review.router,
    imports.router,
    items.router,
    assignments.router,
    units.router,
    targets.router,
    supervision.router,
    reports.router,
    search.router,
    notifications.router,
    admin.router,
    feeds.router,
    public.router,
]
