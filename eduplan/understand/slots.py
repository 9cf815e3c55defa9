"""Schedule slots: the week rows of a 行事历 and the month headings of a month arrangement.

A slot is the span a schedule row gives to the entries under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from eduplan.understand.numerals import cn_number
from eduplan.understand.timex import TimeContext, month_span, resolve_year


@dataclass
class Slot:
    start: date
    end: date
    label: str
    kind: str  # "week", "month", "day"
    inferred: bool = False  # dated by counting on from another row, not by its own dates


# A line that holds only the date cell of a calendar row: digits, dots, week words, connectors.
_SLOT_CHARS = re.compile(r"^[0-9.|︱┃丨\-—–~至到月日号第周次预备()\s一二三四五六七八九十]+$")
_CONNECTOR = re.compile(r"^[|︱┃丨\-—–~至到\s]+$")
_MD = re.compile(r"(\d{1,4})\.(\d{1,2})(?!\d)")
_MD_CN = re.compile(r"(\d{1,2})月(\d{1,2})[日号]")

_MONTH_WORD = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_MONTH_HEADING = re.compile(
    rf"^[【\[]?(?:(?P<y>\d{{2}}|\d{{4}}|[〇零一二三四五六七八九]{{2}}|[〇零一二三四五六七八九]{{4}})\s*年\s*)?"
    rf"(?P<a>{_MONTH_WORD})(?:月份?)?(?:\s*[、\-—–~至到和及]\s*(?P<b>{_MONTH_WORD}))?\s*月份?"
    r"(?:\s*(?P<theme>主题|活动主题|工作主题)|\s*(?:工作安排|工作要点|重点工作|主要工作|工作|活动安排)?)?[】\]]?"
    r"(?:\s*[(（][^)）]{1,8}[)）])?\s*[::]?\s*(?P<rest>.*)$"
)


def _month_value(word: str) -> int | None:
    value = cn_number(word)
    return value if value and 1 <= value <= 12 else None


_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}


def _written_year(raw: str | None) -> int | None:
    """A year written before a month heading: 2011, 11, 二〇一一 or 一一 (two digits: 20NN)."""
    if not raw:
        return None
    digits = raw if raw.isdigit() else "".join(str(_CN_DIGIT[c]) for c in raw)
    value = int(digits)
    return 2000 + value if len(digits) == 2 else value


def month_heading(text: str, ctx: TimeContext) -> tuple[Slot, str] | None:
    """``三月份:``, ``7-8月:``, ``八、九月份:``, ``1月`` (with what follows on the line)."""
    m = _MONTH_HEADING.match(text)
    if not m:
        return None
    rest = m.group("rest")
    if m.group("theme") and rest and len(rest) <= 30 and not re.search(r"\d\s*[、.]", rest):
        rest = ""  # 二月主题:新起点、新打算 — the month's theme, not an entry
    if rest and not re.match(
        r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[、.,)）]|^[(（]\d|^[△▲●◆■□☆★·]", rest
    ):
        return None  # a sentence that starts with a month, not a heading
    a = _month_value(m.group("a"))
    b = _month_value(m.group("b")) if m.group("b") else a
    if a is None or b is None:
        return None
    year = ctx.default_year or (ctx.period_start.year if ctx.period_start else None)
    if ctx.period_start and ctx.period_end:
        year = resolve_year(a, 1, ctx) or year
    written = _written_year(m.group("y"))
    if written is not None:
        year = written
    if year is None:
        return None
    start = month_span(year, a)[0]
    end_year = year if b >= a else year + 1
    end = month_span(end_year, b)[1]
    label = text[: m.start("rest")].strip(" :\uff1a")
    return Slot(start, end, label, "month"), rest


def is_slot_line(text: str) -> bool:
    """Whether a line holds only (part of) a calendar row's date cell."""
    return bool(_SLOT_CHARS.match(text)) and not text.isdigit()


_DATE_IN_CELL = re.compile(r"\d\.\d|\d月\d")


def has_date_cell(text: str) -> bool:
    """Whether a line is a calendar row's date cell holding at least one date (323.7, 3月7日)."""
    return is_slot_line(text) and _DATE_IN_CELL.search(text) is not None


def is_connector(text: str) -> bool:
    return bool(_CONNECTOR.match(text))


def _pick_start(first: str, end: date | None, ctx: TimeContext) -> tuple[date, str] | None:
    """The row's first date, where the month and week cells may be glued in front (323.7)."""
    m = _MD.search(first)
    if not m:
        m2 = _MD_CN.search(first)
        if not m2:
            return None
        start = _make(int(m2.group(1)), int(m2.group(2)), end, ctx)
        return (start, first[: m2.start()]) if start is not None else None
    digits, day = m.group(1), int(m.group(2))
    options = []
    for width in (2, 1):
        if len(digits) >= width:
            month = int(digits[-width:])
            if 1 <= month <= 12:
                d = _make(month, day, end, ctx)
                if d is not None:
                    options.append((d, first[: m.start(1) + len(digits) - width]))
    if not options:
        return None
    if end is not None:
        options.sort(key=lambda o: abs((end - o[0]).days - 6) if o[0] <= end else 999)
    return options[0]


def _make(month: int, day: int, near: date | None, ctx: TimeContext) -> date | None:
    if near is not None:
        for year in (near.year, near.year - 1):
            try:
                d = date(year, month, day)
            except ValueError:
                continue
            if d <= near:
                return d
        return None
    year = resolve_year(month, day, ctx)
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def week_row(texts: list[str], ctx: TimeContext) -> Slot | None:
    """A calendar row's date cell, given as the lines it spans (``323.7``, ``|``, ``3.13``)."""
    joined = "|".join(t for t in texts if t)
    dates = list(_MD.finditer(joined)) or list(_MD_CN.finditer(joined))
    if not dates:
        return None
    end = None
    if len(dates) >= 2:
        last = dates[-1]
        month, day = int(last.group(1)[-2:]), int(last.group(2))
        if not 1 <= month <= 12:
            month = int(last.group(1)[-1:])
        end = _make(month, day, None, ctx)
    picked = _pick_start(texts[0] if texts else joined, end, ctx)
    if picked is None:
        return None
    start, prefix = picked
    if end is None or end < start or (end - start).days > 40:
        end = start  # no believable end date: a one-day row
    kind = "week" if (end - start).days >= 4 else "day"
    label = "预备周" if "预备" in prefix else _week_label(prefix)
    return Slot(start, end, label, kind)


_WEEK_NAME = re.compile(r"第\s*([0-9一二三四五六七八九十两〇]{1,3})\s*周")


def _week_label(prefix: str) -> str:
    """``第一周``/``第 12 周`` before a row's dates → ``第1周``/``第12周``; else ``""``."""
    m = _WEEK_NAME.search(prefix)
    number = cn_number(m.group(1)) if m else None
    return f"第{number}周" if number else ""


def next_week_label(previous: list[Slot]) -> str:
    weeks = [s for s in previous if s.kind == "week" and s.label != "预备周"]
    return f"第{len(weeks) + 1}周"
