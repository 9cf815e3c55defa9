"""The import review (issue 14): every edit operation, saved to the draft as it is made, on
SQLite and PostgreSQL; corrections kept as their own layer and replayed on a re-import;
conflicts decided; who may edit; what teaching does to the next reading."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import Draft, ImportCorrection, Item, LearnedHint, Organisation, Plan

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TITLE = "示例县教育局2024年秋季学期工作行事历"
LINES = [
    TITLE,
    "周次\t日期\t工作内容\t责任科室",
    "第1周\t9月2日—9月6日\t开学工作检查。教师培训报名\t基教股",
    "第2周\t9月10日\t庆祝教师节表彰大会\t办公室",
    "第3周\t9月16日—9月20日\t教学常规检查\t教研室",
    "附：全年安全工作检查",
]
CALENDAR = ("\n".join(LINES) + "\n").encode()


@pytest.fixture
def web_db(web_db_both):
    return web_db_both


def signed_in(login, role: str):
    client = login(role)
    client.csrf = CSRF.search(client.get("/login").text).group(1)
    return client


def new_draft(client, data: bytes = CALENDAR, name: str = "cal.txt") -> int:
    response = client.post(
        "/import",
        data={"csrf_token": client.csrf},
        files={"file": (name, data, "text/plain")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    draft_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert client.get(f"/import/{draft_id}/review").status_code == 200
    return draft_id


def post(client, draft_id: int, what: str, expect: int = 303, **form):
    data = {"csrf_token": client.csrf, **form}
    response = client.post(f"/import/{draft_id}/review/{what}", data=data, follow_redirects=False)
    assert response.status_code == expect, response.text[:800]
    return response


def plan_of(seeded, draft_id: int) -> dict:
    with sessions(connect(seeded["url"]))() as session:
        return session.get(Draft, draft_id).plan


def save_item(client, seeded, draft_id: int, title: str, **fields):
    """Save the fields of the read item of that title, as the review form does."""
    found = rid(plan_of(seeded, draft_id), title)
    return post(client, draft_id, "items", action="save", rid=found, title=title, **fields)


def rid(plan: dict, title: str) -> str:
    return next(i["review"]["rid"] for i in plan["items"] if i["title"] == title)


def titles(plan: dict) -> list[str]:
    return [i["title"] for i in plan["items"]]


def item(plan: dict, title: str) -> dict:
    return next(i for i in plan["items"] if i["title"] == title)


READ_TITLES = ["开学工作检查", "庆祝教师节表彰大会", "教学常规检查"]


def test_the_reading_is_what_the_tests_below_start_from(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    plan = plan_of(seeded, draft_id)
    assert titles(plan) == READ_TITLES
    page = client.get(f"/import/{draft_id}/review").text
    # Line 6 (附：全年安全工作检查) was claimed by no item: marked, with its one-click button.
    assert re.search(r'<li id="line-6" data-line="6" class="unclaimed">', page)
    assert 'aria-label="用第 6 行新增事项"' in page
    assert re.search(r'<li id="line-3" data-line="3" class="claimed">', page)


def test_edit_an_item_saves_at_once_and_is_a_correction(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    r = rid(plan_of(seeded, draft_id), "庆祝教师节表彰大会")
    post(
        client,
        draft_id,
        "items",
        action="save",
        rid=r,
        title="教师节表彰大会",
        text="庆祝教师节表彰大会",
        start="2024-09-09",
        end="2024-09-09",
        units="办公室、人事股",
    )
    got = item(plan_of(seeded, draft_id), "教师节表彰大会")
    assert (got["start"], got["end"], got["departments"]) == (
        "2024-09-09",
        "2024-09-09",
        ["办公室", "人事股"],
    )
    assert got["confidence"] == 1.0
    with sessions(connect(seeded["url"]))() as session:
        rows = session.scalars(select(ImportCorrection).where(ImportCorrection.draft_id == draft_id)).all()
        assert sorted((c.field, str(c.before), str(c.after)) for c in rows) == [
            ("departments", "['办公室']", "['办公室', '人事股']"),
            ("end", "2024-09-10", "2024-09-09"),
            ("start", "2024-09-10", "2024-09-09"),
            ("title", "庆祝教师节表彰大会", "教师节表彰大会"),
        ]
    # Editing the date back to what was read leaves no correction for it.
    post(
        client,
        draft_id,
        "items",
        action="save",
        rid=r,
        title="教师节表彰大会",
        start="2024-09-10",
        end="2024-09-10",
    )
    with sessions(connect(seeded["url"]))() as session:
        fields = session.scalars(
            select(ImportCorrection.field).where(ImportCorrection.draft_id == draft_id)
        ).all()
        assert sorted(fields) == ["departments", "title"]


def test_a_bad_date_is_refused_in_chinese_and_nothing_changes(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    r = rid(plan_of(seeded, draft_id), "教学常规检查")
    page = post(
        client,
        draft_id,
        "items",
        400,
        action="save",
        rid=r,
        title="教学常规检查",
        start="2024-09-20",
        end="2024-09-16",
    )
    assert "结束日期 2024-09-16 早于开始日期 2024-09-20" in page.text
    assert item(plan_of(seeded, draft_id), "教学常规检查")["start"] == "2024-09-16"


def test_delete_an_item(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    post(client, draft_id, "items", action="delete", rid=rid(plan_of(seeded, draft_id), "教学常规检查"))
    assert titles(plan_of(seeded, draft_id)) == ["开学工作检查", "庆祝教师节表彰大会"]


def test_split_an_item_at_the_cursor_or_at_a_typed_mark(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    plan = plan_of(seeded, draft_id)
    first = item(plan, "开学工作检查")
    assert first["text"] == "开学工作检查。教师培训报名"
    # The cursor after 。 (character 7): two items, same dates and units.
    post(
        client,
        draft_id,
        "items",
        action="split",
        rid=first["review"]["rid"],
        at="7",
        title="开学工作检查",
        text=first["text"],
        start="2024-09-02",
        end="2024-09-06",
        units="基教股",
    )
    plan = plan_of(seeded, draft_id)
    assert titles(plan) == ["开学工作检查", "教师培训报名", "庆祝教师节表彰大会", "教学常规检查"]
    second = item(plan, "教师培训报名")
    assert (second["text"], second["start"], second["end"], second["departments"]) == (
        "教师培训报名",
        "2024-09-02",
        "2024-09-06",
        ["基教股"],
    )
    assert item(plan, "开学工作检查")["text"] == "开学工作检查。"
    # Without script: || typed into the text marks the place.
    third = item(plan, "教学常规检查")
    post(
        client,
        draft_id,
        "items",
        action="split",
        rid=third["review"]["rid"],
        title="教学常规检查",
        text="教学常规||检查",
        start="2024-09-16",
        end="2024-09-20",
        units="教研室",
    )
    assert titles(plan_of(seeded, draft_id))[-2:] == ["教学常规", "检查"]


def test_a_split_without_a_place_is_refused(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    page = post(
        client,
        draft_id,
        "items",
        400,
        action="split",
        rid=rid(plan_of(seeded, draft_id), "教学常规检查"),
        title="教学常规检查",
        text="教学常规检查",
    )
    assert "光标" in page.text


def test_merge_with_the_next_item(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    post(client, draft_id, "items", action="merge", rid=rid(plan_of(seeded, draft_id), "庆祝教师节表彰大会"))
    plan = plan_of(seeded, draft_id)
    assert titles(plan) == ["开学工作检查", "庆祝教师节表彰大会"]
    merged = item(plan, "庆祝教师节表彰大会")
    assert (merged["start"], merged["end"]) == ("2024-09-10", "2024-09-20")
    assert merged["departments"] == ["办公室", "教研室"]
    assert merged["review"]["lines"] == [4, 5]
    page = post(client, draft_id, "items", 400, action="merge", rid=rid(plan, "庆祝教师节表彰大会"))
    assert "最后一项" in page.text


def test_reorder(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    post(client, draft_id, "items", action="up", rid=rid(plan_of(seeded, draft_id), "教学常规检查"))
    assert titles(plan_of(seeded, draft_id)) == ["开学工作检查", "教学常规检查", "庆祝教师节表彰大会"]
    post(client, draft_id, "items", action="down", rid=rid(plan_of(seeded, draft_id), "开学工作检查"))
    assert titles(plan_of(seeded, draft_id)) == ["教学常规检查", "开学工作检查", "庆祝教师节表彰大会"]


def test_add_an_item_from_unclaimed_lines_and_an_empty_one(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    post(client, draft_id, "items", action="add", line="6")
    plan = plan_of(seeded, draft_id)
    added = plan["items"][-1]
    assert (added["title"], added["text"], added["review"]["lines"]) == ("附", "附：全年安全工作检查", [6])
    page = client.get(f"/import/{draft_id}/review").text
    assert re.search(r'<li id="line-6" data-line="6" class="claimed">', page)
    post(client, draft_id, "items", action="add", title="国庆节安全教育", start="2024-09-27", units="安全股")
    last = plan_of(seeded, draft_id)["items"][-1]
    assert (last["title"], last["start"], last["end"], last["departments"]) == (
        "国庆节安全教育",
        "2024-09-27",
        "2024-09-27",
        ["安全股"],
    )
    page = post(client, draft_id, "items", 400, action="add")
    assert "新事项要么选原文行，要么填标题" in page.text


def test_edit_the_document_and_its_targets(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    post(
        client,
        draft_id,
        "header",
        title=TITLE,
        issuer="示例县教育体育局",
        kind="plan",
        period_start="2024-09-01",
        period_end="2025-01-19",
    )
    plan = plan_of(seeded, draft_id)
    assert (plan["issuer"], plan["kind"], plan["period"]) == (
        "示例县教育体育局",
        "plan",
        {"start": "2024-09-01", "end": "2025-01-19"},
    )
    post(
        client,
        draft_id,
        "targets",
        action="add",
        indicator="教师培训覆盖率",
        op=">=",
        value="95",
        unit="%",
        deadline="2024-12-31",
        lead="师训股",
    )
    target = plan_of(seeded, draft_id)["targets"][0]
    assert (
        target["indicator"],
        target["op"],
        target["value"],
        target["unit"],
        target["deadline"],
        target["lead"],
    ) == (
        "教师培训覆盖率",
        ">=",
        95,
        "%",
        "2024-12-31",
        "师训股",
    )
    post(
        client,
        draft_id,
        "targets",
        action="save",
        rid=target["review"]["rid"],
        indicator="教师培训覆盖率",
        op=">=",
        value="98.5",
        unit="%",
        deadline="2024-12-31",
        lead="师训股",
    )
    assert plan_of(seeded, draft_id)["targets"][0]["value"] == 98.5
    page = post(client, draft_id, "targets", 400, action="save", rid=target["review"]["rid"], value="很多")
    assert "目标值“很多”不是数字" in page.text
    post(client, draft_id, "targets", action="delete", rid=target["review"]["rid"])
    assert plan_of(seeded, draft_id)["targets"] == []


def test_publish_is_explicit_and_carries_every_edit(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    plan = plan_of(seeded, draft_id)
    post(
        client,
        draft_id,
        "items",
        action="save",
        rid=rid(plan, "庆祝教师节表彰大会"),
        title="教师节表彰大会",
        start="2024-09-09",
        end="2024-09-09",
        units="办公室",
    )
    post(client, draft_id, "header", issuer="示例县教育体育局")
    with sessions(connect(seeded["url"]))() as session:
        assert session.get(Draft, draft_id).published_plan_id is None  # saved, not published
    page = post(client, draft_id, "publish", 200)
    assert "已发布到台账" in page.text
    with sessions(connect(seeded["url"]))() as session:
        plan_id = session.get(Draft, draft_id).published_plan_id
        stored = session.get(Plan, plan_id)
        assert stored.issuer == "示例县教育体育局"
        got = session.scalars(
            select(Item).where(Item.plan_id == plan_id, Item.title == "教师节表彰大会")
        ).one()
        assert got.start.isoformat() == "2024-09-09"
    # A published draft takes no more edits.
    page = post(client, draft_id, "items", 400, action="delete", rid=rid(plan, "教学常规检查"))
    assert "已经发布" in page.text


REVISED = CALENDAR.replace("庆祝教师节表彰大会".encode(), "庆祝第40个教师节表彰大会".encode())


def test_a_reimport_keeps_the_corrections_and_offers_the_changed_item_for_a_decision(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    plan = plan_of(seeded, draft_id)
    post(
        client,
        draft_id,
        "items",
        action="save",
        rid=rid(plan, "庆祝教师节表彰大会"),
        title="庆祝教师节表彰大会",
        start="2024-09-09",
        end="2024-09-09",
        units="办公室",
    )
    first = item(plan, "开学工作检查")
    post(
        client,
        draft_id,
        "items",
        action="split",
        rid=first["review"]["rid"],
        at="7",
        title="开学工作检查",
        text=first["text"],
        start="2024-09-02",
        end="2024-09-06",
        units="基教股",
    )
    post(client, draft_id, "items", action="add", line="6")
    post(client, draft_id, "header", issuer="示例县教育体育局")
    post(client, draft_id, "publish", 200)

    second = new_draft(client, REVISED, "cal-v2.txt")
    plan2 = plan_of(seeded, second)
    # Re-applied: the split, the item from line 6, the issuer.
    assert titles(plan2) == ["开学工作检查", "教师培训报名", "庆祝第40个教师节表彰大会", "教学常规检查", "附"]
    assert plan2["issuer"] == "示例县教育体育局"
    # The changed item kept what was read (2024-09-10) and its date correction waits for a decision.
    assert item(plan2, "庆祝第40个教师节表彰大会")["start"] == "2024-09-10"
    page = client.get(f"/import/{second}/review").text
    assert "以前的更正：1 处需要你决定" in page
    assert "事项“庆祝教师节表彰大会”" in page
    assert "这是已发布计划的新版本" in page
    assert "新版本里改成了“庆祝第40个教师节表彰大会”" in page
    with sessions(connect(seeded["url"]))() as session:
        waiting = session.scalars(
            select(ImportCorrection).where(
                ImportCorrection.draft_id == second, ImportCorrection.status == "conflict"
            )
        ).all()
        assert sorted((c.field, c.after) for c in waiting) == [("end", "2024-09-09"), ("start", "2024-09-09")]
        ids = [str(c.id) for c in waiting]
    page = post(client, second, "publish", 400)
    assert "等待决定" in page.text
    # Kept: the earlier date goes onto the changed item; then publishing works.
    post(client, second, "decide", correction=ids, keep="1")
    changed = item(plan_of(seeded, second), "庆祝第40个教师节表彰大会")
    assert (changed["start"], changed["end"]) == ("2024-09-09", "2024-09-09")
    page = post(client, second, "publish", 200)
    assert "已有计划的新版本" in page.text


def test_a_correction_of_an_item_gone_from_the_source_can_only_be_dropped(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    save_item(
        client, seeded, draft_id, "庆祝教师节表彰大会", start="2024-09-09", end="2024-09-09", units="办公室"
    )
    post(client, draft_id, "publish", 200)
    gone = CALENDAR.replace("第2周\t9月10日\t庆祝教师节表彰大会\t办公室\n".encode(), b"")
    second = new_draft(client, gone, "cal-v2.txt")
    with sessions(connect(seeded["url"]))() as session:
        ids = [
            str(c.id)
            for c in session.scalars(
                select(ImportCorrection).where(
                    ImportCorrection.draft_id == second, ImportCorrection.status == "conflict"
                )
            )
        ]
    assert len(ids) == 2
    page = post(client, second, "decide", 400, correction=ids, keep="1")
    assert "只能放弃" in page.text
    post(client, second, "decide", correction=ids, keep="0")
    page = post(client, second, "publish", 200)
    assert "删除 1 项" in page.text


def test_a_conflict_on_an_item_still_there_can_be_kept(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    r = rid(plan_of(seeded, draft_id), "教学常规检查")
    post(
        client,
        draft_id,
        "items",
        action="save",
        rid=r,
        title="教学常规检查",
        start="2024-09-17",
        end="2024-09-20",
        units="教研室",
    )
    post(client, draft_id, "publish", 200)
    # The same row, now dated a day later in the source: the correction's "before" no longer holds.
    moved = CALENDAR.replace("9月16日—9月20日".encode(), "9月23日—9月27日".encode())
    second = new_draft(client, moved, "cal-v2.txt")
    with sessions(connect(seeded["url"]))() as session:
        waiting = session.scalars(
            select(ImportCorrection).where(
                ImportCorrection.draft_id == second, ImportCorrection.status == "conflict"
            )
        ).all()
        assert [c.field for c in waiting] == ["start"]
        assert "2024-09-23" in waiting[0].note
    post(client, second, "decide", correction=str(waiting[0].id), keep="1")
    assert item(plan_of(seeded, second), "教学常规检查")["start"] == "2024-09-17"


def test_another_admin_continues_the_same_draft(login, seeded, db_sessions):
    from eduplan.demo.bureau import DEMO_BUREAU
    from eduplan.ledger.accounts import create_user

    with db_sessions.begin() as session:
        bureau = session.scalars(select(Organisation).where(Organisation.name == DEMO_BUREAU)).one()
        create_user(session, "admin2", "admin2-pass-2026", "admin", bureau=bureau, display_name="第二管理员")
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    post(client, draft_id, "items", action="delete", rid=rid(plan_of(seeded, draft_id), "教学常规检查"))
    del client
    # A fresh client, another administrator: the draft as it was left.
    from fastapi.testclient import TestClient

    from eduplan.web.app import create_app

    other = TestClient(create_app(seeded["url"]))
    token = CSRF.search(other.get("/login").text).group(1)
    other.post(
        "/login",
        data={"username": "admin2", "password": "admin2-pass-2026", "csrf_token": token, "next": "/"},
    )
    page = other.get(f"/import/{draft_id}/review")
    assert page.status_code == 200
    assert "教学常规检查" not in page.text.split('id="items"')[1].split('id="targets"')[0]


def test_an_office_with_import_rights_may_edit_others_may_not(login, seeded, db_sessions):
    admin = signed_in(login, "admin")
    draft_id = new_draft(admin)
    r = rid(plan_of(seeded, draft_id), "教学常规检查")
    office = signed_in(login, "office")
    assert office.get(f"/import/{draft_id}/review").status_code == 403
    post(office, draft_id, "items", 403, action="delete", rid=r)
    with db_sessions() as session:
        office_id = session.scalars(select(Organisation.id).where(Organisation.name == "基教股")).one()
    # 管理员 grants it on the units page.
    assert f'action="/admin/units/{office_id}/import-rights"' in admin.get("/admin/units").text
    response = admin.post(
        f"/admin/units/{office_id}/import-rights",
        data={"csrf_token": admin.csrf, "grant": "1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert office.get(f"/import/{draft_id}/review").status_code == 200
    post(office, draft_id, "items", action="delete", rid=r)
    assert "教学常规检查" not in titles(plan_of(seeded, draft_id))
    assert signed_in(login, "office2").get(f"/import/{draft_id}/review").status_code == 403


def test_every_review_form_needs_the_csrf_token(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    r = rid(plan_of(seeded, draft_id), "教学常规检查")
    for what in ("items", "header", "targets", "decide", "teach", "publish"):
        response = client.post(
            f"/import/{draft_id}/review/{what}", data={"action": "delete", "rid": r}, follow_redirects=False
        )
        assert response.status_code == 403, what
    assert "教学常规检查" in titles(plan_of(seeded, draft_id))
    page = client.get(f"/import/{draft_id}/review").text
    forms = re.findall(r'<form method="post".*?</form>', page, re.S)
    assert forms and all('name="csrf_token"' in f for f in forms)


# ---------------------------------------------------------------- teaching


HABIT = "\n".join(
    [
        "示例县教育局2025年春季学期工作行事历",
        "周次\t日期\t工作内容\t承办方",
        "第1周\t2月17日—2月21日\t开学工作检查\t基础教育股",
        "第2周\t2月24日—2月28日\t教学常规检查\t教研室",
        "",
    ]
).encode()
HABIT_NEXT = "\n".join(
    [
        "示例县教育局2025年秋季学期工作行事历",
        "周次\t日期\t工作内容\t承办方",
        "第1周\t9月1日—9月5日\t新生入学教育\t基础教育股",
        "第2周\t9月8日—9月12日\t庆祝教师节\t办公室",
        "",
    ]
).encode()


def test_corrections_teach_the_next_reading_of_the_same_bureau(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client, HABIT, "spring.txt")
    # Read without the habit: 承办方 is not known as the units column, so the units became items.
    plan = plan_of(seeded, draft_id)
    assert "基础教育股" in titles(plan)
    assert all(not i["departments"] for i in plan["items"])
    post(client, draft_id, "teach", kind="header_role", key="承办方", value="units")
    # Fix the rows by hand as a clerk would: delete the unit-items, give the units.
    for t in ("基础教育股", "教研室"):
        post(client, draft_id, "items", action="delete", rid=rid(plan_of(seeded, draft_id), t))
    save_item(client, seeded, draft_id, "开学工作检查", units="基础教育股")
    save_item(client, seeded, draft_id, "开学工作检查", units="基教股")
    post(client, draft_id, "publish", 200)
    with sessions(connect(seeded["url"]))() as session:
        hints = {(h.kind, h.key, h.value) for h in session.scalars(select(LearnedHint)).all()}
    assert ("header_role", "承办方", "units") in hints

    # The admin page shows it learned; the next document of the bureau needs no such fixes.
    assert "承办方" in client.get("/admin/hints").text
    # The review of the bureau's next draft shows what is learned (and takes a school's type).
    again = new_draft(client, HABIT, "again.txt")
    post(client, again, "teach", kind="school_type", key="城关中学", value="初中")
    learned = re.search(r'<p id="learned">(.*?)</p>', client.get(f"/import/{again}/review").text).group(1)
    assert "表头含义“承办方”→“责任单位”" in learned
    assert "单位别名“基础教育股”→“基教股”" in learned
    assert "学校类型“城关中学”→“初中”" in learned
    second = new_draft(client, HABIT_NEXT, "autumn.txt")
    plan2 = plan_of(seeded, second)
    assert titles(plan2) == ["新生入学教育", "庆祝教师节"]
    assert [i["departments"] for i in plan2["items"]] == [["基教股"], ["办公室"]]


def test_a_revoked_hint_is_no_longer_used(login, seeded, db_sessions):
    client = signed_in(login, "admin")
    draft_id = new_draft(client, HABIT, "spring.txt")
    post(client, draft_id, "teach", kind="header_role", key="承办方", value="units")
    with db_sessions() as session:
        hint_id = session.scalars(select(LearnedHint.id)).one()
    page = client.get("/admin/hints").text
    assert f'action="/admin/hints/{hint_id}/revoke"' in page
    response = client.post(
        f"/admin/hints/{hint_id}/revoke", data={"csrf_token": client.csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    second = new_draft(client, HABIT_NEXT, "autumn.txt")
    assert "基础教育股" in titles(plan_of(seeded, second))


def test_a_unit_renamed_in_an_item_is_learned_as_an_alias(login, seeded, db_sessions):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    save_item(client, seeded, draft_id, "教学常规检查", units="教研室、基教股")
    save_item(client, seeded, draft_id, "庆祝教师节表彰大会", units="局办公室")
    with db_sessions() as session:
        hints = [(h.kind, h.key, h.value) for h in session.scalars(select(LearnedHint)).all()]
    # Adding a unit teaches nothing; replacing one name by another does.
    assert hints == [("unit_alias", "办公室", "局办公室")]


def test_the_filter_shows_only_what_needs_a_look(login, seeded):
    client = signed_in(login, "admin")
    # Row 4 names no unit although the others do; every date is written on its row.
    data = CALENDAR.replace(
        "附：全年安全工作检查".encode(), "第4周\t9月23日—9月27日\t国庆安全检查\t".encode()
    )
    draft_id = new_draft(client, data, "cal4.txt")
    page = client.get(f"/import/{draft_id}/review?look=1").text
    shown = re.findall(r'<input name="title" value="([^"]+)" class="item-title"', page)
    assert shown == ["国庆安全检查"]
    assert "没有责任单位（本文档其他事项写了）" in page
    assert '4 项，<span class="late">1 项需核对</span>' in page
    # Once a person has saved it, it no longer needs a look.
    save_item(client, seeded, draft_id, "国庆安全检查", units="安全股")
    page = client.get(f"/import/{draft_id}/review?look=1").text
    assert re.findall(r'<input name="title" value="([^"]+)" class="item-title"', page) == []


# ---------------------------------------------------------------- units in bulk

SCHOOL_DOC = "\n".join(
    [
        "城关中学2024年秋季学期校历",
        "周次\t日期\t工作内容\t责任部门",
        "第1周\t9月2日—9月6日\t开学典礼\t教务处",
        "第2周\t9月9日—9月13日\t新生军训\t团委",
        "第3周\t9月16日—9月20日\t教研活动\t基础教育股",
        "",
    ]
).encode()


def test_units_from_an_import_are_reviewed_several_at_once(login, seeded, db_sessions):
    client = signed_in(login, "admin")
    draft_id = new_draft(client, SCHOOL_DOC, "school.txt")
    assert plan_of(seeded, draft_id)["issuer"] == "城关中学"
    page = post(client, draft_id, "publish", 200).text
    assert "教务处" in page and "团委" in page
    with db_sessions() as session:
        org = {o.name: o for o in session.scalars(select(Organisation))}
        school, office = org["城关中学"], org["基教股"]
        # A school's document: the offices it named hang under the school, still to be reviewed.
        assert org["教务处"].parent_id == school.id and org["团委"].parent_id == school.id
        assert org["教务处"].needs_review
        ids = {name: org[name].id for name in ("教务处", "团委", "基础教育股")}
    page = client.get("/admin/units/bulk").text
    for name in ids:
        assert f"选中 {name}" in page
    # Two ticked rows at once as 城关中学's offices; 基础教育股 merged into 基教股 on its own row.
    response = client.post(
        "/admin/units/bulk",
        data={
            "csrf_token": client.csrf,
            "unit": [str(ids["教务处"]), str(ids["团委"])],
            "bulk_action": "internal",
            "bulk_other": str(school.id),
            f"action-{ids['基础教育股']}": "merge",
            f"other-{ids['基础教育股']}": str(office.id),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    assert response.headers["location"] == "/admin/units/bulk?done=3"
    with db_sessions() as session:
        org = {o.name: o for o in session.scalars(select(Organisation))}
        assert (org["教务处"].parent_id, org["教务处"].kind, org["教务处"].needs_review) == (
            school.id,
            "office",
            False,
        )
        assert not org["团委"].needs_review
        assert org["基础教育股"].merged_into_id == office.id
    assert "没有待核对的新单位" in client.get("/admin/units/bulk").text


def test_a_merge_without_its_unit_is_refused_and_nothing_changes(login, seeded, db_sessions):
    client = signed_in(login, "admin")
    draft_id = new_draft(client, SCHOOL_DOC, "school.txt")
    post(client, draft_id, "publish", 200)
    with db_sessions() as session:
        ids = {o.name: o.id for o in session.scalars(select(Organisation))}
    response = client.post(
        "/admin/units/bulk",
        data={
            "csrf_token": client.csrf,
            f"action-{ids['团委']}": "accept",
            f"action-{ids['教务处']}": "merge",
        },
    )
    assert response.status_code == 400
    assert "“教务处”要合并到哪个单位？请选择" in response.text
    with db_sessions() as session:
        assert session.get(Organisation, ids["团委"]).needs_review


def test_the_one_table_form_stores_its_edits_as_corrections_too(login, seeded):
    client = signed_in(login, "admin")
    draft_id = new_draft(client)
    page = client.get(f"/import/{draft_id}").text
    assert f'href="/import/{draft_id}/review"' in page
    response = client.post(
        f"/import/{draft_id}",
        data={
            "csrf_token": client.csrf,
            "plan_title": TITLE,
            "title-1": "庆祝教师节表彰大会",
            "start-1": "2024-09-09",
            "end-1": "2024-09-09",
            "units-1": "办公室",
            "drop-2": "on",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    with sessions(connect(seeded["url"]))() as session:
        rows = session.scalars(select(ImportCorrection).where(ImportCorrection.draft_id == draft_id)).all()
        assert sorted((c.op, c.field, c.after) for c in rows if c.op == "edit") == [
            ("edit", "end", "2024-09-09"),
            ("edit", "start", "2024-09-09"),
        ]
        assert [c.before["title"] for c in rows if c.op == "delete"] == ["教学常规检查"]
