"""The JSON API under /api/v1: plans, items, progress reports, targets, units, API tokens.

Same permissions as the pages (``eduplan.web.permissions``): objects of another bureau are 404
(nobody learns they exist), objects of one's own bureau that one's role may not see or change
are 403. Authentication is the session cookie (writes then need the ``X-CSRF-Token`` header) or
``Authorization: Bearer <token>`` for integrations (no CSRF: no browser sends it on its own).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit, clock, progress, schools, supervision
from eduplan.ledger.models import (
    ApiToken,
    Item,
    ItemUnit,
    OrgAlias,
    Organisation,
    Plan,
    PlanVersion,
    ProgressReport,
    Target,
)
from eduplan.ledger.queries import ItemView, live_items, unit_ids
from eduplan.ledger.status import is_overdue, status_label
from eduplan.web.api_schemas import (
    DerivedStatus,
    ErrorOut,
    ItemDetail,
    ItemOut,
    ItemPatch,
    MeOut,
    PlanDetail,
    PlanOut,
    PlanVersionOut,
    ReportIn,
    ReportOut,
    TargetOut,
    TokenCreated,
    TokenIn,
    TokenOut,
    UnitOut,
    UnitRef,
)
from eduplan.web.auth import Viewer, check_csrf, require_viewer
from eduplan.web.db import get_session
from eduplan.web.permissions import (
    can_close_item,
    can_edit_item,
    can_report,
    can_supervise,
    can_view_item,
    can_view_plan,
    can_view_report,
    load_item,
    same_bureau,
)
from eduplan.web.security import csrf_token, new_token, token_digest

MAX_LIMIT = 5000

_ERRORS = {
    401: {"model": ErrorOut, "description": "未登录，或 API 令牌无效、已撤销"},
    403: {"model": ErrorOut, "description": "没有权限（或缺少 X-CSRF-Token）"},
    404: {"model": ErrorOut, "description": "找不到（或属于其他教育局）"},
}

MAX_ID = 2**31 - 1
"""The largest id the ledger's integer keys hold (PostgreSQL INTEGER): a larger one in a path or
filter is a 422 from validation, not a database overflow (500)."""
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="事项编号")]
PlanId = Annotated[int, Path(ge=1, le=MAX_ID, description="计划编号")]
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="令牌编号")]

router = APIRouter(prefix="/api/v1", tags=["API v1"], responses={401: _ERRORS[401]})

WRITE = [Depends(check_csrf)]
"""Cookie-authenticated writes need the session's CSRF token in ``X-CSRF-Token``."""


def _actor(viewer: Viewer) -> str:
    return f"{viewer.username}（API 令牌）" if viewer.via_token else viewer.username


# ------------------------------------------------------------------------------ who am I


@router.get(
    "/me",
    response_model=MeOut,
    summary="当前用户",
    description="令牌或登录会话对应的账号与角色；登录会话还会得到写接口所需的 CSRF 令牌。",
)
def me(request: Request, viewer: Viewer = Depends(require_viewer)) -> MeOut:
    return MeOut(
        id=viewer.id,
        username=viewer.username,
        display_name=viewer.display_name,
        role=viewer.role,
        role_label=viewer.role_label,
        bureau_id=viewer.bureau_id,
        org_id=viewer.org_id,
        org_name=viewer.org_name,
        via_token=viewer.via_token,
        csrf_token=None if viewer.via_token else csrf_token(request.session),
    )


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


