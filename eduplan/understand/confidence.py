"""How sure the reader is of an item, from how its span and units were found.

An item starts from the confidence of the way its span was found (``_span`` in the package:
a dated schedule row, a date in its own text, or the document's period) and is capped by each
doubt below that applies. The caps are data: an import screen asks a person about every item
under 0.9 and about none above, so each doubt names a reason a person can check.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate

SURE = 0.9

# doubt → (cap, what a person should check)
DOUBTS: dict[str, tuple[float, str]] = {
    "unread_date": (0.6, "文字中有未能读出的日期"),
    "short_text": (0.5, "事项文字过短"),
    "guessed_year": (0.8, "年份是推断的"),
    "guessed_columns": (0.8, "表格没有可识别的表头，列的含义是推断的"),
    "inferred_row": (0.85, "这一行的日期是由前后行推算的"),
    "no_units": (0.6, "有责任单位列，但这一行没有读出单位"),
    "undated_in_calendar": (0.6, "行事历中这一条没有日期，可能只是说明文字"),
}

# Date-like pieces a reader should have understood: 3/14, 3.14, 3月, 14日, 三月, 第3周. Every
# piece begins with a digit, a Chinese numeral or 第: the lookahead lets the engine skip other
# positions at once.
_DATE_LIKE = re.compile(
    r"(?=[\d一二三四五六七八九十第])"
    r"(?:\d{1,2}\s*[/月]\s*\d{0,2}|(?<![\d.])\d{1,2}\.\d{1,2}(?![\d.%])|\d{1,2}\s*[日号](?!报)"
    r"|[一二三四五六七八九十]{1,3}月(?!份?主题)|第\s*\d{1,2}\s*周)"
)


def unread_dates(text: str, covered: Iterable[tuple[int, int]]) -> bool:
    """Whether ``text`` has a date-like piece that no time mention covers."""
    spans = list(covered)
    if len(spans) > _FEW_SPANS:
        return _unread_among_many(text, spans)
    for m in _DATE_LIKE.finditer(text):
        at = m.start()
        for a, b in spans:
            if a <= at < b:
                break
        else:
            return True
    return False


_FEW_SPANS = 8  # up to this many mentions each piece is checked against all of them


def _unread_among_many(text: str, spans: list[tuple[int, int]]) -> bool:
    """``unread_dates`` in log time per piece: a piece at ``at`` is covered when the furthest
    end of the spans starting at or before it lies after it (a text of thousands of dates made
    the check against every mention quadratic: 0.6 s for one line the fuzzer built)."""
    spans.sort()
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))
    for m in _DATE_LIKE.finditer(text):
        at = m.start()
        k = bisect_right(starts, at)
        if k == 0 or reach[k - 1] <= at:
            return True
    return False


def capped(base: float, doubts: Iterable[str]) -> float:
    """``base`` lowered to the cap of every doubt that applies."""
    value = base
    for doubt in doubts:
        value = min(value, DOUBTS[doubt][0])
    return round(value, 2)
