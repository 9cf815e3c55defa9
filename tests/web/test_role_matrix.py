"""Every route of the app × every role → the outcome the role policy promises.

``EXPECT`` has an entry for each (method, path template) of the app; ``test_every_route_has_an_entry``
fails when a route is added without one (or an entry outlives its route), so nobody adds a page
or an endpoint without deciding, here, who may use it.

Outcome classes: ``ok`` (2xx, or a redirect that does not go to the login page), ``login``
(401, or a redirect to /login), ``403``, ``404``, ``409`` (allowed to ask, but the bureau's
rules send it another way: an office's direct 销号 through the API, which must be applied for).
A request is made for each case of a route with every role; ids name objects of the seeded demo
bureau, and each route taking an id also has a case with an object of ANOTHER bureau: never
reachable from the demo bureau (404), except where a role check refuses first without looking
anything up (403 for an admin-only route).

Every response is also checked for the security headers, and every page for inline code the
Content-Security-Policy would block (``csp_problems``). The hardening section adds cases with
another office's and another school's objects, and the last tests check that public pages and
feeds show nothing unpublished, another unit's or another bureau's.

Roles: anonymous; admin (局办公室); office = 基教股; office2 = 教研室; school = 城关中学;
school2 = 第二中学; guest. Sample items: 开学工作检查 (基教股, 各学校) · 教研活动周 (教研室) ·
城关中学开放日 (城关中学) · 第二中学安全演练 (第二中学) · 全县教师大会 (办公室).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eduplan.demo.bureau import DEMO_USERS
from eduplan.ledger import corrections
from eduplan.ledger.accounts import create_user
from eduplan.ledger.clock import now
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import (
    ApiToken,
    Attachment,
    FeedToken,
    Item,
    Organisation,
    Plan,
    ProgressReport,
    User,
    WebSession,
)
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.supervise import closing_review, progress, supervision
from eduplan.text import normalize
from eduplan.web.headers import inline_code_found
from eduplan.web.security import new_token, token_digest

ROLES = ("admin", "office", "office2", "school", "school2", "guest")
ORDER = ("anonymous", "guest", "school2", "school", "office2", "office", "admin")
"""Requests go from the least to the most privileged, so a refused request is made before an
allowed one changes anything (a deleted token, a discarded draft)."""
ROLE_USER = {
    "admin": "admin",
    "office": "jijiao",
    "office2": "jiaoyan",
    "school": "chengguan",
    "school2": "dierzhong",
    "guest": "guest",
}
PASSWORDS = {username: password for username, password, *_ in DEMO_USERS}
SKIPPED = ("/static", "/api/docs", "/docs/oauth2-redirect", "/api/v1/openapi.json")
OTHER_BUREAU = "另一县教育局"
OUTCOMES = {"ok", "login", "403", "404", "409"}


def E(outcomes: str, anonymous: str = "login") -> dict[str, str]:
    """Expectations written as six words for admin office office2 school school2 guest."""
    words = outcomes.split()
    assert len(words) == len(ROLES) and set(words) <= OUTCOMES, outcomes
    return {"anonymous": anonymous, **dict(zip(ROLES, words, strict=True))}


EVERYONE = E("ok ok ok ok ok ok")
ADMIN_ONLY = E("ok 403 403 403 403 403")
FOREIGN = E("404 404 404 404 404 404")
FOREIGN_ADMIN_ONLY = E("404 403 403 403 403 403")  # the role check refuses before any lookup
PUBLIC = E("ok ok ok ok ok ok", anonymous="ok")
NOWHERE = E("404 404 404 404 404 404", anonymous="404")

# What the policy says about single items (permissions.py), by item:
SEE = {
    "开学工作检查": EVERYONE,  # 各学校: every school
    "城关中学开放日": E("ok ok ok ok 403 ok"),
    "第二中学安全演练": E("ok ok ok 403 ok ok"),
}
EDIT = {  # admin, or the office responsible
    "开学工作检查": E("ok ok 403 403 403 403"),
    "教研活动周": E("ok 403 ok 403 403 403"),
}
REPORT = {  # admin, the office responsible, a school assigned (or all schools)
    "开学工作检查": E("ok ok 403 ok ok 403"),
    "城关中学开放日": E("ok 403 403 ok 403 403"),
}
UNIT_PAGE = {  # admin, or the unit itself
    "基教股": E("ok ok 403 403 403 403"),
    "城关中学": E("ok 403 403 ok 403 403"),
}


@dataclass
class Case:
    """One request: path parameters as names of world objects, a body, the expected outcomes."""

    args: dict[str, str]
    expect: dict[str, str]
    form: dict[str, str] | None = None
    json: dict | None = None
    files: dict | None = None


def C(expect, form=None, json=None, files=None, **args) -> Case:
    return Case(args, expect, form, json, files)


PLAN_TEXT = "示例县教育局2024年冬季工作安排\n\n一、十二月份\n1. 12月2日—6日，控辍保学督查。（督导室）\n"
UPLOAD = {"file": ("plan.txt", PLAN_TEXT.encode(), "text/plain")}
STATUS = {"status": "in_progress"}
REPORT_FORM = {"text": "已完成自查", "percent": "50"}
REPORT_JSON = {"text": "已完成自查", "percent": 50}
REVIEW_TARGET = {"action": "add", "indicator": "矩阵指标", "op": ">=", "value": "90", "unit": "%"}
REVIEW_TEACH = {"kind": "header_role", "key": "矩阵表头", "value": "units"}
TERM = {"name": "矩阵学期", "start": "2031-02-17", "end": "2031-07-05", "week1_start": "2031-02-17"}

EXPECT: dict[tuple[str, str], list[Case]] = {
    # ---------------------------------------------------------------- signing in
    ("GET", "/login"): [C(PUBLIC)],
    ("POST", "/login"): [C(PUBLIC, form={"username": "guest", "password": PASSWORDS["guest"], "next": "/"})],
    # Signing out always lands on the login page, signed in or not.
    ("POST", "/logout"): [C(E("login login login login login login"))],
    # ---------------------------------------------------------------- pages everyone signed in reads
    ("GET", "/"): [C(EVERYONE)],
    ("GET", "/calendar"): [C(EVERYONE)],
    ("GET", "/calendar/month"): [C(EVERYONE)],
    # The calendar's downloads: what the page shows the same person (tests/web/test_calendar_export.py).
    ("GET", "/calendar/export.{fmt}"): [C(EVERYONE, fmt="xlsx"), C(EVERYONE, fmt="docx")],
    ("GET", "/targets"): [C(EVERYONE)],
    ("GET", "/search"): [C(EVERYONE)],  # what each finds: tests/web/test_search_page.py
    # ---------------------------------------------------------------- import (the bureau office)
    ("GET", "/import"): [C(ADMIN_ONLY)],
    ("POST", "/import"): [C(ADMIN_ONLY, files=UPLOAD)],
    ("GET", "/import/jobs/{job_id}"): [
        C(ADMIN_ONLY, job_id="job"),
        C(FOREIGN_ADMIN_ONLY, job_id="foreign:job"),
    ],
    ("GET", "/import/{draft_id}"): [
        C(ADMIN_ONLY, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, draft_id="foreign:draft"),
    ],
    ("POST", "/import/{draft_id}"): [
        C(ADMIN_ONLY, form={}, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, form={}, draft_id="foreign:draft"),
    ],
    # The review (issue 14): 管理员 and offices given import rights (none in this world; the
    # granted office is tested in tests/web/test_import_review.py). Each form here succeeds.
    ("GET", "/import/{draft_id}/review"): [
        C(ADMIN_ONLY, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, draft_id="foreign:draft"),
    ],
    ("POST", "/import/{draft_id}/review/items"): [
        C(ADMIN_ONLY, form={"action": "add", "title": "矩阵事项"}, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, form={"action": "add", "title": "矩阵事项"}, draft_id="foreign:draft"),
    ],
    ("POST", "/import/{draft_id}/review/header"): [
        C(ADMIN_ONLY, form={"issuer": "矩阵县教育局"}, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, form={"issuer": "矩阵县教育局"}, draft_id="foreign:draft"),
    ],
    ("POST", "/import/{draft_id}/review/targets"): [
        C(ADMIN_ONLY, form=REVIEW_TARGET, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, form=REVIEW_TARGET, draft_id="foreign:draft"),
    ],
    # Nothing waits for a decision: an id already decided (or never there) is passed over.
    ("POST", "/import/{draft_id}/review/decide"): [
        C(ADMIN_ONLY, form={"correction": "999999", "keep": "0"}, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, form={"correction": "999999", "keep": "0"}, draft_id="foreign:draft"),
    ],
    ("POST", "/import/{draft_id}/review/teach"): [
        C(ADMIN_ONLY, form=REVIEW_TEACH, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, form=REVIEW_TEACH, draft_id="foreign:draft"),
    ],
    ("POST", "/import/{draft_id}/review/publish"): [
        C(ADMIN_ONLY, form={}, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, form={}, draft_id="foreign:draft"),
    ],
    ("POST", "/import/{draft_id}/publish"): [
        C(ADMIN_ONLY, form={}, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, form={}, draft_id="foreign:draft"),
    ],
    ("POST", "/import/{draft_id}/discard"): [
        C(ADMIN_ONLY, draft_id="draft"),
        C(FOREIGN_ADMIN_ONLY, draft_id="foreign:draft"),
    ],
    # ---------------------------------------------------------------- items, reports, attachments
    ("GET", "/items/{item_id}"): [
        *(C(expect, item_id=f"item:{title}") for title, expect in SEE.items()),
        C(FOREIGN, item_id="foreign:item"),
    ],
    ("POST", "/items/{item_id}/status"): [
        *(C(expect, form=STATUS, item_id=f"item:{title}") for title, expect in EDIT.items()),
        C(FOREIGN, form=STATUS, item_id="foreign:item"),
    ],
    ("POST", "/items/{item_id}/reports"): [
        *(C(expect, form=REPORT_FORM, item_id=f"item:{title}") for title, expect in REPORT.items()),
        C(FOREIGN, form=REPORT_FORM, item_id="foreign:item"),
    ],
    # 城关中学's report on 开学工作检查: the bureau office, the office responsible, 城关中学 itself.
    ("GET", "/attachments/{attachment_id}"): [
        C(E("ok ok 403 ok 403 403"), attachment_id="attachment"),
        C(FOREIGN, attachment_id="foreign:attachment"),
    ],
    # ---------------------------------------------------------------- units and subscription links
    # The list is the bureau office's; an office or school is sent to its own page; a guest has none.
    ("GET", "/units"): [C(E("ok ok ok ok ok 403"))],
    ("GET", "/units/{org_id}"): [
        *(C(expect, org_id=f"org:{name}") for name, expect in UNIT_PAGE.items()),
        C(FOREIGN, org_id="foreign:org"),
    ],
    ("POST", "/units/{org_id}/feed"): [
        *(C(expect, org_id=f"org:{name}") for name, expect in UNIT_PAGE.items()),
        C(FOREIGN, org_id="foreign:org"),
    ],
    ("POST", "/units/{org_id}/feed/revoke"): [
        *(C(expect, org_id=f"org:{name}") for name, expect in UNIT_PAGE.items()),
        C(FOREIGN, org_id="foreign:org"),
    ],
    # The secret link is the credential: it works for anyone holding it, whatever bureau.
    ("GET", "/feeds/{token}.ics"): [
        C(PUBLIC, token="feed"),
        C(PUBLIC, token="foreign:feed"),
        C(NOWHERE, token="revoked:feed"),
    ],
    # ---------------------------------------------------------------- the public calendar
    ("POST", "/plans/{plan_id}/publish-public"): [
        C(ADMIN_ONLY, form={}, plan_id="plan"),
        C(FOREIGN_ADMIN_ONLY, form={}, plan_id="foreign:plan"),
    ],
    ("POST", "/plans/{plan_id}/unpublish-public"): [
        C(ADMIN_ONLY, form={}, plan_id="plan"),
        C(FOREIGN_ADMIN_ONLY, form={}, plan_id="foreign:plan"),
    ],
    # The sample plan is public in this world; the other bureau's plan is not.
    ("GET", "/public/plans/{plan_id}"): [C(PUBLIC, plan_id="plan"), C(NOWHERE, plan_id="foreign:plan")],
    # ---------------------------------------------------------------- 管理
    ("GET", "/admin"): [C(ADMIN_ONLY)],
    ("GET", "/admin/users"): [C(ADMIN_ONLY)],
    ("GET", "/admin/units"): [C(ADMIN_ONLY)],
    ("GET", "/admin/hints"): [C(ADMIN_ONLY)],
    ("GET", "/admin/units/bulk"): [C(ADMIN_ONLY)],
    ("POST", "/admin/units/{org_id}/import-rights"): [
        C(ADMIN_ONLY, form={"grant": "1"}, org_id="org:基教股"),
        C(FOREIGN_ADMIN_ONLY, form={"grant": "1"}, org_id="foreign:org"),
    ],
    # The ticked spare unit accepted (the other bureau's units are never listed, so never changed).
    ("POST", "/admin/units/bulk"): [C(ADMIN_ONLY, form={"unit": "org:备用股", "bulk_action": "accept"})],
    ("POST", "/admin/hints/{hint_id}/revoke"): [
        C(ADMIN_ONLY, hint_id="hint"),
        C(FOREIGN_ADMIN_ONLY, hint_id="foreign:hint"),
    ],
    ("GET", "/admin/terms"): [C(ADMIN_ONLY)],
    ("GET", "/admin/holidays"): [C(ADMIN_ONLY)],
    ("POST", "/admin/users"): [
        C(ADMIN_ONLY, form={"username": "matrix", "password": "matrix-2027", "role": "guest"}),
        C(
            FOREIGN_ADMIN_ONLY,
            form={"username": "m2", "password": "matrix-2027", "role": "school", "org_id": "foreign:org"},
        ),
    ],
    ("POST", "/admin/users/{user_id}/deactivate"): [
        C(ADMIN_ONLY, user_id="user:spare"),
        C(FOREIGN_ADMIN_ONLY, user_id="foreign:user"),
    ],
    ("POST", "/admin/users/{user_id}/activate"): [
        C(ADMIN_ONLY, user_id="user:spare"),
        C(FOREIGN_ADMIN_ONLY, user_id="foreign:user"),
    ],
    ("POST", "/admin/users/{user_id}/password"): [
        C(ADMIN_ONLY, form={"password": "reset-2027", "confirm": "reset-2027"}, user_id="user:spare"),
        C(
            FOREIGN_ADMIN_ONLY,
            form={"password": "reset-2027", "confirm": "reset-2027"},
            user_id="foreign:user",
        ),
    ],
    # A role change and signing a user out everywhere end that user's sessions (issue 13).
    ("POST", "/admin/users/{user_id}/role"): [
        C(ADMIN_ONLY, form={"role": "guest"}, user_id="user:spare"),
        C(FOREIGN_ADMIN_ONLY, form={"role": "guest"}, user_id="foreign:user"),
    ],
    ("POST", "/admin/users/{user_id}/sessions/end"): [
        C(ADMIN_ONLY, user_id="user:spare"),
        C(FOREIGN_ADMIN_ONLY, user_id="foreign:user"),
    ],
    ("POST", "/admin/units"): [C(ADMIN_ONLY, form={"name": "矩阵股", "kind": "office"})],
    ("POST", "/admin/units/merge"): [
        C(ADMIN_ONLY, form={"alias_id": "org:备用股", "into_id": "org:备用室"}),
        C(FOREIGN_ADMIN_ONLY, form={"alias_id": "foreign:org", "into_id": "org:备用室"}),
    ],
    ("POST", "/admin/units/{org_id}/rename"): [
        C(ADMIN_ONLY, form={"name": "备用股（改）", "kind": "office"}, org_id="org:备用股"),
        C(FOREIGN_ADMIN_ONLY, form={"name": "改名", "kind": "office"}, org_id="foreign:org"),
    ],
    ("POST", "/admin/units/{org_id}/review"): [
        C(ADMIN_ONLY, org_id="org:备用股"),
        C(FOREIGN_ADMIN_ONLY, org_id="foreign:org"),
    ],
    ("POST", "/admin/terms"): [C(ADMIN_ONLY, form=TERM)],
    ("POST", "/admin/holidays"): [C(ADMIN_ONLY, form={"text": "2031-01-01 元旦 休"})],
    # ---------------------------------------------------------------- the JSON API
    ("GET", "/api/v1/me"): [C(EVERYONE)],
    ("GET", "/api/v1/plans"): [C(EVERYONE)],
    ("GET", "/api/v1/plans/{plan_id}"): [C(EVERYONE, plan_id="plan"), C(FOREIGN, plan_id="foreign:plan")],
    ("GET", "/api/v1/items"): [C(EVERYONE)],
    ("GET", "/api/v1/items/{item_id}"): [
        *(C(expect, item_id=f"item:{title}") for title, expect in SEE.items()),
        C(FOREIGN, item_id="foreign:item"),
    ],
    ("PATCH", "/api/v1/items/{item_id}"): [
        *(C(expect, json=STATUS, item_id=f"item:{title}") for title, expect in EDIT.items()),
        C(FOREIGN, json=STATUS, item_id="foreign:item"),
    ],
    # Visible item → 200 with only the reports one may see; an item one may not see → 403.
    ("GET", "/api/v1/items/{item_id}/reports"): [
        *(C(expect, item_id=f"item:{title}") for title, expect in SEE.items()),
        C(FOREIGN, item_id="foreign:item"),
    ],
    ("POST", "/api/v1/items/{item_id}/reports"): [
        *(C(expect, json=REPORT_JSON, item_id=f"item:{title}") for title, expect in REPORT.items()),
        C(FOREIGN, json=REPORT_JSON, item_id="foreign:item"),
    ],
    ("GET", "/api/v1/targets"): [C(EVERYONE)],
    ("GET", "/api/v1/units"): [C(EVERYONE)],
    ("POST", "/api/v1/tokens"): [C(EVERYONE, json={"name": "矩阵"})],
    ("GET", "/api/v1/tokens"): [C(EVERYONE)],
    # Only the owner (here: admin) may revoke a token; to anyone else it does not exist.
    ("DELETE", "/api/v1/tokens/{token_id}"): [
        C(E("ok 404 404 404 404 404"), token_id="token:admin"),
        C(FOREIGN, token_id="foreign:token"),
    ],
    # ---------------------------------------------------------------- 账号与安全 (one's own)
    # Everyone signed in sees their own sessions and changes their own password (a wrong old
    # password is told on the page after the redirect); a session is ended only by its owner
    # (here: admin's second browser), to anyone else it does not exist.
    ("GET", "/account"): [C(EVERYONE)],
    ("POST", "/account/password"): [
        C(EVERYONE, form={"old_password": "not-it", "password": "matrix-2028", "confirm": "matrix-2028"})
    ],
    ("POST", "/account/sessions/end-others"): [C(EVERYONE)],
    ("POST", "/account/sessions/{session_id}/end"): [
        C(E("ok 404 404 404 404 404"), session_id="session:admin"),
        C(FOREIGN, session_id="foreign:session"),
    ],
    # ---------------------------------------------------------------- 销号, reopening and 督办
    # 销号 and reopening: the bureau office or the office responsible (第二中学安全演练 and
    # 全县教师大会 have none with an account: the bureau office alone; the responsible office is
    # tried in tests/web/test_closing_pages.py). In this world 全县教师大会 is already closed.
    ("POST", "/items/{item_id}/close"): [
        C(ADMIN_ONLY, form={"text": "已完成"}, item_id="item:第二中学安全演练"),
        C(FOREIGN, form={"text": "已完成"}, item_id="foreign:item"),
    ],
    ("POST", "/items/{item_id}/reopen"): [
        C(ADMIN_ONLY, form={"reason": "需要补充"}, item_id="item:全县教师大会"),
        C(FOREIGN, form={"reason": "需要补充"}, item_id="foreign:item"),
    ],
    # 督办: leaders (the bureau office) only; lifting when nothing is supervised is no error.
    ("POST", "/items/{item_id}/supervise"): [
        C(ADMIN_ONLY, form={"deadline": "2099-12-31", "note": "限期办结"}, item_id="item:开学工作检查"),
        C(FOREIGN, form={"deadline": "2099-12-31", "note": "限期办结"}, item_id="foreign:item"),
    ],
    ("POST", "/items/{item_id}/supervise/lift"): [
        C(ADMIN_ONLY, item_id="item:开学工作检查"),
        C(FOREIGN, item_id="foreign:item"),
    ],
    # An office responsible may not close directly (the bureau reviews 销号 by default): 409,
    # pointing to 申请销号; the bureau office (the reviewer) closes.
    ("POST", "/api/v1/items/{item_id}/close"): [
        C(ADMIN_ONLY, json={"text": "已完成"}, item_id="item:第二中学安全演练"),
        C(E("ok 409 403 403 403 403"), json={"text": "已完成"}, item_id="item:开学工作检查"),
        C(FOREIGN, json={"text": "已完成"}, item_id="foreign:item"),
    ],
    ("POST", "/api/v1/items/{item_id}/reopen"): [
        C(ADMIN_ONLY, json={"reason": "需要补充"}, item_id="item:全县教师大会"),
        C(FOREIGN, json={"reason": "需要补充"}, item_id="foreign:item"),
    ],
    ("POST", "/api/v1/items/{item_id}/supervision"): [
        C(ADMIN_ONLY, json={"deadline": "2099-12-31", "note": "限期办结"}, item_id="item:开学工作检查"),
        C(FOREIGN, json={"deadline": "2099-12-31", "note": "限期办结"}, item_id="foreign:item"),
    ],
    ("DELETE", "/api/v1/items/{item_id}/supervision"): [
        C(ADMIN_ONLY, item_id="item:开学工作检查"),
        C(FOREIGN, item_id="foreign:item"),
    ],
    # ---------------------------------------------------------------- reminders and notifications
    # Everyone reads their own unit's notifications (none for admin and guest, who have no unit).
    ("GET", "/notifications"): [C(EVERYONE)],
    ("POST", "/notifications/read-all"): [C(EVERYONE)],
    # The bureau office sees every unit's settings; a unit is sent to its own; a guest has none.
    ("GET", "/notifications/settings"): [C(E("ok ok ok ok ok 403"))],
    # A unit's reminder settings: the bureau office, or the unit itself (like its unit page).
    ("GET", "/notifications/settings/{org_id}"): [
        *(C(expect, org_id=f"org:{name}") for name, expect in UNIT_PAGE.items()),
        C(FOREIGN, org_id="foreign:org"),
    ],
    ("POST", "/notifications/settings/{org_id}"): [
        *(
            C(expect, form={"channels": "inapp", "quiet_weekends": "1"}, org_id=f"org:{name}")
            for name, expect in UNIT_PAGE.items()
        ),
        C(FOREIGN, form={"channels": "inapp"}, org_id="foreign:org"),
    ],
    # ---------------------------------------------------------------- the supervision dashboard
    # 督办: admin, offices and schools (an office or school sees its own unit's overdue items and
    # trend, and the bureau-wide 办结率 read-only); a guest sees nothing of it.
    ("GET", "/supervision"): [C(E("ok ok ok ok ok 403"))],
    **{
        ("GET", f"/supervision/export/{table}.xlsx"): [C(E("ok ok ok ok ok 403"))]
        for table in ("completion", "overdue", "trend", "targets")
    },
    # A target's actual: admin, or the target's office (基教股 for the one on 开学工作检查's line);
    # schools and guests are refused before any lookup, another bureau's target is not found.
    ("POST", "/targets/actuals"): [
        C(E("ok ok 403 403 403 403"), form={"target_id": "target", "value": "98.5", "as_of": ""}),
        C(E("404 404 404 403 403 403"), form={"target_id": "foreign:target", "value": "98.5"}),
    ],
    # ---------------------------------------------------------------- summary, next term, year over year
    # Next term's draft: the bureau office only (it lands on the import screen); another bureau's
    # plan is 404 for it. The comparison: the bureau office and offices; without two plans chosen
    # the page shows its form and the workbook sends back to it.
    ("GET", "/reports/next-term"): [C(ADMIN_ONLY)],
    ("POST", "/reports/next-term"): [
        C(ADMIN_ONLY, form={"plan": "plan", "start": "2025-02-17"}),
        C(FOREIGN_ADMIN_ONLY, form={"plan": "foreign:plan", "start": "2025-02-17"}),
    ],
    ("GET", "/reports/compare"): [C(E("ok ok ok 403 403 403"))],
    ("GET", "/reports/compare.xlsx"): [C(E("ok ok ok 403 403 403"))],
    # The index opens for everyone (the drafts are listed for admin and offices only). A summary
    # draft is internal: admin and offices; schools and guests are refused before any lookup.
    # Without ?plan= the draft routes send admin and offices back to the index (plan, half and
    # another bureau's plan: tests/web/test_summary_page.py).
    ("GET", "/reports"): [C(EVERYONE)],
    ("GET", "/reports/summary"): [C(E("ok ok ok 403 403 403"))],
    ("GET", "/reports/summary.docx"): [C(E("ok ok ok 403 403 403"))],
    # ---------------------------------------------------------------- work sent down to schools
    # The reply table: the bureau office and the office responsible see every school's row; a
    # school the item is asked of sees its own row; a 各小学 item is no middle school's.
    ("GET", "/items/{item_id}/replies"): [
        C(E("ok ok 403 ok ok 403"), item_id="item:开学工作检查"),
        C(E("ok ok 403 403 403 403"), item_id="item:全县小学质量监测"),
        C(E("ok 403 ok 403 403 403"), item_id="item:教研活动周"),
        C(FOREIGN, item_id="foreign:item"),
    ],
    # 分发 and 催办: the bureau office and the office responsible (repeating either is no error).
    ("POST", "/items/{item_id}/distribute"): [
        C(E("ok ok 403 403 403 403"), item_id="item:开学工作检查"),
        C(FOREIGN, item_id="foreign:item"),
    ],
    ("POST", "/items/{item_id}/replies/remind"): [
        C(E("ok ok 403 403 403 403"), item_id="item:开学工作检查"),
        C(FOREIGN, item_id="foreign:item"),
    ],
    # Closing with a reason: who may close (全县学校自查 has no office: the bureau office alone).
    ("POST", "/items/{item_id}/replies/close"): [
        C(ADMIN_ONLY, form={"reason": "已另行安排"}, item_id="item:全县学校自查"),
        C(FOREIGN, form={"reason": "已另行安排"}, item_id="foreign:item"),
    ],
    # A school's own assignment: schools the item is asked of, nobody else (not even admin).
    ("POST", "/items/{item_id}/assignment/report"): [
        C(E("403 403 403 ok ok 403"), form=REPORT_FORM, item_id="item:开学工作检查"),
        C(E("403 403 403 403 403 403"), form=REPORT_FORM, item_id="item:全县小学质量监测"),
        C(FOREIGN, form=REPORT_FORM, item_id="foreign:item"),
    ],
    ("POST", "/items/{item_id}/assignment/apply"): [
        C(E("403 403 403 ok ok 403"), form={"text": "已完成"}, item_id="item:分发申请演练"),
        C(FOREIGN, form={"text": "已完成"}, item_id="foreign:item"),
    ],
    # 申请销号 of a whole item: who may close it (全县教师培训登记: the bureau office alone).
    ("POST", "/items/{item_id}/apply"): [
        C(ADMIN_ONLY, form={"text": "已完成"}, item_id="item:全县教师培训登记"),
        C(FOREIGN, form={"text": "已完成"}, item_id="foreign:item"),
    ],
    # Review: a school's application by the item's lead office (基教股), an item's own by the
    # bureau office; another bureau's application is not found.
    ("POST", "/closing-requests/{request_id}/review"): [
        C(
            E("403 ok 403 403 403 403"),
            form={"decision": "return", "note": "请补充材料"},
            request_id="request:school",
        ),
        C(ADMIN_ONLY, form={"decision": "pass", "note": ""}, request_id="request:item"),
        C(FOREIGN, form={"decision": "pass", "note": ""}, request_id="foreign:request"),
    ],
    # School types and groups (管理 · 科室与学校): the bureau office; another bureau's unit is not found.
    ("POST", "/admin/units/school-type"): [
        C(ADMIN_ONLY, form={"org_id": "org:城关中学", "school_type": "junior"}),
        C(FOREIGN_ADMIN_ONLY, form={"org_id": "foreign:org", "school_type": "junior"}),
    ],
    ("POST", "/admin/units/group"): [
        C(ADMIN_ONLY, form={"org_id": "org:各学校", "group_key": "all"}),
        C(FOREIGN_ADMIN_ONLY, form={"org_id": "foreign:group", "group_key": "all"}),
    ],
    # An actual's evidence file: whoever sees the target (everyone of the bureau signed in).
    ("GET", "/targets/files/{file_id}"): [
        C(EVERYONE, file_id="evidence"),
        C(FOREIGN, file_id="foreign:evidence"),
    ],
    # A target's lead unit (it reports the actuals): the bureau office names it.
    ("POST", "/targets/lead"): [
        C(ADMIN_ONLY, form={"target_id": "target", "org_id": "org:基教股"}),
        C(FOREIGN_ADMIN_ONLY, form={"target_id": "foreign:target", "org_id": ""}),
    ],
    # The same through the API. The reply table: the bureau office and the office responsible; a
    # school reads, reports on and applies for only its own assignment (the viewer's school is
    # the one acted on: no id of another school's assignment is taken).
    ("GET", "/api/v1/items/{item_id}/assignments"): [
        C(E("ok ok 403 403 403 403"), item_id="item:开学工作检查"),
        C(E("ok ok 403 403 403 403"), item_id="item:全县小学质量监测"),
        C(E("ok 403 ok 403 403 403"), item_id="item:教研活动周"),
        C(FOREIGN, item_id="foreign:item"),
    ],
    ("GET", "/api/v1/items/{item_id}/assignment"): [
        C(E("403 403 403 ok ok 403"), item_id="item:开学工作检查"),
        C(E("403 403 403 403 403 403"), item_id="item:全县小学质量监测"),
        C(FOREIGN, item_id="foreign:item"),
    ],
    ("POST", "/api/v1/items/{item_id}/assignment/reports"): [
        C(E("403 403 403 ok ok 403"), json=REPORT_JSON, item_id="item:开学工作检查"),
        C(E("403 403 403 403 403 403"), json=REPORT_JSON, item_id="item:全县小学质量监测"),
        C(FOREIGN, json=REPORT_JSON, item_id="foreign:item"),
    ],
    ("POST", "/api/v1/items/{item_id}/assignment/apply"): [
        C(E("403 403 403 ok ok 403"), json={"text": "已完成"}, item_id="item:分发申请演练"),
        C(FOREIGN, json={"text": "已完成"}, item_id="foreign:item"),
    ],
    ("POST", "/api/v1/items/{item_id}/apply"): [
        C(ADMIN_ONLY, json={"text": "已完成"}, item_id="item:全县教师培训登记"),
        C(FOREIGN, json={"text": "已完成"}, item_id="foreign:item"),
    ],
    # An office reviews only what it supervises: a school's application on 基教股's item is
    # 基教股's, an item's own application the bureau office's.
    ("POST", "/api/v1/closing-requests/{request_id}/review"): [
        C(
            E("403 ok 403 403 403 403"),
            json={"decision": "return", "note": "请补充材料"},
            request_id="request:school",
        ),
        C(ADMIN_ONLY, json={"decision": "pass"}, request_id="request:item"),
        C(FOREIGN, json={"decision": "pass"}, request_id="foreign:request"),
    ],
    # The figures: what 督办 shows (the bureau-wide 办结率), so not for a guest.
    ("GET", "/api/v1/figures"): [C(E("ok ok ok ok ok 403"))],
    ("GET", "/reviews"): [C(E("ok ok ok 403 403 403"))],
    ("POST", "/admin/closing-mode"): [C(ADMIN_ONLY, form={"one_step": "0"})],
    # ---------------------------------------------------------------- hardening
    # (Routes above get more cases below: another office's and another school's objects by id,
    # a plan never made public. What pages and feeds show is checked by the tests at the end.)
}

SENT_DOWN_ITEMS = {
    "全县小学质量监测": ["基教股", "各小学"],  # no middle school's (城关中学, 第二中学)
    "分发申请演练": ["基教股", "各学校"],
    "回执审核演练": ["基教股", "各学校"],
    "全县学校自查": ["各学校"],  # no office: the bureau office closes it
    "全县教师培训登记": ["各学校"],
    "局级销号演练": ["办公室"],
}
"""Items of the unpublished plan for the routes of work sent down to schools (issue 15)."""
JIAOYAN_REPORT = "教研室内部自查情况"
SUPERVISION_NOTE = "矩阵督办：开放日方案须报局办公室审定"
SUPERVISION_DEADLINE = date(2099, 9, 11)
INTERNAL_ITEM = "内部工作会商"
MORE_CASES: dict[tuple[str, str], list[Case]] = {
    # 教研室's report on its own 教研活动周: not for 基教股 (another office) nor the schools.
    ("GET", "/attachments/{attachment_id}"): [
        C(E("ok 403 ok 403 403 403"), attachment_id="attachment:教研室")
    ],
    # 第二中学's item, unit page and feed: not for 城关中学 (another school) nor the offices.
    ("POST", "/items/{item_id}/reports"): [
        C(E("ok 403 403 403 ok 403"), form=REPORT_FORM, item_id="item:第二中学安全演练")
    ],
    ("POST", "/api/v1/items/{item_id}/reports"): [
        C(E("ok 403 403 403 ok 403"), json=REPORT_JSON, item_id="item:第二中学安全演练")
    ],
    ("GET", "/units/{org_id}"): [C(E("ok 403 403 403 ok 403"), org_id="org:第二中学")],
    ("POST", "/units/{org_id}/feed"): [C(E("ok 403 403 403 ok 403"), org_id="org:第二中学")],
    ("GET", "/notifications/settings/{org_id}"): [C(E("ok 403 403 403 ok 403"), org_id="org:第二中学")],
    # A plan of this bureau never made public has no public page, for anyone.
    ("GET", "/public/plans/{plan_id}"): [C(NOWHERE, plan_id="plan:unpublished")],
}
for _route, _cases in MORE_CASES.items():
    EXPECT[_route] = [*EXPECT.get(_route, []), *_cases]


# ------------------------------------------------------------------------------ the app's routes


def app_routes(app) -> set[tuple[str, str]]:
    """(method, path template) of every route, included routers expanded (FastAPI ≥ 0.13x keeps
    included routers as one entry in ``app.routes``), minus static files and the API docs."""
    try:
        from fastapi.routing import iter_route_contexts

        routes = list(iter_route_contexts(app.routes))
    except ImportError:  # older FastAPI: app.routes is flat
        routes = list(app.routes)
    found = set()
    for route in routes:
        path = route.path
        if path is None or path.startswith(SKIPPED):
            continue
        for method in route.methods or ():
            if method != "HEAD":
                found.add((method, path))
    return found


# ------------------------------------------------------------------------------ the world


def _copy_db(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert match
    return match.group(1)


def _sign_in(app, username: str, password: str) -> TestClient:
    client = TestClient(app)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": _csrf(client), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    client.csrf = _csrf(client)  # signing in starts a new session, with a new CSRF token
    return client


def _build_world(url: str, plan_id: int) -> dict[str, str]:
    """Objects the cases name, in the demo bureau and in another one."""
    factory = sessions(connect(url))
    names: dict[str, str] = {"plan": str(plan_id)}
    with factory.begin() as session:
        demo = session.get(Organisation, session.get(Plan, plan_id).bureau_id)
        orgs = {
            o.name: o for o in session.scalars(select(Organisation).where(Organisation.bureau_id == demo.id))
        }
        for title, item_id in session.execute(select(Item.title, Item.id).where(Item.plan_id == plan_id)):
            names[f"item:{title}"] = str(item_id)
        for name in ("基教股", "城关中学", "各学校"):
            names[f"org:{name}"] = str(orgs[name].id)
        for name, review in (("备用股", True), ("备用室", False)):
            spare = Organisation(
                bureau_id=demo.id, parent_id=demo.id, kind="office", name=name, norm=normalize(name),
                needs_review=review, created_at=now(),
            )  # fmt: skip
            session.add(spare)
            session.flush()
            names[f"org:{name}"] = str(spare.id)
        names["user:spare"] = str(create_user(session, "spare", "spare-2027", "guest", bureau=demo).id)
        session.get(Plan, plan_id).public = True
        names["attachment"] = str(_attachment(session, int(names["item:开学工作检查"]), orgs["城关中学"].id))
        names["feed"] = _feed(session, orgs["城关中学"].id)
        names["revoked:feed"] = _feed(session, orgs["基教股"].id, revoked=True)
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        names["token:admin"] = str(_token(session, admin.id))
        closed = session.get(Item, int(names["item:全县教师大会"]))  # 销号, for the reopen routes
        progress.close(
            session, closed, text="大会已召开", author="局办公室", actor="admin", org_id=None, org_name=None
        )

        other = ParsedPlan(
            source={"name": "other.txt", "format": "txt"},
            title="另一县教育局2024年秋季工作安排",
            issuer=OTHER_BUREAU,
            items=[
                PlanItem(
                    "外县开学检查", "外县开学检查", date(2024, 9, 2), date(2024, 9, 6), ["外县中学", "各学校"]
                )
            ],
        )
        foreign_plan = import_plan(session, other, b"other", bureau=OTHER_BUREAU, actor="test").plan_id
        bureau = get_or_create_bureau(session, OTHER_BUREAU, "test")
        school = school_abroad = session.scalars(
            select(Organisation).where(Organisation.name == "外县中学")
        ).one()
        foreign_item = session.scalars(select(Item.id).where(Item.plan_id == foreign_plan)).one()
        foreign_admin = create_user(session, "waixian", "waixian-2026", "admin", bureau=bureau)
        # Learned hints (the import screen's teaching), one in each bureau.
        names["hint"] = str(
            corrections.learn(session, demo.id, "unit_alias", "基础教育股", "基教股", "test").id
        )
        names["foreign:hint"] = str(
            corrections.learn(session, bureau.id, "unit_alias", "外县股", "外县中学", "test").id
        )
        names |= {
            "session:admin": str(_web_session(session, admin.id)),
            "foreign:session": str(_web_session(session, foreign_admin.id)),
            "foreign:plan": str(foreign_plan),
            "foreign:item": str(foreign_item),
            "foreign:org": str(school.id),
            "foreign:group": str(
                session.scalars(
                    select(Organisation.id).where(
                        Organisation.bureau_id == bureau.id, Organisation.kind == "group"
                    )
                ).one()
            ),
            "foreign:user": str(foreign_admin.id),
            "foreign:attachment": str(_attachment(session, foreign_item, school.id)),
            "foreign:feed": _feed(session, school.id),
            "foreign:token": str(_token(session, foreign_admin.id)),
        }
        # Targets to report actuals on: one read from 开学工作检查's line (so 基教股's), one abroad.
        names["target"] = str(_target(session, plan_id, "开学工作检查"))
        names["foreign:target"] = str(_target(session, foreign_plan, "外县开学检查"))
        names["evidence"] = str(_evidence(session, int(names["target"])))
        names["foreign:evidence"] = str(_evidence(session, int(names["foreign:target"])))
        # Hardening: another office's report, another school's feed, a plan never made public.
        names["attachment:教研室"] = str(
            _attachment(session, int(names["item:教研活动周"]), orgs["教研室"].id, text=JIAOYAN_REPORT)
        )
        names["org:第二中学"] = str(orgs["第二中学"].id)
        # 督办 on 城关中学开放日, which a guest may read but must not see supervised.
        supervision.supervise(
            session,
            session.get(Item, int(names["item:城关中学开放日"])),
            deadline=SUPERVISION_DEADLINE,
            note=SUPERVISION_NOTE,
            actor="admin",
            today=date(2024, 9, 1),
        )
        names["feed:第二中学"] = _feed(session, orgs["第二中学"].id)
        internal = ParsedPlan(
            source={"name": "internal.txt", "format": "txt"},
            title="示例县教育局内部工作安排",
            issuer=demo.name,
            items=[
                PlanItem(INTERNAL_ITEM, INTERNAL_ITEM, date(2024, 10, 8), date(2024, 10, 8), ["城关中学"]),
                *(
                    PlanItem(title, title, date(2024, 10, 9), date(2024, 10, 11), units)
                    for title, units in SENT_DOWN_ITEMS.items()
                ),
            ],
        )
        names["plan:unpublished"] = str(
            import_plan(session, internal, b"internal", bureau=demo.name, actor="test").plan_id
        )
        # 销号 applications waiting for review: 城关中学's on its assignment (基教股 reviews it),
        # the bureau office's own on a whole item (the bureau office reviews it), one abroad.
        items = {t: i for t, i in session.execute(select(Item.title, Item)).all()}
        for title in SENT_DOWN_ITEMS:
            names[f"item:{title}"] = str(items[title].id)
        school = orgs["城关中学"]
        names["request:school"] = str(
            closing_review.apply(
                session, items["回执审核演练"], bureau_id=demo.id, org=school, org_name=school.name,
                author="城关中学", actor="chengguan", text="已完成", for_school=school,
            ).id
        )  # fmt: skip
        names["request:item"] = str(
            closing_review.apply(
                session, items["局级销号演练"], bureau_id=demo.id, org=None, org_name="局办公室",
                author="局办公室", actor="admin", text="已完成",
            ).id
        )  # fmt: skip
        abroad = session.get(Item, foreign_item)
        names["foreign:request"] = str(
            closing_review.apply(
                session, abroad, bureau_id=bureau.id, org=school_abroad, org_name=school_abroad.name,
                author="外县中学", actor="waixian", text="已完成", for_school=school_abroad,
            ).id
        )  # fmt: skip
    factory.kw["bind"].dispose()
    # Drafts come from real uploads, one in each bureau.
    from eduplan.web.app import create_app

    app = create_app(url)
    for key, (username, password) in {
        "draft": ("admin", PASSWORDS["admin"]),
        "foreign:draft": ("waixian", "waixian-2026"),
    }.items():
        client = _sign_in(app, username, password)
        response = client.post(
            "/import", files=UPLOAD, headers={"X-CSRF-Token": client.csrf}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        names[key] = response.headers["location"].rsplit("/", 1)[1]
    with app.state.sessions() as session:  # each upload was read as a job, which keeps its draft
        from eduplan.ledger.models import Job

        for key in ("draft", "foreign:draft"):
            job = session.scalars(select(Job.id).where(Job.draft_id == int(names[key]))).one()
            names[key.replace("draft", "job")] = str(job)
    app.state.engine.dispose()
    return names


def _attachment(session, item_id: int, org_id: int, text: str = "自查报告") -> int:
    report = ProgressReport(
        item_id=item_id, org_id=org_id, author="城关中学", text=text, percent=100, created_at=now()
    )
    session.add(report)
    session.flush()
    body = b"self-check report"
    attachment = Attachment(
        report_id=report.id, filename="自查报告.txt", content_type="text/plain", size=len(body),
        sha256="0" * 64, content=body, created_at=now(),
    )  # fmt: skip
    session.add(attachment)
    session.flush()
    return attachment.id


def _web_session(session, user_id: int) -> int:
    """A signed-in session of the user on another computer."""
    row = WebSession(
        token_hash=token_digest(new_token()), user_id=user_id, created_at=now(), last_seen_at=now(),
        address="10.0.0.9", user_agent="Matrix/1.0",
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def _feed(session, org_id: int, revoked: bool = False) -> str:
    token = FeedToken(
        org_id=org_id, token=new_token(), created_at=now(), revoked_at=now() if revoked else None
    )
    session.add(token)
    session.flush()
    return token.token


def _token(session, user_id: int) -> int:
    token = ApiToken(user_id=user_id, name="对接", token_hash=token_digest(new_token()), created_at=now())
    session.add(token)
    session.flush()
    return token.id


def _target(session, plan_id: int, item_title: str) -> int:
    from eduplan.ledger.models import Target

    line = session.scalars(select(Item.line).where(Item.plan_id == plan_id, Item.title == item_title)).one()
    target = Target(
        plan_id=plan_id, seq=1, indicator="开学检查覆盖率", norm="开学检查覆盖率",
        text="开学检查覆盖率达到100%", op=">=", value=100.0, unit="%", line=line,
    )  # fmt: skip
    session.add(target)
    session.flush()
    return target.id


def _evidence(session, target_id: int) -> int:
    """An actual of the target with one evidence file; the file's id."""
    from eduplan.ledger.models import TargetActual, TargetActualFile

    actual = TargetActual(
        target_id=target_id, value=100.0, as_of=date(2024, 9, 6), author="admin", created_at=now()
    )
    session.add(actual)
    session.flush()
    body = b"inspection sheet"
    found = TargetActualFile(
        actual_id=actual.id, filename="检查记录.txt", content_type="text/plain", size=len(body),
        sha256="0" * 64, content=body, created_at=now(),
    )  # fmt: skip
    session.add(found)
    session.flush()
    return found.id


