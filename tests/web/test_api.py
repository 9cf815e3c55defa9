"""The JSON API under /api/v1, through the in-process client, role by role.

The sample plan (conftest): 开学工作检查 9-2..9-6 (基教股, 各学校) · 教研活动周 9-9..9-13 (教研室) ·
城关中学开放日 9-12 (城关中学) · 第二中学安全演练 9-20 (第二中学) · 全县教师大会 9-10 (办公室).
Roles: office = 基教股, office2 = 教研室, school = 城关中学, school2 = 第二中学.
Where status matters, "today" is pinned to 2024-09-11.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eduplan.ledger.accounts import create_user
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import ApiToken, AuditEntry, Item, ProgressReport, User
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.plan import Target as PlanTarget

ROLES = ("admin", "office", "office2", "school", "school2", "guest")
ALL_TITLES = ["开学工作检查", "教研活动周", "全县教师大会", "城关中学开放日", "第二中学安全演练"]
OTHER_BUREAU = "另一县教育局"
CJK = re.compile(r"[\u4e00-\u9fff]")


# ------------------------------------------------------------------------------ helpers


@pytest.fixture
def ids(db_sessions, seeded) -> dict[str, int]:
    """Item ids of the sample plan by title."""
    with db_sessions() as session:
        rows = session.execute(select(Item.title, Item.id).where(Item.plan_id == seeded["plan_id"])).all()
    return dict(rows)


@pytest.fixture
def pinned(monkeypatch):
    monkeypatch.setattr("eduplan.ledger.clock.today", lambda: date(2024, 9, 11))


@pytest.fixture
def foreign(db_sessions) -> dict[str, int]:
    """Another bureau with a plan (one item, one target) and a user: ids the demo users must not reach."""
    plan = ParsedPlan(
        source={"name": "other.txt", "format": "txt", "encoding": "utf-8"},
        title="另一县教育局2024年秋季工作安排",
        issuer=OTHER_BUREAU,
        period_start=date(2024, 9, 1),
        period_end=date(2025, 1, 31),
        items=[
            PlanItem(
                "外县教研会", "外县教研会：全体教研员参加", date(2024, 9, 5), date(2024, 9, 5), ["教研室"]
            )
        ],
        targets=[PlanTarget("外县巩固率", "外县巩固率达到99%", ">=", 99.0, "%")],
    )
    with db_sessions.begin() as session:
        result = import_plan(session, plan, b"other bureau plan", bureau=OTHER_BUREAU, actor="test")
        bureau = get_or_create_bureau(session, OTHER_BUREAU, "test")
        user = create_user(session, "waixian", "waixian-2026", "admin", bureau=bureau)
        item_id = session.scalars(select(Item.id).where(Item.plan_id == result.plan_id)).one()
        return {"plan": result.plan_id, "item": item_id, "user": user.id}


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token as the API hands it to a cookie client."""
    token = client.get("/api/v1/me").json()["csrf_token"]
    assert token
    return token


def titles(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()]


# ------------------------------------------------------------------------------ who am I


@pytest.mark.parametrize(
    ("role", "username", "org"),
    [
        ("admin", "admin", None),
        ("office", "jijiao", "基教股"),
        ("office2", "jiaoyan", "教研室"),
        ("school", "chengguan", "城关中学"),
        ("school2", "dierzhong", "第二中学"),
        ("guest", "guest", None),
    ],
)
def test_me_names_the_user_role_and_unit(login, role, username, org):
    body = login(role).get("/api/v1/me").json()
    assert body["username"] == username
    assert body["role"] == role.rstrip("2")
    assert body["org_name"] == org
    assert body["via_token"] is False
    assert body["csrf_token"]


