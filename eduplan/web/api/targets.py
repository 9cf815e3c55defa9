"""量化指标: the bureau's targets."""

from __future__ import annotations

from fastapi import Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger.models import Plan, Target
from eduplan.web.api.common import _ERRORS, MAX_ID, api_router
from eduplan.web.api.schemas import TargetOut
from eduplan.web.api.scope import _plan_or_404
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.permissions import can_view_plan

router = api_router()

# ------------------------------------------------------------------------------ targets and units


@router.get(
    "/targets",
    response_model=list[TargetOut],
    summary="量化指标",
    description="本局各计划中的量化指标（如 学前三年毛入园率 ≥ 88.4%）。",
    responses={404: _ERRORS[404]},
)
def targets(
    plan: int | None = Query(None, ge=1, le=MAX_ID, description="只看某个计划"),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> list[TargetOut]:
    if plan is not None:
        _plan_or_404(session, viewer, plan)
    query = (
        select(Target, Plan)
        .join(Plan, Plan.id == Target.plan_id)
        .where(Plan.bureau_id == viewer.bureau_id, Target.removed_in.is_(None))
        .order_by(Target.plan_id, Target.seq)
    )
    if plan is not None:
        query = query.where(Target.plan_id == plan)
    return [
        TargetOut(
            id=t.id,
            plan_id=t.plan_id,
            plan_title=p.title,
            seq=t.seq,
            indicator=t.indicator,
            text=t.text,
            op=t.op,
            value=t.value,
            unit=t.unit,
            deadline=t.deadline,
            line=t.line,
        )
        for t, p in session.execute(query)
        if can_view_plan(viewer, p)
    ]
