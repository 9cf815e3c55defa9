"""Shared fixtures: where the repository, the corpus and the `eduplan` command are, and a
way to run the real command in a subprocess with bounded memory."""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
"""The corpora and the scorer, beside the repository. Tests that use it skip, naming it, where it
is absent (a fresh clone); CI always has it, so there a missing folder stops the run instead."""
MEMORY_LIMIT_BYTES = 2 * 1024**3  # RLIMIT_AS for every subprocess run of the CLI


def pytest_configure(config: pytest.Config) -> None:
    """Under CI (``CI`` set) the tests that use ../shared must run, not skip: refuse to start
    without it."""
    if os.environ.get("CI") and not (SHARED / "corpus" / "dev").is_dir():
        raise pytest.UsageError(
            f"CI needs the shared folder beside the repository ({SHARED / 'corpus' / 'dev'} is missing); "
            "its tests would otherwise be skipped"
        )


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
