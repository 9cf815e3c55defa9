"""行事历: the term week by week (as printed), its Excel and Word downloads (a period, a month or a
week) and a month grid, filtered by plan, office, school and status, for what the viewer may see:
a download holds exactly what the page shows the same viewer with the same filters."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from eduplan.calendar.tables_xlsx import XLSX_TYPE
from eduplan.ledger import clock
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.templating import render
from eduplan.web.uploads import DOCX, content_disposition
from eduplan.web.views.calendar import (
    choose_period,
    export_doc,
    month_page,
    parse_month,
    parse_scope,
    period_choices,
    scope_period,
    week_page,
)
from eduplan.web.views.scope import filter_choices, read_filters

_YES = ("1", "on", "true", "yes")

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


_MEDIA_TYPES = {"xlsx": XLSX_TYPE, "docx": DOCX}


@router.get("/calendar/export.{fmt}", include_in_schema=False)
def calendar_export(
    fmt: str,
    plan: str | None = None,
    office: str | None = None,
    school: str | None = None,
    status: str | None = None,
    period: str | None = None,
    scope: str | None = None,
    with_status: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> Response:
    """The 行事历 as printed, as Excel (``export.xlsx``) or as a Word table in A4 landscape
    (``export.docx``): the page's filters, ``scope`` a month or a week."""
    media_type = _MEDIA_TYPES.get(fmt)
    if media_type is None:
        raise HTTPException(404)  # only the two formats above: the standard 404 page
    today = clock.today()
    filters = read_filters(session, viewer, plan, office, school, status)
    cut = parse_scope(scope)
    chosen = scope_period(session, viewer, filters, period, cut, today)
    doc = export_doc(session, viewer, filters, chosen, cut, today)
    status_column = (with_status or "").strip().lower() in _YES
    from eduplan.jobs.exports import render_export  # a large calendar is built in a child process

    content = render_export(fmt, doc, with_status=status_column)
    return Response(
        content=content,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(f"{doc.title}.{fmt}"),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
