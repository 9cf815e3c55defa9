"""行事历 downloads from the calendar page: /calendar/export.xlsx and /calendar/export.docx.

Same data and "today" as tests/web/test_calendar.py (2024-09-16; the sample plan's five items,
the bureau without a term, so 2024's autumn half year in Monday–Sunday weeks from 9.2—9.8):

    第一周 9.2—9.8    开学工作检查      基教股、各学校   已逾期
    第二周 9.9—9.15   教研活动周        教研室           已逾期
                      全县教师大会      办公室           已逾期
                      城关中学开放日    城关中学         已逾期
    第三周 9.16—9.22  第二中学安全演练  第二中学         未开始

The files are opened with openpyxl and python-docx and their layout checked.
"""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import quote

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import html
from sqlalchemy import select

from eduplan.calendar import model as cal
from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import Organisation
from eduplan.ledger.terms import store_term

TODAY = date(2024, 9, 16)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADERS = ["月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者"]
TITLE = "示例县教育局2024年秋季学期工作行事历"
ALL_TITLES = {"开学工作检查", "教研活动周", "城关中学开放日", "第二中学安全演练", "全县教师大会"}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("eduplan.ledger.clock.today", lambda: TODAY)


@pytest.fixture
def db(seeded):
    factory = sessions(connect(seeded["url"]))
    with factory() as session:
        yield session


def org_id(db, name: str) -> int:
    return db.scalars(select(Organisation.id).where(Organisation.name == name)).one()


def sheet(response):
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))["行事历"]


def word(response):
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == DOCX
    return docx.Document(io.BytesIO(response.content))


def items(ws) -> list[str]:
    return [ws[f"D{r}"].value for r in range(3, ws.max_row + 1) if ws[f"D{r}"].value]


def page_titles(client, query: str = "") -> list[str]:
    page = html.fromstring(client.get(f"/calendar{query}").text)
    return [a.text_content().strip() for a in page.xpath('//table[@id="xingshili"]//td[@class="title"]/a')]


# ------------------------------------------------------------------ access


