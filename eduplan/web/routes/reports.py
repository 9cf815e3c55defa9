"""总结与计划: the half-year summary draft, next term's plan draft and the year-over-year comparison."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.calendar.summary_docx import render_summary_docx
from eduplan.ledger.models import Plan
from eduplan.ledger.summary import HALF_NAMES, build_summary, choose_half, halves_of, plan_span
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.pages_scope import parse_id
from eduplan.web.permissions import can_view_report, can_view_summary
from eduplan.web.templating import render
from eduplan.web.uploads import content_disposition

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
    found = session.get(Plan, plan_id)
    if found is None or found.bureau_id != viewer.bureau_id:
        raise HTTPException(404, "没有这个计划")
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
