"""Who may see and do what — one place, checked on the server for every page and endpoint.

Roles: 管理员 (admin) everything in the bureau; 科室 (office) sees the bureau's calendar, edits
and reports on items its office is responsible for, and sees reports on them; 学校 (school)
sees the calendar of items assigned to it (or to a group it belongs to) and reports on them, and sees only
its own school's reports; 访客 (guest) reads the calendar and nothing else.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan, ProgressReport
from eduplan.web.auth import Viewer

_ITEM_UNITS = (
    select(Organisation)
    .join(ItemUnit, ItemUnit.org_id == Organisation.id)
    .where(ItemUnit.item_id == bindparam("item_id"))
    .order_by(ItemUnit.position)
)
"""Prebuilt: every item request (pages and API) reads them; building the statements each time
cost more CPU than running them."""
_ITEM_PLAN_UNITS = (
    select(Item, Plan, Organisation)
    .join(Plan, Plan.id == Item.plan_id)
    .outerjoin(ItemUnit, ItemUnit.item_id == Item.id)
    .outerjoin(Organisation, Organisation.id == ItemUnit.org_id)
    .where(Item.id == bindparam("item_id"))
    .order_by(ItemUnit.position)
)
"""The item, its plan and its units in one statement (a row per unit, one with no unit when it
has none): each item request read them in two, a round trip to the server more."""


def item_units(session: Session, item_id: int) -> list[Organisation]:
    return list(session.scalars(_ITEM_UNITS, {"item_id": item_id}))


def same_bureau(viewer: Viewer, bureau_id: int) -> bool:
    return viewer.bureau_id is not None and viewer.bureau_id == bureau_id


def _assigned_to_school(viewer: Viewer, units: list[Organisation]) -> bool:
    """The school itself, a group it belongs to (各小学 is not a middle school's), or one of its
    own offices is among the units (``Viewer.member_of``)."""
    return any(u.id == viewer.org_id or u.id in viewer.member_of for u in units)


def can_view_plan(viewer: Viewer, plan: Plan) -> bool:
    return same_bureau(viewer, plan.bureau_id)


def sees_whole_bureau(viewer: Viewer) -> bool:
    """Whether ``can_view_item`` lets the viewer see every item of its bureau, whatever the
    units: every role of a bureau but a school (which sees only what is asked of it)."""
    return viewer.bureau_id is not None and viewer.role != "school"


def can_view_item(viewer: Viewer, plan: Plan, units: list[Organisation]) -> bool:
    if not same_bureau(viewer, plan.bureau_id):
        return False
    return sees_whole_bureau(viewer) or _assigned_to_school(viewer, units)


def can_edit_item(viewer: Viewer, plan: Plan, units: list[Organisation]) -> bool:
    """Change status, dates and text: the bureau office, or the office responsible."""
    if not same_bureau(viewer, plan.bureau_id):
        return False
    if viewer.role == "admin":
        return True
    return viewer.role == "office" and any(u.id == viewer.org_id for u in units)


def can_close_item(viewer: Viewer, plan: Plan, units: list[Organisation]) -> bool:
    """销号 (close with a completion report) and reopen: the bureau office or the office responsible."""
    return can_edit_item(viewer, plan, units)


def can_supervise(viewer: Viewer, plan: Plan) -> bool:
    """督办 an item and lift it: the bureau's leaders, i.e. the bureau office (admin)."""
    return viewer.role == "admin" and same_bureau(viewer, plan.bureau_id)


def can_report(viewer: Viewer, plan: Plan, units: list[Organisation]) -> bool:
    """Submit a progress report: the bureau office, the office responsible, a school assigned."""
    if can_edit_item(viewer, plan, units):
        return True
    return (
        viewer.role == "school" and same_bureau(viewer, plan.bureau_id) and _assigned_to_school(viewer, units)
    )


def can_view_report(viewer: Viewer, plan: Plan, units: list[Organisation], report: ProgressReport) -> bool:
    """Reports are seen by the bureau office, the offices responsible, and the reporting unit."""
    if not same_bureau(viewer, plan.bureau_id):
        return False
    if viewer.role == "admin":
        return True
    if report.org_id is not None and report.org_id == viewer.org_id:
        return True
    return viewer.role == "office" and any(u.id == viewer.org_id for u in units)


def can_view_org(viewer: Viewer, org: Organisation) -> bool:
    """An office's or school's page (agenda, subscription link): admin, or the unit itself."""
    if not same_bureau(viewer, org.bureau_id):
        return False
    return viewer.role == "admin" or viewer.org_id == org.id


def can_view_supervision(viewer: Viewer) -> bool:
    """督办 (the supervision dashboard and its Excel exports): the bureau office, offices and
    schools; a guest sees nothing of it. Everyone allowed sees the bureau-wide 办结率 tables
    (counts per unit, read-only: what a supervision board shows every unit) and the targets;
    the overdue list and the weekly trend are the whole bureau's for the bureau office (who may
    narrow them to one office or school), and the viewer's own unit's items for an office or a
    school (a school's include what is asked of all schools)."""
    return viewer.bureau_id is not None and viewer.role in ("admin", "office", "school")


def can_record_actual(viewer: Viewer, plan: Plan, offices: list[Organisation]) -> bool:
    """Report a target's actual value: the bureau office, or an office the target belongs to
    (``eduplan.supervise.actuals.target_offices``)."""
    if not same_bureau(viewer, plan.bureau_id):
        return False
    if viewer.role == "admin":
        return True
    return viewer.role == "office" and any(o.id == viewer.org_id for o in offices)


def can_view_summary(viewer: Viewer, plan: Plan) -> bool:
    """The half-year summary draft of a plan (总结与计划): an internal document, for the bureau
    office and its offices — not schools or guests. Inside it, an office reads the substance only
    of the reports ``can_view_report`` lets it see."""
    return viewer.role in ("admin", "office") and same_bureau(viewer, plan.bureau_id)


def can_draft_next_term(viewer: Viewer) -> bool:
    """下学期计划草稿 (next term's plan proposed from past plans): the bureau office only — it
    makes a draft on the import screen, which only the bureau office may publish. Each plan and
    term it names must be the viewer's bureau's (else 404)."""
    return viewer.role == "admin" and viewer.bureau_id is not None


def can_compare_plans(viewer: Viewer) -> bool:
    """逐年对比 of two plans of the bureau (page and Excel): the bureau office and its offices —
    an internal view like the summary draft, not for schools or guests."""
    return viewer.role in ("admin", "office") and viewer.bureau_id is not None


def load_item(session: Session, item_id: int) -> tuple[Item, Plan, list[Organisation]] | None:
    """The item, its plan and its units (in their order), or None when there is no such item."""
    rows = session.execute(_ITEM_PLAN_UNITS, {"item_id": item_id}).all()
    if not rows:
        return None
    item, plan, _ = rows[0]
    return item, plan, [org for _, _, org in rows if org is not None]


# ---------------------------------------------------------------- work sent down to schools


def can_view_replies(viewer: Viewer, plan: Plan, units: list[Organisation]) -> bool:
    """An item's reply table (回执), distributing it, reminding the schools behind, closing it
    with a reason: the bureau office, or an office responsible for the item."""
    return can_edit_item(viewer, plan, units)


def can_act_on_assignment(viewer: Viewer, plan: Plan, units: list[Organisation]) -> bool:
    """Report on and apply for the 销号 of one's own assignment: a school the item is asked of
    (itself, a group it belongs to, or its own office among the units). Only its own: the
    assignment acted on is always the viewer's school's."""
    return (
        viewer.role == "school" and same_bureau(viewer, plan.bureau_id) and _assigned_to_school(viewer, units)
    )


def can_review_closing(
    viewer: Viewer, plan: Plan, units: list[Organisation], *, for_assignment: bool
) -> bool:
    """Pass or return a 销号 application. A school's assignment is reviewed by the item's lead
    office (its first unit that is an office) — by the bureau office only when the item has no
    office; an item's own application by the bureau office (督查室/办公室)."""
    if not same_bureau(viewer, plan.bureau_id):
        return False
    lead = next((u for u in units if u.kind == "office"), None)
    if for_assignment and lead is not None:
        return viewer.role == "office" and lead.id == viewer.org_id
    return viewer.role == "admin"


def can_view_reviews(viewer: Viewer) -> bool:
    """The queue of 销号 applications to review: the bureau office and offices."""
    return viewer.bureau_id is not None and viewer.role in ("admin", "office")


def can_set_closing_mode(viewer: Viewer) -> bool:
    """One-step closing or review, for the whole bureau: the bureau office."""
    return viewer.role == "admin" and viewer.bureau_id is not None
