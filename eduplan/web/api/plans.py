"""Plans: the bureau's list and one plan with its items."""

from __future__ import annotations

from fastapi import Depends
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eduplan.ledger.models import Plan, PlanVersion, Target
from eduplan.web.api.common import _ERRORS, PlanId, api_router
from eduplan.web.api.schemas import PlanDetail, PlanOut, PlanVersionOut
from eduplan.web.api.scope import _plan_or_404, _visible
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.permissions import can_view_plan

router = api_router()

# ------------------------------------------------------------------------------ plans


def _plan_out(plan: Plan) -> dict:
    return {
        "id": plan.id,
        "title": plan.title,
        "kind": plan.kind,
        "issuer": plan.issuer,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "term_id": plan.term_id,
        "current_version": plan.current_version,
        "public": plan.public,
        "updated_at": plan.updated_at,
    }


@router.get(
    "/plans", response_model=list[PlanOut], summary="计划列表", description="本局的全部计划与行事历。"
)
def plans(viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)) -> list[PlanOut]:
    rows = session.scalars(
        select(Plan).where(Plan.bureau_id == viewer.bureau_id).order_by(Plan.period_start.desc(), Plan.id)
    )
    return [PlanOut(**_plan_out(plan)) for plan in rows if can_view_plan(viewer, plan)]


@router.get(
    "/plans/{plan_id}",
    response_model=PlanDetail,
    summary="计划详情",
    description="计划的基本信息、版本，以及本人可见的事项数。",
    responses={404: _ERRORS[404]},
)
def plan_detail(
    plan_id: PlanId, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> PlanDetail:
    plan = _plan_or_404(session, viewer, plan_id)
    versions = session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number)
    )
    targets = session.scalar(
        select(func.count()).select_from(Target).where(Target.plan_id == plan.id, Target.removed_in.is_(None))
    )
    return PlanDetail(
        **_plan_out(plan),
        item_count=len(_visible(session, viewer, plan_id=plan.id).views),
        target_count=targets or 0,
        versions=[
            PlanVersionOut(
                number=v.number,
                source_name=v.source_name,
                sha256=v.sha256,
                imported_at=v.imported_at,
                imported_by=v.imported_by,
            )
            for v in versions
        ],
    )
