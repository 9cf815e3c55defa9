"""Full-text search over items (migration 0005, ``eduplan.ledger.search``): Chinese substrings of
any length found in the title, the text, the units and the plan title, on SQLite (FTS5 trigram,
LIKE below three characters) and on PostgreSQL (pg_trgm), and the index kept in step with
inserts, updates, unit merges, plan retitling and deletes by the databases' own triggers."""

from __future__ import annotations

import dataclasses
from datetime import date

from sqlalchemy import delete, insert, inspect, select, text, update

from eduplan.ledger import migrate
from eduplan.ledger.importer import _item_row, import_plan
from eduplan.ledger.models import Item, Organisation, Plan
from eduplan.ledger.orgs import merge
from eduplan.ledger.queries import live_items
from eduplan.ledger.search import is_search_table, search_item_ids, terms
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan

BUREAU = "甲县教育局"
D = date


def _plan(items: list[PlanItem], title: str = "甲县教育局2024年春季学期工作安排") -> ParsedPlan:
    return ParsedPlan(
        source={"name": "plan.txt", "format": "txt", "encoding": "utf-8"},
        kind="plan",
        title=title,
        issuer=BUREAU,
        period_start=D(2024, 2, 1),
        period_end=D(2024, 7, 31),
        items=items,
        targets=[],
    )


ITEMS = [
    PlanItem("召开全县教育工作会议", "部署全年教育重点工作", D(2024, 3, 1), D(2024, 3, 1), ["办公室"]),
    PlanItem(
        "教学视导",
        "到各校开展课堂教学视导，检查教学常规",
        D(2024, 3, 11),
        D(2024, 3, 15),
        ["基础教育股", "教研室"],
    ),
    PlanItem("学籍管理", "完成春季学期学籍注册", D(2024, 3, 18), D(2024, 3, 22), ["基教股"]),
    PlanItem("安全100%检查", "校园安全隐患排查_全覆盖", D(2024, 4, 1), D(2024, 4, 5), ["安全股"]),
]


def _load(sessions) -> dict[str, int]:
    with sessions.begin() as session:
        import_plan(session, _plan(ITEMS), b"plan one", bureau=BUREAU)
    with sessions() as session:
        return dict(session.execute(select(Item.title, Item.id)).all())


def _found(sessions, query: str) -> set[int]:
    with sessions() as session:
        return set(search_item_ids(session, query))


def test_terms_are_cut_at_spaces_folded_to_half_width_and_kept_once():
    assert terms("  教学　视导 教学 ") == ["教学", "视导"]  # the ideographic space is a space too
    assert terms("ＡＢＣ１２３") == ["ABC123"]
    assert terms(None) == [] and terms("   ") == []


def test_a_chinese_substring_is_found_in_title_text_units_and_plan(sessions):
    ids = _load(sessions)
    assert _found(sessions, "教育工作会") == {ids["召开全县教育工作会议"]}  # inside the title
    assert _found(sessions, "检查教学常规") == {ids["教学视导"]}  # inside the text only
    assert _found(sessions, "基础教育股") == {ids["教学视导"]}  # a unit's name
    assert _found(sessions, "春季学期工作安排") == set(ids.values())  # the plan title: every item
    assert _found(sessions, "没有这件事") == set()


def test_short_terms_of_one_or_two_characters_are_found_too(sessions):
    ids = _load(sessions)
    assert _found(sessions, "视导") == {ids["教学视导"]}
    assert _found(sessions, "籍") == {ids["学籍管理"]}
    # Every word must be found: a long one through the index, a short one beside it.
    assert _found(sessions, "春季学期 视导") == {ids["教学视导"]}
    assert _found(sessions, "教学 学籍") == set()


def test_like_wildcards_and_quotes_in_a_query_are_plain_characters(sessions):
    ids = _load(sessions)
    assert _found(sessions, "100%") == {ids["安全100%检查"]}
    assert _found(sessions, "%") == {ids["安全100%检查"]}
    assert _found(sessions, "_") == {ids["安全100%检查"]}
    assert _found(sessions, '"教学') == set()
    assert _found(sessions, "教学 OR 学籍") == set()  # no query syntax: OR is a word to find


def test_the_index_follows_updates_merges_retitled_plans_and_deletes(sessions):
    ids = _load(sessions)
    with sessions.begin() as session:
        session.execute(update(Item).where(Item.id == ids["学籍管理"]).values(text="完成学生资助发放"))
    assert _found(sessions, "学籍注册") == set()
    assert _found(sessions, "学生资助") == {ids["学籍管理"]}

    with sessions.begin() as session:
        bureau = session.scalars(select(Organisation).where(Organisation.name == BUREAU)).one()
        merge(session, bureau, "基础教育股", "基教股", "管理员")
    assert _found(sessions, "基础教育股") == set()
    assert _found(sessions, "基教股") == {ids["教学视导"], ids["学籍管理"]}

    with sessions.begin() as session:
        session.execute(update(Organisation).where(Organisation.name == "教研室").values(name="教学研究室"))
        session.execute(update(Plan).values(title="甲县教育局2024年上半年工作要点"))
    assert _found(sessions, "教学研究室") == {ids["教学视导"]}
    assert _found(sessions, "春季学期工作安排") == set()
    assert _found(sessions, "上半年工作要点") == set(ids.values())

    with sessions.begin() as session:
        session.execute(delete(Item).where(Item.id == ids["教学视导"]))
    assert _found(sessions, "教学研究室") == set()
    with sessions.begin() as session:
        session.execute(delete(Plan))  # cascades to the items
    assert _found(sessions, "上半年工作要点") == set()


