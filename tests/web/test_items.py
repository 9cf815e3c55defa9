"""An item's page, its status, progress reports and their attachments, checked role by role."""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import quote

import docx
import openpyxl
import pytest
from sqlalchemy import func, select

from eduplan.ledger.accounts import create_user
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Attachment, AuditEntry, Item, ProgressReport
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.web.uploads import (
    DOCX,
    XLSX,
    AttachmentError,
    check_attachment,
    content_disposition,
    safe_filename,
    sniff_type,
)
from eduplan.web.views import items as pages_items

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def signed_in(login, role: str):
    client = login(role)
    client.csrf = CSRF.search(client.get("/login").text).group(1)
    return client


def sessions_of(seeded):
    return sessions(connect(seeded["url"]))


def item_id(seeded, title: str) -> int:
    with sessions_of(seeded)() as session:
        return session.scalars(select(Item.id).where(Item.title == title)).one()


def report(client, item: int, text: str, files=None, percent: str = ""):
    return client.post(
        f"/items/{item}/reports",
        data={"csrf_token": client.csrf, "text": text, "percent": percent},
        files=files or [],
        follow_redirects=False,
    )


def attachment_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/attachments/(\d+)"', page)]


@pytest.fixture
def other_admin(seeded, app):
    """An administrator of another bureau (for the 404 checks)."""
    from fastapi.testclient import TestClient

    with sessions_of(seeded).begin() as session:
        bureau = get_or_create_bureau(session, "另一县教育局", "test")
        create_user(session, "other-admin", "other-admin-2026", "admin", bureau=bureau)
    client = TestClient(app)
    token = CSRF.search(client.get("/login").text).group(1)
    response = client.post(
        "/login",
        data={"username": "other-admin", "password": "other-admin-2026", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    client.csrf = CSRF.search(client.get("/login").text).group(1)
    return client


def test_item_page_shows_text_span_units_plan_line_and_status(login, seeded, monkeypatch):
    monkeypatch.setattr(pages_items, "clock_today", lambda: date(2024, 9, 1))
    page = signed_in(login, "guest").get(f"/items/{item_id(seeded, '开学工作检查')}")
    assert page.status_code == 200
    text = page.text
    assert "开学工作检查：按通知要求做好相关工作" in text
    assert "2024-09-02（周一） 至 2024-09-06（周五）（5 天）" in text
    assert "基教股、各学校" in text
    assert "示例县教育局2024年秋季学期工作安排" in text and "原文第 1 行" in text
    assert "未开始" in text and "已逾期" not in text
    # A guest reads; it changes nothing and reports nothing.
    assert 'action="/items/' not in text


def test_an_open_item_past_its_end_is_shown_overdue(login, seeded, monkeypatch):
    monkeypatch.setattr(pages_items, "clock_today", lambda: date(2024, 9, 7))
    page = signed_in(login, "admin").get(f"/items/{item_id(seeded, '开学工作检查')}").text
    assert '<span class="status status-late">已逾期</span>' in page


def test_lunar_date_is_shown_when_the_text_uses_one(login, seeded):
    plan = ParsedPlan(
        source={"name": "lunar.txt", "format": "txt"},
        title="示例县教育局2025年春季学期工作安排",
        items=[
            PlanItem(
                "元宵节灯谜活动",
                "农历正月十五开展元宵节灯谜活动",
                date(2025, 2, 12),
                date(2025, 2, 12),
                ["基教股"],
                None,
                3,
            )
        ],
    )
    with sessions_of(seeded).begin() as session:
        import_plan(session, plan, b"lunar plan", bureau="示例县教育局", actor="test")
    page = signed_in(login, "admin").get(f"/items/{item_id(seeded, '元宵节灯谜活动')}").text
    assert "2025-02-12（周三）" in page
    assert "农历正月十五" in page
    plain = signed_in(login, "admin").get(f"/items/{item_id(seeded, '教研活动周')}").text
    assert "农历" not in plain


def test_responsible_office_changes_status_and_it_is_in_the_history(login, seeded):
    item = item_id(seeded, "开学工作检查")
    office = signed_in(login, "office")  # 基教股
    page = office.get(f"/items/{item}").text
    assert f'action="/items/{item}/status"' in page
    response = office.post(
        f"/items/{item}/status",
        data={"csrf_token": office.csrf, "status": "in_progress"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/items/{item}?done=status"
    with sessions_of(seeded)() as session:
        row = session.get(Item, item)
        assert (row.status, row.revision) == ("in_progress", 2)
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "item", AuditEntry.entity_id == item)
        ).one()
        assert (entry.actor, entry.before, entry.after) == (
            "jijiao",
            {"status": "open", "revision": 1},
            {"status": "in_progress", "revision": 2},
        )
    page = office.get(response.headers["location"]).text
    assert "状态已更新" in page
    history = page[page.index("变更记录") :]
    assert "更改状态" in history and "状态：未开始 → 进行中" in history and "jijiao" in history
    assert "第 1 版：sample.txt" in history  # where the item came from


def test_another_office_or_a_school_cannot_change_status(login, seeded):
    item = item_id(seeded, "开学工作检查")
    for role in ("office2", "school", "guest"):
        client = signed_in(login, role)
        response = client.post(f"/items/{item}/status", data={"csrf_token": client.csrf, "status": "done"})
        assert response.status_code == 403, role
    with sessions_of(seeded)() as session:
        assert session.get(Item, item).status == "open"
        assert session.get(Item, item).revision == 1


def test_an_unknown_status_is_refused(login, seeded):
    item = item_id(seeded, "开学工作检查")
    admin = signed_in(login, "admin")
    response = admin.post(f"/items/{item}/status", data={"csrf_token": admin.csrf, "status": "overdue"})
    assert response.status_code == 400
    assert "状态只能是：未开始、进行中、已完成、已取消" in response.text


def test_a_post_without_the_csrf_token_is_refused(login, seeded):
    item = item_id(seeded, "开学工作检查")
    office = signed_in(login, "office")
    assert office.post(f"/items/{item}/status", data={"status": "done"}).status_code == 403
    assert (
        office.post(f"/items/{item}/status", data={"status": "done", "csrf_token": "forged"}).status_code
        == 403
    )
    assert report(office, item, "x").status_code == 303  # with the token it works
    school = signed_in(login, "school")
    no_token = school.post(f"/items/{item}/reports", data={"text": "没有令牌"})
    assert no_token.status_code == 403
    with sessions_of(seeded)() as session:
        assert session.get(Item, item).status == "open"
        texts = set(session.scalars(select(ProgressReport.text)))
    assert texts == {"x"}


def test_a_school_report_is_seen_by_admin_and_that_school_but_not_another_school(login, seeded):
    item = item_id(seeded, "城关中学开放日")
    school = signed_in(login, "school")  # 城关中学
    response = report(
        school,
        item,
        "开放日已完成，接待家长 320 人次",
        files=[("files", ("开放日 总结.pdf", PDF, "application/pdf"))],
        percent="100",
    )
    assert response.status_code == 303, response.text[:400]
    with sessions_of(seeded)() as session:
        stored = session.scalars(select(ProgressReport)).one()
        assert (stored.text, stored.percent, stored.author) == (
            "开放日已完成，接待家长 320 人次",
            100,
            "城关中学",
        )
        attachment = session.scalars(select(Attachment)).one()
        assert (attachment.filename, attachment.content_type, attachment.size) == (
            "开放日 总结.pdf",
            "application/pdf",
            len(PDF),
        )
        assert attachment.content == PDF
    for role in ("admin", "school"):
        page = signed_in(login, role).get(f"/items/{item}").text
        assert "开放日已完成，接待家长 320 人次" in page, role
        assert "完成 100%" in page
        assert attachment_ids(page) == [attachment.id], role
        assert "开放日 总结.pdf" in page
    # 第二中学 can open neither the item nor the report's attachment.
    other = signed_in(login, "school2")
    assert other.get(f"/items/{item}").status_code == 403
    denied = other.get(f"/attachments/{attachment.id}")
    assert denied.status_code == 403
    assert PDF not in denied.content
    # Nor can an office that is not responsible for the item.
    assert signed_in(login, "office2").get(f"/attachments/{attachment.id}").status_code == 403


def test_schools_share_an_item_for_all_schools_but_not_their_reports(login, seeded):
    item = item_id(seeded, "开学工作检查")  # 基教股、各学校
    school = signed_in(login, "school")
    assert (
        report(
            school, item, "城关中学：开学检查已完成", [("files", ("检查.png", PNG, "image/png"))]
        ).status_code
        == 303
    )
    other = signed_in(login, "school2")
    page = other.get(f"/items/{item}")
    assert page.status_code == 200  # 各学校 includes 第二中学
    assert "城关中学：开学检查已完成" not in page.text
    assert attachment_ids(page.text) == []
    with sessions_of(seeded)() as session:
        attachment = session.scalars(select(Attachment.id)).one()
    assert other.get(f"/attachments/{attachment}").status_code == 403
    # The office responsible sees it.
    office_page = signed_in(login, "office").get(f"/items/{item}").text
    assert "城关中学：开学检查已完成" in office_page
    assert attachment_ids(office_page) == [attachment]
    # 第二中学 reports too, and sees only its own.
    assert report(other, item, "第二中学：开学检查已完成").status_code == 303
    page = other.get(f"/items/{item}").text
    assert "第二中学：开学检查已完成" in page and "城关中学：开学检查已完成" not in page
    assert page.count('class="report"') == 1


def test_the_bureau_offices_report_is_read_by_the_office_responsible_not_by_a_guest_or_a_school(
    login, seeded
):
    # The bureau office belongs to no unit (org_id None), and neither does a guest: "the same
    # unit" must not hold between two nobodies.
    item = item_id(seeded, "开学工作检查")  # 基教股、各学校
    admin = signed_in(login, "admin")
    response = report(
        admin, item, "局办公室督查意见：限期整改", [("files", ("督查.pdf", PDF, "application/pdf"))]
    )
    assert response.status_code == 303, response.text[:400]
    with sessions_of(seeded)() as session:
        stored = session.scalars(select(ProgressReport)).one()
        assert stored.org_id is None
        attachment = session.scalars(select(Attachment.id)).one()
    for role in ("admin", "office"):
        page = signed_in(login, role).get(f"/items/{item}").text
        assert "局办公室督查意见：限期整改" in page, role
        assert attachment_ids(page) == [attachment], role
    for role in ("guest", "school"):
        client = signed_in(login, role)
        page = client.get(f"/items/{item}")
        assert page.status_code == 200, role  # the item itself they may read
        assert "局办公室督查意见" not in page.text, role
        assert attachment_ids(page.text) == [], role
        denied = client.get(f"/attachments/{attachment}")
        assert denied.status_code == 403, role
        assert PDF not in denied.content


def test_attachment_download_headers(login, seeded):
    item = item_id(seeded, "城关中学开放日")
    school = signed_in(login, "school")
    assert (
        report(school, item, "见附件", [("files", ("开放日 总结.pdf", PDF, "text/html"))]).status_code == 303
    )
    with sessions_of(seeded)() as session:
        attachment = session.scalars(select(Attachment.id)).one()
    response = signed_in(login, "admin").get(f"/attachments/{attachment}")
    assert response.status_code == 200
    assert response.content == PDF
    # The type sniffed from the bytes, not the one the browser claimed.
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('开放日 总结.pdf', safe='')}" in disposition
    assert 'filename="___ __.pdf"' in disposition


def test_a_school_cannot_report_on_an_item_not_assigned_to_it(login, seeded):
    item = item_id(seeded, "城关中学开放日")
    other = signed_in(login, "school2")
    assert report(other, item, "不该提交").status_code == 403
    office2 = signed_in(login, "office2")  # 教研室 is not responsible for it
    assert report(office2, item, "不该提交").status_code == 403
    with sessions_of(seeded)() as session:
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("报告.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8, "类型不允许"),
        ("报告.html", b"<html><script>alert(1)</script>\x00\x01</html>", "类型不允许"),
        ("空.pdf", b"", "是空文件"),
    ],
)
def test_attachments_of_other_kinds_are_refused_and_no_report_is_kept(login, seeded, name, data, message):
    item = item_id(seeded, "城关中学开放日")
    school = signed_in(login, "school")
    response = report(school, item, "附件不对", [("files", (name, data, "application/pdf"))])
    assert response.status_code == 400
    assert message in response.text
    assert "附件不对" in response.text  # the text typed is kept for another try
    with sessions_of(seeded)() as session:
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_an_attachment_over_the_limit_is_refused(login, seeded, monkeypatch):
    monkeypatch.setenv("EDUPLAN_MAX_ATTACHMENT_BYTES", "50")
    item = item_id(seeded, "城关中学开放日")
    school = signed_in(login, "school")
    response = report(school, item, "大附件", [("files", ("大.pdf", PDF, "application/pdf"))])
    assert response.status_code == 400
    assert "附件“大.pdf”太大（超过 50 字节）" in response.text


