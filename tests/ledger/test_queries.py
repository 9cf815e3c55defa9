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
    assert ranged.closed_at is None


def test_each_combination_of_filters_is_the_whole_list_filtered(sessions, monkeypatch):
    """``live_items`` runs one statement built once per combination of filters, with the values
    bound at each call: every combination (and the same one again with other values) gives the
    items of the whole list that the filters keep, in its order, with the same units."""
    from itertools import product

    from sqlalchemy import select

    from eduplan.ledger import queries
    from eduplan.ledger.models import Organisation

    with sessions.begin() as session:
        ids = []
        for number, issuer in enumerate(("甲县教育局", "甲县教育局", "乙县教育局"), 1):
            plan = ParsedPlan(
                source={"name": f"combo{number}.txt", "format": "txt"},
                title=f"{issuer}第{number}个计划",
                issuer=issuer,
                items=[
                    PlanItem(
                        t, f"{t}：{number}", s, e, ["基教股"] if n % 2 else ["教研室", "基教股"], None, n
                    )
                    for n, (t, (s, e)) in enumerate(SPANS.items(), 1)
                ]
                + [PlanItem(f"无日期{number}", "无日期", None, None, ["办公室"], None, 99)],
            )
            ids.append(
                import_plan(session, plan, f"combo{number}".encode(), bureau=issuer, actor="t").plan_id
            )
    with sessions() as session:
        bureau = session.scalars(select(Organisation).where(Organisation.name == "甲县教育局")).one()
        jiaoyan = session.scalars(
            select(Organisation.id).where(Organisation.bureau_id == bureau.id, Organisation.name == "教研室")
        ).one()
        whole = live_items(session)

        def key(views):
            return [(v.id, v.plan_title, v.units, v.unit_kinds) for v in views]

        def kept(view, bureau_, plan_id, org_ids, start, end, dated):
            if bureau_ is not None and view.plan_id not in ids[:2]:
                return False
            if plan_id is not None and view.plan_id != plan_id:
                return False
            if org_ids is not None and not (org_ids and "教研室" in view.units and bureau_ is not None):
                return False
            if (dated or start or end) and view.start is None:
                return False
            if end is not None and view.start > end:
                return False
            return start is None or (view.stated_end or view.start) >= start

        for scoped_from in (queries.SCOPED_FROM, 1):
            monkeypatch.setattr(queries, "SCOPED_FROM", scoped_from)
            for bureau_, plan_id, org_ids, start, end, dated in product(
                (None, bureau),
                (None, ids[1]),
                (None, [jiaoyan], []),
                (None, FIRST, LAST),
                (None, LAST),
                (False, True),
            ):
                if org_ids is not None and bureau_ is None:
                    continue  # the unit's id is one bureau's
                found = live_items(
                    session,
                    bureau=bureau_,
                    plan_id=plan_id,
                    org_ids=org_ids,
                    start=start,
                    end=end,
                    dated_only=dated,
                )
                expected = [v for v in whole if kept(v, bureau_, plan_id, org_ids, start, end, dated)]
                assert key(found) == key(expected), (bureau_, plan_id, org_ids, start, end, dated)
        assert key(live_items(session, bureau=bureau, offset=3, limit=4)) == key(
            live_items(session, bureau=bureau)[3:7]
        )
        assert key(live_items(session, bureau=bureau, offset=5)) == key(
            live_items(session, bureau=bureau)[5:]
        )
