"""Word bodies: paragraphs and tables interleaved, breaks split lines, nesting flattened."""

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


def test_cell_paragraphs_join_with_a_space_and_nested_tables_flatten():
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
    assert lines == ["要求 与说明\t外层 甲 乙 丙 丁"]


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
