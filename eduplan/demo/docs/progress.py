"""The demo's work on the sample documents, relative to the day it is built: what ended more
than three weeks ago was done on its last day (销号 with a completion report by its lead unit);
of what ended in the last three weeks, one in two (by its place in its plan) was done and the
others are a few days overdue; one in three items running today has a progress report. Nothing
is left overdue by more than three weeks, so the demo never shows a term's backlog. Items
already done, closed or reported on are left alone, so building the demo again the same day
changes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eduplan.ledger.clock import BUREAU_TZ, now
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan, PlanVersion, ProgressReport

RECENT = timedelta(days=21)
"""Items ending within this many days before today may still be open (a few days overdue)."""
COMPLETION = "{lead}已按要求完成，相关通知、方案和总结材料已归档备查。"
PROGRESS = "{lead}已完成前期部署，正在按计划推进。"


def _at(day: date) -> datetime:
    """17:00 in the bureau's time zone on ``day``, in UTC."""
    return datetime.combine(day, time(17, 0), tzinfo=BUREAU_TZ).astimezone(UTC)


def _sample_items(session: Session, bureau: Organisation, names: Iterable[str]) -> list[Item]:
    plan_ids = select(PlanVersion.plan_id).where(PlanVersion.source_name.in_(list(names)))
    return list(
        session.scalars(
            select(Item)
            .join(Plan, Plan.id == Item.plan_id)
            .where(
                Plan.bureau_id == bureau.id,
                Item.plan_id.in_(plan_ids),
                Item.removed_in.is_(None),
                Item.start.is_not(None),
            )
            .options(selectinload(Item.units).selectinload(ItemUnit.org))
            .order_by(Item.end, Item.plan_id, Item.seq)
        )
    )


def seed_sample_progress(
    session: Session, bureau: Organisation, names: Iterable[str], today: date
) -> dict[str, int]:
    """Record the work described above on the plans imported from the files ``names``; returns
    how many items were closed and how many got a progress report."""
    items = _sample_items(session, bureau, names)
    reported = set(
        session.scalars(
            select(ProgressReport.item_id).where(ProgressReport.item_id.in_([i.id for i in items]))
        )
    )
    counts = {"done": 0, "in_progress": 0}
    for item in items:
        if item.status != "open" or item.id in reported or not item.units:
            continue
        end = item.end or item.start
        lead = next((link.org for link in item.units if link.org.kind == "office"), item.units[0].org)
        if end < today:
            if end >= today - RECENT and item.seq % 2:  # one in two recent items is still open
                continue
            at, kind, text, percent = _at(end), "completion", COMPLETION, 100
            item.status, item.closed_at, item.closed_by = "done", at, lead.name
        elif item.start <= today and item.seq % 3 == 0:
            at, kind, text, percent = now(), "progress", PROGRESS, 50
            item.status = "in_progress"
        else:
            continue
        counts[item.status] += 1
        item.updated_at = at
        session.add(
            ProgressReport(
                item_id=item.id,
                org_id=lead.id,
                author=lead.name,
                text=text.format(lead=lead.name),
                percent=percent,
                kind=kind,
                created_at=at,
            )
        )
    session.flush()
    return counts
