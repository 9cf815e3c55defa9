"""总结与计划: the half-year summary draft, next term's plan draft and the year-over-year comparison."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from eduplan.errors import EduplanError
from eduplan.ledger.models import Plan
from eduplan.reports import compare as compare_tables
from eduplan.reports.summary import HALF_NAMES, build_summary, choose_half, halves_of, plan_span
from eduplan.reports.summary_docx import render_summary_docx
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session
from eduplan.web.permissions import can_compare_plans, can_draft_next_term, can_view_report, can_view_summary
from eduplan.web.templating import render
from eduplan.web.uploads import content_disposition, parsed_form
from eduplan.web.views import reports as plan_pages
from eduplan.web.views.scope import bureau_plan, parse_id

router = APIRouter()


# ---------------------------------------------------------------- the /reports index and the half-year
# summary draft (工作总结初稿). Who: administrators and offices of the plan's bureau
# (permissions.can_view_summary); schools and guests see the index without the drafts and get 403
# on a draft. An office reads the substance only of reports can_view_report lets it see.

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/reports", include_in_schema=False)
def reports_index(
    request: Request, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    rows = []
    may_summarise = viewer.role in ("admin", "office")
    if may_summarise and viewer.bureau_id is not None:
        plans = session.scalars(
            select(Plan).where(Plan.bureau_id == viewer.bureau_id).order_by(Plan.id.desc())
        )
        for plan in plans:
            if not can_view_summary(viewer, plan):
                continue
            span = plan_span(session, plan)
            links = []
            first: set[int] = set()
            for half in halves_of(span):
                query = f"plan={plan.id}&half={half.number}"
                if half.number in first:  # not the default year of this half: name it
                    query += f"&year={half.year}"
                first.add(half.number)
                links.append((f"{half.year}年{HALF_NAMES[half.number]}", query))
            rows.append({"plan": plan, "span": span, "links": links})
    return render(
        request, "reports.html", {"active": "reports", "rows": rows, "may_summarise": may_summarise}
    )


def _summary_for(session: Session, viewer: Viewer, plan: str | None, half: str | None, year: str | None):
    """(plan, summary) the query asks for, after the permission checks (role first, then the
    plan); None when no plan is given."""
    if viewer.role not in ("admin", "office"):
        raise HTTPException(403, "半年工作总结初稿只供局机关和各科室使用")
    plan_id = parse_id(plan, "计划")
    if plan_id is None:
        return None
    found = bureau_plan(session, viewer, plan_id)
    if not can_view_summary(viewer, found):
        raise HTTPException(403, "没有查看这份总结初稿的权限")
    if (half or "").strip() not in ("1", "2"):
        raise HTTPException(400, "半年应为 1（上半年）或 2（下半年）")
    year_value = parse_id(year, "年份")
    which = choose_half(session, found, int(half.strip()), year_value)

    def may_read(units, report) -> bool:
        return can_view_report(viewer, found, units, report)

    return found, build_summary(session, found, which, may_read=may_read)


@router.get("/reports/summary", include_in_schema=False)
def summary_page(
    request: Request,
    plan: str | None = None,
    half: str | None = None,
    year: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    chosen = _summary_for(session, viewer, plan, half, year)
    if chosen is None:  # no plan chosen: pick one on the index
        return RedirectResponse("/reports#summaries", status_code=303)
    found, summary = chosen
    query = f"plan={found.id}&half={summary.half.number}&year={summary.half.year}"
    return render(
        request,
        "report_summary.html",
        {"active": "reports", "summary": summary, "plan": found, "docx_query": query},
    )


@router.get("/reports/summary.docx", include_in_schema=False)
def summary_docx(
    plan: str | None = None,
    half: str | None = None,
    year: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    chosen = _summary_for(session, viewer, plan, half, year)
    if chosen is None:
        return RedirectResponse("/reports#summaries", status_code=303)
    summary = chosen[1]
    return Response(
        content=render_summary_docx(summary),
        media_type=DOCX_TYPE,
        headers={
            "Content-Disposition": content_disposition(f"{summary.title}.docx"),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


# ---------------------------------------------------------------- end of the summary block


# ---------------------------------------------------------------- next term's plan draft and the
# year-over-year comparison (下学期计划草稿, 逐年对比). Who: the draft is made by the bureau office
# only (permissions.can_draft_next_term: it lands on the import screen); the comparison is read by
# the bureau office and its offices (permissions.can_compare_plans). Plans and terms of another
# bureau are 404.

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_next_term(viewer: Viewer = Depends(require_viewer)) -> Viewer:
    if not can_draft_next_term(viewer):
        raise HTTPException(403, "下学期计划草稿只能由局办公室（管理员）生成")
    return viewer


def _require_compare(viewer: Viewer = Depends(require_viewer)) -> Viewer:
    if not can_compare_plans(viewer):
        raise HTTPException(403, "逐年对比只供局机关和各科室查看")
    return viewer


def _next_term_page(request: Request, session: Session, viewer: Viewer, form, error=None, status=200):
    proposal = None
    if form is not None and form.chosen and error is None:
        try:
            proposal = plan_pages.proposal_for(session, viewer, form)
        except EduplanError as exc:
            error, status = str(exc), 400
    return render(
        request,
        "report_next_term.html",
        {
            "active": "reports",
            "plans": plan_pages.plan_choices(session, viewer),
            "terms": plan_pages.term_choices(session, viewer),
            "form": form,
            "proposal": proposal,
            "error": error,
        },
        status,
    )


@router.get("/reports/next-term", include_in_schema=False)
def next_term_page(
    request: Request,
    plan: list[str] = Query(default=[]),
    term: str | None = None,
    start: str | None = None,
    viewer: Viewer = Depends(_require_next_term),
    session: Session = Depends(get_session),
):
    form = plan_pages.read_next_term_form(session, viewer, plan, term, start)
    return _next_term_page(request, session, viewer, form)


@router.post("/reports/next-term", include_in_schema=False, dependencies=[Depends(check_csrf)])
def next_term_draft(
    request: Request,
    viewer: Viewer = Depends(_require_next_term),
    form_data: FormData = Depends(parsed_form),
    session: Session = Depends(get_session),
):
    form = plan_pages.read_next_term_form(
        session,
        viewer,
        [str(v) for v in form_data.getlist("plan")],
        str(form_data.get("term") or ""),
        str(form_data.get("start") or ""),
    )
    try:
        draft = plan_pages.create_proposal_draft(session, viewer, form)
    except EduplanError as exc:
        session.rollback()
        return _next_term_page(request, session, viewer, form, str(exc), 400)
    session.commit()
    return RedirectResponse(f"/import/{draft.id}", status_code=303)


@router.get("/reports/compare", include_in_schema=False)
def compare_page(
    request: Request,
    a: str | None = None,
    b: str | None = None,
    viewer: Viewer = Depends(_require_compare),
    session: Session = Depends(get_session),
):
    comparison = plan_pages.comparison_for(session, viewer, a, b)
    return render(
        request,
        "report_compare.html",
        {
            "active": "reports",
            "plans": plan_pages.plan_choices(session, viewer),
            "c": comparison,
            "a": a or "",
            "b": b or "",
            "tables": compare_tables,
        },
    )


@router.get("/reports/compare.xlsx", include_in_schema=False)
def compare_xlsx(
    a: str | None = None,
    b: str | None = None,
    viewer: Viewer = Depends(_require_compare),
    session: Session = Depends(get_session),
):
    comparison = plan_pages.comparison_for(session, viewer, a, b)
    if comparison is None:  # choose the two plans on the page first
        return RedirectResponse("/reports/compare", status_code=303)
    name = f"逐年对比-{comparison.a.title}-{comparison.b.title}"[:120]
    return Response(
        content=compare_tables.comparison_xlsx(comparison),
        media_type=XLSX_TYPE,
        headers={
            "Content-Disposition": content_disposition(f"{name}.xlsx"),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


# ---------------------------------------------------------------- end of the next-term and comparison block
