"""Excel (.xlsx): every sheet in order, one tab-joined line per non-empty row.

Opened with ``data_only=True`` (cached formula results) and not read-only, so merged
ranges are known: cells of a merged range other than its top-left are empty. Only
cells present in the file are visited, so one stray cell at XFD1048576 does not make
the reader walk a billion empty ones.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict

import openpyxl

from eduplan.read.sizes import TextBudget

MAX_COLUMN_GAP = 256
"""Empty columns kept between two filled cells of a row; a wider gap is closed up."""
_WS = re.compile(r"\s+")


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


def _sheet_rows(sheet) -> list[list[str]]:
    by_row: dict[int, dict[int, str]] = defaultdict(dict)
    for (row, column), cell in sheet._cells.items():  # only cells stored in the file
        text = cell_text(cell.value, getattr(cell, "number_format", "General"))
        if text:
            by_row[row][column] = text
    first_column = min((min(cells) for cells in by_row.values()), default=1)
    rows = []
    for row in sorted(by_row):
        cells = by_row[row]
        out: list[str] = []
        previous = first_column - 1  # columns left of all data are not kept
        for column in sorted(cells):
            gap = min(column - previous - 1, MAX_COLUMN_GAP)
            out.extend([""] * gap)
            out.append(cells[column])
            previous = column
        rows.append(out)
    return rows


def xlsx_lines(data: bytes, budget: TextBudget) -> list[str]:
    """Lines of a workbook; with several sheets each starts with its title on a line."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    try:
        sheets = workbook.worksheets
        lines: list[str] = []
        for sheet in sheets:
            rows = _sheet_rows(sheet)
            if not rows:
                continue
            if len(sheets) > 1:
                lines.append(budget.take(sheet.title.strip()))
            for cells in rows:
                lines.append(budget.take("\t".join(cells)))
        return lines
    finally:
        workbook.close()
