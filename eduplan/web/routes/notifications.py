"""通知: in-app notifications and each office's and school's reminder settings."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from eduplan.ledger.models import CHANNELS, Organisation
from eduplan.notify import inapp, log
from eduplan.notify.preferences import CHANNEL_LABELS, preferences_for, save, validate
from eduplan.notify.webhook import WEBHOOK_KINDS
from eduplan.supervise.reminders import DIGEST_KINDS
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session
from eduplan.web.paging import Page, page_number
from eduplan.web.permissions import can_view_org
from eduplan.web.templating import render
from eduplan.web.uploads import parsed_form

router = APIRouter(include_in_schema=False)

KIND_LABELS = {"digest": "工作提醒", "supervise": "督办", "reopen": "重新打开"}


@router.get("/notifications")
def notifications(
    request: Request,
    done: str | None = None,
    page: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    """The viewer's organisation's notifications, newest first, unread marked, a page at a time."""
    count = inapp.total(session, viewer.org_id) if viewer.org_id is not None else 0
    size = inapp.PAGE_SIZE
    number = min(page_number(page), max(1, -(-count // size)))
    rows = (
        inapp.latest(session, viewer.org_id, size, (number - 1) * size) if viewer.org_id is not None else []
    )
    pages = Page(rows, number, size, count)
    return render(
        request,
        "notifications.html",
        {
            "active": "notifications",
            "rows": rows,
            "pages": pages,
            "unread_here": sum(1 for r in rows if r.read_at is None),
            "kind_labels": KIND_LABELS,
            "notice": "已全部标为已读。" if done == "read" else None,
        },
    )


@router.post("/notifications/read-all", dependencies=[Depends(require_viewer), Depends(check_csrf)])
def read_all(viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)):
    if viewer.org_id is not None:
        inapp.mark_all_read(session, viewer.org_id)
        session.commit()
    return RedirectResponse("/notifications?done=read", status_code=303)


def _unit(session: Session, viewer: Viewer, org_id: int) -> Organisation:
    """An office or school whose settings the viewer may edit: 404 outside the bureau, 403 inside."""
    org = session.get(Organisation, org_id)
    if org is None or org.kind not in DIGEST_KINDS or org.bureau_id != viewer.bureau_id:
        raise HTTPException(404, "找不到这个科室或学校")
    if not can_view_org(viewer, org):
        raise HTTPException(403, "只能设置本单位的提醒方式")
    return org


@router.get("/notifications/settings")
def settings_list(
    request: Request, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    """The bureau office sees every unit's settings; an office or school goes to its own."""
    if not viewer.is_admin:
        if viewer.org_id is not None:
            return RedirectResponse(f"/notifications/settings/{viewer.org_id}", status_code=303)
        raise HTTPException(403, "访客账号不属于任何科室或学校")
    orgs = list(
        session.scalars(
            select(Organisation)
            .where(
                Organisation.bureau_id == viewer.bureau_id,
                Organisation.kind.in_(DIGEST_KINDS),
                Organisation.merged_into_id.is_(None),
            )
            .order_by(Organisation.kind, Organisation.id)
        )
    )
    prefs = preferences_for(session, [o.id for o in orgs])
    return render(
        request,
        "notify_settings.html",
        {
            "active": "units",
            "orgs": orgs,
            "prefs": prefs,
            "deliveries": log.latest_by_org(session, [o.id for o in orgs]),
            "status_labels": log.STATUS_LABELS,
            "channel_labels": CHANNEL_LABELS,
            "webhook_kinds": WEBHOOK_KINDS,
        },
    )


def _form_page(
    request: Request, session: Session, org: Organisation, prefs, errors=(), notice=None, status_code=200
):
    return render(
        request,
        "notify_settings.html",
        {
            "active": "units",
            "org": org,
            "deliveries": log.recent(session, org.id),
            "status_labels": log.STATUS_LABELS,
            "pref": prefs,
            "errors": list(errors),
            "notice": notice,
            "channels": CHANNELS,
            "channel_labels": CHANNEL_LABELS,
            "webhook_kinds": WEBHOOK_KINDS,
        },
        status_code,
    )


@router.get("/notifications/settings/{org_id}")
def settings_page(
    request: Request,
    org_id: int,
    done: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    org = _unit(session, viewer, org_id)
    prefs = preferences_for(session, [org.id])[org.id]
    return _form_page(request, session, org, prefs, notice="提醒设置已保存。" if done == "saved" else None)


@router.post("/notifications/settings/{org_id}", dependencies=[Depends(require_viewer), Depends(check_csrf)])
def save_settings(
    request: Request,
    org_id: int,
    viewer: Viewer = Depends(require_viewer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    org = _unit(session, viewer, org_id)
    prefs, errors = validate(
        [str(c) for c in form.getlist("channels")],
        str(form.get("email") or ""),
        str(form.get("webhook_url") or ""),
        str(form.get("webhook_kind") or ""),
        quiet_weekends=form.get("quiet_weekends") is not None,
        quiet_holidays=form.get("quiet_holidays") is not None,
    )
    if errors:
        return _form_page(request, session, org, prefs, errors, status_code=400)
    save(session, org, prefs, viewer.username)
    session.commit()
    return RedirectResponse(f"/notifications/settings/{org.id}?done=saved", status_code=303)
