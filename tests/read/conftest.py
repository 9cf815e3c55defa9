"""One small 行事历 built in every format with the real libraries.

The same content everywhere: a title paragraph; a table with header 周次/日期/工作要点/
主持者 and three rows, the second with its 周次 cell merged vertically into the first
row's, the third with 工作要点 merged across 主持者; then a paragraph in traditional
characters. ``EXPECTED_LINES`` is what every reader must produce (written by hand).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

TITLE = "某某县教育局2021年春季学期工作行事历"
HEADER = ["周次", "日期", "工作要点", "主持者"]
ROW1 = ["1", "2.21—2.27", "新学期开学准备", "基教股"]
ROW2 = ["", "2.28", "全体教师培训", "师训股"]  # 周次 continues the cell above
ROW3 = ["2", "3.7—3.13", "全县教研活动", ""]  # 工作要点 spans 主持者
NOTE = "備註：各學校應於每週五前報送工作總結。"

EXPECTED_ROWS = [HEADER, ROW1, ROW2, ROW3]
EXPECTED_LINES = [
    "某某县教育局2021年春季学期工作行事历",
    "周次\t日期\t工作要点\t主持者",
    "1\t2.21—2.27\t新学期开学准备\t基教股",
    "\t2.28\t全体教师培训\t师训股",
    "2\t3.7—3.13\t全县教研活动\t",
    "備註：各學校應於每週五前報送工作總結。",
]

HTML = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>行事历</title>
<script>var x = "<p>不是正文</p>";</script><style>p {{ color: red }}</style></head>
<body>
<div class="top-nav"><a href="/">首页</a> | <a href="/news">新闻</a></div>
<div class="breadcrumb">当前位置：首页 &gt; 通知公告</div>
<h1>某某县教育局2021年春季学期工作行事历</h1>
<table border="1">
<thead><tr><th>周次</th><th>日期</th><th>工作要点</th><th>主持者</th></tr></thead>
<tbody>
<tr><td rowspan="2">1</td><td>2.21—2.27</td><td>新学期<b>开学</b>准备</td><td>基教股</td></tr>
<tr><td>2.28</td><td><p>全体教师培训</p></td><td>师训股</td></tr>
<tr><td>2</td><td>3.7—3.13</td><td colspan="2">全县教研活动</td></tr>
</tbody></table>
<p>備註：各學校應於每週五前報送工作總結。</p>
<div class="share-bar">分享到：微信 微博</div>
<p>扫一扫在手机打开当前页</p>
<div id="footer">版权所有：某某县教育局 ICP备12345678号</div>
</body></html>
"""


def html_text(charset: str = "utf-8") -> str:
    return HTML.format(charset=charset)


def plain_text() -> str:
    return "\n".join(EXPECTED_LINES) + "\n"


