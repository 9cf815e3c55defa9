"""导入 · 核对与修改: the review of a draft (管理员, or an office given import rights).

Every POST checks the CSRF token, saves the draft at once and answers with a redirect back to
the review (at the item it touched), or with the page again and the Chinese reason (400)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from eduplan.errors import EduplanError
from eduplan.ledger import corrections
from eduplan.web.auth import Viewer, require_admin, require_viewer
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session
from eduplan.web.templating import render
from eduplan.web.uploads import parsed_form
from eduplan.web.views import review as pages

router = APIRouter(include_in_schema=False)


def require_importer(
    viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> Viewer:
    if not pages.can_import(session, viewer):
        raise HTTPException(403, "只有管理员和有导入权限的科室可以核对、修改导入草稿")
    return viewer


CSRF = [Depends(require_importer), Depends(check_csrf)]


def _page(request: Request, session: Session, draft, status: int = 200, **extra):
    return render(request, "import_review.html", pages.context(session, draft, **extra), status)


def _back(draft_id: int, anchor: str = "", notice: str = "saved") -> RedirectResponse:
    tail = f"#{anchor}" if anchor else ""
    return RedirectResponse(f"/import/{draft_id}/review?done={notice}{tail}", status_code=303)


@router.get("/import/{draft_id}/review")
def review_page(
    request: Request,
    draft_id: int,
    look: int = 0,
    done: str = "",
    viewer: Viewer = Depends(require_importer),
    session: Session = Depends(get_session),
):
    draft = pages.load(session, viewer, draft_id)
    if draft.published_plan_id is None:
        started = corrections.start_review(session, draft, viewer.username)
        session.commit()
    else:
        started = None
    return _page(request, session, draft, look=bool(look), done=done[:16], started=started)


def _run(request: Request, session: Session, viewer: Viewer, draft_id: int, work):
    draft = pages.load(session, viewer, draft_id)
    try:
        corrections.start_review(session, draft, viewer.username)
        anchor = work(draft) or ""
    except EduplanError as exc:
        session.rollback()
        draft = pages.load(session, viewer, draft_id)
        return _page(request, session, draft, 400, errors=[str(exc)])
    session.commit()
    return _back(draft_id, anchor)


@router.post("/import/{draft_id}/review/items", dependencies=CSRF)
def item_action(
    request: Request,
    draft_id: int,
    viewer: Viewer = Depends(require_importer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    return _run(request, session, viewer, draft_id, lambda d: pages.item_action(session, viewer, d, form))


@router.post("/import/{draft_id}/review/header", dependencies=CSRF)
def header_action(
    request: Request,
    draft_id: int,
    viewer: Viewer = Depends(require_importer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    return _run(
        request,
        session,
        viewer,
        draft_id,
        lambda d: pages.header_action(session, viewer, d, form) or "header",
    )


@router.post("/import/{draft_id}/review/targets", dependencies=CSRF)
def target_action(
    request: Request,
    draft_id: int,
    viewer: Viewer = Depends(require_importer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    return _run(
        request,
        session,
        viewer,
        draft_id,
        lambda d: pages.target_action(session, viewer, d, form) or "targets",
    )


@router.post("/import/{draft_id}/review/decide", dependencies=CSRF)
def decide(
    request: Request,
    draft_id: int,
    viewer: Viewer = Depends(require_importer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    return _run(
        request, session, viewer, draft_id, lambda d: pages.decide(session, viewer, d, form) or "conflicts"
    )


@router.post("/import/{draft_id}/review/teach", dependencies=CSRF)
def teach(
    request: Request,
    draft_id: int,
    viewer: Viewer = Depends(require_importer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    def work(draft):
        pages.teach(session, viewer, draft, form)
        return "teach"

    return _run(request, session, viewer, draft_id, work)


@router.post("/import/{draft_id}/review/publish", dependencies=CSRF)
def publish(
    request: Request,
    draft_id: int,
    viewer: Viewer = Depends(require_importer),
    session: Session = Depends(get_session),
):
    draft = pages.load(session, viewer, draft_id)
    try:
        corrections.start_review(session, draft, viewer.username)
        result = pages.publish(session, viewer, draft)
    except EduplanError as exc:
        session.rollback()
        draft = pages.load(session, viewer, draft_id)
        return _page(request, session, draft, 400, errors=[str(exc)])
    session.commit()
    from eduplan.web.views.imports import STATUS_LABELS

    return _page(request, session, draft, result=result, result_label=STATUS_LABELS.get(result.status))


# ---------------------------------------------------------------- 管理 · 已学到的提示


@router.get("/admin/hints")
def hints_page(
    request: Request, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)
):
    return render(
        request,
        "admin_hints.html",
        {
            "active": "admin",
            "hints": corrections.learned(session, viewer.bureau_id),
            "done": request.query_params.get("done"),
        },
    )


@router.post("/admin/hints/{hint_id}/revoke", dependencies=[Depends(check_csrf)])
def revoke_hint(
    hint_id: int, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)
):
    try:
        corrections.revoke(session, viewer.bureau_id, hint_id, viewer.username)
    except EduplanError as exc:
        raise HTTPException(404, str(exc)) from None
    session.commit()
    return RedirectResponse("/admin/hints?done=revoked", status_code=303)


# ---------------------------------------------------------------- 管理 · 新单位批量核对


@router.get("/admin/units/bulk")
def units_bulk_page(
    request: Request, viewer: Viewer = Depends(require_admin), session: Session = Depends(get_session)
):
    return render(
        request,
        "admin_units_bulk.html",
        pages.units_context(session, viewer, request.query_params.get("done")),
    )


@router.post("/admin/units/bulk", dependencies=[Depends(check_csrf)])
def units_bulk(
    request: Request,
    viewer: Viewer = Depends(require_admin),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    try:
        done = pages.units_bulk(session, viewer, form)
    except EduplanError as exc:
        session.rollback()
        context = pages.units_context(session, viewer, None, error=str(exc))
        return render(request, "admin_units_bulk.html", context, 400)
    session.commit()
    return RedirectResponse(f"/admin/units/bulk?done={done}", status_code=303)


@router.post("/admin/units/{org_id}/import-rights", dependencies=[Depends(check_csrf)])
def import_rights(
    org_id: int,
    viewer: Viewer = Depends(require_admin),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    """Let an office review and edit import drafts (or take it back)."""
    pages.set_import_rights(session, viewer, org_id, form.get("grant") == "1")
    session.commit()
    return RedirectResponse(f"/admin/units#unit-{org_id}", status_code=303)
