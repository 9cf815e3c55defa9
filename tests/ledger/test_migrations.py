"""The ledger's schema: Alembic migrations up and down, models and migrations in agreement, the
automatic upgrade on first use, and the SQLite connection settings (WAL, foreign keys)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError

from eduplan.errors import EduplanError
from eduplan.ledger import migrate
from eduplan.ledger.db import connect, make_engine, normalise_url
from eduplan.ledger.models import Base, ItemUnit, Organisation
from eduplan.ledger.search import is_search_table, not_the_search_index

LEDGER_TABLES = set(Base.metadata.tables)
VERSION_TABLE = "alembic_version"


def table_names(engine) -> set[str]:
    """The tables, the search index's left out (tests/ledger/test_search.py checks it)."""
    return {name for name in inspect(engine).get_table_names() if not is_search_table(name)}


def test_the_models_declare_the_ledger_tables():
    # The core of what the other tests compare against, written out by hand (more may be added).
    assert LEDGER_TABLES >= {
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


def test_upgrade_from_empty_creates_every_table(ledger_url):
    engine = make_engine(ledger_url)
    try:
        assert table_names(engine) == set()
        assert migrate.current(engine) is None
        migrate.upgrade(engine)
        assert table_names(engine) == LEDGER_TABLES | {VERSION_TABLE}
        assert migrate.current(engine) == migrate.head()
    finally:
        engine.dispose()


def test_downgrade_to_base_leaves_no_ledger_tables_and_upgrade_works_again(ledger_url):
    engine = make_engine(ledger_url)
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "base")
        assert table_names(engine) <= {VERSION_TABLE}
        assert migrate.current(engine) is None
        migrate.upgrade(engine)
        assert table_names(engine) == LEDGER_TABLES | {VERSION_TABLE}
        assert migrate.current(engine) == migrate.head()
    finally:
        engine.dispose()


def test_every_migration_goes_up_and_down_one_step_at_a_time(ledger_url):
    script = ScriptDirectory.from_config(migrate._config())
    chain = [(r.revision, r.down_revision) for r in reversed(list(script.walk_revisions()))]
    assert chain[-1][0] == migrate.head()
    engine = make_engine(ledger_url)
    try:
        for revision, _ in chain:
            migrate.upgrade(engine, revision)
            assert migrate.current(engine) == revision
        for revision, down in reversed(chain):
            assert migrate.current(engine) == revision
            migrate.downgrade(engine, down or "base")
        assert migrate.current(engine) is None
        assert table_names(engine) <= {VERSION_TABLE}
    finally:
        engine.dispose()


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": not_the_search_index}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_connect_upgrades_an_empty_database_on_first_use(ledger_url):
    engine = connect(ledger_url)
    try:
        assert migrate.current(engine) == migrate.head()
        assert LEDGER_TABLES <= table_names(engine)
    finally:
        engine.dispose()
    # Opening it again finds it current and leaves it so.
    again = connect(ledger_url)
    try:
        assert migrate.current(again) == migrate.head()
    finally:
        again.dispose()


def test_connect_without_upgrade_leaves_an_empty_database_empty(ledger_url):
    engine = connect(ledger_url, upgrade=False)
    try:
        assert migrate.current(engine) is None
        assert table_names(engine) == set()
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(engine):
    # An item link to an item and an organisation that do not exist.
    with engine.connect() as connection, pytest.raises(IntegrityError):
        connection.execute(insert(ItemUnit).values(item_id=999, org_id=999, position=0))
        connection.commit()


def test_deleting_a_bureau_cascades_to_its_units(engine):
    at = datetime(2024, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        bureau_id = connection.execute(
            insert(Organisation)
            .values(kind="bureau", name="甲县教育局", norm="甲县教育局", needs_review=False, created_at=at)
            .returning(Organisation.id)
        ).scalar_one()
        connection.execute(
            insert(Organisation).values(
                bureau_id=bureau_id,
                kind="office",
                name="基教股",
                norm="基教股",
                needs_review=True,
                created_at=at,
            )
        )
    with engine.begin() as connection:
        connection.execute(Organisation.__table__.delete().where(Organisation.id == bureau_id))
        left = connection.execute(Organisation.__table__.select()).all()
    assert left == []


def test_sqlite_file_is_in_wal_mode_with_foreign_keys_on(tmp_path):
    engine = connect(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u:pw@h:5433/db", "postgresql+psycopg://u:pw@h:5433/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///ledger.db", "sqlite:///ledger.db"),
    ],
)
def test_normalise_url_accepts_postgres_spellings_and_sqlite(given, expected):
    assert normalise_url(given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("mysql://u@h/db", "不支持的数据库：mysql"),
        ("不是地址", "数据库地址格式不对"),
    ],
)
def test_normalise_url_refuses_what_is_not_supported(given, message):
    with pytest.raises(EduplanError, match=message):
        normalise_url(given)


def test_connect_to_an_unreachable_server_is_a_chinese_error():
    with pytest.raises(EduplanError, match=r"^无法打开数据库 postgresql"):
        connect("postgresql://nobody@127.0.0.1:1/none?connect_timeout=3")
