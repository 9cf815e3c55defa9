"""分发与回执 and 销号 review: an item's reply table (/items/{id}/replies), distributing it,
reminding the schools behind, closing it with a reason; a school's report and 销号 application
on its own assignment; applying for an item's 销号; passing or returning applications; the
review queue; the bureau's choice of one-step closing. Permissions: ``eduplan/web/permissions.py``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from eduplan.errors import EduplanError
from eduplan.ledger import schools
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.models import Organisation
from eduplan.supervise import assignments, closing_review
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session
from eduplan.web.permissions import (
    can_act_on_assignment,
    can_close_item,
    can_review_closing,
    can_set_closing_mode,
    can_view_replies,
)
from eduplan.web.templating import render
from eduplan.web.uploads import check_file_count, checked_files, parsed_form
from eduplan.web.views import assignments as pages
from eduplan.web.views import items as pages_items

router = APIRouter(include_in_schema=False)

NOTICES = {
    "distributed": "已分发到各校，各校会收到通知。",
    "reminded": "已催办尚未完成的学校。",
    "closed": "已办结销号。",
    "reported": "本校进度已提交。",
    "applied": "已申请销号，等待审核。",
    "passed": "已审核通过。",
    "returned": "已退回，申请单位会收到通知。",
    "mode": "销号方式已保存。",
}
CSRF = [Depends(require_viewer), Depends(check_csrf)]


def _page(request: Request, session: Session, viewer: Viewer, loaded, status_code: int = 200, **extra):
    page = pages.replies_page(session, viewer, loaded, clock_today())
    context = {"active": "", "page": page, "item": loaded.item, "plan": loaded.plan, **extra}
    return render(request, "replies.html", context, status_code)


def _back(item_id: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/items/{item_id}/replies?done={done}", status_code=303)


def _refused(request, session, viewer, loaded, exc: EduplanError, form: dict):
    session.rollback()
    session.refresh(loaded.item)
    return _page(request, session, viewer, loaded, 400, errors=[str(exc)], form=form)


def _files(form: FormData) -> list:
    files = checked_files(form)
    check_file_count(files)
    return files


@router.get("/items/{item_id}/replies")
def replies(
    request: Request,
    item_id: int,
    done: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    loaded = pages_items.load_visible(session, viewer, item_id)
    return _page(request, session, viewer, loaded, notice=NOTICES.get(done or ""))


def _office(session: Session, viewer: Viewer, item_id: int):
    loaded = pages_items.load_visible(session, viewer, item_id)
    if not can_view_replies(viewer, loaded.plan, loaded.units):
        raise HTTPException(403, "只有负责这项工作的科室或局办公室可以分发和催办")
    return loaded


@router.post("/items/{item_id}/distribute", dependencies=CSRF)
def distribute(
    request: Request,
    item_id: int,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    loaded = _office(session, viewer, item_id)
    try:
        assignments.distribute(session, loaded.item, viewer.username)
    except EduplanError as exc:
        return _refused(request, session, viewer, loaded, exc, {})
    session.commit()
    return _back(item_id, "distributed")


@router.post("/items/{item_id}/replies/remind", dependencies=CSRF)
def remind(
    item_id: int,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    loaded = _office(session, viewer, item_id)
    assignments.remind_behind(session, loaded.item, viewer.username, clock_today())
    session.commit()
    return _back(item_id, "reminded")


@router.post("/items/{item_id}/replies/close", dependencies=CSRF)
def close_with_reason(
    request: Request,
    item_id: int,
    reason: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    loaded = pages_items.load_visible(session, viewer, item_id)
    if not can_close_item(viewer, loaded.plan, loaded.units):
        raise HTTPException(403, "只有负责这项工作的科室或局办公室可以办结")
    unit, person = pages.reviewer_names(viewer)
    try:
        assignments.close_with_reason(
            session, loaded.item, reason=reason, author=person, actor=viewer.username,
            org_id=viewer.org_id, org_name=unit,
        )  # fmt: skip
    except EduplanError as exc:
        return _refused(request, session, viewer, loaded, exc, {"reason": reason})
    session.commit()
    return _back(item_id, "closed")


def _school(session: Session, viewer: Viewer, item_id: int):
    loaded = pages_items.load_visible(session, viewer, item_id)
    if not can_act_on_assignment(viewer, loaded.plan, loaded.units):
        raise HTTPException(403, "只有承办这项工作的学校可以办理本校的回执")
    return loaded, pages.own_school(session, viewer)


@router.post("/items/{item_id}/assignment/report", dependencies=CSRF)
def school_report(
    request: Request,
    item_id: int,
    viewer: Viewer = Depends(require_viewer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    loaded, school = _school(session, viewer, item_id)
    text = str(form.get("text") or "")
    try:
        percent = pages_items.parse_percent(str(form.get("percent") or ""))
        assignments.report(
            session, loaded.item, school, text=text, percent=percent,
            author=viewer.display_name or viewer.username, actor=viewer.username, attachments=_files(form),
        )  # fmt: skip
    except EduplanError as exc:
        return _refused(request, session, viewer, loaded, exc, {"text": text})
    session.commit()
    return _back(item_id, "reported")


@router.post("/items/{item_id}/assignment/apply", dependencies=CSRF)
def school_apply(
    request: Request,
    item_id: int,
    viewer: Viewer = Depends(require_viewer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    loaded, school = _school(session, viewer, item_id)
    text = str(form.get("text") or "")
    try:
        closing_review.apply(
            session, loaded.item, bureau_id=loaded.plan.bureau_id, org=school, org_name=school.name,
            author=viewer.display_name or viewer.username, actor=viewer.username, text=text,
            attachments=_files(form), for_school=school,
        )  # fmt: skip
    except EduplanError as exc:
        return _refused(request, session, viewer, loaded, exc, {"apply_text": text})
    session.commit()
    return _back(item_id, "applied")


@router.post("/items/{item_id}/apply", dependencies=CSRF)
def office_apply(
    request: Request,
    item_id: int,
    viewer: Viewer = Depends(require_viewer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    """申请销号 of the whole item, by the office responsible (or the bureau office)."""
    loaded = pages_items.load_visible(session, viewer, item_id)
    if not can_close_item(viewer, loaded.plan, loaded.units):
        raise HTTPException(403, "只有负责这项工作的科室或局办公室可以申请销号")
    unit, person = pages.reviewer_names(viewer)
    text = str(form.get("text") or "")
    try:
        org = session.get(Organisation, viewer.org_id) if viewer.org_id is not None else None
        closing_review.apply(
            session, loaded.item, bureau_id=loaded.plan.bureau_id, org=org, org_name=unit, author=person,
            actor=viewer.username, text=text, attachments=_files(form),
        )  # fmt: skip
    except EduplanError as exc:
        return _refused(request, session, viewer, loaded, exc, {"apply_text": text})
    session.commit()
    return _back(item_id, "applied")


@router.post("/closing-requests/{request_id}/review", dependencies=CSRF)
def review(
    request_id: int,
    decision: str = Form(""),
    note: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    """Pass (decision=pass) or return (decision=return, with a reason) a 销号 application."""
    row, item, plan, units = pages.load_request(session, viewer, request_id)
    if not can_review_closing(viewer, plan, units, for_assignment=row.assignment_id is not None):
        raise HTTPException(403, "只有局办公室或这项工作的牵头科室可以审核这份销号申请")
    if decision not in ("pass", "return"):
        raise HTTPException(400, "请选择通过或退回")
    unit, person = pages.reviewer_names(viewer)
    try:
        closing_review.review(
            session, row, passed=decision == "pass", note=note, reviewer_org=unit, reviewer=person,
            actor=viewer.username,
        )  # fmt: skip
    except EduplanError as exc:
        session.rollback()
        raise HTTPException(400, str(exc)) from None
    session.commit()
    return _back(item.id, "passed" if decision == "pass" else "returned")


@router.get("/reviews")
def review_queue(
    request: Request,
    done: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    rows = pages.review_queue(session, viewer)
    context = {
        "active": "",
        "rows": rows,
        "one_step": closing_review.one_step(session, viewer.bureau_id),
        "notice": NOTICES.get(done or ""),
    }
    return render(request, "reviews.html", context)


@router.post("/admin/closing-mode", dependencies=CSRF)
def closing_mode(
    one_step: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    if not can_set_closing_mode(viewer):
        raise HTTPException(403, "只有局办公室可以设置销号方式")
    closing_review.set_one_step(session, viewer.bureau_id, one_step == "1", viewer.username)
    session.commit()
    return RedirectResponse("/reviews?done=mode", status_code=303)


def _bureau_org(session: Session, viewer: Viewer, org_id: str, kind: str) -> Organisation:
    org = session.get(Organisation, int(org_id)) if org_id.strip().isdigit() else None
    if org is None or org.bureau_id != viewer.bureau_id or org.kind != kind:
        raise HTTPException(404, "没有这个单位")
    return org


@router.post("/admin/units/school-type", dependencies=CSRF)
def school_type(
    org_id: str = Form(""),
    school_type: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    """学校类型 (the bureau office)."""
    if not can_set_closing_mode(viewer):
        raise HTTPException(403, "只有局办公室可以设置学校类型")
    school = _bureau_org(session, viewer, org_id, "school")
    try:
        schools.set_school_type(session, school, school_type or None, viewer.username)
    except EduplanError as exc:
        raise HTTPException(400, str(exc)) from None
    session.commit()
    return RedirectResponse(f"/admin/units#unit-{school.id}", status_code=303)


@router.post("/admin/units/group", dependencies=CSRF)
def school_group(
    viewer: Viewer = Depends(require_viewer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    """学校群组: its standard key and, when any are chosen, its listed members (the bureau office)."""
    if not can_set_closing_mode(viewer):
        raise HTTPException(403, "只有局办公室可以设置学校群组")
    group = _bureau_org(session, viewer, str(form.get("org_id") or ""), "group")
    members = [int(v) for v in form.getlist("members") if str(v).isdigit()]
    try:
        schools.set_group(
            session,
            group,
            key=str(form.get("group_key") or "") or None,
            member_ids=members,
            actor=viewer.username,
        )
    except EduplanError as exc:
        raise HTTPException(400, str(exc)) from None
    session.commit()
    return RedirectResponse(f"/admin/units#unit-{group.id}", status_code=303)
