"""Work sent down to schools and 销号 with review: an item's reply table (回执), a school's own
assignment (reading, reporting, applying for its 销号), an office's 申请销号 of a whole item,
passing or returning an application, and the figures (办结率, overdue, due this week) per unit.

The same rules as the pages (``eduplan/web/routes/assignments.py``; permissions in
``eduplan/web/permissions.py``): the reply table is the bureau office's and the offices
responsible'; a school sees and changes only its own assignment; an application of a school's
assignment is reviewed by the item's lead office, an item's own by the bureau office.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from fastapi import Depends, HTTPException, Path, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import clock
from eduplan.ledger.models import ClosingRequest, Organisation, ProgressReport
from eduplan.supervise import assignments, closing_review, figures
from eduplan.supervise.reminders import week_bounds
from eduplan.web.api.common import _ERRORS, MAX_ID, WRITE, ItemId, _actor, api_router
from eduplan.web.api.schemas import (
    ApplyIn,
    AssignmentOut,
    BureauFiguresOut,
    ClosingRequestOut,
    ErrorOut,
    FiguresOut,
    RepliesOut,
    ReportIn,
    ReviewIn,
    UnitRef,
)
from eduplan.web.api.scope import _item_or_error, _plan_or_404
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.permissions import (
    can_act_on_assignment,
    can_close_item,
    can_review_closing,
    can_view_replies,
    can_view_supervision,
)
from eduplan.web.views.assignments import load_request, own_school, reviewer_names

router = api_router()

RequestId = Path(ge=1, le=MAX_ID, description="销号申请编号")
_REFUSED = {"model": ErrorOut, "description": "规则不允许（如已申请待审核、已销号、退回未写原因）或内容为空"}
_ONE = {403: _ERRORS[403], 404: _ERRORS[404]}
_WRITE_ERRORS = {**_ONE, 422: _REFUSED}


@contextmanager
def _rules() -> Iterator[None]:
    """A change the rules of 分发 and 销号 refuse → 422 with the reason, nothing written."""
    try:
        yield
    except EduplanError as exc:
        raise HTTPException(422, str(exc)) from None


def _unit(org: Organisation) -> UnitRef:
    return UnitRef(id=org.id, name=org.name, kind=org.kind)


def _row_out(row: assignments.ReplyRow) -> AssignmentOut:
    return AssignmentOut(
        school=_unit(row.school),
        assignment_id=row.assignment_id,
        status=row.status,
        late=row.late,
        status_label=row.status_label,
        last_report_at=row.last_report_at,
        last_report=row.last_report.text if row.last_report is not None else None,
        pending_request_id=row.pending.id if row.pending is not None else None,
    )


def _request_out(session: Session, row: ClosingRequest) -> ClosingRequestOut:
    report = session.get(ProgressReport, row.report_id) if row.report_id else None
    return ClosingRequestOut(
        id=row.id,
        item_id=row.item_id,
        assignment_id=row.assignment_id,
        org_id=row.org_id,
        org_name=row.org_name,
        author=row.author,
        text=report.text if report is not None else "",
        state=row.state,
        state_label=closing_review.STATE_LABELS[row.state],
        reviewer_org=row.reviewer_org,
        reviewer=row.reviewer,
        review_note=row.review_note,
        created_at=row.created_at,
        reviewed_at=row.reviewed_at,
    )


# ---------------------------------------------------------------- the reply table (the office)


@router.get(
    "/items/{item_id}/assignments",
    response_model=RepliesOut,
    summary="回执（各校办理情况）",
    description=(
        "分发给学校的工作：每所承办学校的状态（未开始、进行中、待审核、已完成，已逾期另标）和最近一次填报。"
        "管理员和负责这项工作的科室可以查看；学校请用 GET /api/v1/items/{item_id}/assignment 看本校的。"
    ),
    responses=_ONE,
)
def replies(
    item_id: ItemId, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> RepliesOut:
    item, plan, units = _item_or_error(session, viewer, item_id)
    if not can_view_replies(viewer, plan, units):
        raise HTTPException(403, "只有负责这项工作的科室和局办公室可以查看各校回执")
    table = assignments.replies(session, item, clock.today())
    return RepliesOut(
        item_id=item.id,
        done=table.done,
        reported=table.reported,
        not_started=table.not_started,
        late=table.late,
        rows=[_row_out(r) for r in table.rows],
    )


# ---------------------------------------------------------------- a school's own assignment


def _own(session: Session, viewer: Viewer, item_id: int):
    item, plan, units = _item_or_error(session, viewer, item_id)
    if not can_act_on_assignment(viewer, plan, units):
        raise HTTPException(403, "只有承办这项工作的学校可以办理本校的回执")
    school = own_school(session, viewer)
    if school.id not in {s.id for s in assignments.member_schools(session, item, units)}:
        raise HTTPException(403, "这项工作没有分发给你的学校")
    return item, plan, school


def _own_row(session: Session, item, school: Organisation) -> AssignmentOut:
    table = assignments.replies(session, item, clock.today())
    return _row_out(next(r for r in table.rows if r.school.id == school.id))


@router.get(
    "/items/{item_id}/assignment",
    response_model=AssignmentOut,
    summary="本校回执",
    description="学校账号：这项工作分发给本校的那一份（状态、最近一次填报、待审核的销号申请）。",
    responses=_ONE,
)
def own_assignment(
    item_id: ItemId, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> AssignmentOut:
    item, _, school = _own(session, viewer, item_id)
    return _own_row(session, item, school)


@router.post(
    "/items/{item_id}/assignment/reports",
    response_model=AssignmentOut,
    status_code=201,
    summary="本校填报进度",
    description=(
        "学校账号填报本校这一份的进度：未开始的回执改为进行中，记入审计日志。已申请销号或已完成时返回 422。"
        "用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses=_WRITE_ERRORS,
)
def own_report(
    item_id: ItemId,
    body: ReportIn,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> AssignmentOut:
    item, _, school = _own(session, viewer, item_id)
    with _rules():
        assignments.report(
            session, item, school, text=body.text, percent=body.percent,
            author=viewer.display_name or viewer.username, actor=_actor(viewer),
        )  # fmt: skip
    session.commit()
    return _own_row(session, item, school)


@router.post(
    "/items/{item_id}/assignment/apply",
    response_model=ClosingRequestOut,
    status_code=201,
    summary="本校申请销号",
    description=(
        "学校账号提交本校的完成情况申请销号，由这项工作的牵头科室审核（没有科室时由局办公室审核）；"
        "本局选择“一步销号”时立即通过。佐证材料请在网页上传。用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses=_WRITE_ERRORS,
)
def own_apply(
    item_id: ItemId,
    body: ApplyIn,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> ClosingRequestOut:
    item, plan, school = _own(session, viewer, item_id)
    with _rules():
        made = closing_review.apply(
            session, item, bureau_id=plan.bureau_id, org=school, org_name=school.name,
            author=viewer.display_name or viewer.username, actor=_actor(viewer), text=body.text,
            for_school=school,
        )  # fmt: skip
    session.commit()
    return _request_out(session, made)


# ---------------------------------------------------------------- 申请销号 and review


@router.post(
    "/items/{item_id}/apply",
    response_model=ClosingRequestOut,
    status_code=201,
    summary="申请销号",
    description=(
        "负责这项工作的科室（或局办公室）提交完成报告申请销号，由局办公室（督查室）审核；"
        "本局选择“一步销号”时立即通过并销号。已有申请待审核时返回 422。佐证材料请在网页上传。"
        "用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses=_WRITE_ERRORS,
)
def apply(
    item_id: ItemId,
    body: ApplyIn,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> ClosingRequestOut:
    item, plan, units = _item_or_error(session, viewer, item_id)
    if not can_close_item(viewer, plan, units):
        raise HTTPException(403, "只有负责这项工作的科室或局办公室可以申请销号")
    unit, person = reviewer_names(viewer)
    org = session.get(Organisation, viewer.org_id) if viewer.org_id is not None else None
    with _rules():
        made = closing_review.apply(
            session, item, bureau_id=plan.bureau_id, org=org, org_name=unit, author=person,
            actor=_actor(viewer), text=body.text,
        )  # fmt: skip
    session.commit()
    return _request_out(session, made)


@router.post(
    "/closing-requests/{request_id}/review",
    response_model=ClosingRequestOut,
    summary="审核销号申请",
    description=(
        "通过（decision=pass：学校的回执或整项工作销号；各校都完成时整项工作随之销号）或退回"
        "（decision=return，须写原因，申请单位收到通知，可以再次申请）。学校的申请由这项工作的牵头科室审核"
        "（没有科室时由局办公室），整项工作的申请由局办公室审核。已审核过的返回 422。"
        "用登录会话调用时须带 X-CSRF-Token 请求头。"
    ),
    dependencies=WRITE,
    responses=_WRITE_ERRORS,
)
def review(
    body: ReviewIn,
    request_id: int = RequestId,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> ClosingRequestOut:
    row, _, plan, units = load_request(session, viewer, request_id)
    if not can_review_closing(viewer, plan, units, for_assignment=row.assignment_id is not None):
        raise HTTPException(403, "只有局办公室或这项工作的牵头科室可以审核这份销号申请")
    unit, person = reviewer_names(viewer)
    with _rules():
        closing_review.review(
            session, row, passed=body.decision == "pass", note=body.note, reviewer_org=unit,
            reviewer=person, actor=_actor(viewer),
        )  # fmt: skip
    session.commit()
    return _request_out(session, row)


# ---------------------------------------------------------------- the figures


def _figures_out(found: figures.Figures, unit: Organisation | None) -> FiguresOut:
    return FiguresOut(
        unit=_unit(unit) if unit is not None else None,
        name=found.name,
        items=found.items,
        due=found.due,
        done=found.done,
        rate=found.share,
        rate_text=found.percent_text,
        in_progress=found.in_progress,
        overdue=found.overdue,
        due_this_week=found.due_this_week,
    )


@router.get(
    "/figures",
    response_model=BureauFiguresOut,
    summary="办结率、逾期和本周到期",
    description=(
        "本局每个科室、学校和学校群组的办结率（已办结 ÷ 应办结）、已逾期、本周到期，以及全局合计："
        "与工作台、督办、科室与学校页面同一口径。一项工作计入它的每个责任单位；各学校、各小学等群组的工作"
        "也计入每所成员学校（本校回执通过即算本校已办结）。管理员、科室和学校可以查看（访客不可）。"
    ),
    responses=_ONE,
)
def bureau_figures(
    plan: int | None = Query(None, ge=1, le=MAX_ID, description="只统计某个计划"),
    as_of: date | None = Query(
        None, ge=date(2000, 1, 1), le=date(2099, 12, 31), description="统计日（默认今天），如 2024-09-30"
    ),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> BureauFiguresOut:
    if not can_view_supervision(viewer):
        raise HTTPException(403, "访客不能查看办结率")
    if plan is not None:
        _plan_or_404(session, viewer, plan)
    day = as_of or clock.today()
    week = week_bounds(day)
    counted = figures.bureau_figures(session, viewer.bureau_id, day, week, plan_id=plan)
    orgs = {o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(counted.units)))}
    return BureauFiguresOut(
        as_of=day,
        week_start=week[0],
        week_end=week[1],
        total=_figures_out(counted.total, None),
        units=[_figures_out(f, orgs[unit_id]) for unit_id, f in counted.units.items()],
    )
