"""Migrations keep the data: down to the first schema and up again, with a plan, its versions,
items, units and audit entries in the database (SQLite rebuilds tables to alter them; with
foreign keys on, that once cascade-deleted every version and item)."""

from __future__ import annotations

from sqlalchemy import func, select

from eduplan.ledger import migrate
from eduplan.ledger.db import make_engine, sessions
from eduplan.ledger.importer import read_and_import
from eduplan.ledger.models import AuditEntry, Item, ItemUnit, Organisation, Plan, PlanVersion

CALENDAR = (
    "某县教育局2024年秋季学期工作行事历\n"
    "周次\t日期\t工作内容\t责任股室\n"
    "1\t9.2—9.8\t开学工作检查\t基教股\n"
    "2\t9.9—9.15\t教师节表彰大会\t人事股\n"
    "3\t9.16—9.22\t校舍安全排查\t安全股\n"
).encode()
TABLES = (Plan, PlanVersion, Item, ItemUnit, Organisation, AuditEntry)


def _counts(factory) -> dict[str, int]:
    with factory() as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_down_and_up_again_keeps_every_row(ledger_url):
    engine = make_engine(ledger_url)
    migrate.upgrade(engine)
    factory = sessions(engine)
    with factory.begin() as session:
        read_and_import(session, CALENDAR, "calendar.txt", bureau="某县教育局")
    before = _counts(factory)
    # Three items, each with one unit; a plan with one version; the bureau and three offices.
    assert (before["plans"], before["plan_versions"], before["items"], before["item_units"]) == (1, 1, 3, 3)
    assert before["organisations"] == 4

    migrate.downgrade(engine, "0001")
    assert migrate.current(engine) == "0001"
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    assert _counts(factory) == before
    with factory() as session:
        assert session.scalars(select(Plan.public)).all() == [False]
    engine.dispose()
