"""行事历: the term week by week (as printed) and a month grid, filtered by plan, office,
school and status, for what the viewer may see."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from eduplan.ledger import clock
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.pages_calendar import (
    choose_period,
    month_page,
    parse_month,
    period_choices,
    week_page,
)
from eduplan.web.pages_scope import filter_choices, read_filters
from eduplan.web.templating import render

router = APIRouter()


@router.get("/calendar", include_in_schema=False)
def calendar_week(
    request: Request,
    plan: str | None = None,
    office: str | None = None,
    school: str | None = None,
    status: str | None = None,
    period: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    today = clock.today()
    filters = read_filters(session, viewer, plan, office, school, status)
    chosen = choose_period(session, viewer, filters, period, today)
    if period:
        filters.extra["period"] = chosen.key
    page = week_page(session, viewer, filters, chosen, today)
    context = {
        "active": "calendar",
        "page": page,
        "filters": filters,
        "choices": filter_choices(session, viewer),
        "periods": period_choices(session, viewer, today),
        "today": today,
    }
    return render(request, "calendar_week.html", context)


@router.get("/calendar/month", include_in_schema=False)
def calendar_month(
    request: Request,
    month: str | None = None,
    plan: str | None = None,
    office: str | None = None,
    school: str | None = None,
    status: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    today = clock.today()
    filters = read_filters(session, viewer, plan, office, school, status)
    year, number = parse_month(month, today)
    page = month_page(session, viewer, filters, year, number, today)
    context = {
        "active": "calendar",
        "page": page,
        "filters": filters,
        "choices": filter_choices(session, viewer),
        "today": today,
    }
    return render(request, "calendar_month.html", context)