_TEMPLATE: dict = {}


@pytest.fixture
def world(request, tmp_path):
    """A fresh copy of the world (built once per session), its app and a client per role."""
    if not _TEMPLATE:
        seeded = request.getfixturevalue("seeded")
        names = _build_world(seeded["url"], seeded["plan_id"])
        template = tmp_path.parent / "role-matrix-template.db"
        _copy_db(Path(seeded["url"].removeprefix("sqlite:///")), template)
        _TEMPLATE.update(path=template, names=names)
    path = tmp_path / "world.db"
    _copy_db(_TEMPLATE["path"], path)
    from eduplan.web.app import create_app

    app = create_app(f"sqlite:///{path}")
    clients = {role: _sign_in(app, ROLE_USER[role], PASSWORDS[ROLE_USER[role]]) for role in ROLES}
    anonymous = TestClient(app)
    anonymous.csrf = _csrf(anonymous)
    clients["anonymous"] = anonymous
    yield app, clients, _TEMPLATE["names"]
    app.state.engine.dispose()


# ------------------------------------------------------------------------------ the tests


def outcome(response) -> str:
    if 200 <= response.status_code < 300:
        return "ok"
    if 300 <= response.status_code < 400:
        return "login" if response.headers.get("location", "").startswith("/login") else "ok"
    if response.status_code == 401:
        return "login"
    return str(response.status_code)


