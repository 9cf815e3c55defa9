"""The web app in-process (FastAPI's TestClient), on a fresh ledger holding the demo bureau.

``seeded`` is the demo data without the corpus plus a small hand-made plan whose items are
assigned to known units, so tests can reason about who may see what:

* 开学工作检查 (基教股, 各学校) · 教研活动周 (教研室) · 城关中学开放日 (城关中学)
* 第二中学安全演练 (第二中学) · 全县教师大会 (办公室)

``login(role)`` gives a client signed in as that demo user, with ``client.csrf`` set.
``db_sessions`` is a session factory on the same database, ``db_session`` one open session.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

import eduplan.web.routes  # noqa: F401  (see below)
from eduplan.demo.bureau import DEMO_BUREAU, DEMO_USERS, seed_demo
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.plan import Item, Plan

# The app's modules are imported here, before any test pins "today" by monkeypatching
# ``eduplan.ledger.clock.today``: a module first imported under the patch (create_app imports the
# routes lazily) and doing ``from eduplan.ledger.clock import today as clock_today`` kept the fake
# for good, so test_figures_agree after test_dashboard saw 2024-09-16 in some figures and today in
# others (the 工作台 showed 0.0% where 督办 showed 40.0%).

BY_NAME = {username: password for username, password, *_ in DEMO_USERS}
ROLE_USER = {
    "admin": "admin",
    "office": "jijiao",
    "office2": "jiaoyan",
    "school": "chengguan",
    "school2": "dierzhong",
    "guest": "guest",
}

PLAN_TITLE = "示例县教育局2024年秋季学期工作安排"
PLAN_ITEMS = [
    ("开学工作检查", date(2024, 9, 2), date(2024, 9, 6), ["基教股", "各学校"]),
    ("教研活动周", date(2024, 9, 9), date(2024, 9, 13), ["教研室"]),
    ("城关中学开放日", date(2024, 9, 12), date(2024, 9, 12), ["城关中学"]),
    ("第二中学安全演练", date(2024, 9, 20), date(2024, 9, 20), ["第二中学"]),
    ("全县教师大会", date(2024, 9, 10), date(2024, 9, 10), ["办公室"]),
]


def sample_plan() -> Plan:
    return Plan(
        source={"name": "sample.txt", "format": "txt", "encoding": "utf-8"},
        kind="plan",
        title=PLAN_TITLE,
        issuer=DEMO_BUREAU,
        period_start=date(2024, 9, 1),
        period_end=date(2025, 1, 31),
        items=[
            Item(t, f"{t}：按通知要求做好相关工作", s, e, u, None, n)
            for n, (t, s, e, u) in enumerate(PLAN_ITEMS, 1)
        ],
    )


@pytest.fixture(autouse=True, scope="session")
def _quick_argon2():
    """Real argon2 hashes, with the smallest cost parameters: the tests hash many passwords."""
    from argon2 import PasswordHasher

    from eduplan.ledger import passwords

    saved = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = saved


@pytest.fixture(autouse=True)
def _uploads_wait_for_their_reading(monkeypatch):
    """An upload's answer waits up to 60 s (not 3) for the reading, so a test that uploads and
    goes on to the draft does not get the waiting page when CI's two cores are busy (seen: the
    hostile-content upload answered /import/jobs/1 under load). The tests of the waiting page set
    EDUPLAN_IMPORT_WAIT_SECONDS themselves."""
    monkeypatch.setenv("EDUPLAN_IMPORT_WAIT_SECONDS", "60")


@pytest.fixture
def web_db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'web.db'}"


@pytest.fixture
def seeded(web_db) -> dict:
    """The demo bureau and users plus the sample plan; returns {"plan_id": …, "url": …}."""
    factory = sessions(connect(web_db))
    with factory.begin() as session:
        seed_demo(session, corpus=None)
        result = import_plan(session, sample_plan(), b"sample plan v1", bureau=DEMO_BUREAU, actor="test")
    return {"plan_id": result.plan_id, "url": web_db}


@pytest.fixture
def app(seeded):
    from eduplan.web.app import create_app

    app = create_app(seeded["url"])
    yield app
    # Its pooled connections end with the test: on PostgreSQL hundreds of apps left to the garbage
    # collector used up the server's max_connections before it ran.
    app.state.engine.dispose()


def _csrf(client: TestClient) -> str:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the login page carries a CSRF token"
    return match.group(1)


@pytest.fixture
def login(app):
    """``login("admin"|"office"|"office2"|"school"|"school2"|"guest")`` → a signed-in client."""

    def sign_in(role: str) -> TestClient:
        client = TestClient(app)
        username = ROLE_USER[role]
        token = _csrf(client)
        response = client.post(
            "/login",
            data={"username": username, "password": BY_NAME[username], "csrf_token": token, "next": "/"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        # Signing in starts a new session (no fixation), with a CSRF token of its own.
        client.csrf = _csrf(client)
        return client

    return sign_in


@pytest.fixture(params=["sqlite", "postgresql"])
def web_db_both(request, tmp_path):
    """A web database on SQLite, then on PostgreSQL (a schema of its own, dropped afterwards), for
    a module that overrides ``web_db`` with it: ``def web_db(web_db_both): return web_db_both``.
    Without a PostgreSQL server that half is skipped, as in tests/ledger (failed under CI)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'web.db'}"
        return
    with request.getfixturevalue("postgresql").schema() as (_, url):
        yield url


@pytest.fixture
def db_sessions(seeded):
    """A session factory (``with db_sessions() as session``, ``db_sessions.begin()``) on the seeded
    web database, for a test to look at or set up rows beside the app; disposed afterwards."""
    engine = connect(seeded["url"])
    yield sessions(engine)
    engine.dispose()


@pytest.fixture
def db_session(db_sessions):
    """One open session on the seeded web database, for the length of the test."""
    with db_sessions() as session:
        yield session
