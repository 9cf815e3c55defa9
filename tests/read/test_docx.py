"""Word bodies: paragraphs and tables interleaved, breaks split lines, cell paragraphs apart."""

from __future__ import annotations

import io

import docx
from docx.enum.text import WD_BREAK

from eduplan.read import read_bytes


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_paragraphs_and_tables_interleave_in_document_order():
    document = docx.Document()
    document.add_paragraph("一、工作安排")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "3月"
    document.add_paragraph("二、保障措施")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "4月"
    table.cell(0, 1).text = "期中考试"
    lines = read_bytes(saved(document), "x.docx").lines
    assert lines == ["一、工作安排", "3月\t", "二、保障措施", "4月\t期中考试"]


def test_line_breaks_split_a_paragraph_and_empty_paragraphs_vanish():
    document = docx.Document()
    paragraph = document.add_paragraph("第一行")
    paragraph.add_run().add_break(WD_BREAK.LINE)
    paragraph.add_run("第二行")
    document.add_paragraph("")
    document.add_paragraph("   ")
    document.add_paragraph("第三行")
    assert read_bytes(saved(document), "x.docx").lines == ["第一行", "第二行", "第三行"]


def test_cell_paragraphs_give_sub_lines_and_nested_table_rows_are_paragraphs():
    # A cell's k-th paragraph sits on the row's k-th line, the other cells empty there.
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    cell = table.cell(0, 0)
    cell.text = "要求"
    cell.add_paragraph("与说明")
    inner_cell = table.cell(0, 1)
    inner_cell.text = "外层"
    inner = inner_cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "甲"
    inner.cell(0, 1).text = "乙"
    inner.cell(1, 0).text = "丙"
    inner.cell(1, 1).text = "丁"
    lines = read_bytes(saved(document), "x.docx").lines
    assert lines == ["要求\t外层", "与说明\t甲 乙", "\t丙 丁"]


def test_merge_spanning_a_block_of_cells():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"{r}{c}"
    merged = table.cell(0, 1).merge(table.cell(1, 2))  # 2x2 block
    merged.text = "合并"
    lines = read_bytes(saved(document), "x.docx").lines
    assert lines == ["00\t合并\t", "10\t\t", "20\t21\t22"]


def test_several_paragraphs_in_cells_pair_up_and_merged_cells_stay_empty():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "9月"
    table.cell(0, 0).merge(table.cell(1, 0))  # 月份 merged down over two rows
    table.cell(0, 1).text = "开学典礼"
    table.cell(0, 1).add_paragraph("新生军训")
    table.cell(0, 1).add_paragraph("")  # an empty paragraph is no line
    table.cell(0, 1).add_paragraph("教师节表彰")
    table.cell(0, 2).text = "校办"
    broken = table.cell(0, 2).add_paragraph("学生处")
    broken.add_run().add_break(WD_BREAK.LINE)
    broken.add_run("工会")
    table.cell(1, 1).text = "中秋节放假"
    table.cell(2, 0).text = "10月"
    table.cell(2, 1).text = "国庆节放假"
    lines = read_bytes(saved(document), "x.docx").lines
    assert lines == [
        "9月\t开学典礼\t校办",
        "\t新生军训\t学生处",
        "\t教师节表彰\t工会",
        "\t中秋节放假\t",
        "10月\t国庆节放假\t",
    ]


def test_characters_stacked_down_a_cell_are_one_paragraph():
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "第"
    table.cell(0, 0).add_paragraph("1")
    table.cell(0, 0).add_paragraph("周")
    table.cell(0, 1).text = "开学准备"
    assert read_bytes(saved(document), "x.docx").lines == ["第 1 周\t开学准备"]
