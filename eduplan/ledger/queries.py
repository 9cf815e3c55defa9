"""Reading the ledger: live items with their units, filtered by bureau, plan, unit and dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import Integer, Select, bindparam, or_, select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import schools
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan
from eduplan.ledger.orgs import bureau_by_name, find_units
from eduplan.ledger.search import matching as search_matching
from eduplan.ledger.search import terms


@dataclass
class ItemView:
    """An item as the views and exports show it (units resolved to names, lead first)."""

    id: int
    uid: str
    plan_id: int
    plan_title: str | None
    title: str
    text: str
    start: date | None
    end: date | None
    section: str | None
    line: int
    confidence: float
    status: str
    revision: int
    updated_at: datetime
    units: list[str] = field(default_factory=list)
    unit_kinds: list[str] = field(default_factory=list)
    stated_end: date | None = None  # as the document gave it; ``end`` falls back to ``start``
    closed_at: datetime | None = None  # when it was closed (销号), for the 工作台's figures

    @property
    def office(self) -> str | None:
        """The hosting office: the first unit that is an office, else the first unit."""
        for name, kind in zip(self.units, self.unit_kinds, strict=True):
            if kind == "office":
                return name
        return self.units[0] if self.units else None


VIEW_FIELDS = (
    "id",
    "uid",
    "plan_id",
    "title",
    "text",
    "start",
    "end",
    "section",
    "line",
    "confidence",
    "status",
    "revision",
    "updated_at",
    "closed_at",
)
VIEW_COLUMNS = tuple(getattr(Item, name) for name in VIEW_FIELDS)


def core_rows(session: Session, query: Select, params: dict | None = None):
    """``query``'s rows from the session's own connection: plain column rows without the ORM's
    result wrapping (a millisecond of each page's item and unit reads, issue 12). Pending changes
    are flushed first, as ``session.execute`` does (autoflush)."""
    if session.autoflush:
        session.flush()
    return session.connection().execute(query, params)


_BUREAU_PLANS = select(Plan).where(Plan.bureau_id == bindparam("bureau_id"))


def bureau_plans(session: Session, bureau_id: int) -> dict[int, Plan]:
    """The bureau's plans by id, from a statement built once (pages and API lists read them on
    every request, issue 12)."""
    return {p.id: p for p in session.scalars(_BUREAU_PLANS, {"bureau_id": bureau_id})}


def resolve_bureau(session: Session, name: str | None) -> Organisation | None:
    """The bureau called ``name`` (None when no name is given: all bureaus)."""
    if name is None:
        return None
    bureau = bureau_by_name(session, name)
    if bureau is None:
        raise EduplanError(f"没有名为“{name}”的教育局")
    return bureau


def unit_ids(session: Session, name: str, bureau: Organisation | None, *, school: bool) -> list[int]:
    """Organisation ids for --office/--school. A school also sees what its bureau asks of all
    schools (units such as 各学校, 各中小学)."""
    found = find_units(session, name, bureau.id if bureau else None)
    if not found:
        what = "学校" if school else "科室"
        raise EduplanError(f"找不到{what}“{name}”")
    ids = [org.id for org in found]
    if school:
        # What is asked of the groups the school belongs to (各小学 only for primary schools).
        ids += sorted({g for org in found for g in schools.answers_for(session, org)})
    return ids


def filter_org_ids(
    session: Session, bureau: Organisation | None, office: str | None, school: str | None
) -> list[int] | None:
    """Organisation ids for an --office and/or --school filter (None: no filter)."""
    org_ids = None
    if office:
        org_ids = unit_ids(session, office, bureau, school=False)
    if school:
        school_ids = unit_ids(session, school, bureau, school=True)
        org_ids = school_ids if org_ids is None else [i for i in org_ids if i in school_ids]
    return org_ids


@cache
def _live_statement(
    by_bureau: bool,
    by_plan: bool,
    by_orgs: bool,
    dated: bool,
    until: bool,
    since: bool,
    limited: bool,
    skipped: bool,
) -> Select:
    """``live_items``' query for one combination of filters, built once with bound parameters:
    building and keying a statement cost more than running it for a page's small queries
    (~1 ms of Python a statement on the benchmark machine, issue 12)."""
    query: Select = (
        select(*VIEW_COLUMNS, Plan.title)
        .join(Plan, Plan.id == Item.plan_id)
        .where(Item.removed_in.is_(None))
        .order_by(Item.start.is_(None), Item.start, Item.plan_id, Item.seq, Item.id)
    )
    if by_bureau:
        query = query.where(Plan.bureau_id == bindparam("bureau_id"))
    if by_plan:
        query = query.where(Item.plan_id == bindparam("plan_id"))
    if by_orgs:
        orgs = select(ItemUnit.item_id).where(ItemUnit.org_id.in_(bindparam("org_ids", expanding=True)))
        query = query.where(Item.id.in_(orgs))
    if dated:
        query = query.where(Item.start.is_not(None))
    if until:
        query = query.where(Item.start <= bindparam("end"))
    if since:
        start = bindparam("start")
        query = query.where(or_(Item.end >= start, Item.end.is_(None) & (Item.start >= start)))
    if limited:
        query = query.limit(bindparam("limit", type_=Integer))
    if skipped:
        query = query.offset(bindparam("offset", type_=Integer))
    return query


def live_items(
    session: Session,
    *,
    bureau: Organisation | None = None,
    plan_id: int | None = None,
    org_ids: list[int] | None = None,
    start: date | None = None,
    end: date | None = None,
    dated_only: bool = False,
    matching: str | None = None,
    with_units: bool = True,
    offset: int = 0,
    limit: int | None = None,
) -> list[ItemView]:
    """Items not removed from their plan, in plan and document order, overlapping [start, end];
    with ``matching``, only those the full-text search finds for it (``eduplan.ledger.search``).
    ``with_units=False``: the caller fills ``units`` and ``unit_kinds`` from rows it reads itself.
    ``offset``/``limit``: one page of that order (start, plan, document order: each item's place
    is fixed, so a page is the same items as slicing the whole list)."""
    dated = dated_only or start is not None or end is not None
    query = _live_statement(
        bureau is not None,
        plan_id is not None,
        org_ids is not None,
        dated,
        end is not None,
        start is not None,
        limit is not None,
        offset > 0,
    )
    values = {
        "bureau_id": bureau.id if bureau is not None else None,
        "plan_id": plan_id,
        "org_ids": org_ids,
        "start": start,
        "end": end,
        "limit": limit,
        "offset": offset,
    }
    params = {k: v for k, v in values.items() if v is not None}
    if matching is not None:
        words = terms(matching)
        if not words:
            return []
        query = query.where(search_matching(session.get_bind().dialect.name, words, Item.id))
    # Plain columns, not ORM objects: an export of thousands of items stays cheap.
    # Positional, straight from the row (VIEW_FIELDS, then the plan's title): no dict per row and
    # no keyword matching, a third of the loop's time at ~500 items. ``end`` falls back to ``start``;
    # ``stated_end`` keeps the document's own.
    views = [
        ItemView(*row[:3], row[14], *row[3:6], row[6] or row[5], *row[7:13], [], [], row[6], row[13])
        for row in core_rows(session, query, params)
    ]
    if with_units:
        _attach_units(session, views, bureau.id if bureau is not None else None, plan_id)
    return views


def _attach_units(
    session: Session, views: list[ItemView], bureau_id: int | None, plan_id: int | None
) -> None:
    by_id = {view.id: view for view in views}
    for item_id, name, kind in unit_rows(
        session, list(by_id), Organisation.name, Organisation.kind, bureau_id=bureau_id, plan_id=plan_id
    ):
        by_id[item_id].units.append(name)
        by_id[item_id].unit_kinds.append(kind)


SCOPED_FROM = 200
"""From this many items on, their units are read by bureau rather than by a list of ids."""
_CHUNK = 5000  # stay under the databases' bound-parameter limits


def unit_rows(
    session: Session,
    item_ids: list[int],
    *columns,
    bureau_id: int | None = None,
    plan_id: int | None = None,
) -> list:
    """``(item_id, *columns)`` of each unit of the live items ``item_ids`` (lead first), the
    columns taken from ``Organisation``. With ``bureau_id`` (the items' bureau) and many items, one
    query limited to that bureau first — its plans (``plan_id``: that plan) and its own
    organisations — instead of a list of hundreds of ids, so the planner starts from the bureau's
    few rows, with or without fresh statistics (issue 12)."""
    wanted = set(item_ids)
    if not wanted:
        return []
    names = tuple(column.key for column in columns)  # Organisation's attributes, by name
    if bureau_id is not None and len(wanted) >= SCOPED_FROM:
        query = _units_statement(names, True, plan_id is not None)
        params = {"bureau_id": bureau_id} if plan_id is None else {"bureau_id": bureau_id, "plan_id": plan_id}
        return [row for row in core_rows(session, query, params) if row[0] in wanted]
    query = _units_statement(names, False, False)
    ids = sorted(wanted)
    rows: list = []
    for i in range(0, len(ids), _CHUNK):
        rows += core_rows(session, query, {"ids": ids[i : i + _CHUNK]}).all()
    return rows


@cache
def _units_statement(names: tuple[str, ...], scoped: bool, by_plan: bool) -> Select:
    """``unit_rows``' query, built once per set of columns and way of choosing the items (the
    bureau's, or a list of ids) with bound parameters, as ``_live_statement``."""
    query = (
        select(ItemUnit.item_id, *(getattr(Organisation, name) for name in names))
        .join(Organisation, Organisation.id == ItemUnit.org_id)
        .order_by(ItemUnit.item_id, ItemUnit.position)
    )
    if not scoped:
        return query.where(ItemUnit.item_id.in_(bindparam("ids", expanding=True)))
    bureau_id = bindparam("bureau_id")
    query = (
        query.join(Item, Item.id == ItemUnit.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .where(
            Plan.bureau_id == bureau_id,
            Item.removed_in.is_(None),
            or_(Organisation.bureau_id == bureau_id, Organisation.id == bureau_id),
        )
    )
    if by_plan:
        query = query.where(Item.plan_id == bindparam("plan_id"))
    return query
