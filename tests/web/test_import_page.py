"""The import screen: upload → preview (dates, line numbers, low confidence) → corrections →
publish into the ledger; only administrators; size limits and unreadable files refused in Chinese."""

from __future__ import annotations

import io
import json
import random
import re
from datetime import date

import docx
import pytest
from sqlalchemy import func, select

from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import Draft, Item, Organisation, Plan
from eduplan.plan import SCHEMA

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

TITLE = "示例县教育局2024年秋季学期工作行事历"
# A week calendar as bureaus type it: one table row per line, cells apart by tabs.
CALENDAR_TXT = "\n".join(
    [
        TITLE,
        "周次\t日期\t工作内容\t责任科室",
        "第1周\t9月2日—9月6日\t开学工作检查\t基教股、各学校",
        "第2周\t9月10日\t庆祝教师节表彰大会\t办公室",
        "第3周\t9月16日—9月20日\t教学常规检查\t教研室",
        "",
    ]
).encode("utf-8")
# Neither a year nor a date anywhere: the reader cannot place the items (confidence 0.4).
UNDATED_TXT = (
    "示例县教育局工作要点\n一、加强学校安全教育（安全股）\n二、做好招生入学工作（基教股）\n".encode()
)


def signed_in(login, role: str):
    """A signed-in client whose ``csrf`` is the token of its signed-in session."""
    client = login(role)
    client.csrf = CSRF.search(client.get("/login").text).group(1)
    return client


def upload(client, name: str, data: bytes, **headers):
    return client.post(
        "/import",
        data={"csrf_token": client.csrf},
        files={"file": (name, data, "application/octet-stream")},
        headers=headers,
        follow_redirects=False,
    )


