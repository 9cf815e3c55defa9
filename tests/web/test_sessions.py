"""Server-side sessions (issue 13): a copied session cookie stops working after sign-out, a
password change, an administrator's reset, deactivation and a role change; a reset also revokes
the user's API tokens and says so; idle and absolute limits; the account page (own sessions,
own password with the old one); an administrator ends anyone's sessions; the cookie carries only
a signed id and its flags. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eduplan.ledger import clock
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import ApiToken, AuditEntry, User, WebSession
from eduplan.settings import WebSettings
from eduplan.web.security import token_digest
from eduplan.web.sessions import COOKIE

REPORT = {"text": "已完成自查", "percent": 50}


@pytest.fixture
def web_db(web_db_both):
    return web_db_both


@pytest.fixture
def db(app):
    factory = sessions(connect(app.state.engine.url.render_as_string(hide_password=False)))
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture(autouse=True)
def _dispose(app):
    yield
    app.state.engine.dispose()


def copy_of(app, client: TestClient) -> TestClient:
    """Another browser holding a copy of ``client``'s session cookie (what a thief would have)."""
    thief = TestClient(app)
    thief.cookies.set(COOKIE, client.cookies[COOKIE])
    return thief


def signed_in(client: TestClient) -> bool:
    return client.get("/api/v1/me").status_code == 200


def item_id(db, title: str = "开学工作检查") -> int:
    from eduplan.ledger.models import Item

    with db() as session:
        return session.scalars(select(Item.id).where(Item.title == title)).first()


def csrf_of(client: TestClient) -> str:
    page = client.get("/account")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def post(client: TestClient, path: str, **data):
    return client.post(path, data={"csrf_token": client.csrf, **data}, follow_redirects=False)


def notice(client: TestClient, response) -> str:
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"]).text
    return re.search(r'<p class="flash" role="status">([^<]*)</p>', page).group(1)


def user_id(db, username: str) -> int:
    with db() as session:
        return session.scalars(select(User.id).where(User.username == username)).one()


def test_a_copied_cookie_stops_working_after_sign_out(app, login, db):
    school = login("school")
    thief = copy_of(app, school)
    assert signed_in(thief)
    response = post(school, "/logout")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert not signed_in(school) and not signed_in(thief)
    # Nor can the copy store a progress report (the attack of issue 13).
    stored = thief.post(
        f"/api/v1/items/{item_id(db)}/reports", json=REPORT, headers={"X-CSRF-Token": school.csrf}
    )
    assert stored.status_code in (401, 403)
    with db() as session:
        left = session.scalars(select(WebSession).where(WebSession.user_id == user_id(db, "chengguan")))
        assert left.all() == []


def test_a_copied_cookie_stops_working_after_an_own_password_change(app, login, db):
    school = login("school")
    elsewhere = login("school")  # the same person on another computer
    thief = copy_of(app, school)
    wrong = post(
        school, "/account/password", old_password="guess", password="new-pass-2027", confirm="new-pass-2027"
    )
    assert notice(school, wrong) == "原密码不对，密码没有修改"
    assert signed_in(thief)  # nothing changed
    school.csrf = csrf_of(school)
    done = post(
        school,
        "/account/password",
        old_password="chengguan-2026",
        password="new-pass-2027",
        confirm="new-pass-2027",
    )
    assert notice(school, done) == "密码已修改；所有登录会话已结束，其他电脑和手机需用新密码重新登录"
    assert signed_in(school)  # this browser goes on, under a new session
    assert not signed_in(thief) and not signed_in(elsewhere)
    with db() as session:
        rows = session.scalars(select(WebSession).where(WebSession.user_id == user_id(db, "chengguan"))).all()
        assert len(rows) == 1
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "user")).all()
        assert "change_password" in actions


def test_a_password_change_needs_the_old_password_and_counts_toward_the_limit(app, login, db):
    school = login("school")
    for _ in range(5):
        school.csrf = csrf_of(school)
        post(school, "/account/password", old_password="guess", password="x" * 10, confirm="x" * 10)
    school.csrf = csrf_of(school)
    locked = post(
        school, "/account/password", old_password="chengguan-2026", password="y" * 10, confirm="y" * 10
    )
    assert "已暂时锁定" in notice(school, locked)
    with db() as session:
        user = session.get(User, user_id(db, "chengguan"))
        from eduplan.ledger.passwords import verify_password

        assert verify_password(user.password_hash, "chengguan-2026")  # unchanged


