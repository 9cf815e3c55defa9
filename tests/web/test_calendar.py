"""行事历 pages: /calendar (week by week, as printed) and /calendar/month (a Monday–Sunday grid).

"Today" is pinned by monkeypatching ``eduplan.ledger.clock.today`` (the routes call it at
request time), to 2024-09-16, a Monday and the second day of 中秋节 2024 (9-15..9-17 off, per
chinese-calendar; Saturday 9-14 an adjusted working day). With the sample plan of the ``seeded``
fixture, items ending before that day and still open are 已逾期:

    开学工作检查      09-02..09-06  基教股、各学校   已逾期
    教研活动周        09-09..09-13  教研室           已逾期
    城关中学开放日    09-12         城关中学         已逾期
    全县教师大会      09-10         办公室           已逾期
    第二中学安全演练  09-20         第二中学         未开始

The sample plan is a plan, not a week calendar, so the bureau has no term: the page falls back
to Monday–Sunday weeks of 2024's autumn half year, from 9.2—9.8 (9-1 is a Sunday).
"""

from __future__ import annotations

from datetime import date

import pytest
from lxml import html
from sqlalchemy import select

from eduplan.calendar import model as cal
from eduplan.calendar.grouping import group_by_week
from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger.exporting import Selection, calendar_doc
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, Organisation
from eduplan.ledger.terms import store_term
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan

TODAY = date(2024, 9, 16)
ALL_TITLES = {"开学工作检查", "教研活动周", "城关中学开放日", "第二中学安全演练", "全县教师大会"}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("eduplan.ledger.clock.today", lambda: TODAY)


def org_id(db_session, name: str) -> int:
    return db_session.scalars(select(Organisation.id).where(Organisation.name == name)).one()


def item_ids(db_session) -> dict[str, int]:
    return {title: id_ for id_, title in db_session.execute(select(Item.id, Item.title))}


def tree(response):
    assert response.status_code == 200, response.text[:500]
    return html.fromstring(response.text)


def titles(page) -> list[str]:
    """The item titles of the week table, in table order."""
    return [a.text_content().strip() for a in page.xpath('//table[@id="xingshili"]//td[@class="title"]/a')]


def week_rows(page) -> dict[str, object]:
    """Each week's first row by its start date."""
    return {tr.get("data-week-start"): tr for tr in page.xpath("//tr[@data-week-start]")}


def add_plan(
    db_session, title: str, items: list[tuple[str, date, date, list[str]]], bureau=DEMO_BUREAU
) -> int:
    plan = Plan(
        source={"name": f"{title}.txt", "format": "txt"},
        kind="plan",
        title=title,
        issuer=bureau,
        period_start=date(2024, 9, 1),
        period_end=date(2025, 1, 31),
        items=[PlanItem(t, t, s, e, u, None, n) for n, (t, s, e, u) in enumerate(items, 1)],
    )
    result = import_plan(db_session, plan, title.encode(), bureau=bureau, actor="test")
    db_session.commit()
    return result.plan_id


# ------------------------------------------------------------------ access


