"""PDF: page limit with a Chinese warning, text outside tables, reading order."""

from __future__ import annotations

import io

from eduplan.read import read_bytes
from eduplan.settings import Limits


def pdf_pages(texts: list[str]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    drawing = canvas.Canvas(out)
    for text in texts:
        drawing.setFont("STSong-Light", 14)
        drawing.drawString(72, 760, text)
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def test_page_limit_cuts_and_warns():
    data = pdf_pages(["第一页：开学准备", "第二页：期中考试", "第三页：期末总结"])
    document = read_bytes(data, "x.pdf", Limits(max_pdf_pages=2))
    assert document.lines == ["第一页：开学准备", "第二页：期中考试"]
    assert document.warnings == ["PDF 共 3 页，只读取了前 2 页；可用环境变量 EDUPLAN_MAX_PDF_PAGES 调整。"]


def test_all_pages_without_limit():
    data = pdf_pages(["第一页：开学准备", "第二页：期中考试"])
    document = read_bytes(data, "x.pdf")
    assert document.lines == ["第一页：开学准备", "第二页：期中考试"]
    assert document.warnings == []


def test_text_is_not_repeated_inside_and_outside_the_table(pdf_bytes):
    lines = read_bytes(pdf_bytes, "x.pdf").lines
    assert sum("全体教师培训" in line for line in lines) == 1
    assert lines.index("周次\t日期\t工作要点\t主持者") == 1
