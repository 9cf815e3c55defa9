"""A file imported once and then corrected on the import screen: the corrections are not lost."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from eduplan.documents import plan_from_bytes
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, PlanVersion

CALENDAR = (
    "某县教育局2024年秋季学期工作行事历\n"
    "周次\t日期\t工作内容\t责任股室\n"
    "1\t9.2—9.8\t开学工作检查\t基教股\n"
    "2\t9.9—9.15\t教师节表彰大会\t人事股\n"
).encode()


def test_the_same_file_with_a_correction_becomes_the_next_version(sessions):
    with sessions.begin() as session:
        first = import_plan(session, plan_from_bytes(CALENDAR, "行事历.txt"), CALENDAR, bureau="某县教育局")
    again = plan_from_bytes(CALENDAR, "行事历.txt")
    with sessions.begin() as session:
        unchanged = import_plan(session, again, CALENDAR, bureau="某县教育局")
    assert (unchanged.status, unchanged.version) == ("unchanged", 1)

    corrected = plan_from_bytes(CALENDAR, "行事历.txt")
    corrected.items[1].title = "庆祝教师节表彰大会"
    corrected.items[1].text = "庆祝教师节表彰大会"
    corrected.items[1].end = date(2024, 9, 10)
    with sessions.begin() as session:
        result = import_plan(session, corrected, CALENDAR, bureau="某县教育局")
    assert (result.status, result.version, result.changed) == ("revised", 2, ["庆祝教师节表彰大会"])
    with sessions() as session:
        titles = session.scalars(
            select(Item.title)
            .where(Item.plan_id == first.plan_id, Item.removed_in.is_(None))
            .order_by(Item.seq)
        ).all()
        assert titles == ["开学工作检查", "庆祝教师节表彰大会"]
        versions = session.scalars(
            select(PlanVersion.number).where(PlanVersion.plan_id == first.plan_id)
        ).all()
        assert sorted(versions) == [1, 2]
