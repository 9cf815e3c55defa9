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