@pytest.mark.parametrize(
    ("limit", "accepted"), [(len(PDF) + 1, True), (len(PDF), True), (len(PDF) - 1, False)]
)
def test_an_attachment_one_under_at_or_one_over_the_limit(login, seeded, monkeypatch, limit, accepted):
    monkeypatch.setenv("EDUPLAN_MAX_ATTACHMENT_BYTES", str(limit))
    item = item_id(seeded, "城关中学开放日")
    school = signed_in(login, "school")
    response = report(school, item, "附件大小", [("files", ("边界.pdf", PDF, "application/pdf"))])
    assert response.status_code == (303 if accepted else 400), response.text[:400]
    with sessions_of(seeded)() as session:
        sizes = session.scalars(select(Attachment.size)).all()
    assert sizes == ([len(PDF)] if accepted else [])


def test_check_attachment_at_the_limit():
    assert check_attachment("a.pdf", PDF, len(PDF) + 1).size == len(PDF)
    assert check_attachment("a.pdf", PDF, len(PDF)).size == len(PDF)
    with pytest.raises(AttachmentError, match="太大"):
        check_attachment("a.pdf", PDF, len(PDF) - 1)


def test_a_report_needs_text_and_a_sensible_percent(login, seeded):
    item = item_id(seeded, "城关中学开放日")
    school = signed_in(login, "school")
    assert "请填写进展情况" in report(school, item, "   ").text
    assert "0 到 100 之间的整数" in report(school, item, "进展", percent="120").text
    with sessions_of(seeded)() as session:
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0


