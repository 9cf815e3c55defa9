"""目标: the quantified targets of the bureau's plans, with reported actuals (未填报 for now)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm import Session

from eduplan.ledger.models import Plan
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.pages_scope import parse_id
from eduplan.web.pages_targets import target_rows
from eduplan.web.permissions import can_view_plan
from eduplan.web.templating import render

router = APIRouter()


@router.get("/targets", include_in_schema=False)
def targets_page(
    request: Request,
    plan: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    plan_id = parse_id(plan, "计划")
    chosen = session.get(Plan, plan_id) if plan_id is not None else None
    if plan_id is not None and (chosen is None or not can_view_plan(viewer, chosen)):
        raise HTTPException(404, "没有这个计划")
    rows = target_rows(session, viewer, plan_id=plan_id)
    return render(request, "targets.html", {"active": "targets", "rows": rows, "plan": chosen})
