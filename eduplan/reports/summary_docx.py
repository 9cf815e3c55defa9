"""The half-year summary draft (``eduplan/reports/summary.py``) as a Word document laid out like an
official one (GB/T 9704 in spirit): A4, title in 方正小标宋简体 二号 (宋体 where it is missing),
body in 仿宋 三号 with a two-character first-line indent, 一、 headings in 黑体 (Word's
Heading 1), （一） headings in 楷体 (Heading 2), page numbers “— 1 —” at the foot.

Every run names its East Asian font (``w:eastAsia``); Latin text uses Times New Roman.
The numbering is written as text (一、（一）1.), exactly as the summary numbers it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

# The title and font-table helpers of the Word 行事历 renderer (one implementation).
from eduplan.calendar.word import _XML_BAD, _font_fallback, title_lines

if TYPE_CHECKING:  # the writer needs only the summary's shape, not the ledger
    from eduplan.reports.summary import Summary

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
H1_FONT = "黑体"
H2_FONT = "楷体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "FangSong", H1_FONT: "SimHei", H2_FONT: "KaiTi"}
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
LINE_PT = 28  # fixed line pitch: 22 lines to the page

_MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}
_TEXT_WIDTH_CM = 21.0 - _MARGINS_CM["left"] - _MARGINS_CM["right"]


def render_summary_docx(summary: Summary) -> bytes:
    """The summary draft as .docx bytes."""
    document = Document()
    _page(document)
    _styles(document)
    _title(document, summary.title)
    _note(document, summary.note)
    _body(document, summary.overview)
    for section in summary.sections:
        document.add_paragraph(_clean(section.heading), style="Heading 1")
        for text in section.paragraphs:
            _body(document, text)
        for group in section.groups:
            document.add_paragraph(_clean(group.heading), style="Heading 2")
            for number, text in group.lines:
                _body(document, f"{number}{text}")
    _page_numbers(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _clean(text: str) -> str:
    return _XML_BAD.sub("", text)


def _fonts(element, east_asian: str) -> None:
    """Latin and East Asian font names on a style's or a run's properties."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = Cm(_MARGINS_CM["top"])
    section.bottom_margin = Cm(_MARGINS_CM["bottom"])
    section.left_margin = Cm(_MARGINS_CM["left"])
    section.right_margin = Cm(_MARGINS_CM["right"])
    section.footer_distance = Cm(2.5)


def _style(style: BaseStyle, font: str, size: int, *, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.first_line_indent = Pt(size * 2)  # two characters
    fmt.keep_with_next = style.name.startswith("Heading")


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    _style(styles["Normal"], BODY_FONT, BODY_PT)
    _style(styles["Heading 1"], H1_FONT, BODY_PT)
    _style(styles["Heading 2"], H2_FONT, BODY_PT)
    _style(styles["Title"], TITLE_FONT, TITLE_PT)
    title = styles["Title"].paragraph_format
    title.first_line_indent = Pt(0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.line_spacing = Pt(36)
    # Word's Title style draws a rule under the paragraph; an official title has none.
    ppr = styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    for font, alternative in FALLBACKS.items():
        _font_fallback(document, font, alternative)


def _title(document: DocxDocument, text: str) -> None:
    paragraph = document.add_paragraph(style="Title")
    for i, line in enumerate(title_lines(_clean(text), _TEXT_WIDTH_CM / 2.54 * 72 / TITLE_PT)):
        run = paragraph.add_run()
        if i:
            run.add_break()
        run.add_text(line)
        _fonts(run._element, TITLE_FONT)
    paragraph.paragraph_format.space_after = Pt(LINE_PT / 2)


def _note(document: DocxDocument, text: str) -> None:
    """The draft notice, under the title in 楷体, smaller."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing = Pt(22)
    fmt.space_after = Pt(LINE_PT / 2)
    run = paragraph.add_run(_clean(text))
    run.font.size = Pt(12)
    _fonts(run._element, H2_FONT)


def _body(document: DocxDocument, text: str) -> Paragraph:
    paragraph = document.add_paragraph(_clean(text))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return paragraph


def _page_numbers(document: DocxDocument) -> None:
    """“— 1 —” centred at the foot of every page (a PAGE field)."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        r.font.size = Pt(14)
        _fonts(r._element, BODY_FONT)
