"""What an API caller may see: the bureau's units, the items and plans visible to the viewer, and
the 404/403 answer for an object of another bureau or one the viewer may not open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger.models import (
    Item,
    ItemUnit,
    Organisation,
    Plan,
)
from eduplan.ledger.queries import ItemView, bureau_plans, live_items
from eduplan.web.auth import Viewer
from eduplan.web.permissions import (
    can_view_item,
    can_view_plan,
    load_item,
    same_bureau,
)


@dataclass
class _Visible:
    """The live items a viewer may see, with their units and plans (loaded once, not per item)."""

    views: list[ItemView]
    units: dict[int, list[Organisation]]
    plans: dict[int, Plan]


def _bureau_orgs(session: Session, bureau_id: int | None) -> dict[int, Organisation]:
    return {
        org.id: org
        for org in session.scalars(select(Organisation).where(Organisation.bureau_id == bureau_id))
    }


def _visible(
    session: Session,
    viewer: Viewer,
    *,
    plan_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> _Visible:
    bureau = session.get(Organisation, viewer.bureau_id) if viewer.bureau_id else None
    if bureau is None:
        return _Visible([], {}, {})
    # The units are the links read below (organisations); the views' unit names are not used.
    views = live_items(session, bureau=bureau, plan_id=plan_id, start=start, end=end, with_units=False)
    orgs = _bureau_orgs(session, bureau.id)
    plans = bureau_plans(session, bureau.id)
    links = session.execute(
        select(ItemUnit.item_id, ItemUnit.org_id)
        .join(Item, Item.id == ItemUnit.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .where(Plan.bureau_id == bureau.id, Item.removed_in.is_(None))
        .order_by(ItemUnit.item_id, ItemUnit.position)
    )
    units: dict[int, list[Organisation]] = {}
    for item_id, org_id in links:
        if org_id in orgs:
            units.setdefault(item_id, []).append(orgs[org_id])
    views = [v for v in views if can_view_item(viewer, plans[v.plan_id], units.get(v.id, []))]
    return _Visible(views, units, plans)


def _plan_or_404(session: Session, viewer: Viewer, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or not can_view_plan(viewer, plan):
        raise HTTPException(404, "找不到该计划")
    return plan


def _item_or_error(session: Session, viewer: Viewer, item_id: int):
    """The item, its plan and units: 404 when missing or another bureau's, 403 when the
    viewer's role may not see it."""
    loaded = load_item(session, item_id)
    if loaded is None or not same_bureau(viewer, loaded[1].bureau_id):
        raise HTTPException(404, "找不到该事项")
    item, plan, units = loaded
    if not can_view_item(viewer, plan, units):
        raise HTTPException(403, "此事项未派给本单位，无权查看")
    return item, plan, units
