"""管理 (administrators only): accounts, offices and schools, terms, holiday arrangements.

Every page needs ``require_admin``; every POST checks the CSRF token, is audit-logged (in
``pages_admin``) and answers with a redirect back to its page and a one-line notice, or with the
page again, the form as filled in and the Chinese reason it was refused (400)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.web import sessions as web_sessions
from eduplan.web.auth import Viewer, require_admin
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session
from eduplan.web.templating import render
from eduplan.web.views import admin as pages

router = APIRouter(prefix="/admin", include_in_schema=False)

CSRF = [Depends(check_csrf)]
SECTIONS = (
    ("overview", "概览", "/admin"),
    ("users", "账号", "/admin/users"),
    ("units", "科室与学校", "/admin/units"),
    ("terms", "学期", "/admin/terms"),
    ("holidays", "节假日", "/admin/holidays"),
)
TEMPLATES = {
    "overview": "admin.html",
    "users": "admin_users.html",
    "units": "admin_units.html",
    "terms": "admin_terms.html",
    "holidays": "admin_holidays.html",
}


def _context(section: str, session: Session, viewer: Viewer) -> dict:
    if section == "users":
        return pages.users_page(session, viewer)
    if section == "units":
        return pages.units_page(session, viewer)
    if section == "terms":
        return pages.terms_page(session, viewer)
    if section == "holidays":
        return pages.holidays_page(session)
    return pages.overview(session, viewer)


def _page(
    request: Request,
    section: str,
    session: Session,
    viewer: Viewer,
    *,
    error: str | None = None,
    form: dict | None = None,
    status_code: int = 200,
):
    context = {
        "active": "admin",
        "section": section,
        "sections": SECTIONS,
        "notice": web_sessions.pop_notice(session, request),
        "error": error,
        "form": form or {},
        **_context(section, session, viewer),
    }
    return render(request, TEMPLATES[section], context, status_code)


def _done(request: Request, session: Session, section: str, notice: str) -> RedirectResponse:
    web_sessions.set_notice(session, request, notice)
    session.commit()
    return RedirectResponse(dict((k, href) for k, _, href in SECTIONS)[section], status_code=303)


def _refused(request: Request, session: Session, viewer: Viewer, section: str, exc: Exception, form: dict):
    """The page again with the reason; a unit or account of another bureau is a plain 404."""
    session.rollback()
    if isinstance(exc, pages.NotFound):
        raise HTTPException(404, str(exc))
    return _page(request, section, session, viewer, error=str(exc), form=form, status_code=400)


# ------------------------------------------------------------------------------ pages


@router.get("")
def overview(
    request: Request, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)
):
    return _page(request, "overview", session, viewer)


@router.get("/users")
def users(request: Request, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)):
    return _page(request, "users", session, viewer)


@router.get("/units")
def units(request: Request, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)):
    return _page(request, "units", session, viewer)


@router.get("/terms")
def terms(request: Request, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)):
    return _page(request, "terms", session, viewer)


@router.get("/holidays")
def holidays(
    request: Request, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)
):
    return _page(request, "holidays", session, viewer)


# ------------------------------------------------------------------------------ accounts


@router.post("/users", dependencies=CSRF)
def create_user(
    request: Request,
    username: str = Form(""),
    display_name: str = Form(""),
    password: str = Form(""),
    role: str = Form(""),
    org_id: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    form = {"username": username, "display_name": display_name, "role": role, "org_id": org_id}
    try:
        user = pages.add_user(
            session,
            viewer,
            username=username,
            display_name=display_name,
            password=password,
            role=role,
            org_id=org_id,
        )
    except EduplanError as exc:
        return _refused(request, session, viewer, "users", exc, form)
    return _done(request, session, "users", f"已创建账号“{user.username}”")


def _user_or_404(session: Session, viewer: Viewer, user_id: int):
    user = pages.own_user(session, viewer, user_id)
    if user is None:
        raise HTTPException(404, "找不到该账号")
    return user


@router.post("/users/{user_id}/deactivate", dependencies=CSRF)
def deactivate_user(
    request: Request,
    user_id: int,
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    user = _user_or_404(session, viewer, user_id)
    try:
        notice = pages.set_active(session, viewer, user, False)
    except EduplanError as exc:
        return _refused(request, session, viewer, "users", exc, {})
    return _done(request, session, "users", notice)


@router.post("/users/{user_id}/activate", dependencies=CSRF)
def activate_user(
    request: Request,
    user_id: int,
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    user = _user_or_404(session, viewer, user_id)
    return _done(request, session, "users", pages.set_active(session, viewer, user, True))


@router.post("/users/{user_id}/password", dependencies=CSRF)
def reset_password(
    request: Request,
    user_id: int,
    password: str = Form(""),
    confirm: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    user = _user_or_404(session, viewer, user_id)
    try:
        notice = pages.reset_password(session, viewer, user, password, confirm)
    except EduplanError as exc:
        return _refused(request, session, viewer, "users", exc, {"reset_user": user.id})
    return _done(request, session, "users", notice)


@router.post("/users/{user_id}/role", dependencies=CSRF)
def change_role(
    request: Request,
    user_id: int,
    role: str = Form(""),
    org_id: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    user = _user_or_404(session, viewer, user_id)
    try:
        notice = pages.set_role(session, viewer, user, role, org_id)
    except EduplanError as exc:
        return _refused(request, session, viewer, "users", exc, {"role_user": user.id})
    return _done(request, session, "users", notice)


@router.post("/users/{user_id}/sessions/end", dependencies=CSRF)
def end_user_sessions(
    request: Request,
    user_id: int,
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    user = _user_or_404(session, viewer, user_id)
    return _done(request, session, "users", pages.end_sessions(session, viewer, user))


# ------------------------------------------------------------------------------ offices and schools


@router.post("/units", dependencies=CSRF)
def add_unit(
    request: Request,
    name: str = Form(""),
    kind: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    try:
        org = pages.add_unit(session, viewer, name, kind)
    except EduplanError as exc:
        return _refused(request, session, viewer, "units", exc, {"name": name, "kind": kind})
    return _done(request, session, "units", f"已添加{pages.UNIT_KINDS[org.kind]}“{org.name}”")


@router.post("/units/merge", dependencies=CSRF)
def merge_units(
    request: Request,
    alias_id: str = Form(""),
    into_id: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    try:
        notice = pages.merge_units(session, viewer, alias_id, into_id)
    except EduplanError as exc:
        return _refused(request, session, viewer, "units", exc, {"alias_id": alias_id, "into_id": into_id})
    return _done(request, session, "units", notice)


def _unit_or_404(session: Session, viewer: Viewer, org_id: int):
    try:
        return pages.own_unit(session, viewer, org_id)
    except pages.NotFound as exc:
        raise HTTPException(404, str(exc)) from None


@router.post("/units/{org_id}/rename", dependencies=CSRF)
def rename_unit(
    request: Request,
    org_id: int,
    name: str = Form(""),
    kind: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    org = _unit_or_404(session, viewer, org_id)
    try:
        notice = pages.rename_unit(session, viewer, org, name, kind)
    except EduplanError as exc:
        return _refused(request, session, viewer, "units", exc, {"rename_id": org_id, "rename": name})
    return _done(request, session, "units", notice)


@router.post("/units/{org_id}/review", dependencies=CSRF)
def review_unit(
    request: Request,
    org_id: int,
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    org = _unit_or_404(session, viewer, org_id)
    return _done(request, session, "units", pages.mark_reviewed(session, viewer, org))


# ------------------------------------------------------------------------------ terms and holidays


@router.post("/terms", dependencies=CSRF)
def add_term(
    request: Request,
    name: str = Form(""),
    start: str = Form(""),
    end: str = Form(""),
    week1_start: str = Form(""),
    prep_week: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    form = {"name": name, "start": start, "end": end, "week1_start": week1_start, "prep_week": prep_week}
    try:
        term = pages.add_term(
            session,
            viewer,
            name=name,
            start=start,
            end=end,
            week1_start=week1_start,
            prep_week=bool(prep_week),
        )
    except EduplanError as exc:
        return _refused(request, session, viewer, "terms", exc, form)
    teaching = sum(1 for w in term.weeks if w.number > 0)
    prep = "，另有预备周" if term.prep_week else ""
    return _done(request, session, "terms", f"已添加学期“{term.name}”，共 {teaching} 周{prep}")


@router.post("/holidays", dependencies=CSRF)
def save_holidays(
    request: Request,
    text: str = Form(""),
    viewer: Viewer = Depends(require_admin),
    session: Session = Depends(get_session),
):
    try:
        notice = pages.save_holidays(session, viewer, text)
    except EduplanError as exc:
        return _refused(request, session, viewer, "holidays", exc, {"text": text})
    return _done(request, session, "holidays", notice)
