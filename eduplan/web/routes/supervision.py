"""督办: the supervision dashboard (办结率, overdue by days late, weekly trend, targets against
actuals) and its Excel exports. Who sees what: ``permissions.can_view_supervision``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from eduplan.calendar.tables_xlsx import XLSX_TYPE, tables_xlsx
from eduplan.ledger import clock
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.paging import paginate
from eduplan.web.templating import render
from eduplan.web.uploads import content_disposition
from eduplan.web.views import supervision as pages

router = APIRouter(include_in_schema=False)


@router.get("/supervision")
def supervision_page(
    request: Request,
    plan: str | None = None,
    unit: str | None = None,
    page: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    pages.require_supervision(viewer)
    filters = pages.read_filters(session, viewer, plan, unit)
    # clock.today() is looked up at call time, so tests can pin it with monkeypatch.
    data = pages.board(session, viewer, filters, clock.today())
    context = {
        "active": "supervision",
        "board": data,
        "tables": pages.TABLES,
        "attribution_note": pages.ATTRIBUTION_NOTE,
        "trend_note": pages.TREND_NOTE,
        "overdue_page": paginate(
            data.overdue, page, size=pages.OVERDUE_SHOWN, query=filters.params(), anchor="overdue"
        ),
    }
    return render(request, "supervision.html", context)


def _export(table: str):
    def export(
        plan: str | None = None,
        unit: str | None = None,
        viewer: Viewer = Depends(require_viewer),
        session: Session = Depends(get_session),
    ) -> Response:
        pages.require_supervision(viewer)
        filters = pages.read_filters(session, viewer, plan, unit)
        today = clock.today()
        data = pages.board(session, viewer, filters, today, only=table)
        return Response(
            content=tables_xlsx([pages.sheet(data, table)]),
            media_type=XLSX_TYPE,
            headers={
                "Content-Disposition": content_disposition(pages.export_filename(table, today)),
                "Cache-Control": "private, no-store",
            },
        )

    export.__name__ = f"export_{table}"
    return export


for _table in pages.TABLES:
    router.add_api_route(f"/supervision/export/{_table}.xlsx", _export(_table), methods=["GET"])
