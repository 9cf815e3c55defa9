"""Which items a date range holds (``queries.live_items``): an item belongs to [start, end] when
its span shares at least one day with it, so spans ending on the first day or starting on the last
day are in, and those ending the day before or starting the day after are out."""

from __future__ import annotations

from datetime import date

from eduplan.ledger.importer import import_plan
from eduplan.ledger.queries import live_items
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan

D = date
FIRST, LAST = D(2024, 9, 6), D(2024, 9, 10)  # the range asked for
SPANS = {
    "前一天结束": (D(2024, 9, 2), D(2024, 9, 5)),
    "首日结束": (D(2024, 9, 2), D(2024, 9, 6)),
    "跨越整段": (D(2024, 9, 1), D(2024, 9, 30)),
    "段内": (D(2024, 9, 9), D(2024, 9, 9)),
    "末日开始": (D(2024, 9, 10), D(2024, 9, 13)),
    "后一天开始": (D(2024, 9, 11), D(2024, 9, 13)),
    "只有首日": (D(2024, 9, 6), None),  # one day, no end stated
    "只有前一天": (D(2024, 9, 5), None),
    "只有末日": (D(2024, 9, 10), None),
    "只有后一天": (D(2024, 9, 11), None),
}


def test_a_range_holds_the_items_sharing_a_day_with_it(sessions):
    plan = ParsedPlan(
        source={"name": "range.txt", "format": "txt"},
        kind="calendar",
        title="甲县教育局2024年秋季学期工作行事历",
        issuer="甲县教育局",
        items=[PlanItem(t, t, s, e, ["基教股"], None, n) for n, (t, (s, e)) in enumerate(SPANS.items(), 1)],
    )
    with sessions.begin() as session:
        plan_id = import_plan(session, plan, b"range", bureau="甲县教育局", actor="test").plan_id
    with sessions() as session:
        found = {v.title for v in live_items(session, plan_id=plan_id, start=FIRST, end=LAST)}
        assert found == {"首日结束", "跨越整段", "段内", "末日开始", "只有首日", "只有末日"}
        # one day asked for: the same rule with FIRST == LAST
        one_day = {v.title for v in live_items(session, plan_id=plan_id, start=LAST, end=LAST)}
        assert one_day == {"跨越整段", "末日开始", "只有末日"}


def test_each_view_field_comes_from_its_own_column(sessions):
    """The views are built positionally from the query's row: every field must land in its place
    (the plan's title, ``end`` falling back to ``start``, ``stated_end`` as the document gave it)."""
    items = [
        PlanItem(
            "有止日", "有止日：按要求完成", D(2024, 9, 2), D(2024, 9, 5), ["基教股", "各学校"], "一、开学", 3
        ),
        PlanItem("无止日", "无止日：当天完成", D(2024, 9, 9), None, ["教研室"], None, 7),
    ]
    plan = ParsedPlan(
        source={"name": "fields.txt", "format": "txt"},
        title="甲县教育局字段计划",
        issuer="甲县教育局",
        items=items,
    )
    with sessions.begin() as session:
        plan_id = import_plan(session, plan, b"fields", bureau="甲县教育局", actor="test").plan_id
    with sessions() as session:
        ranged, one_day = live_items(session, plan_id=plan_id)
    assert (ranged.plan_id, ranged.plan_title) == (plan_id, "甲县教育局字段计划")
    assert (ranged.title, ranged.text, ranged.section, ranged.line) == (
        "有止日",
        "有止日：按要求完成",
        "一、开学",
        3,
    )
    assert (ranged.start, ranged.end, ranged.stated_end) == (D(2024, 9, 2), D(2024, 9, 5), D(2024, 9, 5))
    assert (one_day.start, one_day.end, one_day.stated_end) == (D(2024, 9, 9), D(2024, 9, 9), None)
    assert ranged.status == "open" and ranged.revision == 1 and ranged.updated_at is not None
    assert ranged.uid and ranged.uid != one_day.uid and isinstance(ranged.confidence, float)
    assert ranged.units == ["基教股", "各学校"] and ranged.unit_kinds[0] == "office"
    assert one_day.units == ["教研室"]
