"""PDF (pdfplumber): per page, table rows and the text around them, top to bottom.

The page is laid out with character spacing where the PDF specification puts it
(``pdf_layout``). Tables are found by ``find_tables()`` on the page's rules (cell background
fills are not rules) and read as grids from their characters: a row is one tab-joined line
(a merged cell's other grid cells are empty strings) and a cell holding several paragraphs
gives a sub-line per further paragraph with the row's other cells empty (``pdf_text`` says
where a paragraph starts). Where the row has a column of short entries (days, weekdays)
level with the other cells' paragraphs, sub-lines follow those levels; otherwise the k-th
sub-line holds the k-th paragraph of each cell. A table's first row repeated at the head of
the next page's first table is read once. The characters outside every table become text
lines, a two-column block left column first. Tables and lines are merged by position.
"""

from __future__ import annotations

import io
import logging
import time

import pdfplumber

from eduplan.errors import LimitError, ReadError
from eduplan.read.document import CELL_SEPARATOR
from eduplan.read.pdf_layout import is_ruling, relayout
from eduplan.read.pdf_text import LEVEL, Line, Paragraph, cell_paragraphs, column_blocks, is_list, lines_of
from eduplan.read.sizes import TextBudget
from eduplan.settings import Limits

READ_SECONDS = 30.0
"""Time a PDF may take to read, checked between pages: a file built to make the layout analysis
crawl is refused instead of holding a worker (a real 500-page PDF reads in far less)."""

BUCKET = 24.0
"""Side in points of the squares that index a table's cells."""

QUIET_LOGGERS = ("pdfminer", "pdfplumber")
"""pdfminer logs a warning for every flaw it works around in a damaged PDF ("Could not get FontBBox
…", "Invalid MediaBox …"); with no logging set up Python prints them to stderr, dozens per file.
What matters to a person reaches them as the reader's own warnings and errors; these stay quiet."""
for _name in QUIET_LOGGERS:
    logging.getLogger(_name).setLevel(logging.ERROR)

NO_TEXT = "PDF 没有可提取的文字（可能是扫描件），请先做文字识别（OCR）或提供 Word / 文本版本。"


