"""科室与学校 pages and their private iCalendar subscription links."""

from __future__ import annotations

import re
from datetime import date

import icalendar
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import AuditEntry, FeedToken, Organisation
from eduplan.supervise import agenda as agenda_module

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FEED = re.compile(r"https?://[^/\"]+/feeds/([A-Za-z0-9_-]+)\.ics")


def signed_in(login, role: str):
    client = login(role)
    client.csrf = CSRF.search(client.get("/login").text).group(1)
    return client


def org_id(seeded, name: str) -> int:
    with sessions(connect(seeded["url"]))() as session:
        return session.scalars(select(Organisation.id).where(Organisation.name == name)).one()


def section(page: str, heading: str) -> str:
    """The card whose <h2> starts with ``heading``."""
    start = page.index(f"<h2>{heading}")
    return page[start : page.index("</section>", start)]


def make_feed(client, org: int) -> str:
    response = client.post(f"/units/{org}/feed", data={"csrf_token": client.csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/units/{org}?done=feed#feed"
    found = FEED.findall(client.get(f"/units/{org}").text)
    assert len(set(found)) == 1, found
    return found[0]


def summaries(app, token: str) -> set[str]:
    response = TestClient(app).get(f"/feeds/{token}.ics")  # no login: the link is the credential
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def test_admin_sees_every_office_and_school_with_item_counts(login, seeded):
    page = signed_in(login, "admin").get("/units")
    assert page.status_code == 200
    rows = dict(re.findall(r'<a href="/units/\d+">([^<]+)</a>.*?</td>\s*<td>(\d+)</td>', page.text, re.S))
    assert rows["基教股"] == "1"  # 开学工作检查
    assert rows["办公室"] == "1"  # 全县教师大会
    assert rows["教研室"] == "1"
    # 开学工作检查 (各学校) counts for its row and for every school (the same figures as 督办).
    assert rows["城关中学"] == "2"  # and 城关中学开放日
    assert rows["第二中学"] == "2"  # and 第二中学安全演练
    assert rows["各学校"] == "1"
    assert rows["师训股"] == "0"
    assert rows["实验幼儿园"] == "1"
    assert "示例县教育局" not in rows  # the bureau is not one of its units


@pytest.mark.parametrize(("role", "unit"), [("office", "基教股"), ("school", "城关中学")])
def test_offices_and_schools_are_sent_to_their_own_page(login, seeded, role, unit):
    response = signed_in(login, role).get("/units", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/units/{org_id(seeded, unit)}"


def test_a_guest_has_no_unit_page(login, seeded):
    guest = signed_in(login, "guest")
    assert guest.get("/units").status_code == 403
    assert guest.get(f"/units/{org_id(seeded, '基教股')}").status_code == 403


@pytest.mark.parametrize(
    ("role", "unit"), [("office", "教研室"), ("school2", "城关中学"), ("school", "基教股")]
)
def test_a_unit_cannot_open_another_units_page(login, seeded, role, unit):
    assert signed_in(login, role).get(f"/units/{org_id(seeded, unit)}").status_code == 403


def test_a_schools_page_shows_this_week_and_what_is_overdue(login, seeded, monkeypatch):
    monkeypatch.setattr(agenda_module, "clock_today", lambda: date(2024, 9, 11))  # a Wednesday
    page = signed_in(login, "school").get(f"/units/{org_id(seeded, '城关中学')}").text
    week = section(page, "本周")
    assert "2024-09-09 至 2024-09-15" in week
    assert "城关中学开放日" in week
    assert "09-12 周四" in week
    assert "开学工作检查" not in week and "第二中学安全演练" not in week
    overdue = section(page, "已逾期")
    assert "已逾期（1）" in overdue
    assert "开学工作检查" in overdue  # 各学校, ended 2024-09-06
    assert "城关中学开放日" not in overdue


def test_an_offices_page_shows_its_own_work(login, seeded, monkeypatch):
    monkeypatch.setattr(agenda_module, "clock_today", lambda: date(2024, 9, 3))
    page = signed_in(login, "office").get(f"/units/{org_id(seeded, '基教股')}").text
    assert "开学工作检查" in section(page, "本周")
    assert "已逾期（0）" in page
    for other in ("教研活动周", "城关中学开放日", "全县教师大会"):
        assert other not in page


def test_school_feed_has_only_its_own_events_and_stops_when_revoked(app, login, seeded):
    school = signed_in(login, "school")
    org = org_id(seeded, "城关中学")
    token = make_feed(school, org)
    assert summaries(app, token) == {"开学工作检查", "城关中学开放日"}
    revoked = school.post(
        f"/units/{org}/feed/revoke", data={"csrf_token": school.csrf}, follow_redirects=False
    )
    assert revoked.status_code == 303
    assert TestClient(app).get(f"/feeds/{token}.ics").status_code == 404
    assert FEED.search(school.get(f"/units/{org}").text) is None
    with sessions(connect(seeded["url"]))() as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity == "feed_token").order_by(AuditEntry.id)
            )
        )
    assert actions == ["create", "revoke"]


def test_office_feed_and_replacing_a_link(app, login, seeded):
    admin = signed_in(login, "admin")
    org = org_id(seeded, "基教股")
    first = make_feed(admin, org)
    assert summaries(app, first) == {"开学工作检查"}
    second = make_feed(admin, org)  # a new link replaces the old one
    assert second != first
    assert TestClient(app).get(f"/feeds/{first}.ics").status_code == 404
    assert summaries(app, second) == {"开学工作检查"}
    with sessions(connect(seeded["url"]))() as session:
        live = session.scalars(select(FeedToken).where(FeedToken.revoked_at.is_(None))).all()
    assert [t.token for t in live] == [second]


def test_feed_links_are_made_only_by_the_unit_or_the_administrator(login, seeded):
    org = org_id(seeded, "城关中学")
    for role in ("school2", "office", "guest"):
        client = signed_in(login, role)
        response = client.post(f"/units/{org}/feed", data={"csrf_token": client.csrf})
        assert response.status_code == 403, role
    school = signed_in(login, "school")
    assert school.post(f"/units/{org}/feed", data={}).status_code == 403  # no CSRF token
    with sessions(connect(seeded["url"]))() as session:
        assert session.scalars(select(FeedToken)).all() == []


def test_unknown_feed_tokens_are_not_found(app):
    client = TestClient(app)
    assert client.get("/feeds/not-a-real-token.ics").status_code == 404
    assert client.get(f"/feeds/{'x' * 300}.ics").status_code == 404


def test_unknown_unit_is_not_found(login, seeded):
    admin = signed_in(login, "admin")
    assert admin.get("/units/999999").status_code == 404
    # The bureau itself is not a unit page.
    with sessions(connect(seeded["url"]))() as session:
        bureau = session.scalars(select(Organisation.id).where(Organisation.kind == "bureau")).first()
    assert admin.get(f"/units/{bureau}").status_code == 404
