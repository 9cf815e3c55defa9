"""``eduplan backup`` / ``eduplan restore`` on SQLite and PostgreSQL: a ledger with a row in every
table (attachments as bytes) round-trips to an identical ledger; restore is all or nothing, never
overwrites data without --force, upgrades an older backup and refuses another database's backup."""

from __future__ import annotations

import hashlib
import json
import uuid
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.errors import EduplanError
from eduplan.ledger import backup, migrate
from eduplan.ledger.db import connect, make_engine, sessions
from eduplan.ledger.importer import read_and_import
from eduplan.ledger.models import (
    AcademicYear,
    ApiToken,
    AppSetting,
    Assignment,
    Attachment,
    Base,
    ClosingRequest,
    Delivery,
    Draft,
    FeedToken,
    GroupMember,
    HolidayOverride,
    ImportCorrection,
    Item,
    Job,
    LearnedHint,
    LoginFailure,
    Notification,
    NotificationSetting,
    OrgAlias,
    Organisation,
    Plan,
    Supervision,
    Target,
    TargetActual,
    TargetActualFile,
    Term,
    TermWeek,
    User,
    WebSession,
)
from eduplan.ledger.search import DEFERRED_TABLE, is_search_table
from eduplan.supervise.progress import NewAttachment, add_report

CALENDAR = (
    "某县教育局2024年秋季学期工作行事历\n"
    "周次\t日期\t工作内容\t责任股室\n"
    "1\t9.2—9.8\t开学工作检查\t基教股\n"
    "2\t9.9—9.15\t教师节表彰大会\t人事股\n"
    "3\t9.16—9.22\t校舍安全排查，学前三年毛入园率达到88.4%\t安全股\n"
).encode()
# Bytes a text column would mangle: NUL, invalid UTF-8, every byte value once.
ATTACHMENT = b"%PDF-1.4\x00\xff\xfe" + bytes(range(256)) + "进度照片".encode()
AT = datetime(2024, 9, 3, 8, 30, tzinfo=UTC)


def _attachment(name: str, content: bytes) -> NewAttachment:
    return NewAttachment(name, "application/pdf", len(content), hashlib.sha256(content).hexdigest(), content)


