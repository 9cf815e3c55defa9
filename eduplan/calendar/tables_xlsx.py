"""One writer for every table export: a list of sheets, each a title, header row and data rows,
to .xlsx bytes (openpyxl).

Cells keep their types: ``int``/``float`` as numbers, ``date`` as dates, a :class:`Percent` as a
fraction shown with a percent format, ``None`` as an empty cell; everything else is written as
text through :func:`eduplan.calendar.excel.put`, which stores it as a string cell (never a
formula, whatever it starts with: ``=HYPERLINK(…)`` stays text) with ``quotePrefix`` set when it
starts with ``= + - @``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from eduplan.calendar.excel import FONT_NAME, display_width, put
from eduplan.settings import bureau_timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
_MIN_WIDTH, _MAX_WIDTH = 6, 60
_LOCAL = bureau_timezone()  # aware datetimes are shown as the bureau's local time

_thin = Side(style="thin", color="000000")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
_HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True)
_BODY_FONT = Font(name=FONT_NAME, size=10.5)
_NOTE_FONT = Font(name=FONT_NAME, size=9, italic=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Percent:
    """A share (0.6667) written as a number formatted ``0.0%``; ``None`` for "no denominator"."""

    value: float | None


@dataclass
class Sheet:
    """One worksheet: a title row, an optional note under it, the header row, the data rows."""

    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    title: str | None = None
    note: str | None = None
    widths: dict[int, float] = field(default_factory=dict)  # column (1-based) → fixed width


def sheet_name(name: str) -> str:
    """A name Excel accepts: no ``[]:*?/\\``, at most 31 characters, not empty."""
    return (name.translate(_BAD_SHEET_CHARS).strip("'") or "Sheet")[:_MAX_SHEET_NAME]


def tables_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of ``sheets`` as .xlsx bytes (one worksheet each, in order)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        name = sheet_name(sheet.name)
        base, n = name, 2
        while name in used:
            suffix = f"({n})"
            name, n = base[: _MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
        used.add(name)
        _write(wb.create_sheet(name), sheet)
    if not sheets:
        wb.create_sheet("Sheet")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write(ws: Worksheet, sheet: Sheet) -> None:
    row = 1
    if sheet.title:
        put(ws.cell(row, 1), sheet.title)
        ws.cell(row, 1).font = _TITLE_FONT
        row += 1
    if sheet.note:
        put(ws.cell(row, 1), sheet.note)
        ws.cell(row, 1).font = _NOTE_FONT
        row += 1
    header_row = row
    for col, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(row, col)
        put(cell, str(header))
        cell.font, cell.fill, cell.border, cell.alignment = _HEADER_FONT, _HEADER_FILL, _BORDER, _WRAP
    widths = [display_width(str(h)) + 2 for h in sheet.headers]
    for values in sheet.rows:
        row += 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col)
            text = _set_value(cell, value)
            cell.font, cell.border, cell.alignment = _BODY_FONT, _BORDER, _WRAP
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], display_width(text) + 2)
    for col, width in enumerate(widths, start=1):
        chosen = sheet.widths.get(col, min(max(width, _MIN_WIDTH), _MAX_WIDTH))
        ws.column_dimensions[get_column_letter(col)].width = chosen
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    if sheet.rows and sheet.headers:
        last = get_column_letter(len(sheet.headers))
        ws.auto_filter.ref = f"A{header_row}:{last}{row}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _set_value(cell, value: Any) -> str:
    """Write ``value`` keeping its type; returns the text it shows (for the column width)."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        if value.value is None:
            put(cell, "—")
            return "—"
        cell.value = value.value
        cell.number_format = "0.0%"
        return f"{100 * value.value:.1f}%"
    if isinstance(value, bool):
        text = "是" if value else "否"
        put(cell, text)
        return text
    if isinstance(value, int | float):
        cell.value = value
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_LOCAL).replace(tzinfo=None)
        cell.value = value
        cell.number_format = "yyyy-mm-dd hh:mm"
        return "0000-00-00 00:00"
    if isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
        return "0000-00-00"
    text = str(value)
    put(cell, text)
    return text
