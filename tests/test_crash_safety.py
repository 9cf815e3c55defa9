"""Crash safety: the real server (``eduplan serve`` in a subprocess) on a SQLite file and on
PostgreSQL is killed with SIGKILL in the middle of a large import while a burst of progress
reports (API with a bearer token, and the item page's form with attachments) is going on. After
a restart the database passes its integrity check, the import is wholly present or wholly absent,
and so is every report (its row, its attachments and its audit entry); every report the server
acknowledged is there.

The kill is timed by what the database shows, not by sleeping: the import is the only writer of
``item_units``, so on PostgreSQL the moment it holds a lock on that table it is inside its
transaction; on SQLite a large transaction spills pages to the write-ahead log before it commits,
so frames without a commit mark at the end of the log mean the import is under way.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, exists, func, select, text

from eduplan.ledger.backup import ledger_fingerprint
from eduplan.ledger.clock import now
from eduplan.ledger.db import connect, make_engine, sessions
from eduplan.ledger.importer import read_and_import
from eduplan.ledger.models import (
    ApiToken,
    Attachment,
    AuditEntry,
    Base,
    Draft,
    Item,
    ItemUnit,
    Organisation,
    Plan,
    PlanVersion,
    ProgressReport,
    User,
)
from eduplan.web.security import new_token, token_digest

BUREAU = "某县教育局"
UNITS = ("基教股", "人事股", "安全股", "教研室", "师训股")
SMALL = (
    f"{BUREAU}2024年秋季学期工作行事历\n周次\t日期\t工作内容\t责任股室\n"
    + "".join(f"{n}\t9.{n + 1}—9.{n + 5}\t第{n}周常规工作检查\t{UNITS[n]}\n" for n in range(1, 4))
).encode()
BIG_TITLE = f"{BUREAU}2024年秋季学期全县工作安排总表"
BIG_ITEMS = 4000
API_WORKERS = 3
ACKS_BEFORE_IMPORT = 20
STARTUP_SECONDS = 60
WAIT_SECONDS = 120


def big_plan(title: str = BIG_TITLE) -> bytes:
    """A calendar of BIG_ITEMS rows, each naming two offices (so 2 × BIG_ITEMS unit links)."""
    lines = [title, "周次\t日期\t工作内容\t责任股室"]
    for i in range(BIG_ITEMS):
        start = date(2024, 9, 2) + timedelta(days=i % 120)
        end = start + timedelta(days=3)
        lines.append(
            f"{i % 20 + 1}\t{start.month}.{start.day}—{end.month}.{end.day}\t"
            f"第{i}项：组织开展全县中小学校园安全隐患排查整治与教学常规检查，落实责任到人，"
            f"按期完成并报送总结材料，编号{i:05d}\t{UNITS[i % 5]}、{UNITS[(i + 1) % 5]}"
        )
    return "\n".join(lines).encode()


def attachments_for(text_: str) -> list[tuple[str, bytes]]:
    """The two files the form worker sends with report ``text_`` (distinct bytes per report)."""
    tag = hashlib.sha256(text_.encode()).digest()
    return [
        ("进展.pdf", b"%PDF-1.4\n%" + tag + b"\x00\xff" * 512),
        ("现场.png", b"\x89PNG\r\n\x1a\n" + tag * 64),
    ]


# ---------------------------------------------------------------- the database under test


@dataclass
class Ledger:
    kind: str
    url: str
    path: Path | None = None  # SQLite file
    schema: str | None = None  # PostgreSQL schema


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request, tmp_path) -> Iterator[Ledger]:
    if request.param == "sqlite":
        path = tmp_path / "crash.db"
        yield Ledger("sqlite", f"sqlite:///{path}", path=path)
        return
    with request.getfixturevalue("postgresql").schema() as (schema, url):
        yield Ledger("postgresql", url, schema=schema)


def seed(url: str) -> tuple[str, list[int]]:
    """A small plan (three items) and an administrator with an API token."""
    engine = connect(url)
    with sessions(engine).begin() as session:
        read_and_import(session, SMALL, "small.txt", bureau=BUREAU)
        bureau = session.scalars(select(Organisation).where(Organisation.kind == "bureau")).one()
        admin = User(
            username="admin",
            display_name="管理员",
            password_hash="!",  # never signs in with a password: the test uses a token
            role="admin",
            bureau_id=bureau.id,
            created_at=now(),
        )
        session.add(admin)
        session.flush()
        secret = new_token()
        session.add(
            ApiToken(user_id=admin.id, name="崩溃测试", token_hash=token_digest(secret), created_at=now())
        )
        items = list(session.scalars(select(Item.id).order_by(Item.id)))
    engine.dispose()
    return secret, items


# ---------------------------------------------------------------- the server


def _eduplan() -> list[str]:
    script = Path(sys.executable).parent / "eduplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "eduplan.cli"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``eduplan serve`` on a free port, killed with SIGKILL (never a clean shutdown)."""

    def __init__(self, db_url: str, folder: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"server-{self.port}.log"
        env = {**os.environ, "EDUPLAN_SECRET_KEY": "crash-test-secret"}
        env.pop("EDUPLAN_DEBUG", None)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*_eduplan(), "serve", "--port", str(self.port), "--db", db_url],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=folder,
                env=env,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"eduplan serve exited ({self.proc.returncode}):\n{self.log_text()}")
            try:
                if httpx.get(self.url + "/login", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        pytest.fail(f"eduplan serve did not answer within {STARTUP_SECONDS} s:\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


# ---------------------------------------------------------------- load


@dataclass
class Burst:
    """Threads sending progress reports until the server goes away."""

    url: str
    token: str
    items: list[int]
    sent: set[str] = field(default_factory=set)
    acked: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for n in range(API_WORKERS):
            self.threads.append(threading.Thread(target=self._api, args=(n,), daemon=True))
        self.threads.append(threading.Thread(target=self._form, daemon=True))
        for thread in self.threads:
            thread.start()

    def acknowledged(self) -> int:
        with self.lock:
            return len(self.acked)

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=WAIT_SECONDS)

    def _client(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=WAIT_SECONDS
        )

    def _send(self, text_: str, call) -> bool:
        with self.lock:
            self.sent.add(text_)
        try:
            response = call()
        except httpx.TransportError:
            return False  # the server was killed: this report's fate is unknown to the client
        with self.lock:
            if response.status_code in (201, 303):
                self.acked.add(text_)
            else:
                self.failures.append(f"{response.status_code} {response.text[:200]}")
        return True

    def _api(self, n: int) -> None:
        with self._client() as client:
            seq = 0
            while not self.stop.is_set():
                text_ = f"接口填报 {n}-{seq}"
                item = self.items[seq % len(self.items)]
                payload = {"text": text_, "percent": seq % 101}
                if not self._send(text_, partial(client.post, f"/api/v1/items/{item}/reports", json=payload)):
                    return
                seq += 1

    def _form(self) -> None:
        with self._client() as client:
            seq = 0
            while not self.stop.is_set():
                text_ = f"页面填报 {seq}"
                item = self.items[seq % len(self.items)]
                files = [
                    ("files", (name, data, "application/octet-stream"))
                    for name, data in attachments_for(text_)
                ]

                def post(item=item, text_=text_, files=files):
                    return client.post(
                        f"/items/{item}/reports",
                        data={"text": text_, "percent": "50"},
                        files=files,
                        follow_redirects=False,
                    )

                if not self._send(text_, post):
                    return
                seq += 1


def _wait_for(condition, what: str, server: Server) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"timed out waiting for {what}:\n{server.log_text()}")
        time.sleep(0.005)