def fill(url: str) -> None:
    """A ledger with at least one row in every table of the newest schema."""
    engine = connect(url)
    with sessions(engine).begin() as session:
        read_and_import(session, CALENDAR, "calendar.txt", bureau="某县教育局")
        bureau = session.scalars(select(Organisation).where(Organisation.kind == "bureau")).one()
        office = session.scalars(select(Organisation).where(Organisation.name == "基教股")).one()
        item = session.scalars(select(Item).order_by(Item.id)).first()
        plan = session.scalars(select(Plan)).one()
        session.add(OrgAlias(bureau_id=bureau.id, org_id=office.id, norm="基础教育股"))
        year = AcademicYear(
            bureau_id=bureau.id, name="2024-2025学年", start=date(2024, 9, 1), end=date(2025, 8, 31)
        )
        session.add(year)
        session.flush()
        if session.scalars(select(Term)).first() is None:
            term = Term(
                bureau_id=bureau.id,
                year_id=year.id,
                number=1,
                name="第一学期",
                start=date(2024, 9, 2),
                end=date(2025, 1, 17),
                week1_start=date(2024, 9, 2),
            )
            session.add(term)
            session.flush()
            session.add(TermWeek(term_id=term.id, number=1, start=date(2024, 9, 2), end=date(2024, 9, 8)))
        session.add(HolidayOverride(day=date(2030, 10, 1), off=True, name="国庆节"))
        if session.scalars(select(Target)).first() is None:
            session.add(
                Target(
                    plan_id=plan.id,
                    seq=0,
                    indicator="毛入园率",
                    norm="毛入园率",
                    text="毛入园率达到88.4%",
                    op=">=",
                    value=88.4,
                    unit="%",
                )
            )
            session.flush()
        target = session.scalars(select(Target)).first()
        user = User(
            username="jijiao",
            display_name="基教股",
            password_hash="$argon2id$placeholder",
            role="office",
            bureau_id=bureau.id,
            org_id=office.id,
            created_at=AT,
        )
        session.add(user)
        session.flush()
        session.add(ApiToken(user_id=user.id, name="OA", token_hash="a" * 64, created_at=AT))
        session.add(
            WebSession(
                token_hash="w" * 64, user_id=user.id, created_at=AT, last_seen_at=AT,
                address="10.0.0.8", user_agent="Mozilla/5.0",
            )
        )  # fmt: skip
        session.add(FeedToken(org_id=office.id, token="f" * 32, created_at=AT))
        session.add(
            Job(
                kind="read_upload", status="pending", stage="", user_id=user.id, bureau_id=bureau.id,
                name="上传.xlsx", year=None, content=b"PK\x03\x04upload", attempts=0, created_at=AT,
            )
        )  # fmt: skip
        session.add(
            ImportCorrection(
                bureau_id=bureau.id, doc_key="某县教育局工作行事历", op="edit", target="item:0123456789ab.0",
                field="start", before="2024-09-03", after="2024-09-02", created_by="admin", created_at=AT,
            )
        )  # fmt: skip
        session.add(
            LearnedHint(
                bureau_id=bureau.id, kind="unit_alias", key="基础教育股", value="基教股", created_by="admin",
                created_at=AT,
            )
        )  # fmt: skip
        session.add(AppSetting(key="secret_key", value="s3cret"))
        session.add(
            Draft(
                user_id=user.id,
                bureau_id=bureau.id,
                source_name="草稿.txt",
                content=b"\x00draft",
                lines=["第一行"],
                plan={"title": "草稿"},
                created_at=AT,
                origin="proposal",
            )
        )
        add_report(
            session,
            item,
            text="已完成检查",
            percent=100,
            author="基教股",
            actor="jijiao",
            org_id=office.id,
            org_name="基教股",
            attachments=[_attachment("照片.pdf", ATTACHMENT), _attachment("空.pdf", b"")],
        )
        item.closed_at, item.closed_by, item.status = AT, "jijiao", "done"
        session.add(
            Supervision(
                item_id=item.id,
                deadline=date(2024, 9, 30),
                note="限时销号",
                created_by="admin",
                created_at=AT,
            )
        )
        actual = TargetActual(
            target_id=target.id,
            value=90.1,
            as_of=date(2024, 12, 31),
            org_id=office.id,
            author="基教股",
            created_at=AT,
        )
        session.add(actual)
        session.flush()
        # Its evidence file (migration 0010).
        session.add(
            TargetActualFile(
                actual_id=actual.id, filename="统计表.xlsx", content_type="application/octet-stream",
                size=4, sha256=hashlib.sha256(b"PK\x03\x04").hexdigest(), content=b"PK\x03\x04",
                created_at=AT,
            )
        )  # fmt: skip
        session.add(
            NotificationSetting(
                org_id=office.id, channels=["inapp", "email"], email="jj@example.cn", updated_at=AT
            )
        )
        session.add(
            Notification(
                org_id=office.id, kind="digest", title="本周待办", body="1 项", item_id=item.id, created_at=AT
            )
        )
        session.add(
            Delivery(
                org_id=office.id,
                channel="email",
                day=date(2024, 9, 2),
                status="sent",
                items=1,
                attempted_at=AT,
            )
        )
        session.add(LoginFailure(username="jijiao", address="10.0.0.8", at=AT))
        # Work sent down to schools (migration 0008): a typed school in a listed group, its
        # assignment and a 销号 application returned with a reason.
        school = Organisation(
            bureau_id=bureau.id, parent_id=bureau.id, kind="school", name="城关小学", norm="城关小学",
            school_type="primary", created_at=AT,
        )  # fmt: skip
        group = Organisation(
            bureau_id=bureau.id, parent_id=bureau.id, kind="group", name="城区学校", norm="城区学校",
            group_key="all", created_at=AT,
        )  # fmt: skip
        session.add_all([school, group])
        session.flush()
        session.add(GroupMember(group_id=group.id, member_id=school.id))
        assignment = Assignment(
            item_id=item.id, org_id=school.id, status="in_progress", revision=2, created_at=AT, updated_at=AT
        )
        session.add(assignment)
        session.flush()
        session.add(
            ClosingRequest(
                item_id=item.id, assignment_id=assignment.id, org_id=school.id, org_name="城关小学",
                author="王老师", state="returned", reviewer_org="基教股", reviewer="李股长",
                review_note="请补充照片", created_at=AT, reviewed_at=AT,
            )
        )  # fmt: skip
    engine.dispose()


def fingerprint(url: str) -> dict:
    engine = make_engine(url)
    try:
        return backup.ledger_fingerprint(engine)
    finally:
        engine.dispose()


