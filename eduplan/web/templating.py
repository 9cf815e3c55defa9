"""Jinja2 templates with what every page needs: the viewer, the CSRF token, the navigation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from eduplan.calendar.holidays import WEEKDAY_NAMES
from eduplan.ledger.clock import local_time
from eduplan.ledger.schoolwords import SCHOOL_TYPES, STANDARD_GROUPS
from eduplan.web.security import csrf_token

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))

NAV = (
    ("dashboard", "工作台", "/"),
    ("calendar", "行事历", "/calendar"),
    ("targets", "目标", "/targets"),
    ("supervision", "督办", "/supervision"),
    ("reports", "总结与计划", "/reports"),
    ("import", "导入", "/import"),
    ("units", "科室与学校", "/units"),
    ("admin", "管理", "/admin"),
)


ADMIN_ONLY = ("import", "admin")


def _shown(key: str, viewer) -> bool:
    """Only links the viewer may follow: 导入 and 管理 for admins; no unit page or 督办 for guests."""
    if key in ADMIN_ONLY:
        return viewer.is_admin
    if key in ("units", "supervision"):
        return viewer.role != "guest"
    return True


def _weekday(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


TEMPLATES.env.filters["weekday"] = _weekday
TEMPLATES.env.filters["local_time"] = local_time
"""``{{ moment|local_time }}``: a stored time in the bureau's time zone (``'%Y-%m-%d'`` for a date)."""
TEMPLATES.env.globals["SCHOOL_TYPES"] = SCHOOL_TYPES
TEMPLATES.env.globals["STANDARD_GROUPS"] = {key: label for key, (label, _) in STANDARD_GROUPS.items()}


def _unread(request: Request, viewer) -> int | None:
    """Unread notifications of an office or school viewer (one COUNT query); None for others."""
    if viewer is None or viewer.role not in ("office", "school") or viewer.org_id is None:
        return None
    from sqlalchemy.exc import SQLAlchemyError

    from eduplan.notify.inapp import unread_count

    try:
        with request.app.state.sessions() as session:
            return unread_count(session, viewer.org_id)
    except SQLAlchemyError:  # an error page must still render when the database is in trouble
        return None


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200):
    """A page: the template with the viewer, CSRF token and navigation added."""
    viewer = getattr(request.state, "viewer", None)
    values = {
        "viewer": viewer,
        "csrf_token": csrf_token(request.session),
        "nav": [n for n in NAV if viewer is not None and _shown(n[0], viewer)],
        "unread": _unread(request, viewer),
        **(context or {}),
    }
    return TEMPLATES.TemplateResponse(request, name, values, status_code=status_code)
