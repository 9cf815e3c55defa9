"""Word rendering: the month arrangement (主要工作安排) or the week calendar (行事历) as a table.

``layout="month"`` (A4 portrait): 月份 | 序号 | 内容 | 主办股室, 月份 merged over each month's rows,
序号 restarting at 1 every month. ``layout="week"`` (A4 landscape): 月份 | 周次 | 起止日期 | 工作要点 |
要求与说明 | 主持者 with the week cells merged over the week's rows, grouped exactly as the Excel
行事历 (see grouping.py). ``with_status`` adds a 状态 column to either (left out by default).
The header row repeats on every printed page (w:tblHeader); rows do not split across pages.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from lxml import etree

from eduplan.calendar.grouping import (
    STATUS_HEADER,
    detail_text,
    group_by_month,
    group_by_week,
    host_text,
    requirement_text,
    status_text,
)
from eduplan.calendar.model import CalendarDoc, CalendarRow

LAYOUTS = ("month", "week")
MONTH_HEADERS = ("月份", "序号", "内容", "主办股室")
WEEK_HEADERS = ("月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者")
TITLE_FONT = "方正小标宋简体"
FALLBACK_FONT = "宋体"
BODY_FONT = "宋体"

_A4 = (Cm(21.0), Cm(29.7))
_MONTH_WIDTHS_CM = (1.6, 1.2, 9.6, 3.6)  # 16.0 cm between 2.5 cm margins
_WEEK_WIDTHS_CM = (1.5, 1.8, 3.3, 6.5, 9.1, 3.5)  # 25.7 cm between 2.0 cm margins
# With a 状态 column (1.6 cm) the widest text column gives up the room.
_MONTH_STATUS_WIDTHS_CM = (1.6, 1.2, 8.0, 3.6, 1.6)
_WEEK_STATUS_WIDTHS_CM = (1.5, 1.8, 3.3, 6.5, 7.5, 3.5, 1.6)
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class _Line:
    """One table row before it is written: cells, and which leading cells merge with the row above."""

    cells: tuple[str, ...]
    group: int  # rows with the same group share their merged leading cells


def render_docx(doc: CalendarDoc, layout: str = "month", with_status: bool = False) -> bytes:
    """The calendar as .docx bytes: ``layout`` is ``"month"`` (主要工作安排) or ``"week"`` (行事历);
    ``with_status`` adds a 状态 column."""
    if layout not in LAYOUTS:
        raise ValueError(f"未知的版式：{layout!r}（可选 month 或 week）")
    document = Document()
    _base_style(document)
    landscape = layout == "week"
    _page(document, landscape)
    if layout == "month":
        lines, merged = _month_lines(doc, with_status), 1
        headers = MONTH_HEADERS
        widths = _MONTH_STATUS_WIDTHS_CM if with_status else _MONTH_WIDTHS_CM
        centred: tuple[int, ...] = (0, 1, 3, 4)
    else:
        lines, merged = _week_lines(doc, with_status), 3
        headers = WEEK_HEADERS
        widths = _WEEK_STATUS_WIDTHS_CM if with_status else _WEEK_WIDTHS_CM
        centred = (0, 1, 2, 5, 6)
    if with_status:
        headers = (*headers, STATUS_HEADER)
    _title(document, doc.title, width_cm=sum(widths))
    _table(document, headers, widths, lines, merged, centred)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _month_lines(doc: CalendarDoc, with_status: bool = False) -> list[_Line]:
    lines = []
    empty = ("", "", "", *([""] if with_status else []))
    for group, block in enumerate(group_by_month(doc)):
        if not block.rows:
            lines.append(_Line((block.label, *empty), group))
        for number, row in enumerate(block.rows, start=1):
            cells = (block.label, str(number), month_content(row), host_text(row))
            lines.append(_Line((*cells, status_text(row)) if with_status else cells, group))
    return lines


def month_content(row: CalendarRow) -> str:
    """内容: the title, then ``：`` and the requirement when it adds something."""
    title, detail = row.title.strip(), detail_text(row)
    return f"{title}：{detail}" if title and detail else title or detail


def _week_lines(doc: CalendarDoc, with_status: bool = False) -> list[_Line]:
    lines = []
    empty = ("", "", "", *([""] if with_status else []))
    for group, block in enumerate(group_by_week(doc)):
        week = (block.month_label, block.label, block.date_label)
        if not block.rows:
            lines.append(_Line((*week, *empty), group))
        for row in block.rows:
            cells = (row.title.strip(), requirement_text(row, block), host_text(row))
            lines.append(_Line((*week, *cells, *([status_text(row)] if with_status else [])), group))
    return lines


def _table(
    document: DocxDocument,
    headers: tuple[str, ...],
    widths_cm: tuple[float, ...],
    lines: list[_Line],
    merged: int,
    centred: tuple[int, ...],
) -> Table:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(w) for w in widths_cm]
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = width
    header = table.rows[0]
    _repeat_header(header._tr)
    for cell, text, width in zip(header.cells, headers, widths, strict=True):
        _write(cell, text, width, centre=True, bold=True)

    tbl = table._tbl
    twips = [int(w.twips) for w in widths]
    for k, line in enumerate(lines):
        same = k > 0 and lines[k - 1].group == line.group
        more = k + 1 < len(lines) and lines[k + 1].group == line.group
        merge = "continue" if same else "restart" if more else None
        tbl.append(parse_xml(_row_xml(line.cells, twips, merged, merge, centred)))
    return table


def _row_xml(
    cells: tuple[str, ...], twips: list[int], merged: int, merge: str | None, centred: tuple[int, ...]
) -> str:
    """One body row as WordprocessingML. Written as text (not cell by cell through python-docx,
    which took ~2.5 ms a row): the first ``merged`` cells get w:vMerge ``restart``/``continue``;
    a continued cell is left empty, its text shown by the cell it continues."""
    out = [f"<w:tr {nsdecls('w')}><w:trPr><w:cantSplit/></w:trPr>"]
    for i, (text, width) in enumerate(zip(cells, twips, strict=True)):
        vmerge = ""
        if i < merged and merge:
            vmerge = '<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>"
            if merge == "continue":
                text = ""
        jc = "center" if i in centred else "left"
        out.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{vmerge}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:jc w:val="{jc}"/></w:pPr>{_runs_xml(text)}</w:p></w:tc>'
        )
    out.append("</w:tr>")
    return "".join(out)


def _runs_xml(text: str) -> str:
    text = _XML_BAD.sub("", text)
    if not text:
        return ""
    parts = [f'<w:t xml:space="preserve">{escape(part)}</w:t>' if part else "" for part in text.split("\n")]
    return "<w:r>" + "<w:br/>".join(parts) + "</w:r>"


def _write(cell: _Cell, text: str, width: object, centre: bool, bold: bool = False) -> None:
    cell.width = width
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT
    text = _XML_BAD.sub("", text)
    if not text:
        return  # an empty cell stays one empty paragraph (python-docx merges it away)
    for i, part in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if i:
            run.add_break()
        if part:
            run.add_text(part)
        if bold:
            run.bold = True


def _repeat_header(tr: object) -> None:
    """w:tblHeader: Word and LibreOffice repeat this row at the top of every page."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(flag)  # type: ignore[attr-defined]


