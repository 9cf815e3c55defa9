"""Two writers who read the same revision of an item, on SQLite and PostgreSQL: the statement
itself checks the revision (``progress.bump``: UPDATE … WHERE id = :id AND revision = :r), so the
first to write wins and the second gets ``RevisionConflict`` — nothing of it stored — even when
neither said which revision it saw and no write lock was held while they read. Each writer
reads in a session of its own and writes in ``short_write``; the order is fixed by the test."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from eduplan.ledger.db import short_write
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import AuditEntry, Item, ProgressReport
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.supervise import progress

BUREAU = "甲县教育局"


@pytest.fixture
def item_id(sessions) -> int:
    plan = ParsedPlan(
        source={"name": "安排.txt", "format": "txt"},
        kind="plan",
        title="甲县教育局九月工作安排",
        issuer=BUREAU,
        items=[
            PlanItem("开学工作检查", "开学工作检查", date(2024, 9, 2), date(2024, 9, 6), ["基教股"], None, 1)
        ],
    )
    with sessions.begin() as session:
        import_plan(session, plan, b"plan", bureau=BUREAU, actor="test")
    with sessions() as session:
        return session.scalars(select(Item.id)).one()


def _read(sessions, item_id: int):
    """A session that has read the item (its read transaction ended, as a request's is)."""
    session = sessions()
    item = session.get(Item, item_id)
    session.commit()
    return session, item


def _stored(sessions, item_id: int) -> tuple[str, int, int, int]:
    with sessions() as session:
        item = session.get(Item, item_id)
        audits = session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "item")
        )
        reports = session.scalar(select(func.count()).select_from(ProgressReport))
        return item.status, item.revision, audits, reports


def test_second_status_change_on_the_same_revision_is_a_conflict(sessions, item_id):
    first, item_a = _read(sessions, item_id)
    second, item_b = _read(sessions, item_id)
    start = item_a.revision
    _, _, audits_before, _ = _stored(sessions, item_id)
    with first, second:
        with short_write(first):
            assert progress.set_status(first, item_a, "in_progress", "基教股甲")
        assert item_a.revision == start + 1
        with pytest.raises(progress.RevisionConflict) as refused, short_write(second):
            progress.set_status(second, item_b, "cancelled", "基教股乙")
    assert refused.value.current == start + 1
    assert "已被他人修改" in str(refused.value) and f"第{start + 1}版" in str(refused.value)
    # the winner's change is stored, the loser's (and its audit line) is not
    assert _stored(sessions, item_id) == ("in_progress", start + 1, audits_before + 1, 0)


def test_close_after_a_concurrent_change_stores_no_report(sessions, item_id):
    """销号 decided on a stale read: refused before its completion report is kept."""
    first, item_a = _read(sessions, item_id)
    second, item_b = _read(sessions, item_id)
    start = item_a.revision
    with first, second:
        with short_write(first):
            progress.set_status(first, item_a, "cancelled", "admin")
        with pytest.raises(progress.RevisionConflict), short_write(second):
            progress.close(
                second, item_b, text="已完成检查", author="基教股", actor="jijiao", org_id=None, org_name=None
            )
    status, revision, _, reports = _stored(sessions, item_id)
    assert (status, revision, reports) == ("cancelled", start + 1, 0)


def test_writers_one_after_another_both_succeed(sessions, item_id):
    """No false conflicts: a writer that read after the first one's commit goes through."""
    first, item_a = _read(sessions, item_id)
    start = item_a.revision
    with first, short_write(first):
        progress.set_status(first, item_a, "in_progress", "a")
    second, item_b = _read(sessions, item_id)
    with second:
        assert item_b.revision == start + 1
        with short_write(second):
            progress.set_status(second, item_b, "open", "b")
    assert _stored(sessions, item_id)[:2] == ("open", start + 2)
