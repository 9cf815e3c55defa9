"""The public calendar: only plans an administrator made public, read-only, without reports."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eduplan.ledger.accounts import create_user
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import AuditEntry, Item, Plan
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TITLES = ["开学工作检查", "教研活动周", "城关中学开放日", "第二中学安全演练", "全县教师大会"]


def signed_in(login, role: str):
    client = login(role)
    client.csrf = CSRF.search(client.get("/login").text).group(1)
    return client


def sessions_of(seeded):
    return sessions(connect(seeded["url"]))


def set_public(client, plan_id: int, public: bool, **form):
    action = "publish-public" if public else "unpublish-public"
    return client.post(
        f"/plans/{plan_id}/{action}", data={"csrf_token": client.csrf, **form}, follow_redirects=False
    )


def is_public(seeded, plan_id: int) -> bool:
    with sessions_of(seeded)() as session:
        return session.get(Plan, plan_id).public


def test_an_unpublished_plan_is_not_found(app, seeded):
    anonymous = TestClient(app)
    response = anonymous.get(f"/public/plans/{seeded['plan_id']}")
    assert response.status_code == 404
    assert "开学工作检查" not in response.text
    assert anonymous.get("/public/plans/999999").status_code == 404


def test_a_published_plan_is_shown_without_login_and_without_reports(app, login, seeded):
    plan_id = seeded["plan_id"]
    school = signed_in(login, "school")
    with sessions_of(seeded)() as session:
        item = session.scalars(select(Item.id).where(Item.title == "城关中学开放日")).one()
    reported = school.post(
        f"/items/{item}/reports",
        data={"csrf_token": school.csrf, "text": "内部进度：接待家长 320 人次", "percent": "100"},
        follow_redirects=False,
    )
    assert reported.status_code == 303
    # Another plan of the bureau, not public: nothing of it may show.
    other = ParsedPlan(
        source={"name": "other.txt", "format": "txt"},
        title="示例县教育局内部督查安排",
        items=[PlanItem("内部督查座谈", "内部督查座谈", date(2024, 9, 12), date(2024, 9, 12), ["督导室"])],
    )
    with sessions_of(seeded).begin() as session:
        import_plan(session, other, b"other plan", bureau="示例县教育局", actor="test")

    admin = signed_in(login, "admin")
    response = set_public(admin, plan_id, True)
    assert response.status_code == 303
    assert response.headers["location"] == f"/public/plans/{plan_id}"
    assert is_public(seeded, plan_id)

    page = TestClient(app).get(f"/public/plans/{plan_id}")
    assert page.status_code == 200
    for title in TITLES:
        assert title in page.text
    assert "示例县教育局2024年秋季学期工作安排" in page.text
    assert "9.12" in page.text  # 城关中学开放日's date as printed calendars write it
    assert "城关中学" in page.text  # its unit
    # No reports, no status, no other plan, no signed-in navigation.
    assert "内部进度" not in page.text and "320" not in page.text
    for label in ("未开始", "进行中", "已完成", "已逾期"):
        assert label not in page.text
    assert "内部督查座谈" not in page.text
    assert 'href="/items/' not in page.text
    assert "退出" not in page.text


def test_unpublishing_hides_it_again(app, login, seeded):
    plan_id = seeded["plan_id"]
    admin = signed_in(login, "admin")
    assert set_public(admin, plan_id, True).status_code == 303
    assert TestClient(app).get(f"/public/plans/{plan_id}").status_code == 200
    response = set_public(admin, plan_id, False, next="/items/1")
    assert response.status_code == 303
    assert response.headers["location"] == "/items/1"
    assert TestClient(app).get(f"/public/plans/{plan_id}").status_code == 404
    with sessions_of(seeded)() as session:
        entries = session.execute(
            select(AuditEntry.action, AuditEntry.after)
            .where(AuditEntry.entity == "plan", AuditEntry.entity_id == plan_id)
            .where(AuditEntry.action.in_(["public", "unpublic"]))
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(e) for e in entries] == [("public", {"public": True}), ("unpublic", {"public": False})]


def test_redirects_only_to_local_pages(login, seeded):
    admin = signed_in(login, "admin")
    response = set_public(admin, seeded["plan_id"], True, next="//evil.example/")
    assert response.headers["location"] == f"/public/plans/{seeded['plan_id']}"


@pytest.mark.parametrize("role", ["office", "school", "guest"])
def test_only_administrators_publish(login, seeded, role):
    client = signed_in(login, role)
    assert set_public(client, seeded["plan_id"], True).status_code == 403
    assert not is_public(seeded, seeded["plan_id"])


def test_publishing_needs_the_csrf_token(login, seeded):
    admin = signed_in(login, "admin")
    assert admin.post(f"/plans/{seeded['plan_id']}/publish-public").status_code == 403
    assert not is_public(seeded, seeded["plan_id"])


def test_another_bureaus_administrator_cannot_publish_the_plan(app, seeded):
    with sessions_of(seeded).begin() as session:
        bureau = get_or_create_bureau(session, "另一县教育局", "test")
        create_user(session, "other-admin", "other-admin-2026", "admin", bureau=bureau)
    client = TestClient(app)
    token = CSRF.search(client.get("/login").text).group(1)
    client.post(
        "/login", data={"username": "other-admin", "password": "other-admin-2026", "csrf_token": token}
    )
    token = CSRF.search(client.get("/login").text).group(1)
    response = client.post(f"/plans/{seeded['plan_id']}/publish-public", data={"csrf_token": token})
    assert response.status_code == 404
    assert not is_public(seeded, seeded["plan_id"])
