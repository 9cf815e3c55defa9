"""Everyday details of the web app: times in the bureau's time zone, a stale form's conflict page
(who changed the item, what the person typed kept)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import select, update

from eduplan.errors import EduplanError
from eduplan.ledger.clock import local_time
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import AuditEntry, Item, Notification, Organisation
from eduplan.settings import bureau_timezone


@pytest.fixture
def db(seeded):
    factory = sessions(connect(seeded["url"]))
    yield factory
    factory.kw["bind"].dispose()


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": client.csrf, **data}, follow_redirects=False)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# ---------------------------------------------------------------- the bureau's time zone


def test_the_time_zone_is_a_setting_with_china_by_default():
    assert bureau_timezone({}).key == "Asia/Shanghai"
    assert bureau_timezone({"EDUPLAN_TIMEZONE": "Asia/Urumqi"}).key == "Asia/Urumqi"
    with pytest.raises(EduplanError, match="EDUPLAN_TIMEZONE 设置的时区“北京”无法识别"):
        bureau_timezone({"EDUPLAN_TIMEZONE": "北京"})


def test_stored_times_are_shown_in_china_standard_time():
    # 01:30 UTC is 09:30 in Beijing; SQLite hands back naive UTC values, read the same way.
    assert local_time(datetime(2026, 11, 23, 1, 30, tzinfo=UTC)) == "2026-11-23 09:30"
    assert local_time(datetime(2026, 11, 23, 1, 30)) == "2026-11-23 09:30"
    assert local_time(datetime(2026, 11, 23, 17, 0, tzinfo=UTC), "%Y-%m-%d") == "2026-11-24"


def test_the_notifications_page_shows_beijing_time(login, db):
    with db.begin() as session:
        org = session.scalars(select(Organisation.id).where(Organisation.name == "基教股")).one()
        at = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
        session.add(Notification(org_id=org, kind="digest", title="今日提醒", body="正文", created_at=at))
    page = login("office").get("/notifications")
    assert page.status_code == 200
    assert "2026-11-23 09:30" in page.text
    assert "2026-11-23 01:30" not in page.text


# ---------------------------------------------------------------- the conflict page


def test_a_stale_close_says_who_changed_the_item_and_keeps_the_report(login, db):
    with db() as session:
        item = session.scalars(select(Item.id).where(Item.title == "开学工作检查")).one()
    office, admin = login("office"), login("admin")
    assert post(admin, f"/items/{item}/status", status="in_progress", revision="1").status_code == 303
    with db.begin() as session:  # pin the change's time to read it back on the page
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.entity == "item", AuditEntry.entity_id == item)
            .values(at=datetime(2026, 12, 2, 2, 5, tzinfo=UTC))
        )
    typed = "已完成全县开学检查，\n检查学校18所。"
    response = post(office, f"/items/{item}/close", text=typed, revision="1")
    assert response.status_code == 409
    page = text_of(response.text)
    # The demo admin is 局办公室管理员 (admin); 02:05 UTC is 10:05 in Beijing.
    assert "最后一次修改：局办公室管理员（admin）于 2026-12-02 10:05 更改状态。" in page
    kept = response.text[response.text.index('id="kept"') :]
    assert "你填写的内容（尚未保存）" in kept
    assert f'<dd class="kept-text">{typed}</dd>' in kept


def test_a_stale_close_of_an_item_closed_meanwhile_still_shows_the_text(login, db):
    """The item is done now, so its 销号 form is gone: the typed report is still on the page."""
    with db() as session:
        item = session.scalars(select(Item.id).where(Item.title == "开学工作检查")).one()
    office, admin = login("office"), login("admin")
    assert post(admin, f"/items/{item}/close", text="局办公室已核实完成", revision="1").status_code == 303
    response = post(office, f"/items/{item}/close", text="基教股的完成报告", revision="1")
    assert response.status_code == 409
    assert f'action="/items/{item}/close"' not in response.text
    assert '<dd class="kept-text">基教股的完成报告</dd>' in response.text
    assert "局办公室管理员（admin）于" in text_of(response.text) and "销号" in text_of(response.text)


# ---------------------------------------------------------------- error pages


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_an_unknown_address_is_a_chinese_page_for_a_browser_and_json_for_the_api(app):
    from fastapi.testclient import TestClient

    client = TestClient(app)
    page = client.get("/no-such-page", headers=BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>找不到这个页面</h1>" in page.text
    assert "找不到这个页面：地址可能输错了，或者它已被删除。" in page.text
    assert "Not Found" not in page.text
    api = client.get("/api/v1/no-such-thing", headers=BROWSER)
    assert (api.status_code, api.json()) == (404, {"detail": "Not Found"})


def test_a_wrong_method_is_a_chinese_page(app):
    from fastapi.testclient import TestClient

    page = TestClient(app).put("/login", headers=BROWSER)
    assert page.status_code == 405
    assert "这个地址不能这样访问" in page.text and "Method Not Allowed" not in page.text


def test_a_forbidden_page_is_a_chinese_page(login):
    page = login("guest").get("/admin/users", headers=BROWSER)
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>没有权限</h1>" in page.text


def test_a_server_error_is_a_chinese_page_and_json_for_the_api(app):
    from fastapi.testclient import TestClient

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    app.add_api_route("/api/v1/broken", broken)
    client = TestClient(app, raise_server_exceptions=False)
    page = client.get("/broken", headers=BROWSER)
    assert page.status_code == 500
    assert "<h1>服务器出错了</h1>" in page.text
    assert "这次操作没有完成" in page.text and "RuntimeError" not in page.text
    api = client.get("/api/v1/broken")
    assert (api.status_code, api.json()) == (500, {"detail": "服务器内部错误"})


# ---------------------------------------------------------------- anchors


def test_every_in_page_link_of_the_dashboard_lands_on_an_element(login):
    """填报进度 pointed at ``#report``, which no element of the item page carried."""
    for role in ("office", "admin", "school"):
        client = login(role)
        links = re.findall(r'href="(/[^"#]*)#([^"]+)"', client.get("/").text)
        assert links or role == "school", f"{role}: no in-page links on the dashboard"
        for path, fragment in links:
            target = client.get(path)
            assert target.status_code == 200
            assert f'id="{fragment}"' in target.text, f"{role}: {path}#{fragment} has no such element"
    # The 填报进度 anchor is the report form's heading.
    page = login("office").get(links_of_office(login))
    assert '<h3 id="report">提交进度</h3>' in page.text