@pytest.fixture
def other_url(ledger_url, tmp_path) -> str:
    """A second empty ledger on the same kind of database (another file, another schema)."""
    if ledger_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = make_url(ledger_url)
    admin = create_engine(base.difference_update_query(["options"]))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _leftovers(url: str, folder: Path) -> list[str]:
    """Staging schemas, scratch databases or temporary folders a restore left behind."""
    if url.startswith("sqlite"):
        return sorted(p.name for p in folder.iterdir() if p.name.startswith(".eduplan-"))
    engine = make_engine(url)
    with engine.connect() as connection:
        found = connection.scalars(
            text(
                "SELECT nspname FROM pg_namespace "
                "WHERE nspname LIKE '%\\_restore\\_%' OR nspname LIKE '%\\_old\\_%' "
                "UNION ALL SELECT datname FROM pg_database WHERE datname LIKE 'eduplan\\_restore\\_%'"
            )
        ).all()
    engine.dispose()
    return list(found)


def test_round_trip_gives_an_identical_ledger_attachments_included(ledger_url, other_url, tmp_path):
    fill(ledger_url)
    before = fingerprint(ledger_url)
    # Every table of the newest schema holds a row, so the comparison below covers all of them.
    assert {n for n in before if not is_search_table(n)} == set(Base.metadata.tables) | {"alembic_version"}
    # (but the search index's deferral table, which never holds a committed row: migration 0011)
    assert [name for name, rows in before.items() if not rows] == [DEFERRED_TABLE]

    file = tmp_path / "ledger.backup"
    info = backup.backup(ledger_url, file)
    assert info.engine == ("sqlite" if ledger_url.startswith("sqlite") else "postgresql")
    assert info.revision == migrate.head()
    assert info.attachments == 2
    assert info.tables["items"] == 3 and info.tables["attachments"] == 2

    backup.restore(other_url, file)
    after = fingerprint(other_url)
    assert after == before
    engine = make_engine(other_url)
    with sessions(engine)() as session:
        stored = {a.filename: a.content for a in session.scalars(select(Attachment))}
    engine.dispose()
    assert stored == {"照片.pdf": ATTACHMENT, "空.pdf": b""}
    assert _leftovers(other_url, tmp_path) == []


def test_the_file_says_what_it_holds(ledger_url, tmp_path):
    fill(ledger_url)
    file = tmp_path / "b.zip"
    backup.backup(ledger_url, file)
    with zipfile.ZipFile(file) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    kind = "sqlite" if ledger_url.startswith("sqlite") else "postgresql"
    assert manifest["format"] == "eduplan.backup/1"
    assert manifest["engine"] == kind
    assert names == {"manifest.json", {"sqlite": "ledger.sqlite", "postgresql": "ledger.pgdump"}[kind]}
    # 3 items, 1 report with 2 attachments, 1 plan with 1 version.
    assert (manifest["tables"]["items"], manifest["tables"]["progress_reports"]) == (3, 1)
    assert (manifest["tables"]["plans"], manifest["tables"]["plan_versions"]) == (1, 1)


def test_restore_refuses_a_ledger_with_data_unless_forced(ledger_url, tmp_path):
    fill(ledger_url)
    file = tmp_path / "b.zip"
    backup.backup(ledger_url, file)
    saved = fingerprint(ledger_url)
    engine = connect(ledger_url)
    with sessions(engine).begin() as session:
        item = session.scalars(select(Item).order_by(Item.id)).first()
        add_report(
            session,
            item,
            text="备份之后的进度",
            percent=50,
            author="a",
            actor="a",
            org_id=None,
            org_name=None,
        )
    engine.dispose()
    changed = fingerprint(ledger_url)
    assert changed != saved

    with pytest.raises(EduplanError, match=r"已有台账数据.*--force"):
        backup.restore(ledger_url, file)
    assert fingerprint(ledger_url) == changed

    backup.restore(ledger_url, file, force=True)
    assert fingerprint(ledger_url) == saved
    assert _leftovers(ledger_url, tmp_path) == []


def test_a_damaged_backup_changes_nothing(ledger_url, other_url, tmp_path):
    fill(ledger_url)
    good = tmp_path / "good.zip"
    backup.backup(ledger_url, good)
    # The manifest promises a row the database part does not hold.
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["tables"]["items"] += 1
                data = json.dumps(manifest).encode()
            target.writestr(entry, data)
    before = fingerprint(ledger_url)
    with pytest.raises(EduplanError, match=r"与清单不符.*items"):
        backup.restore(ledger_url, bad, force=True)
    assert fingerprint(ledger_url) == before
    assert _leftovers(ledger_url, tmp_path) == []

    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(EduplanError, match="不是 eduplan 的备份文件"):
        backup.restore(other_url, junk)
    with pytest.raises(EduplanError, match="找不到备份文件"):
        backup.restore(other_url, tmp_path / "missing.zip")