@pytest.mark.parametrize("url", ["/calendar", "/calendar/month?month=2024-09"])
def test_anonymous_is_sent_to_login(app, url):
    from fastapi.testclient import TestClient

    response = TestClient(app).get(url, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + url.split("?")[0]


@pytest.mark.parametrize("role", ["admin", "office", "office2", "guest"])
def test_bureau_roles_see_the_whole_bureau_calendar(login, role):
    page = tree(login(role).get("/calendar"))
    assert set(titles(page)) == ALL_TITLES


def test_school_sees_its_items_and_those_for_all_schools_only(login):
    page = tree(login("school").get("/calendar"))
    assert sorted(titles(page)) == ["城关中学开放日", "开学工作检查"]
    assert "第二中学安全演练" not in html.tostring(page, encoding="unicode")


def test_other_school_sees_its_own_drill(login):
    assert sorted(titles(tree(login("school2").get("/calendar")))) == ["开学工作检查", "第二中学安全演练"]


# ------------------------------------------------------------------ the week table


def test_weeks_are_calendar_weeks_of_the_half_year_in_date_order(login):
    page = tree(login("admin").get("/calendar"))
    rows = week_rows(page)
    starts = list(rows)
    assert starts[:4] == ["2024-09-02", "2024-09-09", "2024-09-16", "2024-09-23"]
    assert "2024-08-26" not in rows  # 9-1 is a Sunday: the half year's weeks begin on 9-2
    assert starts[-1] == "2025-01-27"  # the week holding 1-31
    first = rows["2024-09-02"]
    assert [td.text_content().strip() for td in first.xpath("td")[:3]] == ["9月", "第一周", "9.2—9.8"]
    assert titles(page) == [
        "开学工作检查",
        "教研活动周",
        "全县教师大会",
        "城关中学开放日",
        "第二中学安全演练",
    ]
    assert "自然周" in page.text_content()


def test_week_rows_carry_the_printed_columns(login):
    page = tree(login("admin").get("/calendar"))
    headers = [th.text_content() for th in page.xpath('//table[@id="xingshili"]/thead//th')]
    assert headers == ["月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者"]
    row = page.xpath('//td[@class="title"][a="开学工作检查"]/..')[0]
    cells = [td.text_content().strip() for td in row.xpath("td")]
    assert cells[-3] == "开学工作检查"
    assert cells[-2] == "按通知要求做好相关工作\n状态：已逾期"
    assert cells[-1] == "基教股、各学校"


def test_week_of_today_is_marked(login):
    page = tree(login("admin").get("/calendar"))
    marked = page.xpath('//tr[contains(concat(" ", @class, " "), " today ")]')
    assert [tr.get("data-week-start") for tr in marked] == ["2024-09-16"]
    assert "第二中学安全演练" in marked[0].text_content()
    assert "本周" in marked[0].text_content()


def test_week_of_an_item_spanning_several_rows_marks_every_row(login, monkeypatch):
    monkeypatch.setattr("eduplan.ledger.clock.today", lambda: date(2024, 9, 11))
    page = tree(login("admin").get("/calendar"))
    marked = page.xpath('//tr[contains(concat(" ", @class, " "), " today ")]')
    # 教研活动周, 全县教师大会, 城关中学开放日: three rows, one week.
    assert len(marked) == 3
    assert marked[0].get("data-week-start") == "2024-09-09"
    assert marked[0].xpath("td")[0].get("rowspan") == "3"


def test_mid_autumn_festival_is_marked_with_its_name(login):
    rows = week_rows(tree(login("admin").get("/calendar")))
    # 9-15 (Sunday) ends one week, 9-16..9-17 begin the next; Saturday 9-14 is a working day.
    before = rows["2024-09-09"].xpath("td")[2]
    assert "holiday" in before.get("class").split()
    assert before.text_content() == "9.9—9.15\n中秋节放假\n（9.15）\n9.14（周六）上班"
    during = rows["2024-09-16"].xpath("td")[2]
    assert "holiday" in during.get("class").split()
    assert during.text_content() == "9.16—9.22\n中秋节放假\n（9.16—9.17）"
    plain = rows["2024-09-02"].xpath("td")[2]
    assert "holiday" not in plain.get("class").split()
    national = rows["2024-09-30"].xpath("td")[2]
    assert "国庆节放假" in national.text_content()


def test_items_link_to_their_page(login, db_session):
    page = tree(login("admin").get("/calendar"))
    ids = item_ids(db_session)
    links = {a.text_content(): a.get("href") for a in page.xpath('//td[@class="title"]/a')}
    assert links == {title: f"/items/{ids[title]}" for title in ALL_TITLES}


def test_overdue_items_show_as_overdue(login):
    page = tree(login("admin").get("/calendar"))
    late = {a.text_content() for a in page.xpath('//td[@class="title"]/a[@class="status-late"]')}
    assert late == ALL_TITLES - {"第二中学安全演练"}


def test_done_and_cancelled_are_not_overdue(login, db_session):
    ids = item_ids(db_session)
    db_session.get(Item, ids["开学工作检查"]).status = "done"
    db_session.get(Item, ids["教研活动周"]).status = "cancelled"
    db_session.commit()
    page = tree(login("admin").get("/calendar"))
    classes = {a.text_content(): a.get("class") for a in page.xpath('//td[@class="title"]/a')}
    assert classes["开学工作检查"] == "status-done"
    assert classes["教研活动周"] == "status-cancelled"
    assert classes["全县教师大会"] == "status-late"


# ------------------------------------------------------------------ filters


def test_filter_by_office(login, db_session):
    client = login("admin")
    assert titles(tree(client.get(f"/calendar?office={org_id(db_session, '基教股')}"))) == ["开学工作检查"]
    assert titles(tree(client.get(f"/calendar?office={org_id(db_session, '办公室')}"))) == ["全县教师大会"]


def test_filter_by_school_includes_what_is_asked_of_all_schools(login, db_session):
    page = tree(login("admin").get(f"/calendar?school={org_id(db_session, '第二中学')}"))
    assert titles(page) == ["开学工作检查", "第二中学安全演练"]


def test_filter_by_status(login):
    client = login("admin")
    assert set(titles(tree(client.get("/calendar?status=已逾期")))) == ALL_TITLES - {"第二中学安全演练"}
    assert titles(tree(client.get("/calendar?status=未开始"))) == ["第二中学安全演练"]
    assert titles(tree(client.get("/calendar?status=已完成"))) == []


def test_filters_combine_and_keep_their_values_in_the_form(login, db_session):
    jijiao = org_id(db_session, "基教股")
    page = tree(login("admin").get(f"/calendar?office={jijiao}&status=未开始"))
    assert titles(page) == []
    assert page.xpath('//select[@name="office"]/option[@selected]/@value') == [str(jijiao)]
    assert page.xpath('//select[@name="status"]/option[@selected]/@value') == ["未开始"]


def test_school_cannot_widen_its_view_with_a_filter(login, db_session):
    page = tree(login("school").get(f"/calendar?school={org_id(db_session, '第二中学')}"))
    assert titles(page) == ["开学工作检查"]


def test_filter_by_plan_shows_that_plan_only(login, db_session, seeded):
    other = add_plan(
        db_session, "另一份计划", [("另一项工作", date(2024, 9, 18), date(2024, 9, 18), ["基教股"])]
    )
    client = login("admin")
    assert "另一项工作" in titles(tree(client.get("/calendar")))
    page = tree(client.get(f"/calendar?plan={seeded['plan_id']}"))
    assert set(titles(page)) == ALL_TITLES
    assert page.xpath('//p[@class="print-title"]')[0].text_content() == "示例县教育局2024年秋季学期工作安排"
    assert titles(tree(client.get(f"/calendar?plan={other}"))) == ["另一项工作"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("plan=abc", 400),
        ("office=x1", 400),
        ("status=完成了", 400),
        ("plan=99999", 404),
        ("period=1999", 404),
    ],
)
def test_bad_filters_are_refused(login, query, status):
    assert login("admin").get(f"/calendar?{query}").status_code == status


