"""Shared fixtures: where the repository, the corpus and the `eduplan` command are, a way to run
the real command in a subprocess with bounded memory, and the PostgreSQL server of the tests.

PostgreSQL: ``EDUPLAN_TEST_PG_URL`` (default the local server's database ``test``). The
``postgresql`` fixture is the one place that URL is read and the server is asked whether it
answers: without a server a test using it is skipped with the reason, except under CI (``CI``
set), where a missing server is a failure. ``postgresql.schema()`` gives a URL on a schema of its
own, dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
"""The corpora and the scorer, beside the repository. Tests that use it skip, naming it, where it
is absent (a fresh clone); CI always has it, so there a missing folder stops the run instead."""
MEMORY_LIMIT_BYTES = 2 * 1024**3  # RLIMIT_AS for every subprocess run of the CLI
CHROMIUM = Path("/usr/bin/chromium")
PG_URL = os.environ.get("EDUPLAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_configure(config: pytest.Config) -> None:
    """Under CI (``CI`` set) the tests that use ../shared must run, not skip: refuse to start
    without it."""
    if os.environ.get("CI") and not (SHARED / "corpus" / "dev").is_dir():
        raise pytest.UsageError(
            f"CI needs the shared folder beside the repository ({SHARED / 'corpus' / 'dev'} is missing); "
            "its tests would otherwise be skipped"
        )


def missing(reason: str) -> NoReturn:
    """What a test needs from outside the repository — PostgreSQL, Chromium, LibreOffice, the shared
    corpus — is not there: on a developer's machine the test is skipped with the reason; under CI
    (``CI`` set, as ``.ci/run`` does) it fails, since CI provides them all and a skip would hide it."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must provide it (.ci/run installs and starts it)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_folder() -> Path:
    """``../shared`` (corpora, scorer) beside the repository."""
    if not (SHARED / "corpus" / "dev").is_dir():
        missing(f"the shared folder is absent: {SHARED} (it must sit beside the repository)")
    return SHARED


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's ``soffice``, for .doc/.wps/.et conversion."""
    path = shutil.which("soffice")
    if path is None:
        missing("没有 soffice（Debian 的 libreoffice-writer-nogui 和 libreoffice-calc-nogui），跳过转换测试")
    return path


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium, which Playwright drives (never a downloaded browser)."""
    if not CHROMIUM.exists():
        missing(f"没有 {CHROMIUM}（Debian 的 chromium 软件包：apt-get install chromium），跳过端到端测试")
    return CHROMIUM


@dataclass
class CliRun:
    returncode: int
    stdout: bytes
    stderr: bytes
    max_rss_bytes: int
    timed_out: bool

    @property
    def stderr_lines(self) -> list[str]:
        return self.stderr.decode("utf-8", "replace").splitlines()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def eduplan_command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m eduplan.cli``."""
    script = Path(sys.executable).parent / "eduplan"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "eduplan.cli"]


def run_eduplan_process(
    args: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 120.0,
) -> CliRun:
    """Run `eduplan ARGS` under RLIMIT_AS 2 GB; report its own peak RSS (os.wait4)."""
    out_path, err_path = cwd / ".cli-stdout", cwd / ".cli-stderr"
    full_env = dict(os.environ)
    full_env.pop("EDUPLAN_DEBUG", None)
    full_env.update(env or {})
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(
            [*eduplan_command(), *map(str, args)],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=full_env,
            preexec_fn=_limit_memory,
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    run = CliRun(
        returncode=proc.returncode,
        stdout=out_path.read_bytes(),
        stderr=err_path.read_bytes(),
        max_rss_bytes=usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024),
        timed_out=timed_out.is_set(),
    )
    out_path.unlink()
    err_path.unlink()
    return run


@pytest.fixture
def run_eduplan(tmp_path: Path) -> Callable[..., CliRun]:
    """Call as ``run_eduplan("parse", file, "--format", "json")``; runs in a fresh folder."""
    workdir = tmp_path / "cwd"
    workdir.mkdir()

    def run(
        *args: str | os.PathLike[str], env: dict[str, str] | None = None, timeout: float = 120.0
    ) -> CliRun:
        return run_eduplan_process(args, cwd=workdir, env=env, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    return SHARED / "corpus" / "dev"


@pytest.fixture(scope="session")
def run_async():
    """Run a coroutine to completion on a fresh event loop in its own thread. ``asyncio.run`` in
    the test's thread fails once Playwright's session-wide sync API (the e2e tests) has a loop
    running there."""

    def run(coroutine):
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, coroutine).result()

    return run


# ---------------------------------------------------------------- PostgreSQL


@cache
def pg_unavailable() -> str | None:
    """Why the PostgreSQL server cannot be used here, or None when it can (asked once a run)."""
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: not available
        return f"PostgreSQL at {PG_URL} is not reachable ({type(exc).__name__})"
    return None


@dataclass(frozen=True)
class PostgreSQL:
    """The reachable server: ``url`` (its database), ``schema()`` (a fresh schema's URL)."""

    url: str

    def schema_url(self, schema: str) -> str:
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}options=-csearch_path%3D{schema}"

    @contextmanager
    def schema(self) -> Iterator[tuple[str, str]]:
        """``(name, url)`` of a new empty schema, dropped with everything in it afterwards."""
        from sqlalchemy import create_engine, text

        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        try:
            yield name, self.schema_url(name)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
            admin.dispose()


@pytest.fixture(scope="session")
def postgresql() -> PostgreSQL:
    """The PostgreSQL server; skipped with the reason where none answers, failed under CI."""
    reason = pg_unavailable()
    if reason:
        missing(f"{reason}: PostgreSQL half skipped")
    return PostgreSQL(PG_URL)


# The ledger's database, for every test of the ledger and the stages above it (supervise,
# reports, demo): it runs twice, on a SQLite file and on the real PostgreSQL server, each test on
# a schema of its own (skipped with the reason where no server answers, failed under CI).
@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request, tmp_path) -> Iterator[str]:
    """A database URL of an empty ledger (no tables yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    with request.getfixturevalue("postgresql").schema() as (_, url):
        yield url


@pytest.fixture
def engine(ledger_url):
    """An engine on a ledger migrated to the newest schema."""
    from eduplan.ledger.db import connect

    engine = connect(ledger_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    from eduplan.ledger.db import sessions

    return sessions(engine)
