"""下学期计划草稿 and 逐年对比 in the web app: the proposal previewed, made into a draft that the
import screen shows (with its banner and each item's origin) and publishes; the comparison page
and its workbook; who may use them.

The demo bureau gets two spring 行事历 (2024: week 1 on 2月26日; 2025: week 1 on 2月17日) and
the spring 2026 term (week 1 on 3月2日). Dates expected were worked out by hand: 清明 2026 is
Sunday 4月5日 (off 4日–6日), so 清明祭英烈 goes to Tuesday 4月7日.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from eduplan.calendar import model as cal
from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Draft, Item, Plan, Target
from eduplan.ledger.terms import store_term
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.plan import Target as PlanTarget

WEEKS_2024 = [
    ("第1周", "开学工作检查", date(2024, 2, 26), date(2024, 3, 1)),
    ("第3周", "全县教研工作会议", date(2024, 3, 13), date(2024, 3, 13)),
    ("第4周", "2024年春季运动会", date(2024, 3, 21), date(2024, 3, 21)),
    ("第6周", "清明祭英烈主题教育活动", date(2024, 4, 2), date(2024, 4, 2)),
]
WEEKS_2025 = [
    ("第1周", "开学工作检查", date(2025, 2, 17), date(2025, 2, 21)),
    ("第4周", "全县教研工作会议", date(2025, 3, 12), date(2025, 3, 12)),
    ("第5周", "校园足球联赛开幕式", date(2025, 3, 20), date(2025, 3, 20)),
    ("第7周", "清明祭英烈主题教育活动", date(2025, 4, 3), date(2025, 4, 3)),
]


def _calendar(year: int, rows, end: date, targets) -> ParsedPlan:
    return ParsedPlan(
        source={"name": f"spring{year}.txt", "format": "txt"},
        kind="calendar",
        title=f"{DEMO_BUREAU}{year}年春季学期工作行事历",
        issuer=DEMO_BUREAU,
        period_start=rows[0][2],
        period_end=end,
        items=[
            PlanItem(title, title, start, stop, ["教研室"], section, n)
            for n, (section, title, start, stop) in enumerate(rows, start=2)
        ],
        targets=[PlanTarget(ind, ind, op, v, "%", None, 30) for ind, op, v in targets],
    )


@pytest.fixture
def years(seeded) -> dict:
    factory = sessions(connect(seeded["url"]))
    with factory.begin() as session:
        bureau_id = session.get(Plan, seeded["plan_id"]).bureau_id
        # The terms as an administrator enters them (管理→学期), so the weeks are not guessed.
        for name, start, end in (
            ("2023—2024学年第二学期", date(2024, 2, 26), date(2024, 7, 5)),
            ("2024—2025学年第二学期", date(2025, 2, 17), date(2025, 6, 27)),
        ):
            store_term(session, bureau_id, cal.Term(name, start, end, start))
        a = import_plan(
            session,
            _calendar(2024, WEEKS_2024, date(2024, 7, 5), [("学生近视率", "<=", 5.0)]),
            b"2024",
            bureau=DEMO_BUREAU,
        )
        b = import_plan(
            session,
            _calendar(2025, WEEKS_2025, date(2025, 6, 27), [("学生近视率", "<=", 4.0)]),
            b"2025",
            bureau=DEMO_BUREAU,
        )
        term = store_term(
            session,
            bureau_id,
            cal.Term("2025—2026学年第二学期", date(2026, 3, 2), date(2026, 7, 10), date(2026, 3, 2)),
        )
        ids = {"a": a.plan_id, "b": b.plan_id, "term": term.id}
    factory.kw["bind"].dispose()
    return ids


def _db(seeded):
    return sessions(connect(seeded["url"]))


def test_the_preview_lists_what_is_carried_over_and_what_is_not(login, years):
    client = login("admin")
    page = client.get(f"/reports/next-term?plan={years['a']}&plan={years['b']}&term={years['term']}")
    assert page.status_code == 200
    proposed = page.text.split('id="proposed-items"')[1].split("</table>")[0]
    assert "2026-03-02" in proposed and "开学工作检查" in proposed
    assert "2026-03-25" in proposed and "全县教研工作会议" in proposed  # both years: week 4, Wednesday
    assert "2026-04-07" in proposed and "清明节" in proposed  # moved off 清明
    left = page.text.split('id="left-out"')[1]
    assert "校园足球联赛开幕式" in left and "2024年春季运动会" in left
    assert "校园足球联赛开幕式" not in proposed
    assert "生成下学期计划草稿" in page.text


def test_the_draft_shows_on_the_import_screen_and_publishes(login, years, seeded):
    client = login("admin")
    response = client.post(
        "/reports/next-term",
        data={
            "plan": [str(years["a"]), str(years["b"])],
            "term": str(years["term"]),
            "csrf_token": client.csrf,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    target = response.headers["location"]
    assert re.fullmatch(r"/import/\d+", target)
    preview = client.get(target)
    assert preview.status_code == 200
    assert "由往年计划生成的草稿" in preview.text
    assert "来源：《示例县教育局2025年春季学期工作行事历》（2025年）第3行" in preview.text  # 全县教研工作会议
    draft_id = int(target.rsplit("/", 1)[1])
    with _db(seeded)() as session:
        draft = session.get(Draft, draft_id)
        assert draft.origin == "proposal" and draft.content == b""
        assert [i["title"] for i in draft.plan["items"]] == [
            "开学工作检查",
            "全县教研工作会议",
            "清明祭英烈主题教育活动",
        ]

    published = client.post(f"/import/{draft_id}/publish", data={"csrf_token": client.csrf})
    assert published.status_code == 200
    assert "新建计划" in published.text
    with _db(seeded)() as session:
        plan = session.scalars(
            select(Plan).where(Plan.title == f"{DEMO_BUREAU}2025—2026学年第二学期工作安排")
        ).one()
        items = session.execute(
            select(Item.title, Item.start, Item.end).where(Item.plan_id == plan.id).order_by(Item.start)
        ).all()
        assert [tuple(i) for i in items] == [
            ("开学工作检查", date(2026, 3, 2), date(2026, 3, 6)),
            ("全县教研工作会议", date(2026, 3, 25), date(2026, 3, 25)),
            ("清明祭英烈主题教育活动", date(2026, 4, 7), date(2026, 4, 7)),
        ]
        assert plan.term_id == years["term"]  # a 行事历 by weeks: filed under the 2026 term


def test_a_second_proposal_under_another_title_is_a_plan_of_its_own(login, years, seeded):
    """A proposal has no file: each published one must not be taken for the same (empty) file."""
    client = login("admin")
    titles = []
    for plans, title in (([years["b"]], "甲"), ([years["a"], years["b"]], "乙")):
        response = client.post(
            "/reports/next-term",
            data={"plan": [str(p) for p in plans], "term": str(years["term"]), "csrf_token": client.csrf},
            follow_redirects=False,
        )
        draft = response.headers["location"]
        published = client.post(
            f"{draft}/publish",
            data={"csrf_token": client.csrf, "plan_title": f"下学期计划{title}", "title-0": "开学工作检查"},
        )
        assert published.status_code == 200 and "新建计划" in published.text
        titles.append(f"下学期计划{title}")
    with _db(seeded)() as session:
        found = session.scalars(select(Plan.title).where(Plan.title.in_(titles))).all()
    assert sorted(found) == sorted(titles)


def test_only_the_bureau_office_makes_drafts(login, years):
    for role in ("office", "school", "guest"):
        client = login(role)
        assert client.get("/reports/next-term").status_code == 403
        response = client.post(
            "/reports/next-term",
            data={"plan": str(years["b"]), "csrf_token": client.csrf},
            follow_redirects=False,
        )
        assert response.status_code == 403
    admin = login("admin")
    # without the CSRF token nothing is made
    refused = admin.post("/reports/next-term", data={"plan": str(years["b"])}, follow_redirects=False)
    assert refused.status_code == 403
    assert admin.get("/reports/next-term?plan=999999").status_code == 404


def test_no_next_term_known_is_said_in_chinese(login, seeded):
    client = login("admin")
    with _db(seeded)() as session:
        plan_id = session.scalars(select(Plan.id).order_by(Plan.id)).first()
    response = client.post("/reports/next-term", data={"plan": str(plan_id), "csrf_token": client.csrf})
    assert response.status_code == 400
    assert "录入新学期" in response.text


def test_the_comparison_page_and_workbook(login, years):
    client = login("office")
    page = client.get(f"/reports/compare?a={years['a']}&b={years['b']}")
    assert page.status_code == 200
    added = page.text.split('id="added"')[1].split("</table>")[0]
    dropped = page.text.split('id="dropped"')[1].split("</table>")[0]
    moved = page.text.split('id="moved"')[1].split("</table>")[0]
    assert "校园足球联赛开幕式" in added and "2024年春季运动会" in dropped
    # week 3 → week 4; 开学工作检查 keeps week 1, Monday, and is not listed
    assert "全县教研工作会议" in moved and "开学工作检查" not in moved
    targets = page.text.split('id="targets-changed"')[1].split("</table>")[0]
    assert "学生近视率" in targets and "提高" in targets  # ≤5% → ≤4%

    book = client.get(f"/reports/compare.xlsx?a={years['a']}&b={years['b']}")
    assert book.status_code == 200
    assert book.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(book.content))
    assert wb.sheetnames == ["概况", "新增事项", "取消事项", "日期调整", "指标变化", "新增指标", "取消指标"]
    moved_rows = [r for r in wb["日期调整"].iter_rows(values_only=True) if r[0] == "全县教研工作会议"]
    assert moved_rows == [
        ("全县教研工作会议", "2024-03-13", "第三周", "2025-03-12", "第四周", -1, 1, "教研室")
    ]


def test_who_may_compare(login, years):
    query = f"?a={years['a']}&b={years['b']}"
    for role in ("school", "guest"):
        client = login(role)
        assert client.get("/reports/compare" + query).status_code == 403
        assert client.get("/reports/compare.xlsx" + query).status_code == 403
    admin = login("admin")
    assert admin.get(f"/reports/compare?a={years['a']}&b=999999").status_code == 404
    assert admin.get(f"/reports/compare?a={years['a']}&b={years['a']}").status_code == 400
    assert (
        admin.get("/reports/compare.xlsx", follow_redirects=False).headers["location"] == "/reports/compare"
    )


def test_the_reports_index_links_what_each_role_may_use(login):
    admin = login("admin").get("/reports").text
    assert 'href="/reports/next-term"' in admin and 'href="/reports/compare"' in admin
    office = login("office").get("/reports").text
    assert 'href="/reports/next-term"' not in office and 'href="/reports/compare"' in office
    school = login("school").get("/reports").text
    assert 'href="/reports/compare"' not in school


def test_targets_are_kept_out_of_the_draft(login, years, seeded):
    """Next term's targets are the bureau's to set: the draft proposes items only."""
    client = login("admin")
    response = client.post(
        "/reports/next-term",
        data={"plan": str(years["b"]), "term": str(years["term"]), "csrf_token": client.csrf},
        follow_redirects=False,
    )
    draft_id = int(response.headers["location"].rsplit("/", 1)[1])
    with _db(seeded)() as session:
        assert session.get(Draft, draft_id).plan["targets"] == []
        assert session.scalars(select(Target.id).where(Target.plan_id == years["b"])).all()
