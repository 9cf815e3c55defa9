"""One definition of each figure: 工作台, 督办 and 科室与学校 show the same 办结率 (and overdue
counts) for every unit, on SQLite and PostgreSQL — issue 15 found 基教股 at 63 % on one page,
60.5 % on another and a third figure on the third. The figures come from
``eduplan.supervise.figures``; here they are read off the pages as a person sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lxml import html
from sqlalchemy import select

from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, Organisation
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan
from eduplan.supervise import assignments, closing_review, progress


@pytest.fixture
def web_db(web_db_both):
    return web_db_both


# (title, days from today to its last day, units, closed?)
WORK = [
    ("基教股月报一", -20, ["基教股"], True),
    ("基教股月报二", -10, ["基教股", "教研室"], True),
    ("基教股督查", -5, ["基教股"], False),  # overdue
    ("基教股下月安排", 10, ["基教股"], False),  # not due
    ("小学质量监测", -3, ["基教股", "各小学"], False),  # 城关小学's 回执 passed
    ("全县安全自查", -2, ["安全股", "各学校"], True),
    ("教研室听课", -1, ["教研室"], False),  # overdue
    ("城关中学开放日准备", -4, ["城关中学"], True),
]


@pytest.fixture
def world(seeded):
    today = clock_today()
    factory = sessions(connect(seeded["url"]))
    with factory.begin() as session:
        plan = Plan(
            source={"name": "figures.txt", "format": "txt"},
            title="示例县教育局办结率核对",
            issuer=DEMO_BUREAU,
            items=[
                PlanItem(t, t, today + timedelta(days=d - 1), today + timedelta(days=d), units)
                for t, d, units, _ in WORK
            ],
        )
        import_plan(session, plan, b"figures plan", bureau=DEMO_BUREAU, actor="test")
        items = {i.title: i for i in session.scalars(select(Item))}
        for title, _, _, closed in WORK:
            if closed:
                progress.close(
                    session,
                    items[title],
                    text="已完成",
                    author="test",
                    actor="test",
                    org_id=None,
                    org_name=None,
                )
        school = session.scalars(select(Organisation).where(Organisation.name == "城关小学")).one()
        monitoring = items["小学质量监测"]
        request = closing_review.apply(
            session, monitoring, bureau_id=school.bureau_id, org=school, org_name=school.name,
            author="城关小学", actor="chengguanxiao", text="已完成监测", for_school=school,
        )  # fmt: skip
        closing_review.review(
            session, request, passed=True, note="", reviewer_org="基教股", reviewer="基教股", actor="jijiao"
        )
        assert monitoring.status != "done"  # other primary schools still to reply
        assert assignments.replies(session, monitoring, today).done == 1
    factory.kw["bind"].dispose()
    return seeded


def _doc(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    return html.fromstring(response.text)


def _cells(tr) -> list[str]:
    return [" ".join(c.text_content().split()) for c in tr.xpath("th|td")]


def dashboard_rates(client) -> dict[str, str]:
    return {
        _cells(tr)[0]: _cells(tr)[6]
        for tr in _doc(client, "/").xpath('//table[@id="completion-table"]/tbody/tr')
    }


def supervision_rates(client) -> dict[str, str]:
    doc = _doc(client, "/supervision")
    rates = {}
    for table in ("office-rates", "school-rates"):
        for tr in doc.xpath(f'//table[@id="{table}"]/tbody/tr[@data-unit-id]'):
            cells = _cells(tr)
            rates[cells[1].split(" （")[0]] = cells[3]
    return rates


def units_rates(client) -> dict[str, str]:
    doc = _doc(client, "/units")
    return {
        tr.xpath(".//a")[0].text_content(): tr.xpath(".//td[@data-rate]")[0].text_content().strip()
        for tr in doc.xpath("//table/tbody/tr[.//td[@data-rate]]")
    }


def test_every_page_shows_the_same_rate_for_every_unit(world, login):
    admin = login("admin")
    on_dashboard, on_board, on_units = dashboard_rates(admin), supervision_rates(admin), units_rates(admin)
    # Worked out by hand from WORK (the sample plan's items are years past, none closed):
    # 基教股: sample 开学工作检查 (open) + 月报一 ✓ 月报二 ✓ 督查 ✗ 小学质量监测 ✗ → 2/5; 下月安排 not due.
    assert on_board["基教股"] == "40.0%"
    # 城关小学: 开学工作检查 (各学校) ✗, 全县安全自查 ✓, 小学质量监测 ✓ (its own 回执 passed) → 2/3.
    assert on_board["城关小学"] == "66.7%"
    # 城关中学 is no primary school: 开学工作检查 ✗, 开放日 (sample) ✗, 安全自查 ✓, 开放日准备 ✓ → 2/4.
    assert on_board["城关中学"] == "50.0%"
    assert on_dashboard, "the dashboard lists the offices with items"
    for name, rate in on_dashboard.items():
        assert on_board[name] == rate == on_units[name], name
    for name, rate in on_board.items():
        assert on_units[name] == rate, name
    # The same for an office and a school signed in (each sees the bureau-wide tables).
    for role in ("office", "school"):
        client = login(role)
        assert supervision_rates(client) == on_board
        assert dashboard_rates(client) == on_dashboard
        # And the API (GET /api/v1/figures) gives every unit the page's rate.
        assert api_rates(client) == api_rates(admin)
    on_api = api_rates(admin)
    for name, rate in on_board.items():
        assert on_api[name] == rate, name
    assert on_api["基教股"] == "40.0%" and on_api["城关小学"] == "66.7%"


def api_rates(client) -> dict[str, str]:
    response = client.get("/api/v1/figures")
    assert response.status_code == 200, response.text[:300]
    return {u["name"]: u["rate_text"] for u in response.json()["units"]}


def test_the_api_counts_due_done_and_overdue_as_worked_out_by_hand(world, login):
    units = {u["name"]: u for u in login("admin").get("/api/v1/figures").json()["units"]}
    jijiao = units["基教股"]
    # 基教股 (see above): six items; due 5 (开学工作检查, 月报一, 月报二, 督查, 小学质量监测), done 2,
    # overdue 3 (开学工作检查, 督查, 小学质量监测). Due this week: those still open whose last day is
    # in this Monday–Sunday (督查 5 days ago, 小学质量监测 3 days ago may be; 下月安排 never is).
    assert (jijiao["items"], jijiao["due"], jijiao["done"], jijiao["overdue"]) == (6, 5, 2, 3)
    today = clock_today()
    monday = today - timedelta(days=today.weekday())
    open_ends = [today - timedelta(days=5), today - timedelta(days=3), today + timedelta(days=10)]
    assert jijiao["due_this_week"] == sum(monday <= end <= monday + timedelta(days=6) for end in open_ends)
    assert jijiao["rate"] == pytest.approx(0.4)
    assert jijiao["unit"]["kind"] == "office"
