"""Items: the list with its filters, one item, and changing it (PATCH with its revision)."""

from __future__ import annotations

from datetime import date

from fastapi import Depends, HTTPException, Query
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import clock, schools
from eduplan.ledger.db import short_write
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan
from eduplan.ledger.queries import bureau_plans, live_items, unit_ids
from eduplan.ledger.status import is_overdue, status_label
from eduplan.supervise import progress
from eduplan.web.api.common import (
    _ERRORS,
    MAX_ID,
    MAX_LIMIT,
    WRITE,
    ItemId,
    _actor,
    _status_rules,
    api_router,
)
from eduplan.web.api.schemas import DerivedStatus, ErrorOut, ItemDetail, ItemOut, ItemPatch, UnitRef
from eduplan.web.api.scope import _item_or_error, _plan_or_404, _visible
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session, short_writes
from eduplan.web.permissions import can_edit_item, can_report, sees_whole_bureau

router = api_router()

# ------------------------------------------------------------------------------ items


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


# The list's queries, built once with bound parameters (building one costs more than running it).
_PAGE_UNITS = (
    select(ItemUnit.item_id, Organisation)
    .join(Organisation, Organisation.id == ItemUnit.org_id)
    .where(
        ItemUnit.item_id.in_(bindparam("ids", expanding=True)),
        Organisation.bureau_id == bindparam("bureau_id"),
    )
    .order_by(ItemUnit.item_id, ItemUnit.position)
)


def _units_of(session: Session, item_ids: list[int], bureau_id: int) -> dict[int, list[Organisation]]:
    """The units of ``item_ids`` (lead first) among the bureau's organisations, as ``_visible``
    links them."""
    result: dict[int, list[Organisation]] = {}
    if not item_ids:
        return result
    rows = session.execute(_PAGE_UNITS, {"ids": item_ids, "bureau_id": bureau_id})
    for item_id, org in rows:
        result.setdefault(item_id, []).append(org)
    return result


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
    today = clock.today()
    if office is None and school is None and status is None and sees_whole_bureau(viewer):
        # Nothing to filter item by item: the page is cut in the query, and only its items'
        # units are read (not all the bureau's ~500 items and their units for 100 shown).
        views = live_items(
            session,
            bureau=session.get(Organisation, viewer.bureau_id),
            plan_id=plan,
            start=start,
            end=end,
            with_units=False,
            offset=offset,
            limit=limit,
        )
        plans = bureau_plans(session, viewer.bureau_id)
        units = _units_of(session, [v.id for v in views], viewer.bureau_id)
        return [
            ItemOut(**_item_fields(viewer, v, plans[v.plan_id], units.get(v.id, []), today)) for v in views
        ]
    found = _visible(session, viewer, plan_id=plan, start=start, end=end)
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
@short_writes
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
        with short_write(session):
            progress.set_status(session, item, change.status, _actor(viewer), action="update")
    return _item_detail(viewer, item, plan, units)
