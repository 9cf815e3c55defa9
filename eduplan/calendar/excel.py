"""Excel rendering of the 行事历 as bureaus print it: one block of rows per term week.

Sheet 行事历: a title row, a header row (月份 | 周次 | 起止日期 | 工作要点 | 要求与说明 | 主持者),
then per week one row per item with 月份/周次/起止日期 merged over the week's rows; holidays are
noted under the dates. ``by_office=True`` adds one sheet per office with that office's rows;
``with_status=True`` adds a 状态 column (left out by default: a printed 行事历 is a plan).
Page setup: A4 landscape, fitted to the page width, title and header rows printed on every page.

Formula injection: every text cell is written with ``data_type = "s"`` (a string, never a
formula, whatever it starts with) and, when it starts with ``= + - @``, with the cell's
``quotePrefix`` style flag, so Excel/WPS also keep it text when someone edits the cell. The text
itself is left exactly as published (no apostrophe or other character is added).
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Iterable
from copy import copy

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from eduplan.calendar.grouping import (
    STATUS_HEADER,
    WeekBlock,
    group_by_week,
    host_text,
    offices,
    requirement_text,
    rows_for_office,
    sheet_names,
    status_text,
)
from eduplan.calendar.model import CalendarDoc, CalendarRow

MAIN_SHEET = "行事历"
HEADERS = ("月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者")
FOOTER = "第 &P 页 共 &N 页"
FONT_NAME = "宋体"
MAX_CELL_CHARS = 32767
_FORMULA_LEADS = ("=", "+", "-", "@")
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # lone surrogates and non-characters

# Column widths in Excel character units: (minimum, maximum) — content decides in between.
_WIDTHS = ((6, 9), (8, 10), (11, 16), (18, 36), (26, 58), (10, 18))
_STATUS_WIDTH = (8, 8)
_HEADER_ROW = 2
_MERGED_COLS = 3  # 月份, 周次, 起止日期 are merged over each week's rows
_FIRST_DATA_ROW = 3
_LINE_HEIGHT = 14.5  # points per text line at 10.5 pt
_PAD = 4.0

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_BODY_FONT = Font(name=FONT_NAME, size=10.5)
_HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
_TITLE_FONT = Font(name=FONT_NAME, size=18, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
# Named cell styles, registered once per workbook: assigning a named style is far cheaper in
# openpyxl than assigning font/border/alignment objects cell by cell.
_TITLE, _HEADER, _BODY_CENTRE, _BODY_LEFT = "行事历标题", "行事历表头", "行事历居中", "行事历正文"
_STYLES = (
    NamedStyle(_TITLE, font=_TITLE_FONT, alignment=_CENTER),
    NamedStyle(_HEADER, font=_HEADER_FONT, alignment=_CENTER, border=_BORDER, fill=_HEADER_FILL),
    NamedStyle(_BODY_CENTRE, font=_BODY_FONT, alignment=_CENTER, border=_BORDER),
    NamedStyle(_BODY_LEFT, font=_BODY_FONT, alignment=_LEFT, border=_BORDER),
)


def render_xlsx(doc: CalendarDoc, by_office: bool = False, with_status: bool = False) -> bytes:
    """The 行事历 workbook as .xlsx bytes; with ``by_office`` one more sheet per office, with
    ``with_status`` a 状态 column."""
    wb = Workbook()
    ws = wb.active
    ws.title = MAIN_SHEET
    for style in _STYLES:
        wb.add_named_style(copy(style))
    _write_sheet(ws, doc.title, group_by_week(doc), with_status)
    if by_office:
        names = offices(doc)
        for office, name in zip(names, sheet_names(names, taken=[MAIN_SHEET]), strict=True):
            sheet = wb.create_sheet(name)
            title = f"{doc.title}（{office}）" if doc.title else office
            _write_sheet(sheet, title, group_by_week(doc, rows_for_office(doc, office)), with_status)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_sheet(ws: Worksheet, title: str, blocks: list[WeekBlock], with_status: bool) -> None:
    headers = (*HEADERS, STATUS_HEADER) if with_status else HEADERS
    table = [_block_rows(block, with_status) for block in blocks]
    widths = _column_widths(table, headers)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ncols = len(headers)
    ws.cell(1, 1).style = _TITLE
    put(ws.cell(1, 1), title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[1].height = 36
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(_HEADER_ROW, col)
        cell.style = _HEADER
        put(cell, header)
    ws.row_dimensions[_HEADER_ROW].height = 22

    r = _FIRST_DATA_ROW
    for rows in table:
        first = r
        for k, values in enumerate(rows):
            for col, value in enumerate(values, start=1):
                cell = ws.cell(r, col)
                cell.style = _BODY_LEFT if col in (4, 5) else _BODY_CENTRE  # before put(): quotePrefix
                if k == 0 or col > _MERGED_COLS:
                    put(cell, value)
            ws.row_dimensions[r].height = _row_height(values[3:6], widths[3:6])
            r += 1
        last = r - 1
        # The merged week cells need room for the dates and holiday notes.
        need = _row_height(rows[0][:3], widths[:3])
        have = sum(ws.row_dimensions[i].height for i in range(first, last + 1))
        if need > have:
            ws.row_dimensions[last].height += need - have
        if last > first:
            for col in range(1, _MERGED_COLS + 1):
                # Registered directly: ws.merge_cells() would rebuild every covered cell and its
                # borders (most of the render time); these cells are already empty and bordered.
                letter = get_column_letter(col)
                ws.merged_cells.add(MergedCellRange(ws, f"{letter}{first}:{letter}{last}"))

    ws.freeze_panes = ws.cell(_FIRST_DATA_ROW, 1).coordinate
    ws.print_title_rows = f"1:{_HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 9


def _block_rows(block: WeekBlock, with_status: bool = False) -> list[list[str]]:
    """The sheet rows of one week: the week columns repeated (merged later), one row per item."""
    week = [block.month_label, block.label, block.date_label]
    if not block.rows:
        return [[*week, "", "", "", *([""] if with_status else [])]]
    return [[*week, *_item_cells(row, block, with_status)] for row in block.rows]


def _item_cells(row: CalendarRow, block: WeekBlock, with_status: bool = False) -> list[str]:
    cells = [row.title.strip(), requirement_text(row, block), host_text(row)]
    return [*cells, status_text(row)] if with_status else cells


def put(cell: Cell, value: str) -> None:
    """Write text that stays text: no formula whatever it starts with, no illegal XML characters."""
    text = _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))[:MAX_CELL_CHARS]
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_LEADS):
        cell.quotePrefix = True


def display_width(text: str) -> int:
    """Width in Excel character units: CJK (wide/fullwidth) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_widths(table: Iterable[list[list[str]]], headers: tuple[str, ...] = HEADERS) -> list[float]:
    longest = [display_width(h) + 2 for h in headers]
    for rows in table:
        for values in rows:
            for i, value in enumerate(values):
                for line in value.split("\n"):
                    longest[i] = max(longest[i], display_width(line) + 2)
    limits = (*_WIDTHS, _STATUS_WIDTH)[: len(headers)]
    return [float(min(max(w, lo), hi)) for w, (lo, hi) in zip(longest, limits, strict=True)]


def _row_height(values: list[str], widths: list[float]) -> float:
    lines = 1
    for value, width in zip(values, widths, strict=True):
        usable = max(width - 1.5, 1.0)
        count = sum(max(1, math.ceil(display_width(line) / usable)) for line in value.split("\n"))
        lines = max(lines, count)
    return lines * _LINE_HEIGHT + _PAD