def build_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=4, cols=4)
    for c, text in enumerate(HEADER):
        table.cell(0, c).text = text
    for c, text in enumerate(ROW1):
        table.cell(1, c).text = text
    for c, text in enumerate(ROW2[1:], start=1):
        table.cell(2, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))  # vertical merge of 周次
    table.cell(3, 0).text = ROW3[0]
    table.cell(3, 1).text = ROW3[1]
    merged = table.cell(3, 2).merge(table.cell(3, 3))  # horizontal merge
    merged.text = ROW3[2]
    document.add_paragraph(NOTE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_xlsx(extra_sheet: bool = False) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "行事历"
    sheet.append([TITLE])
    sheet.append(HEADER)
    sheet.append(ROW1)
    sheet.append([None, *ROW2[1:]])
    sheet.append(ROW3[:3])
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("C5:D5")
    sheet.append([NOTE])
    if extra_sheet:
        other = workbook.create_sheet("说明")
        other.append(["填表人", "张三"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def build_xls(extra_sheet: bool = False) -> bytes:
    """The sample as an Excel 97 workbook (xlwt), merged cells as in :func:`build_xlsx`."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("行事历")
    sheet.write(0, 0, TITLE)
    for c, text in enumerate(HEADER):
        sheet.write(1, c, text)
    sheet.write_merge(2, 3, 0, 0, ROW1[0])  # 周次 merged down over two rows
    for c, text in enumerate(ROW1[1:], start=1):
        sheet.write(2, c, text)
    for c, text in enumerate(ROW2[1:], start=1):
        sheet.write(3, c, text)
    sheet.write(4, 0, ROW3[0])
    sheet.write(4, 1, ROW3[1])
    sheet.write_merge(4, 4, 2, 3, ROW3[2])  # 工作要点 across 主持者
    sheet.write(5, 0, NOTE)
    if extra_sheet:
        other = workbook.add_sheet("说明")
        other.write(0, 0, "填表人")
        other.write(0, 1, "张三")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding ``streams``.

    Each stream is padded to 4096 bytes so it lives in regular sectors (no mini stream);
    at most three streams, all children of the root, chained as right siblings.
    """
    import struct

    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    names = list(streams)
    assert len(names) <= 3
    data_sectors: list[bytes] = []
    starts: list[int] = []
    sizes: list[int] = []
    fat = [fat_sector, end]  # sector 0: the FAT, sector 1: the directory
    for name in names:
        payload = streams[name].ljust(4096, b"\0")
        count = -(-len(payload) // 512)
        first = 2 + len(data_sectors)
        starts.append(first)
        sizes.append(len(payload))
        fat.extend([*range(first + 1, first + count), end])
        payload = payload.ljust(count * 512, b"\0")
        data_sectors.extend(payload[i : i + 512] for i in range(0, len(payload), 512))
    assert len(fat) <= 128
    fat_bytes = struct.pack("<128I", *(fat + [free] * (128 - len(fat))))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1 if names else no_stream, no_stream, end, 0)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else no_stream
        directory += entry(name, 2, no_stream, right, starts[i], sizes[i])
    while len(directory) < 512:
        directory += entry("", 0, no_stream, no_stream, 0, 0)
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([free] * 108))
    )
    assert len(header) == 512
    return header + fat_bytes + directory + b"".join(data_sectors)


def build_pdf(with_text: bool = True) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    out = io.BytesIO()
    if not with_text:
        from reportlab.pdfgen import canvas

        drawing = canvas.Canvas(out, pagesize=A4)
        drawing.rect(100, 500, 300, 200)
        drawing.line(100, 600, 400, 600)
        drawing.showPage()
        drawing.save()
        return out.getvalue()
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=16)
    data = [HEADER, ROW1, ["", *ROW2[1:]], ROW3]
    table = Table(data, colWidths=[60, 90, 160, 80])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                ("GRID", (0, 0), (-1, -1), 0.8, colors.black),
                ("SPAN", (0, 1), (0, 2)),
                ("SPAN", (2, 3), (3, 3)),
            ]
        )
    )
    doc = SimpleDocTemplate(out, pagesize=A4)
    doc.build([Paragraph(TITLE, style), Spacer(1, 12), table, Spacer(1, 12), Paragraph(NOTE, style)])
    return out.getvalue()


def write_zip_bomb(path: Path, member_mb: int = 300) -> None:
    """A .docx-looking zip whose word/document.xml unpacks to ``member_mb`` MB of zeros.

    Written in chunks, so neither the zeros nor the archive are held in memory.
    """
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(member_mb):
                member.write(chunk)


@pytest.fixture(scope="session")
def docx_bytes() -> bytes:
    return build_docx()


@pytest.fixture(scope="session")
def xlsx_bytes() -> bytes:
    return build_xlsx()


@pytest.fixture(scope="session")
def pdf_bytes() -> bytes:
    return build_pdf()


# The same calendar in traditional characters, for Big5 (which has no simplified forms).
TRADITIONAL_LINES = [
    "某某縣教育局2021年春季學期工作行事曆",
    "週次\t日期\t工作要點\t主持者",
    "1\t2.21—2.27\t新學期開學準備\t基教股",
    "\t2.28\t全體教師培訓\t師訓股",
    "2\t3.7—3.13\t全縣教研活動\t",
    "備註：各學校應於每週五前報送工作總結。",
]


def cells(lines: list[str]) -> list[list[str]]:
    """Each line split into cells, trailing empty cells dropped (Excel and text trim them)."""
    out = []
    for line in lines:
        row = line.split("\t")
        while len(row) > 1 and row[-1] == "":
            row.pop()
        out.append(row)
    return out


class Sample:
    """The builders and expectations above, handed to tests as the ``sample`` fixture
    (test modules cannot import conftest under ``--import-mode=importlib``)."""

    EXPECTED_LINES = EXPECTED_LINES
    TRADITIONAL_LINES = TRADITIONAL_LINES
    cells = staticmethod(cells)
    html_text = staticmethod(html_text)
    plain_text = staticmethod(plain_text)
    build_docx = staticmethod(build_docx)
    build_xlsx = staticmethod(build_xlsx)
    build_xls = staticmethod(build_xls)
    ole_file = staticmethod(ole_file)
    build_pdf = staticmethod(build_pdf)
    write_zip_bomb = staticmethod(write_zip_bomb)


@pytest.fixture(scope="session")
def sample() -> type[Sample]:
    return Sample
