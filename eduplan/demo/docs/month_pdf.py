"""The sample month's 工作安排 as a PDF, as a bureau posts it: a title, then a ruled table 序号 |
工作内容 | 时间安排 | 责任股室. The text is set in reportlab's built-in CID font STSong-Light,
which needs no font file and keeps a text layer a reader can extract."""

from __future__ import annotations

import io
from datetime import date, timedelta

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from eduplan.demo.docs.dates import month_end

FONT = "STSong-Light"
HEADER = ("序号", "工作内容", "时间安排", "责任股室")

EVERY_MONTH: tuple[tuple[str, str, str], ...] = (
    ("召开局务会议，研究部署本月重点工作", "first_monday", "办公室"),
    ("开展月度校园安全隐患排查，建立问题清单并限期整改", "1-10", "安全股"),
    ("各学校报送上月工作总结和本月工作计划", "by5", "办公室"),
    ("责任督学到校开展经常性督导", "early", "督导室"),
    ("教研员下校听课调研，指导课堂教学", "middle", "教研室"),
    ("审核教职工工资变动和人事调动材料", "by20", "人事股"),
    ("教师继续教育网络研修", "month", "师训股"),
    ("开展重点工作督查，通报本月工作进展", "late", "督导室、办公室"),
)
BY_MONTH: dict[int, tuple[tuple[str, str, str], ...]] = {
    1: (
        ("组织期末教学质量检测", "middle", "教研室"),
        ("开展寒假安全教育和假期值班安排", "late", "安全股、办公室"),
    ),
    2: (
        ("开展春季开学准备和开学前安全检查", "late", "基教股、安全股"),
        ("部署全年教育工作", "middle", "办公室"),
    ),
    3: (("开展春季开学工作检查", "early", "督导室"), ("组织全国中小学生安全教育日活动", "late", "安全股")),
    4: (("组织清明节文明祭扫和森林防火教育", "early", "基教股"), ("组织期中教学质量检测", "late", "教研室")),
    5: (("部署防溺水专项行动", "early", "安全股"), ("公布义务教育招生方案和学区划分", "by25", "基教股")),
    6: (
        ("组织高考、中考考务工作", "early", "基教股、办公室"),
        ("开展初中学业水平考试阅卷和成绩发布", "late", "教研室"),
    ),
    7: (("开展暑假安全教育", "early", "安全股"), ("组织暑期教师全员培训", "late", "师训股")),
    8: (
        ("完成新教师公开招聘和分配", "by20", "人事股"),
        ("开展秋季开学准备和安全检查", "late", "基教股、安全股"),
    ),
    9: (("召开庆祝教师节暨表彰大会", "by10", "人事股、办公室"), ("开展秋季开学工作检查", "early", "督导室")),
    10: (
        ("开展秋季校园食品安全专项检查", "middle", "安全股"),
        ("举办全县中小学生田径运动会", "late", "基教股"),
    ),
    11: (("组织期中教学质量分析会", "early", "教研室"), ("完成中小学教师职称评审推荐", "by30", "人事股")),
    12: (
        ("开展年度综合督导评估", "middle", "督导室"),
        ("各股室、各学校报送年度工作总结", "by25", "办公室"),
    ),
}


def when(month_first: date, slot: str) -> str:
    """The 时间安排 cell of ``slot`` in the month that begins on ``month_first``."""
    m, last = month_first.month, month_end(month_first).day
    if slot == "first_monday":
        monday = month_first + timedelta(days=(7 - month_first.weekday()) % 7)
        return f"{m}月{monday.day}日"
    if slot == "1-10":
        return f"{m}月1日—10日"
    if slot.startswith("by"):
        return f"{m}月{min(int(slot[2:]), last)}日前"
    if slot == "month":
        return "全月"
    return f"{m}月" + {"early": "上旬", "middle": "中旬", "late": "下旬"}[slot]


def month_pdf(bureau: str, month_first: date) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=11, leading=16)
    rows = [*EVERY_MONTH[:4], *BY_MONTH[month_first.month], *EVERY_MONTH[4:]]
    data = [[Paragraph(name, cell) for name in HEADER]]
    for number, (work, slot, offices) in enumerate(rows, 1):
        data.append(
            [
                str(number),
                Paragraph(work, cell),
                Paragraph(when(month_first, slot), cell),
                Paragraph(offices, cell),
            ]
        )
    table = Table(data, colWidths=(1.4 * cm, 9.0 * cm, 3.4 * cm, 3.4 * cm), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (0, -1), "CENTER"),
            ]
        )
    )
    out = io.BytesIO()
    heading = f"{bureau}{month_first.year}年{month_first.month}月工作安排"
    document = SimpleDocTemplate(out, pagesize=A4, title=heading, author=bureau, invariant=True)
    document.build([Paragraph(heading, title), Spacer(1, 0.4 * cm), table])
    return out.getvalue()