# ---------------------------------------------------------------- is the import under way?


def sqlite_uncommitted_frames(db: Path) -> bool:
    """True when the write-ahead log ends in frames of a transaction not yet committed."""
    try:
        with open(f"{db}-wal", "rb") as wal:
            header = wal.read(32)
            if len(header) < 32:
                return False
            page_size = struct.unpack(">I", header[8:12])[0]
            salts = header[16:24]
            offset, last_commit, frames = 32, None, 0
            while True:
                wal.seek(offset)
                frame = wal.read(24)
                if len(frame) < 24 or frame[8:16] != salts:
                    break
                last_commit = struct.unpack(">I", frame[4:8])[0]
                frames += 1
                offset += 24 + page_size
    except FileNotFoundError:
        return False
    return frames > 0 and last_commit == 0


def pg_import_under_way(ledger: Ledger) -> bool:
    """True when a transaction holds a write lock on ``item_units`` (only an import writes it)."""
    with _pg_probe(ledger.url).connect() as connection:
        return bool(
            connection.scalar(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = :schema AND c.relname = 'item_units' "
                    "AND l.mode = 'RowExclusiveLock' AND l.granted"
                ),
                {"schema": ledger.schema},
            )
        )


def import_under_way(ledger: Ledger) -> Callable[[], bool]:
    """A probe that is true once the import is inside its transaction. On SQLite it must look so
    twice, 5 ms apart: a small report commit caught half written also ends in unmarked frames for
    an instant, while a spilling import stays that way for a long time."""
    if ledger.kind == "postgresql":
        return partial(pg_import_under_way, ledger)

    def spilling() -> bool:
        if not sqlite_uncommitted_frames(ledger.path):
            return False
        time.sleep(0.005)
        return sqlite_uncommitted_frames(ledger.path)

    return spilling


