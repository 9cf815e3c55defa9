"""任务: an item's page, its status, progress reports with attachments, attachment downloads."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from eduplan.errors import EduplanError
from eduplan.web import pages_items as pages
from eduplan.web.auth import Viewer, check_csrf, require_viewer
from eduplan.web.db import get_session
from eduplan.web.permissions import can_report
from eduplan.web.templating import render
from eduplan.web.uploads import (
    check_attachment,
    content_disposition,
    max_attachment_bytes,
    parsed_form,
    read_limited,
    uploaded_files,
)

router = APIRouter(include_in_schema=False)

NOTICES = {"status": "状态已更新。", "report": "进度已提交。"}


def _page(request: Request, session: Session, viewer: Viewer, loaded, status_code: int = 200, **extra):
    return render(request, "item.html", pages.item_context(session, viewer, loaded, **extra), status_code)


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
def change_status(
    request: Request,
    item_id: int,
    status: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    loaded = pages.load_visible(session, viewer, item_id)
    try:
        pages.change_status(session, viewer, loaded, status)
    except EduplanError as exc:
        session.rollback()
        return _page(request, session, viewer, loaded, 400, errors=[str(exc)])
    session.commit()
    return RedirectResponse(f"/items/{item_id}?done=status", status_code=303)


@router.post("/items/{item_id}/reports", dependencies=[Depends(require_viewer), Depends(check_csrf)])
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
        limit = max_attachment_bytes()
        files = [
            check_attachment(f.filename, read_limited(f, limit), limit) for f in uploaded_files(form, "files")
        ]
        pages.add_report(session, viewer, loaded, text, percent, files)
    except EduplanError as exc:
        session.rollback()
        form_values = {"text": text, "percent": raw_percent}
        return _page(request, session, viewer, loaded, 400, errors=[str(exc)], form=form_values)
    session.commit()
    return RedirectResponse(f"/items/{item_id}?done=report#reports", status_code=303)


@router.get("/attachments/{attachment_id}")
def download(
    attachment_id: int, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    attachment = pages.load_attachment(session, viewer, attachment_id)
    return Response(
        content=attachment.content,
        media_type=attachment.content_type,
        headers={
            "Content-Disposition": content_disposition(attachment.filename),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )
