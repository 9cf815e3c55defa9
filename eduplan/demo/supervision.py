"""Demo data for 销号 and 督办: a couple of past items closed with completion reports, and two
overdue items supervised — one still within its deadline, one past it (督办逾期) — so the
dashboard, the unit pages and the reminders have something to show. Once per bureau."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan, ProgressReport, Supervision, User
from eduplan.ledger.status import ACTIVE
from eduplan.supervise import progress, supervision

CLOSED = 2
COMPLETION = "“{title}”已按要求完成，相关材料已归档备查。"
NOTES = ("请于期限内办结并提交完成情况。", "进度滞后，请说明原因并限期整改。")


def _candidates(session: Session, bureau: Organisation, today: date) -> list[tuple[Item, Organisation]]:
    """Overdue items with an office responsible and no report yet, most recently due first."""
    rows = session.execute(
        select(Item, Organisation)
        .join(Plan, Plan.id == Item.plan_id)
        .join(ItemUnit, ItemUnit.item_id == Item.id)
        .join(Organisation, Organisation.id == ItemUnit.org_id)
        .where(
            Plan.bureau_id == bureau.id,
            Item.removed_in.is_(None),
            Item.status.in_(ACTIVE),
            Item.end < today,
            Organisation.kind == "office",
            ~exists().where(ProgressReport.item_id == Item.id),
        )
        .order_by(Item.end.desc(), Item.id, ItemUnit.position)
    ).all()
    seen: dict[int, tuple[Item, Organisation]] = {}
    for item, office in rows:
        seen.setdefault(item.id, (item, office))
    return list(seen.values())


def seed_closing_demo(session: Session, bureau: Organisation, today: date | None = None) -> int:
    """Close ``CLOSED`` past items and supervise two overdue ones; nothing when the bureau
    already has a supervision (run before). Returns the number of items changed."""
    today = today or clock_today()
    done_before = session.scalar(
        select(Supervision.id)
        .join(Item, Item.id == Supervision.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .where(Plan.bureau_id == bureau.id)
        .limit(1)
    )
    if done_before is not None:
        return 0
    users = dict(session.execute(select(User.org_id, User.username).where(User.bureau_id == bureau.id)).all())
    # Offices with a demo account first, so signing in as one shows its 督办 and 销号.
    candidates = sorted(_candidates(session, bureau, today), key=lambda c: c[1].id not in users)
    if len(candidates) < CLOSED + 2:
        return 0
    for item, office in candidates[:CLOSED]:
        actor = users.get(office.id, "admin")
        progress.close(
            session,
            item,
            text=COMPLETION.format(title=item.title.strip()),
            author=office.name,
            actor=actor,
            org_id=office.id,
            org_name=office.name,
        )
    # One supervision still running (deadline next week), one set a fortnight ago whose
    # deadline has passed: 督办逾期.
    within, lapsed = candidates[CLOSED], candidates[CLOSED + 1]
    supervision.supervise(
        session, within[0], deadline=today + timedelta(days=7), note=NOTES[0], actor="admin", today=today
    )
    supervision.supervise(
        session,
        lapsed[0],
        deadline=today - timedelta(days=3),
        note=NOTES[1],
        actor="admin",
        today=today - timedelta(days=14),
    )
    session.flush()
    return CLOSED + 2
