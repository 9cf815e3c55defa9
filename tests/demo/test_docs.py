"""The demo's sample documents: the term they are dated for, their layout (a Word 行事历 with
merged month and week cells, an Excel 任务分解表, a PDF month arrangement whose text comes back),
and the demo's work on them relative to today (done, a few days overdue, in progress)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pdfplumber
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from eduplan.demo.bureau import DEMO_BUREAU, seed_demo
from eduplan.demo.docs import sample_documents
from eduplan.demo.docs.dates import term_around
from eduplan.demo.docs.progress import RECENT, seed_sample_progress
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, ProgressReport
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.read import read_bytes

TODAY = date(2026, 12, 2)  # a Wednesday in week 14 of the autumn term 2026


def test_the_term_is_the_one_holding_today_or_the_next():
    autumn = term_around(TODAY)
    assert (autumn.name, autumn.start, autumn.week1_start, autumn.end) == (
        "2026—2027学年度第一学期",
        date(2026, 8, 24),  # the 预备周's Monday
        date(2026, 8, 31),  # the week of Tuesday 1 September
        date(2027, 1, 24),  # 21 weeks on
    )
    # Winter holiday: the spring term next. Spring Festival 2027 is 6 February; +12 days is
    # Thursday 18 February, so week 1 starts Monday 22 February and runs to the week of 10 July.
    spring = term_around(date(2027, 1, 28))
    assert (spring.name, spring.week1_start, spring.end, spring.weeks) == (
        "2026—2027学年度第二学期",
        date(2027, 2, 22),
        date(2027, 7, 11),
        20,
    )
    assert term_around(date(2026, 7, 20)) == autumn  # summer holiday: the autumn term next


def test_the_calendar_is_a_word_table_with_merged_month_and_week_cells():
    docs = {d.name: d.data for d in sample_documents(DEMO_BUREAU, TODAY)}
    data = docs["示例县教育局2026—2027学年度第一学期教育工作行事历.docx"]
    table = Document(io.BytesIO(data)).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "月份",
        "周次",
        "起止日期",
        "工作要点",
        "要求与说明",
        "主持者",
    ]
    # The 预备周 has three rows: its month, number and dates are one merged cell each.
    assert table.cell(1, 1).text == "预备周"
    assert table.cell(1, 1)._tc is table.cell(3, 1)._tc
    assert table.cell(1, 2).text == "8月24日—8月30日"
    assert table.cell(1, 2)._tc is table.cell(3, 2)._tc
    assert table.cell(4, 1).text == "第一周"
    assert table.cell(1, 0).text == "8月" and table.cell(4, 0).text == "9月"
    assert table.cell(4, 3).text == "秋季学期开学工作检查"


def test_the_breakdown_is_a_workbook_and_the_month_arrangement_a_pdf_with_text():
    docs = {d.name: d.data for d in sample_documents(DEMO_BUREAU, TODAY)}
    sheet = load_workbook(io.BytesIO(docs["示例县教育局2026年重点工作任务分解表.xlsx"])).active
    assert sheet["A1"].value == "示例县教育局2026年重点工作任务分解表"
    assert "A1:F1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == ["序号", "重点任务", "具体措施", "牵头股室", "配合单位", "完成时限"]
    assert sheet["F3"].value == "2026年3月底前"
    with pdfplumber.open(io.BytesIO(docs["示例县教育局2026年12月工作安排.pdf"])) as pdf:
        text = pdf.pages[0].extract_text()
    assert text.splitlines()[0] == "示例县教育局2026年12月工作安排"
    # 7 December 2026 is the month's first Monday.
    assert "1 召开局务会议，研究部署本月重点工作 12月7日 办公室" in text
    assert "开展年度综合督导评估 12月中旬 督导室" in text


def test_a_day_later_builds_the_same_documents():
    """Dated by term, year and month, not by day: a demo built again tomorrow re-imports them
    as the same content (the files' zip entries carry the time they were written)."""
    first = sample_documents(DEMO_BUREAU, TODAY)
    again = sample_documents(DEMO_BUREAU, TODAY + timedelta(days=1))
    assert [d.name for d in first] == [d.name for d in again]
    for one, other in zip(first, again, strict=True):
        assert read_bytes(one.data, one.name).lines == read_bytes(other.data, other.name).lines, one.name
    later = sample_documents(DEMO_BUREAU, date(2027, 1, 4))  # a new month and year, same term
    assert later[0].name == first[0].name
    assert read_bytes(later[0].data, later[0].name).lines == read_bytes(first[0].data, first[0].name).lines


def _plan(*items: tuple[str, date, date]) -> ParsedPlan:
    return ParsedPlan(
        source={"name": "sample.docx", "format": "docx"},
        kind="calendar",
        title="示例县教育局测试行事历",
        issuer=DEMO_BUREAU,
        items=[PlanItem(t, t, s, e, ["基教股"], None, n) for n, (t, s, e) in enumerate(items, 1)],
    )


def test_past_work_is_done_recent_work_partly_overdue_and_running_work_reported(sessions):
    day = timedelta(days=1)
    plan = _plan(
        # The ledger numbers a plan's items from 0 (Item.seq).
        ("上月工作", TODAY - 40 * day, TODAY - 30 * day),  # seq 0: long past → done
        ("上周工作甲", TODAY - 9 * day, TODAY - 3 * day),  # seq 1: recent, odd → still open
        ("上周工作乙", TODAY - 9 * day, TODAY - 3 * day),  # seq 2: recent, even → done
        ("本周工作甲", TODAY - 2 * day, TODAY + 4 * day),  # seq 3: running, 3 % 3 == 0 → reported
        ("本周工作乙", TODAY - 2 * day, TODAY + 4 * day),  # seq 4: open
        ("本周工作丙", TODAY - 2 * day, TODAY + 4 * day),  # seq 5: open
        ("下月工作", TODAY + 30 * day, TODAY + 40 * day),  # seq 6: future → open
        ("久远工作", TODAY - 200 * day, TODAY - 22 * day),  # seq 7: older than RECENT → done
    )
    with sessions.begin() as session:
        seed_demo(session, corpus=None, today=TODAY)
        bureau = get_or_create_bureau(session, DEMO_BUREAU, "test")
        import_plan(session, plan, b"sample", bureau=DEMO_BUREAU, actor="test")
        counts = seed_sample_progress(session, bureau, ["sample.docx"], TODAY)
    assert counts == {"done": 3, "in_progress": 1}
    assert RECENT == 21 * day
    with sessions() as session:
        status = dict(session.execute(select(Item.title, Item.status)).all())
        assert status == {
            "上月工作": "done",
            "上周工作甲": "open",
            "上周工作乙": "done",
            "本周工作甲": "in_progress",
            "本周工作乙": "open",
            "本周工作丙": "open",
            "下月工作": "open",
            "久远工作": "done",
        }
        closed = session.scalars(select(Item).where(Item.title == "上月工作")).one()
        assert closed.closed_by == "基教股"
        # Closed at 17:00 in China on its last day, 2 November: 09:00 UTC.
        at = closed.closed_at
        assert (at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at) == datetime(2026, 11, 2, 9, 0)
    with sessions.begin() as session:  # again the same day: nothing changes
        bureau = get_or_create_bureau(session, DEMO_BUREAU, "test")
        assert seed_sample_progress(session, bureau, ["sample.docx"], TODAY) == {"done": 0, "in_progress": 0}
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 4