@pytest.mark.parametrize("url", ["/calendar/export.xlsx", "/calendar/export.docx"])
def test_anonymous_is_sent_to_login(app, url):
    from fastapi.testclient import TestClient

    response = TestClient(app).get(url, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=" + url


@pytest.mark.parametrize("role", ["admin", "office", "guest", "school", "school2"])
def test_a_download_holds_what_the_page_shows_the_same_viewer(login, role):
    client = login(role)
    assert items(sheet(client.get("/calendar/export.xlsx"))) == page_titles(client)


def test_school_gets_its_items_and_those_for_all_schools_only(login, db):
    client = login("school")
    assert items(sheet(client.get("/calendar/export.xlsx"))) == ["开学工作检查", "城关中学开放日"]
    # Naming another school does not widen what a school may see (as on the page).
    other = client.get(f"/calendar/export.xlsx?school={org_id(db, '第二中学')}")
    assert items(sheet(other)) == ["开学工作检查"]


def test_ids_of_another_bureau_and_bad_scopes_are_refused(login, db):
    client = login("admin")
    assert client.get("/calendar/export.xlsx?plan=99999").status_code == 404
    assert client.get("/calendar/export.docx?status=完成了").status_code == 400
    for scope in ("month-2024-13", "week-2024-02-30", "year-2024", "month-"):
        assert client.get(f"/calendar/export.xlsx?scope={scope}").status_code == 400, scope
    # A week outside the period asked for is not found.
    response = client.get("/calendar/export.xlsx?period=2024-autumn&scope=week-2025-03-03")
    assert response.status_code == 404


def test_only_the_two_download_formats_are_pages(login):
    # One route serves export.xlsx and export.docx; any other suffix is the standard 404 page.
    client = login("admin")
    for suffix in ("pdf", "xls", "XLSX", "xlsx.bak"):
        response = client.get(f"/calendar/export.{suffix}")
        assert response.status_code == 404, suffix
        assert "找不到" in response.text, suffix
    assert word(client.get("/calendar/export.docx")).tables


# ------------------------------------------------------------------ the Excel layout


def test_term_download_is_the_printed_excel_layout(login):
    response = login("admin").get("/calendar/export.xlsx")
    filename = quote(f"{TITLE}.xlsx", safe="")
    assert response.headers["content-disposition"].endswith(f"filename*=UTF-8''{filename}")
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.headers["cache-control"] == "private, no-store"
    ws = sheet(response)
    assert ws["A1"].value == TITLE
    assert [c.value for c in ws[2]] == HEADERS
    assert ws.max_column == 6  # no 状态 column unless asked for
    rows = [tuple(c.value for c in ws[r]) for r in range(3, 8)]
    text = "按通知要求做好相关工作"  # the requirement, without 状态：已逾期
    second = "9.9—9.15\n中秋节放假\n（9.15）\n9.14（周六）上班"
    third = "9.16—9.22\n中秋节放假\n（9.16—9.17）"
    assert rows == [
        ("9月", "第一周", "9.2—9.8", "开学工作检查", text, "基教股、各学校"),
        ("9月", "第二周", second, "教研活动周", text, "教研室"),
        (None, None, None, "全县教师大会", text, "办公室"),
        (None, None, None, "城关中学开放日", text, "城关中学"),
        ("9月", "第三周", third, "第二中学安全演练", text, "第二中学"),
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A4:A6", "B4:B6", "C4:C6"} <= merged  # the week's cells down its three rows
    assert not any(r.startswith(("D", "E", "F")) for r in merged)
    # Every week of the half year, 9.2—9.8 to the week holding 1-31 (22 weeks).
    assert ws[f"C{ws.max_row}"].value == "1.27—2.2\n春节放假\n（1.28—2.2）"
    assert ws.max_row == 2 + 21 + 3  # title and header, 21 weeks of one row, the second of three
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$2"


def test_status_column_only_when_asked_for(login):
    client = login("admin")
    ws = sheet(client.get("/calendar/export.xlsx?with_status=1"))
    assert [c.value for c in ws[2]] == [*HEADERS, "状态"]
    statuses = [(ws[f"D{r}"].value, ws[f"G{r}"].value) for r in range(3, 8)]
    assert statuses == [
        ("开学工作检查", "已逾期"),
        ("教研活动周", "已逾期"),
        ("全县教师大会", "已逾期"),
        ("城关中学开放日", "已逾期"),
        ("第二中学安全演练", "未开始"),
    ]
    plain = sheet(client.get("/calendar/export.xlsx?with_status=0"))
    assert plain.max_column == 6
    assert not any("状态" in str(c.value) or "逾期" in str(c.value) for row in plain.iter_rows() for c in row)


def test_office_filter_and_title(login, db):
    client = login("admin")
    response = client.get(f"/calendar/export.xlsx?office={org_id(db, '教研室')}")
    ws = sheet(response)
    assert ws["A1"].value == f"{TITLE}（教研室）"
    assert items(ws) == ["教研活动周"]
    assert quote(f"{TITLE}（教研室）.xlsx", safe="") in response.headers["content-disposition"]


def test_month_download_holds_the_weeks_touching_the_month(login):
    client = login("admin")
    ws = sheet(client.get("/calendar/export.xlsx?scope=month-2024-09"))
    assert ws["A1"].value == f"{TITLE}（2024年9月）"
    # 9.30—10.6 runs into October and is printed whole.
    weeks = [(ws[f"B{r}"].value, ws[f"C{r}"].value) for r in range(3, ws.max_row + 1) if ws[f"B{r}"].value]
    assert [w[0] for w in weeks] == ["第一周", "第二周", "第三周", "第四周", "第五周"]
    assert weeks[3][1] == "9.23—9.29\n9.29（周日）上班" and weeks[4][1].startswith("9.30—10.6\n国庆节放假")
    assert ws["A3"].value == "9月" and ws[f"A{ws.max_row}"].value == "9—10月"
    assert items(ws) == ["开学工作检查", "教研活动周", "全县教师大会", "城关中学开放日", "第二中学安全演练"]
    october = sheet(client.get("/calendar/export.xlsx?scope=month-2024-10"))
    assert [october[f"B{r}"].value for r in range(3, october.max_row + 1)] == [
        "第五周", "第六周", "第七周", "第八周", "第九周",
    ]  # fmt: skip
    assert items(october) == []


def test_month_of_a_term_is_cut_from_that_term(login, db):
    """August 2024 holds only the 预备周 (8.26—9.1) of the term that begins on 8-26."""
    bureau = db.scalars(select(Organisation).where(Organisation.name == DEMO_BUREAU)).one()
    term = cal.Term("2024—2025学年第一学期", date(2024, 8, 26), date(2025, 1, 19), date(2024, 9, 2), True)
    store_term(db, bureau.id, term)
    db.commit()
    ws = sheet(login("admin").get("/calendar/export.xlsx?scope=month-2024-08"))
    assert [(ws[f"A{r}"].value, ws[f"B{r}"].value, ws[f"C{r}"].value) for r in range(3, ws.max_row + 1)] == [
        ("8—9月", "预备周", "8.26—9.1")
    ]


def test_week_download(login):
    ws = sheet(login("admin").get("/calendar/export.xlsx?scope=week-2024-09-11"))
    assert ws["A1"].value == f"{TITLE}（第二周 9.9—9.15）"
    assert items(ws) == ["教研活动周", "全县教师大会", "城关中学开放日"]
    assert ws.max_row == 5
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:F1", "A3:A5", "B3:B5", "C3:C5"}


# ------------------------------------------------------------------ the Word layout


def test_word_download_is_the_printed_week_table(login):
    response = login("admin").get("/calendar/export.docx?scope=week-2024-09-09&with_status=1")
    expected_name = quote(f"{TITLE}（第二周 9.9—9.15）.docx", safe="")
    assert response.headers["content-disposition"].endswith(f"filename*=UTF-8''{expected_name}")
    document = word(response)
    assert document.paragraphs[0].text.replace("\n", "") == f"{TITLE}（第二周 9.9—9.15）"
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Cm(29.7)) < Cm(0.05) and abs(section.page_height - Cm(21)) < Cm(0.05)
    (table,) = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == [*HEADERS, "状态"]
    assert [r[1:4] for r in rows[1:]] == [
        ["第二周", "9.9—9.15\n中秋节放假\n（9.15）\n9.14（周六）上班", "教研活动周"],
        ["第二周", "9.9—9.15\n中秋节放假\n（9.15）\n9.14（周六）上班", "全县教师大会"],
        ["第二周", "9.9—9.15\n中秋节放假\n（9.15）\n9.14（周六）上班", "城关中学开放日"],
    ]
    assert [r[6] for r in rows[1:]] == ["已逾期"] * 3
    assert [row._tr.tc_lst[0].vMerge for row in table.rows[1:]] == ["restart", "continue", "continue"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header on every page


def test_word_term_download_has_no_status_by_default(login):
    document = word(login("office").get("/calendar/export.docx"))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == HEADERS
    assert {r[3] for r in rows[1:] if r[3]} == ALL_TITLES
    assert not any("状态" in cell or "逾期" in cell for row in rows for cell in row)


# ------------------------------------------------------------------ offered from the pages


def test_week_page_offers_the_downloads_with_its_filters(login, db):
    jiaoyan = org_id(db, "教研室")
    page = html.fromstring(login("admin").get(f"/calendar?office={jiaoyan}").text)
    (form,) = page.xpath('//form[contains(@class, "downloads")]')
    assert form.get("action") == "/calendar/export.xlsx"
    assert form.xpath(".//button/@formaction") == ["/calendar/export.docx"]
    hidden = {i.get("name"): i.get("value") for i in form.xpath('.//input[@type="hidden"]')}
    assert hidden == {"office": str(jiaoyan), "period": "2024-autumn"}
    scopes = form.xpath('.//select[@name="scope"]//option/@value')
    assert scopes[0] == ""
    assert "month-2024-09" in scopes and "month-2025-02" in scopes  # the last week runs into February
    assert "week-2024-09-16" in scopes and len([s for s in scopes if s.startswith("week-")]) == 22
    assert form.xpath('.//input[@type="checkbox"]/@name') == ["with_status"]
    assert "no-print" in form.get("class").split()


def test_month_page_links_to_the_month_download(login, db):
    jijiao = org_id(db, "基教股")
    page = html.fromstring(login("admin").get(f"/calendar/month?month=2024-09&office={jijiao}").text)
    links = page.xpath('//p[contains(@class, "downloads")]/a/@href')
    assert links == [
        f"/calendar/export.xlsx?office={jijiao}&scope=month-2024-09",
        f"/calendar/export.docx?office={jijiao}&scope=month-2024-09",
    ]
    assert items(sheet(login("admin").get(links[0]))) == ["开学工作检查"]


def test_status_on_the_page_is_marked_for_the_print_to_leave_out(login):
    page = html.fromstring(login("admin").get("/calendar").text)
    notes = page.xpath('//td[@class="requirement"]/span[@class="status-note"]')
    assert [n.text_content() for n in notes] == ["\n状态：已逾期"] * 4  # 第二中学安全演练 is 未开始
