"""Excel (.xlsx): every sheet in order, one tab-joined line per non-empty row.

Opened with ``data_only=True`` (cached formula results) and not read-only, so merged
ranges are known: cells of a merged range other than its top-left are empty. Only
cells present in the file are visited, so one stray cell at XFD1048576 does not make
the reader walk a billion empty ones. A cell broken into lines (Alt+Enter) gives one
line per paragraph, the further ones below its row (``eduplan.read.cells``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

import openpyxl

from eduplan.read.cells import paragraphs, sub_rows
from eduplan.read.sizes import TextBudget

MAX_COLUMN_GAP = 256
"""Empty columns kept between two filled cells of a row; a wider gap is closed up."""
_WS = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _number(value: float, number_format: str) -> str:
    if "%" in number_format:
        percent = value * 100
        return (f"{percent:.10g}" if percent != int(percent) else str(int(percent))) + "%"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"
    return str(value)


def _date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def cell_text(value: object, number_format: str = "General") -> str:
    """A cell value as a person reads it: 2021年3月7日, 12 (not 12.0), 88.4%."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        text = _date(value)
        if value.time() != dt.time(0, 0):
            text += f" {value.hour:02d}:{value.minute:02d}"
        return text
    if isinstance(value, dt.date):
        return _date(value)
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, int | float):
        return _number(value, number_format or "General")
    return _WS.sub(" ", str(value)).strip()


def cell_paragraphs(value: object, number_format: str = "General") -> list[str]:
    """A cell's lines: text broken by Alt+Enter gives one paragraph per line."""
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return paragraphs(_LINE_BREAK.split(value))
    text = cell_text(value, number_format)
    return [text] if text else []


def sheet_rows(cells: Iterable[tuple[int, int, list[str]]]) -> list[list[str]]:
    """Row lines of one sheet from its filled cells ``(row, column, paragraphs)``.

    Rows in order, empty rows left out, columns left of all data dropped, trailing empty
    cells trimmed; a cell of several paragraphs continues on lines below its row.
    Shared by the .xlsx and .xls readers, so both lay a sheet out alike.
    """
    by_row: dict[int, dict[int, list[str]]] = defaultdict(dict)
    for row, column, texts in cells:
        if texts:
            by_row[row][column] = texts
    first_column = min((min(filled) for filled in by_row.values()), default=1)
    rows = []
    for row in sorted(by_row):
        filled = by_row[row]
        out: list[list[str]] = []
        previous = first_column - 1  # columns left of all data are not kept
        for column in sorted(filled):
            gap = min(column - previous - 1, MAX_COLUMN_GAP)
            out.extend([] for _ in range(gap))
            out.append(filled[column])
            previous = column
        for line in sub_rows(out):
            while line and not line[-1]:
                line.pop()
            rows.append(line)
    return rows


def _sheet_cells(sheet) -> Iterator[tuple[int, int, list[str]]]:
    for (row, column), cell in sheet._cells.items():  # only cells stored in the file
        yield row, column, cell_paragraphs(cell.value, getattr(cell, "number_format", "General"))


def workbook_lines(sheets: list[tuple[str, list[list[str]]]], budget: TextBudget) -> list[str]:
    """Lines of a workbook from ``(title, rows)`` per sheet; with several sheets each
    non-empty one starts with its title on a line."""
    lines: list[str] = []
    for title, rows in sheets:
        if not rows:
            continue
        if len(sheets) > 1:
            lines.append(budget.take(title.strip()))
        for cells in rows:
            lines.append(budget.take("\t".join(cells)))
    return lines


def xlsx_lines(data: bytes, budget: TextBudget) -> list[str]:
    """Lines of a workbook; with several sheets each starts with its title on a line."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    try:
        sheets = [(sheet.title, sheet_rows(_sheet_cells(sheet))) for sheet in workbook.worksheets]
        return workbook_lines(sheets, budget)
    finally:
        workbook.close()
