"""督办 (GET /supervision), its Excel exports, and reporting target actuals on the 目标 page.

Today is pinned to Monday 2024-09-16. The ``seeded`` sample plan's items, as set up here:

  开学工作检查      09-02..09-06  基教股, 各学校   done, closed 09-05 (China time)
  教研活动周        09-09..09-13  教研室           open, under 督办 (deadline 09-20) → 3 days late
  城关中学开放日    09-12         城关中学         open → 4 days late
  第二中学安全演练  09-20         第二中学         open, not due yet
  全县教师大会      09-10         办公室           done, closed 09-11 (China time)

So 4 items are due, 2 done (50.0%). The demo bureau has no term: the trend runs over the last
eight Monday-to-Sunday weeks, 07-29 .. 09-16.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from lxml import html
from openpyxl import load_workbook
from sqlalchemy import select

from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger import clock
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import AuditEntry, Item, Organisation, Supervision, Target, TargetActual
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan
from eduplan.plan import Target as PlanTarget

TODAY = date(2024, 9, 16)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIL = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def world(seeded, monkeypatch) -> dict:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    factory = sessions(connect(seeded["url"]))
    with factory.begin() as session:
        items = {i.title: i for i in session.scalars(select(Item).where(Item.plan_id == seeded["plan_id"]))}
        for title, closed in (
            ("开学工作检查", datetime(2024, 9, 5, 2, tzinfo=UTC)),
            ("全县教师大会", datetime(2024, 9, 11, 2, tzinfo=UTC)),
        ):
            items[title].status, items[title].closed_at, items[title].closed_by = "done", closed, "admin"
        session.add(
            Supervision(
                item_id=items["教研活动周"].id, deadline=date(2024, 9, 20), note="本周内办结",
                created_by="admin", created_at=datetime(2024, 9, 14, tzinfo=UTC),
            )
        )  # fmt: skip
        targets = Plan(
            source={"name": "targets.txt", "format": "txt"},
            kind="plan",
            title="示例县教育局2024年教育工作要点",
            issuer=DEMO_BUREAU,
            items=[
                PlanItem("发展学前教育", "发展学前教育，毛入园率达到88.4%", None, None, ["基教股"], None, 3)
            ],
            targets=[
                PlanTarget("学前三年毛入园率", "学前三年毛入园率达到88.4%", ">=", 88.4, "%", None, 3),
                PlanTarget("辍学率", "辍学率控制在0.5%以内", "<=", 0.5, "%", None, 5),
            ],
        )
        import_plan(session, targets, b"targets", bureau=DEMO_BUREAU, actor="test")
        other = Plan(
            source={"name": "other.txt", "format": "txt"},
            title="邻县教育局工作要点",
            issuer="邻县教育局",
            items=[PlanItem("邻县检查", "邻县检查", date(2024, 9, 2), date(2024, 9, 2), ["邻县中学"])],
            targets=[PlanTarget("邻县巩固率", "邻县巩固率达到99%", ">=", 99.0, "%", None, 1)],
        )
        other_plan = import_plan(session, other, b"other", bureau="邻县教育局", actor="test").plan_id
        orgs = {o.name: o.id for o in session.scalars(select(Organisation))}
        target_ids = {t.indicator: t.id for t in session.scalars(select(Target))}
        item_ids = {title: item.id for title, item in items.items()}
    factory.kw["bind"].dispose()
    return {
        "orgs": orgs,
        "targets": target_ids,
        "items": item_ids,
        "other_plan": other_plan,
        "plan": seeded["plan_id"],
        "url": seeded["url"],
    }


def page(client: TestClient, url: str = "/supervision"):
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return html.fromstring(response.text)


def cells(doc, table_id: str) -> list[list[str]]:
    return [
        [" ".join(c.text_content().split()) for c in tr.xpath("th|td")]
        for tr in doc.xpath(f'//table[@id="{table_id}"]/tbody/tr')
    ]


def rate_rows(doc, table_id: str) -> dict[str, tuple[str, str, str]]:
    """unit → (rank, done/due, percent)."""
    return {row[1]: (row[0], row[2], row[3]) for row in cells(doc, table_id)}


def workbook(response):
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def data_rows(ws) -> list[list]:
    """The rows under the header (title row 1, note row 2, header row 3)."""
    return [[c.value for c in row] for row in ws.iter_rows(min_row=4)]


# ---------------------------------------------------------------- who may see it


def test_anonymous_is_sent_to_login_and_guest_is_refused(app, login, world):
    response = TestClient(app).get("/supervision", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    guest = login("guest")
    assert guest.get("/supervision").status_code == 403
    assert guest.get("/supervision/export/completion.xlsx").status_code == 403
    assert "督办页面仅供" in guest.get("/supervision", headers={"accept": "application/json"}).text


def test_navigation_offers_supervision_to_units_not_guests(login, world):
    assert page(login("school"), "/").xpath('//nav/a[@href="/supervision"]')
    assert not page(login("guest"), "/").xpath('//nav/a[@href="/supervision"]')


# ---------------------------------------------------------------- 办结率


def test_completion_tables_for_admin(login, world):
    doc = page(login("admin"))
    offices = rate_rows(doc, "office-rates")
    assert offices["基教股"] == ("1", "1/1", "100.0%")
    assert offices["办公室"] == ("1", "1/1", "100.0%")  # ties share a rank
    assert offices["教研室"] == ("3", "0/1", "0.0%")
    assert offices["督导室"] == ("", "0/0", "—")
    schools = rate_rows(doc, "school-rates")
    # 开学工作检查 (各学校, done) counts for every school: four schools at 1/1 share rank 1.
    assert schools["城关中学"] == ("5", "1/2", "50.0%")  # and its 开放日 (09-12, open)
    assert schools["第二中学"] == ("1", "1/1", "100.0%")  # its drill is not due until 09-20
    assert schools["各学校 （全体学校）"] == ("", "1/1", "100.0%")
    total = " ".join(doc.xpath('//p[@id="completion-total"]')[0].text_content().split())
    assert total == "全局合计：已办结 2 项 / 应办结 4 项，办结率 50.0%"
    note = doc.xpath('//p[@id="attribution-note"]')[0].text_content()
    assert "牵头单位和配合单位都计入" in note


def test_plan_filter(login, world):
    client = login("admin")
    doc = page(client, f"/supervision?plan={world['plan']}")
    assert "已办结 2 项 / 应办结 4 项" in doc.xpath('//p[@id="completion-total"]')[0].text_content()
    assert client.get(f"/supervision?plan={world['other_plan']}").status_code == 404
    assert client.get("/supervision?plan=abc").status_code == 400


# ---------------------------------------------------------------- overdue


def test_overdue_sorted_by_days_late_with_badge_and_links(login, world):
    doc = page(login("admin"))
    rows = cells(doc, "overdue-table")
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows] == [
        ("城关中学开放日", "城关中学", "2024-09-12", "4 天", ""),
        ("教研活动周", "教研室", "2024-09-13", "3 天", "督办"),
    ]
    links = doc.xpath('//table[@id="overdue-table"]//a/@href')
    assert links == [f"/items/{world['items']['城关中学开放日']}", f"/items/{world['items']['教研活动周']}"]
    badge = doc.xpath('//table[@id="overdue-table"]//span[contains(@class, "badge-supervised")]')[0]
    assert "late" not in badge.get("class")  # the deadline 09-20 has not passed


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("office", []),  # 基教股: its only item is done
        ("office2", ["教研活动周"]),  # 教研室
        ("school", ["城关中学开放日"]),
        ("school2", []),  # 第二中学: not due yet
    ],
)
def test_units_see_their_own_overdue_and_the_whole_bureaus_rates(login, world, role, expected):
    client = login(role)
    doc = page(client)
    assert [r[0] for r in cells(doc, "overdue-table")] == expected
    # The 办结率 tables stay bureau-wide, read-only.
    assert set(rate_rows(doc, "office-rates")) >= {"基教股", "教研室", "办公室"}
    assert {"城关中学", "第二中学"} <= set(rate_rows(doc, "school-rates"))
    assert not doc.xpath('//select[@name="unit"]')  # no unit filter for them
    # Asking for another unit changes nothing.
    other = page(client, f"/supervision?unit={world['orgs']['城关中学' if role != 'school' else '教研室']}")
    assert [r[0] for r in cells(other, "overdue-table")] == expected


def test_own_row_is_marked(login, world):
    doc = page(login("office2"))
    mine = doc.xpath('//table[@id="office-rates"]/tbody/tr[contains(@class, "mine")]/th')
    assert [m.text_content() for m in mine] == ["教研室"]


def test_admin_unit_filter(login, world):
    client = login("admin")
    doc = page(client, f"/supervision?unit={world['orgs']['城关中学']}")
    assert [r[0] for r in cells(doc, "overdue-table")] == ["城关中学开放日"]
    # A school's trend includes what is asked of all schools (开学工作检查 for 各学校).
    trend = cells(doc, "trend-table")
    assert [(r[0], r[3], r[4], r[5]) for r in trend[-3:]] == [
        ("09-02—09-08", "1", "1", "100.0%"),
        ("09-09—09-15", "1", "2", "50.0%"),
        ("09-16—09-22", "1", "2", "50.0%"),
    ]
    assert client.get(f"/supervision?unit={world['orgs']['邻县中学']}").status_code == 404
    assert client.get(f"/supervision?unit={world['orgs']['各学校']}").status_code == 404  # not a unit choice
    assert client.get("/supervision?unit=x").status_code == 400


# ---------------------------------------------------------------- the trend


def test_trend_table_and_chart_data(login, world):
    doc = page(login("admin"))
    rows = cells(doc, "trend-table")
    assert len(rows) == 8  # no term on record: the last eight calendar weeks
    assert rows[0][:3] == ["07-29—08-04", "7月29日—8月4日", "2024-08-04"]
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in rows[-3:]] == [
        # as of Sunday 09-08: 开学工作检查 due and closed (09-05)
        ("09-02—09-08", "2024-09-08", "1", "1", "100.0%"),
        # as of 09-15: + 教研活动周, 城关中学开放日, 全县教师大会 (closed 09-11)
        ("09-09—09-15", "2024-09-15", "2", "4", "50.0%"),
        # the week under way, as of today
        ("09-16—09-22", "2024-09-16", "2", "4", "50.0%"),
    ]
    shares = doc.xpath('//table[@id="trend-table"]/tbody/tr/@data-share')
    assert shares[-3:] == ["100.0", "50.0", "50.0"] and shares[0] == ""  # nothing due: a gap
    assert doc.xpath('//table[@id="trend-table"]/@data-trend-chart') == ["trend-chart"]
    assert doc.xpath('//canvas[@id="trend-chart"]')
    scripts = doc.xpath("//script")
    assert {s.get("src") for s in scripts} >= {"/static/vendor/chart.umd.min.js", "/static/trend.js"}
    assert all(s.get("src") for s in scripts)  # no inline script


# ---------------------------------------------------------------- Excel


def test_export_completion(login, world):
    response = login("admin").get("/supervision/export/completion.xlsx")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "督办-办结率-2024-09-16.xlsx"
    wb = workbook(response)
    ws = wb["办结率"]
    assert [c.value for c in ws[3]] == ["类别", "单位", "已办结", "应办结", "办结率"]
    rows = {(r[0], r[1]): r[2:] for r in data_rows(ws)}
    assert rows[("科室", "基教股")] == [1, 1, 1.0]
    assert rows[("科室", "教研室")] == [0, 1, 0.0]
    assert rows[("科室", "督导室")] == [0, 0, "—"]
    assert rows[("学校", "城关中学")] == [1, 2, 0.5]  # 开学工作检查 (各学校) and its 开放日
    assert rows[("学校群体", "各学校")] == [1, 1, 1.0]
    assert rows[("全局", "全局合计")] == [2, 4, 0.5]
    assert ws["E4"].number_format == "0.0%"


def test_export_overdue_with_the_same_filters(login, world):
    client = login("admin")
    ws = workbook(client.get("/supervision/export/overdue.xlsx"))["逾期清单"]
    rows = data_rows(ws)
    assert [(r[0], r[1], r[2].date(), r[3], r[4], r[5], r[6]) for r in rows] == [
        (
            "城关中学开放日",
            "城关中学",
            date(2024, 9, 12),
            4,
            "未开始",
            None,
            world["items"]["城关中学开放日"],
        ),
        (
            "教研活动周",
            "教研室",
            date(2024, 9, 13),
            3,
            "未开始",
            "督办（限 2024-09-20）",
            world["items"]["教研活动周"],
        ),
    ]
    only = data_rows(
        workbook(client.get(f"/supervision/export/overdue.xlsx?unit={world['orgs']['教研室']}")).active
    )
    assert [r[0] for r in only] == ["教研活动周"]
    # An office's export holds its own rows only, like its page.
    assert [
        r[0] for r in data_rows(workbook(login("school").get("/supervision/export/overdue.xlsx")).active)
    ] == ["城关中学开放日"]


def test_export_trend(login, world):
    rows = data_rows(workbook(login("admin").get("/supervision/export/trend.xlsx"))["办结率趋势"])
    assert len(rows) == 8
    assert [(r[0], r[3].date(), r[4], r[5], r[6]) for r in rows[-2:]] == [
        ("09-09—09-15", date(2024, 9, 15), 2, 4, 0.5),
        ("09-16—09-22", date(2024, 9, 16), 2, 4, 0.5),
    ]


def test_export_neutralises_formula_like_text(login, world):
    factory = sessions(connect(world["url"]))
    with factory.begin() as session:
        session.get(Item, world["items"]["教研活动周"]).title = EVIL
    factory.kw["bind"].dispose()
    ws = workbook(login("admin").get("/supervision/export/overdue.xlsx")).active
    cell = next(c for c in ws["A"] if c.value == EVIL)
    assert cell.data_type == "s"
    assert cell.quotePrefix


# ---------------------------------------------------------------- targets and actuals


def post_actual(client: TestClient, target_id, **fields):
    data = {
        "target_id": str(target_id),
        "value": "",
        "as_of": "",
        "note": "",
        "csrf_token": client.csrf,
        **fields,
    }
    return client.post("/targets/actuals", data=data, follow_redirects=False)


def target_cells(doc, table_id: str) -> dict[str, list[str]]:
    return {row[0]: row for row in cells(doc, table_id)}


def test_record_actuals_and_judge_them(login, world):
    admin, jijiao = login("admin"), login("office")
    rate, dropout = world["targets"]["学前三年毛入园率"], world["targets"]["辍学率"]
    response = post_actual(admin, dropout, value="0.3%", as_of="2024-09-10", note="春季学期统计")
    assert (
        response.status_code == 303
        and response.headers["location"] == f"/targets?done=actual#target-{dropout}"
    )
    assert post_actual(jijiao, rate, value="87").status_code == 303  # 基教股 owns the target's line
    doc = page(admin, "/supervision")
    rows = target_cells(doc, "targets-table")
    # 目标值, 牵头单位, 实际, 截至, 达成率, 达成情况. ≤: below the ceiling is met, 0.5 ÷ 0.3 = 166.7%;
    # 87 of 88.4 = 98.4%. The dropout target's line has no item, so no office leads it.
    assert rows["辍学率"][1:7] == ["≤ 0.5%", "—", "0.3%", "2024-09-10", "166.7%", "已达成"]
    assert rows["学前三年毛入园率"][1:7] == ["≥ 88.4%", "基教股", "87%", "2024-09-16", "98.4%", "未达成"]
    targets_page = target_cells(page(admin, "/targets"), "targets-table")
    assert targets_page["1"][6:] == ["87% 截至 2024-09-16", "98.4%", "未达成"]
    assert targets_page["2"][6:] == ["0.3% 截至 2024-09-10", "166.7%", "已达成"]
    ws = workbook(admin.get("/supervision/export/targets.xlsx"))["目标完成情况"]
    assert [c.value for c in ws[3]] == [
        "指标", "目标值", "所属计划", "牵头单位", "完成时限",
        "实际完成", "截至日期", "达成率", "达成情况", "说明",
    ]  # fmt: skip
    exported = {r[0]: r for r in data_rows(ws)}
    # The dropout target has no lead (no item on its line); 0.5 ÷ 0.3 = 166.7% (lower is better).
    assert exported["辍学率"][3] is None
    assert exported["辍学率"][5:10] == [0.3, datetime(2024, 9, 10), "166.7%", "已达成", "春季学期统计"]
    # 基教股 leads the 入园率 target (its item's line); 87 ÷ 88.4 = 0.98416… → 98.4%.
    assert exported["学前三年毛入园率"][3] == "基教股"
    assert exported["学前三年毛入园率"][7:9] == ["98.4%", "未达成"]
    assert "邻县巩固率" not in exported
    factory = sessions(connect(world["url"]))
    with factory() as session:
        assert session.scalars(select(TargetActual.author).order_by(TargetActual.id)).all() == [
            "admin",
            "jijiao",
        ]
        audited = session.scalars(select(AuditEntry).where(AuditEntry.entity == "target")).all()
        assert {(a.actor, a.entity_id, a.after["value"]) for a in audited} == {
            ("admin", dropout, 0.3),
            ("jijiao", rate, 87.0),
        }
    factory.kw["bind"].dispose()


def test_a_newer_as_of_date_replaces_the_shown_actual(login, world):
    admin = login("admin")
    dropout = world["targets"]["辍学率"]
    assert post_actual(admin, dropout, value="0.4", as_of="2024-09-12").status_code == 303
    assert (
        post_actual(admin, dropout, value="0.8", as_of="2024-09-01").status_code == 303
    )  # late report of an older figure
    rows = target_cells(page(admin, "/supervision"), "targets-table")
    assert rows["辍学率"][3:7] == ["0.4%", "2024-09-12", "125.0%", "已达成"]


def test_who_may_record_an_actual(login, world):
    rate, dropout = world["targets"]["学前三年毛入园率"], world["targets"]["辍学率"]
    assert post_actual(login("office2"), rate, value="90").status_code == 403  # 教研室: not its target
    assert post_actual(login("office"), dropout, value="0.1").status_code == 403  # 基教股: not named for it
    assert post_actual(login("school"), rate, value="90").status_code == 403
    assert post_actual(login("guest"), rate, value="90").status_code == 403
    assert post_actual(login("admin"), world["targets"]["邻县巩固率"], value="90").status_code == 404
    assert post_actual(login("admin"), 99999, value="90").status_code == 404
    admin = login("admin")
    no_csrf = admin.post(
        "/targets/actuals", data={"target_id": str(rate), "value": "90"}, follow_redirects=False
    )
    assert no_csrf.status_code == 403
    # The form offers only what the viewer may report on.
    options = page(login("office"), "/targets").xpath('//form[@action="/targets/actuals"]//option/@value')
    assert options == [str(rate)]
    assert not page(login("office2"), "/targets").xpath('//form[@action="/targets/actuals"]')
    assert not page(login("school"), "/targets").xpath('//form[@action="/targets/actuals"]')
    assert len(page(admin, "/targets").xpath('//form[@action="/targets/actuals"]//option')) == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": ""}, "请填写实际完成值"),
        ({"value": "九成"}, "实际完成值应为数字"),
        ({"value": "90", "as_of": "2024-09-17"}, "截至日期不能晚于今天"),
        ({"value": "90", "as_of": "9月1日"}, "截至日期应为"),
    ],
)
def test_invalid_actuals_are_refused_in_chinese(login, world, fields, message):
    admin = login("admin")
    response = post_actual(admin, world["targets"]["学前三年毛入园率"], **fields)
    assert response.status_code == 400
    doc = html.fromstring(response.text)
    assert message in " ".join(e.text_content() for e in doc.xpath('//p[@class="error"]'))
    # What was typed is kept in the form.
    assert doc.xpath('//input[@name="value"]/@value') == [fields["value"]]
    factory = sessions(connect(world["url"]))
    with factory() as session:
        assert session.scalars(select(TargetActual)).all() == []
    factory.kw["bind"].dispose()
