"""Signing in and out."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger import audit, clock
from eduplan.ledger.models import User
from eduplan.ledger.passwords import dummy_hash, verify_password
from eduplan.web import ratelimit
from eduplan.web import sessions as web_sessions
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session_without_turn
from eduplan.web.sessions import client_address
from eduplan.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a local path: never redirect to another site after signing in."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str | None = None):
    request.state.viewer = None
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", include_in_schema=False, dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    username: str = Form(...),
    password: str = Form(...),
    next: str = Form("/"),
    session: Session = Depends(get_session_without_turn),
):
    request.state.viewer = None
    address = client_address(request)
    lock = ratelimit.check(session, username, address)
    if lock is not None:
        at = clock.now()
        refused = render(request, "login.html", {"next": _safe_next(next), "error": lock.message(at)}, 429)
        refused.headers["Retry-After"] = str(lock.minutes_left(at) * 60)
        return refused
    user = session.scalars(select(User).where(User.username == username.strip())).first()
    # The hash is always verified — a dummy one for a name that does not exist or an inactive
    # account — so the answer takes as long, and says the same, whichever it was.
    known = user is not None and user.active
    matches = verify_password(user.password_hash if known else dummy_hash(), password)
    if not known or not matches:
        ratelimit.record_failure(session, username, address)
        session.commit()
        return render(
            request, "login.html", {"next": _safe_next(next), "error": "用户名或密码不对"}, status_code=400
        )
    ratelimit.clear(session, username, address)
    web_sessions.start(session, request, user)
    audit.record(session, user.username, "login", "user", user.id)
    session.commit()
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False, dependencies=[Depends(check_csrf)])
def logout(request: Request, session: Session = Depends(get_session_without_turn)):
    """The session ends on the server: a copy of the cookie no longer signs anyone in."""
    web_sessions.end_current(session, request)
    session.commit()
    return RedirectResponse("/login", status_code=303)