def test_an_admin_reset_ends_sessions_and_revokes_api_tokens(app, login, db):
    school = login("school")
    made = school.post("/api/v1/tokens", json={"name": "OA 对接"}, headers={"X-CSRF-Token": school.csrf})
    assert made.status_code == 201
    bearer = {"Authorization": f"Bearer {made.json()['token']}"}
    anyone = TestClient(app)
    assert anyone.get("/api/v1/me", headers=bearer).status_code == 200
    thief = copy_of(app, school)
    admin = login("admin")
    done = post(
        admin,
        f"/admin/users/{user_id(db, 'chengguan')}/password",
        password="reset-2027",
        confirm="reset-2027",
    )
    assert notice(admin, done) == (
        "已重设“chengguan”的密码，结束其 1 个登录会话，撤销其 1 个 API 令牌；"
        "请通知本人用新密码登录，对接程序需换用新令牌"
    )
    assert not signed_in(school) and not signed_in(thief)
    refused = anyone.get("/api/v1/me", headers=bearer)
    assert refused.status_code == 401 and refused.json()["detail"] == "API 令牌无效或已撤销"
    assert anyone.post(f"/api/v1/items/{item_id(db)}/reports", json=REPORT, headers=bearer).status_code == 401
    with db() as session:
        token = session.scalars(select(ApiToken)).one()
        assert token.revoked_at is not None
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reset_password")).one()
        assert entry.after["tokens_revoked"] == 1 and entry.after["sessions_ended"] == 1


def test_a_copied_cookie_stops_working_after_deactivation(app, login, db):
    guest = login("guest")
    thief = copy_of(app, guest)
    admin = login("admin")
    response = post(admin, f"/admin/users/{user_id(db, 'guest')}/deactivate")
    assert notice(admin, response) == "已停用账号“guest”，并结束其 1 个登录会话"
    assert not signed_in(thief) and not signed_in(guest)
    # Activated again, the old cookie still signs nobody in (the session is gone, not paused).
    post(admin, f"/admin/users/{user_id(db, 'guest')}/activate")
    assert not signed_in(thief)


def test_a_copied_cookie_stops_working_after_a_role_change(app, login, db):
    office = login("office")
    thief = copy_of(app, office)
    admin = login("admin")
    response = post(admin, f"/admin/users/{user_id(db, 'jijiao')}/role", role="guest", org_id="")
    assert notice(admin, response) == "已把“jijiao”改为访客，并结束其 1 个登录会话"
    assert not signed_in(thief) and not signed_in(office)
    with db() as session:
        assert session.get(User, user_id(db, "jijiao")).role == "guest"
    refused = post(admin, f"/admin/users/{user_id(db, 'admin')}/role", role="guest")
    assert refused.status_code == 400 and "不能修改自己的角色" in refused.text


def test_an_admin_ends_anyones_sessions(app, login, db):
    school = login("school")
    admin = login("admin")
    page = admin.get("/admin/users").text
    assert f'action="/admin/users/{user_id(db, "chengguan")}/sessions/end"' in page
    response = post(admin, f"/admin/users/{user_id(db, 'chengguan')}/sessions/end")
    assert notice(admin, response) == "已结束“chengguan”的 1 个登录会话"
    assert not signed_in(school) and signed_in(admin)


