"""督办: marking an item supervised and lifting it."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import Depends, HTTPException, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from eduplan.ledger import clock
from eduplan.supervise import progress, supervision
from eduplan.web.api.common import _ERRORS, WRITE, ItemId, _actor, _status_rules, api_router
from eduplan.web.api.schemas import ErrorOut
from eduplan.web.api.scope import _item_or_error
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.permissions import can_supervise

router = api_router()

# ------------------------------------------------------------------------------ 督办


class SupervisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deadline: date = Field(description="办结期限（不早于今天），如 2024-09-20")
    note: str = Field(min_length=1, max_length=2000, description="督办要求")
    revision: int | None = Field(default=None, description="可选：客户端看到的修订号；与当前不符时返回 409")


class SupervisionOut(BaseModel):
    id: int
    item_id: int
    deadline: date = Field(description="办结期限")
    note: str = Field(description="督办要求")
    created_by: str = Field(description="督办人")
    created_at: datetime
    overdue: bool = Field(description="督办逾期：期限已过而事项仍未办结（按当天推算）")


@router.post(
    "/items/{item_id}/supervision",
    response_model=SupervisionOut,
    status_code=201,
    summary="督办",
    description=(
        "局领导（管理员）督办事项：办结期限和督办要求；已有督办时替换之（原督办保留在记录中）。"
        "各责任单位收到站内通知。用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses={
        403: _ERRORS[403],
        404: _ERRORS[404],
        409: {"model": ErrorOut, "description": "事项已被他人修改"},
        422: {"model": ErrorOut, "description": "已完成或已取消的事项、期限早于今天等"},
    },
)
def supervise_item(
    item_id: ItemId,
    body: SupervisionIn,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> SupervisionOut:
    item, plan, _ = _item_or_error(session, viewer, item_id)
    if not can_supervise(viewer, plan):
        raise HTTPException(403, "只有局领导（管理员）可以督办")
    with _status_rules():
        progress.check_revision(item, body.revision)
        try:
            row = supervision.supervise(
                session,
                item,
                deadline=body.deadline,
                note=body.note,
                actor=_actor(viewer),
                today=clock.today(),
            )
        except supervision.SupervisionError as exc:
            raise HTTPException(422, str(exc)) from None
    session.commit()
    return SupervisionOut(
        id=row.id,
        item_id=item.id,
        deadline=row.deadline,
        note=row.note,
        created_by=row.created_by,
        created_at=row.created_at,
        overdue=supervision.is_supervision_overdue(row, item.status, clock.today()),
    )


@router.delete(
    "/items/{item_id}/supervision",
    status_code=204,
    summary="解除督办",
    description="局领导（管理员）解除事项的督办（记录保留）。没有督办时也返回 204。",
    dependencies=WRITE,
    responses={403: _ERRORS[403], 404: _ERRORS[404]},
)
def lift_supervision(
    item_id: ItemId, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> Response:
    item, plan, _ = _item_or_error(session, viewer, item_id)
    if not can_supervise(viewer, plan):
        raise HTTPException(403, "只有局领导（管理员）可以解除督办")
    if supervision.active_supervisions(session, item_ids=[item.id]):
        supervision.lift(session, item, _actor(viewer))
        session.commit()
    return Response(status_code=204)
