"""The pages on a phone: Chromium at 390×844 (touch), as a person holding one would use them.

On every page: nothing wider than the screen (``scrollWidth <= innerWidth``, so no sideways
scrolling), and a screenshot in ``out/screenshots/phone-*.png``. Then what the phone layout
promises: the menu folds behind 菜单 and opens as a list of whole words (not one character per
line); the 行事历 is a list of weeks with their dates, the month an agenda of the days that have
work; the report form's fields and button span the screen at a thumb's height (44 px)."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}
THUMB_PX = 44


@pytest.fixture
def phone(browser, server):
    context = browser.new_context(
        base_url=server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport=PHONE,
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def fits(page: Page) -> None:
    """No sideways scrolling: the document is no wider than the window."""
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert inner == PHONE["width"], inner
    assert width <= inner, f"{page.url}: {width} px wide on a {inner} px screen"


def first_plan(page: Page) -> str:
    page.goto("/calendar")
    values = page.eval_on_selector_all(
        "select[name=plan] option", "os => os.map(o => o.value).filter(v => v)"
    )
    assert values, "the demo has plans"
    return values[-1]  # the oldest plan: dated items of a whole term


def test_every_main_page_fits_a_phone(phone: Page, sign_in, screenshot) -> None:
    sign_in(phone, "admin")
    plan = first_plan(phone)
    phone.goto(f"/calendar?plan={plan}")
    week_start = phone.locator("tr[data-week-start]").first.get_attribute("data-week-start")
    item_href = phone.locator("table.xingshili td.title a").first.get_attribute("href")
    pages = [
        ("/", "dashboard"),
        (f"/calendar?plan={plan}", "calendar-week"),
        (f"/calendar/month?plan={plan}&month={week_start[:7]}", "calendar-month"),
        (item_href, "item"),
        ("/search?q=工作", "search"),
        ("/supervision", "supervision"),
        ("/targets", "targets"),
        ("/units", "units"),
        ("/notifications", "notifications"),
    ]
    for path, name in pages:
        phone.goto(path)
        expect(phone.locator("main h1").first).to_be_visible()
        fits(phone)
        screenshot(phone, f"phone-{name}")


def test_the_menu_folds_behind_a_toggle_and_opens_as_whole_words(phone: Page, sign_in, screenshot) -> None:
    sign_in(phone, "admin")
    nav = phone.locator("header nav")
    expect(nav).to_be_hidden()
    expect(phone.locator("header form[role=search] input[name=q]")).to_be_visible()  # search stays at hand
    phone.locator("label.menu-button").tap()
    expect(nav).to_be_visible()
    fits(phone)
    screenshot(phone, "phone-menu-open")
    links = nav.locator("a")
    assert links.count() >= 6
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        text = links.nth(i).inner_text().strip()
        assert box["height"] >= THUMB_PX - 1, (text, box)
        assert box["height"] < 2 * THUMB_PX, f"{text} wraps: {box}"  # one line, not a column of characters
        assert box["width"] > box["height"], (text, box)
    with phone.expect_navigation():
        links.filter(has_text=re.compile("^行事历$")).tap()
    expect(phone.locator("header nav")).to_be_hidden()  # a new page starts folded


def test_the_desktop_keeps_its_one_row_menu(page: Page, sign_in) -> None:
    sign_in(page, "admin")
    expect(page.locator("header nav")).to_be_visible()
    expect(page.locator("label.menu-button")).to_be_hidden()
    bar = page.locator("header.topbar").bounding_box()
    assert bar["height"] < 70, bar  # one row


def test_the_week_view_is_a_list_of_weeks_with_their_dates(phone: Page, sign_in) -> None:
    sign_in(phone, "admin")
    phone.goto(f"/calendar?plan={first_plan(phone)}")
    expect(phone.locator("table.xingshili thead")).to_be_hidden()
    first_week = phone.locator("tr.week-first").first
    dates = first_week.locator("td.dates")
    title = first_week.locator("td.title")
    # The week's dates are a heading above its work, both the width of the screen.
    assert dates.bounding_box()["y"] + dates.bounding_box()["height"] <= title.bounding_box()["y"] + 1
    assert title.bounding_box()["width"] > 300
    fits(phone)


def test_the_month_view_is_an_agenda_of_days_with_work(phone: Page, sign_in) -> None:
    sign_in(phone, "admin")
    plan = first_plan(phone)
    phone.goto(f"/calendar?plan={plan}")
    month = phone.locator("tr[data-week-start]").first.get_attribute("data-week-start")[:7]
    phone.goto(f"/calendar/month?plan={plan}&month={month}")
    expect(phone.locator("table.month thead")).to_be_hidden()
    shown = phone.locator("table.month td.day:visible")
    assert shown.count() >= 1
    boxes = [shown.nth(i).bounding_box() for i in range(shown.count())]
    assert all(b["width"] > 300 for b in boxes)  # a day a row, not seven squeezed columns
    assert all(a["y"] < b["y"] for a, b in itertools.pairwise(boxes))
    empty = phone.locator("table.month td.day:not(:has(li)):not(.today):not(.holiday)")
    assert all(not empty.nth(i).is_visible() for i in range(empty.count()))
    label = shown.first.evaluate("td => getComputedStyle(td, '::before').content")
    assert re.search(r"\d{4}-\d{2}-\d{2} 周[一二三四五六日]", label), label
    fits(phone)


def test_the_report_form_is_usable_with_one_thumb(phone: Page, sign_in, screenshot) -> None:
    sign_in(phone, "jijiao")  # 基教股: reports on its own items
    phone.goto("/search?q=工作")
    phone.select_option("#search-form select[name=unit]", label="基教股")
    with phone.expect_navigation():
        phone.locator("#search-form button[type=submit]").tap()
    fits(phone)
    with phone.expect_navigation():
        phone.locator("li.search-hit a.hit-title").first.tap()
    form = phone.locator("form[action$='/reports']")
    text = form.locator("textarea[name=text]")
    button = form.locator("button[type=submit]")
    for control in (text, form.locator("input[name=percent]"), button):
        box = control.bounding_box()
        assert box["height"] >= THUMB_PX - 1, box
    assert text.bounding_box()["width"] > 320 and button.bounding_box()["width"] > 320
    text.fill("已完成第一阶段")
    with phone.expect_navigation():
        button.tap()
    expect(phone.locator("main")).to_contain_text("已完成第一阶段")
    fits(phone)
    screenshot(phone, "phone-item-reported")
