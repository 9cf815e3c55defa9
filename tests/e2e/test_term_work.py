"""A term's work as the people involved do it, in the browser.

The bureau's administrator uploads a work plan on the import page, corrects one item in the
preview (its title, the week it is due, and the units responsible: 基教股 and all schools) and
publishes it. A visitor finds the item on the calendar; 基教股 reports progress with a photo
attached and closes the item (销号) with a completion report, which its dashboard shows;
城关中学 reports too, and 第二中学, who may see the item (it is for all schools), may not open
城关中学's report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

DOCUMENT = "004_d1a5ab93dabdedf6.txt"  # left out of the demo data by conftest.IMPORT_DOCUMENT
ISSUER = "新晃侗族自治县教育局"
PLAN_TITLE = "新晃侗族自治县教育局2021年下半年工作计划"
READ_TITLE = "均衡发展义务教育"
TITLE = "义务教育均衡发展督查"
UNITS = "基教股、各学校"
START, END = "2021-09-06", "2021-09-10"  # the first week of the autumn term


@pytest.fixture(scope="module")
def published(corpus: Path, browser, server, sign_in, screenshot) -> dict:
    """The administrator's import, done once for this module: upload, correct, publish.
    Returns what the pages showed: {"plan_id", "item_id", "summary", "rows"}."""
    context = browser.new_context(
        base_url=server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "admin")
        page.locator("header nav").get_by_role("link", name="导入").click()
        expect(page.get_by_role("heading", name="导入工作计划或行事历")).to_be_visible()
        screenshot(page, "03-import-upload")

        page.set_input_files("input[name=file]", str(corpus / DOCUMENT))
        page.get_by_role("button", name="上传并预览").click()
        expect(page).to_have_url(re.compile(r"/import/\d+$"))
        expect(page.get_by_role("heading", name=f"核对导入：{DOCUMENT}")).to_be_visible()
        facts = page.locator("dl.facts-list")
        expect(facts).to_contain_text(ISSUER)
        expect(facts).to_contain_text("2021-07-01 至 2021-12-31")
        expect(page.locator("input[name=plan_title]")).to_have_value(PLAN_TITLE)
        rows = page.locator("table.preview tbody tr").count()
        screenshot(page, "04-import-preview")

        # The reader gave this measure the whole half year and no unit: a person pins it down.
        title = page.locator(f'input[name^="title-"][value="{READ_TITLE}"]')
        expect(title).to_have_count(1)
        index = title.get_attribute("name").removeprefix("title-")
        title.fill(TITLE)
        page.fill(f'input[name="start-{index}"]', START)
        page.fill(f'input[name="end-{index}"]', END)
        page.fill(f'input[name="units-{index}"]', UNITS)
        page.get_by_role("button", name="保存并发布到台账").click()

        result = page.locator("#import-result")
        expect(result.get_by_role("heading", name="已发布到台账")).to_be_visible()
        expect(result).to_contain_text("新建计划")
        summary = result.inner_text()
        screenshot(page, "05-import-published")

        result.get_by_role("link", name="查看行事历").click()
        expect(page).to_have_url(re.compile(r"/calendar\?plan=\d+$"))
        plan_id = int(page.url.rsplit("=", 1)[1])
        link = page.locator("#xingshili").get_by_role("link", name=TITLE)
        expect(link).to_have_count(1)
        item_id = int(link.get_attribute("href").rsplit("/", 1)[1])
        screenshot(page, "06-calendar-plan")
    finally:
        context.close()
    return {"plan_id": plan_id, "item_id": item_id, "summary": summary, "rows": rows}


def test_import_correct_and_publish(published: dict) -> None:
    assert published["rows"] == 21
    assert f"{PLAN_TITLE}：第 1 版，事项 21 项" in published["summary"]


def _find_on_calendar(page: Page) -> None:
    """From the navigation to the item's page, choosing the plan and the office as a person does."""
    page.locator("header nav").get_by_role("link", name="行事历").click()
    expect(page.get_by_role("heading", name=re.compile("^行事历"))).to_be_visible()
    page.select_option("select[name=plan]", label=PLAN_TITLE)
    page.select_option("select[name=office]", label="基教股")
    page.get_by_role("button", name="筛选").click()
    row = page.locator("#xingshili tr", has=page.get_by_role("link", name=TITLE))
    expect(row).to_have_count(1)
    expect(row.locator("td.host")).to_contain_text("基教股")
    row.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()


def test_corrected_item_on_the_calendar(page: Page, sign_in, screenshot, published: dict) -> None:
    sign_in(page, "guest")
    _find_on_calendar(page)
    expect(page).to_have_url(re.compile(rf"/items/{published['item_id']}$"))
    facts = page.locator("dl.facts-list")
    expect(facts).to_contain_text("基教股、各学校")
    expect(facts).to_contain_text("已逾期")  # due in September 2021, not done
    # A visitor reads; only the units responsible report.
    expect(page.locator('form[action$="/reports"]')).to_have_count(0)
    screenshot(page, "07-item-guest")


def _overdue_total(page: Page) -> int:
    return int(page.locator("#overdue-title .late").inner_text())


