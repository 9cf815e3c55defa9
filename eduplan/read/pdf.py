"""PDF (pdfplumber): per page, table rows and the text around them, top to bottom.

Tables found by ``page.find_tables()`` become tab-joined row lines (a merged cell's
other grid cells are empty strings); the page's other characters, those outside every
table box, become text lines. Both are merged by their vertical position.
"""

from __future__ import annotations

import io
import re
import time

import pdfplumber

from eduplan.errors import LimitError, ReadError
from eduplan.read.sizes import TextBudget
from eduplan.settings import Limits

READ_SECONDS = 30.0
"""Time a PDF may take to read, checked between pages: a file built to make the layout analysis
crawl is refused instead of holding a worker (a real 500-page PDF reads in far less)."""

NO_TEXT = "PDF 没有可提取的文字（可能是扫描件），请先做文字识别（OCR）或提供 Word / 文本版本。"

_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
# A wrapped line inside a table cell: CJK on both sides joins without a space.
_CJK_WRAP = re.compile(f"(?<=[{_CJK}])\\s*\\n\\s*(?=[{_CJK}])")
_WS = re.compile(r"\s+")


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return _WS.sub(" ", _CJK_WRAP.sub("", text)).strip()


def _outside(boxes: list[tuple[float, float, float, float]]):
    def keep(obj: dict) -> bool:
        if "x0" not in obj or "top" not in obj:
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    return keep


def _page_lines(page) -> list[str]:
    placed: list[tuple[float, int, str]] = []  # (top, order, line)
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    for table in tables:
        top = table.bbox[1]
        for row in table.extract():
            cells = [_cell(c) for c in row]
            if any(cells):
                placed.append((top, len(placed), "\t".join(cells)))
    text_page = page.filter(_outside(boxes)) if boxes else page
    for line in text_page.extract_text_lines(return_chars=False):
        text = _WS.sub(" ", line["text"]).strip()
        if text:
            placed.append((line["top"], len(placed), text))
    placed.sort()
    return [line for _, _, line in placed]


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
        for number, page in enumerate(pdf.pages[: limits.max_pdf_pages], start=1):
            if time.monotonic() > deadline:
                raise LimitError(
                    f"PDF 排版太复杂：读到第 {number} 页已超过 {READ_SECONDS:.0f} 秒，已停止读取；"
                    "请提供 Word 或文本版本。"
                )
            try:
                if page.chars:
                    saw_text = True
                    lines.extend(budget.take(line) for line in _page_lines(page))
            finally:
                page.close()
    if not saw_text:
        raise ReadError(NO_TEXT)
    return lines, warnings