def _reason(response) -> str:
    """The refusal's message (JSON detail or the page's alert), to say why in a failure."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return str(response.json().get("detail", ""))[:200]
    found = re.findall(r'class="error"[^>]*>([^<]+)<', response.text)
    return "; ".join(found)[:200]


def csp_problems(response) -> list[str]:
    """Every response carries the security headers; every page is one the policy does not break."""
    problems = []
    policy = response.headers.get("content-security-policy", "")
    if "script-src 'self'" not in policy and "default-src 'none'" not in policy:
        problems.append(f"Content-Security-Policy missing or loose: {policy!r}")
    if response.headers.get("x-content-type-options") != "nosniff":
        problems.append("X-Content-Type-Options: nosniff missing")
    if response.headers.get("content-type", "").startswith("text/html"):
        problems.extend(inline_code_found(response.text))
    return problems


def _resolve(value, names: dict[str, str]):
    return names.get(value, value) if isinstance(value, str) else value


def test_every_route_has_an_entry(world):
    app, _, _ = world
    routes = app_routes(app)
    missing = sorted(routes - set(EXPECT))
    stale = sorted(set(EXPECT) - routes)
    assert not missing, f"routes without an entry in EXPECT (decide who may use them): {missing}"
    assert not stale, f"entries in EXPECT for routes the app no longer has: {stale}"


# Path parameters that name no object (a download's format): nothing of another bureau to try.
_NOT_OBJECTS = {"fmt"}


def test_every_route_taking_an_id_is_tried_with_another_bureaus_object():
    for (method, path), cases in EXPECT.items():
        if set(re.findall(r"\{(\w+)\}", path)) - _NOT_OBJECTS and not path.startswith("/public/"):
            assert any(any(str(v).startswith("foreign:") for v in c.args.values()) for c in cases), (
                method,
                path,
            )


@pytest.mark.parametrize(("method", "path"), sorted(EXPECT), ids=lambda v: v)
def test_route_outcomes_per_role(world, method, path):
    app, clients, names = world
    if (method, path) not in app_routes(app):
        pytest.skip("route not in the app")
    failures = []
    for case in EXPECT[(method, path)]:
        url = path.format(**{k: _resolve(v, names) for k, v in case.args.items()})
        for role in ORDER:
            client = clients[role]
            kwargs = {"headers": {"X-CSRF-Token": client.csrf}, "follow_redirects": False}
            if case.form is not None:
                kwargs["data"] = {k: _resolve(v, names) for k, v in case.form.items()}
            if case.json is not None:
                kwargs["json"] = case.json
            if case.files is not None:
                kwargs["files"] = case.files
            response = client.request(method, url, **kwargs)
            failures.extend(f"{method} {url} as {role}: {problem}" for problem in csp_problems(response))
            got = outcome(response)
            if got != case.expect[role]:
                failures.append(
                    f"{method} {url} as {role}: expected {case.expect[role]}, got {response.status_code} "
                    f"{response.headers.get('location', '')} {_reason(response)}"
                )
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------------------ hardening: what is shown


def test_a_public_page_shows_its_plan_and_nothing_else(world):
    _, clients, names = world
    page = clients["anonymous"].get(f"/public/plans/{names['plan']}")
    assert page.status_code == 200
    assert "开学工作检查" in page.text and "第二中学安全演练" in page.text
    for hidden in (
        INTERNAL_ITEM,  # a plan of the same bureau never made public
        "控辍保学督查",  # a draft not yet published to the ledger
        "外县开学检查",  # another bureau's plan
        "自查报告",  # progress reports and their attachments
        JIAOYAN_REPORT,
        "大会已召开",  # a completion report (销号)
    ):
        assert hidden not in page.text, hidden
    assert "csrf_token" not in page.text and 'class="who"' not in page.text  # nobody is signed in


def test_a_units_feed_holds_its_own_items_only(world):
    _, clients, names = world
    anonymous = clients["anonymous"]
    feeds = {
        key: anonymous.get(f"/feeds/{names[key]}.ics") for key in ("feed", "feed:第二中学", "foreign:feed")
    }
    assert all(r.status_code == 200 for r in feeds.values())
    chengguan, dierzhong, foreign = (r.text for r in feeds.values())
    # 城关中学: its own items (a plan not made public included: the link is private) and those
    # for all schools; never another school's, a draft's or another bureau's.
    assert "城关中学开放日" in chengguan and "开学工作检查" in chengguan and INTERNAL_ITEM in chengguan
    # 第二中学: the same rule seen from the other school.
    assert "第二中学安全演练" in dierzhong and "开学工作检查" in dierzhong
    assert "城关中学开放日" not in dierzhong and INTERNAL_ITEM not in dierzhong
    assert "第二中学安全演练" not in chengguan
    for text in (chengguan, dierzhong):
        assert "控辍保学督查" not in text and "外县开学检查" not in text
        assert "自查报告" not in text and JIAOYAN_REPORT not in text  # no report text in a feed
    # Another bureau's school (各学校 there is not 各学校 here).
    assert "外县开学检查" in foreign
    for title in ("开学工作检查", "城关中学开放日", "第二中学安全演练", INTERNAL_ITEM):
        assert title not in foreign, title


@pytest.mark.parametrize("role", ROLES)
def test_filters_naming_another_bureaus_objects_show_nothing_of_it(world, role):
    _, clients, names = world
    client = clients[role]
    foreign_plan, foreign_school = names["foreign:plan"], names["foreign:org"]
    for url in (
        f"/api/v1/items?plan={foreign_plan}",
        f"/api/v1/items?school={foreign_school}",
        "/api/v1/items?school=外县中学",
        f"/api/v1/plans/{foreign_plan}",
        f"/calendar?plan={foreign_plan}",
        f"/calendar/month?plan={foreign_plan}",
        "/calendar?school=外县中学",
    ):
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (200, 400, 403, 404, 422), (url, response.status_code)
        assert "外县开学检查" not in response.text, (role, url)
        assert "另一县教育局" not in response.text, (role, url)


def test_report_lists_hold_only_reports_one_may_see(world):
    _, clients, names = world
    item = names["item:教研活动周"]
    for role, sees in (("admin", True), ("office2", True), ("office", False), ("guest", False)):
        api = clients[role].get(f"/api/v1/items/{item}/reports")
        page = clients[role].get(f"/items/{item}")
        assert api.status_code == 200 and page.status_code == 200, role
        assert (JIAOYAN_REPORT in api.text) is sees, role
        assert (JIAOYAN_REPORT in page.text) is sees, role


# ------------------------------------------------------------------------------ hardening: CSRF, tokens, HEAD

STATE_CHANGING = sorted(key for key in EXPECT if key[0] in ("POST", "PUT", "PATCH", "DELETE"))
READS = sorted(key for key in EXPECT if key[0] == "GET")
BEARER_EXPECT = {
    # A token may not make another token (only a signed-in browser may).
    ("POST", "/api/v1/tokens"): E("403 403 403 403 403 403"),
}
"""Where a bearer-token caller is answered otherwise than the same user's browser session."""


