"""搜索: the search box in the top bar and its results page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from eduplan.ledger import clock
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.templating import render
from eduplan.web.views.search import search_page

router = APIRouter(include_in_schema=False)


@router.get("/search")
def search(
    request: Request,
    q: str | None = None,
    plan: str | None = None,
    unit: str | None = None,
    status: str | None = None,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
    page: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    result = search_page(
        session,
        viewer,
        q=q,
        plan=plan,
        unit=unit,
        status=status,
        date_from=date_from,
        date_to=date_to,
        page=page,
        today=clock.today(),
    )
    return render(request, "search.html", {"active": "search", "result": result})
