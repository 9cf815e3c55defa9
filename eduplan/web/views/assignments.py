"""分发与回执 pages: an item's reply table for the office (who has done, reported, not started,
is late; remind the ones behind; pass or return their 销号), a school's own assignment on the
same page, and the review queue (待审核的销号申请) of the bureau office and the offices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger.clock import local_time
from eduplan.ledger.models import (
    ClosingRequest,
    Item,
    ItemUnit,
    Organisation,
    Plan,
    ProgressReport,
)
from eduplan.supervise import assignments, closing_review
from eduplan.web.auth import Viewer
from eduplan.web.permissions import (
    can_act_on_assignment,
    can_close_item,
    can_review_closing,
    can_view_replies,
    can_view_reviews,
    item_units,
    same_bureau,
)
from eduplan.web.views.items import Loaded


@dataclass
class PendingView:
    id: int
    item_id: int
    item_title: str
    org_name: str
    author: str
    text: str
    at: str
    for_school: bool


@dataclass
class RepliesPage:
    item: Item
    table: assignments.ReplyTable | None  # the office's view; None for a school
    own: assignments.ReplyRow | None  # the school's own row
    history: list[ClosingRequest] = field(default_factory=list)
    may_review: set[int] = field(default_factory=set)
    may_close: bool = False
    one_step: bool = False
    distributed: bool = False


def replies_page(session: Session, viewer: Viewer, loaded: Loaded, today: date) -> RepliesPage:
    """What /items/{id}/replies shows this viewer; 403 for a viewer who may neither see the
    table nor act on an assignment of the item."""
    office_view = can_view_replies(viewer, loaded.plan, loaded.units)
    school_view = can_act_on_assignment(viewer, loaded.plan, loaded.units)
    if not (office_view or school_view):
        raise HTTPException(403, "只有负责这项工作的科室、局办公室和承办学校可以查看回执")
    table = assignments.replies(session, loaded.item, today)
    requests = closing_review.requests_of(session, loaded.item)
    page = RepliesPage(
        loaded.item,
        table if office_view else None,
        None,
        one_step=closing_review.one_step(session, loaded.plan.bureau_id),
        # Every member school has its assignment (made on publishing, ``distribute_plan``); a
        # school that joined the group since is still to be sent it (the 分发 button again).
        distributed=bool(table.rows) and all(r.assignment_id is not None for r in table.rows),
    )
    if office_view:
        page.history = requests
        page.may_close = can_close_item(viewer, loaded.plan, loaded.units)
        page.may_review = {
            r.id
            for r in requests
            if r.state == "pending"
            and can_review_closing(
                viewer, loaded.plan, loaded.units, for_assignment=r.assignment_id is not None
            )
        }
    else:
        page.own = next((r for r in table.rows if r.school.id == viewer.org_id), None)
        if page.own is None:
            raise HTTPException(403, "这项工作没有分发给你的学校")
        page.history = [r for r in requests if r.org_id == viewer.org_id]
    return page


def own_school(session: Session, viewer: Viewer) -> Organisation:
    school = session.get(Organisation, viewer.org_id) if viewer.org_id is not None else None
    if school is None or school.kind != "school":
        raise HTTPException(403, "只有学校账号可以办理本校的回执")
    return school


def load_request(
    session: Session, viewer: Viewer, request_id: int
) -> tuple[ClosingRequest, Item, Plan, list]:
    """A 销号 application and its item, 404 outside the viewer's bureau."""
    row = session.get(ClosingRequest, request_id)
    item = session.get(Item, row.item_id) if row is not None else None
    plan = session.get(Plan, item.plan_id) if item is not None else None
    if plan is None or not same_bureau(viewer, plan.bureau_id):
        raise HTTPException(404, "找不到这份销号申请")
    return row, item, plan, item_units(session, item.id)


def reviewer_names(viewer: Viewer) -> tuple[str, str]:
    """(unit, person) to record for a reviewer: the office's name, or 局办公室 for the bureau office."""
    unit = viewer.org_name if viewer.role == "office" and viewer.org_name else "局办公室"
    return unit, viewer.display_name or viewer.username


def review_queue(session: Session, viewer: Viewer) -> list[PendingView]:
    """The pending applications the viewer may review, oldest first."""
    if not can_view_reviews(viewer):
        raise HTTPException(403, "只有局办公室和科室可以审核销号")
    rows = session.execute(
        select(ClosingRequest, Item, Plan)
        .join(Item, Item.id == ClosingRequest.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .where(Plan.bureau_id == viewer.bureau_id, ClosingRequest.state == "pending")
        .order_by(ClosingRequest.created_at, ClosingRequest.id)
    ).all()
    units: dict[int, list[Organisation]] = {}
    for item_id, org in session.execute(
        select(ItemUnit.item_id, Organisation)
        .join(Organisation, Organisation.id == ItemUnit.org_id)
        .where(ItemUnit.item_id.in_({item.id for _, item, _ in rows}))
        .order_by(ItemUnit.item_id, ItemUnit.position)
    ):
        units.setdefault(item_id, []).append(org)
    out = []
    for request, item, plan in rows:
        school = request.assignment_id is not None
        if not can_review_closing(viewer, plan, units.get(item.id, []), for_assignment=school):
            continue
        report = session.get(ProgressReport, request.report_id) if request.report_id else None
        out.append(
            PendingView(
                request.id,
                item.id,
                item.title.strip(),
                request.org_name,
                request.author,
                report.text if report is not None else "",
                local_time(request.created_at),
                school,
            )
        )
    return out