_PROBE: list[Engine] = []


def _pg_probe(url: str) -> Engine:
    if not _PROBE:
        _PROBE.append(create_engine(url, pool_size=1))
    return _PROBE[0]


# ---------------------------------------------------------------- checks after the restart


def integrity_problems(ledger: Ledger, engine: Engine) -> list[str]:
    """What the database's own check and a foreign-key scan of every table find wrong."""
    problems: list[str] = []
    with engine.connect() as connection:
        if ledger.kind == "sqlite":
            result = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems.append(f"integrity_check: {result[:5]}")
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                problems.append(f"foreign_key_check: {broken[:5]}")
        for table in Base.metadata.sorted_tables:
            for fk in table.foreign_key_constraints:
                [column], [target] = fk.columns, [e.column for e in fk.elements]
                parent = target.table.alias("parent")  # organisations refer to organisations
                orphans = connection.scalar(
                    select(func.count())
                    .select_from(table)
                    .where(column.is_not(None), ~exists().where(parent.c[target.name] == column))
                )
                if orphans:
                    problems.append(f"{table.name}.{column.name}: {orphans} rows without {target.table.name}")
    ledger_fingerprint(engine)  # every row of every table reads back
    return problems


def check_plan(session, title: str) -> bool:
    """A big plan is wholly present (version, every item with both units, audit entry) or has
    left no plan row at all; returns whether it is present."""
    plan = session.scalars(select(Plan).where(Plan.title == title)).first()
    if plan is None:
        return False
    versions = session.scalars(select(PlanVersion).where(PlanVersion.plan_id == plan.id)).all()
    assert [v.number for v in versions] == [1]
    assert versions[0].changes["items"] == BIG_ITEMS
    items = session.scalar(select(func.count()).where(Item.plan_id == plan.id))
    units = session.scalar(
        select(func.count()).select_from(ItemUnit).join(Item).where(Item.plan_id == plan.id)
    )
    assert (items, units) == (BIG_ITEMS, 2 * BIG_ITEMS)
    imported = session.scalar(
        select(func.count()).where(
            AuditEntry.action == "import", AuditEntry.entity == "plan", AuditEntry.entity_id == plan.id
        )
    )
    assert imported == 1
    return True


@dataclass(frozen=True)
class Baseline:
    """The seeded ledger's counts, before any big import."""

    units: int
    orgs: int

    @classmethod
    def of(cls, url: str) -> Baseline:
        engine = make_engine(url)
        with sessions(engine)() as session:
            found = cls(
                session.scalar(select(func.count()).select_from(ItemUnit)),
                session.scalar(select(func.count()).select_from(Organisation)),
            )
        engine.dispose()
        return found


def check_totals(session, present: int, baseline: Baseline) -> None:
    """Nothing beyond the small plan and the ``present`` big ones: no orphan item, unit link,
    version, or office created by an import that did not land."""
    assert session.scalar(select(func.count()).select_from(Plan)) == 1 + present
    assert session.scalar(select(func.count()).select_from(PlanVersion)) == 1 + present
    assert session.scalar(select(func.count()).select_from(Item)) == 3 + BIG_ITEMS * present
    assert (
        session.scalar(select(func.count()).select_from(ItemUnit)) == baseline.units + 2 * BIG_ITEMS * present
    )
    # 基教股 and 师训股 appear only in the big plans (created by the first that lands).
    assert session.scalar(select(func.count()).select_from(Organisation)) == baseline.orgs + (
        2 if present else 0
    )


def check_import(session, draft_id: int, baseline: Baseline) -> str:
    """The published draft's import is wholly present or wholly absent; returns which."""
    present = check_plan(session, BIG_TITLE)
    check_totals(session, int(present), baseline)
    draft = session.get(Draft, draft_id)
    published_audit = session.scalar(
        select(func.count()).where(
            AuditEntry.action == "publish", AuditEntry.entity == "draft", AuditEntry.entity_id == draft_id
        )
    )
    if not present:
        assert (draft.published_plan_id, published_audit) == (None, 0)
        return "absent"
    plan_id = session.scalar(select(Plan.id).where(Plan.title == BIG_TITLE))
    assert (draft.published_plan_id, published_audit) == (plan_id, 1)
    return "present"


