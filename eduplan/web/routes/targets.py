"""目标: the quantified targets of the bureau's plans with their latest reported actuals, and
the form on which the bureau office or a target's office reports one."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from eduplan.errors import EduplanError
from eduplan.ledger import clock
from eduplan.ledger.models import Organisation, Plan, Target
from eduplan.supervise import target_leads
from eduplan.supervise.actuals import ActualError, read_actual, record_actual, target_offices
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session
from eduplan.web.permissions import can_record_actual, can_view_plan
from eduplan.web.templating import render
from eduplan.web.uploads import AttachmentError, check_file_count, checked_files, file_response, parsed_form
from eduplan.web.views.scope import bureau_plan, filter_choices, parse_id
from eduplan.web.views.targets import load_evidence, target_rows

router = APIRouter()

NOTICES = {"actual": "已填报实际完成值。", "lead": "已保存牵头单位。"}


def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    chosen: Plan | None,
    status_code: int = 200,
    **extra,
):
    rows = target_rows(session, viewer, plan_id=chosen.id if chosen else None)
    context = {
        "active": "targets",
        "rows": rows,
        "plan": chosen,
        "recordable": [r for r in rows if r.may_record],
        "lead_choices": filter_choices(session, viewer).offices if viewer.is_admin else [],
        "today": clock.today(),
        **extra,
    }
    return render(request, "targets.html", context, status_code)


def _chosen_plan(session: Session, viewer: Viewer, plan: str | None) -> Plan | None:
    return bureau_plan(session, viewer, parse_id(plan, "计划"))


@router.get("/targets", include_in_schema=False)
def targets_page(
    request: Request,
    plan: str | None = None,
    done: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    chosen = _chosen_plan(session, viewer, plan)
    return _page(request, session, viewer, chosen, notice=NOTICES.get(done or ""))


@router.post(
    "/targets/actuals", include_in_schema=False, dependencies=[Depends(require_viewer), Depends(check_csrf)]
)
def add_actual(
    request: Request,
    viewer: Viewer = Depends(require_viewer),
    form: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    """Record an actual with its evidence files (``files``, the limits of a report's attachments):
    the bureau office, or an office the target belongs to; 404 for a target of another bureau,
    403 for one the viewer may not report on."""
    target_id, value, as_of, note, plan = (
        str(form.get(key) or "") for key in ("target_id", "value", "as_of", "note", "plan")
    )
    if viewer.role not in ("admin", "office"):
        raise HTTPException(403, "只有局办公室和目标的责任科室可以填报实际完成值")
    target_key = parse_id(target_id, "目标")
    target = session.get(Target, target_key) if target_key is not None else None
    owner = session.get(Plan, target.plan_id) if target is not None else None
    if target is None or owner is None or not can_view_plan(viewer, owner) or target.removed_in is not None:
        raise HTTPException(404, "没有这个目标")
    if not can_record_actual(viewer, owner, target_offices(session, [target]).get(target.id, [])):
        raise HTTPException(403, "这个目标不属于你的科室，不能填报")
    chosen = _chosen_plan(session, viewer, plan)
    try:
        new = read_actual(value, as_of, note, target, clock.today())
        files = checked_files(form)
        check_file_count(files, "佐证材料")
        record_actual(session, target, new, author=viewer.username, org_id=viewer.org_id, files=files)
    except (ActualError, AttachmentError) as exc:
        session.rollback()
        form = {"target_id": str(target.id), "value": value, "as_of": as_of, "note": note}
        return _page(request, session, viewer, chosen, 400, errors=[str(exc)], form=form)
    session.commit()
    query = f"?plan={chosen.id}&done=actual" if chosen else "?done=actual"
    return RedirectResponse(f"/targets{query}#target-{target.id}", status_code=303)


@router.get("/targets/files/{file_id}", include_in_schema=False)
def download_evidence(
    file_id: int, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    """An actual's evidence file, for whoever may see the target (served as attachments are)."""
    found = load_evidence(session, viewer, file_id)
    return file_response(found.filename, found.content_type, found.content)


@router.post(
    "/targets/lead", include_in_schema=False, dependencies=[Depends(require_viewer), Depends(check_csrf)]
)
def set_lead(
    target_id: str = Form(""),
    org_id: str = Form(""),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    """指定牵头单位 (the bureau office): the office that reports the target's actuals; blank for
    the document's own. 404 for a target or an office of another bureau."""
    if not viewer.is_admin:
        raise HTTPException(403, "只有局办公室可以指定牵头单位")
    target_key = parse_id(target_id, "目标")
    target = session.get(Target, target_key) if target_key is not None else None
    owner = session.get(Plan, target.plan_id) if target is not None else None
    if target is None or owner is None or not can_view_plan(viewer, owner):
        raise HTTPException(404, "没有这个目标")
    org_key = parse_id(org_id, "单位")
    org = session.get(Organisation, org_key) if org_key is not None else None
    if org_key is not None and (org is None or org.bureau_id != viewer.bureau_id):
        raise HTTPException(404, "没有这个科室")
    try:
        target_leads.set_lead(session, target, org, viewer.username)
    except EduplanError as exc:
        raise HTTPException(400, str(exc)) from None
    session.commit()
    return RedirectResponse(f"/targets?done=lead#target-{target.id}", status_code=303)
