"""The public calendar: a plan an administrator has made public, read-only and without login.
Nothing else is shown there: no status, no progress reports, no other plan."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from eduplan.calendar.grouping import detail_text, group_by_week, host_text, span_label
from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.exporting import Selection, calendar_doc
from eduplan.ledger.models import Organisation, Plan
from eduplan.web.auth import Viewer, require_admin
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session
from eduplan.web.permissions import can_view_plan
from eduplan.web.templating import render

router = APIRouter(include_in_schema=False)


def _local_path(target: str) -> str | None:
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else None


def _set_public(session: Session, viewer: Viewer, plan_id: int, public: bool) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or not can_view_plan(viewer, plan):
        raise HTTPException(404, "找不到这个计划")
    if plan.public != public:
        audit.record(
            session,
            viewer.username,
            "public" if public else "unpublic",
            "plan",
            plan.id,
            {"public": plan.public},
            {"public": public},
        )
        plan.public = public
        plan.updated_at = now()
    session.commit()
    return plan


@router.post("/plans/{plan_id}/publish-public", dependencies=[Depends(require_admin), Depends(check_csrf)])
def publish_public(
    plan_id: int,
    next: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    _set_public(session, viewer, plan_id, True)
    return RedirectResponse(_local_path(next) or f"/public/plans/{plan_id}", status_code=303)


@router.post("/plans/{plan_id}/unpublish-public", dependencies=[Depends(require_admin), Depends(check_csrf)])
def unpublish_public(
    plan_id: int,
    next: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    _set_public(session, viewer, plan_id, False)
    return RedirectResponse(_local_path(next) or f"/calendar?plan={plan_id}", status_code=303)


@router.get("/public/plans/{plan_id}")
def public_plan(request: Request, plan_id: int, session: Session = Depends(get_session)):
    plan = session.get(Plan, plan_id)
    if plan is None or not plan.public:
        raise HTTPException(404, "找不到这个公开的行事历")
    doc = calendar_doc(session, Selection(plan_id=plan.id))
    blocks = [b for b in group_by_week(doc) if b.rows]
    rows = [
        [
            {
                "title": row.title,
                "when": span_label(row.start, row.end) if row.start and row.end else "",
                "detail": detail_text(row),
                "units": host_text(row),
                "lunar": row.lunar,
                "holiday": row.holiday,
            }
            for row in block.rows
        ]
        for block in blocks
    ]
    bureau = session.get(Organisation, plan.bureau_id)
    return render(
        request,
        "public_calendar.html",
        {
            "plan": plan,
            "bureau": bureau.name if bureau else "",
            "weeks": list(zip(blocks, rows, strict=True)),
            "count": len(doc.rows),
        },
    )
