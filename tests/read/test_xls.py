"""Excel 97 (.xls) read with xlrd: the same lines as the .xlsx reader, merged cells empty."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlwt

from eduplan.errors import ReadError
from eduplan.read import read_bytes
from eduplan.read.detect import ole_kind


def xls_bytes(fill) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    fill(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_sample_reads_as_the_xlsx_sample_does(sample):
    document = read_bytes(sample.build_xls(), "行事历.xls")
    assert document.source.format == "xls"
    assert document.source.encoding is None
    assert document.lines == read_bytes(sample.build_xlsx(), "行事历.xlsx").lines
    assert sample.cells(document.lines) == sample.cells(sample.EXPECTED_LINES)


def test_two_sheets_each_start_with_their_name(sample):
    lines = read_bytes(sample.build_xls(extra_sheet=True), "行事历.xls").lines
    assert lines[0] == "行事历"
    assert lines[-2:] == ["说明", "填表人\t张三"]
    assert lines == read_bytes(sample.build_xlsx(extra_sheet=True), "行事历.xlsx").lines


def test_numbers_dates_and_percentages_as_a_person_reads_them():
    def fill(workbook):
        sheet = workbook.add_sheet("表")
        sheet.write(0, 1, "周次")
        sheet.write(0, 2, "日期")
        sheet.write(0, 3, "入园率")
        sheet.write(0, 4, "时间")
        sheet.write(1, 1, 1.0)
        sheet.write(1, 2, dt.date(2021, 3, 7), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
        sheet.write(1, 3, 0.884, xlwt.easyxf(num_format_str="0.0%"))
        sheet.write(1, 4, dt.time(14, 5), xlwt.easyxf(num_format_str="h:mm"))
        sheet.write(2, 1, 2.5)
        sheet.write(2, 2, dt.datetime(2021, 3, 8, 8, 30), xlwt.easyxf(num_format_str="yyyy-mm-dd h:mm"))
        sheet.write(2, 3, True)
        sheet.write(4, 4, "备注")  # row 4 (index 3) left empty
        sheet.write(5, 5, "", xlwt.easyxf("font: bold on"))  # a styled blank cell is no row

    lines = read_bytes(xls_bytes(fill), "x.xls").lines
    assert lines == [
        "周次\t日期\t入园率\t时间",
        "1\t2021年3月7日\t88.4%\t14:05",
        "2.5\t2021年3月8日 08:30\tTRUE",
        "\t\t\t备注",
    ]


def test_merged_block_keeps_its_top_left_value_only():
    def fill(workbook):
        sheet = workbook.add_sheet("表", cell_overwrite_ok=True)
        sheet.write_merge(0, 1, 0, 1, "合并")  # a 2x2 block
        sheet.write(1, 1, "被合并")  # a value some writers leave under a merged range: not shown
        sheet.write(0, 2, "右上")
        sheet.write(1, 2, "右下")
        sheet.write(2, 0, "左下")

    assert read_bytes(xls_bytes(fill), "x.xls").lines == ["合并\t\t右上", "\t\t右下", "左下"]


def test_lines_of_a_cell_continue_below_its_row_and_stacked_text_stays_whole():
    def fill(workbook):
        sheet = workbook.add_sheet("校历")
        sheet.write(0, 0, "  星期\n周次   ")  # a diagonal header: two stacked words
        sheet.write(0, 1, "记事")
        sheet.write(0, 2, "负责")
        sheet.write_merge(1, 3, 0, 0, "9月")
        sheet.write(1, 1, "老生8月28日报到、注册，\n8月29日正式上课。\n\n中秋节放假一天")
        sheet.write(1, 2, "教务处\r\n学生处")
        sheet.write(2, 1, "国庆节放假三天")

    lines = read_bytes(xls_bytes(fill), "x.xls").lines
    assert lines == [
        "星期 周次\t记事\t负责",
        "9月\t老生8月28日报到、注册，\t教务处",
        "\t8月29日正式上课。\t学生处",
        "\t中秋节放假一天",
        "\t国庆节放假三天",
    ]


def test_content_decides_not_the_extension(sample):
    data = sample.build_xls()
    assert ole_kind(data, "plan.doc") == ("sheet", "xls")
    assert ole_kind(data, "plan.et") == ("sheet", "et")
    document = read_bytes(data, "plan.doc")
    assert document.source.format == "xls"
    assert sample.cells(document.lines) == sample.cells(sample.EXPECTED_LINES)
    assert read_bytes(data, "表.et").source.format == "et"


def test_empty_workbook_is_refused_in_chinese():
    def fill(workbook):
        workbook.add_sheet("Sheet1")

    with pytest.raises(ReadError, match=r"^文件里没有可读的文字：空.xls$"):
        read_bytes(xls_bytes(fill), "空.xls")


def test_many_overlapping_merges_do_not_make_the_reader_crawl():
    from eduplan.read.xls import _covered

    class Sheet:  # 100 x 100 stored cells, the whole sheet listed as merged 10,000 times
        nrows = 100
        merged_cells = [(0, 65536, 0, 256)] * 10_000
        calls = 0

        def row_len(self, _row):
            Sheet.calls += 1
            return 100

    covered = _covered(Sheet())
    assert len(covered) == 100 * 100 - 1  # the first range applies: all but its top-left cell
    assert (0, 0) not in covered
    assert Sheet.calls < 2_000  # 1,000,000 without the bound