def _page(document: DocxDocument, landscape: bool) -> None:
    section = document.sections[0]
    short, long_ = _A4
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = long_, short
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin = section.bottom_margin = Cm(1.8)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = short, long_
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)


def _base_style(document: DocxDocument) -> None:
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(10.5)  # 五号
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.15
    _font_fallback(document, TITLE_FONT, FALLBACK_FONT)


def _title(document: DocxDocument, text: str, width_cm: float) -> None:
    """Centred 二号 (22 pt) title; too long for one line, it is split into two balanced lines."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(12)
    size = 22
    max_ems = width_cm / 2.54 * 72 / size
    for i, line in enumerate(title_lines(_XML_BAD.sub("", text), max_ems)):
        run = paragraph.add_run()
        if i:
            run.add_break()
        run.add_text(line)
        run.bold = True
        run.font.size = Pt(size)
        run.font.name = TITLE_FONT
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), TITLE_FONT)


_TITLE_BREAKS = ("教育局", "教体局", "学年度", "年度", "学期", "计划", "安排")


def title_lines(text: str, max_ems: float) -> list[str]:
    """The title on one line if it fits in ``max_ems`` character widths, else two lines broken after
    a word like 学年度/学期/教育局 nearest the middle (or at the middle, never inside a number)."""
    widths = [_ems(ch) for ch in text]
    total = sum(widths)
    if total <= max_ems or len(text) < 2:
        return [text]
    ends = {i + len(w) for w in _TITLE_BREAKS for i in range(len(text)) if text.startswith(w, i)}
    cuts = sorted(c for c in ends if 0 < c < len(text))
    if not cuts:
        cuts = [c for c in range(1, len(text)) if not (text[c - 1].isdigit() and text[c].isdigit())]
    best = min(cuts, key=lambda c: abs(sum(widths[:c]) * 2 - total))
    return [text[:best], text[best:]]


def _ems(ch: str) -> float:
    """Width of a character in ems in a CJK font: ambiguous-width dashes and quotes are full width."""
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.55


def _font_fallback(document: DocxDocument, font: str, alternative: str) -> None:
    """Declare ``font`` in the font table with ``alternative`` as its altName (and GB2312 charset),
    so Word substitutes 宋体 on machines without 方正小标宋简体."""
    parts = document.part.package.iter_parts()
    part = next((p for p in parts if p.partname.endswith("/fontTable.xml")), None)
    if not isinstance(part, Part):
        return
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    entry = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": font})
    values = (("altName", alternative), ("charset", "86"), ("family", "roman"), ("pitch", "variable"))
    for tag, value in values:
        etree.SubElement(entry, f"{{{w}}}{tag}", {f"{{{w}}}val": value})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
