"""Backup and restore of the whole ledger, as one self-describing file.

A backup is a zip archive holding ``manifest.json`` (format, database kind, schema revision, the
rows of every table, when it was made) and the database itself:

* SQLite: ``ledger.sqlite``, a consistent copy made with SQLite's online backup API in one step
  (one read transaction) while the app may go on writing;
* PostgreSQL: ``ledger.pgdump``, ``pg_dump -Fc`` of the ledger's schema (one snapshot).

Attachments are stored in the database (``attachments.content``), so they come along.

Restore is all or nothing: the backup goes into a copy first — SQLite: a temporary file beside
the ledger; PostgreSQL: a staging schema (through a scratch database, because pg_restore cannot
rename a schema) — which is checked against the manifest, upgraded to the newest migration (an
older backup becomes current) and then swapped in at once (``os.replace``; ``ALTER SCHEMA …
RENAME`` in one transaction). A failure on the way leaves the old ledger as it was. A backup is
restored onto the same kind of database it came from; SQLite ↔ PostgreSQL is not supported.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from eduplan.errors import EduplanError
from eduplan.ledger import migrate
from eduplan.ledger.db import make_engine, normalise_url
from eduplan.ledger.search import is_search_table

FORMAT = "eduplan.backup/1"
MANIFEST = "manifest.json"
MEMBERS = {"sqlite": "ledger.sqlite", "postgresql": "ledger.pgdump"}
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
VERSION_TABLE = "alembic_version"
CHUNK = 1024 * 1024
PG_BIN_ENV = "EDUPLAN_PG_BIN"
"""A folder holding pg_dump and pg_restore, to use instead of the ones on PATH."""

Progress = Callable[[str, float, float], None]
"""``progress(description, done, total)``: how far a long piece of work has come."""


def _quiet(_description: str, _done: float, _total: float) -> None:
    return None


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds (its manifest), for a person."""

    path: Path
    engine: str
    revision: str | None
    created_at: str
    tables: dict[str, int]
    size: int

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @property
    def attachments(self) -> int:
        return self.tables.get("attachments", 0)

    def summary(self) -> str:
        return (
            f"{ENGINE_LABELS.get(self.engine, self.engine)}，结构版本 {self.revision or '无'}，"
            f"{len(self.tables)} 张表共 {self.rows} 行，附件 {self.attachments} 个，"
            f"{self.size / 1024 / 1024:.1f} MB"
        )


# ---------------------------------------------------------------- what is in a ledger


def table_counts(engine: Engine, connection: Connection | None = None) -> dict[str, int]:
    """Rows per table (the Alembic version table included), by table name; within
    ``connection``'s transaction when one is given."""
    metadata = MetaData()
    metadata.reflect(engine)
    with nullcontext(connection) if connection is not None else engine.connect() as active:
        return {
            name: active.scalar(select(func.count()).select_from(table))
            for name, table in sorted(metadata.tables.items())
        }


def is_empty(engine: Engine) -> bool:
    """True when no ledger table holds a row (a fresh or never-created ledger)."""
    return not any(
        n for name, n in table_counts(engine).items() if name != VERSION_TABLE and not is_search_table(name)
    )