def _send(client: TestClient, method: str, url: str, case: Case, names: dict[str, str], headers: dict):
    kwargs = {"headers": headers, "follow_redirects": False}
    if case.form is not None:
        kwargs["data"] = {k: _resolve(v, names) for k, v in case.form.items()}
    if case.json is not None:
        kwargs["json"] = case.json
    if case.files is not None:
        kwargs["files"] = case.files
    return client.request(method, url, **kwargs)


def _url(path: str, case: Case, names: dict[str, str]) -> str:
    return path.format(**{k: _resolve(v, names) for k, v in case.args.items()})


@pytest.mark.parametrize(("method", "path"), STATE_CHANGING, ids=lambda v: v)
def test_state_changing_requests_need_the_sessions_own_csrf_token(world, method, path):
    """Without a token, or with another session's, every state-changing request is refused —
    signed in as any role or not (signing in and out included): where the role may do it, by the
    CSRF check; where it may not, by whichever check comes first."""
    _, clients, names = world
    failures = []
    for case in EXPECT[(method, path)]:
        url = _url(path, case, names)
        for role in ORDER:
            other = clients["office" if role == "admin" else "admin"]
            for label, headers in (
                ("no token", {}),
                ("another session's token", {"X-CSRF-Token": other.csrf}),
            ):
                response = _send(clients[role], method, url, case, names, headers)
                got = outcome(response)
                if case.expect[role] != "ok":
                    # Refused anyway (not signed in, role, bureau): refused it must stay.
                    if got == "ok":
                        failures.append(f"{method} {url} as {role} with {label}: allowed")
                    continue
                if got != "403" or "CSRF" not in _reason(response):
                    failures.append(
                        f"{method} {url} as {role} with {label}: {response.status_code} {_reason(response)}"
                    )
    assert not failures, "\n".join(failures)


