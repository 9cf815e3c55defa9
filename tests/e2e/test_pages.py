"""Every main page opens for the people who see it in the navigation, with no script error;
a screenshot of each goes to out/screenshots/. Then the pages reached from them: a unit's
phone-calendar subscription, a plan made public, and an account made by the administrator."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from eduplan.demo.bureau import DEMO_USERS

ERROR_HEADINGS = re.compile("^(出错了|没有权限|找不到)$")
DEMO_PLAN = "柳城县教育局2019年教育工作计划"
ONE_PER_ROLE = list({role: username for username, _, role, *_ in reversed(DEMO_USERS)}.values())[::-1]


def _counts(msg) -> bool:
    # The browser asks for /favicon.ico by itself; the app has none (a 404 is no script error).
    return msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico")


def _watch_errors(page: Page) -> list[str]:
    """Script errors and failed requests of the page (a missing script shows up here)."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text} {msg.location['url']}") if _counts(msg) else None,
    )
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return errors


def _opens(page: Page) -> None:
    page.wait_for_load_state("load")
    heading = page.locator("main h1").first
    expect(heading).to_be_visible()
    assert not ERROR_HEADINGS.match(heading.inner_text().strip()), (
        f"{page.url}: {page.locator('main').inner_text()}"
    )


@pytest.mark.parametrize("username", ONE_PER_ROLE)
def test_every_navigation_link_opens(page: Page, sign_in, screenshot, username: str) -> None:
    errors = _watch_errors(page)
    sign_in(page, username)
    _opens(page)
    nav = page.locator("header nav a")
    links = [(nav.nth(i).inner_text().strip(), nav.nth(i).get_attribute("href")) for i in range(nav.count())]
    assert links, "the signed-in page has a navigation"
    for label, href in links:
        with page.expect_navigation():
            page.locator("header nav").get_by_role("link", name=label, exact=True).click()
        _opens(page)
        name = href.strip("/").replace("/", "-") or "dashboard"
        screenshot(page, f"20-{name}-{username}")
    assert errors == []


ADMIN_PAGES = [
    ("/calendar/month", "calendar-month"),
    ("/admin/users", "admin-users"),
    ("/admin/units", "admin-units"),
    ("/admin/terms", "admin-terms"),
    ("/admin/holidays", "admin-holidays"),
]


@pytest.mark.parametrize(("path", "name"), ADMIN_PAGES)
def test_administrator_pages_open(page: Page, sign_in, screenshot, path: str, name: str) -> None:
    errors = _watch_errors(page)
    sign_in(page, "admin", path)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    _opens(page)
    screenshot(page, f"21-{name}")
    assert errors == []


def test_api_documentation_opens(page: Page, sign_in, screenshot) -> None:
    errors = _watch_errors(page)
    sign_in(page, "admin", "/api/docs")
    # Swagger UI from the app's own copy (no CDN): it renders the OpenAPI description.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("eduplan")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    screenshot(page, "22-api-docs")
    assert errors == []


def test_office_subscribes_its_phone_calendar(page: Page, sign_in, screenshot, browser, server) -> None:
    sign_in(page, "jijiao")
    page.locator("header nav").get_by_role("link", name="科室与学校").click()
    expect(page.get_by_role("heading", name="基教股", exact=True)).to_be_visible()
    feed = page.locator("#feed")
    if feed.get_by_role("button", name="生成订阅链接").count():
        feed.get_by_role("button", name="生成订阅链接").click()
    url = feed.get_by_label("订阅链接").input_value()
    assert re.fullmatch(re.escape(server.url) + r"/feeds/[^/]+\.ics", url), url
    screenshot(page, "13-unit-feed")

    # The phone has no session: the link alone is the key.
    anonymous = browser.new_context()
    try:
        response = anonymous.request.get(url)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        body = response.text()
        assert body.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in body
        page.locator("#feed").get_by_role("button", name="停用链接").click()
        expect(page.locator("#feed").get_by_role("button", name="生成订阅链接")).to_be_visible()
        assert anonymous.request.get(url).status == 404
    finally:
        anonymous.close()


def test_plan_made_public_is_readable_without_signing_in(
    corpus, page: Page, sign_in, screenshot, browser, server
) -> None:
    sign_in(page, "admin", "/calendar")
    page.select_option("select[name=plan]", label=DEMO_PLAN)
    page.get_by_role("button", name="筛选").click()
    page.locator("#xingshili td.title a").first.click()
    page.get_by_role("button", name="公开此计划").click()
    public_link = page.get_by_role("link", name="公开页面")
    expect(public_link).to_be_visible()
    public_url = server.url + public_link.get_attribute("href")

    anonymous = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        visitor = anonymous.new_page()
        response = visitor.goto(public_url)
        assert response is not None and response.status == 200
        expect(visitor.locator("h1")).to_contain_text(DEMO_PLAN)
        expect(visitor.locator(".who")).to_have_count(0)
        expect(visitor.get_by_text("进度报告")).to_have_count(0)
        screenshot(visitor, "14-public-plan")

        page.get_by_role("button", name="取消公开").click()
        expect(page.get_by_role("button", name="公开此计划")).to_be_visible()
        assert visitor.goto(public_url).status == 404
    finally:
        anonymous.close()


def test_administrator_makes_an_account_that_signs_in(page: Page, sign_in, browser, server) -> None:
    sign_in(page, "admin", "/admin/users")
    form = page.locator('form[action="/admin/users"]')
    form.locator("input[name=username]").fill("chengxiao")
    form.locator("input[name=display_name]").fill("城关小学教务处")
    form.locator("input[name=password]").fill("chengxiao-2026")
    form.locator("select[name=role]").select_option(label="学校")
    form.locator("select[name=org_id]").select_option(label="城关小学（学校）")
    form.get_by_role("button", name="创建").click()
    expect(page.locator("table")).to_contain_text("chengxiao")

    newcomer = browser.new_context(base_url=server.url)
    try:
        tab = newcomer.new_page()
        tab.goto("/login")
        tab.fill("input[name=username]", "chengxiao")
        tab.fill("input[name=password]", "chengxiao-2026")
        tab.click("button[type=submit]")
        expect(tab.locator(".who")).to_contain_text("城关小学教务处")
        expect(tab.locator(".who")).to_contain_text("学校 · 城关小学")
    finally:
        newcomer.close()
