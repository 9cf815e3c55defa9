"""The same calendar in every supported format gives the same items (built with the real libraries)."""

from __future__ import annotations

import io
from datetime import date

import pytest

from eduplan.read import read_bytes
from eduplan.understand import understand

TITLE = "某某县教育局2021年秋季学期工作行事历"
HEADER = ["周次", "起止日期", "工作内容", "责任单位"]
ROWS = [
    ["第1周", "8月30日-9月5日", "秋季开学工作检查", "督导室、各学校"],
    ["", "", "教師節表彰籌備", "人事股"],  # merged week cell; traditional script kept as written
    ["第2周", "9月6日-9月12日", "庆祝教师节系列活动", "工会"],
]
EXPECTED = [
    ("秋季开学工作检查", date(2021, 8, 30), date(2021, 9, 5), ["督导室", "各学校"]),
    ("教師節表彰籌備", date(2021, 8, 30), date(2021, 9, 5), ["人事股"]),
    ("庆祝教师节系列活动", date(2021, 9, 6), date(2021, 9, 12), ["工会"]),
]


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    for c, text in enumerate(HEADER):
        table.cell(0, c).text = text
    for r, row in enumerate(ROWS, start=1):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))  # the week cell spans two rows, as printed
    table.cell(1, 1).merge(table.cell(2, 1))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.append(HEADER)
    for row in ROWS:
        ws.append([c or None for c in row])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _html() -> bytes:
    cells = "".join(f"<th>{h}</th>" for h in HEADER)
    body = (
        f"<tr><td rowspan=2>{ROWS[0][0]}</td><td rowspan=2>{ROWS[0][1]}</td><td>{ROWS[0][2]}</td>"
        f"<td>{ROWS[0][3]}</td></tr><tr><td>{ROWS[1][2]}</td><td>{ROWS[1][3]}</td></tr>"
        + "<tr>"
        + "".join(f"<td>{c}</td>" for c in ROWS[2])
        + "</tr>"
    )
    page = (
        "<html><head><meta charset='utf-8'><title>x</title></head><body>"
        "<div class='nav'>首页 | 通知公告</div>"
        f"<h1>{TITLE}</h1><table><tr>{cells}</tr>{body}</table>"
        "<div class='footer'>扫一扫在手机打开当前页</div></body></html>"
    )
    return page.encode("utf-8")


def _pdf() -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4))
    table = Table([HEADER, *ROWS])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("SPAN", (0, 1), (0, 2)),
                ("SPAN", (1, 1), (1, 2)),
            ]
        )
    )
    title = Paragraph(TITLE, ParagraphStyle("t", fontName="STSong-Light", fontSize=14))
    doc.build([title, table])
    return out.getvalue()


def _text(encoding: str) -> bytes:
    lines = [TITLE, "\t".join(HEADER)] + ["\t".join(r) for r in ROWS]
    return "\n".join(lines).encode(encoding)


BUILDERS = {
    "docx": (_docx, "plan.docx"),
    "xlsx": (_xlsx, "plan.xlsx"),
    "html": (_html, "plan.html"),
    "pdf": (_pdf, "plan.pdf"),
    "utf-8": (lambda: _text("utf-8"), "plan.txt"),
    "utf-8-sig": (lambda: _text("utf-8-sig"), "plan.txt"),
    "gb18030": (lambda: _text("gb18030"), "plan.txt"),
    "utf-16": (lambda: _text("utf-16"), "plan.txt"),
}


@pytest.mark.parametrize("fmt", list(BUILDERS))
def test_same_items_from_every_format(fmt):
    build, name = BUILDERS[fmt]
    plan = understand(read_bytes(build(), name))
    got = [(i.title, i.start, i.end, i.departments) for i in plan.items]
    assert got == EXPECTED
    assert plan.title == TITLE
    assert plan.kind == "calendar"
