"""任务: an item's page, its status, progress reports with attachments, attachment downloads,
销号 (closing with a completion report), reopening, and 督办.

Forms that change the item carry the revision the page showed; a stale one is refused with a
409 page (the item as it is now, what the person typed kept) instead of overwriting."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from eduplan.errors import EduplanError
from eduplan.ledger.db import short_write
from eduplan.ledger.models import ClosingRequest
from eduplan.supervise.progress import RevisionConflict
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session, short_writes
from eduplan.web.permissions import can_close_item, can_report
from eduplan.web.templating import render
from eduplan.web.uploads import checked_files, file_response, parsed_form
from eduplan.web.views import items as pages

router = APIRouter(include_in_schema=False)

NOTICES = {
    "status": "状态已更新。",
    "report": "进度已提交。",
    "closed": "已销号。",
    "applied": "已申请销号，等待局办公室审核。",
    "reopened": "已重新打开。",
    "supervised": "已督办，责任单位会收到通知。",
    "lifted": "已解除督办。",
    "unsupervised": "这项工作当前没有督办。",
}


def _page(request: Request, session: Session, viewer: Viewer, loaded, status_code: int = 200, **extra):
    return render(request, "item.html", pages.item_context(session, viewer, loaded, **extra), status_code)


def _refused(request: Request, session: Session, viewer: Viewer, loaded, exc: EduplanError, form: dict):
    """The item page again, as it is now, with why the change was refused and what was typed:
    409 for a stale form (someone else changed the item), 400 for anything else."""
    session.rollback()
    session.refresh(loaded.item)
    if isinstance(exc, RevisionConflict):  # say who changed it, and show what was typed
        conflict = pages.conflict_context(session, loaded.item, str(exc), form)
        return _page(request, session, viewer, loaded, 409, form=form, **conflict)
    return _page(request, session, viewer, loaded, 400, errors=[str(exc)], form=form)


@router.get("/items/{item_id}")
def item_page(
    request: Request,
    item_id: int,
    done: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    loaded = pages.load_visible(session, viewer, item_id)
    return _page(request, session, viewer, loaded, notice=NOTICES.get(done or ""))


@router.post("/items/{item_id}/status", dependencies=[Depends(require_viewer), Depends(check_csrf)])
@short_writes
def change_status(
    request: Request,
    item_id: int,
    status: str = Form(""),
    revision: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    loaded = pages.load_visible(session, viewer, item_id)
    try:
        seen = pages.parse_revision(revision)
        with short_write(session):
            pages.change_status(session, viewer, loaded, status, seen)
    except EduplanError as exc:
        return _refused(
            request, session, viewer, loaded, exc, {"status": pages.STATUS_LABELS.get(status, "")}
        )
    return RedirectResponse(f"/items/{item_id}?done=status", status_code=303)


@router.post("/items/{item_id}/reports", dependencies=[Depends(require_viewer), Depends(check_csrf)])
@short_writes
def add_report(
    request: Request,
    item_id: int,
    viewer: Viewer = Depends(require_viewer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    loaded = pages.load_visible(session, viewer, item_id)
    text = str(form.get("text") or "")
    raw_percent = str(form.get("percent") or "")
    try:
        if not can_report(viewer, loaded.plan, loaded.units):
            raise HTTPException(403, "这项工作没有安排给你的单位，不能提交进度")
        percent = pages.parse_percent(raw_percent)
        files = checked_files(form)
        with short_write(session):
            pages.add_report(session, viewer, loaded, text, percent, files)
    except EduplanError as exc:
        session.rollback()
        form_values = {"text": text, "percent": raw_percent}
        return _page(request, session, viewer, loaded, 400, errors=[str(exc)], form=form_values)
    return RedirectResponse(f"/items/{item_id}?done=report#reports", status_code=303)


@router.get("/attachments/{attachment_id}")
def download(
    attachment_id: int, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    attachment = pages.load_attachment(session, viewer, attachment_id)
    return file_response(attachment.filename, attachment.content_type, attachment.content)


@router.post("/items/{item_id}/close", dependencies=[Depends(require_viewer), Depends(check_csrf)])
@short_writes
def close_item(
    request: Request,
    item_id: int,
    viewer: Viewer = Depends(require_viewer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    """销号: a completion report (text, optional evidence files) closes the item; an office of a
    bureau without one-step closing applies for review instead (``pages.close``)."""
    loaded = pages.load_visible(session, viewer, item_id)
    text = str(form.get("text") or "")
    if not can_close_item(viewer, loaded.plan, loaded.units):
        raise HTTPException(403, "只有负责这项工作的科室或局办公室可以销号")
    try:
        revision = pages.parse_revision(str(form.get("revision") or ""))
        files = checked_files(form)
        with short_write(session):
            made = pages.close(session, viewer, loaded, text, files, revision)
    except EduplanError as exc:
        return _refused(request, session, viewer, loaded, exc, {"close_text": text})
    done = "applied" if isinstance(made, ClosingRequest) else "closed"
    return RedirectResponse(f"/items/{item_id}?done={done}", status_code=303)


@router.post("/items/{item_id}/reopen", dependencies=[Depends(require_viewer), Depends(check_csrf)])
@short_writes
def reopen_item(
    request: Request,
    item_id: int,
    reason: str = Form(""),
    revision: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    loaded = pages.load_visible(session, viewer, item_id)
    try:
        seen = pages.parse_revision(revision)
        with short_write(session):
            pages.reopen(session, viewer, loaded, reason, seen)
    except EduplanError as exc:
        return _refused(request, session, viewer, loaded, exc, {"reason": reason})
    return RedirectResponse(f"/items/{item_id}?done=reopened", status_code=303)


@router.post("/items/{item_id}/supervise", dependencies=[Depends(require_viewer), Depends(check_csrf)])
def supervise_item(
    request: Request,
    item_id: int,
    deadline: str = Form(""),
    note: str = Form(""),
    revision: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    """督办 (leaders): a deadline and a note; the responsible units are notified."""
    loaded = pages.load_visible(session, viewer, item_id)
    try:
        pages.supervise(session, viewer, loaded, deadline, note, pages.parse_revision(revision))
    except EduplanError as exc:
        return _refused(request, session, viewer, loaded, exc, {"deadline": deadline, "note": note})
    session.commit()
    return RedirectResponse(f"/items/{item_id}?done=supervised", status_code=303)


@router.post("/items/{item_id}/supervise/lift", dependencies=[Depends(require_viewer), Depends(check_csrf)])
def lift_supervision(
    item_id: int,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    loaded = pages.load_visible(session, viewer, item_id)
    lifted = pages.lift_supervision(session, viewer, loaded)
    session.commit()
    return RedirectResponse(
        f"/items/{item_id}?done={'lifted' if lifted else 'unsupervised'}", status_code=303
    )
