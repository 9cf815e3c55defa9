"""Excel cells as a person reads them: Chinese dates, whole numbers, percentages."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from eduplan.read import read_bytes
from eduplan.read.xlsx import cell_text


def workbook_bytes(fill) -> bytes:
    workbook = openpyxl.Workbook()
    fill(workbook.active)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (dt.datetime(2021, 3, 7), "yyyy-mm-dd", "2021年3月7日"),
        (dt.datetime(2021, 3, 7, 8, 30), "yyyy-mm-dd h:mm", "2021年3月7日 08:30"),
        (dt.date(2021, 12, 1), "yyyy-mm-dd", "2021年12月1日"),
        (dt.time(14, 5), "h:mm", "14:05"),
        (12.0, "General", "12"),
        (88.4, "General", "88.4"),
        (0.1 + 0.2, "General", "0.3"),
        (0.884, "0.0%", "88.4%"),
        (1, "0%", "100%"),
        (7, "General", "7"),
        (True, "General", "TRUE"),
        ("  全体\n教师会议 ", "General", "全体 教师会议"),
        (None, "General", ""),
    ],
)
def test_cell_text(value, number_format, expected):
    assert cell_text(value, number_format) == expected


def test_dates_numbers_and_blank_rows_in_a_sheet():
    def fill(sheet):
        sheet["B2"] = "周次"
        sheet["C2"] = "日期"
        sheet["D2"] = "入园率"
        sheet["B3"] = 1.0
        sheet["C3"] = dt.datetime(2021, 3, 7)
        sheet["D3"] = 0.884
        sheet["D3"].number_format = "0.0%"
        # row 4 left empty; row 5 has a value only in the last column
        sheet["D5"] = "备注"
        sheet["F6"] = None  # a styled but empty cell does not make a row

    document = read_bytes(workbook_bytes(fill), "x.xlsx")
    assert document.lines == ["周次\t日期\t入园率", "1\t2021年3月7日\t88.4%", "\t\t备注"]


def test_a_far_away_cell_does_not_blow_up():
    def fill(sheet):
        sheet["A1"] = "标题"
        sheet["A1048576"] = "末行"

    document = read_bytes(workbook_bytes(fill), "x.xlsx")
    assert document.lines == ["标题", "末行"]


def test_merged_range_keeps_only_its_top_left_value():
    def fill(sheet):
        sheet.append(["第1周", "开学准备", "基教股"])
        sheet.append([None, "教师培训", "师训股"])
        sheet.merge_cells("A1:A2")
        sheet.append(["第2周", "教研活动", None])
        sheet.merge_cells("B3:C3")

    document = read_bytes(workbook_bytes(fill), "x.xlsx")
    assert document.lines == ["第1周\t开学准备\t基教股", "\t教师培训\t师训股", "第2周\t教研活动"]


def test_empty_sheets_are_skipped_but_titles_kept_for_others():
    workbook = openpyxl.Workbook()
    workbook.active.title = "空表"
    second = workbook.create_sheet("春季")
    second.append(["第1周", "开学"])
    third = workbook.create_sheet("秋季")
    third.append(["第1周", "军训"])
    out = io.BytesIO()
    workbook.save(out)
    document = read_bytes(out.getvalue(), "x.xlsx")
    assert document.lines == ["春季", "第1周\t开学", "秋季", "第1周\t军训"]


def test_lines_of_a_cell_continue_below_its_row():
    def fill(sheet):
        sheet.append(["9月", "开学典礼\n教师节表彰\n中秋节放假", "校长办公室\n工会"])
        sheet.append([None, "国庆节放假"])
        sheet.merge_cells("A1:A2")
        sheet.append(["备\n注", "期中\n考试"])  # stacked characters stay one paragraph

    document = read_bytes(workbook_bytes(fill), "x.xlsx")
    assert document.lines == [
        "9月\t开学典礼\t校长办公室",
        "\t教师节表彰\t工会",
        "\t中秋节放假",
        "\t国庆节放假",
        "备 注\t期中 考试",
    ]