def test_another_bureau_gets_not_found(login, seeded, other_admin):
    item = item_id(seeded, "城关中学开放日")
    school = signed_in(login, "school")
    assert report(school, item, "见附件", [("files", ("a.pdf", PDF, "application/pdf"))]).status_code == 303
    with sessions_of(seeded)() as session:
        attachment = session.scalars(select(Attachment.id)).one()
    assert other_admin.get(f"/items/{item}").status_code == 404
    assert other_admin.get(f"/attachments/{attachment}").status_code == 404
    response = other_admin.post(
        f"/items/{item}/status", data={"csrf_token": other_admin.csrf, "status": "done"}
    )
    assert response.status_code == 404
    assert signed_in(login, "admin").get("/items/999999").status_code == 404


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张老师\\桌面\\开学总结.docx", "开学总结.docx"),
        ("report\u202egpj.exe", "reportgpj.exe"),  # a right-to-left override hides a name
        ("a\x00b\x1fc.pdf", "abc.pdf"),
        ('..."<>|?*.pdf', "______.pdf"),
        ("", "附件"),
        ("   ", "附件"),
    ],
)
def test_safe_filename(given, expected):
    assert safe_filename(given) == expected


def test_sniffed_types_and_names():
    assert sniff_type(PDF) == "application/pdf"
    assert sniff_type(PNG) == "image/png"
    assert sniff_type(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert sniff_type("进度说明".encode()) == "text/plain; charset=utf-8"
    assert sniff_type("进度说明".encode("gbk")) == "text/plain; charset=gb18030"
    assert sniff_type(b"PK\x03\x04not really a zip") is None
    word, sheet = io.BytesIO(), io.BytesIO()
    docx.Document().save(word)
    openpyxl.Workbook().save(sheet)
    assert sniff_type(word.getvalue()) == DOCX
    assert sniff_type(sheet.getvalue()) == XLSX
    assert sniff_type(b"\x00\x01\x02\x03" * 10) is None
    # A name that lies about its content gets the content's extension.
    assert check_attachment("照片.exe", PNG, 1000).filename == "照片.exe.png"
    assert check_attachment("照片.JPEG", b"\xff\xd8\xff\xe0", 1000).filename == "照片.JPEG"
    assert content_disposition("a.pdf") == "attachment; filename=\"a.pdf\"; filename*=UTF-8''a.pdf"