def draft_id_of(response) -> int:
    assert response.status_code == 303, response.text[:500]
    match = re.fullmatch(r"/import/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def row_html(page: str, index: int) -> str:
    match = re.search(rf'<tr id="row-{index}"[^>]*>.*?</tr>', page, re.S)
    assert match, f"row {index} not in the preview"
    return match.group(0)


def input_value(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert match, f"no input {name}"
    return match.group(1)


def sessions_of(seeded):
    return sessions(connect(seeded["url"]))


def draft_count(seeded) -> int:
    with sessions_of(seeded)() as session:
        return session.scalar(select(func.count()).select_from(Draft))


def calendar_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("示例县教育局2024年秋季学期工作行事历")
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["周次", "日期", "工作内容", "责任科室"], strict=True):
        cell.text = text
    for row in [
        ("第1周", "9月2日—9月6日", "开学工作检查", "基教股、各学校"),
        ("第3周", "9月16日—9月20日", "教学常规检查", "教研室"),
    ]:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_txt_upload_previews_items_with_dates_lines_and_the_document_line(login, seeded):
    admin = signed_in(login, "admin")
    draft_id = draft_id_of(upload(admin, "行事历.txt", CALENDAR_TXT))
    page = admin.get(f"/import/{draft_id}")
    assert page.status_code == 200
    first = row_html(page.text, 0)
    assert input_value(first, "title-0") == "开学工作检查"
    assert input_value(first, "start-0") == "2024-09-02"
    assert input_value(first, "end-0") == "2024-09-06"
    assert input_value(first, "units-0") == "基教股、各学校"
    # The item's line number and that line of the document, beside the fields.
    assert "第 3 行" in first
    assert "<code>第1周\t9月2日—9月6日\t开学工作检查\t基教股、各学校</code>" in first
    assert "周一至周五" in first  # 2024-09-02 is a Monday, 09-06 a Friday
    second = row_html(page.text, 1)
    assert input_value(second, "start-1") == input_value(second, "end-1") == "2024-09-10"
    assert "第 4 行" in second
    third = row_html(page.text, 2)
    assert (input_value(third, "start-2"), input_value(third, "end-2")) == ("2024-09-16", "2024-09-20")
    assert "第 5 行" in third
    assert 'id="row-3"' not in page.text
    # The reader was sure of these rows: none is highlighted.
    assert "low-confidence" not in first and "low-confidence" not in third
    # The draft keeps the file, its numbered lines and the plan.
    with sessions_of(seeded)() as session:
        draft = session.get(Draft, draft_id)
        assert draft.content == CALENDAR_TXT
        assert draft.lines[2] == "第1周\t9月2日—9月6日\t开学工作检查\t基教股、各学校"
        assert [i["title"] for i in draft.plan["items"]] == [
            "开学工作检查",
            "庆祝教师节表彰大会",
            "教学常规检查",
        ]
        assert draft.source_name == "行事历.txt"
        assert draft.published_plan_id is None


def test_docx_upload_is_read_from_its_content_not_its_name(login):
    admin = signed_in(login, "admin")
    # Named .txt on purpose: the reader sniffs the bytes (a Word archive).
    draft_id = draft_id_of(upload(admin, "行事历.txt", calendar_docx()))
    page = admin.get(f"/import/{draft_id}").text
    assert "docx" in page
    first, second = row_html(page, 0), row_html(page, 1)
    assert input_value(first, "title-0") == "开学工作检查"
    assert (input_value(first, "start-0"), input_value(first, "end-0")) == ("2024-09-02", "2024-09-06")
    assert "第 3 行" in first
    assert input_value(second, "title-1") == "教学常规检查"
    assert (input_value(second, "start-1"), input_value(second, "end-1")) == ("2024-09-16", "2024-09-20")
    assert "第 4 行" in second
    assert "<code>第3周\t9月16日—9月20日\t教学常规检查\t教研室</code>" in second


def test_low_confidence_rows_are_highlighted(login):
    admin = signed_in(login, "admin")
    page = admin.get(f"/import/{draft_id_of(upload(admin, '要点.txt', UNDATED_TXT))}").text
    for index in (0, 1):
        assert 'class="low-confidence' in row_html(page, index)
        assert input_value(row_html(page, index), f"start-{index}") == ""
    assert "事项均未排期" in page  # the reader's warning is shown
    assert "2 项把握不大" in page


def test_plan_json_rows_are_highlighted_only_below_the_threshold(login):
    plan = {
        "schema": SCHEMA,
        "source": {"name": "plan.json", "format": "json"},
        "kind": "plan",
        "title": "示例县教育局2025年工作要点",
        "issuer": "示例县教育局",
        "period": {"start": "2025-01-01", "end": "2025-12-31"},
        "items": [
            {
                "title": "猜不准的事项",
                "text": "猜不准的事项",
                "start": "2025-03-01",
                "end": "2025-03-31",
                "departments": ["基教股"],
                "source": {"line": 7},
                "confidence": 0.55,
            },
            {
                "title": "有把握的事项",
                "text": "有把握的事项",
                "start": "2025-04-01",
                "end": "2025-04-01",
                "departments": ["教研室"],
                "source": {"line": 9},
                "confidence": 0.6,
            },
        ],
        "targets": [],
        "warnings": [],
    }
    admin = signed_in(login, "admin")
    data = json.dumps(plan, ensure_ascii=False).encode()
    page = admin.get(f"/import/{draft_id_of(upload(admin, 'plan.json', data))}").text
    assert 'class="low-confidence' in row_html(page, 0)
    assert "low-confidence" not in row_html(page, 1)
    assert "55%" in row_html(page, 0)


def test_corrected_title_and_date_are_what_gets_published(login, seeded):
    admin = signed_in(login, "admin")
    draft_id = draft_id_of(upload(admin, "行事历.txt", CALENDAR_TXT))
    saved = admin.post(
        f"/import/{draft_id}",
        data={
            "csrf_token": admin.csrf,
            "plan_title": TITLE,
            "title-0": "开学工作检查",
            "start-0": "2024-09-02",
            "end-0": "2024-09-06",
            "units-0": "基教股、各学校",
            "title-1": "庆祝第40个教师节表彰大会",
            "start-1": "2024-09-09",
            "end-1": "",  # one day: the end is the start
            "units-1": "办公室",
            "title-2": "教学常规检查",
            "start-2": "2024-09-16",
            "end-2": "2024-09-20",
            "units-2": "教研室，基教股",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/import/{draft_id}?saved=1"
    page = admin.get(saved.headers["location"]).text
    assert "修改已保存" in page
    assert input_value(row_html(page, 1), "title-1") == "庆祝第40个教师节表彰大会"
    assert input_value(row_html(page, 1), "end-1") == "2024-09-09"
    assert input_value(row_html(page, 2), "units-2") == "教研室、基教股"

    published = admin.post(f"/import/{draft_id}/publish", data={"csrf_token": admin.csrf})
    assert published.status_code == 200
    assert "已发布到台账" in published.text
    assert "新建计划" in published.text
    assert "事项 3 项" in published.text
    with sessions_of(seeded)() as session:
        plan = session.scalars(select(Plan).where(Plan.title == TITLE)).one()
        assert session.get(Organisation, plan.bureau_id).name == "示例县教育局"
        items = {i.title: i for i in session.scalars(select(Item).where(Item.plan_id == plan.id))}
        assert set(items) == {"开学工作检查", "庆祝第40个教师节表彰大会", "教学常规检查"}
        teachers_day = items["庆祝第40个教师节表彰大会"]
        assert (teachers_day.start, teachers_day.end) == (date(2024, 9, 9), date(2024, 9, 9))
        assert teachers_day.line == 4  # still points at its line of the document
        assert [u.org.name for u in items["教学常规检查"].units] == ["教研室", "基教股"]
        assert [u.org.name for u in items["开学工作检查"].units] == ["基教股", "各学校"]
        assert session.get(Draft, draft_id).published_plan_id == plan.id
    # Published drafts are not published twice.
    again = admin.post(f"/import/{draft_id}/publish", data={"csrf_token": admin.csrf})
    assert again.status_code == 400
    assert "已经发布过" in again.text


def test_publish_from_the_preview_form_saves_its_corrections_first(login, seeded):
    admin = signed_in(login, "admin")
    draft_id = draft_id_of(upload(admin, "行事历.txt", CALENDAR_TXT))
    response = admin.post(
        f"/import/{draft_id}/publish",
        data={"csrf_token": admin.csrf, "title-0": "开学工作大检查", "drop-2": "on"},
    )
    assert response.status_code == 200, response.text[:300]
    with sessions_of(seeded)() as session:
        plan = session.scalars(select(Plan).where(Plan.title == TITLE)).one()
        titles = set(session.scalars(select(Item.title).where(Item.plan_id == plan.id)))
    assert titles == {"开学工作大检查", "庆祝教师节表彰大会"}


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2024-13-01", "2024-09-06", "开始日期“2024-13-01”不是有效日期"),
        ("2024-09-06", "2024-09-02", "结束日期 2024-09-02 早于开始日期 2024-09-06"),
        ("", "2024-09-02", "填了结束日期就要填开始日期"),
    ],
)
def test_bad_corrections_are_refused_in_chinese_and_nothing_is_saved(login, seeded, start, end, message):
    admin = signed_in(login, "admin")
    draft_id = draft_id_of(upload(admin, "行事历.txt", CALENDAR_TXT))
    response = admin.post(
        f"/import/{draft_id}",
        data={"csrf_token": admin.csrf, "title-0": "改过的标题", "start-0": start, "end-0": end},
    )
    assert response.status_code == 400
    assert f"第 1 行：{message}" in response.text
    # What the person typed is shown again, for fixing.
    assert input_value(row_html(response.text, 0), "title-0") == "改过的标题"
    with sessions_of(seeded)() as session:
        item = session.get(Draft, draft_id).plan["items"][0]
    assert (item["title"], item["start"], item["end"]) == ("开学工作检查", "2024-09-02", "2024-09-06")


def test_an_empty_title_is_refused(login):
    admin = signed_in(login, "admin")
    draft_id = draft_id_of(upload(admin, "行事历.txt", CALENDAR_TXT))
    response = admin.post(f"/import/{draft_id}", data={"csrf_token": admin.csrf, "title-1": "  "})
    assert response.status_code == 400
    assert "第 2 行：标题不能为空" in response.text


@pytest.mark.parametrize("role", ["office", "school", "guest"])
def test_only_administrators_import(login, seeded, role):
    client = signed_in(login, role)
    assert client.get("/import").status_code == 403
    response = upload(client, "行事历.txt", CALENDAR_TXT)
    assert response.status_code == 403
    assert draft_count(seeded) == 0


def test_others_cannot_open_or_publish_an_administrators_draft(login, seeded):
    admin = signed_in(login, "admin")
    draft_id = draft_id_of(upload(admin, "行事历.txt", CALENDAR_TXT))
    office = signed_in(login, "office")
    assert office.get(f"/import/{draft_id}").status_code == 403
    assert office.post(f"/import/{draft_id}/publish", data={"csrf_token": office.csrf}).status_code == 403
    with sessions_of(seeded)() as session:
        assert session.get(Draft, draft_id).published_plan_id is None


def test_an_oversized_file_is_refused_in_chinese(login, seeded, monkeypatch):
    monkeypatch.setenv("EDUPLAN_MAX_FILE_BYTES", "1000")
    admin = signed_in(login, "admin")
    response = upload(admin, "大文件.txt", "九月开学工作安排。".encode() * 200)  # 5,400 bytes
    assert response.status_code == 413
    assert "文件太大" in response.text
    assert "1000 字节" in response.text
    assert draft_count(seeded) == 0
    # Far above the limit, the request is refused on its announced length, unread.
    huge = upload(admin, "大文件.txt", b"a" * 200_000)
    assert huge.status_code == 413
    assert "文件太大" in huge.text
    assert draft_count(seeded) == 0


def test_random_bytes_are_refused_in_chinese_and_make_no_draft(login, seeded):
    admin = signed_in(login, "admin")
    response = upload(admin, "行事历.docx", random.Random(7).randbytes(4096))
    assert response.status_code == 400
    assert "无法识别文件格式" in response.text
    assert draft_count(seeded) == 0


def test_upload_without_a_file_is_refused(login, seeded):
    admin = signed_in(login, "admin")
    response = admin.post("/import", data={"csrf_token": admin.csrf})
    assert response.status_code == 400
    assert "请选择要导入的文件" in response.text


def test_upload_without_the_csrf_token_is_refused(login, seeded):
    admin = signed_in(login, "admin")
    response = admin.post("/import", files={"file": ("行事历.txt", CALENDAR_TXT, "text/plain")})
    assert response.status_code == 403
    assert "CSRF" in response.text
    assert draft_count(seeded) == 0


def test_script_upload_gets_json_answers(login, seeded, monkeypatch):
    """What import.js reads: where to go next, or the Chinese error to show."""
    admin = signed_in(login, "admin")
    ok = upload(admin, "行事历.txt", CALENDAR_TXT, accept="application/json")
    assert ok.status_code == 200
    assert ok.json()["redirect"] == f"/import/{ok.json()['draft_id']}"
    monkeypatch.setenv("EDUPLAN_MAX_FILE_BYTES", "100")
    too_big = upload(admin, "行事历.txt", CALENDAR_TXT, accept="application/json")
    assert too_big.status_code == 413
    assert "文件太大" in too_big.json()["detail"]


def test_the_upload_page_has_a_progress_bar_and_works_without_script(login):
    page = signed_in(login, "admin").get("/import").text
    assert 'enctype="multipart/form-data"' in page and 'action="/import"' in page
    assert "<progress" in page
    assert '<script src="/static/import.js"' in page


def test_a_discarded_draft_is_gone(login, seeded):
    admin = signed_in(login, "admin")
    draft_id = draft_id_of(upload(admin, "行事历.txt", CALENDAR_TXT))
    response = admin.post(
        f"/import/{draft_id}/discard", data={"csrf_token": admin.csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    assert admin.get(f"/import/{draft_id}").status_code == 404
    assert draft_count(seeded) == 0


YEARLESS_TXT = "\n".join(
    [
        "示例县教育局秋季学期工作行事历",
        "周次\t日期\t工作内容\t责任科室",
        "第1周\t9月2日—9月6日\t开学工作检查\t基教股、各学校",
        "",
    ]
).encode()


def test_the_year_field_places_dates_written_without_a_year(login):
    admin = signed_in(login, "admin")
    without = admin.get(f"/import/{draft_id_of(upload(admin, 'a.txt', YEARLESS_TXT))}").text
    assert input_value(row_html(without, 0), "start-0") == ""
    assert "上传页填写“年份”" in without  # the reader's --year hint, said for the web
    response = admin.post(
        "/import",
        data={"csrf_token": admin.csrf, "year": "2031"},
        files={"file": ("a.txt", YEARLESS_TXT, "text/plain")},
        follow_redirects=False,
    )
    page = admin.get(f"/import/{draft_id_of(response)}").text
    row = row_html(page, 0)
    assert (input_value(row, "start-0"), input_value(row, "end-0")) == ("2031-09-02", "2031-09-06")


def test_a_malformed_year_is_refused(login, seeded):
    admin = signed_in(login, "admin")
    response = admin.post(
        "/import",
        data={"csrf_token": admin.csrf, "year": "20x4"},
        files={"file": ("a.txt", YEARLESS_TXT, "text/plain")},
    )
    assert response.status_code == 400
    assert "年份要填 2000 到 2099 之间的四位数字" in response.text
    assert draft_count(seeded) == 0
