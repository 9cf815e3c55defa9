"""Demo data for work sent down to schools: the demo bureau's schools get their types (two
primary, two middle, one kindergarten), 城区学校 is a group an administrator defined, and one
open item asked of 各学校 is distributed, with replies in every state — one school reported, one
applied for 销号 and waits for 基教股's review, one passed — so the reply table, the review queue
and a school's own page have something to show. Idempotent (once per bureau)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from eduplan.ledger import schools
from eduplan.ledger.clock import now
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.models import Assignment, Item, ItemUnit, Organisation, Plan
from eduplan.ledger.status import ACTIVE
from eduplan.supervise import assignments, closing_review
from eduplan.text import normalize

DEMO_SCHOOL_TYPES = {
    "城关中学": "junior",
    "城关小学": "primary",
    "实验小学": "primary",
    "第二中学": "complete",
    "实验幼儿园": "kindergarten",
}
CITY_GROUP = "城区学校"
CITY_MEMBERS = ("城关中学", "城关小学", "实验幼儿园")
ACTOR = "演示数据"


def seed_demo_schools(session: Session, bureau: Organisation) -> dict[str, Organisation]:
    """Types on the demo schools (a school missing is made) and the 城区学校 group."""
    found = {}
    for name, school_type in DEMO_SCHOOL_TYPES.items():
        org = session.scalars(
            select(Organisation).where(
                Organisation.bureau_id == bureau.id, Organisation.norm == normalize(name)
            )
        ).first()
        if org is None:
            org = Organisation(
                bureau_id=bureau.id, parent_id=bureau.id, kind="school", name=name, norm=normalize(name),
                created_at=now(),
            )  # fmt: skip
            session.add(org)
            session.flush()
        org.kind, org.needs_review = "school", False
        if org.school_type is None:
            schools.set_school_type(session, org, school_type, ACTOR)
        found[name] = org
    group = session.scalars(
        select(Organisation).where(
            Organisation.bureau_id == bureau.id, Organisation.norm == normalize(CITY_GROUP)
        )
    ).first()
    if group is None:
        group = Organisation(
            bureau_id=bureau.id, parent_id=bureau.id, kind="group", name=CITY_GROUP,
            norm=normalize(CITY_GROUP), created_at=now(),
        )  # fmt: skip
        session.add(group)
        session.flush()
        schools.set_group(
            session, group, key=None, member_ids=[found[n].id for n in CITY_MEMBERS], actor=ACTOR
        )
    return found


def seed_distribution_demo(session: Session, bureau: Organisation, today: date | None = None) -> int | None:
    """Distribute 基教股's first open item asked of 各学校 (the earliest due) and reply to it; the
    item's id, or None when the bureau already has assignments (or no such item)."""
    today = today or clock_today()
    has = session.scalar(
        select(Assignment.id)
        .join(Item, Item.id == Assignment.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .where(Plan.bureau_id == bureau.id)
        .limit(1)
    )
    if has is not None:
        return None
    every = session.scalars(
        select(Organisation.id).where(
            Organisation.bureau_id == bureau.id, Organisation.norm == normalize("各学校")
        )
    ).first()
    if every is None:
        return None
    item = session.scalars(
        select(Item)
        .join(Plan, Plan.id == Item.plan_id)
        .where(
            Plan.bureau_id == bureau.id,
            Item.removed_in.is_(None),
            Item.status.in_(ACTIVE),
            Item.end.is_not(None),
            exists().where(ItemUnit.item_id == Item.id, ItemUnit.org_id == every),
            exists().where(
                ItemUnit.item_id == Item.id,
                ItemUnit.org_id.in_(select(Organisation.id).where(Organisation.norm == normalize("基教股"))),
            ),
        )
        .order_by(Item.end, Item.id)
        .limit(1)
    ).first()
    if item is None:
        return None
    orgs = {
        o.name: o
        for o in session.scalars(
            select(Organisation).where(Organisation.bureau_id == bureau.id, Organisation.kind == "school")
        )
    }
    assignments.distribute(session, item, "jijiao")
    assignments.report(
        session, item, orgs["城关中学"], text="已召开专题会议部署，正在逐项落实。", percent=50,
        author="城关中学", actor="chengguan",
    )  # fmt: skip
    for name in ("城关小学", "实验幼儿园"):
        closing_review.apply(
            session, item, bureau_id=bureau.id, org=orgs[name], org_name=name, author=name,
            actor=ACTOR, text="已按要求完成，相关材料已归档。", for_school=orgs[name],
        )  # fmt: skip
    passed = closing_review.pending_of(session, item, orgs["实验幼儿园"])
    if passed is not None:
        closing_review.review(
            session, passed, passed=True, note="", reviewer_org="基教股", reviewer="基教股", actor="jijiao"
        )
    return item.id