def _completion(page: Page, office: str) -> dict[str, int]:
    row = page.locator(f'#completion-table tr[data-label="{office}"]')
    expect(row).to_have_count(1)
    return {key: int(row.get_attribute(f"data-{key}")) for key in ("done", "progress", "overdue")}


def _report(page: Page, text: str, percent: str, attachment: tuple[str, bytes] | None) -> None:
    form = page.locator('form[action$="/reports"]')
    form.locator("textarea[name=text]").fill(text)
    form.locator("input[name=percent]").fill(percent)
    if attachment:
        name, data = attachment
        form.locator("input[name=files]").set_input_files(
            files=[{"name": name, "mimeType": "image/png", "buffer": data}]
        )
    form.get_by_role("button", name="提交").click()
    expect(page.get_by_role("status")).to_have_text("进度已提交。")


def test_office_reports_with_attachment_and_the_dashboard_changes(
    page: Page, sign_in, screenshot, published: dict
) -> None:
    item = published["item_id"]
    sign_in(page, "jijiao")
    before, overdue_before = _completion(page, "基教股"), _overdue_total(page)
    screenshot(page, "08-dashboard-office-before")
    photo = page.screenshot()  # a PNG, as a phone photo of the inspection would be

    _find_on_calendar(page)
    expect(page).to_have_url(re.compile(rf"/items/{item}$"))
    _report(page, "已完成城关片区 4 所学校的督查，问题清单见附件。", "60", ("督查照片.png", photo))
    report = page.locator("#reports article.report").filter(has_text="已完成城关片区 4 所学校的督查")
    expect(report).to_contain_text("基教股")
    expect(report).to_contain_text("完成 60%")
    with page.expect_download() as download:
        report.get_by_role("link", name="督查照片.png").click()
    assert Path(download.value.path()).read_bytes() == photo

    # 已完成 only by 销号: the office applies (申请销号, the bureau has not chosen one-step closing),
    # the bureau office — the reviewer — closes it with its completion report.
    applying = page.locator("#close-form")
    applying.locator("textarea[name=text]").fill("督查完成，问题清单所列事项已全部整改。")
    applying.get_by_role("button", name="申请销号").click()
    expect(page.get_by_role("status")).to_have_text("已申请销号，等待局办公室审核。")
    expect(page.locator("#closing-pending")).to_contain_text("待审核")
    expect(page.locator("dl.facts-list")).not_to_contain_text("已完成")
    sign_in(page, "admin", f"/items/{item}")
    closing = page.locator("#close-form")
    closing.locator("textarea[name=text]").fill("督查完成，问题清单所列事项已全部整改。")
    closing.get_by_role("button", name="提交销号").click()
    expect(page.get_by_role("status")).to_have_text("已销号。")
    expect(page.locator("dl.facts-list")).to_contain_text("已完成")
    expect(page.locator("dl.facts-list")).to_contain_text("局办公室管理员（admin） 于")
    screenshot(page, "09-item-office-report")
    sign_in(page, "jijiao")

    page.locator("header nav").get_by_role("link", name="工作台").click()
    after = _completion(page, "基教股")
    assert after["done"] == before["done"] + 1
    assert after["overdue"] == before["overdue"] - 1
    assert _overdue_total(page) == overdue_before - 1
    screenshot(page, "10-dashboard-office-after")


def test_school_reports_and_another_school_may_not_open_it(
    browser, server, sign_in, screenshot, published: dict
) -> None:
    item = published["item_id"]
    contexts = []

    def person(username: str) -> Page:
        context = browser.new_context(
            base_url=server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        sign_in(tab, username, f"/items/{item}")
        return tab

    try:
        chengguan = person("chengguan")
        expect(chengguan.get_by_role("heading", name=TITLE)).to_be_visible()
        photo = chengguan.screenshot()
        _report(chengguan, "城关中学已完成自查，整改台账已上传。", "100", ("自查台账.png", photo))
        mine = chengguan.locator("#reports article.report").filter(has_text="城关中学已完成自查")
        expect(mine).to_contain_text("城关中学")
        href = mine.get_by_role("link", name="自查台账.png").get_attribute("href")
        assert re.fullmatch(r"/attachments/\d+", href)
        screenshot(chengguan, "11-item-school-report")

        # 第二中学 sees the item (it is for all schools) but not 城关中学's report …
        dierzhong = person("dierzhong")
        expect(dierzhong.get_by_role("heading", name=TITLE)).to_be_visible()
        expect(dierzhong.locator("#reports")).not_to_contain_text("城关中学已完成自查")
        # … nor its attachment, even with the link.
        response = dierzhong.goto(href)
        assert response is not None and response.status == 403
        expect(dierzhong.get_by_role("heading", name="没有权限")).to_be_visible()
        expect(dierzhong.get_by_role("alert")).to_contain_text("不能查看")
        screenshot(dierzhong, "12-forbidden-other-school")

        # The office responsible does see it.
        jijiao = person("jijiao")
        expect(jijiao.locator("#reports")).to_contain_text("城关中学已完成自查")
    finally:
        for context in contexts:
            context.close()