def ledger_fingerprint(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (all columns, attachment bytes included), sorted by primary key:
    two ledgers are identical when their fingerprints are equal."""
    metadata = MetaData()
    metadata.reflect(engine)
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            found[name] = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
    return found


# ---------------------------------------------------------------- the backup file


def _engine_kind(url: str) -> str:
    return "postgresql" if make_url(url).get_backend_name() == "postgresql" else "sqlite"


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a backup file; a Chinese error when the file is not an eduplan backup."""
    if not path.is_file():
        raise EduplanError(f"找不到备份文件 {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
            names = set(archive.namelist())
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, json.JSONDecodeError, OSError):
        raise EduplanError(f"{path} 不是 eduplan 的备份文件（应由 eduplan backup 生成）") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise EduplanError(
            f"{path} 的备份格式不认识（{manifest.get('format') if isinstance(manifest, dict) else '?'}）"
        )
    engine = manifest.get("engine")
    if engine not in MEMBERS or MEMBERS[engine] not in names:
        raise EduplanError(f"备份文件 {path} 不完整：缺少数据库内容")
    return manifest


def _info(path: Path, manifest: dict[str, Any]) -> BackupInfo:
    return BackupInfo(
        path=path,
        engine=manifest["engine"],
        revision=manifest.get("revision"),
        created_at=str(manifest.get("created_at") or ""),
        tables={str(k): int(v) for k, v in (manifest.get("tables") or {}).items()},
        size=path.stat().st_size,
    )


@contextmanager
def _scratch_dir(near: Path) -> Iterator[Path]:
    """A temporary folder beside ``near`` (same file system, so a rename is atomic)."""
    folder = Path(tempfile.mkdtemp(prefix=".eduplan-", dir=near.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_archive(
    out: Path, manifest: dict[str, Any], member: str, data: Path, force: bool, progress: Progress
) -> None:
    """Write the zip beside ``out`` and move it into place in one step."""
    total = data.stat().st_size or 1
    with _scratch_dir(out) as folder:
        partial = folder / "backup.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            done = 0
            with data.open("rb") as src, archive.open(member, "w", force_zip64=True) as dst:
                while chunk := src.read(CHUNK):
                    dst.write(chunk)
                    done += len(chunk)
                    progress("写入备份文件", done, total)
        if out.exists() and not force:  # checked again: it may have appeared meanwhile
            raise EduplanError(f"备份文件 {out} 已存在（加 --force 覆盖）")
        os.replace(partial, out)


def backup(url: str | None, out: Path, *, force: bool = False, progress: Progress = _quiet) -> BackupInfo:
    """Write a backup of the ledger at ``url`` to ``out`` (a zip with a manifest)."""
    out = Path(out)
    if out.exists() and not force:
        raise EduplanError(f"备份文件 {out} 已存在（加 --force 覆盖）")
    if out.is_dir():
        raise EduplanError(f"{out} 是文件夹，请给出备份文件名")
    if not out.parent.is_dir():
        raise EduplanError(f"找不到存放备份的文件夹 {out.parent}")
    engine = make_engine(url)
    try:
        kind = _engine_kind(str(engine.url.render_as_string(hide_password=False)))
        with _scratch_dir(out) as folder:
            data = folder / MEMBERS[kind]
            if kind == "sqlite":
                _sqlite_backup(engine, data, progress)
                copy = make_engine(f"sqlite:///{data}")
                try:
                    revision, counts = migrate.current(copy), table_counts(copy)
                finally:
                    copy.dispose()
                extra: dict[str, Any] = {}
            else:
                revision, counts, extra = _pg_backup(engine, data, progress)
            if not counts:
                raise EduplanError("数据库里没有台账表，没有可备份的内容")
            manifest = {
                "format": FORMAT,
                "engine": kind,
                "revision": revision,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "tables": counts,
                **extra,
            }
            _write_archive(out, manifest, MEMBERS[kind], data, force, progress)
    finally:
        engine.dispose()
    return _info(out, manifest)


def restore(url: str | None, source: Path, *, force: bool = False, progress: Progress = _quiet) -> BackupInfo:
    """Replace the ledger at ``url`` by the backup in ``source`` (all or nothing), then upgrade
    it to the newest schema. A ledger with data is replaced only with ``force``."""
    source = Path(source)
    manifest = read_manifest(source)
    info = _info(source, manifest)
    engine = make_engine(url)
    try:
        kind = _engine_kind(engine.url.render_as_string(hide_password=False))
        if kind != info.engine:
            raise EduplanError(
                f"这是 {ENGINE_LABELS[info.engine]} 数据库的备份，不能恢复到 {ENGINE_LABELS[kind]} 数据库"
                "（不支持跨数据库恢复；可用 eduplan export --format json 导出计划再导入）"
            )
        if kind == "postgresql":
            _pg_check_restore_tool(manifest)
        if not force and not is_empty(engine):
            raise EduplanError("目标数据库里已有台账数据，恢复会整个替换它；确认要替换请加 --force")
    finally:
        engine.dispose()
    if kind == "sqlite":
        _sqlite_restore(url, source, info, progress)
    else:
        _pg_restore(url, source, info, progress)
    return info


# ---------------------------------------------------------------- SQLite


def _sqlite_file(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise EduplanError("内存中的 SQLite 数据库不能备份或恢复，请使用数据库文件")
    return Path(database)


def _sqlite_backup(engine: Engine, data: Path, progress: Progress) -> None:
    """Copy the ledger with the online backup API in one step: one read transaction, so the copy
    is one consistent state while the app goes on writing (WAL: readers do not block writers).
    Copying in several steps would start over each time the app writes, perhaps forever."""
    path = _sqlite_file(engine)
    if not path.is_file():
        raise EduplanError(f"找不到数据库文件 {path}")
    progress("复制数据库", 0, 1)
    source = sqlite3.connect(path, timeout=30)
    target = sqlite3.connect(data)
    try:
        source.backup(target)
        _sqlite_check(target, data)
    except sqlite3.DatabaseError as exc:
        raise EduplanError(f"无法备份数据库 {path}：{exc}") from None
    finally:
        target.close()
        source.close()
    progress("复制数据库", 1, 1)


def _sqlite_check(connection: sqlite3.Connection, path: Path) -> None:
    result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise EduplanError(f"数据库 {path} 的完整性检查未通过：{'；'.join(map(str, result[:3]))}")
    if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
        raise EduplanError(f"数据库 {path} 有外键不一致的记录")


def _sqlite_idle(path: Path) -> None:
    """Make sure no other program has the ledger open: closing the last connection checkpoints
    and removes the write-ahead log; a log that stays means someone else still uses the file."""
    if not path.exists():
        return
    connection = sqlite3.connect(path, timeout=30)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    if Path(f"{path}-wal").exists():
        raise EduplanError(
            f"数据库文件 {path} 正被其他程序使用（例如正在运行的 eduplan serve），请先停止它再恢复"
        )


def _sqlite_restore(url: str | None, source: Path, info: BackupInfo, progress: Progress) -> None:
    engine = make_engine(url)
    target = _sqlite_file(engine).resolve()
    engine.dispose()
    if not target.parent.is_dir():
        raise EduplanError(f"找不到数据库所在的文件夹 {target.parent}")
    with _scratch_dir(target) as folder:
        staged = folder / "restore.db"
        _extract(source, MEMBERS["sqlite"], staged, progress)
        progress("检查数据", 0, 1)
        connection = sqlite3.connect(staged)
        try:
            _sqlite_check(connection, staged)
        except sqlite3.DatabaseError as exc:
            raise EduplanError(f"备份文件 {source} 里的数据库已损坏：{exc}") from None
        finally:
            connection.close()
        staged_url = f"sqlite:///{staged}"
        _check_counts(staged_url, info)
        progress("检查数据", 1, 1)
        _upgrade(staged_url, progress)
        progress("替换数据库", 0, 1)
        _self_contained(staged)
        _sqlite_idle(target)
        os.replace(staged, target)
        Path(f"{target}-shm").unlink(missing_ok=True)
        progress("替换数据库", 1, 1)


def _self_contained(path: Path) -> None:
    """Leave the copy as one file (rollback journal mode, no write-ahead log beside it) so that
    renaming it moves all of it; the app switches it back to WAL when it opens it."""
    connection = sqlite3.connect(path)
    try:
        mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    finally:
        connection.close()
    if str(mode).lower() != "delete" or Path(f"{path}-wal").exists():
        raise EduplanError(f"无法整理恢复出的数据库 {path}（日志模式 {mode}），没有恢复")


def _extract(source: Path, member: str, out: Path, progress: Progress) -> None:
    with zipfile.ZipFile(source) as archive:
        total = archive.getinfo(member).file_size
        done = 0
        with archive.open(member) as src, out.open("wb") as dst:
            while chunk := src.read(CHUNK):
                dst.write(chunk)
                done += len(chunk)
                progress("解开备份文件", done, total or 1)
        if done != total:
            raise EduplanError(f"备份文件 {source} 不完整")


def _check_counts(url: str, info: BackupInfo) -> None:
    """The restored copy holds exactly the rows the manifest lists (a truncated or swapped
    backup file is refused before anything is replaced)."""
    engine = make_engine(url)
    try:
        counts = table_counts(engine)
    finally:
        engine.dispose()
    if counts != info.tables:
        wrong = sorted(n for n in set(counts) | set(info.tables) if counts.get(n) != info.tables.get(n))
        raise EduplanError(f"备份文件里的数据与清单不符（{'、'.join(wrong[:5])}），没有恢复")


def _upgrade(url: str, progress: Progress) -> None:
    progress("升级数据库结构", 0, 1)
    engine = make_engine(url)
    try:
        migrate.ensure_current(engine)
    finally:
        engine.dispose()
    progress("升级数据库结构", 1, 1)


# ---------------------------------------------------------------- PostgreSQL


def _tool(name: str) -> str:
    """The path of pg_dump or pg_restore, or a Chinese error saying how to get it."""
    folder = os.environ.get(PG_BIN_ENV, "").strip()
    if folder:
        candidate = Path(folder) / name
        found = str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None
    else:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").is_file() else None)
    if not found:
        where = f"{PG_BIN_ENV}={folder} 指定的文件夹" if folder else "PATH 和 /usr/bin"
        raise EduplanError(
            f"找不到 {name}（在 {where} 里）：备份和恢复 PostgreSQL 数据库需要 PostgreSQL 客户端程序，"
            "请安装与服务器同版本的 postgresql-client"
        )
    return found


def _tool_major(path: str) -> int:
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except OSError as exc:
        raise EduplanError(f"无法运行 {path}：{exc}") from None
    match = re.search(r"(\d+)(?:\.\d+)?", done.stdout)
    if done.returncode != 0 or not match:
        raise EduplanError(f"无法确定 {path} 的版本（{(done.stderr or done.stdout).strip()[:200]}）")
    return int(match.group(1))


def _server_major(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SHOW server_version_num"))) // 10000


def _libpq_env(url: URL, database: str | None = None) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore as libpq environment variables (the password
    never appears on a command line)."""
    env = dict(os.environ)
    values = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": database or url.database,
    }
    query = url.query
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("sslmode", "PGSSLMODE")):
        if query.get(key):
            value = query[key]
            values[var] = value if isinstance(value, str) else value[0]
    for var, value in values.items():
        if value:
            env[var] = str(value)
    return env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True)
    except OSError as exc:
        raise EduplanError(f"{what}失败：无法运行 {args[0]}：{exc}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        reason = " ".join(lines[-2:])[:400] if lines else f"退出码 {done.returncode}"
        if "version mismatch" in reason or "unsupported version" in reason:
            reason = f"PostgreSQL 客户端与服务器或备份文件的版本不匹配（{reason}）"
        raise EduplanError(f"{what}失败：{reason}")


def _current_schema(engine: Engine) -> str:
    with engine.connect() as connection:
        schema = connection.scalar(text("SELECT current_schema()"))
    if not schema:
        raise EduplanError("数据库连接的 search_path 里没有存在的模式（schema），无法确定台账在哪里")
    return str(schema)


def _pg_backup(
    engine: Engine, data: Path, progress: Progress
) -> tuple[str | None, dict[str, int], dict[str, Any]]:
    pg_dump = _tool("pg_dump")
    tool, server = _tool_major(pg_dump), _server_major(engine)
    if tool < server:
        raise EduplanError(
            f"pg_dump 的版本（{tool}）低于数据库服务器的版本（{server}），无法备份："
            f"请安装 PostgreSQL {server} 或更新版本的客户端程序"
        )
    schema = _current_schema(engine)
    progress("导出数据库（pg_dump）", 0, 1)
    # The rows are counted and dumped in one snapshot (exported to pg_dump), so the manifest
    # describes exactly what the dump holds even while the app goes on writing.
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            counts = table_counts(engine, connection)
            revision = (
                connection.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}"))
                if VERSION_TABLE in counts
                else None
            )
            _run(
                [pg_dump, "-Fc", "-n", schema, f"--snapshot={snapshot}", "-f", str(data)],
                _libpq_env(engine.url),
                "pg_dump 导出",
            )
    progress("导出数据库（pg_dump）", 1, 1)
    return revision, counts, {"schema": schema, "pg_dump_major": tool, "server_major": server}


def _pg_check_restore_tool(manifest: dict[str, Any]) -> None:
    tool = _tool_major(_tool("pg_restore"))
    made_by = int(manifest.get("pg_dump_major") or 0)
    if tool < made_by:
        raise EduplanError(
            f"这个备份由 PostgreSQL {made_by} 的 pg_dump 生成，本机的 pg_restore 是 {tool} 版，读不了："
            f"请安装 PostgreSQL {made_by} 或更新版本的客户端程序"
        )
    _tool("pg_dump")


def _with_search_path(url: URL, schema: str) -> str:
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def _install_trgm(connection: Connection, schema: str | None, quote: Callable[[str], str]) -> str:
    """The schema pg_trgm is in, installing it there first when the database lacks it (in
    ``schema``, by default ``extensions`` as migration 0005 does). The search index of a dump
    names the operator class by that schema: the scratch database and the ledger's need it in
    the same place. A dump of the ledger's schema never carries the extension itself."""
    found = connection.scalar(
        text(
            "SELECT n.nspname FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    )
    if found:
        return str(found)
    schema = schema or "extensions"
    connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {quote(schema)}"))
    connection.execute(text(f"CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA {quote(schema)}"))
    return schema


def _pg_restore(url: str | None, source: Path, info: BackupInfo, progress: Progress) -> None:
    """Restore into a scratch database, rename the schema there to a staging name, move that
    schema into the ledger's database, upgrade it, and swap it for the ledger's schema in one
    transaction."""
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    engine = make_engine(url)
    steps = 6
    try:
        target = _current_schema(engine)
        quote = engine.dialect.identifier_preparer.quote
        tag = uuid.uuid4().hex[:10]
        scratch_db = f"eduplan_restore_{tag}"
        staging = f"{target[:40]}_restore_{tag}"
        base_url = make_url(normalise_url(engine.url.render_as_string(hide_password=False)))
        with tempfile.TemporaryDirectory(prefix="eduplan-restore-") as scratch_folder:
            folder = Path(scratch_folder)
            dump = folder / "ledger.pgdump"
            progress("解开备份文件", 0, steps)
            _extract(source, MEMBERS["postgresql"], dump, _quiet)
            with engine.begin() as connection:
                trgm = _install_trgm(connection, None, quote)
            autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
            try:
                with autocommit.connect() as connection:
                    connection.execute(text(f"CREATE DATABASE {quote(scratch_db)} TEMPLATE template0"))
            except DBAPIError as exc:
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
                raise EduplanError(
                    "恢复时要在数据库服务器上临时建一个数据库（用完即删），但没能建成："
                    f"{reason}（数据库用户需要 CREATEDB 权限）"
                ) from None
            scratch = make_engine(base_url.set(database=scratch_db).render_as_string(hide_password=False))
            try:
                with scratch.begin() as connection:
                    connection.execute(text("DROP SCHEMA IF EXISTS public"))
                    _install_trgm(connection, trgm, quote)
                progress("恢复到临时数据库", 1, steps)
                _run(
                    [
                        pg_restore,
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "-d",
                        scratch_db,
                        str(dump),
                    ],
                    _libpq_env(base_url, scratch_db),
                    f"pg_restore 读取 {source.name}",
                )
                dumped = _dumped_schema(scratch, source, trgm)
                with scratch.begin() as connection:
                    connection.execute(text(f"ALTER SCHEMA {quote(dumped)} RENAME TO {quote(staging)}"))
                _check_counts(_with_search_path(base_url.set(database=scratch_db), staging), info)
                progress("转入台账数据库", 2, steps)
                moved = folder / "staging.pgdump"
                _run(
                    [pg_dump, "-Fc", "-n", staging, "-f", str(moved)],
                    _libpq_env(base_url, scratch_db),
                    "pg_dump 转存",
                )
            finally:
                scratch.dispose()
                with autocommit.connect() as connection:
                    connection.execute(text(f"DROP DATABASE IF EXISTS {quote(scratch_db)}"))
            try:
                _run(
                    [
                        pg_restore,
                        "--no-owner",
                        "--no-privileges",
                        "--exit-on-error",
                        "--single-transaction",
                        "-d",
                        str(base_url.database),
                        str(moved),
                    ],
                    _libpq_env(base_url),
                    "pg_restore 导入",
                )
                progress("升级数据库结构", 3, steps)
                _upgrade(_with_search_path(base_url, staging), _quiet)
                progress("替换台账", 4, steps)
                retired = f"{target[:40]}_old_{tag}"
                with engine.begin() as connection:
                    connection.execute(text(f"ALTER SCHEMA {quote(target)} RENAME TO {quote(retired)}"))
                    connection.execute(text(f"ALTER SCHEMA {quote(staging)} RENAME TO {quote(target)}"))
                    connection.execute(text(f"DROP SCHEMA {quote(retired)} CASCADE"))
            except BaseException:
                with suppress(Exception), engine.begin() as connection:
                    connection.execute(text(f"DROP SCHEMA IF EXISTS {quote(staging)} CASCADE"))
                raise
        progress("完成", steps, steps)
    finally:
        engine.dispose()


def _dumped_schema(scratch: Engine, source: Path, extensions: str) -> str:
    """The schema the backup was made from, as it now stands in the scratch database (beside
    the one holding pg_trgm, made there before the restore)."""
    with scratch.connect() as connection:
        names = connection.scalars(
            text(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                "AND nspname <> 'information_schema' AND nspname <> :extensions"
            ),
            {"extensions": extensions},
        ).all()
    if len(names) != 1:
        raise EduplanError(f"备份文件 {source} 的内容不是一个台账（找到的模式：{'、'.join(names) or '无'}）")
    return names[0]
