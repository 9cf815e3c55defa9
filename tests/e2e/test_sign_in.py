"""Signing in and out as each demo account: the header names the person and their role."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from eduplan.demo.bureau import DEMO_USERS
from eduplan.web.auth import ROLE_LABELS

PASSWORDS = {username: password for username, password, *_ in DEMO_USERS}


def test_login_page(page, screenshot) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    screenshot(page, "01-login")


def test_wrong_password_is_refused_in_chinese(page) -> None:
    page.goto("/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_have_text("用户名或密码不对")
    expect(page.locator(".who")).to_have_count(0)


@pytest.mark.parametrize(("username", "role", "org", "display"), [u[0:1] + u[2:] for u in DEMO_USERS])
def test_each_role_signs_in_and_out(
    page, sign_in, username: str, role: str, org: str | None, display: str
) -> None:
    sign_in(page, username)
    expect(page).to_have_url(re.compile(r"/$"))
    who = page.locator(".who")
    expect(who).to_contain_text(display)
    expect(who).to_contain_text(ROLE_LABELS[role])
    if org:
        expect(who).to_contain_text(org)
    nav = page.locator("header nav")
    expect(nav.get_by_role("link", name="行事历")).to_be_visible()
    # Only the bureau's administrator imports documents and manages accounts.
    expect(nav.get_by_role("link", name="导入")).to_have_count(1 if role == "admin" else 0)
    expect(nav.get_by_role("link", name="管理")).to_have_count(1 if role == "admin" else 0)

    who.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    assert PASSWORDS[username]  # every demo account has a password printed by `eduplan demo`
