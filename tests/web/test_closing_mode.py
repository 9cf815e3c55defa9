"""Issue 15: an office's 销号 goes to review (申请销号) unless the bureau chose one-step closing; the
bureau office (管理员, the reviewer) closes directly either way. On SQLite and PostgreSQL.

Sample item 开学工作检查: lead office 基教股 (login jijiao, role "office"), revision 1, status open.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eduplan.ledger.models import ClosingRequest, Item, Plan
from eduplan.supervise import closing_review


@pytest.fixture
def web_db(web_db_both):
    return web_db_both


@pytest.fixture
def item(db_sessions) -> int:
    with db_sessions() as session:
        return session.scalars(select(Item.id).where(Item.title == "开学工作检查")).one()


def set_one_step(db_sessions, seeded, on: bool) -> None:
    with db_sessions.begin() as session:
        bureau_id = session.get(Plan, seeded["plan_id"]).bureau_id
        closing_review.set_one_step(session, bureau_id, on, "admin")


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": client.csrf, **data}, follow_redirects=False)


def state(db_sessions, item: int) -> tuple[str, str | None, list[tuple[str, str, str | None]]]:
    """(item status, closed_by, [(request state, applicant unit, reviewer unit)])."""
    with db_sessions() as session:
        row = session.get(Item, item)
        requests = session.scalars(
            select(ClosingRequest).where(ClosingRequest.item_id == item).order_by(ClosingRequest.id)
        ).all()
        return row.status, row.closed_by, [(r.state, r.org_name, r.reviewer_org) for r in requests]


def api_close(client, item: int, text: str):
    return client.post(
        f"/api/v1/items/{item}/close", json={"text": text}, headers={"X-CSRF-Token": client.csrf}
    )


def test_by_default_the_office_applies_and_the_page_says_it_waits_for_review(login, db_sessions, item):
    office = login("office")
    page = office.get(f"/items/{item}").text
    assert "<h2>申请销号</h2>" in page and "提交销号" not in page
    response = post(office, f"/items/{item}/close", text="开学检查已完成", revision="1")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/items/{item}?done=applied"
    assert state(db_sessions, item) == ("open", None, [("pending", "基教股", None)])
    page = office.get(response.headers["location"]).text
    assert "已申请销号，等待局办公室审核。" in page
    pending = page[page.index('id="closing-pending"') :]
    assert "待审核" in pending[:300] and "基教股" in pending[:300] and "局办公室" in pending[:300]
    assert 'id="close-form"' not in page  # no second application while one waits
    again = post(office, f"/items/{item}/close", text="再申请一次", revision="1")
    assert again.status_code == 400 and "正在等待审核" in again.text
    assert len(state(db_sessions, item)[2]) == 1


def test_by_default_the_api_refuses_an_offices_close_with_a_pointer_to_the_application(
    login, db_sessions, item
):
    response = api_close(login("office"), item, "开学检查已完成")
    assert response.status_code == 409
    assert "申请销号" in response.json()["detail"]
    assert state(db_sessions, item) == ("open", None, [])


def test_the_bureau_office_closes_directly_and_settles_the_waiting_application(login, db_sessions, item):
    assert post(login("office"), f"/items/{item}/close", text="开学检查已完成").status_code == 303
    admin = login("admin")
    page = admin.get(f"/items/{item}").text
    assert "提交销号" in page and "待审核" in page
    response = post(admin, f"/items/{item}/close", text="局办公室核实完成", revision="1")
    assert response.status_code == 303 and response.headers["location"] == f"/items/{item}?done=closed"
    assert state(db_sessions, item) == ("done", "admin", [("passed", "基教股", "局办公室")])


def test_the_bureau_office_closes_directly_through_the_api(login, db_sessions, item):
    response = api_close(login("admin"), item, "局办公室核实完成")
    assert response.status_code == 200, response.text
    assert state(db_sessions, item) == ("done", "admin", [])


def test_a_one_step_bureau_lets_the_office_close_at_once(login, db_sessions, seeded, item):
    set_one_step(db_sessions, seeded, True)
    office = login("office")
    assert "提交销号" in office.get(f"/items/{item}").text
    response = post(office, f"/items/{item}/close", text="开学检查已完成", revision="1")
    assert response.status_code == 303 and response.headers["location"] == f"/items/{item}?done=closed"
    assert state(db_sessions, item) == ("done", "jijiao", [])


def test_a_one_step_bureau_lets_the_office_close_through_the_api(login, db_sessions, seeded, item):
    set_one_step(db_sessions, seeded, True)
    response = api_close(login("office"), item, "开学检查已完成")
    assert response.status_code == 200, response.text
    assert state(db_sessions, item) == ("done", "jijiao", [])


def test_turning_one_step_off_again_brings_the_review_back(login, db_sessions, seeded, item):
    set_one_step(db_sessions, seeded, True)
    set_one_step(db_sessions, seeded, False)
    assert api_close(login("office"), item, "开学检查已完成").status_code == 409
    assert state(db_sessions, item) == ("open", None, [])