def test_ids_of_another_bureau_are_not_found(login, db_session):
    other = add_plan(
        db_session,
        "邻县计划",
        [("邻县工作", date(2024, 9, 18), date(2024, 9, 18), ["邻县基教股"])],
        bureau="邻县教育局",
    )
    neighbour_office = org_id(db_session, "邻县基教股")
    client = login("admin")
    assert client.get(f"/calendar?plan={other}").status_code == 404
    assert client.get(f"/calendar?office={neighbour_office}").status_code == 404
    assert "邻县工作" not in client.get("/calendar").text


def test_an_office_id_is_not_a_school_filter(login, db_session):
    assert login("admin").get(f"/calendar?school={org_id(db_session, '基教股')}").status_code == 404


# ------------------------------------------------------------------ terms, printing, escaping


def _store_autumn_term(db_session) -> int:
    bureau = db_session.scalars(select(Organisation).where(Organisation.name == DEMO_BUREAU)).one()
    term = cal.Term("2024—2025学年第一学期", date(2024, 8, 26), date(2025, 1, 19), date(2024, 9, 2), True)
    record = store_term(db_session, bureau.id, term)
    db_session.commit()
    return record.id


def test_term_weeks_are_used_when_the_bureau_has_a_term(login, db_session):
    term_id = _store_autumn_term(db_session)
    page = tree(login("admin").get("/calendar"))
    rows = week_rows(page)
    assert list(rows)[:3] == ["2024-08-26", "2024-09-02", "2024-09-09"]
    assert rows["2024-08-26"].xpath("td")[1].text_content().strip() == "预备周"
    assert rows["2024-09-16"].xpath("td")[1].text_content().strip().startswith("第三周")
    assert list(rows)[-1] == "2025-01-13"  # the week holding the term's last day
    assert "暂按自然周" not in page.text_content()
    assert page.xpath('//select[@name="period"]/option/@value')[1] == f"term-{term_id}"


def test_another_period_can_be_chosen(login, db_session):
    add_plan(db_session, "春季计划", [("春季开学检查", date(2025, 2, 17), date(2025, 2, 21), ["基教股"])])
    client = login("admin")
    assert "春季开学检查" not in titles(tree(client.get("/calendar")))
    page = tree(client.get("/calendar?period=2025-spring"))
    assert titles(page) == ["春季开学检查"]
    assert next(iter(week_rows(page))) == "2025-02-03"  # 2-1 is a Saturday
    assert page.xpath('//select[@name="period"]/option[@selected]/@value') == ["2025-spring"]


