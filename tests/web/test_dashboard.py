"""工作台 (GET /): my items this week, overdue items with days late, completion per office.

"Today" is pinned by monkeypatching ``eduplan.ledger.clock.today`` (the route calls it at
request time) to Monday 2024-09-16, so "this week" is 9-16..9-22 (the bureau has no term: plain
Monday–Sunday weeks). The sample plan's items, by that day:

    开学工作检查      ends 09-06  基教股、各学校   open → 已逾期 10 天
    教研活动周        ends 09-13  教研室           open → 已逾期 3 天
    城关中学开放日    ends 09-12  城关中学         open → 已逾期 4 天
    全县教师大会      ends 09-10  办公室           open → 已逾期 6 天
    第二中学安全演练  on   09-20  第二中学         open, this week
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from lxml import html
from sqlalchemy import select

from eduplan.calendar import model as cal
from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger.models import Item, Organisation
from eduplan.ledger.terms import store_term

TODAY = date(2024, 9, 16)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("eduplan.ledger.clock.today", lambda: TODAY)


def set_status(db_session, title: str, status: str) -> None:
    item = db_session.scalars(select(Item).where(Item.title == title)).one()
    item.status = status
    if status == "done":  # closed (销号) on the pinned day, as the figures count it
        item.closed_at = datetime(TODAY.year, TODAY.month, TODAY.day, 2, tzinfo=UTC)
    db_session.commit()


def page_of(client: TestClient):
    response = client.get("/")
    assert response.status_code == 200, response.text[:500]
    return html.fromstring(response.text)


def section(page, id_: str):
    return page.xpath(f'//section[@id="{id_}"]')[0]


def item_titles(part) -> list[str]:
    return [a.text_content() for a in part.xpath('.//a[starts-with(@href, "/items/")][not(@class)]')]


def overdue_rows(page) -> list[tuple[str, int]]:
    return [
        (tr.xpath("td[1]")[0].text_content(), int(tr.xpath("td[@data-days-late]/@data-days-late")[0]))
        for tr in section(page, "overdue").xpath(".//tbody/tr")
    ]


def completion(page) -> dict[str, tuple[int, int, int, int, int, str]]:
    """office → (事项数, 应办结, 已办结, 进行中, 已逾期, 办结率) as the accessible table shows them."""
    rows = {}
    for tr in page.xpath('//table[@id="completion-table"]/tbody/tr'):
        cells = [td.text_content() for td in tr.xpath("td")]
        rows[tr.xpath("th")[0].text_content()] = (*map(int, cells[:5]), cells[5])
    return rows


def test_anonymous_is_sent_to_login(app):
    response = TestClient(app).get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/"


def test_admin_sees_the_bureaus_week_and_every_overdue_item(login):
    page = page_of(login("admin"))
    week = section(page, "this-week")
    assert "本周（9月16日—9月22日）" in week.xpath(".//h2")[0].text_content()
    assert item_titles(week) == ["第二中学安全演练"]
    # Most recently overdue first, with the days late.
    assert overdue_rows(page) == [
        ("教研活动周", 3),
        ("城关中学开放日", 4),
        ("全县教师大会", 6),
        ("开学工作检查", 10),
    ]
    assert section(page, "overdue").xpath(".//h2")[0].text_content() == "已逾期 4 项"
    assert [td.text_content() for td in section(page, "overdue").xpath(".//tbody/tr[1]/td")[1:3]] == [
        "2024-09-13",
        "3 天",
    ]


def test_office_sees_its_own_items(login):
    page = page_of(login("office"))  # 基教股
    assert item_titles(section(page, "this-week")) == []
    assert "本周没有安排的事项" in section(page, "this-week").text_content()
    assert overdue_rows(page) == [("开学工作检查", 10)]


def test_school_sees_its_items_and_those_for_all_schools(login):
    page = page_of(login("school"))  # 城关中学
    assert overdue_rows(page) == [("城关中学开放日", 4), ("开学工作检查", 10)]
    assert item_titles(section(page, "this-week")) == []
    assert "第二中学安全演练" not in html.tostring(page, encoding="unicode")


def test_other_school_has_its_drill_this_week(login):
    page = page_of(login("school2"))  # 第二中学
    assert item_titles(section(page, "this-week")) == ["第二中学安全演练"]
    assert overdue_rows(page) == [("开学工作检查", 10)]


def test_done_or_cancelled_items_are_not_overdue(login, db_session):
    set_status(db_session, "教研活动周", "done")
    set_status(db_session, "全县教师大会", "cancelled")
    set_status(db_session, "开学工作检查", "in_progress")  # in progress past its end: still overdue
    page = page_of(login("admin"))
    assert overdue_rows(page) == [("城关中学开放日", 4), ("开学工作检查", 10)]


def test_this_week_leaves_cancelled_items_out(login, db_session):
    set_status(db_session, "第二中学安全演练", "cancelled")
    assert item_titles(section(page_of(login("admin")), "this-week")) == []


def test_overdue_follows_the_pinned_day(login, monkeypatch):
    monkeypatch.setattr("eduplan.ledger.clock.today", lambda: date(2024, 9, 7))
    page = page_of(login("admin"))
    assert overdue_rows(page) == [("开学工作检查", 1)]
    # Saturday 9-7 is in the week 9-2..9-8, which 开学工作检查 (9-2..9-6) belongs to, overdue.
    week = section(page, "this-week")
    assert item_titles(week) == ["开学工作检查"]
    assert week.xpath(".//tbody/tr/td[4]")[0].text_content() == "已逾期"


def test_completion_per_office_as_a_table(login, db_session):
    page = page_of(login("admin"))
    # The offices with items, by the one definition (eduplan.supervise.figures): every item here is
    # due (today is after the term); schools' own items are on 督办's school table, not here.
    assert completion(page) == {
        "基教股": (1, 1, 0, 0, 1, "0.0%"),
        "教研室": (1, 1, 0, 0, 1, "0.0%"),
        "办公室": (1, 1, 0, 0, 1, "0.0%"),
    }
    set_status(db_session, "教研活动周", "done")
    set_status(db_session, "第二中学安全演练", "in_progress")
    set_status(db_session, "全县教师大会", "cancelled")
    rows = completion(page_of(login("admin")))
    assert rows["教研室"] == (1, 1, 1, 0, 0, "100.0%")
    assert "办公室" not in rows  # its only item is cancelled


def test_completion_chart_reads_the_table(login, app):
    client = login("admin")
    text = client.get("/").text
    assert 'src="/static/vendor/chart.umd.min.js"' in text
    assert 'src="/static/charts.js"' in text
    tr = html.fromstring(text).xpath(
        '//table[@data-chart="completion-chart"]/tbody/tr[@data-label="教研室"]'
    )[0]
    assert (tr.get("data-done"), tr.get("data-progress"), tr.get("data-overdue"), tr.get("data-other")) == (
        "0",
        "0",
        "1",
        "0",
    )
    script = client.get("/static/charts.js")
    assert script.status_code == 200
    assert "data-chart" in script.text


def test_report_links_only_where_the_viewer_may_report(login, db_session):
    ids = {t: i for i, t in db_session.execute(select(Item.id, Item.title))}
    page = page_of(login("office"))  # 基教股 reports on its own item
    assert page.xpath('//a[@class="edit-action"]/@href') == [f"/items/{ids['开学工作检查']}#report"]
    page = page_of(login("admin"))
    links = set(page.xpath('//a[@class="edit-action"]/@href'))
    assert f"/items/{ids['第二中学安全演练']}#report" in links
    assert f"/items/{ids['全县教师大会']}#report" in links


def test_guest_dashboard_has_no_edit_affordances(login):
    response = login("guest").get("/")
    page = html.fromstring(response.text)
    assert item_titles(section(page, "this-week")) == ["第二中学安全演练"]
    assert len(overdue_rows(page)) == 4
    assert page.xpath('//*[@class="edit-action"]') == []
    assert "填报进度" not in response.text
    assert "#report" not in response.text
    # Nothing that changes anything: signing out, and the top bar's search (a GET).
    assert [(f.get("action"), f.get("method")) for f in page.xpath("//form")] == [
        ("/search", "get"),
        ("/logout", "post"),
    ]


def test_term_week_is_named_when_the_bureau_has_a_term(login, db_session):
    bureau = db_session.scalars(select(Organisation).where(Organisation.name == DEMO_BUREAU)).one()
    term = cal.Term("2024—2025学年第一学期", date(2024, 8, 26), date(2025, 1, 19), date(2024, 9, 2), True)
    store_term(db_session, bureau.id, term)
    db_session.commit()
    heading = section(page_of(login("admin")), "this-week").xpath(".//h2")[0].text_content()
    assert heading.startswith("2024—2025学年第一学期 第三周（9月16日—9月22日）")


def test_no_targets_yet(login):
    page = page_of(login("admin"))
    assert "计划中还没有量化目标" in section(page, "targets").text_content()


@pytest.mark.parametrize("scoped_from", [200, 1])  # units read by a list of ids, or by bureau
@pytest.mark.parametrize("username", ["admin", "chengguan"])
def test_figures_from_the_pages_own_read_are_those_of_a_separate_read(
    seeded, db_session, monkeypatch, scoped_from, username
):
    """The 工作台 counts its office figures from the items it reads for its lists (all the
    bureau's, a school viewer's hidden ones too): the same tracked items, closing days, units and
    figures as ``tracked_items`` reading them itself."""
    from eduplan.ledger.models import User
    from eduplan.supervise.tracked import tracked_items
    from eduplan.web.auth import _viewer
    from eduplan.web.views.dashboard import completion_by_office, tracked_of
    from eduplan.web.views.scope import bureau_items

    monkeypatch.setattr("eduplan.ledger.queries.SCOPED_FROM", scoped_from)
    set_status(db_session, "教研活动周", "done")  # closed on the pinned day
    set_status(db_session, "全县教师大会", "cancelled")
    set_status(db_session, "开学工作检查", "in_progress")
    drill = db_session.scalars(select(Item).where(Item.title == "第二中学安全演练")).one()
    drill.status = "done"  # done without a closing time: its last change counts
    drill.closed_at = None
    db_session.commit()
    viewer = _viewer(db_session, db_session.scalars(select(User).where(User.username == username)).one())

    read = tracked_of(bureau_items(db_session, viewer))
    separate = tracked_items(db_session, viewer.bureau_id, until=date.max)
    assert read == separate
    assert {i.title for i in read} == {"教研活动周", "开学工作检查", "城关中学开放日", "第二中学安全演练"}
    assert all(i.closed_on is not None for i in read if i.status == "done")
    assert completion_by_office(db_session, viewer, TODAY, read) == completion_by_office(
        db_session, viewer, TODAY
    )