def check_reports(session, burst: Burst) -> dict[str, int]:
    """Each report with its attachments and its audit entry, or none of them."""
    reports = {r.id: r for r in session.scalars(select(ProgressReport))}
    audits = {
        a.entity_id: a
        for a in session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "report", AuditEntry.action == "create")
        )
    }
    assert set(audits) == set(reports), "a report without its audit entry, or an entry without its report"
    by_report: dict[int, list[Attachment]] = {}
    for attachment in session.scalars(select(Attachment).order_by(Attachment.id)):
        by_report.setdefault(attachment.report_id, []).append(attachment)
    texts = set()
    for report_id, report in reports.items():
        texts.add(report.text)
        assert report.text in burst.sent
        stored = by_report.get(report_id, [])
        assert [a.filename for a in stored] == audits[report_id].after["attachments"]
        if report.text.startswith("页面填报"):
            expected = attachments_for(report.text)
            assert [a.content for a in stored] == [data for _, data in expected]
            assert [a.sha256 for a in stored] == [hashlib.sha256(data).hexdigest() for _, data in expected]
        else:
            assert stored == []
    missing = burst.acked - texts
    assert not missing, f"acknowledged reports lost: {sorted(missing)[:5]}"
    return {
        "sent": len(burst.sent),
        "acknowledged": len(burst.acked),
        "stored": len(reports),
        "in_flight_stored": len(texts - burst.acked),
        "attachments": sum(len(v) for v in by_report.values()),
    }


# ---------------------------------------------------------------- the test


def _draft_of(base: str, auth: dict, answer: dict) -> int:
    """The draft an upload became: at once, or once its reading job is done (the upload's answer
    sends a reading longer than a few seconds to its job; bounded wait, not a timing assertion)."""
    deadline = time.monotonic() + WAIT_SECONDS
    job_id = answer.get("job_id")
    while "draft_id" not in answer and time.monotonic() < deadline:
        time.sleep(0.2)
        answer = httpx.get(
            f"{base}/import/jobs/{job_id}", headers={**auth, "Accept": "application/json"}
        ).json()
        assert answer.get("status") != "failed", answer
    return answer["draft_id"]


def test_sigkill_during_an_import_and_a_report_burst_loses_nothing_half_done(ledger: Ledger, tmp_path: Path):
    token, items = seed(ledger.url)
    baseline = Baseline.of(ledger.url)

    server = Server(ledger.url, tmp_path)
    try:
        auth = {"Authorization": f"Bearer {token}"}
        upload = httpx.post(
            server.url + "/import",
            headers={**auth, "Accept": "application/json"},
            files={"file": ("全县工作安排.txt", big_plan(), "text/plain")},
            timeout=WAIT_SECONDS,
        )
        assert upload.status_code == 200, upload.text[:500]
        draft_id = _draft_of(server.url, auth, upload.json())

        burst = Burst(server.url, token, items)
        burst.start()
        _wait_for(lambda: burst.acknowledged() >= ACKS_BEFORE_IMPORT, "the first reports", server)

        published: list[object] = []

        def publish() -> None:
            try:
                response = httpx.post(
                    f"{server.url}/import/{draft_id}/publish", headers=auth, timeout=WAIT_SECONDS
                )
                published.append(response.status_code)
            except httpx.TransportError as exc:
                published.append(type(exc).__name__)

        publisher = threading.Thread(target=publish, daemon=True)
        publisher.start()
        under_way = import_under_way(ledger)
        _wait_for(lambda: under_way() or bool(published), "the import to be under way", server)
        assert not published, f"the import finished ({published}) before it could be interrupted"
        acked_at_kill = burst.acknowledged()
        server.kill()
        publisher.join(timeout=WAIT_SECONDS)
        burst.join()
        assert burst.failures == []
        assert published and published[0] != 200, (
            "the publish request was answered although the server was killed"
        )
    finally:
        server.kill()

    # Restart on the same database: the server opens it and recovers (SQLite replays its log).
    server = Server(ledger.url, tmp_path)
    try:
        engine = make_engine(ledger.url)
        try:
            assert integrity_problems(ledger, engine) == []
            with sessions(engine)() as session:
                outcome = check_import(session, draft_id, baseline)
                figures = check_reports(session, burst)
        finally:
            engine.dispose()
        # The server works on after the crash: a report goes in, and an absent import publishes.
        auth = {"Authorization": f"Bearer {token}"}
        after = httpx.post(
            f"{server.url}/api/v1/items/{items[0]}/reports",
            headers=auth,
            json={"text": "重启后的填报"},
            timeout=30,
        )
        assert after.status_code == 201, after.text[:300]
        if outcome == "absent":
            again = httpx.post(f"{server.url}/import/{draft_id}/publish", headers=auth, timeout=WAIT_SECONDS)
            assert again.status_code == 200, again.text[:300]
            engine = make_engine(ledger.url)
            with sessions(engine)() as session:
                assert check_import(session, draft_id, baseline) == "present"
            engine.dispose()
    finally:
        server.kill()
    print(
        f"\n[{ledger.kind}] killed with {acked_at_kill} reports acknowledged; import {outcome}; "
        + ", ".join(f"{k} {v}" for k, v in figures.items())
    )
    assert figures["acknowledged"] >= ACKS_BEFORE_IMPORT


