"""The items 办结率 and the other figures count: live, dated, not cancelled, each with its units
and, when done, the bureau's local day it was closed (``tracked_items``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from eduplan.ledger.clock import BUREAU_TZ
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan
from eduplan.ledger.queries import core_rows


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    kind: str


@dataclass
class DueItem:
    """A tracked item: live, dated, not cancelled."""

    id: int
    plan_id: int
    title: str
    start: date
    end: date  # the stated end, else the start
    status: str
    closed_on: date | None  # the local day it was closed, for a done item
    units: list[Unit] = field(default_factory=list)

    def due_by(self, day: date) -> bool:
        return self.end <= day

    def closed_by(self, day: date) -> bool:
        return self.status == "done" and self.closed_on is not None and self.closed_on <= day


def local_day(moment: datetime) -> date:
    """The bureau's calendar day of a stored instant (naive values are UTC, as SQLite returns them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BUREAU_TZ).date()


def closing_day(status: str, closed_at: datetime | None, updated_at: datetime | None) -> date | None:
    """``DueItem.closed_on``: the local day a done item was closed (its last change when no
    closing time was stored); None for an item not done."""
    closed = closed_at or updated_at
    return local_day(closed) if status == "done" and closed is not None else None


def tracked_items(
    session: Session,
    bureau_id: int,
    *,
    until: date,
    plan_id: int | None = None,
) -> list[DueItem]:
    """The bureau's live, dated, not cancelled items due by ``until``, with their units (lead
    first); ``of_units`` narrows them to some units' items."""
    params: dict = {"bureau_id": bureau_id, "until": until}
    if plan_id is not None:
        params["plan_id"] = plan_id
    items: dict[int, DueItem] = {}
    rows = core_rows(session, _items_statement(plan_id is not None), params)
    for id_, plan, title, start, end, status, closed_at, updated_at in rows:
        items[id_] = DueItem(
            id_, plan, title.strip(), start, end or start, status, closing_day(status, closed_at, updated_at)
        )
    if items:
        _attach_units(session, bureau_id, items, plan_id)
    return list(items.values())


def _attach_units(session: Session, bureau_id: int, items: dict[int, DueItem], plan_id: int | None) -> None:
    # One query over the bureau's live items' units (no long IN lists), kept for the tracked ones.
    # The units are limited to the bureau's own (and the bureau itself) as well as the plans: the
    # planner can then start from the bureau's few organisations instead of every bureau's, with
    # or without fresh statistics (issue 12: 821 ms at 105 bureaus on PostgreSQL before ANALYZE).
    params: dict = {"bureau_id": bureau_id}
    if plan_id is not None:
        params["plan_id"] = plan_id
    rows = core_rows(session, _units_statement(plan_id is not None), params)
    # One Unit per organisation, shared by its items (frozen, so sharing is safe): the bureau's
    # ~1,000 unit rows name a few dozen organisations (issue 12).
    units: dict[int, Unit] = {}
    for item_id, org_id, name, kind in rows:
        item = items.get(item_id)
        if item is not None:
            unit = units.get(org_id)
            if unit is None:
                unit = units[org_id] = Unit(org_id, name, kind)
            item.units.append(unit)


# The two statements are built once per shape, with bound parameters: building and keying a
# Select cost about a millisecond of Python each, more than SQLite takes to run it (issue 12).


@cache
def _items_statement(by_plan: bool) -> Select:
    bureau_id, until = bindparam("bureau_id"), bindparam("until")
    query = (
        select(
            Item.id,
            Item.plan_id,
            Item.title,
            Item.start,
            Item.end,
            Item.status,
            Item.closed_at,
            Item.updated_at,
        )
        .join(Plan, Plan.id == Item.plan_id)
        .where(
            Plan.bureau_id == bureau_id,
            Item.removed_in.is_(None),
            Item.start.is_not(None),
            Item.status != "cancelled",
            or_(Item.end <= until, and_(Item.end.is_(None), Item.start <= until)),
        )
        .order_by(Item.id)
    )
    return query.where(Item.plan_id == bindparam("plan_id")) if by_plan else query


@cache
def _units_statement(by_plan: bool) -> Select:
    bureau_id = bindparam("bureau_id")
    query = (
        select(ItemUnit.item_id, Organisation.id, Organisation.name, Organisation.kind)
        .join(Organisation, Organisation.id == ItemUnit.org_id)
        .join(Item, Item.id == ItemUnit.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .where(
            Plan.bureau_id == bureau_id,
            Item.removed_in.is_(None),
            or_(Organisation.bureau_id == bureau_id, Organisation.id == bureau_id),
        )
        .order_by(ItemUnit.item_id, ItemUnit.position)
    )
    return query.where(Item.plan_id == bindparam("plan_id")) if by_plan else query


def of_units(items: list[DueItem], org_ids: list[int] | None) -> list[DueItem]:
    """The items one of ``org_ids`` is responsible for (all of them for None)."""
    if org_ids is None:
        return items
    wanted = set(org_ids)
    return [i for i in items if any(u.id in wanted for u in i.units)]