def test_page_groups_like_the_excel_export(login, db_session, seeded):
    """Same weeks, same date cells (holiday notes included), same rows as the printed 行事历."""
    doc = calendar_doc(db_session, Selection(plan_id=seeded["plan_id"]), today=TODAY)
    blocks = group_by_week(doc)
    page = tree(login("admin").get(f"/calendar?plan={seeded['plan_id']}"))
    rows = week_rows(page)
    assert [b.start.isoformat() for b in blocks] == list(rows)
    for block in blocks:
        cells = rows[block.start.isoformat()].xpath("td")
        assert cells[0].text_content() == block.month_label
        assert cells[1].text.strip() == block.label  # (today's week adds a 本周 tag after it)
        assert cells[2].text_content() == block.date_label
    assert titles(page) == [r.title for b in blocks for r in b.rows]


def test_print_layout_has_title_and_print_rules(login):
    page = login("admin").get("/calendar")
    assert '<link rel="stylesheet" href="/static/pages/calendar-week.print.css" media="print">' in page.text
    title = tree(page).xpath('//p[@class="print-title"]')[0].text_content()
    assert title == "示例县教育局2024年秋季学期工作行事历"


def test_item_text_is_escaped(login, db_session):
    add_plan(
        db_session,
        "转义测试",
        [("<script>alert(1)</script>", date(2024, 9, 18), date(2024, 9, 18), ["基教股"])],
    )
    text = login("admin").get("/calendar").text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


# ------------------------------------------------------------------ month view


def month_cells(page) -> list[list[str]]:
    """The grid as dates ("" for a padding cell), row by row."""
    return [
        [td.get("data-date") or "" for td in tr.xpath("td")]
        for tr in page.xpath('//table[@id="month-grid"]/tbody/tr')
    ]


def day(page, iso: str):
    return page.xpath(f'//td[@data-date="{iso}"]')[0]


def day_titles(page, iso: str) -> list[str]:
    return [a.text_content().replace("↳", "").strip() for a in day(page, iso).xpath(".//li/a")]


def test_month_grid_starts_on_monday_with_september_first_under_sunday(login):
    page = tree(login("admin").get("/calendar/month?month=2024-09"))
    headers = [th.text_content() for th in page.xpath('//table[@id="month-grid"]/thead//th')]
    assert headers == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    grid = month_cells(page)
    assert grid[0] == ["", "", "", "", "", "", "2024-09-01"]  # 8-26..8-31 left blank
    assert grid[1] == [f"2024-09-{d:02d}" for d in range(2, 9)]
    assert grid[-1] == ["2024-09-30", "", "", "", "", "", ""]
    assert len(grid) == 6
    assert page.xpath("//h2")[0].text_content().startswith("2024年9月")


def bars(page, iso: str) -> list[tuple[str, str]]:
    """The bars starting on a day: (title, class), e.g. ("开学工作检查", "bar span-5")."""
    return [
        (li.text_content().strip(), li.get("class"))
        for li in day(page, iso).xpath('.//li[a][contains(@class, "bar")]')
    ]


def test_month_draws_a_multi_day_item_once_across_its_days(login):
    """开学工作检查 runs Monday 2 to Friday 6 September: one bar from the 2nd across five days, not
    the title repeated in each day; the other days keep its lane empty so the bars line up."""
    page = tree(login("admin").get("/calendar/month?month=2024-09"))
    assert bars(page, "2024-09-02") == [("开学工作检查", "bar span-5")]
    for d in range(3, 8):
        assert day_titles(page, f"2024-09-{d:02d}") == []
        assert len(day(page, f"2024-09-{d:02d}").xpath('.//li[@class="lane"]')) == 1
    assert html.tostring(page, encoding="unicode").count(">开学工作检查<") == 1
    # 教研活动周 (9–13) is a bar; 城关中学开放日 (12th) a one-day entry under its lane.
    assert bars(page, "2024-09-09") == [("教研活动周", "bar span-5")]
    twelfth = day(page, "2024-09-12")
    assert [li.get("class") for li in twelfth.xpath(".//li")] == ["lane", "one-day"]
    assert day_titles(page, "2024-09-12") == ["城关中学开放日"]
    assert day_titles(page, "2024-09-20") == ["第二中学安全演练"]


