"""Alembic migrations run from code: ``eduplan db upgrade`` and the automatic upgrade on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(connection=None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest migration's revision id."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for migrations.

    SQLite alters a table by copying it, dropping the original and renaming the copy; with
    foreign keys enforced, dropping ``plans`` would cascade-delete every version and item. So
    foreign keys are off while migrating (the pragma only takes effect outside a transaction)
    and checked afterwards: a violation rolls the whole migration back."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left {len(broken)} rows with broken foreign keys")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    with _migration_connection(engine) as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with _migration_connection(engine) as connection:
        command.downgrade(_config(connection), revision)


def ensure_current(engine: Engine) -> None:
    """Upgrade to head when the database is behind (first use creates every table)."""
    if current(engine) != head():
        upgrade(engine)
