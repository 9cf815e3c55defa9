"""Progress reports of an item: the list and adding one."""

from __future__ import annotations

from fastapi import Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger.db import short_write
from eduplan.ledger.models import Organisation, ProgressReport
from eduplan.supervise import progress
from eduplan.web.api.common import _ERRORS, WRITE, ItemId, _actor, api_router
from eduplan.web.api.schemas import ReportIn, ReportOut
from eduplan.web.api.scope import _bureau_orgs, _item_or_error
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session, short_writes
from eduplan.web.permissions import can_report, can_view_report

router = api_router()

# ------------------------------------------------------------------------------ progress reports


def _org_name(report: ProgressReport, orgs: dict[int, Organisation]) -> str | None:
    org = orgs.get(report.org_id) if report.org_id else None
    return org.name if org else None


def _report_out(report: ProgressReport, org_name: str | None) -> ReportOut:
    return ReportOut(
        id=report.id,
        item_id=report.item_id,
        org_id=report.org_id,
        org_name=org_name,
        author=report.author,
        text=report.text,
        percent=report.percent,
        kind=report.kind,
        created_at=report.created_at,
    )


@router.get(
    "/items/{item_id}/reports",
    response_model=list[ReportOut],
    summary="事项的进度报告",
    description="只列出本人可见的报告：管理员看全部，牵头科室看本事项的全部，学校只看本校填报的。",
    responses={403: _ERRORS[403], 404: _ERRORS[404]},
)
def reports(
    item_id: ItemId, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> list[ReportOut]:
    item, plan, units = _item_or_error(session, viewer, item_id)
    rows = session.scalars(
        select(ProgressReport)
        .where(ProgressReport.item_id == item.id)
        .order_by(ProgressReport.created_at, ProgressReport.id)
    )
    orgs = _bureau_orgs(session, plan.bureau_id)
    return [_report_out(r, _org_name(r, orgs)) for r in rows if can_view_report(viewer, plan, units, r)]


@router.post(
    "/items/{item_id}/reports",
    response_model=ReportOut,
    status_code=201,
    summary="填报进度",
    description=(
        "管理员、牵头科室和承办学校可以填报；记入审计日志。用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses={403: _ERRORS[403], 404: _ERRORS[404]},
)
@short_writes
def add_report(
    item_id: ItemId,
    report: ReportIn,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> ReportOut:
    item, plan, units = _item_or_error(session, viewer, item_id)
    if not can_report(viewer, plan, units):
        raise HTTPException(403, "本单位不是此事项的承办单位，不能填报进度")
    text = report.text.strip()
    if not text:
        raise HTTPException(422, "进度说明不能为空")
    with short_write(session):
        row = progress.add_report(
            session,
            item,
            text=text,
            percent=report.percent,
            author=viewer.display_name,
            actor=_actor(viewer),
            org_id=viewer.org_id,
            org_name=viewer.org_name,
        )
    # The report is the viewer's unit's: its name is the viewer's, already known (the bureau's
    # every unit was loaded for that one name).
    return _report_out(row, viewer.org_name if row.org_id else None)
