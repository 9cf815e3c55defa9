"""The span a document plans for: read from its title, else from its first lines or its month rows.

Input is folded text (simplified script, half-width ASCII). A title is read as a sequence of
time tokens: an anchor (a year, a school year ``2020—2021学年度``, a ROC ``114學年度``, a
year-month, a compact ROC date ``1070528``) and the qualifier that follows it (a term
``第二学期``/``秋季``, a half year, a quarter, a month, a plan length ``五年``). A qualifier
without an anchor takes the year given by the caller (``--year``) or found in the text.

Choices where the design left room:

- A school year runs from September (ROC 學年度: August) to the end of the month before.
  Its first term ends on 31 January, its second runs 1 February to 31 July.
- A term named with a calendar year: ``2021年春季学期`` is February–July 2021,
  ``2021年秋季学期`` and ``2021年第一学期`` September 2021 – January 2022.
- A term named without any year takes the year of the first dated month in the text:
  the first term whose January is ``一一年一月`` started in September 2010.
- ``五年发展规划`` spans five years from the first year-month (or year) the text states.
- Two-digit years (``17年9月``, ``一一年一月``) are 20YY; three-digit years from 100 on
  (``115 年``) are ROC years.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from eduplan.understand import factwords as fw
from eduplan.understand.numerals import cn_number

__all__ = [
    "Period",
    "compact",
    "compact_text",
    "document_period",
    "first_year",
    "month_rows",
    "rows_period",
    "text_period",
    "time_tokens",
    "title_period",
]

Span = tuple[date, date]
_MIN_YEAR, _MAX_YEAR = 1950, 2100


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    source: str  # "title", "text", "rows", "year" (a whole year guessed), "none"
    default_year: int | None


_SPACE = re.compile(r"\s")
# A pinyin gloss some pages put after a character (學(xué), 關(guān)): not part of the text.
PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,8}\)")


_BLANKS = re.compile(r"\s+")
_BLANKS_OR_GLOSS = re.compile(r"\s+|" + PINYIN_GLOSS.pattern)


def compact(text: str) -> tuple[str, list[int]]:
    """``text`` without white space, except one blank between two ASCII letters or digits
    (``2024 2025`` stays two numbers), and without the pinyin glosses some pages put after
    characters (``學(xué)``); with the offset in ``text`` of every kept character."""
    if "(" not in text and not _SPACE.search(text):
        return text, list(range(len(text)))
    # What is dropped (a run of blanks, a gloss) is found by one search; the text between is
    # copied whole (a character-by-character walk was most of this function's time).
    out: list[str] = []
    where: list[int] = []
    last = 0
    previous = ""  # the last character kept
    n = len(text)
    for m in (_BLANKS_OR_GLOSS if "(" in text else _BLANKS).finditer(text):
        s, e = m.span()
        if s > last:
            out.append(text[last:s])
            where.extend(range(last, s))
            previous = text[s - 1]
        last = e
        if text[s] == "(" or not previous:
            continue  # a gloss, or blanks before anything kept
        if e < n and previous.isascii() and previous.isalnum() and text[e].isascii() and text[e].isalnum():
            out.append(" ")
            where.append(s)
            previous = " "
    if last < n:
        out.append(text[last:])
        where.extend(range(last, n))
    return "".join(out), where


def compact_text(text: str) -> str:
    """``compact(text)[0]``: the compacted text alone, without building the offsets."""
    if "(" not in text and not _SPACE.search(text):
        return text
    out: list[str] = []
    last = 0
    previous = ""
    n = len(text)
    for m in (_BLANKS_OR_GLOSS if "(" in text else _BLANKS).finditer(text):
        s, e = m.span()
        if s > last:
            out.append(text[last:s])
            previous = text[s - 1]
        last = e
        if text[s] == "(" or not previous:
            continue
        if e < n and previous.isascii() and previous.isalnum() and text[e].isascii() and text[e].isalnum():
            out.append(" ")
            previous = " "
    if last < n:
        out.append(text[last:])
    return "".join(out)


# --------------------------------------------------------------------------- tokens

_DASH = r"(?:[-—–~～至/─━_－]{1,3}|到)"
_CN_MONTH = r"(?:十[一二]?|[一二三四五六七八九])"
_MONTH = rf"(?:1[0-2]|0?[1-9]|{_CN_MONTH})"
_TERMS = "|".join(sorted({*fw.TERM_WORDS, *fw.SEASON_TERMS}, key=len, reverse=True))

# A lookahead on the first character opens the anchors' patterns: other positions are skipped at once.
_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "years",
        re.compile(
            rf"(?=[12])(?<!\d)(?P<y1>(?:19|20)\d{{2}})\s?年?\s?(?:{_DASH}|\s)\s?(?P<y2>(?:19|20)?\d{{2}})(?!\d)"
            r"\s?(?P<suffix>学年度?|年度?)?"
        ),
    ),
    ("school_year", re.compile(r"(?=[12])(?<!\d)(?P<y>(?:19|20)\d{2})\s?学年度?")),
    ("roc_school_year", re.compile(r"(?=\d)(?<![\d.])(?P<roc>\d{2,3})\s?学年度?")),
    (
        "roc_date",
        re.compile(
            r"(?=1)(?<![\d.])(?P<roc>1[0-4]\d)(?:(?P<m>0[1-9]|1[0-2])(?P<d>[0-3]\d)|\.(?P<m2>\d{1,2})\.\d{1,2})(?!\d)"
        ),
    ),
    (
        "year_month",
        re.compile(rf"(?=\d)(?<!\d)(?P<y>(?:19|20)\d{{2}}|1[0-4]\d|\d{{2}})\s?年\s?(?P<m>{_MONTH})\s?月"),
    ),
    (
        "year",
        re.compile(
            r"(?=[12一二])(?<![\d〇○零一二三四五六七八九])(?P<y>(?:19|20)\d{2}|1[0-4]\d|[一二][〇○零一二三四五六七八九]{3})\s?年度?(?!级)"
        ),
    ),
    ("unknown_year", re.compile(r"(?=[2xX×])(?<![\dA-Za-z])(?:20)?[xX×]{2}\s?年度?")),
    ("term", re.compile(rf"(?P<t>{_TERMS})")),
    ("half", re.compile(r"(?P<h>上半年|下半年)")),
    (
        "months",
        re.compile(
            rf"(?<![\d一二三四五六七八九十〇])(?P<m>{_MONTH})\s?(?:月份?)?\s?[-—–~～至到、]\s?(?P<m2>{_MONTH})\s?月份?"
        ),
    ),
    ("quarter", re.compile(r"第?(?P<q>[一二三四1-4])季度")),
    (
        "length",
        re.compile(
            rf"(?<![\d一二三四五六七八九十])(?P<n>[一二三四五六七八九十两]|\d{{1,2}})年(?:{'|'.join(fw.PLAN_LENGTH_WORDS)})"
        ),
    ),
    (
        "month",
        re.compile(
            rf"(?<![\d一二三四五六七八九十〇])(?P<m>{_MONTH})月份?(?!\s?\d|\s?[一二三四五六七八九十]+[日号])"
        ),
    ),
)
_ANCHORS = frozenset(
    {"years", "school_year", "roc_school_year", "roc_date", "year_month", "year", "unknown_year"}
)


@dataclass(frozen=True)
class _Token:
    begin: int
    end: int
    kind: str
    m: re.Match[str]


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    for kind, regex in _TOKENS:
        for m in regex.finditer(text):
            found.append(_Token(m.start(), m.end(), kind, m))
    found.sort(key=lambda t: (t.begin, -(t.end - t.begin)))
    kept: list[_Token] = []
    for tok in found:
        if kept and tok.begin < kept[-1].end:
            continue
        kept.append(tok)
    return kept


def time_tokens(text: str) -> list[tuple[int, int, str, str]]:
    """(begin, end, kind, value) of the time tokens of a compacted folded text, in order; kind
    is one of years, school_year, roc_school_year, roc_date, year_month, year, unknown_year,
    term, half, quarter, length, month; value is the first year as written, or the word."""
    return list(_time_tokens(text))


@lru_cache(maxsize=4096)
def _time_tokens(text: str) -> tuple[tuple[int, int, str, str], ...]:
    """``time_tokens``, cached: a title candidate is scored and then searched for its issuer."""
    out = []
    for tok in _tokens(text):
        groups = tok.m.groupdict()
        value = next(
            (groups[k] for k in ("y1", "y", "roc", "t", "h", "q", "n", "m") if groups.get(k)), tok.m.group()
        )
        out.append((tok.begin, tok.end, tok.kind, value))
    return tuple(out)


def _month_number(raw: str) -> int | None:
    value = cn_number(raw)
    return value if value is not None and 1 <= value <= 12 else None


def _year_number(raw: str) -> int | None:
    """A written year: 4 digits as is, 100–149 a ROC year, 2 digits (ASCII or Chinese) 20YY."""
    raw = raw.strip()
    value = cn_number(raw) if not raw.isascii() else (int(raw) if raw.isdigit() else None)
    if value is None:
        return None
    if len(raw) == 3 and 100 <= value < 150:
        value += fw.ROC_OFFSET
    elif len(raw) == 2:
        value += 2000
    return value if _MIN_YEAR <= value <= _MAX_YEAR else None


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _months(year: int, first: int, last: int, later: int = 0) -> Span | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    return date(year, first, 1), _month_end(year + later, last)


def _school_year(first: int, roc: bool, term: int | None) -> Span | None:
    start_month = fw.ROC_SCHOOL_YEAR_START if roc else fw.SCHOOL_YEAR_START
    if term == 1:
        return _months(first, start_month, 1, 1)
    if term == 2:
        return _months(first + 1, 2, 7)
    return _months(first, start_month, start_month - 1, 1)


@dataclass(frozen=True)
class _Anchor:
    year: int | None  # calendar year, or the first year of a school year
    school: bool  # a school year (学年), so a term is one of its terms
    roc: bool
    month: int | None = None  # a year-month anchor
    last_year: int | None = None  # a year range 2018—2020年


def _anchor(tok: _Token, year_hint: int | None) -> _Anchor | None:
    m = tok.m
    if tok.kind == "years":
        y1 = int(m.group("y1"))
        raw2 = m.group("y2")
        y2 = int(raw2) if len(raw2) == 4 else y1 // 100 * 100 + int(raw2)
        if not y1 < y2 <= y1 + 20:
            return None
        # 2020—2021学年度, 2022/23年度, 2024 2025 (校历): a school year; 2018—2019年: two years.
        school = y2 == y1 + 1 and m.group("suffix") != "年"
        return _Anchor(y1, school, False, last_year=y2)
    if tok.kind == "school_year":
        return _Anchor(int(m.group("y")), True, False)
    if tok.kind == "roc_school_year":
        roc = int(m.group("roc"))
        return _Anchor(roc + fw.ROC_OFFSET, True, True) if 1 <= roc < 150 else None
    if tok.kind == "roc_date":  # a dated line (1070528): its year, not its month, is the period's
        return _Anchor(int(m.group("roc")) + fw.ROC_OFFSET, False, True)
    if tok.kind == "year_month":
        year = _year_number(m.group("y"))
        return (
            _Anchor(year, False, len(m.group("y")) == 3, month=_month_number(m.group("m"))) if year else None
        )
    if tok.kind == "year":
        year = _year_number(m.group("y"))
        return _Anchor(year, False, len(m.group("y")) == 3) if year else None
    if tok.kind == "unknown_year":
        return _Anchor(year_hint, False, False) if year_hint else None
    return None


def _qualified(anchor: _Anchor, qual: _Token | None, text_month: int | None = None) -> Span | None:
    year = anchor.year
    if year is None or not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    if qual is None:
        if anchor.school:
            return _school_year(year, anchor.roc, None)
        if anchor.last_year is not None:
            return date(year, 1, 1), date(anchor.last_year, 12, 31)
        if anchor.month is not None and text_month is None:
            return _months(year, anchor.month, anchor.month)
        return date(year, 1, 1), date(year, 12, 31)
    m = qual.m
    if qual.kind == "term":
        word = m.group("t")
        if anchor.school or anchor.last_year == year + 1:
            term = fw.TERM_WORDS.get(word)
            if term is None:  # 夏季学期 of a school year: the summer at its end
                first, last, later = fw.SEASON_TERMS[word]
                return _months(year + 1, first, last, later)
            return _school_year(year, anchor.roc, term)
        if word in fw.SEASON_TERMS:
            first, last, later = fw.SEASON_TERMS[word]
            return _months(year, first, last, later)
        return _school_year(year, anchor.roc, fw.TERM_WORDS[word])
    if qual.kind == "half":
        first, last = fw.HALF_YEAR_WORDS[m.group("h")]
        return _months(year, first, last)
    if qual.kind == "quarter":
        q = int(m.group("q")) if m.group("q").isdigit() else cn_number(m.group("q")) or 1
        return _months(year, 3 * q - 2, 3 * q)
    if qual.kind == "month":
        month = _month_number(m.group("m"))
        return _months(year, month, month) if month else None
    if qual.kind == "months":
        first, last = _month_number(m.group("m")), _month_number(m.group("m2"))
        if first is None or last is None:
            return None
        return _months(year, first, last, 1 if last < first else 0)
    if qual.kind == "length":
        n = cn_number(m.group("n").replace("两", "二")) or 0
        if not 1 <= n <= 20:
            return None
        first_month = anchor.month or 1
        start = date(year, first_month, 1)
        end = date(year + n, first_month, 1) - timedelta(days=1)
        return start, end
    return None


def _term_from_text(qual: _Token, text_year: tuple[int, int | None]) -> _Anchor:
    """The school year a bare term word belongs to, given the first dated month of the text."""
    year, month = text_year
    word = qual.m.group("t")
    term = fw.TERM_WORDS.get(word)
    if term == 1 and month is not None and month < fw.SCHOOL_YEAR_START - 1:
        return _Anchor(year - 1, True, False)
    if term == 2:
        return _Anchor(year - 1, True, False)
    return _Anchor(year, True, False)


def title_period(
    title: str, year_hint: int | None = None, text_year: tuple[int, int | None] | None = None
) -> Span | None:
    """The span a title names (folded text), or None when it names none."""
    if not title:
        return None
    text = compact_text(title)
    m = _RANGE_TEXT.search(text)  # 2023年9月至2024年1月
    if m and (span := _explicit(m)) is not None:
        return span
    tokens = _tokens(text)
    anchors = [i for i, t in enumerate(tokens) if t.kind in _ANCHORS]
    quals = [i for i, t in enumerate(tokens) if t.kind not in _ANCHORS]
    for i in anchors:
        anchor = _anchor(tokens[i], year_hint)
        if anchor is None:
            continue
        nxt = next((j for j in anchors if j > i), len(tokens))
        after = [j for j in quals if i < j < nxt]
        before = [j for j in quals if j < i]
        qual = tokens[after[0]] if after else (tokens[before[-1]] if before else None)
        if qual is not None and qual.kind == "length" and anchor.month is None and text_year:
            if text_year[0] == anchor.year and text_year[1]:
                anchor = _Anchor(anchor.year, False, anchor.roc, month=text_year[1])
        span = _qualified(anchor, qual)
        if span is not None:
            return span
    if not quals:
        return None
    qual = tokens[quals[0]]
    if qual.kind == "length" and text_year is not None:
        return _qualified(
            _Anchor(text_year[0], False, False, month=text_year[1]), qual, text_month=text_year[1]
        )
    if qual.kind == "term" and year_hint is None and text_year is not None:
        return _qualified(_term_from_text(qual, text_year), qual)
    year = year_hint if year_hint is not None else (text_year[0] if text_year else None)
    if year is None:
        return None
    return _qualified(_Anchor(year, False, False), qual)


# --------------------------------------------------------------------------- text

_YEAR_MONTH_TEXT = re.compile(
    rf"(?<![\d〇○零一二三四五六七八九])(?P<y>(?:19|20)\d{{2}}|1[0-4]\d|\d{{2}}|[〇○零一二三四五六七八九]{{2}})\s?年\s?(?P<m>{_MONTH})\s?月"
)
_YEAR_TEXT = re.compile(
    r"(?<![\d〇○零一二三四五六七八九])(?P<y>(?:19|20)\d{2}|[一二][〇○零一二三四五六七八九]{3})\s?(?:年|(?=(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b))"
)
_ROC_DATE_TEXT = re.compile(
    r"(?<![\d.])(?P<roc>1[0-4]\d)(?:(?:0[1-9]|1[0-2])[0-3]\d|\.\d{1,2}\.\d{1,2})(?!\d)"
)
_RANGE_TEXT = re.compile(
    rf"(?<![\d〇○零一二三四五六七八九])(?P<y1>(?:19|20)\d{{2}}|\d{{2}})\s?年\s?(?P<m1>{_MONTH})\s?月"
    rf"(?:\s?(?P<d1>\d{{1,2}})\s?[日号])?\s?{_DASH}\s?"
    rf"(?:(?P<y2>(?:19|20)\d{{2}}|\d{{2}})\s?年)?\s?(?P<m2>{_MONTH})\s?月(?:\s?(?P<d2>\d{{1,2}})\s?[日号])?"
)


def first_year(texts: list[str]) -> tuple[int, int | None] | None:
    """(year, month or None) of the first year the text states: ``2019年``, ``2010年9月``,
    ``115 年 1 月`` (ROC), ``一一年一月`` (2011), a ROC date ``1070528``; None when it states none."""
    for text in texts:
        best: tuple[int, tuple[int, int | None]] | None = None
        for m in _YEAR_MONTH_TEXT.finditer(text):
            year, month = _year_number(m.group("y")), _month_number(m.group("m"))
            if year is not None:
                best = (m.start(), (year, month))
                break
        for m in _YEAR_TEXT.finditer(text):
            year = _year_number(m.group("y"))
            if year is not None and (best is None or m.start() < best[0]):
                best = (m.start(), (year, None))
            break
        for m in _ROC_DATE_TEXT.finditer(text):
            if best is None or m.start() < best[0]:
                best = (m.start(), (int(m.group("roc")) + fw.ROC_OFFSET, None))
            break
        if best is not None and _MIN_YEAR <= best[1][0] <= _MAX_YEAR:
            return best[1]
    return None


# Every token text_period takes (years, school_year, roc_school_year) holds a four-digit year
# 19xx/20xx or 学年 (no blank is left between a digit and 学 in compacted text): a line with
# neither is not tokenised (the token patterns were most of text_period's time).
_SCHOOL_YEAR_GATE = re.compile(r"(?:19|20)\d\d|学年")


def text_period(texts: list[str]) -> Span | None:
    """The period the first lines of a document state when its title states none: a school
    year or term (``2014—2015學年度``), narrowed by an explicit span (``自 17年9月 至 17年11月``)
    that lies inside it."""
    school: Span | None = None
    explicit: Span | None = None
    for raw in texts:
        if school is not None and explicit is not None:
            break  # both found: the lines after change neither
        text = compact_text(raw)
        if school is None and _SCHOOL_YEAR_GATE.search(text):
            tokens = _tokens(text)
            for i, tok in enumerate(tokens):
                if tok.kind not in ("years", "school_year", "roc_school_year"):
                    continue
                anchor = _anchor(tok, None)
                if anchor is None or not anchor.school:
                    continue
                nxt = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].kind == "term" else None
                if nxt is not None and nxt.begin - tok.end > 2:
                    nxt = None
                school = _qualified(anchor, nxt)
                if school is not None:
                    break
        if explicit is None and "月" in text:
            m = _RANGE_TEXT.search(text)
            if m:
                explicit = _explicit(m)
    if explicit is not None and (school is None or school[0] <= explicit[0] <= explicit[1] <= school[1]):
        return explicit
    return school


def _explicit(m: re.Match[str]) -> Span | None:
    y1 = _year_number(m.group("y1"))
    y2 = _year_number(m.group("y2")) if m.group("y2") else y1
    m1, m2 = _month_number(m.group("m1")), _month_number(m.group("m2"))
    if y1 is None or y2 is None or m1 is None or m2 is None:
        return None
    try:
        start = date(y1, m1, int(m.group("d1"))) if m.group("d1") else date(y1, m1, 1)
        end = date(y2, m2, int(m.group("d2"))) if m.group("d2") else _month_end(y2, m2)
    except ValueError:
        return None
    return (start, end) if start <= end and (end - start).days <= 3 * 366 else None


# --------------------------------------------------------------------------- month rows

_MONTH_ROW = re.compile(
    rf"^[【\[(]?(?:(?P<y>(?:19|20)\d{{2}}|\d{{2}}|[〇○零一二三四五六七八九]{{2}})年)?(?P<m>{_MONTH})月份?"
    r"(?:[】\])])?(?P<rest>.*)$"
)
_ROW_REST = re.compile(r"^(?:$|[::]|主题|工作|安排|重点|活动|计划|份)")


def month_rows(texts: list[str], default_year: int | None = None) -> list[tuple[int | None, int]]:
    """(year, month) of the lines that head a month of a month-by-month arrangement (``九月``,
    ``二月主题:…``, ``一一年一月``), years filled in along the rows (a month smaller than the one
    before starts the next year); year None where no year is written or given."""
    rows: list[tuple[int | None, int]] = []
    for raw in texts:
        if "月" not in raw[:16] or len(raw) > 120:
            continue
        text = compact_text(raw)
        if len(text) > 40 and ":" not in text[:8]:
            continue
        m = _MONTH_ROW.match(text)
        if not m or not _ROW_REST.match(m.group("rest")):
            continue
        month = _month_number(m.group("m"))
        if month is None:
            continue
        rows.append((_year_number(m.group("y")) if m.group("y") else None, month))
    if not rows:
        return rows
    known = next(((i, y) for i, (y, _) in enumerate(rows) if y is not None), None)
    if known is None:
        if default_year is None:
            return rows
        known = (0, default_year)
    years: list[int] = [0] * len(rows)
    i0, y0 = known
    years[i0] = y0
    for i in range(i0 + 1, len(rows)):
        y, month = rows[i]
        years[i] = y if y is not None else (years[i - 1] + (1 if month < rows[i - 1][1] else 0))
    for i in range(i0 - 1, -1, -1):
        years[i] = years[i + 1] - (1 if rows[i][1] > rows[i + 1][1] else 0)
    return [(years[i], month) for i, (_, month) in enumerate(rows)]


def rows_period(rows: list[tuple[int | None, int]], max_months: int = 7) -> Span | None:
    """The months a month-by-month arrangement covers, when they are at least three rows in
    order and within one term or half year (``二月``…``七月``); None otherwise."""
    if len(rows) < 3 or any(y is None or not _MIN_YEAR <= y <= _MAX_YEAR for y, _ in rows):
        return None
    index = [y * 12 + m - 1 for y, m in rows if y is not None]
    if any(b < a for a, b in itertools.pairwise(index)) or index[-1] - index[0] + 1 > max_months:
        return None
    first, last = rows[0], rows[-1]
    assert first[0] is not None and last[0] is not None
    return date(first[0], first[1], 1), _month_end(last[0], last[1])


def document_period(
    title: str | None,
    head: list[str],
    rows: list[str],
    year_hint: int | None = None,
    month_plan: bool = True,
) -> Period:
    """The period of a document: its title's (``title`` as its line reads, folded), else the
    school year or span its first lines (``head``) state, else — for a month-by-month
    arrangement (``month_plan``) — the months its ``rows`` head, else the whole year given or
    first stated."""
    text_year = first_year(head) if year_hint is None else None
    span = title_period(title, year_hint, text_year) if title else None
    source = "title" if span else "none"
    if span is None and year_hint is None:
        span = text_period(head)
        source = "text" if span else source
    if month_plan and source != "title":
        default = year_hint or (span[0].year if span else (text_year[0] if text_year else None))
        months = rows_period(month_rows(rows, default))
        if months is not None:
            span, source = months, "rows"
    if span is None:
        year = year_hint or (text_year[0] if text_year else None)
        if year is not None and _MIN_YEAR <= year <= _MAX_YEAR:
            span, source = (date(year, 1, 1), date(year, 12, 31)), "year"
    if span is None:
        return Period(None, None, "none", year_hint)
    return Period(span[0], span[1], source, year_hint or span[0].year)