def test_anonymous_requests_get_json_401(app):
    client = TestClient(app)
    for path in ("/api/v1/me", "/api/v1/items", "/api/v1/plans", "/api/v1/tokens"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.json() == {"detail": "请先登录"}


# ------------------------------------------------------------------------------ plans


@pytest.mark.parametrize(("role", "count"), [("admin", 5), ("office2", 5), ("guest", 5), ("school", 2)])
def test_plan_detail_counts_the_items_the_viewer_sees(login, seeded, role, count):
    client = login(role)
    listed = client.get("/api/v1/plans").json()
    assert [p["id"] for p in listed] == [seeded["plan_id"]]
    detail = client.get(f"/api/v1/plans/{seeded['plan_id']}").json()
    assert detail["title"] == "示例县教育局2024年秋季学期工作安排"
    assert detail["item_count"] == count
    assert detail["target_count"] == 0
    assert [v["number"] for v in detail["versions"]] == [1]
    assert detail["versions"][0]["source_name"] == "sample.txt"


def test_another_bureaus_plan_is_404_and_not_listed(login, foreign):
    client = login("admin")
    assert foreign["plan"] not in [p["id"] for p in client.get("/api/v1/plans").json()]
    response = client.get(f"/api/v1/plans/{foreign['plan']}")
    assert response.status_code == 404
    assert response.json()["detail"] == "找不到该计划"
    assert client.get("/api/v1/plans/999999").status_code == 404


# ------------------------------------------------------------------------------ items


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", ALL_TITLES),
        ("office", ALL_TITLES),
        ("office2", ALL_TITLES),
        ("guest", ALL_TITLES),
        ("school", ["开学工作检查", "城关中学开放日"]),
        ("school2", ["开学工作检查", "第二中学安全演练"]),
    ],
)
def test_items_are_those_the_role_may_see(login, foreign, role, expected):
    assert titles(login(role).get("/api/v1/items")) == expected


def test_item_filters(login, seeded, ids, pinned):
    client = login("admin")
    jijiao = next(u["id"] for u in client.get("/api/v1/units").json() if u["name"] == "基教股")
    assert titles(client.get("/api/v1/items", params={"office": "基教股"})) == ["开学工作检查"]
    assert titles(client.get("/api/v1/items", params={"office": str(jijiao)})) == ["开学工作检查"]
    # A school also gets what is asked of all schools (各学校).
    assert titles(client.get("/api/v1/items", params={"school": "城关中学"})) == [
        "开学工作检查",
        "城关中学开放日",
    ]
    assert titles(client.get("/api/v1/items", params={"office": "基教股", "school": "第二中学"})) == [
        "开学工作检查"
    ]
    assert titles(client.get("/api/v1/items", params={"start": "2024-09-10", "end": "2024-09-12"})) == [
        "教研活动周",
        "全县教师大会",
        "城关中学开放日",
    ]
    assert titles(client.get("/api/v1/items", params={"plan": seeded["plan_id"], "start": "2024-09-14"})) == [
        "第二中学安全演练"
    ]
    # On 2024-09-11 the two items that ended before it are overdue; the rest still open.
    assert titles(client.get("/api/v1/items", params={"status": "overdue"})) == [
        "开学工作检查",
        "全县教师大会",
    ]
    assert titles(client.get("/api/v1/items", params={"status": "open"})) == [
        "教研活动周",
        "城关中学开放日",
        "第二中学安全演练",
    ]
    assert titles(client.get("/api/v1/items", params={"limit": 2, "offset": 1})) == [
        "教研活动周",
        "全县教师大会",
    ]


@pytest.mark.parametrize("role", ["admin", "office", "guest"])
def test_an_unfiltered_item_page_cut_in_the_query_is_the_page_of_the_whole_list(
    login, seeded, foreign, pinned, monkeypatch, role
):
    """Without per-item filters a bureau-wide viewer's page is cut by the query (LIMIT/OFFSET) and
    only its items' units read: every field the same as filtering and slicing the whole list."""
    client = login(role)
    asked = [
        {"limit": 2},
        {"limit": 2, "offset": 1},
        {"limit": 3, "offset": 3},
        {"limit": 2, "offset": 9},
        {"start": "2024-09-10", "end": "2024-09-12", "limit": 2},
        {"plan": seeded["plan_id"], "offset": 2},
        {},
    ]
    cut = [client.get("/api/v1/items", params=params).json() for params in asked]
    monkeypatch.setattr("eduplan.web.api.items.sees_whole_bureau", lambda viewer: False)
    whole = [client.get("/api/v1/items", params=params).json() for params in asked]
    assert cut == whole
    assert [len(page) for page in cut] == [2, 2, 2, 0, 2, 3, 5]
    assert all(item["units"] for page in cut for item in page)


