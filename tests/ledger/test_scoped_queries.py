"""Reading many items' units and 督办 limited to their bureau first (``queries.unit_rows``,
``supervision.active_supervisions(bureau_id=…)``, issue 12), on SQLite and PostgreSQL: the
bureau-first query finds exactly what the list of ids finds — the units lead first, nothing of
another bureau, nothing of an item not asked for or removed — whatever the threshold.
``SCOPED_FROM`` is lowered so a handful of items takes the bureau-first path."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from eduplan.ledger import queries
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, Organisation
from eduplan.ledger.queries import live_items, unit_rows
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.supervise import supervision

D = date
A, B = "甲县教育局", "乙县教育局"
ITEMS = {  # title: units, lead first
    A: [("开学检查", ["基教股", "城关中学"]), ("教研周", ["教研室"]), ("安全排查", ["安全股", "各学校"])],
    B: [("乙县开学检查", ["基教股"]), ("乙县教研周", ["教研室", "第二中学"])],
}


@pytest.fixture
def ledger(sessions):
    with sessions.begin() as session:
        for bureau, items in ITEMS.items():
            plan = ParsedPlan(
                source={"name": f"{bureau}.txt", "format": "txt"},
                kind="plan",
                title=f"{bureau}九月工作安排",
                issuer=bureau,
                items=[
                    PlanItem(t, t, D(2024, 9, n), D(2024, 9, n + 1), units, None, n)
                    for n, (t, units) in enumerate(items, start=1)
                ],
            )
            import_plan(session, plan, bureau.encode(), bureau=bureau, actor="test")
    with sessions() as session:
        ids = dict(session.execute(select(Item.title, Item.id)).all())
        bureaus = dict(
            session.execute(
                select(Organisation.name, Organisation.id).where(Organisation.kind == "bureau")
            ).all()
        )
    return ids, bureaus


def _named(session, rows) -> dict[int, list[str]]:
    names = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    found: dict[int, list[str]] = {}
    for item_id, org_id in rows:
        found.setdefault(item_id, []).append(names[org_id])
    return found


@pytest.mark.parametrize("scoped_from", [1, 10_000])
def test_units_by_bureau_first_are_the_units_by_id(sessions, ledger, monkeypatch, scoped_from):
    monkeypatch.setattr(queries, "SCOPED_FROM", scoped_from)
    ids, bureaus = ledger
    asked = [ids["开学检查"], ids["安全排查"]]  # not 教研周, though of the same bureau
    with sessions() as session:
        rows = unit_rows(session, asked, Organisation.id, bureau_id=bureaus[A])
        assert _named(session, rows) == {
            ids["开学检查"]: ["基教股", "城关中学"],
            ids["安全排查"]: ["安全股", "各学校"],
        }


def test_live_items_carry_their_units_on_both_paths(sessions, ledger, monkeypatch):
    ids, _ = ledger
    with sessions.begin() as session:  # a removed item is no live item on either path
        session.execute(update(Item).where(Item.id == ids["教研周"]).values(removed_in=2))
    seen = []
    for scoped_from in (1, 10_000):
        monkeypatch.setattr(queries, "SCOPED_FROM", scoped_from)
        with sessions() as session:
            bureau = session.scalars(select(Organisation).where(Organisation.name == A)).one()
            seen.append({v.title: v.units for v in live_items(session, bureau=bureau)})
    assert seen[0] == seen[1] == {"开学检查": ["基教股", "城关中学"], "安全排查": ["安全股", "各学校"]}


@pytest.mark.parametrize("scoped_from", [1, 10_000])
def test_active_supervisions_by_bureau_first(sessions, ledger, monkeypatch, scoped_from):
    monkeypatch.setattr(supervision, "SCOPED_FROM", scoped_from)
    ids, bureaus = ledger
    with sessions.begin() as session:
        for title in ("开学检查", "教研周", "乙县开学检查"):
            item = session.get(Item, ids[title])
            supervision.supervise(
                session, item, deadline=D(2024, 9, 20), note="按期办结", actor="admin", today=D(2024, 9, 1)
            )
    with sessions() as session:
        found = supervision.active_supervisions(
            session, item_ids=[ids["开学检查"], ids["安全排查"], ids["乙县开学检查"]], bureau_id=bureaus[A]
        )
        # 教研周 was not asked for; 乙县's item is another bureau's, though asked for
        assert set(found) == {ids["开学检查"]}
        everything = supervision.active_supervisions(session, bureau_id=bureaus[B])
        assert set(everything) == {ids["乙县开学检查"]}
