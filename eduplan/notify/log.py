"""The delivery log as people read it: what was sent to a unit, when, and why it failed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eduplan.ledger.models import Delivery

STATUS_LABELS = {"sent": "已发送", "failed": "失败", "sending": "发送中"}


def recent(session: Session, org_id: int, limit: int = 20) -> list[Delivery]:
    """The unit's latest deliveries, newest day first."""
    return list(
        session.scalars(
            select(Delivery)
            .where(Delivery.org_id == org_id)
            .order_by(Delivery.day.desc(), Delivery.channel)
            .limit(limit)
        )
    )


def latest_by_org(session: Session, org_ids: list[int]) -> dict[int, list[Delivery]]:
    """Each unit's deliveries of the last day it was sent anything, one per channel."""
    found: dict[int, list[Delivery]] = {}
    for i in range(0, len(org_ids), 5000):
        last = (
            select(Delivery.org_id, func.max(Delivery.day).label("day"))
            .where(Delivery.org_id.in_(org_ids[i : i + 5000]))
            .group_by(Delivery.org_id)
            .subquery()
        )
        rows = session.scalars(
            select(Delivery)
            .join(last, (last.c.org_id == Delivery.org_id) & (last.c.day == Delivery.day))
            .order_by(Delivery.org_id, Delivery.channel)
        )
        for row in rows:
            found.setdefault(row.org_id, []).append(row)
    return found
