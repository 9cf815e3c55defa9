"""Demo progress for the half-year summary draft, in the demo bureau's first term calendar (the
dev corpus's spring term 2021): of the items due by the end of May 2021, two in three are closed
on their last day with a completion report by their lead office, the third is in progress with a
report — so the demo's summary has work done, work late, and reports to quote. Items already
done, closed or reported on are left alone (``eduplan demo`` run again changes nothing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eduplan.ledger.clock import BUREAU_TZ
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan, ProgressReport

DEMO_SPAN = (date(2021, 1, 1), date(2021, 5, 31))
"""Items ending in this span get demo progress (the dev corpus's spring term 2021, not June)."""
_COMPLETIONS = (
    "{lead}牵头完成，相关通知、方案和总结材料已归档。",
    "已按时完成。{lead}对照要求逐项落实，检查中发现的问题已督促有关单位整改。",
    "工作已完成，{lead}已报送总结材料，有关情况已在全县通报。",
)
_PROGRESS = "{lead}已完成前期部署，正在推进，剩余工作将尽快完成。"


def _at(day: date) -> datetime:
    """17:00 in the bureau's time zone on ``day``, in UTC."""
    return datetime.combine(day, time(17, 0), tzinfo=BUREAU_TZ).astimezone(UTC)


def seed_summary_demo(session: Session, bureau: Organisation) -> int:
    """Record the demo progress described above; returns the number of items changed."""
    plan = session.scalars(
        select(Plan).where(Plan.bureau_id == bureau.id, Plan.kind == "calendar").order_by(Plan.id)
    ).first()
    if plan is None:
        return 0
    items = session.scalars(
        select(Item)
        .where(Item.plan_id == plan.id, Item.removed_in.is_(None), Item.start.is_not(None))
        .options(selectinload(Item.units).selectinload(ItemUnit.org))
        .order_by(Item.seq)
    ).all()
    reported = set(
        session.scalars(
            select(ProgressReport.item_id).where(ProgressReport.item_id.in_([i.id for i in items]))
        )
    )
    changed = 0
    for item in items:
        end = item.end or item.start
        if item.status != "open" or item.id in reported or not item.units:
            continue
        if not DEMO_SPAN[0] <= end <= DEMO_SPAN[1]:
            continue
        lead = next((link.org for link in item.units if link.org.kind == "office"), item.units[0].org)
        at = _at(end)
        if item.seq % 3:
            item.status, item.closed_at, item.closed_by = "done", at, lead.name
            kind, text, percent = "completion", _COMPLETIONS[item.seq % len(_COMPLETIONS)], 100
        else:
            item.status = "in_progress"
            kind, text, percent = "progress", _PROGRESS, 50
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
        changed += 1
    session.flush()
    return changed
