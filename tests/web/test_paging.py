"""Long lists come a page at a time with page links in Chinese: the 督办 overdue list, a unit's
overdue and full lists, and 通知 (the search results: tests/web/test_search_page.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from lxml import html
from sqlalchemy import select

from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger import clock
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Notification, Organisation
from eduplan.plan import Item, Plan
from eduplan.web.paging import paginate

TODAY = date(2024, 12, 20)


def test_page_links_show_the_ends_and_the_pages_near_the_current_one():
    page = paginate(list(range(1000)), "10", size=50, query={"q": "巡查", "page": "10"}, anchor="list")
    assert (page.count, page.number, page.first_row, page.last_row) == (20, 10, 451, 500)
    assert page.links == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert page.href(1) == "?q=%E5%B7%A1%E6%9F%A5#list"  # page 1 is the address without a page
    assert page.href(11) == "?q=%E5%B7%A1%E6%9F%A5&page=11#list"
    assert paginate([], "3").count == 1 and paginate([], "3").first_row == 0
    assert paginate(list(range(120)), "-4").number == 1
    assert paginate(list(range(120)), "99").rows == list(range(100, 120))


@pytest.fixture
def many(seeded, monkeypatch) -> dict:
    """120 items of 基教股, all overdue on TODAY, and 130 notifications for 基教股."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    factory = sessions(connect(seeded["url"]))
    start = date(2024, 10, 1)
    plan = Plan(
        source={"name": "many.txt", "format": "txt"},
        kind="plan",
        title="常规工作清单",
        issuer=DEMO_BUREAU,
        items=[
            Item(
                f"常规检查{n:03d}",
                "检查",
                start + timedelta(days=n % 60),
                start + timedelta(days=n % 60),
                ["基教股"],
            )
            for n in range(120)
        ],
    )
    with factory.begin() as session:
        import_plan(session, plan, b"many", bureau=DEMO_BUREAU, actor="test")
        office = session.scalars(select(Organisation).where(Organisation.name == "基教股")).one()
        at = datetime(2024, 12, 1, tzinfo=UTC)
        for n in range(130):
            session.add(
                Notification(
                    org_id=office.id,
                    kind="digest",
                    title=f"提醒{n:03d}",
                    body="…",
                    created_at=at + timedelta(hours=n),
                )
            )
    return {"office_id": office.id}


def rows(page, table_id: str) -> list[str]:
    doc = html.fromstring(page.text)
    return [
        " ".join(tr.xpath("td")[0].text_content().split())
        for tr in doc.xpath(f'//table[@id="{table_id}"]/tbody/tr')
    ]


def pager_text(page, within: str = "") -> str:
    navs = html.fromstring(page.text).xpath(f"{within}//nav[contains(@class, 'pager')]")
    return " ".join(navs[0].text_content().split()) if navs else ""


def test_the_supervision_overdue_list_pages_by_a_hundred(login, many):
    client = login("admin")
    first = client.get("/supervision")
    overdue = rows(first, "overdue-table")
    assert len(overdue) == 100
    # The 120 and the five seeded items, all of September.
    assert "共 125 项，第 1–100 项" in pager_text(first, "//section[@id='overdue']")
    link = html.fromstring(first.text).xpath("//section[@id='overdue']//a[@rel='next']")[0]
    assert link.text_content() == "下一页" and link.get("href") == "?page=2#overdue"
    second = client.get("/supervision", params={"page": "2"})
    assert len(rows(second, "overdue-table")) == 25
    assert not set(rows(second, "overdue-table")) & set(overdue)


def test_a_units_lists_page_apart_and_keep_each_others_page(login, many):
    client = login("office")  # 基教股
    page = client.get(f"/units/{many['office_id']}", params={"all_page": "2"})
    assert page.status_code == 200
    doc = html.fromstring(page.text)
    overdue = doc.xpath("//section[@id='overdue']//tbody/tr")
    everything = doc.xpath("//section[@id='all-items']//tbody/tr")
    assert len(overdue) == 50  # the first page of the overdue list
    assert len(everything) == 50  # the second page of all the unit's items (120 + 开学工作检查)
    assert doc.xpath("//section[@id='all-items']/details/@open")  # a later page opens the list
    nxt = doc.xpath("//section[@id='overdue']//a[@rel='next']")[0].get("href")
    assert "overdue_page=2" in nxt and "all_page=2" in nxt
    last = client.get(f"/units/{many['office_id']}", params={"all_page": "3"})
    assert len(html.fromstring(last.text).xpath("//section[@id='all-items']//tbody/tr")) == 21


def test_notifications_page_by_a_hundred_newest_first(login, many):
    client = login("office")
    first = html.fromstring(client.get("/notifications").text)
    titles = [
        h.text_content().replace("未读", "").strip()
        for h in first.xpath("//section[contains(@class, 'notification')]/h2")
    ]
    assert len(titles) == 100 and titles[0] == "提醒129" and titles[-1] == "提醒030"
    second = html.fromstring(client.get("/notifications", params={"page": "2"}).text)
    titles = [
        h.text_content().replace("未读", "").strip()
        for h in second.xpath("//section[contains(@class, 'notification')]/h2")
    ]
    assert titles[0] == "提醒029" and titles[-1] == "提醒000" and len(titles) == 30
    assert "共 130 条" in " ".join(second.xpath("//nav[contains(@class, 'pager')]")[0].text_content().split())
