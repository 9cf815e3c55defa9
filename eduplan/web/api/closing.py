"""销号 and reopening an item."""

from __future__ import annotations

from fastapi import Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from eduplan.ledger.db import short_write
from eduplan.supervise import closing_review, progress
from eduplan.web.api.common import _ERRORS, WRITE, ItemId, _actor, _status_rules, api_router
from eduplan.web.api.items import _item_detail
from eduplan.web.api.schemas import ErrorOut, ItemDetail
from eduplan.web.api.scope import _item_or_error
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session, short_writes
from eduplan.web.permissions import can_close_item

router = api_router()

# The bureau has not chosen one-step closing: an office applies, the bureau office reviews.
REVIEW_NEEDED = "本局销号须经局办公室（督查室）审核，不能直接销号：请在网页上“申请销号”，审核通过后才销号"

# ------------------------------------------------------------------------------ 销号 and reopening


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5000, description="完成情况（完成报告，必填）")
    revision: int | None = Field(default=None, description="可选：客户端看到的修订号；与当前不符时返回 409")


class ReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=5000, description="重新打开的原因（必填）")
    revision: int | None = Field(default=None, description="可选：客户端看到的修订号；与当前不符时返回 409")


_CLOSE_ERRORS = {
    403: _ERRORS[403],
    404: _ERRORS[404],
    409: {"model": ErrorOut, "description": "事项已被他人修改"},
    422: {"model": ErrorOut, "description": "状态不允许（如已销号、已取消）或内容为空"},
}


@router.post(
    "/items/{item_id}/close",
    response_model=ItemDetail,
    summary="销号",
    description=(
        "管理员或牵头科室提交完成报告并销号：状态改为 done，记录销号人和时间，修订号加一，记入审计日志。"
        "状态只能这样改为 done（PATCH 不接受 done）。佐证材料请在网页上传。"
        "本局未选择“一步销号”时（默认），销号须经局办公室（督查室）审核：科室调用本接口返回 409，"
        "请在网页上“申请销号”，审核通过后才销号；管理员仍可直接销号。"
        "用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses={
        **_CLOSE_ERRORS,
        409: {"model": ErrorOut, "description": "事项已被他人修改，或本局销号须经审核（科室请申请销号）"},
    },
)
@short_writes
def close_item(
    item_id: ItemId,
    body: CloseIn,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> ItemDetail:
    item, plan, units = _item_or_error(session, viewer, item_id)
    if not can_close_item(viewer, plan, units):
        raise HTTPException(403, "只有管理员和牵头科室可以销号")
    if not viewer.is_admin and not closing_review.one_step(session, plan.bureau_id):
        raise HTTPException(409, REVIEW_NEEDED)
    with _status_rules(), short_write(session):
        progress.close(
            session,
            item,
            text=body.text,
            author=viewer.display_name,
            actor=_actor(viewer),
            org_id=viewer.org_id,
            org_name=viewer.org_name,
            revision=body.revision,
        )
        closing_review.settle_on_close(
            session,
            item,
            reviewer_org="局办公室" if viewer.is_admin else viewer.org_name or "局办公室",
            reviewer=viewer.display_name,
            actor=_actor(viewer),
        )
    return _item_detail(viewer, item, plan, units)


@router.post(
    "/items/{item_id}/reopen",
    response_model=ItemDetail,
    summary="重新打开",
    description=(
        "管理员或牵头科室重新打开已销号的事项（须写原因）：状态改回 in_progress，销号人和时间清空，"
        "记入审计日志。用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses=_CLOSE_ERRORS,
)
@short_writes
def reopen_item(
    item_id: ItemId,
    body: ReopenIn,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> ItemDetail:
    item, plan, units = _item_or_error(session, viewer, item_id)
    if not can_close_item(viewer, plan, units):
        raise HTTPException(403, "只有管理员和牵头科室可以重新打开")
    with _status_rules(), short_write(session):
        progress.reopen(
            session,
            item,
            reason=body.reason,
            author=viewer.display_name,
            actor=_actor(viewer),
            org_id=viewer.org_id,
            org_name=viewer.org_name,
            revision=body.revision,
        )
    return _item_detail(viewer, item, plan, units)
