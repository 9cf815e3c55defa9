"""总结与计划: the /reports index and the half-year summary draft page and Word download.

The seeded sample plan runs 2024-09-01 … 2025-01-31, so its half 2 is July–December 2024 (every
sample item ends in September) and its half 1 is January–June 2025 (no items). Here 开学工作检查
(基教股, 各学校) is closed on 2024-09-05 with a completion report by 基教股, and 教研活动周 (教研室,
ends 2024-09-13) is in progress with a report by 教研室: late 109 days at 2024-12-31.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from docx import Document
from sqlalchemy import select

from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, Organisation, ProgressReport
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan

COMPLETION = "全县各校开学检查全部完成，整改隐患5处。"
PROGRESS = "教研活动周已完成初中段，高中段延后。"
TITLE = "示例县教育局2024年下半年工作总结（初稿）"


@pytest.fixture
def world(seeded):
    """The seeded app's ledger with the reports above, and a plan of another bureau."""
    factory = sessions(connect(seeded["url"]))
    with factory.begin() as session:
        items = {i.title: i for i in session.scalars(select(Item).where(Item.plan_id == seeded["plan_id"]))}
        orgs = {o.name: o.id for o in session.scalars(select(Organisation))}
        check = items["开学工作检查"]
        check.status, check.closed_at = "done", datetime(2024, 9, 5, 2, 0, tzinfo=UTC)
        session.add(
            ProgressReport(
                item_id=check.id, org_id=orgs["基教股"], author="基教股", text=COMPLETION, kind="completion",
                created_at=datetime(2024, 9, 5, 2, 0, tzinfo=UTC),
            )
        )  # fmt: skip
        week = items["教研活动周"]
        week.status = "in_progress"
        session.add(
            ProgressReport(
                item_id=week.id, org_id=orgs["教研室"], author="教研室", text=PROGRESS, percent=50,
                created_at=datetime(2024, 9, 12, 2, 0, tzinfo=UTC),
            )
        )  # fmt: skip
        other = ParsedPlan(
            source={"name": "other.txt", "format": "txt"},
            title="另一县教育局2024年工作计划",
            issuer="另一县教育局",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 12, 31),
            items=[PlanItem("外县检查", "外县检查", date(2024, 9, 2), date(2024, 9, 6), ["外县股"])],
        )
        foreign = import_plan(session, other, b"other", bureau="另一县教育局", actor="test").plan_id
    factory.kw["bind"].dispose()
    return {"plan": seeded["plan_id"], "foreign": foreign}


def _url(plan: int, half: int, docx: bool = False) -> str:
    return f"/reports/summary{'.docx' if docx else ''}?plan={plan}&half={half}"


def test_admin_reads_the_draft(login, world):
    page = login("admin").get(_url(world["plan"], 2))
    assert page.status_code == 200
    html = page.text
    assert TITLE in html
    assert COMPLETION in html and PROGRESS in html
    assert "一、基教股" in html and "（一）已完成的工作" in html
    assert "截至12月31日逾期109天" in html
    assert f'href="/reports/summary.docx?plan={world["plan"]}&amp;half=2&amp;year=2024"' in html


def test_office_reads_only_reports_it_may_see(login, world):
    html = login("office").get(_url(world["plan"], 2)).text  # 基教股
    assert COMPLETION in html  # its own item's report
    assert PROGRESS not in html  # 教研室's report on 教研室's item
    assert "已有填报，仅局办公室和责任单位可见。" in html
    assert "教研活动周" in html  # the item itself is listed


@pytest.mark.parametrize("role", ["school", "guest"])
def test_schools_and_guests_are_refused(login, world, role):
    client = login(role)
    assert client.get(_url(world["plan"], 2)).status_code == 403
    assert client.get(_url(world["plan"], 2, docx=True)).status_code == 403


def test_another_bureaus_plan_is_not_found(login, world):
    client = login("admin")
    assert client.get(_url(world["foreign"], 2)).status_code == 404
    assert client.get(_url(world["foreign"], 2, docx=True)).status_code == 404
    assert client.get(_url(999999, 2)).status_code == 404


def test_bad_half_and_a_half_without_items(login, world):
    client = login("admin")
    bad = client.get(_url(world["plan"], 3))
    assert bad.status_code == 400 and "上半年" in bad.text
    empty = client.get(_url(world["plan"], 1))
    assert empty.status_code == 200
    assert "示例县教育局2025年上半年工作总结（初稿）" in empty.text
    assert "台账中没有截止时间在2025年上半年的工作。" in empty.text


def test_word_download(login, world):
    response = login("admin").get(_url(world["plan"], 2, docx=True))
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、基教股"
    text = "\n".join(p.text for p in document.paragraphs)
    assert COMPLETION in text and PROGRESS in text


def test_index_lists_the_drafts_for_admin_and_offices(login, world):
    html = login("office").get("/reports").text
    assert f'href="/reports/summary?plan={world["plan"]}&amp;half=2"' in html
    assert f'href="/reports/summary?plan={world["plan"]}&amp;half=1"' in html
    assert "2024年下半年" in html and "2025年上半年" in html
    assert f"plan={world['foreign']}" not in html
    assert "<!-- more reports -->" in html


def test_index_for_a_school_has_no_drafts(login, world):
    response = login("school").get("/reports")
    assert response.status_code == 200
    assert "/reports/summary?" not in response.text
    assert "只供局办公室和各科室查看" in response.text


def test_no_plan_goes_back_to_the_index(login, world):
    response = login("admin").get("/reports/summary", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/reports")
