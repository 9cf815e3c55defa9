"""Printing the 行事历 page: a 21-week term printed to PDF by Chromium (the print stylesheet, A4
landscape) and the PDF read back with pdfplumber.

The term is made here, not taken from the demo: 预备周 and 21 weeks from 2025-02-17, seven items a
week (eleven in one, none in one, and in week 8 forty: longer than a page), titles and
requirements of realistic lengths. Each title ends with a marker ``WnnKk`` (week nn, item k) in
ASCII, one word that never wraps, so the check needs no Chinese font (a machine without one prints
boxes for Chinese characters; the layout is then a little different, the rules the same):

* no week is split across pages: all the markers of a week are on one page, and the week's dates
  (``3.3—3.9``) are on that page too; the week longer than a page has its dates on its first page;
* every page begins with the header row: its grey fill is the topmost thing drawn in the table's
  place on every page (and, with a Chinese font, its first words are 月份 周次 起止日期);
* the term takes few pages: at most 11, half as many as its 22 weeks (measured: 9 A4 pages with
  WenQuanYi Micro Hei installed, 7 without a Chinese font; the page and stylesheet before took
  16 and 12).
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pdfplumber
import pytest

from eduplan.calendar import model as cal
from eduplan.demo.bureau import DEMO_BUREAU, DEMO_OFFICES, DEMO_USERS, seed_demo
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Organisation
from eduplan.ledger.terms import store_term
from eduplan.plan import Item, Plan

WEEK1 = date(2025, 2, 17)
WEEKS = 21
LONG_WEEK = 8
MAX_PAGES = 11
MARKER = re.compile(r"W(\d\d)K(\d+)")
HEADER_GREY = 0xD9 / 0xFF
PASSWORDS = {username: password for username, password, *_ in DEMO_USERS}
TOPICS = (
    "召开全县教育工作会议",
    "开学工作检查",
    "校园安全隐患排查整治",
    "教师资格认定现场确认",
    "中小学教学视导",
    "全县中小学生田径运动会",
    "义务教育阶段招生工作宣传与政策解读",
    "校长任期目标考核",
    "学前教育宣传月活动",
    "初中学业水平考试报名与资格审查",
    "落实教育资助政策，做好家庭经济困难学生资助",
    "教研活动周",
)
TEXTS = (
    "",
    "详见通知",
    "各校认真组织，按时上报材料",
    "各学校全面排查校舍、消防、食品安全隐患，建立台账，限期整改到位",
    "组织开展专题培训，参训教师不少于200人，培训结束后上报总结",
    "由教研室牵头，各学科教研员分组深入学校听课评课，检查备课、作业批改和教学常规落实情况，并形成视导报告",
)


def term_items() -> list[Item]:
    """Seven items a week (eleven in week 5, forty in week 8, none in week 12), on weekdays."""
    items = []
    for week in range(1, WEEKS + 1):
        monday = WEEK1 + timedelta(days=7 * (week - 1))
        count = {5: 11, LONG_WEEK: 40, 12: 0}.get(week, 7)
        for k in range(1, count + 1):
            day = monday + timedelta(days=(k - 1) % 5)
            title = f"{TOPICS[(week + k) % len(TOPICS)]} W{week:02d}K{k}"
            text = TEXTS[(week * 3 + k) % len(TEXTS)]
            units = [DEMO_OFFICES[(week + k) % len(DEMO_OFFICES)], *(["各学校"] if k % 3 == 0 else [])]
            items.append(
                Item(title, f"{title}：{text}" if text else title, day, day, units, None, len(items) + 1)
            )
    return items


def eduplan_command() -> list[str]:
    script = Path(sys.executable).parent / "eduplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "eduplan.cli"]


def wait_until_up(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"eduplan serve exited ({proc.returncode}):\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"eduplan serve did not answer within 60 s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def term_server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    """A server of its own on a ledger holding the demo bureau, the term and its items:
    (its address, the term's id)."""
    folder = tmp_path_factory.mktemp("print")
    db_url = f"sqlite:///{folder / 'print.db'}"
    with sessions(connect(db_url)).begin() as session:
        seed_demo(session, corpus=None)
        bureau = session.query(Organisation).filter_by(name=DEMO_BUREAU).one()
        term = cal.Term(
            "2024—2025学年度第二学期",
            WEEK1 - timedelta(days=7),
            WEEK1 + timedelta(days=7 * WEEKS - 1),
            WEEK1,
            True,
        )
        term_id = store_term(session, bureau.id, term).id
        plan = Plan(
            source={"name": "term.txt", "format": "txt"},
            kind="calendar",
            title="示例县教育局2024—2025学年度第二学期工作行事历",
            issuer=DEMO_BUREAU,
            period_start=term.start,
            period_end=term.end,
            items=term_items(),
        )
        import_plan(session, plan, b"print test term", bureau=DEMO_BUREAU, actor="test")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = folder / "server.log"
    env = {**os.environ, "EDUPLAN_SECRET_KEY": "e2e-print-secret"}
    env.pop("EDUPLAN_DEBUG", None)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [*eduplan_command(), "serve", "--port", str(port), "--db", db_url],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=folder,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, proc, log)
        yield url, term_id
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def printed(browser, term_server, tmp_path_factory) -> Path:
    """The term's 行事历 page printed to PDF as the browser's print dialog would (CSS page size)."""
    url, term_id = term_server
    context = browser.new_context(base_url=url, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto("/login?next=/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORDS["admin"])
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"/calendar?period=term-{term_id}")
    assert page.locator("tbody.week-block").count() == WEEKS + 1  # 预备周 and 21 weeks
    pdf = tmp_path_factory.mktemp("pdf") / "xingshili.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    context.close()
    return pdf


def week_dates(week: int) -> str:
    start = WEEK1 + timedelta(days=7 * (week - 1))
    end = start + timedelta(days=6)
    return f"{start.month}.{start.day}—{end.month}.{end.day}"


def test_the_term_prints_on_few_a4_landscape_pages(printed: Path) -> None:
    with pdfplumber.open(printed) as pdf:
        pages = pdf.pages
        assert 2 <= len(pages) <= MAX_PAGES, len(pages)
        for page in pages:
            assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape, in points


def test_no_week_is_split_from_its_labels(printed: Path) -> None:
    on_pages: dict[int, set[int]] = defaultdict(set)
    with pdfplumber.open(printed) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    for number, text in enumerate(texts):
        for week, _ in MARKER.findall(text):
            on_pages[int(week)].add(number)
    assert sorted(on_pages) == [w for w in range(1, WEEKS + 1) if w != 12]
    for week, numbers in on_pages.items():
        if week == LONG_WEEK:  # longer than a page: split, its labels at its top
            assert len(numbers) > 1
            assert week_dates(week) in texts[min(numbers)]
            assert not any(week_dates(week) in texts[n] for n in numbers if n != min(numbers))
            continue
        assert len(numbers) == 1, f"week {week} is split over pages {sorted(numbers)}"
        (number,) = numbers
        assert week_dates(week) in texts[number], (week, week_dates(week))
    markers = sum(len(MARKER.findall(text)) for text in texts)
    assert markers == len(term_items())  # every item printed once


def test_every_page_begins_with_the_header_row(printed: Path) -> None:
    with pdfplumber.open(printed) as pdf:
        for page in pdf.pages:
            grey = [r for r in page.rects if _is_header_grey(r.get("non_stroking_color"))]
            assert grey, f"page {page.page_number} has no header row"
            header_top = min(r["top"] for r in grey)
            words = page.extract_words()
            body = [w for w in words if w["top"] > header_top - 1]
            first = min(body, key=lambda w: (round(w["top"]), w["x0"]))
            assert first["top"] < max(r["bottom"] for r in grey), f"page {page.page_number}: {first}"
            # Every item row is below the header.
            assert all(w["top"] > header_top for w in words if MARKER.search(w["text"]))
            chinese = "".join(w["text"] for w in body[:6])
            if "(cid:" not in chinese and re.search("[\u4e00-\u9fff]", chinese):
                assert chinese.startswith("月份周次起止日期"), chinese


def _is_header_grey(color: object) -> bool:
    if not isinstance(color, tuple | list) or not color:
        return False
    return all(abs(float(c) - HEADER_GREY) < 0.02 for c in color)


def test_downloads_from_the_page_are_named_and_laid_out_as_printed(browser, term_server) -> None:
    """A person picks 2025年3月 and 加“状态”列 on the page and clicks 下载 Excel, then a week and
    下载 Word: the browser saves files named after the calendar, laid out as printed."""
    import docx
    import openpyxl

    url, term_id = term_server
    context = browser.new_context(
        base_url=url, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True
    )
    page = context.new_page()
    page.goto("/login?next=/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORDS["admin"])
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"/calendar?period=term-{term_id}")
    form = page.locator("form.downloads")
    form.locator("select[name=scope]").select_option("month-2025-03")
    form.locator("input[name=with_status]").check()
    with page.expect_download() as caught:
        form.get_by_role("button", name="下载 Excel").click()
    excel = caught.value
    title = "示例县教育局2024—2025学年度第二学期工作行事历"
    assert excel.suggested_filename == f"{title}（2025年3月）.xlsx"
    ws = openpyxl.load_workbook(io.BytesIO(excel.path().read_bytes()))["行事历"]  # saved without a suffix
    assert [c.value for c in ws[2]] == [
        "月份",
        "周次",
        "起止日期",
        "工作要点",
        "要求与说明",
        "主持者",
        "状态",
    ]
    # March 2025: 第二周 (2.24—3.2) to 第六周 (3.24—3.30) and 第七周 (3.31—4.6), each week merged.
    labels = [ws[f"B{r}"].value for r in range(3, ws.max_row + 1) if ws[f"B{r}"].value]
    assert labels == ["第二周", "第三周", "第四周", "第五周", "第六周", "第七周"]
    assert "B3:B9" in {str(r) for r in ws.merged_cells.ranges}  # 第二周's seven items
    assert ws.print_title_rows == "$1:$2"

    form.locator("select[name=scope]").select_option("week-2025-03-10")
    form.locator("input[name=with_status]").uncheck()
    with page.expect_download() as caught:
        form.get_by_role("button", name="下载 Word").click()
    word = caught.value
    assert word.suggested_filename == f"{title}（第四周 3.10—3.16）.docx"
    table = docx.Document(io.BytesIO(word.path().read_bytes())).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "月份",
        "周次",
        "起止日期",
        "工作要点",
        "要求与说明",
        "主持者",
    ]
    markers = [MARKER.search(row.cells[3].text).groups() for row in table.rows[1:]]
    assert markers == [("04", str(k)) for k in (1, 6, 2, 7, 3, 4, 5)]  # by date: k and k+5 share a day
    context.close()