def links_of_office(login) -> str:
    path = re.search(r'href="(/items/\d+)#report"', login("office").get("/").text)
    assert path, "the office's dashboard has a 填报进度 link"
    return path.group(1)


# ---------------------------------------------------------------- least privilege


def test_the_new_account_form_starts_on_the_guest_role(login):
    page = login("admin").get("/admin/users").text
    form = page[page.index('action="/admin/users"') :]
    select_ = form[form.index('<select name="role"') : form.index("</select>")]
    selected = re.findall(r'<option value="(\w+)" selected>', select_)
    assert selected == ["guest"]  # 访客: read only, raised by the administrator on purpose
    assert re.findall(r'<option value="(\w+)"', select_) == ["admin", "office", "school", "guest"]


def test_a_refused_new_account_keeps_the_role_chosen(login):
    admin = login("admin")
    response = post(admin, "/admin/users", username="x", password="短", role="office", org_id="")
    assert response.status_code == 400
    form = response.text[response.text.index('action="/admin/users"') :]
    assert re.findall(r'<option value="(\w+)" selected>', form[: form.index("</select>")]) == ["office"]


def test_a_restore_says_when_the_backup_was_made_in_beijing_time():
    from eduplan.cli.backup import backup_time

    assert backup_time("2026-12-02T02:05:00+00:00") == "2026-12-02 10:05"
    assert backup_time("") == ""  # a manifest without a time says nothing