def test_item_filters_refuse_bad_values_in_chinese(login, foreign):
    client = login("admin")
    response = client.get("/api/v1/items", params={"office": "不存在股"})
    assert response.status_code == 400
    assert response.json()["detail"] == "找不到科室“不存在股”"
    assert client.get("/api/v1/items", params={"start": "2024-09-20", "end": "2024-09-01"}).json() == {
        "detail": "结束日期不能早于开始日期"
    }
    bad_date = client.get("/api/v1/items", params={"start": "九月一日"})
    assert bad_date.status_code == 422
    assert bad_date.json()["detail"] == "请求参数不正确"
    assert client.get("/api/v1/items", params={"status": "late"}).status_code == 422
    assert client.get("/api/v1/items", params={"plan": foreign["plan"]}).status_code == 404


def test_item_detail_has_units_and_derived_status(login, ids, pinned):
    item = login("office").get(f"/api/v1/items/{ids['开学工作检查']}").json()
    assert item["title"] == "开学工作检查"
    assert (item["start"], item["end"]) == ("2024-09-02", "2024-09-06")
    assert [(u["name"], u["kind"]) for u in item["units"]] == [("基教股", "office"), ("各学校", "group")]
    assert (item["status"], item["stored_status"], item["status_label"]) == ("overdue", "open", "已逾期")
    assert (item["can_edit"], item["can_report"], item["removed"]) == (True, True, False)
    later = login("school").get(f"/api/v1/items/{ids['第二中学安全演练']}")
    assert later.status_code == 403
    mine = login("school").get(f"/api/v1/items/{ids['城关中学开放日']}").json()
    assert (mine["status"], mine["status_label"]) == ("open", "未开始")
    assert (mine["can_edit"], mine["can_report"]) == (False, True)


@pytest.mark.parametrize("role", ROLES)
def test_another_bureaus_item_is_404_for_every_role(login, foreign, role):
    client = login(role)
    assert client.get(f"/api/v1/items/{foreign['item']}").status_code == 404
    assert client.get(f"/api/v1/items/{foreign['item']}/reports").status_code == 404
    headers = {"X-CSRF-Token": csrf_of(client)}
    patched = client.patch(f"/api/v1/items/{foreign['item']}", json={"status": "done"}, headers=headers)
    assert patched.status_code == 404
    reported = client.post(f"/api/v1/items/{foreign['item']}/reports", json={"text": "x"}, headers=headers)
    assert reported.status_code == 404


# ------------------------------------------------------------------------------ PATCH


def test_patch_changes_status_bumps_revision_and_is_audited(login, db_sessions, ids):
    client = login("office")
    item_id = ids["开学工作检查"]
    response = client.patch(
        f"/api/v1/items/{item_id}",
        json={"status": "cancelled", "revision": 1},
        headers={"X-CSRF-Token": csrf_of(client)},
    )
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["revision"]) == ("cancelled", 2)
    assert client.get(f"/api/v1/items/{item_id}").json()["status"] == "cancelled"
    with db_sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "item", AuditEntry.entity_id == item_id)
        ).one()
    assert (entry.actor, entry.action) == ("jijiao", "update")
    assert entry.before == {"status": "open", "revision": 1}
    assert entry.after == {"status": "cancelled", "revision": 2}


def test_patch_with_the_same_status_changes_nothing(login, ids):
    client = login("admin")
    response = client.patch(
        f"/api/v1/items/{ids['教研活动周']}",
        json={"status": "open"},
        headers={"X-CSRF-Token": csrf_of(client)},
    )
    assert response.status_code == 200
    assert response.json()["revision"] == 1


def test_patch_with_a_stale_revision_is_409(login, ids):
    client = login("admin")
    headers = {"X-CSRF-Token": csrf_of(client)}
    url = f"/api/v1/items/{ids['教研活动周']}"
    assert client.patch(url, json={"status": "in_progress"}, headers=headers).status_code == 200
    stale = client.patch(url, json={"status": "cancelled", "revision": 1}, headers=headers)
    assert stale.status_code == 409
    assert stale.json()["detail"] == "该任务已被他人修改（当前第2版），请刷新后再提交"
    assert client.get(url).json()["stored_status"] == "in_progress"