def _plan_or_404(session: Session, viewer: Viewer, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or not can_view_plan(viewer, plan):
        raise HTTPException(404, "找不到该计划")
    return plan


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


# ------------------------------------------------------------------------------ items


@dataclass
class _Visible:
    """The live items a viewer may see, with their units and plans (loaded once, not per item)."""

    views: list[ItemView]
    units: dict[int, list[Organisation]]
    plans: dict[int, Plan]


def _bureau_orgs(session: Session, bureau_id: int | None) -> dict[int, Organisation]:
    return {
        org.id: org
        for org in session.scalars(select(Organisation).where(Organisation.bureau_id == bureau_id))
    }


def _visible(
    session: Session,
    viewer: Viewer,
    *,
    plan_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> _Visible:
    bureau = session.get(Organisation, viewer.bureau_id) if viewer.bureau_id else None
    if bureau is None:
        return _Visible([], {}, {})
    views = live_items(session, bureau=bureau, plan_id=plan_id, start=start, end=end)
    orgs = _bureau_orgs(session, bureau.id)
    plans = {p.id: p for p in session.scalars(select(Plan).where(Plan.bureau_id == bureau.id))}
    links = session.execute(
        select(ItemUnit.item_id, ItemUnit.org_id)
        .join(Item, Item.id == ItemUnit.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .where(Plan.bureau_id == bureau.id, Item.removed_in.is_(None))
        .order_by(ItemUnit.item_id, ItemUnit.position)
    )
    units: dict[int, list[Organisation]] = {}
    for item_id, org_id in links:
        if org_id in orgs:
            units.setdefault(item_id, []).append(orgs[org_id])
    views = [v for v in views if can_view_item(viewer, plans[v.plan_id], units.get(v.id, []))]
    return _Visible(views, units, plans)


def _derived(stored: str, end: date | None, today: date) -> str:
    return "overdue" if is_overdue(stored, end, today) else stored


def _item_fields(viewer: Viewer, row, plan: Plan, units: list[Organisation], today: date) -> dict:
    """The fields of ItemOut from an ``Item`` or an ``ItemView`` (same attribute names)."""
    end = row.end or row.start
    return {
        "id": row.id,
        "uid": row.uid,
        "plan_id": row.plan_id,
        "plan_title": plan.title,
        "title": row.title,
        "text": row.text,
        "start": row.start,
        "end": end,
        "section": row.section,
        "line": row.line,
        "confidence": row.confidence,
        "status": _derived(row.status, end, today),
        "stored_status": row.status,
        "status_label": status_label(row.status, end, today),
        "revision": row.revision,
        "updated_at": row.updated_at,
        "units": [UnitRef(id=u.id, name=u.name, kind=u.kind) for u in units],
        "can_edit": can_edit_item(viewer, plan, units),
        "can_report": can_report(viewer, plan, units),
    }


def _filter_ids(session: Session, viewer: Viewer, value: str, *, school: bool) -> set[int]:
    """Unit ids for the ``office``/``school`` filters: a unit id or a name (aliases followed);
    a school also matches items for all schools (各学校)."""
    what = "学校" if school else "科室"
    value = value.strip()
    if value.isdigit():
        org = session.get(Organisation, int(value))
        if org is None or org.bureau_id != viewer.bureau_id or org.kind == "bureau":
            raise HTTPException(400, f"找不到{what}“{value}”")
        ids = {org.id}
        if school:
            ids |= schools.answers_for(session, org)
        return ids
    try:
        return set(unit_ids(session, value, session.get(Organisation, viewer.bureau_id), school=school))
    except EduplanError as exc:
        raise HTTPException(400, str(exc)) from None


@router.get(
    "/items",
    response_model=list[ItemOut],
    summary="事项列表",
    description=(
        "本人可见的事项（学校只看到派给本校或各学校的事项），按开始日期排序。"
        "office/school 可以是单位编号或名称；status 按推算后的状态筛选（overdue 为已逾期）；"
        "start/end 为 ISO 日期，返回与该时段重叠的事项。"
    ),
    responses={400: {"model": ErrorOut, "description": "筛选条件不对（找不到单位等）"}, 404: _ERRORS[404]},
)
def items(
    plan: int | None = Query(None, ge=1, le=MAX_ID, description="计划编号"),
    office: str | None = Query(None, description="科室编号或名称"),
    school: str | None = Query(None, description="学校编号或名称"),
    status: DerivedStatus | None = Query(None, description="状态"),
    start: date | None = Query(None, description="时段起（含），如 2024-09-01"),
    end: date | None = Query(None, description="时段止（含），如 2024-09-30"),
    limit: int = Query(1000, ge=1, le=MAX_LIMIT, description="最多返回条数"),
    offset: int = Query(0, ge=0, description="跳过条数"),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> list[ItemOut]:
    if start and end and end < start:
        raise HTTPException(400, "结束日期不能早于开始日期")
    if plan is not None:
        _plan_or_404(session, viewer, plan)
    office_ids = _filter_ids(session, viewer, office, school=False) if office else None
    school_ids = _filter_ids(session, viewer, school, school=True) if school else None
    found = _visible(session, viewer, plan_id=plan, start=start, end=end)
    today = clock.today()
    result = []
    for view in found.views:
        units = found.units.get(view.id, [])
        ids = {u.id for u in units}
        if office_ids is not None and not ids & office_ids:
            continue
        if school_ids is not None and not ids & school_ids:
            continue
        if status is not None and _derived(view.status, view.end, today) != status:
            continue
        result.append(view)
    return [
        ItemOut(**_item_fields(viewer, v, found.plans[v.plan_id], found.units.get(v.id, []), today))
        for v in result[offset : offset + limit]
    ]


def _item_or_error(session: Session, viewer: Viewer, item_id: int):
    """The item, its plan and units: 404 when missing or another bureau's, 403 when the
    viewer's role may not see it."""
    loaded = load_item(session, item_id)
    if loaded is None or not same_bureau(viewer, loaded[1].bureau_id):
        raise HTTPException(404, "找不到该事项")
    item, plan, units = loaded
    if not can_view_item(viewer, plan, units):
        raise HTTPException(403, "此事项未派给本单位，无权查看")
    return item, plan, units


def _item_detail(viewer: Viewer, item: Item, plan: Plan, units: list[Organisation]) -> ItemDetail:
    return ItemDetail(
        **_item_fields(viewer, item, plan, units, clock.today()),
        removed=item.removed_in is not None,
        closed_at=item.closed_at,
        closed_by=item.closed_by,
    )


@router.get(
    "/items/{item_id}",
    response_model=ItemDetail,
    summary="事项详情",
    description="事项、责任单位和推算后的状态（已逾期为 overdue）。",
    responses={403: _ERRORS[403], 404: _ERRORS[404]},
)
def item_detail(
    item_id: ItemId, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> ItemDetail:
    return _item_detail(viewer, *_item_or_error(session, viewer, item_id))


@router.patch(
    "/items/{item_id}",
    response_model=ItemDetail,
    summary="修改事项状态",
    description=(
        "管理员或牵头科室修改状态；修订号加一并记入审计日志。"
        "不能直接改为 done，也不能把已销号的事项改回：请用 POST /api/v1/items/{item_id}/close 销号、"
        "/reopen 重新打开（否则返回 422）。"
        "可带 revision：与当前修订号不符时返回 409。用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses={
        403: _ERRORS[403],
        404: _ERRORS[404],
        409: {"model": ErrorOut, "description": "事项已被他人修改"},
        422: {"model": ErrorOut, "description": "状态不允许这样改（done 须销号，已销号须重新打开）"},
    },
)
def patch_item(
    item_id: ItemId,
    change: ItemPatch,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> ItemDetail:
    item, plan, units = _item_or_error(session, viewer, item_id)
    if not can_edit_item(viewer, plan, units):
        raise HTTPException(403, "只有管理员和牵头科室可以修改此事项")
    with _status_rules():
        progress.check_revision(item, change.revision)
        changed = progress.set_status(session, item, change.status, _actor(viewer), action="update")
    if changed:
        session.commit()
    return _item_detail(viewer, item, plan, units)


# ------------------------------------------------------------------------------ 销号 and reopening


@contextmanager
def _status_rules():
    """A stale revision → 409; a change the status rules refuse (done without 销号) → 422."""
    try:
        yield
    except progress.RevisionConflict as exc:
        raise HTTPException(409, str(exc)) from None
    except progress.StatusError as exc:
        raise HTTPException(422, str(exc)) from None


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
        "用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses=_CLOSE_ERRORS,
)
def close_item(
    item_id: ItemId,
    body: CloseIn,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> ItemDetail:
    item, plan, units = _item_or_error(session, viewer, item_id)
    if not can_close_item(viewer, plan, units):
        raise HTTPException(403, "只有管理员和牵头科室可以销号")
    with _status_rules():
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
    session.commit()
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
def reopen_item(
    item_id: ItemId,
    body: ReopenIn,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> ItemDetail:
    item, plan, units = _item_or_error(session, viewer, item_id)
    if not can_close_item(viewer, plan, units):
        raise HTTPException(403, "只有管理员和牵头科室可以重新打开")
    with _status_rules():
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
    session.commit()
    return _item_detail(viewer, item, plan, units)


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


# ------------------------------------------------------------------------------ progress reports


def _report_out(report: ProgressReport, orgs: dict[int, Organisation]) -> ReportOut:
    org = orgs.get(report.org_id) if report.org_id else None
    return ReportOut(
        id=report.id,
        item_id=report.item_id,
        org_id=report.org_id,
        org_name=org.name if org else None,
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
    return [_report_out(r, orgs) for r in rows if can_view_report(viewer, plan, units, r)]


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
    session.commit()
    return _report_out(row, _bureau_orgs(session, plan.bureau_id))


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


@router.get(
    "/units",
    response_model=list[UnitOut],
    summary="科室与学校",
    description="本局的科室、学校和学校集合（已合并的别名不单列，见 aliases）。",
)
def units(
    kind: str | None = Query(None, description="office、school 或 group"),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> list[UnitOut]:
    query = (
        select(Organisation)
        .where(
            Organisation.bureau_id == viewer.bureau_id,
            Organisation.kind != "bureau",
            Organisation.merged_into_id.is_(None),
        )
        .order_by(Organisation.kind, Organisation.id)
    )
    if kind is not None:
        if kind not in ("office", "school", "group"):
            raise HTTPException(400, "kind 只能是 office、school 或 group")
        query = query.where(Organisation.kind == kind)
    aliases: dict[int, list[str]] = {}
    for org_id, norm in session.execute(
        select(OrgAlias.org_id, OrgAlias.norm).where(OrgAlias.bureau_id == viewer.bureau_id)
    ):
        aliases.setdefault(org_id, []).append(norm)
    return [
        UnitOut(
            id=o.id,
            name=o.name,
            kind=o.kind,
            needs_review=o.needs_review,
            aliases=sorted(aliases.get(o.id, [])),
        )
        for o in session.scalars(query)
    ]


# ------------------------------------------------------------------------------ API tokens


def _token_out(token: ApiToken) -> dict:
    return {
        "id": token.id,
        "name": token.name,
        "created_at": token.created_at,
        "revoked_at": token.revoked_at,
    }


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=201,
    summary="创建 API 令牌",
    description=(
        "为对接系统（如 OA）创建令牌，以后用 Authorization: Bearer <令牌> 调用本 API，权限与本人相同。"
        "令牌只在这次返回中出现，服务器只保存其 SHA-256 摘要。须登录后在浏览器会话中创建（带 X-CSRF-Token）。"
    ),
    dependencies=WRITE,
    responses={403: _ERRORS[403]},
)
def create_token(
    body: TokenIn, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> TokenCreated:
    if viewer.via_token:
        raise HTTPException(403, "API 令牌不能用来创建新令牌，请登录后创建")
    name = body.name.strip()
    if not name:
        raise HTTPException(422, "请填写令牌用途")
    secret = new_token()
    token = ApiToken(user_id=viewer.id, name=name, token_hash=token_digest(secret), created_at=clock.now())
    session.add(token)
    session.flush()
    audit.record(session, _actor(viewer), "create", "api_token", token.id, None, {"name": name})
    session.commit()
    return TokenCreated(**_token_out(token), token=secret)


@router.get(
    "/tokens",
    response_model=list[TokenOut],
    summary="我的 API 令牌",
    description="本人创建的令牌（不含令牌本身），含已撤销的。",
)
def tokens(
    viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> list[TokenOut]:
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id == viewer.id).order_by(ApiToken.id))
    return [TokenOut(**_token_out(t)) for t in rows]


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    summary="撤销 API 令牌",
    description="撤销本人的令牌，此后用它的请求一律返回 401。重复撤销不报错。",
    dependencies=WRITE,
    responses={404: _ERRORS[404]},
)
def revoke_token(
    token_id: TokenId, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> Response:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != viewer.id:
        raise HTTPException(404, "找不到该令牌")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        audit.record(session, _actor(viewer), "revoke", "api_token", token.id, {"name": token.name}, None)
        session.commit()
    return Response(status_code=204)
