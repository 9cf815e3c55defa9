"""The sample 行事历 as a Word table, laid out as bureaus print it: 月份 | 周次 | 起止日期 | 工作要点 |
要求与说明 | 主持者, one row per piece of work, the month merged down its weeks and each week's
number and dates merged down its rows."""

from __future__ import annotations

import io
from datetime import date, timedelta

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from eduplan.demo.docs.calendar_text import NOTES, term_rows
from eduplan.demo.docs.dates import DemoTerm

HEADER = ("月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者")
WIDTHS_CM = (1.6, 1.8, 3.6, 6.5, 9.0, 3.2)
CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1…99 in Chinese numerals (十一, 二十)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones or not head else "")


def week_label(number: int) -> str:
    return "预备周" if number == 0 else f"第{cn_number(number)}周"


def md(day: date) -> str:
    return f"{day.month}月{day.day}日"


def set_font(run, size: float, bold: bool = False, face: str = "宋体") -> None:
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, face
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)


def _write(cell, text: str, size: float = 10.5, bold: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    set_font(paragraph.add_run(text), size, bold)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _rows(term: DemoTerm) -> list[tuple[int, int, str, str, str, str]]:
    """(month, week number, dates, 工作要点, 要求与说明, 主持者) for every row of the table."""
    out = []
    for number, rows in enumerate(term_rows(term.number, term.weeks)):
        monday = term.week_start(number)
        sunday = monday + timedelta(days=6)
        month = (monday + timedelta(days=3)).month  # the month holding most of the week
        for work, note, host in rows:
            out.append(
                (
                    month,
                    number,
                    f"{md(monday)}—{md(sunday)}",
                    work,
                    note.format(mon=md(monday), sun=md(sunday)),
                    host,
                )
            )
    return out


def _merge_runs(table, column: int, keys: list[object], texts: list[str]) -> None:
    """Merge ``column`` down each run of equal ``keys`` and write the run's text once."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            top = table.cell(start + 1, column)
            if i - 1 > start:
                top = top.merge(table.cell(i, column))
            _write(top, texts[start], center=True)
            start = i


def calendar_docx(bureau: str, term: DemoTerm) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(title.add_run(f"{bureau}{term.name}教育工作行事历"), 18, bold=True, face="黑体")
    rows = _rows(term)
    table = document.add_table(rows=len(rows) + 1, cols=len(HEADER))
    table.style = "Table Grid"
    for column, (name, width) in enumerate(zip(HEADER, WIDTHS_CM, strict=True)):
        table.columns[column].width = Cm(width)
        _write(table.cell(0, column), name, bold=True, center=True)
    for r, (_, _, _, work, note, host) in enumerate(rows, 1):
        _write(table.cell(r, 3), work)
        _write(table.cell(r, 4), note)
        _write(table.cell(r, 5), host, center=True)
    _merge_runs(table, 0, [row[0] for row in rows], [f"{row[0]}月" for row in rows])
    _merge_runs(table, 1, [row[1] for row in rows], [week_label(row[1]) for row in rows])
    _merge_runs(table, 2, [row[1] for row in rows], [row[2] for row in rows])
    for line in NOTES:
        set_font(document.add_paragraph().add_run(line), 10.5)
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_font(
        signature.add_run(f"{bureau}办公室\n{term.start.year}年{md(term.start - timedelta(days=5))}"), 12
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
