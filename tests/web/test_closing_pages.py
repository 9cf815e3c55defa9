"""销号, reopening and 督办 on the item page (and the API), the version conflict of a stale form,
and supervised items first on the unit page and the 工作台 — role by role.

Sample items (conftest): 开学工作检查 (基教股, 各学校) · 教研活动周 (教研室) · 城关中学开放日
(城关中学) · 第二中学安全演练 (第二中学) · 全县教师大会 (办公室). Roles: office = 基教股,
office2 = 教研室, school = 城关中学, school2 = 第二中学.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from eduplan.ledger.clock import now
from eduplan.ledger.clock import today as real_today
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import (
    Attachment,
    Item,
    Notification,
    Organisation,
    Plan,
    ProgressReport,
    Supervision,
)
from eduplan.supervise import closing_review

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CONFLICT = "该任务已被他人修改（当前第2版），请刷新后再提交"


@pytest.fixture
def ids(db_sessions) -> dict[str, int]:
    with db_sessions() as session:
        return dict(session.execute(select(Item.title, Item.id)).all())


@pytest.fixture
def one_step(db_sessions, seeded) -> None:
    """The sample plan's bureau closes in one step: an office's 销号 closes at once (by default it
    would be a 申请销号 for review — tests/web/test_closing_mode.py)."""
    with db_sessions.begin() as session:
        bureau_id = session.get(Plan, seeded["plan_id"]).bureau_id
        closing_review.set_one_step(session, bureau_id, True, "admin")


def post(client, url: str, files=None, **data):
    return client.post(
        url, data={"csrf_token": client.csrf, **data}, files=files or [], follow_redirects=False
    )


def text_of(html: str) -> str:
    """The page's text, tags dropped (to read the history table's cells)."""
    return unescape(re.sub(r"<[^>]+>", " ", html))


def history(html: str) -> str:
    return text_of(html[html.index("变更记录") :])


def stored(db_sessions, item_id: int) -> Item:
    with db_sessions() as session:
        return session.get(Item, item_id)


# ------------------------------------------------------------------------------ 销号


def test_the_office_closes_with_a_completion_report_and_evidence(login, db_sessions, ids, one_step):
    office = login("office")
    item = ids["开学工作检查"]
    page = office.get(f"/items/{item}").text
    assert f'action="/items/{item}/close"' in page
    assert '<option value="done"' not in page  # the plain status form does not offer 已完成
    response = post(
        office,
        f"/items/{item}/close",
        files=[("files", ("检查记录.pdf", PDF, "application/pdf"))],
        text="已完成全县 12 所学校的开学检查。",
        revision="1",
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/items/{item}?done=closed"
    row = stored(db_sessions, item)
    assert (row.status, row.closed_by, row.revision) == ("done", "jijiao", 2)
    with db_sessions() as session:
        report = session.scalars(select(ProgressReport)).one()
        assert (report.kind, report.text, report.percent) == (
            "completion",
            "已完成全县 12 所学校的开学检查。",
            100,
        )
        files = session.scalars(select(Attachment)).all()
        assert [(f.filename, f.content_type, f.report_id) for f in files] == [
            ("检查记录.pdf", "application/pdf", report.id)
        ]
    page = office.get(response.headers["location"]).text
    assert "已销号。" in page
    facts = text_of(page[page.index("facts-list") : page.index("原文")])
    assert "已完成" in facts and "基教股（jijiao） 于" in facts and "销号" in facts
    assert "完成报告（销号）" in page and "检查记录.pdf" in page
    assert f'action="/items/{item}/close"' not in page  # closed: no second 销号 form
    assert f'action="/items/{item}/reopen"' in page
    assert "销号 状态：未开始 → 已完成；完成情况：已完成全县 12 所学校的开学检查。" in " ".join(
        history(page).split()
    )


def test_closing_needs_the_completion_text_and_keeps_the_item_open(login, db_sessions, ids):
    admin = login("admin")
    item = ids["教研活动周"]
    response = post(admin, f"/items/{item}/close", text="   ")
    assert response.status_code == 400
    assert "请填写完成情况" in response.text
    assert stored(db_sessions, item).status == "open"
    bad_file = post(
        admin, f"/items/{item}/close", files=[("files", ("x.exe", b"MZ\x90\x00" * 10, "x"))], text="完成了"
    )
    assert bad_file.status_code == 400
    assert "完成了" in bad_file.text  # what was typed is kept
    with db_sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0


def test_the_status_form_and_the_api_refuse_done_without_a_report(login, db_sessions, ids):
    office = login("office")
    item = ids["开学工作检查"]
    response = post(office, f"/items/{item}/status", status="done")
    assert response.status_code == 400
    assert "标记为“已完成”须销号" in response.text
    api = office.patch(
        f"/api/v1/items/{item}", json={"status": "done"}, headers={"X-CSRF-Token": office.csrf}
    )
    assert api.status_code == 422
    assert api.json()["detail"].startswith("标记为“已完成”须销号")
    row = stored(db_sessions, item)
    assert (row.status, row.revision) == ("open", 1)


@pytest.mark.parametrize("role", ["office2", "school", "school2", "guest"])
def test_only_the_responsible_office_or_the_bureau_closes(login, db_sessions, ids, role):
    client = login(role)
    item = ids["开学工作检查"]
    response = post(client, f"/items/{item}/close", text="我来销号")
    assert response.status_code == 403
    api = client.post(
        f"/api/v1/items/{item}/close", json={"text": "我来销号"}, headers={"X-CSRF-Token": client.csrf}
    )
    assert api.status_code == 403
    assert stored(db_sessions, item).status == "open"
    assert f'action="/items/{item}/close"' not in client.get(f"/items/{item}").text


def test_closing_and_reopening_through_the_api(login, db_sessions, ids):
    admin = login("admin")
    headers = {"X-CSRF-Token": admin.csrf}
    url = f"/api/v1/items/{ids['全县教师大会']}"
    closed = admin.post(f"{url}/close", json={"text": "大会已召开", "revision": 1}, headers=headers)
    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["revision"]) == ("done", 2)
    assert (closed.json()["closed_by"], closed.json()["closed_at"] is not None) == ("admin", True)
    again = admin.post(f"{url}/close", json={"text": "再销一次"}, headers=headers)
    assert (again.status_code, again.json()["detail"]) == (422, "这项工作已经销号")
    assert admin.patch(url, json={"status": "open"}, headers=headers).status_code == 422
    stale = admin.post(f"{url}/reopen", json={"reason": "补开", "revision": 1}, headers=headers)
    assert (stale.status_code, stale.json()["detail"]) == (409, CONFLICT)
    reopened = admin.post(f"{url}/reopen", json={"reason": "补开", "revision": 2}, headers=headers)
    assert (reopened.json()["stored_status"], reopened.json()["revision"]) == ("in_progress", 3)
    assert (reopened.json()["closed_by"], reopened.json()["closed_at"]) == (None, None)
    reports = admin.get(f"{url}/reports").json()
    assert [(r["kind"], r["text"]) for r in reports] == [("completion", "大会已召开"), ("reopen", "补开")]
    with db_sessions() as session:
        kinds = session.scalars(select(ProgressReport.kind).order_by(ProgressReport.id)).all()
    assert kinds == ["completion", "reopen"]


# ------------------------------------------------------------------------------ reopening


def test_reopening_needs_a_reason_and_both_show_in_the_history(login, db_sessions, ids, one_step):
    office = login("office")
    item = ids["开学工作检查"]
    assert post(office, f"/items/{item}/close", text="检查完毕").status_code == 303
    admin = login("admin")
    refused = post(admin, f"/items/{item}/reopen", reason="")
    assert refused.status_code == 400 and "请填写重新打开的原因" in refused.text
    response = post(admin, f"/items/{item}/reopen", reason="督查发现城关中学未整改", revision="2")
    assert response.status_code == 303
    row = stored(db_sessions, item)
    assert (row.status, row.closed_at, row.closed_by, row.revision) == ("in_progress", None, None, 3)
    page = admin.get(response.headers["location"]).text
    assert "已重新打开。" in page and "重新打开的原因" in page
    lines = " ".join(history(page).split())
    assert "基教股（jijiao） 销号 状态：未开始 → 已完成；完成情况：检查完毕" in lines
    assert "局办公室管理员（admin） 重新打开 状态：已完成 → 进行中；原因：督查发现城关中学未整改" in lines
    assert lines.index("销号 状态") < lines.index("重新打开 状态")
    # 城关中学 (assigned through 各学校) hears of it.
    with db_sessions() as session:
        names = session.scalars(
            select(Organisation.name)
            .join(Notification, Notification.org_id == Organisation.id)
            .where(Notification.kind == "reopen")
        ).all()
    assert {"基教股", "城关中学", "第二中学"} <= set(names)


def test_a_completion_report_without_its_closing_entry_still_shows_in_the_history(login, db_sessions, ids):
    """Data closed before 销号 was audited (or by an import script) keeps its report visible."""
    item = ids["教研活动周"]
    with db_sessions.begin() as session:
        session.get(Item, item).status = "done"
        session.add(
            ProgressReport(
                item_id=item, org_id=None, author="教研室", text="活动周已举行", percent=100,
                kind="completion", created_at=now(),
            )
        )  # fmt: skip
    lines = " ".join(history(login("admin").get(f"/items/{item}").text).split())
    assert "教研室 提交完成报告 进度 100%；活动周已举行" in lines


@pytest.mark.parametrize("role", ["office2", "school", "guest"])
def test_another_office_or_a_school_cannot_reopen(login, db_sessions, ids, one_step, role):
    office = login("office")
    item = ids["开学工作检查"]
    assert post(office, f"/items/{item}/close", text="检查完毕").status_code == 303
    response = post(login(role), f"/items/{item}/reopen", reason="想重开")
    assert response.status_code == 403
    assert stored(db_sessions, item).status == "done"


# ------------------------------------------------------------------------------ the version conflict


def test_a_stale_status_form_gets_a_409_page_instead_of_overwriting(login, db_sessions, ids):
    item = ids["开学工作检查"]
    office, admin = login("office"), login("admin")
    seen = re.search(r'name="revision" value="(\d+)"', office.get(f"/items/{item}").text).group(1)
    assert seen == "1"
    assert post(admin, f"/items/{item}/status", status="cancelled", revision="1").status_code == 303
    response = post(office, f"/items/{item}/status", status="in_progress", revision=seen)
    assert response.status_code == 409
    assert CONFLICT in response.text
    assert stored(db_sessions, item).status == "cancelled"  # the other person's change stands
    # The 409 page is the item as it is now: its forms carry the current revision.
    assert 'name="revision" value="2"' in response.text
    assert post(office, f"/items/{item}/status", status="in_progress", revision="2").status_code == 303


def test_a_stale_close_keeps_what_was_typed(login, db_sessions, ids):
    item = ids["开学工作检查"]
    office, admin = login("office"), login("admin")
    assert post(admin, f"/items/{item}/status", status="in_progress", revision="1").status_code == 303
    response = post(office, f"/items/{item}/close", text="我的完成报告", revision="1")
    assert response.status_code == 409
    assert CONFLICT in response.text
    assert ">我的完成报告</textarea>" in response.text
    assert stored(db_sessions, item).status == "in_progress"
    with db_sessions() as session:
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0


def test_a_form_or_a_patch_with_a_newer_revision_than_the_items_is_refused(login, db_sessions, ids):
    item = ids["开学工作检查"]
    office, admin = login("office"), login("admin")
    response = post(office, f"/items/{item}/status", status="in_progress", revision="2")
    assert response.status_code == 409
    assert "该任务已被他人修改（当前第1版），请刷新后再提交" in response.text
    headers = {"X-CSRF-Token": admin.csrf}
    newer = admin.patch(f"/api/v1/items/{item}", json={"status": "cancelled", "revision": 2}, headers=headers)
    assert newer.status_code == 409
    assert newer.json()["detail"] == "该任务已被他人修改（当前第1版），请刷新后再提交"
    row = stored(db_sessions, item)
    assert (row.status, row.revision) == ("open", 1)


def test_the_api_conflict_says_the_same(login, ids):
    admin = login("admin")
    headers = {"X-CSRF-Token": admin.csrf}
    url = f"/api/v1/items/{ids['教研活动周']}"
    assert admin.patch(url, json={"status": "in_progress"}, headers=headers).status_code == 200
    stale = admin.patch(url, json={"status": "cancelled", "revision": 1}, headers=headers)
    assert (stale.status_code, stale.json()["detail"]) == (409, CONFLICT)


# ------------------------------------------------------------------------------ 督办


def deadline(days: int = 7) -> str:
    return (real_today() + timedelta(days=days)).isoformat()


def test_the_bureau_supervises_and_the_units_are_notified(login, db_sessions, ids):
    admin = login("admin")
    item = ids["开学工作检查"]
    response = post(
        admin, f"/items/{item}/supervise", deadline=deadline(), note="本周内完成整改", revision="1"
    )
    assert response.status_code == 303, response.text
    with db_sessions() as session:
        row = session.scalars(select(Supervision)).one()
        assert (row.item_id, row.deadline.isoformat(), row.note, row.created_by) == (
            item,
            deadline(),
            "本周内完成整改",
            "admin",
        )
        notified = session.execute(
            select(Organisation.name, Notification.title)
            .join(Notification, Notification.org_id == Organisation.id)
            .where(Notification.kind == "supervise")
        ).all()
    assert sorted(name for name, _ in notified) == sorted(
        ["基教股", "城关中学", "城关小学", "第二中学", "实验幼儿园", "实验小学"]
    )
    assert {title for _, title in notified} == {"【督办】开学工作检查"}
    page = admin.get(response.headers["location"]).text
    assert "已督办" in page and 'class="badge-supervised"' in page and f"期限 {deadline()}" in page
    lines = " ".join(history(page).split())
    assert f"admin 督办 期限 {deadline()}；要求：本周内完成整改" in lines
    assert post(admin, f"/items/{item}/supervise/lift").status_code == 303
    assert "admin 解除督办" in " ".join(history(admin.get(f"/items/{item}").text).split())
    with db_sessions() as session:
        assert session.scalars(select(Supervision)).one().lifted_by == "admin"


@pytest.mark.parametrize("role", ["office", "office2", "school", "school2", "guest"])
def test_only_the_bureau_supervises(login, db_sessions, ids, role):
    client = login(role)
    item = ids["开学工作检查"]
    assert post(client, f"/items/{item}/supervise", deadline=deadline(), note="督办").status_code == 403
    with db_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Supervision)) == 0
    admin = login("admin")
    assert post(admin, f"/items/{item}/supervise", deadline=deadline(), note="督办").status_code == 303
    assert post(client, f"/items/{item}/supervise/lift").status_code == 403
    with db_sessions() as session:
        assert session.scalars(select(Supervision)).one().lifted_at is None


def test_a_supervision_needs_a_future_deadline(login, db_sessions, ids):
    admin = login("admin")
    item = ids["开学工作检查"]
    past = post(admin, f"/items/{item}/supervise", deadline=deadline(-1), note="督办")
    assert past.status_code == 400 and "督办期限不能早于今天" in past.text
    garbled = post(admin, f"/items/{item}/supervise", deadline="下周五", note="督办")
    assert garbled.status_code == 400 and "督办期限要填日期" in garbled.text
    assert 'value="下周五"' in garbled.text


def test_supervising_through_the_api(login, db_sessions, ids):
    admin = login("admin")
    headers = {"X-CSRF-Token": admin.csrf}
    url = f"/api/v1/items/{ids['教研活动周']}/supervision"
    made = admin.post(url, json={"deadline": deadline(5), "note": "限期办结", "revision": 1}, headers=headers)
    assert made.status_code == 201, made.text
    assert (made.json()["deadline"], made.json()["note"], made.json()["overdue"]) == (
        deadline(5),
        "限期办结",
        False,
    )
    past = admin.post(url, json={"deadline": deadline(-1), "note": "限期办结"}, headers=headers)
    assert (past.status_code, past.json()["detail"]) == (422, "督办期限不能早于今天")
    office2 = login("office2")  # 教研室 is responsible, but only leaders supervise
    refused = office2.delete(url, headers={"X-CSRF-Token": office2.csrf})
    assert refused.status_code == 403
    assert admin.delete(url, headers=headers).status_code == 204
    assert admin.delete(url, headers=headers).status_code == 204  # nothing left to lift: no error
    with db_sessions() as session:
        rows = session.scalars(select(Supervision)).all()
    assert [(r.note, r.lifted_by) for r in rows] == [("限期办结", "admin")]


def supervise_directly(db_sessions, item_id: int, deadline: date, note: str) -> None:
    with db_sessions.begin() as session:
        session.add(
            Supervision(item_id=item_id, deadline=deadline, note=note, created_by="admin", created_at=now())
        )


def test_the_office_sees_its_supervised_items_first_on_its_unit_page_and_dashboard(login, db_sessions, ids):
    # 城关中学 sees both (开学工作检查 is for all schools), 基教股 only its own 开学工作检查.
    supervise_directly(db_sessions, ids["城关中学开放日"], date(2024, 9, 30), "尽快组织开放日")
    supervise_directly(db_sessions, ids["开学工作检查"], real_today() + timedelta(days=3), "按期销号")
    with db_sessions() as session:
        jijiao = session.scalars(select(Organisation.id).where(Organisation.name == "基教股")).one()
        chengguan = session.scalars(select(Organisation.id).where(Organisation.name == "城关中学")).one()
    school = login("school")
    page = school.get(f"/units/{chengguan}").text
    card = page[page.index('id="supervised"') : page.index("</section>", page.index('id="supervised"'))]
    # Earliest deadline first; the 2024 deadline has passed with the item open: 督办逾期.
    assert card.index("城关中学开放日") < card.index("开学工作检查")
    assert "督办逾期" in card and "2024-09-30" in card and "尽快组织开放日" in card
    overdue = page[page.index("已逾期（") :]
    rows = re.findall(r'<a href="/items/(\d+)">', overdue[: overdue.index("</table>")])
    assert [int(r) for r in rows][:2] == [ids["城关中学开放日"], ids["开学工作检查"]]
    assert "badge-supervised late" in overdue
    office = login("office")
    unit = office.get(f"/units/{jijiao}").text
    card = unit[unit.index('id="supervised"') : unit.index("</section>", unit.index('id="supervised"'))]
    assert "开学工作检查" in card and "城关中学开放日" not in card
    board = office.get("/").text
    assert board.index('id="supervised"') < board.index('id="this-week"')
    card = board[board.index('id="supervised"') : board.index('id="this-week"')]
    assert "开学工作检查" in card and "按期销号" in card and "城关中学开放日" not in card
    assert "督办 ·" in board  # the badge in the overdue list, with its deadline
    # 教研室 has nothing supervised: no card at all.
    assert 'id="supervised"' not in login("office2").get("/").text


def test_another_bureau_cannot_close_reopen_or_supervise(login, ids, app, seeded):
    from eduplan.ledger.accounts import create_user
    from eduplan.ledger.orgs import get_or_create_bureau

    factory = sessions(connect(seeded["url"]))
    with factory.begin() as session:
        create_user(
            session, "waixian", "waixian-2026", "admin", bureau=get_or_create_bureau(session, "外县", "t")
        )
    from fastapi.testclient import TestClient

    client = TestClient(app)
    csrf = re.compile(r'name="csrf_token" value="([^"]+)"')
    token = csrf.search(client.get("/login").text).group(1)
    client.post("/login", data={"username": "waixian", "password": "waixian-2026", "csrf_token": token})
    client.csrf = csrf.search(client.get("/login").text).group(1)
    item = ids["开学工作检查"]
    for path, data in (
        ("close", {"text": "外县销号"}),
        ("reopen", {"reason": "外县"}),
        ("supervise", {"deadline": deadline(), "note": "外县督办"}),
        ("supervise/lift", {}),
    ):
        assert post(client, f"/items/{item}/{path}", **data).status_code == 404, path
    with factory() as session:
        assert session.get(Item, item).status == "open"
        for table in (ProgressReport, Supervision, Notification):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table
    factory.kw["bind"].dispose()


def test_every_closing_and_supervision_form_needs_the_csrf_token(login, db_sessions, ids):
    admin = login("admin")
    item = ids["开学工作检查"]
    for path, data in (
        ("close", {"text": "完成"}),
        ("reopen", {"reason": "重开"}),
        ("supervise", {"deadline": deadline(), "note": "督办"}),
        ("supervise/lift", {}),
    ):
        for token in ({}, {"csrf_token": "forged"}):
            response = admin.post(f"/items/{item}/{path}", data={**data, **token}, follow_redirects=False)
            assert response.status_code == 403, (path, token)
    with db_sessions() as session:
        assert session.get(Item, item).status == "open"
        for table in (ProgressReport, Supervision, Notification):
            assert session.scalar(select(func.count()).select_from(table)) == 0, table