@pytest.mark.parametrize(
    ("role", "code"), [("office2", 403), ("school", 403), ("guest", 403), ("admin", 200)]
)
def test_patch_needs_can_edit_item(login, ids, role, code):
    client = login(role)
    response = client.patch(
        f"/api/v1/items/{ids['开学工作检查']}",
        json={"status": "in_progress"},
        headers={"X-CSRF-Token": csrf_of(client)},
    )
    assert response.status_code == code, response.text


def test_patch_refuses_overdue_and_unknown_fields(login, ids):
    client = login("admin")
    headers = {"X-CSRF-Token": csrf_of(client)}
    url = f"/api/v1/items/{ids['开学工作检查']}"
    assert client.patch(url, json={"status": "overdue"}, headers=headers).status_code == 422
    assert client.patch(url, json={"status": "done", "title": "x"}, headers=headers).status_code == 422


def test_cookie_patch_without_csrf_header_is_403(login, ids):
    client = login("admin")
    url = f"/api/v1/items/{ids['开学工作检查']}"
    response = client.patch(url, json={"status": "done"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    wrong = client.patch(url, json={"status": "done"}, headers={"X-CSRF-Token": "not-the-token"})
    assert wrong.status_code == 403
    assert client.get(url).json()["stored_status"] == "open"


# ------------------------------------------------------------------------------ progress reports


def _report(client: TestClient, item_id: int, text: str, percent: int | None = None):
    return client.post(
        f"/api/v1/items/{item_id}/reports",
        json={"text": text, "percent": percent},
        headers={"X-CSRF-Token": csrf_of(client)},
    )


def test_reports_are_seen_by_admin_the_office_responsible_and_the_reporting_school(login, db_sessions, ids):
    item_id = ids["开学工作检查"]
    first = _report(login("school"), item_id, "城关中学已完成自查", 60)
    assert first.status_code == 201, first.text
    assert (first.json()["org_name"], first.json()["author"], first.json()["percent"]) == (
        "城关中学",
        "城关中学",
        60,
    )
    assert _report(login("school2"), item_id, "第二中学自查中", 30).status_code == 201
    assert _report(login("office"), item_id, "基教股已汇总", None).status_code == 201

    def texts(role):
        response = login(role).get(f"/api/v1/items/{item_id}/reports")
        assert response.status_code == 200
        return [r["text"] for r in response.json()]

    everything = ["城关中学已完成自查", "第二中学自查中", "基教股已汇总"]
    assert texts("admin") == everything
    assert texts("office") == everything
    assert texts("school") == ["城关中学已完成自查"]
    assert texts("school2") == ["第二中学自查中"]
    assert texts("office2") == []  # sees the item, is not responsible for it
    assert texts("guest") == []
    with db_sessions() as session:
        assert session.scalars(select(ProgressReport.org_id).where(ProgressReport.item_id == item_id)).all()
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "report")).all()
    assert [e.actor for e in entries] == ["chengguan", "dierzhong", "jijiao"]


def test_the_bureau_offices_reports_are_not_listed_to_a_guest_or_a_school(login, db_sessions, ids):
    # The bureau office's report has no unit (org_id None), and a guest has none either.
    item_id = ids["开学工作检查"]  # 基教股、各学校
    made = _report(login("admin"), item_id, "局办公室督查意见：限期整改", 50)
    assert made.status_code == 201, made.text
    assert made.json()["org_name"] is None
    with db_sessions() as session:
        assert session.scalars(select(ProgressReport.org_id)).all() == [None]

    def texts(role):
        response = login(role).get(f"/api/v1/items/{item_id}/reports")
        assert response.status_code == 200, role
        return [r["text"] for r in response.json()]

    assert texts("admin") == ["局办公室督查意见：限期整改"]
    assert texts("office") == ["局办公室督查意见：限期整改"]  # the office responsible
    assert texts("guest") == []
    assert texts("school") == []
    assert texts("office2") == []


@pytest.mark.parametrize(("role", "title"), [("office2", "开学工作检查"), ("guest", "开学工作检查")])
def test_report_needs_can_report(login, ids, role, title):
    response = _report(login(role), ids[title], "试图填报")
    assert response.status_code == 403


def test_school_cannot_see_or_report_on_another_schools_item(login, ids):
    client = login("school2")
    assert client.get(f"/api/v1/items/{ids['城关中学开放日']}/reports").status_code == 403
    assert _report(client, ids["城关中学开放日"], "不是本校的").status_code == 403