def test_the_wal_reader_tells_committed_from_uncommitted_frames(tmp_path: Path):
    import sqlite3

    db = tmp_path / "wal.db"
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA cache_size=10")  # spill early
    writer.execute("CREATE TABLE t (x BLOB)")
    assert not sqlite_uncommitted_frames(db)  # committed: the last frame carries the commit mark
    writer.execute("BEGIN")
    for _ in range(200):
        writer.execute("INSERT INTO t VALUES (randomblob(4000))")
    assert sqlite_uncommitted_frames(db)
    writer.execute("COMMIT")
    assert not sqlite_uncommitted_frames(db)
    writer.close()


SECOND_TITLE = f"{BUREAU}2025年春季学期全县工作安排总表"


def test_sigkill_of_the_import_command_keeps_each_file_whole(ledger: Ledger, tmp_path: Path):
    """``eduplan import`` of two large files (one transaction each) killed, with the server,
    while it stores the second: the first is there in full, the second in full or not at all."""
    token, items = seed(ledger.url)
    baseline = Baseline.of(ledger.url)
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_bytes(big_plan())
    second.write_bytes(big_plan(SECOND_TITLE))

    server = Server(ledger.url, tmp_path)
    burst = Burst(server.url, token, items)
    importer = None
    try:
        burst.start()
        _wait_for(lambda: burst.acknowledged() >= ACKS_BEFORE_IMPORT, "the first reports", server)
        importer = subprocess.Popen(
            [*_eduplan(), "import", str(first), str(second), "--db", ledger.url],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=tmp_path,
        )
        output: list[str] = []
        reader = threading.Thread(
            target=lambda: output.extend(line.decode("utf-8", "replace") for line in importer.stdout),
            daemon=True,
        )
        reader.start()
        # "✓ first.txt" is printed once the first file's transaction has committed.
        _wait_for(lambda: any("✓ first.txt" in line for line in output) or importer.poll() is not None,
                  "the first file to be imported", server)  # fmt: skip
        assert importer.poll() is None, "".join(output)
        under_way = import_under_way(ledger)
        _wait_for(
            lambda: under_way() or importer.poll() is not None, "the second file to be under way", server
        )
        assert importer.poll() is None, f"the import ended before it could be interrupted: {''.join(output)}"
        os.kill(importer.pid, signal.SIGKILL)
        server.kill()
        importer.wait(timeout=30)
        reader.join(timeout=30)
        burst.join()
        assert not any("✓ second.txt" in line for line in output)
        assert burst.failures == []
    finally:
        if importer is not None and importer.poll() is None:
            importer.kill()
            importer.wait()
        server.kill()

    server = Server(ledger.url, tmp_path)  # the restart recovers the database
    try:
        engine = make_engine(ledger.url)
        try:
            assert integrity_problems(ledger, engine) == []
            with sessions(engine)() as session:
                assert check_plan(session, BIG_TITLE)
                second_present = check_plan(session, SECOND_TITLE)
                check_totals(session, 1 + int(second_present), baseline)
                figures = check_reports(session, burst)
        finally:
            engine.dispose()
    finally:
        server.kill()

    # The same command again completes what was cut short, and changes nothing already there.
    again = subprocess.run(
        [*_eduplan(), "import", str(first), str(second), "--db", ledger.url],
        capture_output=True,
        timeout=WAIT_SECONDS * 2,
    )
    assert again.returncode == 0, again.stdout.decode() + again.stderr.decode()
    engine = make_engine(ledger.url)
    with sessions(engine)() as session:
        assert check_plan(session, BIG_TITLE) and check_plan(session, SECOND_TITLE)
        check_totals(session, 2, baseline)
    engine.dispose()
    print(
        f"\n[{ledger.kind}] import command killed in the second file; second file "
        f"{'present' if second_present else 'absent'}; " + ", ".join(f"{k} {v}" for k, v in figures.items())
    )