def test_the_account_page_lists_and_ends_own_sessions_only(app, login, db):
    school = TestClient(app, headers={"User-Agent": "TestBrowser/1.0"})
    school_csrf = re.search(r'name="csrf_token" value="([^"]+)"', school.get("/login").text).group(1)
    signed = school.post(
        "/login",
        data={"username": "chengguan", "password": "chengguan-2026", "csrf_token": school_csrf},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    phone = login("school")
    other = login("office")
    page = school.get("/account").text
    assert "TestBrowser/1.0" in page and "（本机）" in page and "testclient" in page
    with db() as session:
        rows = {r.user_id: r for r in session.scalars(select(WebSession))}
        mine = session.scalars(
            select(WebSession).where(WebSession.user_id == user_id(db, "chengguan")).order_by(WebSession.id)
        ).all()
    assert len(mine) == 2
    foreign = rows[user_id(db, "jijiao")].id
    school.csrf = csrf_of(school)
    # Another person's session is not found from here.
    assert post(school, f"/account/sessions/{foreign}/end").status_code == 404
    assert signed_in(other)
    done = post(school, "/account/sessions/end-others")
    assert notice(school, done) == "已结束其他 1 个登录会话"
    assert not signed_in(phone) and signed_in(school)
    school.csrf = csrf_of(school)
    with db() as session:
        this = session.scalars(
            select(WebSession.id).where(WebSession.user_id == user_id(db, "chengguan"))
        ).one()
    out = post(school, f"/account/sessions/{this}/end")
    assert out.headers["location"] == "/login" and not signed_in(school)


class FakeClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def test_idle_sessions_and_old_sessions_end(app, login, monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(clock, "now", fake)
    app.state.web_settings = WebSettings(session_idle_minutes=30, session_lifetime_hours=2)
    idle = login("school")
    busy = login("office")
    for _ in range(4):  # used every 25 minutes: never idle for 30
        fake.at += timedelta(minutes=25)
        assert signed_in(busy)
    assert not signed_in(idle)  # 100 minutes without a request
    fake.at += timedelta(minutes=25)  # 125 minutes after signing in, 25 since the last request
    assert not signed_in(busy)
    with app.state.sessions() as session:
        assert session.scalars(select(WebSession)).all() == []  # both rows gone


def test_the_cookie_carries_only_a_signed_id_with_its_flags(app, login, db):
    client = TestClient(app)
    client.get("/login")
    anonymous = client.cookies[COOKIE]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    response = client.post(
        "/login",
        data={"username": "guest", "password": "guest-2026", "csrf_token": csrf},
        follow_redirects=False,
    )
    header = response.headers["set-cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    value = client.cookies[COOKIE]
    assert value != anonymous  # a new id on signing in (no fixation)
    token = value.split(".")[0]
    with db() as session:
        row = session.scalars(select(WebSession)).one()
        assert row.token_hash == token_digest(token) and token not in row.token_hash
    # Nothing else rides in the cookie: no user id, no role, no CSRF token.
    assert value.count(".") == 2 and len(token) == 43
    forged = TestClient(app)
    forged.cookies.set(COOKIE, token + ".AAAAAA.forgedsignature")
    assert not signed_in(forged)


def test_the_secure_flag_follows_https_or_the_setting(app, seeded):
    from eduplan.web.app import create_app

    over_https = TestClient(app, base_url="https://eduplan.example")
    assert "; Secure" in over_https.get("/login").headers["set-cookie"]
    forced = create_app(seeded["url"], WebSettings(cookie_secure=True))
    assert "; Secure" in TestClient(forced).get("/login").headers["set-cookie"]
    off = create_app(seeded["url"], WebSettings(cookie_secure=False))
    assert "Secure" not in TestClient(off, base_url="https://x.example").get("/login").headers["set-cookie"]
    # Behind a named proxy that says the client came over HTTPS; a stranger saying so is not believed.
    proxied = create_app(seeded["url"], WebSettings(forwarded_allow_ips=("10.0.0.2",)))
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    behind = TestClient(proxied, client=("10.0.0.2", 50000)).get("/login", headers=https)
    assert "; Secure" in behind.headers["set-cookie"]
    stranger = TestClient(proxied, client=("203.0.113.9", 50000)).get("/login", headers=https)
    assert "Secure" not in stranger.headers["set-cookie"]
    for made in (forced, off, proxied):
        made.state.engine.dispose()


def test_settings_come_from_the_environment():
    env = {
        "EDUPLAN_SESSION_IDLE_MINUTES": "45",
        "EDUPLAN_SESSION_LIFETIME_HOURS": "8",
        "EDUPLAN_COOKIE_SECURE": "1",
        "EDUPLAN_FORWARDED_ALLOW_IPS": "10.0.0.2, 10.0.0.3",
        "EDUPLAN_OUTBOUND_ALLOW_HOSTS": "bot.intranet:8080",
    }
    assert WebSettings.from_env(env) == WebSettings(
        45, 8, True, ("10.0.0.2", "10.0.0.3"), ("bot.intranet:8080",)
    )
    assert WebSettings.from_env({}) == WebSettings()
    assert WebSettings().forwarded_allow_ips == () and WebSettings().cookie_secure is None
    with pytest.raises(ValueError, match="EDUPLAN_SESSION_IDLE_MINUTES 应为正整数"):
        WebSettings.from_env({"EDUPLAN_SESSION_IDLE_MINUTES": "0"})


def test_a_visitor_id_and_its_csrf_token_are_made_only_when_read():
    # A bearer API request never reads request.session: no id is minted and no HMAC computed
    # for it; a page that reads the token gets the same HMAC of the id as before.
    from eduplan.web.sessions import ANONYMOUS, CookieState, SessionData, _csrf_for

    state = CookieState(None, minted=True, csrf_key=b"k")
    data = SessionData(state)
    assert state._token is None and not data.read
    assert dict.__len__(data) == 0  # nothing computed yet
    token = data.get("csrf")
    assert data.read and state.token.startswith(ANONYMOUS)
    assert token == _csrf_for(b"k", state.token) == data["csrf"]
    # A kept cookie's id is used as it is.
    kept = CookieState("abc", minted=False, csrf_key=b"k")
    assert "csrf" in SessionData(kept) and SessionData(kept)["csrf"] == _csrf_for(b"k", "abc")
