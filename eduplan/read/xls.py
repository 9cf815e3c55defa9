"""Excel 97-2003 (.xls, BIFF8 in an OLE2 file): every sheet, laid out as the .xlsx reader does.

Read with xlrd and ``formatting_info=True``, which gives the merged ranges and each
cell's number format: a merged range's value stays in its top-left cell and the rest
are empty (as openpyxl gives them), dates read as 2021年3月7日, whole numbers without
``.0``, percentages as 88.4%. Rows are kept ragged (``ragged_rows``), so a stray cell
in column IV costs one row, not every row. A WPS .et file holding a BIFF workbook
(a ``Workbook`` stream) is read the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import xlrd
from xlrd.sheet import Sheet

from eduplan.errors import ReadError
from eduplan.read.sizes import TextBudget
from eduplan.read.xlsx import cell_paragraphs, sheet_rows, workbook_lines


class EncryptedWorkbook(ReadError):
    """The workbook is protected by a password; no converter can open it either."""


def _number_format(book: xlrd.Book, xf_index: int) -> str:
    try:
        key = book.xf_list[xf_index].format_key
        return book.format_map[key].format_str or "General"
    except (IndexError, KeyError, AttributeError):
        return "General"


def _value(book: xlrd.Book, ctype: int, value: object) -> object:
    """The Python value a person sees for an xlrd cell (dates as date/time objects)."""
    if ctype == xlrd.XL_CELL_DATE and isinstance(value, float):
        try:
            moment = xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return value
        if value < 1:  # a time of day with no date
            return moment.time()
        return moment
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR") if isinstance(value, int) else "#ERR"
    return value


MERGE_WORK_PER_CELL = 4
"""Cells visited to mark merged ranges, per cell stored in the sheet: a corrupt file
listing the whole sheet as merged thousands of times cannot make the reader crawl."""


def _covered(sheet: Sheet) -> set[tuple[int, int]]:
    """Cells of merged ranges other than each range's top-left one."""
    covered: set[tuple[int, int]] = set()
    work = MERGE_WORK_PER_CELL * sum(sheet.row_len(row) for row in range(sheet.nrows)) + 1024
    for row_lo, row_hi, col_lo, col_hi in sheet.merged_cells:
        # xlrd gives half-open ranges; only cells the sheet stores are visited.
        for row in range(row_lo, min(row_hi, sheet.nrows)):
            columns = range(col_lo, min(col_hi, sheet.row_len(row)))
            work -= len(columns)
            if work < 0:
                return covered
            covered.update((row, column) for column in columns if (row, column) != (row_lo, col_lo))
    return covered


def _sheet_cells(book: xlrd.Book, sheet: Sheet) -> Iterator[tuple[int, int, list[str]]]:
    covered = _covered(sheet)
    for row in range(sheet.nrows):
        for column in range(sheet.row_len(row)):
            ctype = sheet.cell_type(row, column)
            if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) or (row, column) in covered:
                continue
            value = _value(book, ctype, sheet.cell_value(row, column))
            number_format = _number_format(book, sheet.cell_xf_index(row, column))
            if isinstance(value, dt.date | dt.time):
                number_format = "General"
            yield row, column, cell_paragraphs(value, number_format)


def open_book(data: bytes) -> xlrd.Book:
    """The workbook, or ``EncryptedWorkbook``; other xlrd errors propagate."""
    try:
        return xlrd.open_workbook(
            file_contents=data, formatting_info=True, ragged_rows=True, on_demand=True, logfile=_Quiet()
        )
    except xlrd.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise EncryptedWorkbook("无法读取 Excel 文件：文件已加密，请提供未加密的版本。") from error
        raise


def xls_lines(data: bytes, budget: TextBudget) -> list[str]:
    """Lines of an .xls workbook; with several sheets each starts with its name on a line."""
    book = open_book(data)
    try:
        sheets = []
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            sheets.append((sheet.name, sheet_rows(_sheet_cells(book, sheet))))
            book.unload_sheet(index)
        return workbook_lines(sheets, budget)
    finally:
        book.release_resources()


class _Quiet:
    """xlrd writes warnings about odd records to a log file; nobody reads them here."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass
