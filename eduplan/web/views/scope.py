"""What a signed-in viewer may see, for the dashboard, calendar and target pages: the bureau's
live items checked one by one against ``permissions.can_view_item`` (units and plans loaded in
batches, not per item), and the filters those pages share (plan, office, school, status)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from fastapi import HTTPException
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from eduplan.ledger import schools
from eduplan.ledger.models import Organisation, Plan
from eduplan.ledger.queries import ItemView, bureau_plans, live_items, unit_rows
from eduplan.ledger.status import OVERDUE_LABEL, STATUS_LABELS, status_label
from eduplan.web.auth import Viewer
from eduplan.web.permissions import can_view_item

STATUS_CHOICES = (*STATUS_LABELS.values(), OVERDUE_LABEL)
"""The status filter's values, as people read them: 未开始 进行中 已完成 已取消 已逾期."""
_CHUNK = 5000  # stay under the databases' bound-parameter limits

# The pages' small queries, built once with bound parameters: building and keying a statement
# cost more than running one of these (~1 ms of Python each on the benchmark machine, issue 12).
_ORGANISATIONS = select(Organisation).where(Organisation.id.in_(bindparam("ids", expanding=True)))
_PLAN_CHOICES = select(Plan).where(Plan.bureau_id == bindparam("bureau_id")).order_by(Plan.id.desc())
_UNIT_CHOICES = (
    select(Organisation)
    .where(
        Organisation.bureau_id == bindparam("bureau_id"),
        Organisation.kind.in_(("office", "school")),
        Organisation.merged_into_id.is_(None),
    )
    .order_by(Organisation.needs_review, Organisation.id)
)


@dataclass
class Seen:
    """An item the viewer may see, with its plan and its units (lead first)."""

    view: ItemView
    plan: Plan
    units: list[Organisation] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.view.id

    def status(self, today: date) -> str:
        return status_label(self.view.status, self.view.end, today)

    @property
    def lead_office(self) -> Organisation | None:
        """The first unit that is an office (the host, 主持者), if any."""
        return next((u for u in self.units if u.kind == "office"), None)


def bureau_of(session: Session, viewer: Viewer) -> Organisation | None:
    return session.get(Organisation, viewer.bureau_id) if viewer.bureau_id is not None else None


def visible_items(
    session: Session,
    viewer: Viewer,
    *,
    plan_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    dated_only: bool = False,
    matching: str | None = None,
) -> list[Seen]:
    """The live items of the viewer's bureau that ``can_view_item`` lets the viewer see (with
    ``matching``, those the full-text search finds)."""
    every = bureau_items(
        session, viewer, plan_id=plan_id, start=start, end=end, dated_only=dated_only, matching=matching
    )
    return [s for s in every if can_view_item(viewer, s.plan, s.units)]


def bureau_items(
    session: Session,
    viewer: Viewer,
    *,
    plan_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    dated_only: bool = False,
    matching: str | None = None,
) -> list[Seen]:
    """Every live item of the viewer's bureau, whether or not the viewer may see it: what
    ``visible_items`` picks from, for a page that also counts the bureau's figures from the same
    read (the 工作台)."""
    bureau = bureau_of(session, viewer)
    if bureau is None:
        return []
    views = live_items(
        session,
        bureau=bureau,
        plan_id=plan_id,
        start=start,
        end=end,
        dated_only=dated_only,
        matching=matching,
        with_units=False,
    )
    plans = bureau_plans(session, bureau.id)
    # The units are read once, as organisations; the views' unit names and kinds come from them
    # (live_items would read the same rows a second time), each organisation's read once rather
    # than through the ORM's attributes for each of the ~700 unit rows (issue 12).
    by_id = {v.id: v for v in views}
    rows = unit_rows(session, list(by_id), Organisation.id, bureau_id=bureau.id, plan_id=plan_id)
    orgs = {o.id: (o, o.name, o.kind) for o in _organisations(session, {org_id for _, org_id in rows})}
    units: dict[int, list[Organisation]] = {}
    for item_id, org_id in rows:
        org, name, kind = orgs[org_id]
        view = by_id[item_id]
        view.units.append(name)
        view.unit_kinds.append(kind)
        units.setdefault(item_id, []).append(org)
    return [Seen(v, plans[v.plan_id], units.get(v.id, [])) for v in views]


def _organisations(session: Session, org_ids: set[int]) -> list[Organisation]:
    # Ids first, then each organisation once: an ORM entity per unit row cost ~5 ms a page for the
    # bureau's ~700 rows, almost all of them the same few dozen organisations (issue 12).
    ids = sorted(org_ids)
    orgs: list[Organisation] = []
    for i in range(0, len(ids), _CHUNK):
        orgs += session.scalars(_ORGANISATIONS, {"ids": ids[i : i + _CHUNK]})
    return orgs


def parse_id(value: str | None, what: str) -> int | None:
    """A filter's id from the query string: blank is "no filter", anything else must be a number."""
    if value is None or not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise HTTPException(400, f"筛选条件不正确：{what}应为编号") from None


@dataclass
class Filters:
    """The filters of a calendar page, resolved within the viewer's bureau."""

    plan: Plan | None = None
    office: Organisation | None = None
    school: Organisation | None = None
    status: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    school_scope: set[int] = field(default_factory=set)  # the school and what it answers for

    def keep(self, seen: Seen, today: date) -> bool:
        ids = {u.id for u in seen.units}
        if self.office is not None and self.office.id not in ids:
            return False
        # A school also takes part in what is asked of the groups it belongs to (各小学 …).
        if self.school is not None and not any(u.id in self.school_scope for u in seen.units):
            return False
        return self.status is None or seen.status(today) == self.status

    def params(self) -> dict[str, str]:
        values = {
            "plan": str(self.plan.id) if self.plan else "",
            "office": str(self.office.id) if self.office else "",
            "school": str(self.school.id) if self.school else "",
            "status": self.status or "",
            **self.extra,
        }
        return {k: v for k, v in values.items() if v}

    def query(self, **changes: str) -> str:
        """The query string of these filters with ``changes`` applied ("" when empty)."""
        values = {k: v for k, v in {**self.params(), **changes}.items() if v}
        return "?" + urlencode(values) if values else ""

    @property
    def active(self) -> bool:
        return any((self.plan, self.office, self.school, self.status))


def bureau_plan(session: Session, viewer: Viewer, plan_id: int | None) -> Plan | None:
    """The plan ``plan_id`` names (None when none is named); "not found" for one outside the
    viewer's bureau, so another bureau's ids reveal nothing."""
    if plan_id is None:
        return None
    plan = session.get(Plan, plan_id)
    if plan is None or plan.bureau_id != viewer.bureau_id:
        raise HTTPException(404, "没有这个计划")
    return plan


def read_filters(
    session: Session,
    viewer: Viewer,
    plan: str | None,
    office: str | None,
    school: str | None,
    status: str | None,
) -> Filters:
    """Filters from the query string; an id outside the viewer's bureau is "not found"."""
    result = Filters()
    result.plan = bureau_plan(session, viewer, parse_id(plan, "计划"))
    for name, value, kind, label in (
        ("office", office, "office", "科室"),
        ("school", school, "school", "学校"),
    ):
        org_id = parse_id(value, label)
        if org_id is None:
            continue
        org = session.get(Organisation, org_id)
        if org is None or org.bureau_id != viewer.bureau_id or org.kind != kind:
            raise HTTPException(404, f"没有这个{label}")
        setattr(result, name, org)
        if kind == "school":
            result.school_scope = schools.scope_ids(session, org)
    status = (status or "").strip()
    if status:
        if status not in STATUS_CHOICES:
            raise HTTPException(400, f"筛选条件不正确：状态应为{'、'.join(STATUS_CHOICES)}之一")
        result.status = status
    return result


@dataclass
class Choices:
    """What the filter form offers: the bureau's plans, offices and schools."""

    plans: list[Plan]
    offices: list[Organisation]
    schools: list[Organisation]
    statuses: tuple[str, ...] = STATUS_CHOICES


def filter_choices(session: Session, viewer: Viewer) -> Choices:
    if viewer.bureau_id is None:
        return Choices([], [], [])
    plans = list(session.scalars(_PLAN_CHOICES, {"bureau_id": viewer.bureau_id}))
    orgs = list(session.scalars(_UNIT_CHOICES, {"bureau_id": viewer.bureau_id}))
    return Choices(
        plans,
        [o for o in orgs if o.kind == "office"],
        [o for o in orgs if o.kind == "school"],
    )
