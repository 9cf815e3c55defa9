"""The Content-Security-Policy in a real browser: the pages that run scripts (dashboard chart,
import upload with its progress bar, phone-calendar link, API docs) work under it with no
violation reported, and the policy is really enforced (an injected inline script is refused)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""
"""Added by Playwright before any page script runs (not subject to the page's policy)."""

PLAN_TEXT = "示例县教育局2026年春季工作安排\n\n一、三月份\n1. 3月2日—6日，开学工作检查。（基教股）\n"


@pytest.fixture
def watched(page: Page) -> tuple[Page, list[str]]:
    """The page, and the policy violations and script errors it reports (console included)."""
    problems: list[str] = []
    page.add_init_script(WATCH)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if msg.type == "error" or "Content Security Policy" in msg.text
            else None
        ),
    )
    return page, problems


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_the_dashboard_chart_draws(watched, sign_in) -> None:
    page, problems = watched
    sign_in(page, "admin")
    canvas = page.locator("#completion-chart")
    expect(canvas).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('completion-chart'))"
    )
    box = page.locator(".chart-box")
    wanted = int(box.get_attribute("data-height"))
    assert box.evaluate("b => b.style.height") == f"{wanted}px"  # set by charts.js, not inline
    assert box.bounding_box()["height"] == pytest.approx(wanted, abs=1)
    bars = page.evaluate(
        "() => Chart.getChart(document.getElementById('completion-chart')).data.labels.length"
    )
    assert bars == page.locator("#completion-table tbody tr[data-label]").count() > 0
    assert violations(page) == [] and problems == []


def test_import_upload_with_progress_bar(watched, sign_in, tmp_path) -> None:
    page, problems = watched
    document = tmp_path / "csp-plan.txt"
    document.write_text(PLAN_TEXT, encoding="utf-8")
    uploads = []
    page.on(
        "request",
        lambda r: (
            uploads.append(r.resource_type) if r.method == "POST" and r.url.endswith("/import") else None
        ),
    )
    sign_in(page, "admin", "/import")
    page.set_input_files("input[name=file]", str(document))
    page.get_by_role("button", name="上传并预览").click()
    expect(page).to_have_url(re.compile(r"/import/\d+$"))
    expect(page.get_by_role("heading", name="核对导入：csp-plan.txt")).to_be_visible()
    assert uploads == ["xhr"], "import.js sent the upload (with its progress bar), not the plain form"
    assert violations(page) == [] and problems == []


def test_the_feed_link_selects_itself(watched, sign_in) -> None:
    page, problems = watched
    sign_in(page, "jiaoyan", "/units")
    feed = page.locator("#feed")
    if feed.get_by_role("button", name="生成订阅链接").count():
        feed.get_by_role("button", name="生成订阅链接").click()
    link = feed.get_by_label("订阅链接")
    link.focus()
    selected = link.evaluate("i => i.value.substring(i.selectionStart, i.selectionEnd)")
    assert selected == link.input_value() and selected.endswith(".ics")
    assert violations(page) == [] and problems == []


def test_pages_report_no_violation(watched, sign_in) -> None:
    page, problems = watched
    sign_in(page, "admin")
    for path in ("/calendar", "/calendar/month", "/targets", "/units", "/admin/users", "/api/docs"):
        page.goto(path)
        page.wait_for_load_state("load")
        assert violations(page) == [], path
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()  # swagger-ui started
    assert violations(page) == [] and problems == []


def test_an_injected_inline_script_is_refused(watched, sign_in) -> None:
    page, problems = watched
    sign_in(page, "admin", "/calendar")
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__ran = true";
          document.body.appendChild(s);
          const d = document.createElement("div");
          d.setAttribute("onclick", "window.__clicked = true");
          document.body.appendChild(d);
          d.click();
        }"""
    )
    page.wait_for_function("() => window.__csp.length >= 2")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__clicked") is None
    assert all(v.startswith("script-src") for v in violations(page)), violations(page)
    assert any("Content Security Policy" in p for p in problems)  # the console says so too