def test_an_older_backup_is_upgraded_to_the_newest_schema(ledger_url, other_url, tmp_path):
    engine = make_engine(ledger_url)
    migrate.upgrade(engine, "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO organisations (id, kind, name, norm, needs_review, created_at) "
                "VALUES (1, 'bureau', '某县教育局', '某县教育局', false, :at)"
            ),
            {"at": AT},
        )
    engine.dispose()
    file = tmp_path / "old.zip"
    assert backup.backup(ledger_url, file).revision == "0002"

    backup.restore(other_url, file)
    restored = make_engine(other_url)
    try:
        assert migrate.current(restored) == migrate.head()
        with sessions(restored)() as session:
            assert session.scalars(select(Organisation.name)).all() == ["某县教育局"]
            assert session.scalars(select(Supervision)).all() == []  # a 0003 table, now present
    finally:
        restored.dispose()


def test_a_backup_goes_back_only_to_the_same_kind_of_database(ledger_url, tmp_path):
    fill(ledger_url)
    file = tmp_path / "b.zip"
    backup.backup(ledger_url, file)
    if ledger_url.startswith("sqlite"):
        other, message = (
            "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "SQLite 数据库的备份，不能恢复到 PostgreSQL",
        )
    else:
        other, message = f"sqlite:///{tmp_path / 'x.db'}", "PostgreSQL 数据库的备份，不能恢复到 SQLite"
    with pytest.raises(EduplanError, match=message):
        backup.restore(other, file)


def test_an_existing_backup_file_is_kept_unless_forced(ledger_url, tmp_path):
    fill(ledger_url)
    file = tmp_path / "b.zip"
    file.write_bytes(b"yesterday")
    with pytest.raises(EduplanError, match=r"已存在.*--force"):
        backup.backup(ledger_url, file)
    assert file.read_bytes() == b"yesterday"
    backup.backup(ledger_url, file, force=True)
    assert backup.read_manifest(file)["format"] == "eduplan.backup/1"


def test_cli_backup_and_restore(ledger_url, other_url, tmp_path):
    fill(ledger_url)
    file = tmp_path / "cli.zip"
    runner = CliRunner()
    made = runner.invoke(app, ["backup", str(file), "--db", ledger_url], env={"COLUMNS": "300"})
    assert made.exit_code == 0, made.output
    assert f"已备份到 {file}" in made.stdout and "附件 2 个" in made.stdout

    again = runner.invoke(app, ["backup", str(file), "--db", ledger_url])
    assert again.exit_code == 2
    assert again.stderr.startswith("错误：备份文件") and "--force" in again.stderr

    restored = runner.invoke(app, ["restore", str(file), "--db", other_url], env={"COLUMNS": "300"})
    assert restored.exit_code == 0, restored.output
    assert f"已从 {file} 恢复" in restored.stdout
    assert fingerprint(other_url) == fingerprint(ledger_url)

    refused = runner.invoke(app, ["restore", str(file), "--db", other_url])
    assert refused.exit_code == 2
    assert refused.stderr.startswith("错误：目标数据库里已有台账数据")
    assert runner.invoke(app, ["restore", str(file), "--db", other_url, "--force"]).exit_code == 0


def test_sqlite_restore_refuses_a_ledger_another_program_has_open(tmp_path):
    import sqlite3

    source = f"sqlite:///{tmp_path / 'a.db'}"
    fill(source)
    file = tmp_path / "b.zip"
    backup.backup(source, file)
    target = tmp_path / "busy.db"
    fill(f"sqlite:///{target}")
    before = fingerprint(f"sqlite:///{target}")
    server = sqlite3.connect(target)  # a running app: WAL mode, a write, connection kept open
    try:
        server.execute("PRAGMA journal_mode=WAL")
        server.execute("INSERT INTO app_settings (key, value) VALUES ('running', '1')")
        server.commit()
        with pytest.raises(EduplanError, match="正被其他程序使用"):
            backup.restore(f"sqlite:///{target}", file, force=True)
    finally:
        server.close()
    assert fingerprint(f"sqlite:///{target}") == {
        **before,
        "app_settings": [("running", "1"), ("secret_key", "s3cret")],  # sorted by key
    }


