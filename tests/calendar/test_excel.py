"""Excel 行事历: read back with openpyxl; the expected layout is worked out by hand from the input."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from eduplan.calendar.excel import render_xlsx
from eduplan.calendar.grouping import month_span_label, sheet_names, span_label
from eduplan.calendar.model import CalendarDoc, CalendarRow, Week

HYPERLINK = '=HYPERLINK("http://evil.example/x","点我")'


def sample_doc() -> CalendarDoc:
    """Sunday-start weeks: 预备周 9.20—9.26, 第一周 9.27—10.3 (two months, National Day), 第二周
    (holiday, no items), 第三周 (no items), 第四周 (a hostile title); one row after the last week,
    one without dates."""
    weeks = [
        Week(0, date(2020, 9, 20), date(2020, 9, 26)),
        Week(1, date(2020, 9, 27), date(2020, 10, 3)),
        Week(2, date(2020, 10, 4), date(2020, 10, 10)),
        Week(3, date(2020, 10, 11), date(2020, 10, 17)),
        Week(4, date(2020, 10, 18), date(2020, 10, 24)),
    ]
    rows = [
        CalendarRow(
            "item-1", "开学准备工作检查", "开学准备工作检查：各校排查校舍安全。", date(2020, 9, 21),
            date(2020, 9, 23), ("安全股", "各学校"), office="安全股", status="已完成",
        ),
        CalendarRow("item-2", "召开全县教育工作会议", "", date(2020, 9, 25), None, ("办公室",)),
        CalendarRow(
            "item-4", "秋季学期教学常规检查", "检查备课、作业；各校自查", date(2020, 9, 29),
            date(2020, 10, 20), ("教研室",), status="进行中",
        ),
        CalendarRow(
            "item-3", "國慶假期安全教育", "各校於放假前開展安全教育。", date(2020, 9, 30), None,
            ("德育股", "各學校"), office="德育股",
        ),
        CalendarRow(
            "item-5", "国庆节升旗仪式", "", date(2020, 10, 1), None, ("德育股",), status="已取消",
            lunar="农历八月十五", holiday="国庆节",
        ),
        CalendarRow("item-8", HYPERLINK, "+1 -1 @sum", date(2020, 10, 20), None, ("办公室",)),
        CalendarRow("item-7", "冬季安全检查", "", date(2020, 12, 1), None, ("安全股",)),
        CalendarRow("item-6", "督学责任区挂牌督导", "每月到校不少于一次。", None, None, ("督导室",)),
    ]  # fmt: skip
    holidays = {date(2020, 10, 1) + timedelta(days=i): "国庆节" for i in range(8)}
    workdays = {date(2020, 9, 27): "国庆节调休", date(2020, 10, 10): "国庆节调休"}
    return CalendarDoc("某县教育局行事历", "行事历", rows, weeks, holidays, workdays)


def load(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def book() -> Workbook:
    return load(render_xlsx(sample_doc(), by_office=True))


def column(ws, letter: str, first: int = 3) -> list[str | None]:
    return [ws[f"{letter}{r}"].value for r in range(first, ws.max_row + 1)]


def test_title_and_header(book: Workbook) -> None:
    ws = book["行事历"]
    assert ws["A1"].value == "某县教育局行事历"
    assert ws["A1"].font.b and ws["A1"].font.sz > 12
    assert ws["A1"].alignment.horizontal == "center"
    assert [c.value for c in ws[2]] == ["月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者"]


def test_one_merged_block_per_week_and_column(book: Workbook) -> None:
    # Rows: 3–4 预备周 (2 items), 5–7 第一周 (3), 8 第二周 (empty), 9 第三周 (empty), 10 第四周 (1),
    # 11–12 其他 (the December row and the undated row). Single-row weeks are not merged.
    expected = {"A1:F1"}
    for first, last in ((3, 4), (5, 7), (11, 12)):
        expected |= {f"{col}{first}:{col}{last}" for col in "ABC"}
    assert {str(r) for r in book["行事历"].merged_cells.ranges} == expected


def test_week_columns(book: Workbook) -> None:
    ws = book["行事历"]
    labels = {r: (ws[f"A{r}"].value, ws[f"B{r}"].value, ws[f"C{r}"].value) for r in (3, 5, 8, 9, 10, 11)}
    assert labels == {
        3: ("9月", "预备周", "9.20—9.26"),
        5: ("9—10月", "第一周", "9.27—10.3\n国庆节放假\n（10.1—10.3）\n9.27（周日）上班"),
        8: ("10月", "第二周", "10.4—10.10\n国庆节放假\n（10.4—10.8）\n10.10（周六）上班"),
        9: ("10月", "第三周", "10.11—10.17"),
        10: ("10月", "第四周", "10.18—10.24"),
        11: (None, "其他", None),
    }


def test_item_columns(book: Workbook) -> None:
    ws = book["行事历"]
    assert column(ws, "D") == [
        "开学准备工作检查",
        "召开全县教育工作会议",
        "秋季学期教学常规检查",
        "國慶假期安全教育",
        "国庆节升旗仪式",
        None,
        None,
        HYPERLINK,
        "冬季安全检查",
        "督学责任区挂牌督导",
    ]
    assert column(ws, "E") == [
        "各校排查校舍安全。",  # the title is not repeated; no status unless asked for
        None,
        "检查备课、作业；各校自查\n时间：9.29—10.20",  # runs past its week
        "各校於放假前開展安全教育。",
        "农历八月十五\n注意：适逢国庆节",
        None,
        None,
        "+1 -1 @sum",
        None,
        "每月到校不少于一次。",
    ]
    assert column(ws, "F") == [
        "安全股、各学校",
        "办公室",
        "教研室",
        "德育股、各學校",
        "德育股",
        None,
        None,
        "办公室",
        "安全股",
        "督导室",
    ]


def test_no_status_column_or_status_text_by_default(book: Workbook) -> None:
    for ws in book.worksheets:
        assert ws.max_column == 6
        texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [t for t in texts if "状态" in t or "已完成" in t or "已取消" in t]


def test_status_column_when_asked_for() -> None:
    book = load(render_xlsx(sample_doc(), by_office=True, with_status=True))
    ws = book["行事历"]
    assert [c.value for c in ws[2]][5:] == ["主持者", "状态"]
    # Rows 3..12 as in test_item_columns: 第二周 and 第三周 (rows 8, 9) have no item.
    later = ["未开始"] * 3
    assert column(ws, "G") == ["已完成", "未开始", "进行中", "未开始", "已取消", None, None, *later]
    assert column(ws, "E")[0] == "各校排查校舍安全。"  # the status is in its column, not in the text
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["G3"].alignment.horizontal == "center" and ws["G12"].border.bottom.style == "thin"
    assert column(book["教研室"], "G") == [None, "进行中", None, None, None]


def test_formula_looking_text_stays_text() -> None:
    data = render_xlsx(sample_doc())
    ws = load(data)["行事历"]
    assert ws["D10"].value == HYPERLINK
    assert ws["D10"].data_type == "s"
    assert ws["E10"].data_type == "s"
    assert ws["D10"].quotePrefix and ws["E10"].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet


def test_print_setup(book: Workbook) -> None:
    ws = book["行事历"]
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$1:$2"  # title and header rows on every printed page
    assert ws.page_margins.left == ws.page_margins.right == 0.4
    assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
    assert ws["D3"].alignment.wrap_text and ws["D3"].alignment.vertical == "center"
    assert ws["D3"].border.left.style == "thin" and ws["F12"].border.bottom.style == "thin"
    # CJK text counts double: the 要求与说明 column is wider than the 周次 column.
    assert ws.column_dimensions["E"].width > ws.column_dimensions["B"].width


def test_office_sheets_hold_exactly_their_rows(book: Workbook) -> None:
    # Offices in first-seen order: each row's office, else its lead unit.
    assert book.sheetnames == ["行事历", "安全股", "办公室", "教研室", "德育股", "督导室"]
    expected = {
        "安全股": ["开学准备工作检查", "冬季安全检查"],
        "办公室": ["召开全县教育工作会议", HYPERLINK],
        "教研室": ["秋季学期教学常规检查"],
        "德育股": ["國慶假期安全教育", "国庆节升旗仪式"],
        "督导室": ["督学责任区挂牌督导"],
    }
    for name, titles in expected.items():
        ws = book[name]
        assert ws["A1"].value == f"某县教育局行事历（{name}）"
        assert [v for v in column(ws, "D") if v] == titles
        assert ws.freeze_panes == "A3" and ws.print_title_rows == "$1:$2"
    # Every week is still printed on an office sheet: 5 weeks, plus 其他 where needed.
    assert column(book["教研室"], "B") == ["预备周", "第一周", "第二周", "第三周", "第四周"]
    assert column(book["督导室"], "B")[-1] == "其他"


def test_office_sheet_names_follow_excel_rules() -> None:
    long_name = "县教育局基础教育股义务教育阶段学籍管理与控辍保学工作专班"
    rows = [
        CalendarRow("a", "甲", "", date(2024, 3, 4), None, ("招生:考试/办公室[临时]?",)),
        CalendarRow("b", "乙", "", date(2024, 3, 5), None, ("招生*考试\\办公室[临时]?",)),
        CalendarRow("c", "丙", "", date(2024, 3, 6), None, (long_name,)),
        CalendarRow("d", "丁", "", date(2024, 3, 7), None, ("行事历",)),
    ]
    book = load(render_xlsx(CalendarDoc("t", "c", rows), by_office=True))
    assert book.sheetnames == [
        "行事历",
        "招生_考试_办公室_临时__",
        "招生_考试_办公室_临时__(2)",
        long_name[:31],
        "行事历(2)",
    ]
    assert book["招生_考试_办公室_临时__(2)"]["D3"].value == "乙"
    assert book["行事历(2)"]["D3"].value == "丁"


def test_sheet_names_helper() -> None:
    assert sheet_names(["a" * 40, "a" * 40, "History", "'引号'", "  "]) == [
        "a" * 31,
        "a" * 28 + "(2)",
        "History_",
        "引号",
        "Sheet",
    ]
    assert sheet_names(["ABC"], taken=["abc"]) == ["ABC(2)"]


def test_calendar_weeks_when_the_term_has_none() -> None:
    # Wednesday 3.6 and Wednesday 3.20, 2024: three Monday–Sunday weeks, the middle one empty.
    rows = [
        CalendarRow("a", "甲", "", date(2024, 3, 6), None, ()),
        CalendarRow("b", "乙", "", date(2024, 3, 20), None, ()),
    ]
    ws = load(render_xlsx(CalendarDoc("t", "c", rows)))["行事历"]
    assert [(ws[f"B{r}"].value, ws[f"C{r}"].value, ws[f"D{r}"].value) for r in (3, 4, 5)] == [
        ("第一周", "3.4—3.10", "甲"),
        ("第二周", "3.11—3.17", None),
        ("第三周", "3.18—3.24", "乙"),
    ]
    assert ws.max_row == 5


def test_span_labels() -> None:
    assert span_label(date(2021, 2, 28), date(2021, 3, 6)) == "2.28—3.6"
    assert span_label(date(2021, 3, 6), date(2021, 3, 6)) == "3.6"
    assert month_span_label(date(2021, 2, 28), date(2021, 3, 6)) == "2—3月"
    assert month_span_label(date(2021, 3, 1), date(2021, 3, 7)) == "3月"
    assert month_span_label(date(2020, 12, 28), date(2021, 1, 3)) == "12—1月"


def test_hostile_text_is_written_without_failing() -> None:
    text = "控制字符\x00\x07\x1b保留其余" + "长" * 40000
    row = CalendarRow("a", "-危险\x0b标题", text, date(2024, 3, 4), None, ("@单位",))
    ws = load(render_xlsx(CalendarDoc("t", "c", [row])))["行事历"]
    assert ws["D3"].value == "-危险标题"
    assert ws["E3"].value.startswith("控制字符保留其余长")
    assert len(ws["E3"].value) == 32767
    assert ws["F3"].value == "@单位" and ws["F3"].data_type == "s"


def test_characters_xml_cannot_hold_are_dropped() -> None:
    row = CalendarRow("a", "甲\ud800乙\ufffe", "丙\udfff", date(2024, 3, 4), None, ("股\uffff室",))
    book = load(render_xlsx(CalendarDoc("标\ud800题", "c", [row]), by_office=True))
    assert book.sheetnames == ["行事历", "股_室"]
    ws = book["行事历"]
    assert (ws["A1"].value, ws["D3"].value, ws["E3"].value, ws["F3"].value) == ("标题", "甲乙", "丙", "股室")
