"""Importing plans into the ledger: what is stored, repeated and revised imports, units and
their aliases, and the term a week calendar implies. Every plan here is built by hand."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from eduplan.errors import EduplanError
from eduplan.ledger.exporting import Selection, plan_contract
from eduplan.ledger.importer import import_plan, read_and_import
from eduplan.ledger.models import (
    AcademicYear,
    AuditEntry,
    Base,
    Item,
    ItemUnit,
    OrgAlias,
    Organisation,
    Plan,
    PlanVersion,
    ProgressReport,
    Target,
    Term,
)
from eduplan.ledger.orgs import find_units, merge
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.plan import Target as PlanTarget

BUREAU = "甲县教育局"
TITLE = "甲县教育局2024年春季学期工作安排"
D = date


def make_item(title, start, end, units, text=None, section=None, line=0) -> PlanItem:
    return PlanItem(title, text or title, start, end, list(units), section, line)


PERIOD = (date(2024, 2, 1), date(2024, 7, 31))


def make_plan(items, *, title=TITLE, targets=(), kind="plan", period=PERIOD):
    return ParsedPlan(
        source={"name": "plan.txt", "format": "txt", "encoding": "utf-8"},
        kind=kind,
        title=title,
        issuer=BUREAU,
        period_start=period[0],
        period_end=period[1],
        items=list(items),
        targets=list(targets),
    )


def count_rows(session) -> dict[str, int]:
    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in Base.metadata.sorted_tables
    }


def unit_names(session, item_id: int) -> list[str]:
    return list(
        session.scalars(
            select(Organisation.name)
            .join(ItemUnit, ItemUnit.org_id == Organisation.id)
            .where(ItemUnit.item_id == item_id)
            .order_by(ItemUnit.position)
        )
    )


def live_items(session, plan_id: int) -> list[Item]:
    return list(
        session.scalars(
            select(Item).where(Item.plan_id == plan_id, Item.removed_in.is_(None)).order_by(Item.seq)
        )
    )


def item_by_title(session, title: str) -> Item:
    return session.scalars(select(Item).where(Item.title == title)).one()


# ---------------------------------------------------------------- a new plan


def test_a_new_plan_stores_its_items_units_and_targets(sessions):
    plan = make_plan(
        [
            make_item("召开全县教育工作会议", D(2024, 3, 1), D(2024, 3, 1), ["办公室"], line=3),
            make_item(
                "教学视导",
                D(2024, 3, 11),
                D(2024, 3, 15),
                ["基教股", "城关中学", "各学校"],
                text="教学视导：重点检查课堂教学",
                section="三月",
                line=4,
            ),
        ],
        targets=[
            PlanTarget("学前三年毛入园率", "学前三年毛入园率达到88.4%", ">=", 88.4, "%", D(2024, 12, 31), 9)
        ],
    )
    with sessions.begin() as session:
        result = import_plan(session, plan, b"plan v1", bureau=BUREAU)
    assert (result.status, result.version, result.items, result.targets) == ("created", 1, 2, 1)
    assert result.bureau == BUREAU
    assert result.new_units == ["办公室", "基教股", "城关中学", "各学校"]

    with sessions() as session:
        stored = session.get(Plan, result.plan_id)
        assert (stored.title, stored.kind, stored.issuer, stored.current_version) == (
            TITLE,
            "plan",
            BUREAU,
            1,
        )
        assert (stored.period_start, stored.period_end) == (D(2024, 2, 1), D(2024, 7, 31))
        first, second = live_items(session, stored.id)
        assert (first.title, first.text, first.start, first.end, first.line) == (
            "召开全县教育工作会议",
            "召开全县教育工作会议",
            D(2024, 3, 1),
            D(2024, 3, 1),
            3,
        )
        assert (second.text, second.norm_text, second.section) == (
            "教学视导：重点检查课堂教学",
            "教学视导:重点检查课堂教学",  # NFKC folds the full-width colon
            "三月",
        )
        for item in (first, second):
            assert (item.status, item.added_in, item.removed_in, item.revision) == ("open", 1, None, 1)
            assert len(item.uid) == 32 and int(item.uid, 16) >= 0
        assert first.uid != second.uid
        assert unit_names(session, first.id) == ["办公室"]
        assert unit_names(session, second.id) == ["基教股", "城关中学", "各学校"]  # lead first
        positions = session.scalars(
            select(ItemUnit.position).where(ItemUnit.item_id == second.id).order_by(ItemUnit.position)
        ).all()
        assert positions == [0, 1, 2]
        target = session.scalars(select(Target).where(Target.plan_id == stored.id)).one()
        assert (target.indicator, target.op, target.value, target.unit, target.deadline, target.line) == (
            "学前三年毛入园率",
            ">=",
            88.4,
            "%",
            D(2024, 12, 31),
            9,
        )
        assert (target.added_in, target.removed_in) == (1, None)


def test_a_unit_named_twice_in_one_item_is_linked_once(sessions):
    # 师训股 and 師訓股 are one name once normalised (traditional script, spaces).
    plan = make_plan([make_item("教师培训", D(2024, 3, 4), D(2024, 3, 8), ["师训股", "師訓股", " 师训股 "])])
    with sessions.begin() as session:
        result = import_plan(session, plan, b"x", bureau=BUREAU)
        item = live_items(session, result.plan_id)[0]
        assert unit_names(session, item.id) == ["师训股"]
        assert result.new_units == ["师训股"]


def test_source_bytes_are_stored_byte_for_byte_with_their_sha256(sessions):
    text = (
        "某某县教育局2024—2025学年度第一学期工作行事历\n"
        "周次\t起止日期\t工作内容\t责任单位\n"
        "9.2\n|\n9.8\n△秋季开学工作检查\n督导室\n"
        "9.9\n|\n9.15\n△庆祝教师节系列活动\n工会\n"
    )
    data = text.encode("gbk")  # not UTF-8: the bytes as the bureau published them
    with sessions.begin() as session:
        result = read_and_import(session, data, "行事历.txt", bureau=BUREAU)
    with sessions() as session:
        version = session.scalars(select(PlanVersion).where(PlanVersion.plan_id == result.plan_id)).one()
        assert version.content == data
        assert version.sha256 == hashlib.sha256(data).hexdigest()
        assert (version.number, version.source_name, version.format) == (1, "行事历.txt", "txt")
        assert version.imported_by == "命令行"
        assert version.changes == {"items": 2, "targets": 0}


def test_importing_the_same_bytes_twice_changes_nothing(sessions):
    plan = make_plan([make_item("召开全县教育工作会议", D(2024, 3, 1), D(2024, 3, 1), ["办公室"])])
    with sessions.begin() as session:
        first = import_plan(session, plan, b"the same file", bureau=BUREAU)
    with sessions() as session:
        before = count_rows(session)
    with sessions.begin() as session:
        again = import_plan(session, plan, b"the same file", bureau=BUREAU)
    with sessions() as session:
        assert count_rows(session) == before
    assert (again.status, again.plan_id, again.version, again.items) == ("unchanged", first.plan_id, 1, 1)
    assert "同一文件" in again.summary()


def test_the_same_bytes_for_another_bureau_are_a_new_plan(sessions):
    plan = make_plan([make_item("召开全县教育工作会议", D(2024, 3, 1), D(2024, 3, 1), ["基教股"])])
    with sessions.begin() as session:
        first = import_plan(session, plan, b"shared file", bureau="甲县教育局")
        second = import_plan(session, plan, b"shared file", bureau="乙县教育局")
    assert (first.status, second.status) == ("created", "created")
    assert first.plan_id != second.plan_id
    with sessions() as session:
        offices = session.execute(
            select(Organisation.id, Organisation.bureau_id).where(Organisation.name == "基教股")
        ).all()
        assert len(offices) == 2 and len({bureau for _, bureau in offices}) == 2
        for result in (first, second):
            plan_row = session.get(Plan, result.plan_id)
            item = live_items(session, plan_row.id)[0]
            link = session.scalars(select(ItemUnit).where(ItemUnit.item_id == item.id)).one()
            assert session.get(Organisation, link.org_id).bureau_id == plan_row.bureau_id


def test_an_empty_file_is_refused_in_chinese(sessions):
    with sessions.begin() as session, pytest.raises(EduplanError, match="空文件"):
        read_and_import(session, b"", "空.txt", bureau=BUREAU)


# ---------------------------------------------------------------- a revised version

V1 = [
    make_item("召开全县教育工作会议", D(2024, 3, 1), D(2024, 3, 1), ["办公室"], line=1),
    make_item(
        "教学视导",
        D(2024, 3, 11),
        D(2024, 3, 15),
        ["教研室", "各学校"],
        text="开展中小学教学视导，重点检查课堂教学",
        line=2,
    ),
    make_item(
        "春季运动会", D(2024, 3, 20), D(2024, 3, 22), ["体卫艺股"], text="组织全县中小学生春季运动会", line=3
    ),
    make_item(
        "校舍安全排查", D(2024, 3, 25), D(2024, 3, 25), ["校安股"], text="开展校舍安全隐患排查", line=4
    ),
    make_item(
        "学前教育宣传月", D(2024, 4, 1), D(2024, 4, 30), ["基教股"], text="开展学前教育宣传月活动", line=5
    ),
]
V2 = [
    V1[0],  # unchanged
    make_item(  # text revised, same span
        "教学视导",
        D(2024, 3, 11),
        D(2024, 3, 15),
        ["教研室", "各学校"],
        text="开展中小学教学视导，重点检查课堂教学和作业管理",
        line=2,
    ),
    make_item(  # moved to another span
        "春季运动会", D(2024, 4, 10), D(2024, 4, 12), ["体卫艺股"], text="组织全县中小学生春季运动会", line=3
    ),
    # 校舍安全排查 removed
    make_item(  # another unit
        "学前教育宣传月", D(2024, 4, 1), D(2024, 4, 30), ["学前教育股"], text="开展学前教育宣传月活动", line=4
    ),
    make_item(
        "教师资格认定", D(2024, 4, 15), D(2024, 4, 20), ["人事股"], text="做好教师资格认定工作", line=5
    ),
]
AT = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def revised(sessions):
    """V1 imported, progress recorded on two items, then V2 imported: (ids before, result)."""
    with sessions.begin() as session:
        first = import_plan(session, make_plan(V1), b"version 1", bureau=BUREAU)
        ids = {item.title: item.id for item in live_items(session, first.plan_id)}
        for title in ("召开全县教育工作会议", "教学视导"):
            item = session.get(Item, ids[title])
            item.status = "in_progress"
            session.add(
                ProgressReport(
                    item_id=item.id, author="张三", text=f"{title}已启动", percent=40, created_at=AT
                )
            )
    with sessions() as session:
        audit_before = session.execute(select(func.max(AuditEntry.id))).scalar_one()
    with sessions.begin() as session:
        result = import_plan(session, make_plan(V2), b"version 2", bureau=BUREAU)
    return ids, audit_before, result


def test_a_revision_lists_what_was_added_removed_and_changed(revised):
    _, _, result = revised
    assert (result.status, result.version, result.items) == ("revised", 2, 5)
    assert result.added == ["教师资格认定"]
    assert result.removed == ["校舍安全排查"]
    assert sorted(result.changed) == sorted(["教学视导", "春季运动会", "学前教育宣传月"])
    assert sorted(result.new_units) == sorted(["学前教育股", "人事股"])
    assert "新增 1、删除 1、修改 3" in result.summary()


def test_a_revision_is_stored_as_version_2(revised, sessions):
    ids, _, result = revised
    with sessions() as session:
        plan = session.get(Plan, result.plan_id)
        assert plan.current_version == 2
        versions = session.scalars(
            select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number)
        ).all()
        assert [(v.number, v.content) for v in versions] == [(1, b"version 1"), (2, b"version 2")]
        assert versions[1].changes == {
            "added": 1,
            "removed": 1,
            "changed": 3,
            "targets_added": 0,
            "targets_removed": 0,
            "targets_changed": 0,
        }
        live = live_items(session, plan.id)
        assert [i.title for i in live] == [
            "召开全县教育工作会议",
            "教学视导",
            "春季运动会",
            "学前教育宣传月",
            "教师资格认定",
        ]
        removed = session.get(Item, ids["校舍安全排查"])
        assert (removed.removed_in, removed.added_in) == (2, 1)
        added = item_by_title(session, "教师资格认定")
        assert (added.added_in, added.removed_in, added.revision) == (2, None, 1)
        assert added.id not in ids.values()


def test_unchanged_and_changed_items_keep_their_rows_status_and_progress(revised, sessions):
    ids, _, _ = revised
    with sessions() as session:
        unchanged = item_by_title(session, "召开全县教育工作会议")
        assert unchanged.id == ids["召开全县教育工作会议"]
        assert (unchanged.status, unchanged.revision) == ("in_progress", 1)

        revised_text = item_by_title(session, "教学视导")
        assert revised_text.id == ids["教学视导"]
        assert revised_text.text == "开展中小学教学视导，重点检查课堂教学和作业管理"
        assert (revised_text.status, revised_text.revision) == ("in_progress", 2)

        moved = item_by_title(session, "春季运动会")
        assert moved.id == ids["春季运动会"]
        assert (moved.start, moved.end, moved.revision) == (D(2024, 4, 10), D(2024, 4, 12), 2)

        new_unit = item_by_title(session, "学前教育宣传月")
        assert new_unit.id == ids["学前教育宣传月"]
        assert unit_names(session, new_unit.id) == ["学前教育股"]
        assert new_unit.revision == 2

        reports = session.execute(select(ProgressReport.item_id, ProgressReport.text)).all()
        assert sorted(reports) == sorted(
            [(ids["召开全县教育工作会议"], "召开全县教育工作会议已启动"), (ids["教学视导"], "教学视导已启动")]
        )


def test_a_revision_is_in_the_audit_log_with_before_and_after(revised, sessions):
    ids, audit_before, result = revised
    with sessions() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.id > audit_before).order_by(AuditEntry.id)
        ).all()
    by_key = {(e.action, e.entity, e.entity_id): e for e in entries}

    text = by_key[("revise", "item", ids["教学视导"])]
    assert text.before["text"] == "开展中小学教学视导，重点检查课堂教学"
    assert text.after["text"] == "开展中小学教学视导，重点检查课堂教学和作业管理"
    assert text.after["version"] == 2

    moved = by_key[("revise", "item", ids["春季运动会"])]
    assert (moved.before["start"], moved.before["end"]) == ("2024-03-20", "2024-03-22")
    assert (moved.after["start"], moved.after["end"]) == ("2024-04-10", "2024-04-12")

    unit = by_key[("revise", "item", ids["学前教育宣传月"])]
    assert (unit.before["units"], unit.after["units"]) == (["基教股"], ["学前教育股"])

    removed = by_key[("remove", "item", ids["校舍安全排查"])]
    assert removed.before == {"title": "校舍安全排查", "text": "开展校舍安全隐患排查"}
    assert removed.after == {"version": 2}

    added = [e for e in entries if (e.action, e.entity) == ("add", "item")]
    assert len(added) == 1 and added[0].after == {"title": "教师资格认定", "version": 2}

    plan = by_key[("import", "plan", result.plan_id)]
    assert (plan.before["version"], plan.after["version"]) == (1, 2)
    assert (plan.after["added"], plan.after["removed"], plan.after["changed"]) == (1, 1, 3)
    # Nothing was recorded for the unchanged item.
    assert not [e for e in entries if e.entity == "item" and e.entity_id == ids["召开全县教育工作会议"]]
    assert all(e.actor == "命令行" for e in entries)


def test_an_audit_entry_without_a_before_record_stores_null_on_every_database(sessions):
    # A creation has nothing before it: the column is SQL NULL, so `before IS NULL` finds it on
    # SQLite as on PostgreSQL (not a JSON 'null' document on one of them).
    plan = make_plan([make_item("召开全县教育工作会议", D(2024, 3, 1), D(2024, 3, 1), ["办公室"])])
    with sessions.begin() as session:
        import_plan(session, plan, b"audit", bureau=BUREAU)
    with sessions() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [(e.action, e.entity) for e in entries] == [
            ("create", "organisation"),  # the bureau
            ("create", "organisation"),  # 办公室
            ("import", "plan"),
        ]
        assert all(e.before is None for e in entries)
        null_before = session.scalars(select(AuditEntry.id).where(AuditEntry.before.is_(None))).all()
        assert sorted(null_before) == [e.id for e in entries]


def test_a_revision_that_reorders_or_adds_units_relinks_them(sessions):
    # The same (item, unit) pairs come back in another order: links are replaced, not duplicated.
    def plan(first_units, second_units):
        return make_plan(
            [
                make_item("教学视导", D(2024, 3, 11), D(2024, 3, 15), first_units),
                make_item("学籍管理", D(2024, 3, 18), D(2024, 3, 22), second_units),
            ]
        )

    with sessions.begin() as session:
        first = import_plan(session, plan(["基教股", "教研室"], ["基教股"]), b"u1", bureau=BUREAU)
    with sessions.begin() as session:
        second = import_plan(session, plan(["教研室", "基教股"], ["基教股", "教研室"]), b"u2", bureau=BUREAU)
    assert (second.status, sorted(second.changed), second.new_units) == (
        "revised",
        ["学籍管理", "教学视导"],
        [],
    )
    with sessions() as session:
        items = {i.title: i.id for i in live_items(session, first.plan_id)}
        assert unit_names(session, items["教学视导"]) == ["教研室", "基教股"]
        assert unit_names(session, items["学籍管理"]) == ["基教股", "教研室"]
        assert session.scalars(select(func.count()).select_from(ItemUnit)).one() == 4


def test_a_revised_target_keeps_its_row(sessions):
    items = [make_item("召开全县教育工作会议", D(2024, 3, 1), D(2024, 3, 1), ["办公室"])]
    rate = PlanTarget("学前三年毛入园率", "学前三年毛入园率达到88.4%", ">=", 88.4, "%")
    dropped = PlanTarget("义务教育巩固率", "义务教育巩固率保持在99%", ">=", 99.0, "%")
    higher = PlanTarget("学前三年毛入园率", "学前三年毛入园率达到90%", ">=", 90.0, "%")
    with sessions.begin() as session:
        import_plan(session, make_plan(items, targets=[rate, dropped]), b"t1", bureau=BUREAU)
        ids = dict(session.execute(select(Target.indicator, Target.id)).all())
    with sessions.begin() as session:
        result = import_plan(session, make_plan(items, targets=[higher]), b"t2", bureau=BUREAU)
    assert (result.status, result.version, result.targets) == ("revised", 2, 1)
    with sessions() as session:
        kept = session.get(Target, ids["学前三年毛入园率"])
        assert (kept.value, kept.text, kept.removed_in) == (90.0, "学前三年毛入园率达到90%", None)
        assert session.get(Target, ids["义务教育巩固率"]).removed_in == 2
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "target", AuditEntry.action == "revise")
        ).one()
        assert (entry.entity_id, entry.before["value"], entry.after["value"]) == (kept.id, 88.4, 90.0)


def test_the_same_content_in_other_bytes_adds_no_version(sessions):
    plan = make_plan(
        V1,
        targets=[
            PlanTarget("学前三年毛入园率", "学前三年毛入园率达到88.4%", ">=", 88.4, "%", D(2024, 12, 31))
        ],
    )
    with sessions.begin() as session:
        first = import_plan(session, plan, b"the original document", bureau=BUREAU)
    with sessions() as session:
        exported = plan_contract(session, Selection(plan_id=first.plan_id))
        data = json.dumps(exported.to_json(), ensure_ascii=False).encode("utf-8")
        before = count_rows(session)
    with sessions.begin() as session:
        again = read_and_import(session, data, "导出.json", bureau=BUREAU)
    assert (again.status, again.plan_id, again.version) == ("same_content", first.plan_id, 1)
    assert "未建新版本" in again.summary()
    with sessions() as session:
        assert count_rows(session) == before


def test_an_item_without_an_end_date_survives_an_export_and_re_import_unchanged(sessions):
    # The plan contract allows "end": null (a day given without a span); exporting the ledger and
    # importing the export back must not make that item look revised.
    plan = make_plan(
        [
            make_item("召开全县教育工作会议", D(2024, 3, 1), None, ["办公室"]),
            make_item("教学视导", D(2024, 3, 11), D(2024, 3, 15), ["教研室"]),
        ]
    )
    with sessions.begin() as session:
        first = import_plan(session, plan, b"open ended", bureau=BUREAU)
    with sessions() as session:
        data = json.dumps(plan_contract(session, Selection(plan_id=first.plan_id)).to_json()).encode()
    with sessions.begin() as session:
        again = read_and_import(session, data, "导出.json", bureau=BUREAU)
    assert (again.status, again.changed) == ("same_content", [])


def test_a_plan_json_with_a_nul_character_imports_alike_on_every_database(sessions):
    # PostgreSQL text cannot hold U+0000; SQLite can. A plan JSON carrying one must not become a
    # database error on one of them: the character is dropped, or the file refused in Chinese.
    contract = {
        "schema": "eduplan.plan/1",
        "source": {"name": "外部系统.json"},
        "kind": "plan",
        "title": "甲县教育局\u0000工作安排",
        "items": [
            {
                "title": "教学\u0000视导",
                "text": "开展\u0000教学视导",
                "start": "2024-03-11",
                "end": "2024-03-15",
                "departments": ["教研\u0000室"],
            }
        ],
    }
    data = json.dumps(contract).encode()
    try:
        with sessions.begin() as session:
            result = read_and_import(session, data, "外部系统.json", bureau=BUREAU)
    except EduplanError:
        return  # refused with a message a person can read: acceptable
    with sessions() as session:
        item = live_items(session, result.plan_id)[0]
        assert (item.title, item.text) == ("教学视导", "开展教学视导")
        assert unit_names(session, item.id) == ["教研室"]


# ---------------------------------------------------------------- units


def test_unknown_units_are_created_for_review_with_their_kind_guessed(sessions):
    expected = {
        "基教股": "office",
        "城关中学": "school",
        "各学校": "group",
        "城关镇中心幼儿园": "school",
        "教师进修学校": "office",
        "全县中小学": "group",
    }
    plan = make_plan([make_item("开学工作检查", D(2024, 3, 1), D(2024, 3, 8), list(expected))])
    with sessions.begin() as session:
        result = import_plan(session, plan, b"units", bureau=BUREAU)
    assert result.new_units == list(expected)
    with sessions() as session:
        bureau = session.scalars(select(Organisation).where(Organisation.kind == "bureau")).one()
        assert (bureau.name, bureau.bureau_id) == (BUREAU, None)
        units = session.scalars(select(Organisation).where(Organisation.kind != "bureau")).all()
        assert {u.name: u.kind for u in units} == expected
        for unit in units:
            assert unit.needs_review is True
            assert (unit.bureau_id, unit.parent_id, unit.merged_into_id) == (bureau.id, bureau.id, None)
        created = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "create", AuditEntry.entity == "organisation")
        ).all()
        by_id = {e.entity_id: e.after for e in created}
        for unit in units:
            assert by_id[unit.id] == {"name": unit.name, "kind": unit.kind, "needs_review": True}
        assert by_id[bureau.id] == {"name": BUREAU, "kind": "bureau"}


def test_a_known_unit_is_not_created_again(sessions):
    first = make_plan([make_item("开学工作检查", D(2024, 3, 1), D(2024, 3, 8), ["基教股"])], title="计划一")
    second = make_plan([make_item("教学视导", D(2024, 3, 11), D(2024, 3, 15), ["基教股"])], title="计划二")
    with sessions.begin() as session:
        import_plan(session, first, b"1", bureau=BUREAU)
        result = import_plan(session, second, b"2", bureau=BUREAU)
    assert (result.status, result.new_units) == ("created", [])
    with sessions() as session:
        assert session.scalars(select(func.count()).where(Organisation.name == "基教股")).one() == 1


@pytest.fixture
def merged(sessions):
    """Items naming 基础教育股, both names, and 基教股; then 基础教育股 merged into 基教股."""
    plan = make_plan(
        [
            make_item("教学视导", D(2024, 3, 11), D(2024, 3, 15), ["基础教育股", "教研室"]),
            make_item("开学工作检查", D(2024, 3, 1), D(2024, 3, 8), ["基教股", "基础教育股"]),
            make_item("学籍管理", D(2024, 3, 18), D(2024, 3, 22), ["基教股"]),
        ]
    )
    with sessions.begin() as session:
        first = import_plan(session, plan, b"before merge", bureau=BUREAU)
        orgs = dict(session.execute(select(Organisation.name, Organisation.id)).all())
    with sessions.begin() as session:
        bureau = session.get(Organisation, orgs[BUREAU])
        target = merge(session, bureau, "基础教育股", "基教股", "管理员")
        assert target.id == orgs["基教股"]
    return first, orgs


def test_merging_a_unit_moves_its_item_links(merged, sessions):
    first, orgs = merged
    with sessions() as session:
        titles = {i.title: i.id for i in live_items(session, first.plan_id)}
        assert unit_names(session, titles["教学视导"]) == ["基教股", "教研室"]
        assert unit_names(session, titles["开学工作检查"]) == ["基教股"]  # one link, not two
        assert unit_names(session, titles["学籍管理"]) == ["基教股"]
        assert session.scalars(select(ItemUnit).where(ItemUnit.org_id == orgs["基础教育股"])).all() == []
        source = session.get(Organisation, orgs["基础教育股"])
        target = session.get(Organisation, orgs["基教股"])
        assert source.merged_into_id == target.id
        assert target.needs_review is False
        alias = session.scalars(select(OrgAlias)).one()
        assert (alias.org_id, alias.norm, alias.bureau_id) == (target.id, "基础教育股", orgs[BUREAU])
        assert [u.id for u in find_units(session, "基础教育股")] == [target.id]


def test_a_merge_keeps_the_lead_unit_first(sessions):
    # 基础教育股 leads this item and 基教股 is named last: once they are one unit, it still leads
    # (the lead unit is the hosting office that exports and views show).
    plan = make_plan(
        [make_item("课程改革推进", D(2024, 3, 4), D(2024, 3, 29), ["基础教育股", "教研室", "基教股"])]
    )
    with sessions.begin() as session:
        result = import_plan(session, plan, b"lead", bureau=BUREAU)
        bureau = session.scalars(select(Organisation).where(Organisation.kind == "bureau")).one()
        merge(session, bureau, "基础教育股", "基教股", "管理员")
    with sessions() as session:
        item = live_items(session, result.plan_id)[0]
        assert unit_names(session, item.id) == ["基教股", "教研室"]


def test_a_merge_is_in_the_audit_log(merged, sessions):
    _, orgs = merged
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
    assert (entry.actor, entry.entity, entry.entity_id) == ("管理员", "organisation", orgs["基础教育股"])
    assert entry.before == {"name": "基础教育股", "merged_into": None}
    assert entry.after == {"name": "基础教育股", "merged_into": "基教股", "items_moved": 1}


def test_after_a_merge_imports_resolve_the_old_name_to_the_kept_unit(merged, sessions):
    _, orgs = merged
    later = make_plan(
        [make_item("课后服务检查", D(2024, 4, 8), D(2024, 4, 12), ["基础教育股"])],
        title="甲县教育局四月工作安排",
    )
    with sessions.begin() as session:
        result = import_plan(session, later, b"after merge", bureau=BUREAU)
    assert result.new_units == []
    with sessions() as session:
        item = live_items(session, result.plan_id)[0]
        link = session.scalars(select(ItemUnit).where(ItemUnit.item_id == item.id)).one()
        assert link.org_id == orgs["基教股"]


MERGE_ERRORS = [  # alias, kept name, message
    ("基础教育股", "不存在股", f"{BUREAU} 没有名为“不存在股”的单位"),
    ("不存在股", "基教股", f"{BUREAU} 没有名为“不存在股”的单位"),
    ("基础教育股", "基教股", "“基础教育股”已经是“基教股”的别名"),  # merged already by the fixture
]


def test_a_merge_that_cannot_be_done_is_refused_in_chinese(merged, sessions):
    _, orgs = merged
    for alias, into, message in MERGE_ERRORS:
        with sessions.begin() as session, pytest.raises(EduplanError) as caught:
            merge(session, session.get(Organisation, orgs[BUREAU]), alias, into, "管理员")
        assert str(caught.value) == message


# ---------------------------------------------------------------- terms from week calendars

WEEK_CALENDAR = (
    "某某县教育局2024—2025学年度第一学期工作行事历\n"
    "周次\t起止日期\t工作内容\t责任单位\n"
    "9.2\n|\n9.8\n△秋季开学工作检查\n督导室\n"
    "9.9\n|\n9.15\n△庆祝教师节系列活动\n工会\n"
    "9.16\n|\n9.22\n△中小学教学视导\n基教股\n"
)


def test_a_week_calendar_creates_its_term_and_weeks(sessions):
    with sessions.begin() as session:
        result = read_and_import(session, WEEK_CALENDAR.encode(), "行事历.txt", bureau=BUREAU)
    assert (result.status, result.items) == ("created", 3)
    with sessions() as session:
        term = session.scalars(select(Term)).one()
        assert session.get(Plan, result.plan_id).term_id == term.id
        assert (term.name, term.number, term.prep_week) == ("2024—2025学年度第一学期", 1, False)
        assert (term.start, term.end, term.week1_start) == (D(2024, 9, 2), D(2024, 9, 22), D(2024, 9, 2))
        assert [(w.number, w.start, w.end) for w in term.weeks] == [
            (1, D(2024, 9, 2), D(2024, 9, 8)),
            (2, D(2024, 9, 9), D(2024, 9, 15)),
            (3, D(2024, 9, 16), D(2024, 9, 22)),
        ]
        year = session.get(AcademicYear, term.year_id)
        assert (year.name, year.start, year.end) == ("2024—2025学年", D(2024, 8, 1), D(2025, 7, 31))


def test_a_table_week_calendar_with_a_week_column_creates_its_term(sessions):
    # The 周次 column names each week; the ledger needs the week numbers to infer the term.
    text = (
        "某某县教育局2024—2025学年度第一学期工作行事历\n"
        "周次\t起止日期\t工作内容\t责任单位\n"
        "第一周\t9.2-9.8\t秋季开学工作检查\t督导室\n"
        "第二周\t9.9-9.15\t庆祝教师节系列活动\t工会\n"
    )
    with sessions.begin() as session:
        result = read_and_import(session, text.encode(), "行事历.txt", bureau=BUREAU)
    with sessions() as session:
        term_id = session.get(Plan, result.plan_id).term_id
        assert term_id is not None
        term = session.get(Term, term_id)
        assert (term.week1_start, [w.number for w in term.weeks]) == (D(2024, 9, 2), [1, 2])


def test_a_spring_calendar_with_a_preparation_week(sessions):
    plan = make_plan(
        [
            make_item("新学期开学准备", D(2025, 2, 10), D(2025, 2, 16), ["基教股"], section="预备周"),
            make_item("开学工作检查", D(2025, 2, 17), D(2025, 2, 21), ["督导室"], section="第1周"),
            make_item("教学常规检查", D(2025, 2, 24), D(2025, 2, 28), ["教研室"], section="第二周"),
        ],
        title="乙县教育局2024—2025学年度第二学期工作行事历",
        kind="calendar",
        period=(None, None),
    )
    with sessions.begin() as session:
        result = import_plan(session, plan, b"spring", bureau="乙县教育局")
    with sessions() as session:
        term = session.get(Term, session.get(Plan, result.plan_id).term_id)
        assert (term.name, term.number, term.prep_week) == ("2024—2025学年度第二学期", 2, True)
        assert (term.start, term.end, term.week1_start) == (D(2025, 2, 10), D(2025, 3, 2), D(2025, 2, 17))
        assert [(w.number, w.start, w.end) for w in term.weeks] == [
            (0, D(2025, 2, 10), D(2025, 2, 16)),
            (1, D(2025, 2, 17), D(2025, 2, 23)),
            (2, D(2025, 2, 24), D(2025, 3, 2)),
        ]
        assert session.get(AcademicYear, term.year_id).start == D(2024, 8, 1)


def test_a_revised_calendar_keeps_its_term(sessions):
    revised = WEEK_CALENDAR.replace("中小学教学视导", "中小学教学视导及作业检查")
    with sessions.begin() as session:
        first = read_and_import(session, WEEK_CALENDAR.encode(), "行事历.txt", bureau=BUREAU)
        second = read_and_import(session, revised.encode(), "行事历（修订）.txt", bureau=BUREAU)
    assert (second.status, second.plan_id, second.version) == ("revised", first.plan_id, 2)
    with sessions() as session:
        term = session.scalars(select(Term)).one()  # the same term, not a second one
        assert session.get(Plan, first.plan_id).term_id == term.id
        assert session.scalars(select(func.count()).select_from(AcademicYear)).one() == 1


def test_a_plan_that_is_not_a_calendar_has_no_term(sessions):
    plan = make_plan(
        [
            make_item("开学工作检查", D(2024, 9, 2), D(2024, 9, 8), ["督导室"], section="第1周"),
            make_item("教学视导", D(2024, 9, 9), D(2024, 9, 15), ["教研室"], section="第2周"),
        ]
    )
    with sessions.begin() as session:
        result = import_plan(session, plan, b"plan", bureau=BUREAU)
    with sessions() as session:
        assert session.get(Plan, result.plan_id).term_id is None
        assert session.scalars(select(Term)).all() == []