@pytest.fixture
def bearers(world) -> dict[str, TestClient]:
    """A client per role that authenticates with an API token only (no cookie)."""
    app, _, _ = world
    made = {}
    with app.state.sessions.begin() as session:
        for role in ROLES:
            user = session.scalars(select(User).where(User.username == ROLE_USER[role])).one()
            secret = new_token()
            session.add(
                ApiToken(user_id=user.id, name="矩阵", token_hash=token_digest(secret), created_at=now())
            )
            made[role] = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
    return made


@pytest.mark.parametrize(("method", "path"), STATE_CHANGING, ids=lambda v: v)
def test_state_changing_requests_as_a_bearer_token_caller(world, bearers, method, path):
    """A token carries its user's permissions, no more: the same outcome as that user's session."""
    _, _, names = world
    failures = []
    for case in EXPECT[(method, path)]:
        url = _url(path, case, names)
        expect = BEARER_EXPECT.get((method, path), case.expect)
        for role in ORDER:
            if role == "anonymous":
                continue
            response = _send(bearers[role], method, url, case, names, {})
            got = outcome(response)
            if got != expect[role]:
                failures.append(
                    f"{method} {url} as {role}'s token: expected {expect[role]}, got {response.status_code} "
                    f"{_reason(response)}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("method", "path"), READS, ids=lambda v: v)
def test_head_is_answered_as_get_without_a_body(world, method, path):
    _, clients, names = world
    failures = []
    for case in EXPECT[(method, path)]:
        url = _url(path, case, names)
        for role in ORDER:
            response = clients[role].head(url, follow_redirects=False)
            got = outcome(response)
            if got != case.expect[role] or response.content:
                failures.append(
                    f"HEAD {url} as {role}: expected {case.expect[role]}, got {response.status_code}"
                )
            failures.extend(f"HEAD {url} as {role}: {p}" for p in csp_problems(response) if "inline" not in p)
    assert not failures, "\n".join(failures)


def test_a_revoked_token_and_an_inactive_users_token_are_refused(world):
    app, _, names = world
    secrets = {}
    with app.state.sessions.begin() as session:
        for key, username, revoked in (("revoked", "jijiao", True), ("inactive", "spare", False)):
            user = session.scalars(select(User).where(User.username == username)).one()
            secrets[key] = new_token()
            session.add(
                ApiToken(
                    user_id=user.id, name="矩阵", token_hash=token_digest(secrets[key]), created_at=now(),
                    revoked_at=now() if revoked else None,
                )
            )  # fmt: skip
        session.scalars(select(User).where(User.username == "spare")).one().active = False
    item = names["item:开学工作检查"]
    for key, secret in secrets.items():
        client = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
        for method, url, body in (
            ("GET", "/api/v1/me", None),
            ("GET", f"/items/{item}", None),
            ("POST", f"/api/v1/items/{item}/reports", REPORT_JSON),
            ("PATCH", f"/api/v1/items/{item}", STATUS),
        ):
            response = client.request(method, url, json=body, follow_redirects=False)
            assert outcome(response) == "login", (key, method, url, response.status_code)
    with app.state.sessions() as session:
        assert (
            session.scalars(select(ProgressReport).where(ProgressReport.text == REPORT_JSON["text"])).all()
            == []
        )


def test_a_guest_sees_no_supervision_on_item_pages_and_the_dashboard(world):
    """督办 is hidden from 访客 like the board: no deadline, note, badge or card (others see it)."""
    _, clients, names = world
    item = names["item:城关中学开放日"]
    deadline = SUPERVISION_DEADLINE.isoformat()
    for role, sees in (("admin", True), ("school", True), ("guest", False)):
        page = clients[role].get(f"/items/{item}")
        assert page.status_code == 200
        for shown in (SUPERVISION_NOTE, deadline, "badge-supervised"):
            assert (shown in page.text) is sees, (role, "item page", shown)
        dashboard = clients[role].get("/")
        assert dashboard.status_code == 200
        for shown in (SUPERVISION_NOTE, "督办事项", "badge-supervised"):
            assert (shown in dashboard.text) is sees, (role, "工作台", shown)
    # The board and its exports stay refused, and the API says nothing of 督办 to a guest either.
    assert clients["guest"].get("/supervision").status_code == 403
    api = clients["guest"].get(f"/api/v1/items/{item}").text
    assert SUPERVISION_NOTE not in api and deadline not in api