def _fake_tool(folder: Path, name: str, version: str) -> None:
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n", encoding="utf-8")
    script.chmod(0o755)


@pytest.mark.parametrize("ledger_url", ["postgresql"], indirect=True)  # pg_dump/pg_restore: PostgreSQL only
def test_postgresql_tools_missing_or_too_old_are_named_in_chinese(
    ledger_url, other_url, tmp_path, monkeypatch
):
    fill(ledger_url)
    file = tmp_path / "b.zip"
    backup.backup(ledger_url, file)

    empty = tmp_path / "nobin"
    empty.mkdir()
    monkeypatch.setenv("EDUPLAN_PG_BIN", str(empty))
    with pytest.raises(EduplanError, match=r"找不到 pg_dump.*postgresql-client"):
        backup.backup(ledger_url, tmp_path / "c.zip")
    with pytest.raises(EduplanError, match="找不到 pg_restore"):
        backup.restore(other_url, file)

    old = tmp_path / "oldbin"
    old.mkdir()
    _fake_tool(old, "pg_dump", "9.6.24")
    _fake_tool(old, "pg_restore", "9.6.24")
    monkeypatch.setenv("EDUPLAN_PG_BIN", str(old))
    with pytest.raises(EduplanError, match=r"pg_dump 的版本（9）低于数据库服务器的版本（\d+）"):
        backup.backup(ledger_url, tmp_path / "c.zip")
    with pytest.raises(EduplanError, match=r"由 PostgreSQL \d+ 的 pg_dump 生成，本机的 pg_restore 是 9 版"):
        backup.restore(other_url, file)
    assert not (tmp_path / "c.zip").exists()
    monkeypatch.delenv("EDUPLAN_PG_BIN")
    assert fingerprint(other_url) == {}  # nothing was restored: not even a table


def test_a_backup_taken_while_the_app_writes_is_one_consistent_state(ledger_url, other_url, tmp_path):
    import threading

    from eduplan.ledger import audit

    fill(ledger_url)
    writer_engine = make_engine(ledger_url)
    stop = threading.Event()
    written: list[int] = []

    def write() -> None:  # an audited change every few milliseconds, each its own transaction
        factory = sessions(writer_engine)
        while not stop.is_set():
            with factory.begin() as session:
                audit.record(session, "写入者", "touch", "item", len(written), None, {"n": len(written)})
            written.append(1)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        while len(written) < 5:  # the writer is going
            stop.wait(0.01)
        info = backup.backup(ledger_url, tmp_path / "live.zip")
        while len(written) < info.tables["audit_log"] + 5:  # and went on after the backup
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join()
        writer_engine.dispose()

    backup.restore(other_url, tmp_path / "live.zip")  # checks the copy against the manifest's counts
    engine = make_engine(other_url)
    try:
        assert backup.table_counts(engine) == info.tables
        with engine.connect() as connection:
            touched = connection.scalars(
                text("SELECT entity_id FROM audit_log WHERE action = 'touch' ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    # One state of the ledger: the first k changes, none missing in between.
    assert touched == list(range(len(touched)))
    assert 5 <= len(touched) < len(written)


@pytest.mark.parametrize("ledger_url", ["postgresql"], indirect=True)  # a database of its own
def test_a_ledger_in_the_public_schema_of_its_own_database(ledger_url, tmp_path):
    """The usual PostgreSQL setup (tables in ``public``) restores over itself and into another
    database; the staging schema and scratch database are gone afterwards."""
    base = make_url(ledger_url).difference_update_query(["options"])
    names = [f"eduplan_t_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    first, second = (base.set(database=n).render_as_string(hide_password=False) for n in names)
    try:
        fill(first)
        saved = fingerprint(first)
        file = tmp_path / "public.zip"
        backup.backup(first, file)
        assert backup.read_manifest(file)["schema"] == "public"

        backup.restore(second, file)
        assert fingerprint(second) == saved
        engine = connect(first)
        with sessions(engine).begin() as session:
            session.add(AppSetting(key="after", value="backup"))
        engine.dispose()
        backup.restore(first, file, force=True)
        assert fingerprint(first) == saved
        for url in (first, second):
            engine = make_engine(url)
            with engine.connect() as connection:
                schemas = connection.scalars(
                    text("SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' ORDER BY 1")
                ).all()
            engine.dispose()
            # pg_trgm (the search index, migration 0005) lives in a schema of its own
            assert schemas == ["extensions", "information_schema", "public"]
        assert _leftovers(first, tmp_path) == []
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
