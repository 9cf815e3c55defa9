"""Word exports: read back with python-docx; expected tables are worked out by hand from the input."""

from __future__ import annotations

import io
from datetime import date, timedelta

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table

from eduplan.calendar.model import CalendarDoc, CalendarRow, Week
from eduplan.calendar.word import render_docx, title_lines


def sample_doc() -> CalendarDoc:
    """Sunday-start weeks 9.20—10.17 (预备周 to 第三周, 第二周 and 第三周 without items); items in
    September, October and December (November empty), one without dates."""
    weeks = [
        Week(0, date(2020, 9, 20), date(2020, 9, 26)),
        Week(1, date(2020, 9, 27), date(2020, 10, 3)),
        Week(2, date(2020, 10, 4), date(2020, 10, 10)),
        Week(3, date(2020, 10, 11), date(2020, 10, 17)),
    ]
    rows = [
        CalendarRow(
            "item-1", "开学准备工作检查", "开学准备工作检查：各校排查校舍安全。", date(2020, 9, 21),
            date(2020, 9, 23), ("安全股", "各学校"), office="安全股", status="已完成",
        ),
        CalendarRow("item-2", "召开全县教育工作会议", "", date(2020, 9, 25), None, ("办公室",)),
        CalendarRow(
            "item-4", "秋季学期教学常规检查", "检查备课、作业", date(2020, 9, 29), date(2020, 10, 20),
            ("教研室",), office="教研室",
        ),
        CalendarRow(
            "item-3", "國慶假期安全教育", "各校於放假前開展安全教育。", date(2020, 9, 30), None,
            ("德育股", "各學校"),
        ),
        CalendarRow(
            "item-5", "国庆节升旗仪式", "", date(2020, 10, 1), None, ("德育股",), status="已取消",
            holiday="国庆节",
        ),
        CalendarRow("item-8", "教师资格认定", "现场确认", date(2020, 10, 20), None, ("人事股",)),
        CalendarRow("item-7", "冬季安全检查", "", date(2020, 12, 1), None, ("安全股",)),
        CalendarRow("item-6", "督学责任区挂牌督导", "每月到校不少于一次。", None, None, ("督导室",)),
    ]  # fmt: skip
    holidays = {date(2020, 10, 1) + timedelta(days=i): "国庆节" for i in range(8)}
    return CalendarDoc("某县教育局工作安排", "c", rows, weeks, holidays, {date(2020, 9, 27): "调休"})


