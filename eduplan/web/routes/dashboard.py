"""The 工作台 (dashboard): my items this week, overdue items, completion per office, targets."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from eduplan.ledger import clock
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.templating import render
from eduplan.web.views.dashboard import dashboard

router = APIRouter()


@router.get("/", include_in_schema=False)
def dashboard_page(
    request: Request, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    # clock.today() is looked up at call time, so tests can pin it with monkeypatch.
    data = dashboard(session, viewer, clock.today())
    return render(request, "dashboard.html", {"active": "dashboard", "board": data})
