"""A progress report is stored by one INSERT … RETURNING (``progress.add_report``), not the ORM's
flush, and a single audit line by one INSERT, not COPY (``bulk.insert_rows``): checked against
the long way round — an ORM-added report, audit lines stored many at a time — on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, select

from eduplan.ledger import audit
from eduplan.ledger.db import short_write
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Attachment, AuditEntry, Item, ProgressReport
from eduplan.ledger.stored_text import clean_text
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.supervise import progress

COLUMNS = ("item_id", "org_id", "author", "text", "percent", "kind")


@pytest.fixture
def item_id(sessions) -> int:
    plan = ParsedPlan(
        source={"name": "安排.txt", "format": "txt"},
        kind="plan",
        title="甲县教育局九月工作安排",
        issuer="甲县教育局",
        items=[PlanItem("开学检查", "开学检查", date(2024, 9, 2), date(2024, 9, 6), ["基教股"], None, 1)],
    )
    with sessions.begin() as session:
        import_plan(session, plan, b"plan", bureau="甲县教育局", actor="test")
    with sessions() as session:
        return session.scalars(select(Item.id)).one()


def test_a_report_is_stored_as_the_orm_would_store_it(sessions, item_id):
    file = progress.NewAttachment("照片.png", "image/png", 3, "0" * 64, b"png")
    with sessions() as session:
        item = session.get(Item, item_id)
        with short_write(session):
            made = progress.add_report(
                session, item, text="已完成 \u200b自查", percent=40, author="张三", actor="zhang",
                org_id=None, org_name=None, attachments=[file],
            )  # fmt: skip
            assert inspect(made).persistent  # an ORM object of the session, as a flushed one
        long_way = ProgressReport(
            item_id=item_id, org_id=None, author="张三", text=made.text, percent=40, kind="progress",
            created_at=made.created_at,
        )  # fmt: skip
        with short_write(session):
            session.add(long_way)
    with sessions() as session:
        stored = {r.id: r for r in session.scalars(select(ProgressReport))}
        assert set(stored) == {made.id, long_way.id} and made.id != long_way.id
        for name in COLUMNS:
            assert getattr(stored[made.id], name) == getattr(made, name) == getattr(stored[long_way.id], name)
        assert made.text == clean_text("已完成 \u200b自查")  # cleaned as before
        assert stored[made.id].created_at == stored[long_way.id].created_at
        assert [a.report_id for a in session.scalars(select(Attachment))] == [made.id]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "report")).one()
        assert entry.entity_id == made.id and entry.after["attachments"] == ["照片.png"]


def test_one_audit_line_is_stored_as_many_are(sessions):
    lines = [
        ("a", "update", "item", 1, None, {"status": "open", "n": [1, 2]}),
        ("b", "x", "item", 2, {"k": 1}, None),
    ]
    with sessions.begin() as session:
        audit.record_many(session, lines)  # many: COPY on PostgreSQL
        for line in lines:
            audit.record(session, *line)  # one each: an INSERT
    with sessions() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.entity_id, AuditEntry.before, AuditEntry.after).order_by(
                AuditEntry.id
            )
        ).all()
        assert rows[:2] == rows[2:]
        assert rows[0].before is None and rows[1].after is None  # SQL NULL both ways
        assert rows[0].after == {"status": "open", "n": [1, 2]}
