"""账号与安全: one's own sign-in sessions (see them, end them) and one's own password (the old one
required). Changing the password ends every session of the account, this one included, and signs
this browser in again under a new session, so a copied cookie stops working."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from eduplan.ledger import audit, clock
from eduplan.ledger.accounts import MIN_PASSWORD
from eduplan.ledger.models import User
from eduplan.ledger.passwords import hash_password, verify_password
from eduplan.web import ratelimit
from eduplan.web import sessions as web_sessions
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session
from eduplan.web.templating import render
from eduplan.web.views.items import local_time

router = APIRouter(prefix="/account", include_in_schema=False)
CSRF = [Depends(check_csrf)]


def _back(session: Session, request: Request, notice: str) -> RedirectResponse:
    web_sessions.set_notice(session, request, notice)
    session.commit()
    return RedirectResponse("/account", status_code=303)


@router.get("")
def account(
    request: Request, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    this = web_sessions.current_id(request)
    rows = [
        {
            "id": row.id,
            "created": local_time(row.created_at),
            "last_seen": local_time(row.last_seen_at),
            "address": row.address,
            "agent": row.user_agent or "（未知浏览器）",
            "this": row.id == this,
        }
        for row in web_sessions.user_sessions(session, viewer.id)
    ]
    settings = web_sessions.settings_of(request)
    return render(
        request,
        "account.html",
        {
            "active": "account",
            "notice": web_sessions.pop_notice(session, request),
            "sessions": rows,
            "min_password": MIN_PASSWORD,
            "idle_minutes": settings.session_idle_minutes,
            "lifetime_hours": settings.session_lifetime_hours,
        },
    )


@router.post("/password", dependencies=CSRF)
def change_password(
    request: Request,
    old_password: str = Form(""),
    password: str = Form(""),
    confirm: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    """The old password is checked like a sign-in (and counts toward the login limit), so a
    borrowed session cannot be used to guess it or to take the account over."""
    user = session.get(User, viewer.id)
    address = web_sessions.client_address(request)
    lock = ratelimit.check(session, user.username, address)
    if lock is not None:
        return _back(session, request, lock.message(clock.now()))
    if not verify_password(user.password_hash, old_password):
        ratelimit.record_failure(session, user.username, address)
        return _back(session, request, "原密码不对，密码没有修改")
    if len(password) < MIN_PASSWORD:
        return _back(session, request, f"新密码至少 {MIN_PASSWORD} 位，密码没有修改")
    if password != confirm:
        return _back(session, request, "两次输入的新密码不一致，密码没有修改")
    user.password_hash = hash_password(password)
    ended = web_sessions.end_user_sessions(session, user.id)
    audit.record(session, user.username, "change_password", "user", user.id, None, {"sessions_ended": ended})
    if not viewer.via_token:
        web_sessions.start(session, request, user)  # this browser stays signed in, under a new id
    ratelimit.clear(session, user.username, address)
    return _back(session, request, "密码已修改；所有登录会话已结束，其他电脑和手机需用新密码重新登录")


@router.post("/sessions/{session_id}/end", dependencies=CSRF)
def end_session(
    request: Request,
    session_id: int,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    this = session_id == web_sessions.current_id(request)
    if not web_sessions.end_session(session, viewer.id, session_id):
        raise HTTPException(404, "找不到该登录会话")
    audit.record(session, viewer.username, "end_session", "user", viewer.id, None, {"session": session_id})
    if this:  # ending the session one is using is signing out
        web_sessions.end_current(session, request)
        session.commit()
        return RedirectResponse("/login", status_code=303)
    return _back(session, request, "已结束该登录会话")


@router.post("/sessions/end-others", dependencies=CSRF)
def end_other_sessions(
    request: Request, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    this = web_sessions.current_id(request)
    ended = 0
    for row in web_sessions.user_sessions(session, viewer.id):
        if row.id != this:
            ended += web_sessions.end_session(session, viewer.id, row.id)
    audit.record(session, viewer.username, "end_sessions", "user", viewer.id, None, {"sessions_ended": ended})
    return _back(session, request, f"已结束其他 {ended} 个登录会话")
