"""Work sent down to schools, in the browser (issue 15).

The administrator publishes an item for 各小学, which distributes it; 基教股's reply table lists
exactly the demo's primary schools (城关小学, 实验小学), not 城关中学, which may not even open the
item. Both primary schools reply; 城关小学 applies for 销号, 基教股 returns it with a reason,
城关小学 applies again and 基教股 passes it: the reply table and 城关小学's 办结率 on 督办 change.
Screenshots: 30-replies-distributed, 31-school-own-assignment, 32-replies-returned,
33-replies-passed, 34-supervision-school-rate.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from eduplan.ledger.clock import today as clock_today

TITLE = "全县小学质量监测"


def _plan_text() -> tuple[str, str, str]:
    today = clock_today()
    start, end = today - timedelta(days=6), today - timedelta(days=2)
    text = (
        f"示例县教育局{today.year}年学校工作安排\n\n一、近期工作\n"
        f"1. {start.month}月{start.day}日—{end.month}月{end.day}日，{TITLE}。（基教股、各小学）\n"
    )
    return text, start.isoformat(), end.isoformat()


def _publish(page: Page, tmp_path) -> int:
    text, start, end = _plan_text()
    path = tmp_path / "学校工作安排.txt"
    path.write_text(text, encoding="utf-8")
    page.goto("/import")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="上传并预览").click()
    expect(page).to_have_url(re.compile(r"/import/\d+$"))
    title = page.locator('input[name^="title-"]').first
    index = title.get_attribute("name").removeprefix("title-")
    title.fill(TITLE)
    page.fill(f'input[name="start-{index}"]', start)
    page.fill(f'input[name="end-{index}"]', end)
    page.fill(f'input[name="units-{index}"]', "基教股、各小学")
    page.get_by_role("button", name="保存并发布到台账").click()
    result = page.locator("#import-result")
    expect(result.get_by_role("heading", name="已发布到台账")).to_be_visible()
    result.get_by_role("link", name="查看行事历").click()
    link = page.locator("#xingshili").get_by_role("link", name=TITLE)
    expect(link).to_have_count(1)
    return int(link.get_attribute("href").rsplit("/", 1)[1])


def _rows(page: Page) -> dict[str, str]:
    rows = page.locator("#reply-table tbody tr")
    return {
        rows.nth(i).get_attribute("data-school"): rows.nth(i).get_attribute("data-status")
        for i in range(rows.count())
    }


def _count(page: Page, key: str) -> str:
    return page.locator(f'#reply-counts strong[data-count="{key}"]').inner_text()


def _school_rate(page: Page, school: str) -> str:
    page.goto("/supervision")
    row = page.locator("#school-rates tbody tr", has=page.get_by_role("rowheader", name=school, exact=True))
    return row.locator("td").nth(1).inner_text()  # 已办结/应办结


def _as(browser, server, sign_in, username: str) -> Page:
    context = browser.new_context(
        base_url=server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, username)
    return page


def _apply(page: Page, item_id: int, text: str) -> None:
    page.goto(f"/items/{item_id}/replies")
    page.fill("#own-apply textarea[name=text]", text)
    page.locator("#own-apply").get_by_role("button", name="申请销号").click()
    expect(page.locator("#own-status")).to_have_text("待审核")


def test_an_item_for_primary_schools_replied_returned_and_passed(
    browser, server, sign_in, screenshot, tmp_path
):
    admin = _as(browser, server, sign_in, "admin")
    item_id = _publish(admin, tmp_path)
    admin.context.close()

    office = _as(browser, server, sign_in, "jijiao")
    rate_before = _school_rate(office, "城关小学")
    office.goto(f"/items/{item_id}")
    office.locator("#replies-link").click()
    # Publishing distributed it: each primary school has its assignment, nothing left to send.
    expect(office.locator("#reply-table")).to_be_visible()
    expect(office.get_by_role("button", name="分发到各校")).to_have_count(0)
    assert _rows(office) == {"城关小学": "open", "实验小学": "open"}  # exactly the primary schools
    assert _count(office, "late") == "2"
    screenshot(office, "30-replies-distributed")

    middle = _as(browser, server, sign_in, "chengguan")
    assert middle.goto(f"/items/{item_id}/replies").status == 403
    assert middle.goto(f"/items/{item_id}").status == 403
    middle.context.close()

    # Two schools reply: 实验小学 with progress, 城关小学 applies for 销号.
    second = _as(browser, server, sign_in, "shiyanxiao")
    second.goto(f"/items/{item_id}/replies")
    second.fill("#own-report textarea[name=text]", "已组织三至六年级监测")
    second.locator("#own-report").get_by_role("button", name="提交进度").click()
    expect(second.locator("#own-status")).to_have_text("已逾期")  # reported, still late
    second.context.close()

    school = _as(browser, server, sign_in, "chengguanxiao")
    _apply(school, item_id, "监测已完成，成绩已上报")
    screenshot(school, "31-school-own-assignment")

    office.goto(f"/items/{item_id}/replies")
    assert _rows(office) == {"城关小学": "applied", "实验小学": "in_progress"}
    assert (_count(office, "reported"), _count(office, "not-started")) == ("2", "0")
    row = office.locator('#reply-table tr[data-school="城关小学"]')
    row.locator("input[name=note]").fill("请附监测成绩汇总表")
    row.get_by_role("button", name="退回").click()
    expect(office.locator(".flash")).to_contain_text("已退回")
    assert _rows(office)["城关小学"] == "in_progress"
    expect(office.locator("#closing-history")).to_contain_text("请附监测成绩汇总表")
    screenshot(office, "32-replies-returned")

    _apply(school, item_id, "已补充成绩汇总表")
    office.goto(f"/items/{item_id}/replies")
    office.locator('#reply-table tr[data-school="城关小学"]').get_by_role("button", name="通过").click()
    expect(office.locator(".flash")).to_contain_text("已审核通过")
    assert _rows(office) == {"城关小学": "done", "实验小学": "in_progress"}
    assert (_count(office, "done"), _count(office, "late")) == ("1", "1")
    expect(office.locator("#closing-history")).to_contain_text("基教股（基教股）审核通过")
    screenshot(office, "33-replies-passed")

    rate_after = _school_rate(office, "城关小学")
    screenshot(office, "34-supervision-school-rate")
    done_before, due_before = map(int, rate_before.split("/"))
    # The item was already due (and late) before: now one more of 城关小学's is done.
    assert rate_after == f"{done_before + 1}/{due_before}"
    school.context.close()
    office.context.close()