def table_text(table: Table) -> list[list[str]]:
    """Cell texts row by row; a vertically merged cell reads as its top cell (python-docx)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def vmerge(table: Table, col: int) -> list[str | None]:
    """The w:vMerge value of column ``col`` in each body row: restart / continue / None."""
    return [row._tr.tc_lst[col].vMerge for row in table.rows[1:]]


@pytest.fixture(scope="module")
def month() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(sample_doc(), layout="month")))


@pytest.fixture(scope="module")
def week() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(sample_doc(), layout="week")))


def test_month_title(month) -> None:
    title = month.paragraphs[0]
    assert title.text == "某县教育局工作安排"
    assert title.alignment == 1  # centre
    run = title.runs[0]
    assert run.bold
    assert run.font.size.pt in (18, 22)  # 小二 or 二号
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_month_table(month) -> None:
    (table,) = month.tables
    assert table.style.name == "Table Grid"
    # Months 9 to 12 (November kept, empty), then 其他; 序号 restarts every month.
    assert table_text(table) == [
        ["月份", "序号", "内容", "主办股室"],
        ["9月", "1", "开学准备工作检查：各校排查校舍安全。", "安全股、各学校"],
        ["9月", "2", "召开全县教育工作会议", "办公室"],
        ["9月", "3", "秋季学期教学常规检查：检查备课、作业", "教研室"],
        ["9月", "4", "國慶假期安全教育：各校於放假前開展安全教育。", "德育股、各學校"],
        ["10月", "1", "国庆节升旗仪式", "德育股"],
        ["10月", "2", "教师资格认定：现场确认", "人事股"],
        ["11月", "", "", ""],
        ["12月", "1", "冬季安全检查", "安全股"],
        ["其他", "1", "督学责任区挂牌督导：每月到校不少于一次。", "督导室"],
    ]
    assert vmerge(table, 0) == [
        "restart",
        "continue",
        "continue",
        "continue",
        "restart",
        "continue",
        None,
        None,
        None,
    ]
    assert vmerge(table, 1) == [None] * 9  # 序号 is never merged


def test_month_page_is_portrait_a4(month) -> None:
    section = month.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width - Cm(21)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)


def test_header_row_repeats(month, week) -> None:
    for document in (month, week):
        table = document.tables[0]
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        assert all(
            row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:]
        )


def test_week_table(week) -> None:
    (table,) = week.tables
    assert table.style.name == "Table Grid"
    oct_note = "9.27—10.3\n国庆节放假\n（10.1—10.3）\n9.27（周日）上班"
    assert table_text(table) == [
        ["月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者"],
        ["9月", "预备周", "9.20—9.26", "开学准备工作检查", "各校排查校舍安全。", "安全股、各学校"],
        ["9月", "预备周", "9.20—9.26", "召开全县教育工作会议", "", "办公室"],
        ["9—10月", "第一周", oct_note, "秋季学期教学常规检查", "检查备课、作业\n时间：9.29—10.20", "教研室"],
        ["9—10月", "第一周", oct_note, "國慶假期安全教育", "各校於放假前開展安全教育。", "德育股、各學校"],
        ["9—10月", "第一周", oct_note, "国庆节升旗仪式", "注意：适逢国庆节", "德育股"],
        ["10月", "第二周", "10.4—10.10\n国庆节放假\n（10.4—10.8）", "", "", ""],
        ["10月", "第三周", "10.11—10.17", "", "", ""],
        ["", "其他", "", "教师资格认定", "现场确认", "人事股"],
        ["", "其他", "", "冬季安全检查", "", "安全股"],
        ["", "其他", "", "督学责任区挂牌督导", "每月到校不少于一次。", "督导室"],
    ]
    expected = [
        "restart",
        "continue",
        "restart",
        "continue",
        "continue",
        None,
        None,
        "restart",
        "continue",
        "continue",
    ]
    assert vmerge(table, 0) == expected  # 月份, 周次 and 起止日期 merged over the week's rows
    assert vmerge(table, 1) == expected
    assert vmerge(table, 2) == expected
    assert vmerge(table, 3) == [None] * 10


def test_no_status_column_or_status_text_by_default(month, week) -> None:
    for document in (month, week):
        text = "\n".join("\t".join(row) for row in table_text(document.tables[0]))
        assert "状态" not in text and "已完成" not in text and "已取消" not in text


def test_status_column_when_asked_for() -> None:
    week = docx.Document(io.BytesIO(render_docx(sample_doc(), layout="week", with_status=True)))
    rows = table_text(week.tables[0])
    assert rows[0] == ["月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者", "状态"]
    # Per body row: 已完成, 未开始 | 未开始 ×2, 已取消 | two empty weeks | 未开始 ×3 (其他).
    expected = ["已完成", "未开始", "未开始", "未开始", "已取消", "", "", "未开始", "未开始", "未开始"]
    assert [row[6] for row in rows[1:]] == expected
    assert rows[1][4] == "各校排查校舍安全。"
    widths = [col.w for col in week.tables[0]._tbl.tblGrid.gridCol_lst]
    assert abs(sum(widths) - Cm(25.7)) < Cm(0.05)  # still between the margins
    month = docx.Document(io.BytesIO(render_docx(sample_doc(), layout="month", with_status=True)))
    rows = table_text(month.tables[0])
    assert rows[0] == ["月份", "序号", "内容", "主办股室", "状态"]
    assert rows[1] == ["9月", "1", "开学准备工作检查：各校排查校舍安全。", "安全股、各学校", "已完成"]
    assert rows[7] == ["11月", "", "", "", ""]


def test_merged_cell_holds_its_text_once(week) -> None:
    top = week.tables[0].rows[3].cells[1]
    assert [p.text for p in top.paragraphs] == ["第一周"]


def test_week_page_is_landscape_a4(week) -> None:
    section = week.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Cm(29.7)) < Cm(0.05) and abs(section.page_height - Cm(21)) < Cm(0.05)
    assert week.paragraphs[0].text == "某县教育局工作安排"


def test_long_title_is_split_in_two_balanced_lines() -> None:
    title = "某县教育局2023—2024学年度第二学期教育工作行事历"
    assert title_lines(title, 20) == ["某县教育局2023—2024学年度", "第二学期教育工作行事历"]
    assert title_lines(title, 40) == [title]
    document = docx.Document(io.BytesIO(render_docx(CalendarDoc(title, "c"), layout="month")))
    assert document.paragraphs[0].text == "某县教育局2023—2024学年度\n第二学期教育工作行事历"


def test_empty_calendar_and_hostile_text() -> None:
    row = CalendarRow("a", "=cmd|' /C calc'!A0\x00", "控制\x07字符\x1b", None, None, ("单位\x0c",))
    document = docx.Document(io.BytesIO(render_docx(CalendarDoc("t\x01", "c", [row]), layout="week")))
    assert document.paragraphs[0].text == "t"
    assert table_text(document.tables[0])[1] == ["", "其他", "", "=cmd|' /C calc'!A0", "控制字符", "单位"]
    odd = CalendarRow("b", "甲\ud800乙\ufffe", "", date(2024, 3, 4), None, ("股\uffff室",))
    document = docx.Document(io.BytesIO(render_docx(CalendarDoc("标\udfff题", "c", [odd]))))
    assert document.paragraphs[0].text == "标题"
    assert table_text(document.tables[0])[1] == ["3月", "1", "甲乙", "股室"]
    empty = docx.Document(io.BytesIO(render_docx(CalendarDoc("t", "c"))))
    assert table_text(empty.tables[0]) == [["月份", "序号", "内容", "主办股室"]]


def test_unknown_layout_is_refused() -> None:
    with pytest.raises(ValueError, match="版式"):
        render_docx(sample_doc(), layout="year")
