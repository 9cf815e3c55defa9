"""搜索 (the top bar's search box and /search) on SQLite and PostgreSQL: what each role finds
(the item lists' visibility), short words, the filters plan, unit, status and dates, and the
result pages. The seeded items are listed in tests/web/conftest.py."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import html
from sqlalchemy import select

from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger import clock
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Organisation
from eduplan.plan import Item, Plan

ALL = {"开学工作检查", "教研活动周", "城关中学开放日", "第二中学安全演练", "全县教师大会"}


@pytest.fixture
def web_db(web_db_both):
    return web_db_both


def titles(page) -> list[str]:
    doc = html.fromstring(page.text)
    return [a.text_content() for a in doc.xpath("//li[contains(@class, 'search-hit')]/a[@class='hit-title']")]


def count(page) -> int:
    return int(html.fromstring(page.text).xpath("//*[@id='search-count']/strong")[0].text_content())


def org_id(seeded, name: str) -> int:
    with sessions(connect(seeded["url"]))() as session:
        return session.scalars(select(Organisation.id).where(Organisation.name == name)).one()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", ALL),
        ("office", ALL),
        ("guest", ALL),
        ("school", {"开学工作检查", "城关中学开放日"}),  # its own and what all schools are asked
        ("school2", {"开学工作检查", "第二中学安全演练"}),
    ],
)
def test_each_role_finds_only_what_it_may_see(login, role, expected):
    page = login(role).get("/search", params={"q": "按通知要求"})  # in every item's text
    assert page.status_code == 200
    assert set(titles(page)) == expected
    assert count(page) == len(expected)


def test_short_words_and_several_words(login):
    client = login("admin")
    assert titles(client.get("/search", params={"q": "大会"})) == ["全县教师大会"]
    assert set(titles(client.get("/search", params={"q": "中学"}))) == {"城关中学开放日", "第二中学安全演练"}
    assert titles(client.get("/search", params={"q": "中学 演练"})) == ["第二中学安全演练"]
    # A unit's name and the plan's title are searched too.
    assert titles(client.get("/search", params={"q": "教研室"})) == ["教研活动周"]
    assert len(titles(client.get("/search", params={"q": "秋季学期工作安排"}))) == 5


def test_filters_unit_dates_status_and_plan(login, seeded, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2024, 9, 15))
    client = login("admin")
    q = "按通知要求"
    assert titles(client.get("/search", params={"q": q, "unit": org_id(seeded, "教研室")})) == ["教研活动周"]
    # A school: its own items and those of all schools (各学校).
    assert set(titles(client.get("/search", params={"q": q, "unit": org_id(seeded, "城关中学")}))) == {
        "开学工作检查",
        "城关中学开放日",
    }
    # Items whose span overlaps 9-09..9-10: 教研活动周 (9-09..13) and 全县教师大会 (9-10).
    assert titles(client.get("/search", params={"q": q, "from": "2024-09-09", "to": "2024-09-10"})) == [
        "教研活动周",
        "全县教师大会",
    ]
    # On 9-15 everything ended before is overdue; 第二中学安全演练 (9-20) is not yet.
    assert set(titles(client.get("/search", params={"q": q, "status": "已逾期"}))) == ALL - {
        "第二中学安全演练"
    }
    assert titles(client.get("/search", params={"q": q, "plan": seeded["plan_id"]}))
    other = client.get("/search", params={"q": q, "plan": seeded["plan_id"] + 999})
    assert other.status_code == 404


def test_bad_filters_are_refused_in_chinese(login):
    client = login("admin")
    page = client.get("/search", params={"q": "工作", "from": "9月1日"})
    assert page.status_code == 400 and "起始日期应为日期" in page.text
    page = client.get("/search", params={"q": "工作", "from": "2024-09-10", "to": "2024-09-01"})
    assert page.status_code == 400 and "起始日期晚于截止日期" in page.text
    assert client.get("/search", params={"q": "工作", "unit": "99999"}).status_code == 404


def test_the_search_box_is_in_the_top_bar_and_an_empty_query_explains(login):
    client = login("school")
    doc = html.fromstring(client.get("/").text)
    form = doc.xpath("//header[@class='topbar']//form[@role='search']")[0]
    assert form.get("action") == "/search" and form.xpath(".//input[@name='q']")
    page = client.get("/search")
    assert page.status_code == 200 and "search-hint" in page.text and titles(page) == []


def test_a_query_is_shown_escaped_and_highlighted(login):
    client = login("admin")
    page = client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in page.text and count(page) == 0
    doc = html.fromstring(client.get("/search", params={"q": "通知要求"}).text)
    marks = {m.text_content() for m in doc.xpath("//li[contains(@class, 'search-hit')]//mark")}
    assert marks == {"通知要求"}


def test_results_come_fifty_a_page_with_chinese_page_links(login, seeded):
    factory = sessions(connect(seeded["url"]))
    plan = Plan(
        source={"name": "patrol.txt", "format": "txt"},
        kind="plan",
        title="校园安全巡查安排",
        issuer=DEMO_BUREAU,
        items=[
            Item(f"安全巡查第{n:03d}次", "巡查校园", date(2024, 10, 1), date(2024, 10, 1), ["办公室"])
            for n in range(120)
        ],
    )
    with factory.begin() as session:
        import_plan(session, plan, b"patrol", bureau=DEMO_BUREAU, actor="test")
    client = login("admin")
    first = client.get("/search", params={"q": "安全巡查"})
    assert count(first) == 120 and len(titles(first)) == 50
    doc = html.fromstring(first.text)
    pager = doc.xpath("//nav[contains(@class, 'pager')]")[0]
    assert "共 120 项，第 1–50 项" in pager.text_content()
    assert pager.xpath(".//*[@aria-current='page']")[0].text_content() == "第 1 页"
    nxt = pager.xpath(".//a[@rel='next']")[0]
    assert nxt.text_content() == "下一页" and "page=2" in nxt.get("href") and "q=" in nxt.get("href")
    third = client.get("/search", params={"q": "安全巡查", "page": "3"})
    assert len(titles(third)) == 20 and titles(third)[0] == "安全巡查第100次"
    assert not html.fromstring(third.text).xpath("//nav//a[@rel='next']")
    # Past the last page (a stale link) shows the last page; nonsense shows the first.
    assert titles(client.get("/search", params={"q": "安全巡查", "page": "99"})) == titles(third)
    assert titles(client.get("/search", params={"q": "安全巡查", "page": "x"})) == titles(first)
    # Fewer than a page: no page links.
    assert not html.fromstring(client.get("/search", params={"q": "大会"}).text).xpath(
        "//nav[contains(@class, 'pager')]"
    )
