"""Migrations keep the data: down to the first schema and up again, with a plan, its versions,
items, units and audit entries in the database (SQLite rebuilds tables to alter them; with
foreign keys on, that once cascade-deleted every version and item); and every migration, one at
a time up and down, with a row in every table present at that revision."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import MetaData, func, insert, select

from eduplan.ledger import migrate
from eduplan.ledger.db import make_engine, sessions
from eduplan.ledger.importer import read_and_import
from eduplan.ledger.models import AuditEntry, Base, Item, ItemUnit, Organisation, Plan, PlanVersion
from eduplan.ledger.search import is_search_table, search_item_ids

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


# ---------------------------------------------------------------- every table, every step
#
# Rows go in at each revision (only the columns that revision has), the schema goes up one
# migration at a time, then down to the first and up again; after every step each table that
# exists holds exactly the rows expected of it: what was stored, minus the columns and tables a
# downgrade removed, a column added later carrying its default.

AT = datetime(2024, 9, 3, 8, 30, tzinfo=UTC)
V1_TABLES = {
    "organisations",
    "organisation_aliases",
    "academic_years",
    "terms",
    "term_weeks",
    "holiday_overrides",
    "plans",
    "plan_versions",
    "items",
    "item_units",
    "targets",
    "progress_reports",
    "audit_log",
}
V2_TABLES = V1_TABLES | {"users", "api_tokens", "feed_tokens", "attachments", "drafts", "app_settings"}
V3_TABLES = V2_TABLES | {
    "supervisions",
    "target_actuals",
    "notification_settings",
    "notifications",
    "deliveries",
    "login_failures",
}
V4_TABLES = V3_TABLES | {"web_sessions"}
V7_TABLES = V4_TABLES | {"import_corrections", "learned_hints"}
V8_TABLES = V7_TABLES | {"group_members", "assignments", "closing_requests"}
V9_TABLES = V8_TABLES | {"jobs"}
V10_TABLES = V9_TABLES | {"target_actual_files"}
TABLES_AT = {
    "0001": V1_TABLES,
    "0002": V2_TABLES,
    "0003": V3_TABLES,
    "0004": V4_TABLES,
    "0005": V4_TABLES,
    "0006": V4_TABLES,
    "0007": V7_TABLES,
    "0008": V8_TABLES,
    "0009": V9_TABLES,
    "0010": V10_TABLES,
    "0011": V10_TABLES,
}
"""The ledger's tables at each revision (0005 adds only the search index, checked apart; 0006
only indexes, checked by tests/ledger/test_migrations.py; 0011 only the search index's deferral
table, which holds no committed row)."""
REVISIONS = tuple(TABLES_AT)
NEWEST_TABLES = TABLES_AT[REVISIONS[-1]]
ADDED_COLUMNS = {
    "0002": {("plans", "public"): False},
    "0003": {
        ("items", "closed_at"): None,
        ("items", "closed_by"): None,
        ("progress_reports", "kind"): "progress",
        ("drafts", "origin"): "upload",
    },
    "0007": {("organisations", "import_rights"): False},
    "0008": {
        ("organisations", "school_type"): None,
        ("organisations", "group_key"): None,
        ("targets", "lead_org_id"): None,
    },
}
"""Columns a migration adds to an existing table, with the value existing rows get."""


def _item(item_id: int, **extra) -> dict:
    return {
        "id": item_id,
        "plan_id": 1,
        "uid": f"uid-{item_id}",
        "seq": item_id,
        "title": f"事项{item_id}",
        "text": f"事项{item_id}：开学工作检查",
        "norm_text": f"事项{item_id}开学工作检查",
        "start": date(2024, 9, 2),
        "end": date(2024, 9, 8),
        "section": "九月",
        "line": 3,
        "confidence": 0.75,
        "status": "in_progress",
        "added_in": 1,
        "removed_in": None,
        "revision": 2,
        "created_at": AT,
        "updated_at": AT,
        **extra,
    }


def _plan(plan_id: int, key: str, **extra) -> dict:
    return {
        "id": plan_id,
        "bureau_id": 1,
        "key": key,
        "title": f"某县教育局{key}",
        "kind": "calendar",
        "issuer": "某县教育局",
        "period_start": date(2024, 9, 1),
        "period_end": date(2025, 1, 31),
        "term_id": 1,
        "current_version": 1,
        "created_at": AT,
        "updated_at": AT,
        **extra,
    }


def _report(report_id: int, item_id: int, **extra) -> dict:
    return {
        "id": report_id,
        "item_id": item_id,
        "org_id": 2,
        "author": "基教股",
        "text": "已检查",
        "percent": 50,
        "created_at": AT,
        **extra,
    }


def _draft(draft_id: int, **extra) -> dict:
    return {
        "id": draft_id,
        "user_id": 1,
        "bureau_id": 1,
        "source_name": "草稿.txt",
        "content": b"\x00draft\xff",
        "lines": ["第一行", "第二行"],
        "plan": {"title": "草稿", "items": []},
        "created_at": AT,
        "published_plan_id": None,
        **extra,
    }


ROWS_AT = {
    "0001": {
        "organisations": [
            {
                "id": 1,
                "bureau_id": None,
                "parent_id": None,
                "kind": "bureau",
                "name": "某县教育局",
                "norm": "某县教育局",
                "needs_review": False,
                "merged_into_id": None,
                "created_at": AT,
            },
            {
                "id": 2,
                "bureau_id": 1,
                "parent_id": 1,
                "kind": "office",
                "name": "基教股",
                "norm": "基教股",
                "needs_review": True,
                "merged_into_id": None,
                "created_at": AT,
            },
        ],
        "organisation_aliases": [{"id": 1, "bureau_id": 1, "org_id": 2, "norm": "基础教育股"}],
        "academic_years": [
            {
                "id": 1,
                "bureau_id": 1,
                "name": "2024-2025学年",
                "start": date(2024, 9, 1),
                "end": date(2025, 8, 31),
            }
        ],
        "terms": [
            {
                "id": 1,
                "bureau_id": 1,
                "year_id": 1,
                "number": 1,
                "name": "第一学期",
                "start": date(2024, 8, 26),
                "end": date(2025, 1, 17),
                "week1_start": date(2024, 9, 2),
                "prep_week": True,
            }
        ],
        "term_weeks": [
            {"id": 1, "term_id": 1, "number": 0, "start": date(2024, 8, 26), "end": date(2024, 9, 1)}
        ],
        "holiday_overrides": [{"day": date(2030, 10, 1), "off": True, "name": "国庆节"}],
        "plans": [_plan(1, "行事历")],
        "plan_versions": [
            {
                "id": 1,
                "plan_id": 1,
                "number": 1,
                "source_name": "行事历.txt",
                "sha256": "0" * 64,
                "format": "txt",
                "encoding": "gb18030",
                "content": "原文".encode("gb18030") + b"\x00\xff",
                "warnings": ["第3行的日期不确定"],
                "changes": {"items": 2},
                "imported_at": AT,
                "imported_by": "命令行",
            }
        ],
        "items": [_item(1)],
        "item_units": [{"item_id": 1, "org_id": 2, "position": 0}],
        "targets": [
            {
                "id": 1,
                "plan_id": 1,
                "seq": 0,
                "indicator": "毛入园率",
                "norm": "毛入园率",
                "text": "学前三年毛入园率达到88.4%",
                "op": ">=",
                "value": 88.4,
                "unit": "%",
                "deadline": date(2024, 12, 31),
                "line": 5,
                "added_in": 1,
                "removed_in": None,
            }
        ],
        "progress_reports": [_report(1, 1)],
        "audit_log": [
            {
                "id": 1,
                "at": AT,
                "actor": "命令行",
                "action": "import",
                "entity": "plan",
                "entity_id": 1,
                "before": None,
                "after": {"title": "行事历", "version": 1},
            }
        ],
    },
    "0002": {
        "plans": [_plan(2, "工作要点", public=True)],
        "users": [
            {
                "id": 1,
                "username": "jijiao",
                "display_name": "基教股",
                "password_hash": "$argon2id$placeholder",
                "role": "office",
                "bureau_id": 1,
                "org_id": 2,
                "active": True,
                "created_at": AT,
            }
        ],
        "api_tokens": [
            {
                "id": 1,
                "user_id": 1,
                "name": "OA",
                "token_hash": "a" * 64,
                "created_at": AT,
                "revoked_at": None,
            }
        ],
        "feed_tokens": [{"id": 1, "org_id": 2, "token": "f" * 32, "created_at": AT, "revoked_at": AT}],
        "attachments": [
            {
                "id": 1,
                "report_id": 1,
                "filename": "照片.jpg",
                "content_type": "image/jpeg",
                "size": 4,
                "sha256": "b" * 64,
                "content": b"\xff\xd8\x00\x01",
                "created_at": AT,
            }
        ],
        "drafts": [_draft(1)],
        "app_settings": [{"key": "secret_key", "value": "k" * 32}],
    },
    "0003": {
        "items": [_item(2, status="done", closed_at=AT, closed_by="jijiao")],
        "item_units": [{"item_id": 2, "org_id": 2, "position": 0}],
        "progress_reports": [_report(2, 2, kind="completion", percent=100)],
        "drafts": [_draft(2, origin="proposal")],
        "supervisions": [
            {
                "id": 1,
                "item_id": 2,
                "deadline": date(2024, 9, 30),
                "note": "限时销号",
                "created_by": "admin",
                "created_at": AT,
                "lifted_by": "admin",
                "lifted_at": AT,
            }
        ],
        "target_actuals": [
            {
                "id": 1,
                "target_id": 1,
                "value": 90.1,
                "as_of": date(2024, 12, 31),
                "note": "年底统计",
                "org_id": 2,
                "author": "基教股",
                "created_at": AT,
            }
        ],
        "notification_settings": [
            {
                "org_id": 2,
                "channels": ["inapp", "email"],
                "email": "jj@example.cn",
                "webhook_url": None,
                "webhook_kind": None,
                "quiet_weekends": True,
                "quiet_holidays": False,
                "updated_at": AT,
            }
        ],
        "notifications": [
            {
                "id": 1,
                "org_id": 2,
                "kind": "digest",
                "title": "本周待办",
                "body": "1 项",
                "item_id": 2,
                "created_at": AT,
                "read_at": None,
            }
        ],
        "deliveries": [
            {
                "id": 1,
                "org_id": 2,
                "channel": "email",
                "day": date(2024, 9, 2),
                "status": "failed",
                "items": 1,
                "error": "未配置邮件服务器",
                "attempted_at": AT,
            }
        ],
        "login_failures": [{"id": 1, "username": "jijiao", "address": "10.0.0.8", "at": AT}],
    },
    "0004": {
        "web_sessions": [
            {
                "id": 1,
                "token_hash": "c" * 64,
                "user_id": 1,
                "created_at": AT,
                "last_seen_at": AT,
                "address": "10.0.0.8",
                "user_agent": "Mozilla/5.0",
                "notice": None,
            }
        ],
    },
    "0007": {
        "import_corrections": [
            {
                "id": 1,
                "bureau_id": 1,
                "doc_key": "某县教育局工作安排",
                "draft_id": None,
                "op": "edit",
                "target": "item:0123456789ab.0",
                "field": "start",
                "before": "2024-09-03",
                "after": "2024-09-02",
                "status": "active",
                "note": None,
                "created_by": "admin",
                "created_at": AT,
            }
        ],
        "learned_hints": [
            {
                "id": 1,
                "bureau_id": 1,
                "kind": "unit_alias",
                "key": "基础教育股",
                "value": "基教股",
                "source": "plan.txt",
                "created_by": "admin",
                "created_at": AT,
                "revoked_at": None,
            }
        ],
    },
    "0008": {
        "organisations": [
            {
                "id": 3,
                "bureau_id": 1,
                "parent_id": 1,
                "kind": "school",
                "name": "城关小学",
                "norm": "城关小学",
                "needs_review": False,
                "merged_into_id": None,
                "created_at": AT,
                "import_rights": False,
                "school_type": "primary",
                "group_key": None,
            },
            {
                "id": 4,
                "bureau_id": 1,
                "parent_id": 1,
                "kind": "group",
                "name": "城区学校",
                "norm": "城区学校",
                "needs_review": False,
                "merged_into_id": None,
                "created_at": AT,
                "import_rights": False,
                "school_type": None,
                "group_key": "all",
            },
        ],
        "group_members": [{"group_id": 4, "member_id": 3}],
        "assignments": [
            {
                "id": 1,
                "item_id": 2,
                "org_id": 3,
                "status": "applied",
                "revision": 2,
                "closed_at": None,
                "closed_by": None,
                "created_at": AT,
                "updated_at": AT,
            }
        ],
        "closing_requests": [
            {
                "id": 1,
                "item_id": 2,
                "assignment_id": 1,
                "org_id": 3,
                "org_name": "城关小学",
                "author": "王老师",
                "report_id": 2,
                "state": "returned",
                "reviewer_org": "基教股",
                "reviewer": "李股长",
                "review_note": "请补充照片",
                "created_at": AT,
                "reviewed_at": AT,
            }
        ],
    },
    "0009": {
        "jobs": [
            {
                "id": 1,
                "kind": "read_upload",
                "status": "failed",
                "stage": "reading",
                "user_id": 1,
                "bureau_id": 1,
                "name": "行事历.xlsx",
                "year": 2024,
                "content": b"PK\x03\x04",
                "message": "处理时间超过 120 秒上限，已停止。",
                "draft_id": 1,
                "attempts": 1,
                "created_at": AT,
                "started_at": AT,
                "finished_at": AT,
            }
        ],
    },
    "0010": {
        "target_actual_files": [
            {
                "id": 1,
                "actual_id": 1,
                "filename": "入园率统计表.xlsx",
                "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "size": 4,
                "sha256": "0" * 64,
                "content": b"PK\x03\x04",
                "created_at": AT,
            }
        ],
    },
}


def _plain(value):
    """Compare across drivers: datetimes as naive UTC, binary as bytes."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _columns_at(revision: str | None) -> dict[str, set[str]]:
    """The columns of each table at ``revision``: the models', less those added later."""
    if revision is None:
        return {}
    later = [key for rev, added in ADDED_COLUMNS.items() if rev > revision for key in added]
    return {
        name: {c.name for c in Base.metadata.tables[name].columns} - {col for t, col in later if t == name}
        for name in TABLES_AT[revision]
    }