def _center(obj: dict) -> tuple[float, float]:
    return (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2


def _inside(point: tuple[float, float], box: tuple[float, float, float, float]) -> bool:
    x, y = point
    return box[0] <= x < box[2] and box[1] <= y < box[3]


def _row_lines(cells: list[list[Line] | None], boxes: list[tuple | None]) -> list[str]:
    """One row's lines: the row's first paragraphs, then a sub-line per further paragraph."""
    listed: list[bool] = []
    for i, (lines, box) in enumerate(zip(cells, boxes, strict=True)):
        others = [t for j, group in enumerate(cells) if j != i and group for t in (x.top for x in group)]
        listed.append(bool(lines) and box is not None and is_list(lines, others, box))
    pairs = zip(cells, listed, strict=True)
    anchors = [line.top for group, is_l in pairs if is_l and group for line in group]
    paras: list[list[Paragraph]] = []
    columns = False
    for lines, box, is_l in zip(cells, boxes, listed, strict=True):
        if not lines or box is None:
            paras.append([])
        elif is_l:
            paras.append([Paragraph(line.top, line.text) for line in lines])
        else:
            found, split = cell_paragraphs(lines, box, anchors)
            paras.append(found)
            columns = columns or (split and len(found) > 1)
    depth = max((len(p) for p in paras), default=0)
    if depth <= 1:
        row = [p[0].text if p else "" for p in paras]
        return [CELL_SEPARATOR.join(row)] if any(row) else []
    if anchors and not columns:
        starts = sorted(p.top for group in paras if len(group) > 1 for p in group)
        bands: list[float] = []
        for top in starts:
            if not bands or top - bands[-1] > LEVEL * 2:
                bands.append(top)
        grid = [["" for _ in paras] for _ in bands]
        for c, group in enumerate(paras):
            for p in group:
                band = 0 if len(group) == 1 else max(i for i, b in enumerate(bands) if b <= p.top + LEVEL * 2)
                grid[band][c] = p.text if not grid[band][c] else grid[band][c] + " " + p.text
    else:
        grid = [[group[k].text if k < len(group) else "" for group in paras] for k in range(depth)]
    return [CELL_SEPARATOR.join(row) for row in grid if any(row)]


def _table_rows(table, chars: list[dict]) -> list[list[str]]:
    """Each row of ``table`` as its lines (the row's line and its paragraphs' sub-lines)."""
    slots: dict[tuple, list[dict]] = {}
    # Cells by the squares of a coarse grid they cover, so a character is tested against the
    # few cells around it: a page of thousands of cells stays linear in its characters.
    buckets: dict[tuple[int, int], list[tuple]] = {}
    table_rows = table.rows  # a computed property: read once
    for row in table_rows:
        for box in row.cells:
            if not box:
                continue
            x0, top, x1, bottom = (int(v // BUCKET) for v in box)
            for bx in range(x0, x1 + 1):
                for by in range(top, bottom + 1):
                    buckets.setdefault((bx, by), []).append(box)
    for char in chars:
        point = _center(char)
        for box in buckets.get((int(point[0] // BUCKET), int(point[1] // BUCKET)), ()):
            if _inside(point, box):
                slots.setdefault(box, []).append(char)
                break
    rows = []
    for row in table_rows:
        boxes = list(row.cells)
        cells = [lines_of(slots.get(box, [])) if box else None for box in boxes]
        rows.append(_row_lines(cells, boxes))
    return rows


def _text_lines(chars: list[dict]) -> list[tuple[float, str]]:
    """(top, text) of the page's text outside tables, a two-column block column by column."""
    out: list[tuple[float, str]] = []
    last = float("-inf")
    for block, right in column_blocks(lines_of(chars)):
        for line in block:
            last = last if right else line.top
            out.append((last, line.text))
    return out


def _same_row(a: list[str], b: list[str]) -> bool:
    return [" ".join(x.split()) for x in a] == [" ".join(x.split()) for x in b]


def _page_lines(page, previous: list[str] | None) -> tuple[list[str], list[str] | None]:
    """The page's lines top to bottom, and its last table's header row (the first row's lines)
    for the next page, where a repeated header row is not read again."""
    placed: list[tuple[float, int, str]] = []  # (top, order, line)
    tables = page.filter(is_ruling).find_tables()
    boxes = [table.bbox for table in tables]  # a computed property: read once
    chars = page.chars
    header = previous
    for n, (box, table) in enumerate(sorted(zip(boxes, tables, strict=True), key=lambda t: t[0][1])):
        mine = [c for c in chars if _inside(_center(c), box)]
        rows = [r for r in _table_rows(table, mine) if r]
        if n == 0 and header and rows and _same_row(rows[0], header):
            rows = rows[1:]
        elif rows:
            header = rows[0]
        for row in rows:
            for line in row:
                placed.append((box[1], len(placed), line))
    outside = [c for c in chars if not any(_inside(_center(c), box) for box in boxes)] if boxes else chars
    for top, text in _text_lines(outside):
        if text:
            placed.append((top, len(placed), text))
    placed.sort()
    return [line for _, _, line in placed], header


def pdf_lines(data: bytes, limits: Limits, budget: TextBudget) -> tuple[list[str], list[str]]:
    """Lines and warnings of a PDF; ``ReadError`` when it has no text layer at all."""
    lines: list[str] = []
    warnings: list[str] = []
    saw_text = False
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        total = len(pdf.pages)
        if total > limits.max_pdf_pages:
            warnings.append(
                f"PDF 共 {total} 页，只读取了前 {limits.max_pdf_pages} 页；"
                "可用环境变量 EDUPLAN_MAX_PDF_PAGES 调整。"
            )
        deadline = time.monotonic() + READ_SECONDS
        header: list[str] | None = None
        for number, page in enumerate(pdf.pages[: limits.max_pdf_pages], start=1):
            if time.monotonic() > deadline:
                raise LimitError(
                    f"PDF 排版太复杂：读到第 {number} 页已超过 {READ_SECONDS:.0f} 秒，已停止读取；"
                    "请提供 Word 或文本版本。"
                )
            try:
                relayout(page)
                if page.chars:
                    saw_text = True
                    page_lines, header = _page_lines(page, header)
                    lines.extend(budget.take(line) for line in page_lines)
            finally:
                page.close()
    if not saw_text:
        raise ReadError(NO_TEXT)
    return lines, warnings
