"""In-app notifications: rows an office or school reads on /notifications."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from eduplan.ledger.clock import now
from eduplan.ledger.models import Notification

PAGE_SIZE = 100


def post_notification(
    session: Session, org_id: int, title: str, body: str, *, kind: str = "digest", item_id: int | None = None
) -> Notification:
    """Add a notification for the organisation (in the session's transaction)."""
    note = Notification(org_id=org_id, kind=kind, title=title, body=body, item_id=item_id, created_at=now())
    session.add(note)
    session.flush()
    return note


def unread_count(session: Session, org_id: int) -> int:
    """One COUNT query: the organisation's unread notifications."""
    return (
        session.scalar(
            select(func.count()).where(Notification.org_id == org_id, Notification.read_at.is_(None))
        )
        or 0
    )


def latest(session: Session, org_id: int, limit: int = PAGE_SIZE, offset: int = 0) -> list[Notification]:
    """The organisation's notifications, newest first (``limit`` of them from ``offset``)."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.org_id == org_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )


def total(session: Session, org_id: int) -> int:
    """How many notifications the organisation has."""
    return session.scalar(select(func.count()).where(Notification.org_id == org_id)) or 0


def mark_all_read(session: Session, org_id: int) -> int:
    """Mark every unread notification of the organisation read; how many were."""
    result = session.execute(
        update(Notification)
        .where(Notification.org_id == org_id, Notification.read_at.is_(None))
        .values(read_at=now())
    )
    return result.rowcount or 0
