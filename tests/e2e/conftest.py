"""End-to-end: the real server (``eduplan demo`` then ``eduplan serve`` in a subprocess) used
through headless Chromium, as a person would.

The browser is Debian's ``/usr/bin/chromium`` driven by Playwright's sync API — never one
downloaded by ``playwright install``. Without it the tests are skipped, except under CI (``CI``
set), where they fail: ``.ci/run`` installs it.

The demo database holds the demo bureau, its accounts (``eduplan.demo.bureau.DEMO_USERS``) and
the dev corpus except :data:`IMPORT_DOCUMENT`, which a test imports through the import page.
Every test gets a fresh browser context (no cookies); the ``sign_in`` fixture signs in.
Screenshots of the main pages go to ``out/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from eduplan.demo.bureau import DEMO_USERS

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = REPO / "out" / "screenshots"
CORPUS = SHARED / "corpus" / "dev"
IMPORT_DOCUMENT = "004_d1a5ab93dabdedf6.txt"
"""新晃侗族自治县教育局2021年下半年工作计划 (21 items): left out of the demo, imported in a test."""
PASSWORDS = {username: password for username, password, *_ in DEMO_USERS}
STARTUP_SECONDS = 60
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip, or under CI fail, every end-to-end test when the browser is missing."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        # Fail loudly: each test errors in the ``browser`` fixture below.
        return
    reason = f"没有 {CHROMIUM}（Debian 的 chromium 软件包：apt-get install chromium），跳过端到端测试"
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.skip(reason=reason))


SERVER_LOGS: list[Path] = []
"""The running server's log, shown under a failed test's report."""
LOG_LINES = 80


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed and SERVER_LOGS and SERVER_LOGS[-1].exists():
        lines = SERVER_LOGS[-1].read_text(encoding="utf-8", errors="replace").splitlines()
        report.sections.append((f"eduplan serve log (last {LOG_LINES} lines)", "\n".join(lines[-LOG_LINES:])))
    return report


def eduplan_command() -> list[str]:
    """The console script beside this interpreter, else ``python -m eduplan.cli``."""
    script = Path(sys.executable).parent / "eduplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "eduplan.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    url: str
    db_url: str
    folder: Path
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _run(args: list[str], log: Path, timeout: float) -> None:
    with log.open("ab") as out:
        done = subprocess.run(
            [*eduplan_command(), *args], stdout=out, stderr=subprocess.STDOUT, cwd=log.parent, timeout=timeout
        )
    if done.returncode != 0:
        pytest.fail(f"eduplan {args[0]} failed ({done.returncode}):\n{log.read_text(errors='replace')}")


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"eduplan serve exited ({proc.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"eduplan serve did not answer within {STARTUP_SECONDS} s:\n{log.read_text(errors='replace')}"
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``eduplan demo`` into a fresh SQLite file, then ``eduplan serve`` on a free port."""
    folder = tmp_path_factory.mktemp("e2e")
    corpus = folder / "corpus"
    corpus.mkdir()
    if CORPUS.is_dir():
        for path in sorted(CORPUS.iterdir()):
            if path.name != IMPORT_DOCUMENT and not path.name.endswith(".gold.json"):
                shutil.copy(path, corpus / path.name)
    db_url = f"sqlite:///{folder / 'e2e.db'}"
    log = folder / "server.log"
    # Without the dev corpus (a fresh clone) the demo's own sample documents are its plans.
    _run(["demo", "--db", db_url, *(["--corpus", str(corpus)] if CORPUS.is_dir() else [])], log, timeout=300)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "EDUPLAN_SECRET_KEY": "e2e-secret-key"}
    env.pop("EDUPLAN_DEBUG", None)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [*eduplan_command(), "serve", "--port", str(port), "--db", db_url],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=folder,
            env=env,
        )
    SERVER_LOGS.append(log)
    try:
        _wait_until_up(url, proc, log)
        yield Server(url, db_url, folder, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def corpus(shared_folder) -> Path:
    """The dev corpus beside the repository (its documents are the demo's plans)."""
    return CORPUS


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: Server):
    """A fresh browser context (no cookies) opening pages of the test server."""
    context = browser.new_context(
        base_url=server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


def _sign_in(page, username: str, next_path: str = "/") -> None:
    page.goto(f"/login?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    with page.expect_navigation():
        page.click("button[type=submit]")


def _screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def sign_in():
    """``sign_in(page, username, next_path="/")``: through the login form, as a person would."""
    return _sign_in


@pytest.fixture(scope="session")
def screenshot():
    """``screenshot(page, name)``: the whole page as ``out/screenshots/NAME.png``."""
    return _screenshot