class Expected:
    """What the database should hold: rows by table, keyed by primary key."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[tuple, dict]] = {}
        self.revision: str | None = None

    def moved_to(self, revision: str | None) -> None:
        columns = _columns_at(revision)
        going_up = revision is not None and (self.revision is None or revision > self.revision)
        self.rows = {
            name: {pk: {c: v for c, v in row.items() if c in columns[name]} for pk, row in rows.items()}
            for name, rows in self.rows.items()
            if name in columns
        }
        if going_up:
            for rev, added in ADDED_COLUMNS.items():
                if (self.revision or "") < rev <= revision:
                    for (name, column), default in added.items():
                        for row in self.rows.get(name, {}).values():
                            row[column] = default
        self.revision = revision

    def insert(self, engine, revision: str) -> None:
        columns = _columns_at(revision)
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.begin() as connection:
            for name, rows in ROWS_AT.get(revision, {}).items():
                table = metadata.tables[name]
                stored = [{c: v for c, v in row.items() if c in columns[name]} for row in rows]
                connection.execute(insert(table), stored)
                pk = [c.name for c in table.primary_key.columns]
                for row in stored:
                    self.rows.setdefault(name, {})[tuple(row[c] for c in pk)] = dict(row)

    def check(self, engine) -> None:
        metadata = MetaData()
        metadata.reflect(engine)
        present = {n for n in metadata.tables if not is_search_table(n)} - {"alembic_version"}
        expected_tables = TABLES_AT[self.revision] if self.revision else set()
        assert present == expected_tables
        columns = _columns_at(self.revision)
        with engine.connect() as connection:
            for name in sorted(present):
                table = metadata.tables[name]
                assert {c.name for c in table.columns} == columns[name], name
                pk = [c.name for c in table.primary_key.columns]
                actual = {
                    tuple(row[c] for c in pk): {c: _plain(v) for c, v in row.items()}
                    for row in connection.execute(select(table)).mappings()
                }
                wanted = {
                    key: {c: _plain(v) for c, v in row.items()}
                    for key, row in self.rows.get(name, {}).items()
                }
                assert actual == wanted, name


def test_every_migration_up_and_down_with_a_row_in_every_table(ledger_url):
    engine = make_engine(ledger_url)
    expected = Expected()
    try:
        # Up one migration at a time, storing rows at each revision.
        for revision in REVISIONS:
            migrate.upgrade(engine, revision)
            assert migrate.current(engine) == revision
            expected.moved_to(revision)
            expected.check(engine)  # the rows stored so far, new columns with their defaults
            expected.insert(engine, revision)
            expected.check(engine)
        assert migrate.head() == REVISIONS[-1], "a new migration: add its tables, columns and rows above"
        # 0005 indexed the items stored before it (items 1 and 2, stored at 0001 and 0003).
        with sessions(engine)() as session:
            assert sorted(search_item_ids(session, "开学工作检查")) == [1, 2]
            assert search_item_ids(session, "事项2") == [2]
        # Every table holds a row now.
        assert {name for name, rows in expected.rows.items() if rows} == NEWEST_TABLES

        # Down one at a time: the tables and columns a downgrade removes go, every other row stays.
        for revision in reversed(REVISIONS[:-1]):
            migrate.downgrade(engine, revision)
            assert migrate.current(engine) == revision
            expected.moved_to(revision)
            expected.check(engine)

        # Up again to the newest: the kept rows get the added columns' defaults.
        migrate.upgrade(engine)
        expected.moved_to(REVISIONS[-1])
        expected.check(engine)
        with sessions(engine)() as session:  # indexed again on the way up
            assert sorted(search_item_ids(session, "开学工作检查")) == [1, 2]
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(Item)) == 2  # items 1 and 2 kept

        migrate.downgrade(engine, "base")
        expected.moved_to(None)
        expected.check(engine)
    finally:
        engine.dispose()
