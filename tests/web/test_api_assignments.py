"""Work sent down to schools through the JSON API (issue 15), on SQLite and PostgreSQL: the reply
table for the office, a school's own assignment (read, report, apply for 销号), the lead office
passing or returning it, an office's 申请销号 of a whole item reviewed by the bureau office, and
one-step closing.

World: the sample plan (开学工作检查 for 基教股 and 各学校 …) and an item 全县小学质量监测 for
基教股 and 各小学 whose last day was yesterday, published (distributed) to the demo's two primary
schools, 城关小学 (chengguanxiao) and 实验小学 (shiyanxiao).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, Plan
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.supervise import assignments, closing_review
from tests.web.conftest import BY_NAME, _csrf

TITLE = "全县小学质量监测"


@pytest.fixture
def web_db(web_db_both):
    return web_db_both


@pytest.fixture
def world(seeded, db_sessions) -> dict[str, int]:
    today = clock_today()
    with db_sessions.begin() as session:
        plan = ParsedPlan(
            source={"name": "schools.txt", "format": "txt"},
            title="示例县教育局学校工作安排",
            issuer=DEMO_BUREAU,
            items=[
                PlanItem(
                    TITLE, TITLE, today - timedelta(days=5), today - timedelta(days=1), ["基教股", "各小学"]
                )
            ],
        )
        plan_id = import_plan(session, plan, b"schools plan", bureau=DEMO_BUREAU, actor="test").plan_id
        assert assignments.distribute_plan(session, plan_id, "admin") == 2
        ids = {t: i for t, i in session.execute(select(Item.title, Item.id))}
    return {"item": ids[TITLE], "check": ids["开学工作检查"], "jiaoyan": ids["教研活动周"]}


@pytest.fixture
def user(app):
    """``user("chengguanxiao")`` → a client signed in as that demo user, ``client.csrf`` set."""

    def sign_in(username: str) -> TestClient:
        client = TestClient(app)
        data = {"username": username, "password": BY_NAME[username], "csrf_token": _csrf(client), "next": "/"}
        assert client.post("/login", data=data, follow_redirects=False).status_code == 303
        client.csrf = _csrf(client)
        return client

    return sign_in


def post(client: TestClient, url: str, body: dict):
    return client.post(url, json=body, headers={"X-CSRF-Token": client.csrf})


def statuses(client: TestClient, item: int) -> dict[str, tuple[str, bool]]:
    response = client.get(f"/api/v1/items/{item}/assignments")
    assert response.status_code == 200, response.text
    return {r["school"]["name"]: (r["status"], r["late"]) for r in response.json()["rows"]}


def test_the_office_reads_the_reply_table_and_a_school_only_its_own(world, user):
    office = user("jijiao")
    table = office.get(f"/api/v1/items/{world['item']}/assignments").json()
    # Both primary schools, each with its row made on publishing, neither replied, both late.
    assert {r["school"]["name"] for r in table["rows"]} == {"城关小学", "实验小学"}
    assert all(r["assignment_id"] is not None and r["status_label"] == "已逾期" for r in table["rows"])
    assert (table["done"], table["reported"], table["not_started"], table["late"]) == (0, 0, 2, 2)
    assert user("admin").get(f"/api/v1/items/{world['item']}/assignments").status_code == 200

    school = user("chengguanxiao")
    own = school.get(f"/api/v1/items/{world['item']}/assignment")
    assert own.status_code == 200
    assert (own.json()["school"]["name"], own.json()["status"], own.json()["late"]) == (
        "城关小学",
        "open",
        True,
    )
    # A school does not read the other schools' replies; another office does not either.
    assert school.get(f"/api/v1/items/{world['item']}/assignments").status_code == 403
    assert user("jiaoyan").get(f"/api/v1/items/{world['item']}/assignments").status_code == 403
    # A middle school is not asked for primary school work: it may not even open the item.
    assert user("chengguan").get(f"/api/v1/items/{world['item']}/assignment").status_code == 403
    # An office has no assignment of its own.
    assert office.get(f"/api/v1/items/{world['item']}/assignment").status_code == 403


def test_schools_report_apply_are_returned_then_passed_and_the_item_closes(world, user):
    item = world["item"]
    office, first, second = user("jijiao"), user("chengguanxiao"), user("shiyanxiao")
    reported = post(second, f"/api/v1/items/{item}/assignment/reports", {"text": "已组织三至六年级监测"})
    assert reported.status_code == 201, reported.text
    assert (reported.json()["status"], reported.json()["late"]) == ("in_progress", True)  # still behind
    assert reported.json()["last_report"] == "已组织三至六年级监测"

    applied = post(first, f"/api/v1/items/{item}/assignment/apply", {"text": "监测已完成"})
    assert applied.status_code == 201, applied.text
    request = applied.json()
    assert (request["state"], request["org_name"], request["text"]) == ("pending", "城关小学", "监测已完成")
    assert request["assignment_id"] is not None
    assert post(first, f"/api/v1/items/{item}/assignment/apply", {"text": "再来一次"}).status_code == 422
    assert post(first, f"/api/v1/items/{item}/assignment/reports", {"text": "补充"}).status_code == 422
    assert statuses(office, item) == {"城关小学": ("applied", False), "实验小学": ("in_progress", True)}
    rows = {r["school"]["name"]: r for r in office.get(f"/api/v1/items/{item}/assignments").json()["rows"]}
    assert (rows["城关小学"]["pending_request_id"], rows["实验小学"]["pending_request_id"]) == (
        request["id"],
        None,
    )

    review = f"/api/v1/closing-requests/{request['id']}/review"
    # A school's application is the lead office's (基教股) to review: not the bureau office's, not
    # another office's, not a school's.
    for other in ("admin", "jiaoyan", "shiyanxiao"):
        assert post(user(other), review, {"decision": "pass"}).status_code == 403, other
    assert post(office, review, {"decision": "return"}).status_code == 422  # a return needs a reason
    returned = post(office, review, {"decision": "return", "note": "请附监测成绩汇总表"})
    assert returned.status_code == 200, returned.text
    assert (returned.json()["state"], returned.json()["reviewer_org"], returned.json()["review_note"]) == (
        "returned",
        "基教股",
        "请附监测成绩汇总表",
    )
    assert post(office, review, {"decision": "pass"}).status_code == 422  # reviewed already
    assert statuses(office, item)["城关小学"] == ("in_progress", True)

    again = post(first, f"/api/v1/items/{item}/assignment/apply", {"text": "已附汇总表"}).json()
    passed = post(office, f"/api/v1/closing-requests/{again['id']}/review", {"decision": "pass"})
    assert passed.json()["state"] == "passed"
    table = office.get(f"/api/v1/items/{item}/assignments").json()
    assert (table["done"], table["reported"], table["not_started"], table["late"]) == (1, 2, 0, 1)
    assert office.get(f"/api/v1/items/{item}").json()["status"] == "overdue"  # 实验小学 still behind

    last = post(second, f"/api/v1/items/{item}/assignment/apply", {"text": "监测已完成"}).json()
    assert (
        post(office, f"/api/v1/closing-requests/{last['id']}/review", {"decision": "pass"}).status_code == 200
    )
    assert office.get(f"/api/v1/items/{item}").json()["status"] == "done"  # every school done
    assert post(second, f"/api/v1/items/{item}/assignment/apply", {"text": "又一次"}).status_code == 422


def test_an_office_applies_for_its_items_closing_and_the_bureau_office_reviews(world, user):
    item = world["check"]
    office = user("jijiao")
    # Closing directly is refused with a pointer to the application (the bureau reviews).
    closed = post(office, f"/api/v1/items/{item}/close", {"text": "开学检查已完成"})
    assert closed.status_code == 409 and "申请销号" in closed.json()["detail"]
    for other in ("jiaoyan", "chengguan"):  # another office; a school
        assert post(user(other), f"/api/v1/items/{item}/apply", {"text": "已完成"}).status_code == 403
    applied = post(office, f"/api/v1/items/{item}/apply", {"text": "开学检查已完成"})
    assert applied.status_code == 201, applied.text
    request = applied.json()
    assert (request["state"], request["org_name"], request["assignment_id"]) == ("pending", "基教股", None)
    assert post(office, f"/api/v1/items/{item}/apply", {"text": "再申请"}).status_code == 422
    assert office.get(f"/api/v1/items/{item}").json()["stored_status"] == "open"

    review = f"/api/v1/closing-requests/{request['id']}/review"
    assert post(office, review, {"decision": "pass"}).status_code == 403  # not its own application
    passed = post(user("admin"), review, {"decision": "pass", "note": "同意销号"})
    assert passed.status_code == 200, passed.text
    assert (passed.json()["state"], passed.json()["reviewer_org"]) == ("passed", "局办公室")
    assert office.get(f"/api/v1/items/{item}").json()["status"] == "done"


def test_with_one_step_closing_an_application_passes_at_once(world, user, seeded, db_sessions):
    with db_sessions.begin() as session:
        bureau_id = session.get(Plan, seeded["plan_id"]).bureau_id
        closing_review.set_one_step(session, bureau_id, True, "admin")
    office = user("jiaoyan")
    applied = post(office, f"/api/v1/items/{world['jiaoyan']}/apply", {"text": "教研活动周已举办"})
    assert applied.status_code == 201, applied.text
    assert (applied.json()["state"], applied.json()["reviewer_org"]) == ("passed", "教研室")
    assert office.get(f"/api/v1/items/{world['jiaoyan']}").json()["status"] == "done"


def test_a_missing_application_is_not_found(world, user):
    assert (
        post(user("jijiao"), "/api/v1/closing-requests/999999/review", {"decision": "pass"}).status_code
        == 404
    )