def test_month_bars_break_at_the_week_and_the_month_edge(login, db_session):
    add_plan(
        db_session,
        "跨周工作",
        [
            ("跨周督查", date(2024, 9, 19), date(2024, 9, 24), ["督导室"]),  # Thursday to Tuesday
            ("八月底开始的培训", date(2024, 8, 29), date(2024, 9, 3), ["师训股"]),  # into September
            ("同周另一项", date(2024, 9, 20), date(2024, 9, 21), ["教研室"]),  # beside 跨周督查
        ],
    )
    page = tree(login("admin").get("/calendar/month?month=2024-09"))
    assert bars(page, "2024-09-19") == [("跨周督查", "bar span-4 after")]
    assert bars(page, "2024-09-23") == [("（接上周）跨周督查", "bar span-2 before")]
    # Sunday 1 September is the first row's only day: the training shows there, from before.
    assert bars(page, "2024-09-01") == [("（接上周）八月底开始的培训", "bar span-1 before after")]
    # The longer bar takes the first lane.
    assert bars(page, "2024-09-02") == [
        ("开学工作检查", "bar span-5"),
        ("（接上周）八月底开始的培训", "bar span-2 before"),
    ]
    # Two bars in one week take two lanes; on the 20th both lanes are in use.
    assert bars(page, "2024-09-20") == [("同周另一项", "bar span-2")]
    assert [li.get("class") for li in day(page, "2024-09-20").xpath(".//li")] == [
        "lane",
        "bar span-2",
        "one-day",
    ]


def test_month_marks_holidays_workdays_and_today(login):
    page = tree(login("admin").get("/calendar/month?month=2024-09"))
    for d in ("2024-09-15", "2024-09-16", "2024-09-17"):
        assert "holiday" in day(page, d).get("class").split()
        assert "中秋节" in day(page, d).text_content()
    assert "holiday" not in day(page, "2024-09-18").get("class").split()
    saturday = day(page, "2024-09-14")
    assert "workday" in saturday.get("class").split()
    assert "中秋节调休上班" in saturday.text_content()
    assert [
        td.get("data-date") for td in page.xpath('//td[contains(concat(" ", @class, " "), " today ")]')
    ] == ["2024-09-16"]


def test_month_defaults_to_todays_month_and_links_around_it(login, db_session):
    page = tree(login("admin").get("/calendar/month"))
    assert page.xpath("//h2")[0].text_content().startswith("2024年9月")
    assert page.xpath('//a[@rel="prev"]/@href') == ["/calendar/month?month=2024-08"]
    assert page.xpath('//a[@rel="next"]/@href') == ["/calendar/month?month=2024-10"]
    jijiao = org_id(db_session, "基教股")
    page = tree(login("admin").get(f"/calendar/month?month=2024-12&office={jijiao}"))
    assert page.xpath('//a[@rel="next"]/@href') == [f"/calendar/month?office={jijiao}&month=2025-01"]


def test_month_filters_and_school_view(login, db_session):
    page = tree(login("school").get("/calendar/month?month=2024-09"))
    assert day_titles(page, "2024-09-20") == []
    assert "第二中学安全演练" not in html.tostring(page, encoding="unicode")
    page = tree(login("admin").get("/calendar/month?month=2024-09&status=未开始"))
    assert day_titles(page, "2024-09-02") == []
    assert day_titles(page, "2024-09-20") == ["第二中学安全演练"]


def test_month_lists_long_items_once(login, db_session):
    add_plan(db_session, "长期工作", [("师德师风建设月", date(2024, 9, 1), date(2024, 9, 30), ["师训股"])])
    page = tree(login("admin").get("/calendar/month?month=2024-09"))
    listed = [a.text_content() for a in page.xpath('//section[@class="long-items"]//a')]
    assert listed == ["师德师风建设月"]
    assert "师德师风建设月" not in day_titles(page, "2024-09-10")


@pytest.mark.parametrize("month", ["2024-13", "2024/09", "abc", "2024-9x"])
def test_bad_month_is_refused(login, month):
    assert login("admin").get(f"/calendar/month?month={month}").status_code == 400


@pytest.mark.parametrize("status", ["", "未开始", "进行中", "已完成", "已逾期", "已取消"])
@pytest.mark.parametrize("requirement", ["", '各校<b>报送</b> "名单" & 材料\n第二行'])
def test_week_line_cells_built_in_python_match_the_template(status, requirement):
    """The week table's item cells are built in Python (``Line.cells``) for speed: the same
    HTML, escaping included, as the template's way of writing them (``LINE_CELLS``)."""
    from eduplan.web.templating import TEMPLATES
    from eduplan.web.views.calendar import LINE_CELLS, Line

    line = Line(42, "开学<检查> & '安全'", requirement, '基教股、"城关中学"', status)
    expected = TEMPLATES.env.from_string(LINE_CELLS).render(line=line)
    assert str(line.cells) == expected
    assert "&lt;检查&gt; &amp; &#39;安全&#39;" in expected and "<b>" not in expected
