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


def _canvas():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    return out, canvas.Canvas(out)


def _table(
    drawing, xs: list[float], top: float, heights: list[float], rows: list[list[list[str | None]]]
) -> None:
    """Rules at ``xs`` and under each row; each cell's strings drawn one a line from its top
    (``None`` leaves its line empty)."""
    drawing.setFont("STSong-Light", 10)
    bottom = top - sum(heights)
    for x in xs:
        drawing.line(x, top, x, bottom)
    y = top
    drawing.line(xs[0], y, xs[-1], y)
    for height, row in zip(heights, rows, strict=True):
        for x, cell in zip(xs, row, strict=False):
            for k, text in enumerate(cell):
                if text is not None:
                    drawing.drawString(x + 5, y - 14 - 14 * k, text)
        y -= height
        drawing.line(xs[0], y, xs[-1], y)


def test_a_cell_gives_a_sub_line_per_entry_and_its_background_is_no_rule():
    out, drawing = _canvas()
    drawing.setFont("STSong-Light", 14)
    drawing.drawString(72, 740, "某校2025年行事历")
    # Two fills of one colour side by side behind one cell: no rule between them.
    drawing.setFillColorRGB(0.8, 1, 1)
    drawing.rect(120, 620, 130, 60, stroke=0, fill=1)
    drawing.rect(250, 620, 130, 60, stroke=0, fill=1)
    drawing.setFillColorRGB(0, 0, 0)
    rows = [
        [["日期"], ["工作要点"], ["负责"]],
        [["9月"], ["9/1开学典礼、", "新生入学教育", "9/8教师培训"], ["教务处"]],
    ]
    _table(drawing, [50, 120, 380, 460], 700, [20, 60], rows)
    drawing.showPage()
    drawing.save()
    assert read_bytes(out.getvalue(), "x.pdf").lines == [
        "某校2025年行事历",
        "日期\t工作要点\t负责",
        "9月\t9/1开学典礼、新生入学教育\t教务处",  # an undated line continues the dated entry
        "\t9/8教师培训\t",
    ]


def test_a_two_column_block_is_read_left_column_first():
    out, drawing = _canvas()
    drawing.setFont("STSong-Light", 10)
    drawing.drawString(72, 780, "备注：")
    left = ["1、开学 9月1日", "2、中秋 9月17日", "3、国庆 10月1日"]
    right = ["4、元旦 1月1日", "5、春节 1月29日", "6、清明 4月4日"]
    for k, (a, b) in enumerate(zip(left, right, strict=True)):
        drawing.drawString(72, 764 - 16 * k, a)
        drawing.drawString(300, 764 - 16 * k, b)
    drawing.drawString(72, 700, "说明：本表经校务会审议通过，各部门据此安排本学期的工作与活动。")
    drawing.showPage()
    drawing.save()
    assert read_bytes(out.getvalue(), "x.pdf").lines == [
        "备注：",
        *left,
        *right,
        "说明：本表经校务会审议通过，各部门据此安排本学期的工作与活动。",
    ]


def test_a_table_over_two_pages_has_its_repeated_header_read_once():
    out, drawing = _canvas()
    xs = [50, 110, 200, 460]
    header = [["周次"], ["日期"], ["工作要点"]]
    _table(drawing, xs, 700, [20, 20], [header, [["1"], ["9.1—9.7"], ["开学准备"]]])
    drawing.showPage()
    continued = [[], [], ["新生入学教育"]]
    _table(drawing, xs, 700, [20, 20, 20], [header, continued, [["2"], ["9.8—9.14"], ["教师节庆祝"]]])
    drawing.showPage()
    drawing.save()
    assert read_bytes(out.getvalue(), "x.pdf").lines == [
        "周次\t日期\t工作要点",
        "1\t9.1—9.7\t开学准备",
        "\t\t新生入学教育",  # the row continued from the page before keeps its empty cells
        "2\t9.8—9.14\t教师节庆祝",
    ]


def test_character_spacing_counts_after_the_last_glyph_of_a_string():
    out, drawing = _canvas()
    text = drawing.beginText(100, 700)
    text.setFont("Helvetica", 14)
    text.setCharSpace(30)
    text.textOut("1")  # each string one glyph, spaced by Tc alone, as spreadsheets export digits
    text.textOut("2")
    drawing.drawText(text)
    drawing.showPage()
    drawing.save()
    assert read_bytes(out.getvalue(), "x.pdf").lines == ["1 2"]


def test_entries_level_with_a_column_of_days_share_their_sub_line():
    out, drawing = _canvas()
    rows: list[list[list[str | None]]] = [
        [["日"], ["星", "期"], ["重要行事"]],  # 星期 set one character a line in a narrow cell
        [
            ["1", None, "3", "15"],
            ["五", None, "日", "一"],
            ["1.新生报到", "2.新生入学教育", "就学贷款截止", "上课开始"],
        ],
    ]
    _table(drawing, [50, 72, 94, 400], 700, [34, 62], rows)
    drawing.showPage()
    drawing.save()
    assert read_bytes(out.getvalue(), "x.pdf").lines == [
        "日\t星期\t重要行事",
        "1\t五\t1.新生报到",
        "\t\t2.新生入学教育",
        "3\t日\t就学贷款截止",  # not the k-th paragraph (2.新生入学教育) but the one level with it
        "15\t一\t上课开始",
    ]