def test_report_validation(login, ids):
    client = login("admin")
    assert _report(client, ids["开学工作检查"], "完成", 101).status_code == 422
    assert _report(client, ids["开学工作检查"], "   ").json() == {"detail": "进度说明不能为空"}
    assert client.get(f"/api/v1/items/{ids['开学工作检查']}/reports").json() == []


# ------------------------------------------------------------------------------ targets and units


def test_targets_of_the_bureau_only(login, db_sessions, foreign):
    plan = ParsedPlan(
        source={"name": "targets.txt", "format": "txt"},
        title="示例县教育局2025年工作要点",
        issuer="示例县教育局",
        targets=[
            PlanTarget(
                "学前三年毛入园率", "学前三年毛入园率达到88.4%", ">=", 88.4, "%", date(2025, 12, 31), 3
            ),
            PlanTarget("义务教育巩固率", "义务教育巩固率保持在99%以上", ">=", 99.0, "%", None, 4),
        ],
    )
    with db_sessions.begin() as session:
        plan_id = import_plan(session, plan, b"targets", bureau="示例县教育局", actor="test").plan_id
    for role in ("guest", "school", "admin"):
        body = login(role).get("/api/v1/targets").json()
        assert [(t["indicator"], t["value"], t["unit"]) for t in body] == [
            ("学前三年毛入园率", 88.4, "%"),
            ("义务教育巩固率", 99.0, "%"),
        ]
    first = login("admin").get("/api/v1/targets", params={"plan": plan_id}).json()[0]
    assert (first["deadline"], first["plan_title"], first["line"]) == (
        "2025-12-31",
        "示例县教育局2025年工作要点",
        3,
    )
    assert login("admin").get("/api/v1/targets", params={"plan": foreign["plan"]}).status_code == 404


def test_units_of_the_bureau(login, foreign):
    client = login("school")
    units = client.get("/api/v1/units").json()
    names = {u["name"]: u["kind"] for u in units}
    assert names["基教股"] == "office"
    assert names["城关中学"] == "school"
    assert names["各学校"] == "group"
    assert "示例县教育局" not in names
    # 7 offices, 5 schools, 各学校 and 城区学校 (a group the demo defines) — the other bureau's
    # 教研室 is not here.
    assert len(units) == 14
    schools = [u["name"] for u in client.get("/api/v1/units", params={"kind": "school"}).json()]
    assert schools == ["城关中学", "城关小学", "第二中学", "实验幼儿园", "实验小学"]
    assert client.get("/api/v1/units", params={"kind": "bureau"}).status_code == 400


# ------------------------------------------------------------------------------ API tokens


def test_token_lifecycle(app, login, db_sessions, ids):
    client = login("office")
    created = client.post(
        "/api/v1/tokens", json={"name": "OA 推送"}, headers={"X-CSRF-Token": csrf_of(client)}
    )
    assert created.status_code == 201, created.text
    secret = created.json()["token"]
    assert len(secret) >= 40
    with db_sessions() as session:
        row = session.get(ApiToken, created.json()["id"])
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (row.name, row.token_hash)

    bearer = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    me = bearer.get("/api/v1/me").json()
    assert (me["username"], me["via_token"], me["csrf_token"]) == ("jijiao", True, None)
    assert titles(bearer.get("/api/v1/items", params={"office": "基教股"})) == ["开学工作检查"]
    # A bearer write needs no CSRF header; the token has its owner's permissions, no more.
    patched = bearer.patch(f"/api/v1/items/{ids['开学工作检查']}", json={"status": "in_progress"})
    assert patched.status_code == 200, patched.text
    assert bearer.patch(f"/api/v1/items/{ids['教研活动周']}", json={"status": "done"}).status_code == 403
    with db_sessions() as session:
        actor = session.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "item")).one()
    assert actor == "jijiao（API 令牌）"
    # A token cannot mint more tokens.
    assert bearer.post("/api/v1/tokens", json={"name": "再来一个"}).status_code == 403

    listed = client.get("/api/v1/tokens").json()
    assert [(t["name"], t["revoked_at"]) for t in listed] == [("OA 推送", None)]
    assert "token" not in listed[0]

    revoked = client.delete(
        f"/api/v1/tokens/{created.json()['id']}", headers={"X-CSRF-Token": csrf_of(client)}
    )
    assert revoked.status_code == 204
    after = bearer.get("/api/v1/me")
    assert after.status_code == 401
    assert after.json() == {"detail": "API 令牌无效或已撤销"}
    assert client.get("/api/v1/tokens").json()[0]["revoked_at"] is not None


