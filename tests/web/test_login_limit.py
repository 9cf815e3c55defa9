"""Login rate limiting: five failures for one account from one address lock that account for that
address for 15 minutes; other addresses and other accounts are unaffected; 100 failures from one
address across accounts stop that address. Time comes from a fake clock; each test runs on SQLite
and on PostgreSQL (the failures live in the database, shared by every server process)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from eduplan.ledger import clock
from eduplan.ledger.models import LoginFailure
from eduplan.web import ratelimit

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
SCHOOL_NAT = ("10.8.0.1", 50000)
HOME = ("192.168.1.20", 50000)
RIGHT = {"chengguan": "chengguan-2026", "dierzhong": "dierzhong-2026", "guest": "guest-2026"}


@pytest.fixture
def web_db(web_db_both):
    return web_db_both


class FakeClock:
    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def fake_clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


@pytest.fixture
def client_from(app):
    """``client_from(address)`` → a client whose requests come from that (host, port)."""
    made = []

    def make(address: tuple[str, int]) -> TestClient:
        client = TestClient(app, client=address)
        made.append(client)
        return client

    yield make
    app.state.engine.dispose()


def attempt(client: TestClient, username: str, password: str):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )


def fail(client: TestClient, username: str, times: int) -> None:
    for _ in range(times):
        response = attempt(client, username, "wrong-password")
        assert response.status_code == 400, response.text
        assert "用户名或密码不对" in response.text


def alert(response) -> str:
    return re.search(r'<p class="error" role="alert">([^<]+)</p>', response.text).group(1)


def test_five_failures_lock_the_account_for_that_address_for_15_minutes(client_from, fake_clock):
    school = client_from(SCHOOL_NAT)
    fail(school, "chengguan", 4)
    fake_clock.advance(minutes=2)
    fail(school, "chengguan", 1)  # the fifth, within 15 minutes of the first
    refused = attempt(school, "chengguan", RIGHT["chengguan"])  # even the right password
    assert refused.status_code == 429
    assert alert(refused) == "该账号在本机登录失败次数过多，已暂时锁定，请 15 分钟后再试（其他电脑不受影响）"
    assert refused.headers["retry-after"] == "900"
    fake_clock.advance(minutes=10, seconds=30)
    refused = attempt(school, "chengguan", RIGHT["chengguan"])
    assert refused.status_code == 429 and "请 5 分钟后再试" in alert(refused)  # 4.5 minutes, rounded up
    assert refused.headers["retry-after"] == "300"
    fake_clock.advance(minutes=4, seconds=30)  # 15 minutes after the fifth failure
    assert attempt(school, "chengguan", RIGHT["chengguan"]).status_code == 303


def test_attempts_while_locked_do_not_extend_the_lock(client_from, fake_clock):
    school = client_from(SCHOOL_NAT)
    fail(school, "chengguan", 5)
    for _ in range(3):
        fake_clock.advance(minutes=4)
        assert attempt(school, "chengguan", "still-wrong").status_code == 429
    fake_clock.advance(minutes=3)  # 15 minutes after the fifth failure
    assert attempt(school, "chengguan", RIGHT["chengguan"]).status_code == 303


def test_the_lock_is_for_one_account_from_one_address(client_from, fake_clock):
    school, home = client_from(SCHOOL_NAT), client_from(HOME)
    fail(school, "chengguan", 5)
    assert attempt(school, "chengguan", RIGHT["chengguan"]).status_code == 429
    # The same account from another address signs in …
    assert attempt(home, "chengguan", RIGHT["chengguan"]).status_code == 303
    # … and another account behind the same school address too.
    assert attempt(client_from(SCHOOL_NAT), "dierzhong", RIGHT["dierzhong"]).status_code == 303
    # The locked pair stays locked.
    assert attempt(school, "chengguan", RIGHT["chengguan"]).status_code == 429


def test_failures_spread_over_more_than_15_minutes_do_not_lock(client_from, fake_clock):
    school = client_from(SCHOOL_NAT)
    for _ in range(5):
        fail(school, "chengguan", 1)
        fake_clock.advance(minutes=4)  # failures at 0, 4, 8, 12, 16 minutes: never 5 within 15
    assert attempt(school, "chengguan", RIGHT["chengguan"]).status_code == 303


def test_a_successful_sign_in_clears_the_accounts_failures_from_that_address(app, client_from, fake_clock):
    school, home = client_from(SCHOOL_NAT), client_from(HOME)
    fail(school, "chengguan", 4)
    fail(home, "chengguan", 2)
    assert attempt(school, "chengguan", RIGHT["chengguan"]).status_code == 303
    with app.state.sessions() as session:
        left = session.execute(select(LoginFailure.username, LoginFailure.address)).all()
    assert sorted(left) == [("chengguan", HOME[0]), ("chengguan", HOME[0])]
    fail(school, "chengguan", 4)  # four more: not five since the success
    assert attempt(school, "chengguan", RIGHT["chengguan"]).status_code == 303


def test_unknown_accounts_are_counted_and_refused_alike(client_from, fake_clock):
    school = client_from(SCHOOL_NAT)
    fail(school, "no-such-user", 5)
    fail(school, "chengguan", 5)
    unknown = attempt(school, "no-such-user", "x")
    known = attempt(school, "chengguan", "x")
    assert unknown.status_code == known.status_code == 429
    assert alert(unknown) == alert(known)  # the refusal does not tell which accounts exist


def test_a_long_username_is_counted_without_error(client_from, fake_clock):
    school = client_from(SCHOOL_NAT)
    fail(school, "x" * 300, 5)  # LoginFailure.username holds 64 characters
    assert attempt(school, "x" * 300, "wrong").status_code == 429


def test_spraying_from_one_address_stops_that_address_only(app, client_from, fake_clock):
    nat = client_from(SCHOOL_NAT)
    for n in range(ratelimit.ADDRESS_LIMIT):
        fail(nat, f"spray{n}", 1)  # one try per account: no account reaches five
    refused = attempt(nat, "guest", RIGHT["guest"])
    assert refused.status_code == 429
    assert alert(refused) == "本机地址登录失败次数过多，已暂停登录，请 15 分钟后再试"
    assert attempt(client_from(HOME), "guest", RIGHT["guest"]).status_code == 303
    fake_clock.advance(minutes=15)
    assert attempt(nat, "guest", RIGHT["guest"]).status_code == 303


def test_the_count_is_shared_by_server_processes(seeded, client_from, fake_clock):
    """Two apps on one database (as two uvicorn workers would be): failures seen by one lock the other."""
    from eduplan.web.app import create_app

    other = create_app(seeded["url"])
    try:
        fail(client_from(SCHOOL_NAT), "chengguan", 3)
        fail(TestClient(other, client=SCHOOL_NAT), "chengguan", 2)
        assert attempt(client_from(SCHOOL_NAT), "chengguan", RIGHT["chengguan"]).status_code == 429
    finally:
        other.state.engine.dispose()


def test_old_failures_are_deleted_when_new_ones_are_recorded(app, client_from, fake_clock):
    school = client_from(SCHOOL_NAT)
    fail(school, "chengguan", 3)
    fake_clock.advance(days=1, minutes=1)
    fail(school, "dierzhong", 1)
    with app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == 1


# ---------------------------------------------------------------- forwarded headers (issue 13)

ATTACKER = ("203.0.113.9", 50000)
PROXY = ("10.0.0.2", 50000)


def attempt_via(client: TestClient, username: str, password: str, forwarded: str):
    """A sign-in whose requests claim, in X-Forwarded-For, to come from ``forwarded``."""
    headers = {"X-Forwarded-For": forwarded}
    page = client.get("/login", headers=headers)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        headers=headers,
        follow_redirects=False,
    )


def failure_addresses(app) -> set[str]:
    with app.state.sessions() as session:
        return set(session.scalars(select(LoginFailure.address)))


def test_a_forged_x_forwarded_for_neither_bypasses_nor_locks_out(app, client_from, fake_clock):
    attacker = client_from(ATTACKER)
    # Six failures, each claiming another address, and the victim's: all counted against the
    # attacker's own connection, so the account locks there …
    for n in range(5):
        forged = SCHOOL_NAT[0] if n % 2 else f"198.51.100.{n}"
        assert attempt_via(attacker, "chengguan", "wrong-password", forged).status_code == 400
    # … the right password with a made-up header does not get past the lock …
    assert attempt_via(attacker, "chengguan", RIGHT["chengguan"], "192.0.2.77").status_code == 429
    assert failure_addresses(app) == {ATTACKER[0]}
    # … and the victim whose address was claimed is not locked out.
    assert attempt(client_from(SCHOOL_NAT), "chengguan", RIGHT["chengguan"]).status_code == 303


@pytest.fixture
def proxied_app(seeded):
    from eduplan.settings import WebSettings
    from eduplan.web.app import create_app

    web = create_app(seeded["url"], WebSettings(forwarded_allow_ips=(PROXY[0],)))
    yield web
    web.state.engine.dispose()


def test_a_named_proxy_is_believed_and_only_it(proxied_app, fake_clock):
    proxy = TestClient(proxied_app, client=PROXY)
    # Behind the named proxy the client's address is the forwarded one: the lock is for it …
    fail_via = [attempt_via(proxy, "chengguan", "wrong-password", "198.51.100.7") for _ in range(5)]
    assert [r.status_code for r in fail_via] == [400] * 5
    assert attempt_via(proxy, "chengguan", RIGHT["chengguan"], "198.51.100.7").status_code == 429
    # … so another client behind the same proxy still signs in.
    assert attempt_via(proxy, "chengguan", RIGHT["chengguan"], "198.51.100.8").status_code == 303
    assert failure_addresses(proxied_app) == {"198.51.100.7"}
    # A client that is not the proxy is not believed when it sends the header itself.
    stranger = TestClient(proxied_app, client=ATTACKER)
    assert attempt_via(stranger, "dierzhong", "wrong-password", "198.51.100.9").status_code == 400
    assert failure_addresses(proxied_app) == {"198.51.100.7", ATTACKER[0]}


# ---------------------------------------------------------------- constant-time sign-in (issue 13)


def test_an_unknown_or_inactive_name_costs_one_hash_check_and_reads_the_same(app, client_from, monkeypatch):
    """Timing itself is a benchmark line (``eduplan bench login``); here: every refusal verifies
    one argon2 hash (a dummy one when the name does not exist or the account is inactive) and
    answers with the same words and status."""
    from eduplan.ledger import passwords
    from eduplan.ledger.models import User
    from eduplan.web.routes import login as login_route

    with app.state.sessions.begin() as session:
        session.scalars(select(User).where(User.username == "guest")).one().active = False
    checked: list[str] = []
    real_verify = passwords.verify_password

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(login_route, "verify_password", counting)
    answers = {}
    for n, (username, password) in enumerate(
        [("chengguan", "wrong-password"), ("no-such-user", "wrong-password"), ("guest", RIGHT["guest"])]
    ):
        response = attempt(client_from((f"10.66.0.{n + 1}", 50000)), username, password)
        answers[username] = (response.status_code, alert(response))
    assert set(answers.values()) == {(400, "用户名或密码不对")}
    assert len(checked) == 3
    assert checked[1] == checked[2] == passwords.dummy_hash()  # the unknown and the inactive one
    assert checked[0] != checked[1] and checked[1].startswith("$argon2")