def test_live_items_matching_keeps_to_the_bureau_and_live_items(sessions):
    ids = _load(sessions)
    with sessions.begin() as session:
        import_plan(session, _plan(ITEMS[:1], title="乙县教育局工作安排"), b"other", bureau="乙县教育局")
    with sessions() as session:
        found = {v.id for v in live_items(session, matching="教育工作会议")}
        assert len(found) == 2
        bureau = session.scalars(select(Organisation).where(Organisation.name == BUREAU)).one()
        assert [v.id for v in live_items(session, bureau=bureau, matching="教育工作会议")] == [
            ids["召开全县教育工作会议"]
        ]
        assert live_items(session, bureau=bureau, matching="  ") == []
    with sessions.begin() as session:  # a revision that drops an item: it is no longer live
        import_plan(session, _plan(ITEMS[1:]), b"plan two", bureau=BUREAU)
    with sessions() as session:
        bureau = session.scalars(select(Organisation).where(Organisation.name == BUREAU)).one()
        assert live_items(session, bureau=bureau, matching="教育工作会议") == []
        assert ids["召开全县教育工作会议"] in set(search_item_ids(session, "教育工作会议"))


def test_the_index_uses_the_databases_own_search(engine):
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            ddl = connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'item_search'"))
            assert "fts5" in ddl and "trigram" in ddl
        else:
            index = connection.scalar(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_item_search_doc'")
            )
            assert "gin" in index and "gin_trgm_ops" in index
    assert {t for t in inspect(engine).get_table_names() if is_search_table(t)} >= {"item_search"}


def test_upgrading_a_ledger_that_holds_items_indexes_them_and_downgrading_removes_the_index(ledger_url):
    from eduplan.ledger.db import make_engine, sessions

    engine = make_engine(ledger_url)
    try:
        # The items are stored with today's models, then the ledger is taken back to before the
        # search index (0004): the rows stay, the index goes. (Importing on an old schema would
        # need the models of then: tables have gained columns since.)
        migrate.upgrade(engine)
        factory = sessions(engine)
        with factory.begin() as session:
            import_plan(session, _plan(ITEMS), b"before search", bureau=BUREAU)
        migrate.downgrade(engine, "0004")
        assert not [t for t in inspect(engine).get_table_names() if is_search_table(t)]
        migrate.upgrade(engine, "0005")
        assert len(_found(factory, "教学常规")) == 1
        migrate.downgrade(engine, "0004")
        assert not [t for t in inspect(engine).get_table_names() if is_search_table(t)]
        with factory.begin() as session:  # no trigger is left behind to write to a dropped table
            session.execute(update(Item).values(title="改"))
    finally:
        engine.dispose()


def _index_rows(session) -> dict[int, tuple]:
    if session.get_bind().dialect.name == "sqlite":
        found = session.execute(text("SELECT rowid, title, text, units, plan FROM item_search"))
        return {row[0]: tuple(row[1:]) for row in found}
    return dict(session.execute(text("SELECT item_id, doc FROM item_search")).all())


def _rows_wanted(session) -> dict[int, tuple]:
    """Each item's search row as migration 0005's triggers write it: title, text, unit names
    (lead first; none: NULL), plan title — on PostgreSQL one text of those, a line each."""
    wanted = {}
    for item in session.scalars(select(Item)):
        names = [link.org.name for link in sorted(item.units, key=lambda u: u.position)]
        units = " ".join(names) if names else None
        plan = session.get(Plan, item.plan_id).title
        if session.get_bind().dialect.name == "sqlite":
            wanted[item.id] = (item.title, item.text, units, plan)
        else:
            wanted[item.id] = "\n".join(v for v in (item.title, item.text, units, plan) if v is not None)
    return wanted


def test_a_bulk_import_indexes_its_items_at_once_and_leaves_the_triggers_on(sessions):
    unitless = PlanItem("无单位事项", "没有写明责任单位的事项", D(2024, 5, 6), D(2024, 5, 6), [])
    with sessions.begin() as session:
        import_plan(session, _plan([*ITEMS, unitless]), b"plan one", bureau=BUREAU)
        # Found within the import's own transaction, right after it, with its units and plan.
        assert len(search_item_ids(session, "基础教育股 春季学期")) == 1
        assert len(search_item_ids(session, "没有写明责任单位")) == 1
        assert session.scalar(text("SELECT count(*) FROM item_search_deferred")) == 0
    with sessions() as session:
        assert _index_rows(session) == _rows_wanted(session)
    # A revision naming no new unit: one item's units change (kept row, triggers), one item is
    # added (bulk).
    revised = [
        ITEMS[0],
        dataclasses.replace(ITEMS[1], departments=["基础教育股", "教研室", "安全股"]),
        *ITEMS[2:],
        PlanItem("教师培训", "组织暑期教师全员培训", D(2024, 7, 8), D(2024, 7, 12), ["办公室", "教研室"]),
    ]
    with sessions.begin() as session:
        import_plan(session, _plan(revised), b"plan two", bureau=BUREAU)
    with sessions() as session:
        assert _index_rows(session) == _rows_wanted(session)
        assert len(search_item_ids(session, "办公室 暑期教师")) == 1
        assert len(search_item_ids(session, "安全股 课堂教学视导 基础教育股")) == 1
        assert len(search_item_ids(session, "基础教育股")) == 1
    # Any other insert still gets its search row from the triggers.
    with sessions.begin() as session:
        item = session.scalars(select(Item).where(Item.title == "学籍管理")).one()
        extra = PlanItem("手工补录", "手工补录的事项", None, None)
        session.execute(
            insert(Item.__table__).values(**_item_row(item.plan_id, 1, 99, extra, item.created_at))
        )
    assert len(_found(sessions, "手工补录的")) == 1