def test_tokens_are_private_to_their_owner(login):
    owner = login("school")
    token = owner.post(
        "/api/v1/tokens", json={"name": "校园网"}, headers={"X-CSRF-Token": csrf_of(owner)}
    ).json()
    other = login("admin")
    assert other.get("/api/v1/tokens").json() == []
    response = other.delete(f"/api/v1/tokens/{token['id']}", headers={"X-CSRF-Token": csrf_of(other)})
    assert response.status_code == 404
    assert owner.get("/api/v1/tokens").json()[0]["revoked_at"] is None


def test_token_creation_by_cookie_needs_csrf(login):
    client = login("guest")
    assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 403
    assert client.get("/api/v1/tokens").json() == []
    blank = client.post("/api/v1/tokens", json={"name": " "}, headers={"X-CSRF-Token": csrf_of(client)})
    assert blank.json() == {"detail": "请填写令牌用途"}


def test_unknown_bearer_token_and_deactivated_users_token_are_401(app, login, db_sessions):
    assert TestClient(app, headers={"Authorization": "Bearer nope"}).get("/api/v1/me").status_code == 401
    client = login("school2")
    secret = client.post(
        "/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": csrf_of(client)}
    ).json()["token"]
    bearer = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    assert bearer.get("/api/v1/me").status_code == 200
    with db_sessions.begin() as session:
        session.scalars(select(User).where(User.username == "dierzhong")).one().active = False
    assert bearer.get("/api/v1/me").status_code == 401


# ------------------------------------------------------------------------------ OpenAPI


def test_openapi_documents_every_api_route_in_chinese(app):
    doc = TestClient(app).get("/api/v1/openapi.json").json()
    expected = {
        ("get", "/api/v1/me"),
        ("get", "/api/v1/plans"),
        ("get", "/api/v1/plans/{plan_id}"),
        ("get", "/api/v1/items"),
        ("get", "/api/v1/items/{item_id}"),
        ("patch", "/api/v1/items/{item_id}"),
        ("get", "/api/v1/items/{item_id}/reports"),
        ("post", "/api/v1/items/{item_id}/reports"),
        ("post", "/api/v1/items/{item_id}/close"),
        ("post", "/api/v1/items/{item_id}/reopen"),
        ("post", "/api/v1/items/{item_id}/apply"),
        ("get", "/api/v1/items/{item_id}/assignments"),
        ("get", "/api/v1/items/{item_id}/assignment"),
        ("post", "/api/v1/items/{item_id}/assignment/reports"),
        ("post", "/api/v1/items/{item_id}/assignment/apply"),
        ("post", "/api/v1/closing-requests/{request_id}/review"),
        ("get", "/api/v1/figures"),
        ("post", "/api/v1/items/{item_id}/supervision"),
        ("delete", "/api/v1/items/{item_id}/supervision"),
        ("get", "/api/v1/targets"),
        ("get", "/api/v1/units"),
        ("post", "/api/v1/tokens"),
        ("get", "/api/v1/tokens"),
        ("delete", "/api/v1/tokens/{token_id}"),
    }
    documented = {
        (method, path) for path, ops in doc["paths"].items() if path.startswith("/api/v1") for method in ops
    }
    assert documented == expected
    for method, path in expected:
        operation = doc["paths"][path][method]
        assert CJK.search(operation["summary"]), (method, path)
        assert operation["tags"] == ["API v1"]
    item_schema = doc["paths"]["/api/v1/items/{item_id}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]
    assert item_schema["schema"]["$ref"] == "#/components/schemas/ItemDetail"
    status = doc["components"]["schemas"]["ItemOut"]["properties"]["status"]
    assert status["enum"] == ["open", "in_progress", "done", "cancelled", "overdue"]
    # Pages are not part of the API document.
    assert not [p for p in doc["paths"] if not p.startswith("/api/v1/")]


def test_docs_page_is_served(app):
    response = TestClient(app).get("/api/docs")
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in response.text
