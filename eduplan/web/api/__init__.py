"""The JSON API under /api/v1, one module per resource.

Same permissions as the pages (``eduplan.web.permissions``): objects of another bureau are 404
(nobody learns they exist), objects of one's own bureau that one's role may not see or change
are 403. Authentication is the session cookie (writes then need the ``X-CSRF-Token`` header) or
``Authorization: Bearer <token>`` for integrations (no CSRF: no browser sends it on its own).
"""

from eduplan.web.api import (
    assignments,
    closing,
    items,
    me,
    plans,
    reports,
    supervision,
    targets,
    tokens,
    units,
)

ROUTERS = [
    me.router,
    plans.router,
    items.router,
    closing.router,
    assignments.router,
    supervision.router,
    reports.router,
    targets.router,
    units.router,
    tokens.router,
]
"""In the order the routes were declared when the API was one module (the OpenAPI document's order)."""
