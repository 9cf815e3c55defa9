"""Chinese time expressions in education-bureau plans, resolved to inclusive date spans.

Input is text already folded by `eduplan.text.fold` (simplified script, half-width
ASCII, same length as the original), so offsets are offsets in the original text.

Everything here is a pure function: no I/O, no exceptions escape `find_mentions`, and
every regular expression is precompiled and free of nested unbounded repetition so that
the parser stays linear in the input.  Words live in `timewords`; this module holds
the grammar and the arithmetic.

Choices where the design left room:

- A month-day without a written year takes the year that puts the whole expression
  inside the context period (the period falls back to the term when unknown); failing
  that the year nearest to the period (confidence 0.9); failing that
  ``default_year`` (confidence 0.9); failing that no mention is made.
- A lunar date written as a gloss in brackets right after a solar date
  (``3月1日(农历正月18日)``) is dropped: only the solar mention is returned.
- ``全年`` after a written year (``2021年全年``) is kind "year"; alone it is kind
  "recurring" spanning the period.  ``年初``/``年底``/``年末``/``年中`` are kind "month_part".
- ``月初``/``月底``/``上旬`` … without a month number are resolved only when the
  context period lies within one month (the caller narrows the context to a month row).
- A deadline starts at ``ctx.period_start`` when that is not after the deadline day,
  else on 1 January of the deadline's year.
- ``7-8月`` and ``八、九月份`` (kind "month") cover the first to the last listed month.
- A glued calendar cell such as ``464.4—4.10`` (month, week number, date) is read as
  the shortest digit suffix that gives a week-long range.
- Numeric ``a/b`` is month/day (mainland ``3/5`` is 5 March) unless ``ctx.day_first`` is
  set or only the day-first reading is valid (``22/1``, ``8-14/3``).  A slashed pair
  after 占/约… or before 以上/的/%… is a fraction, not a date.  ``MM-DD`` is read only in a
  range (``09-01 ~ 09-05``) or before a Chinese weekday.
- Three-digit years 100–199 in numeric dates and before 年 + month are 民国 years
  (``114.04.08``, ``114年8月1日``); a standalone seven-digit ``1070528`` is a compact 民国
  date (confidence 0.8).
- A day list of one month (``2月19日、20日``, ``9月2、3日``) is kind "range" from the first
  to the last day with the listed days in ``Mention.days``; days must rise, and a list
  opened by a bare number must close with 日/号.  Without a month (``30、31日``,
  ``5-6日``) lists and ranges are read only in a one-month context (confidence 0.8).
- A weekday written after a date, as ``(周五)``, ``(五)``, ``Fri`` or ``(Fri)``, is kept in
  ``Mention.weekday`` (0 = Monday) and checked against the date.
- 周N / 本周N / 下周N / 上周N / 周一至周五 / ``Mon-Fri`` are resolved only against
  ``ctx.week_start`` (bare 周N at confidence 0.9); ``本周五前`` is a deadline from the
  anchor week's Monday.  第N周 / 第N-M周 / 第N周周二 are resolved only against
  ``ctx.week1_start`` (week 1 runs from that day to its Sunday).
- English labels: ``2022 Oct`` / ``Oct 2022`` are months; ``21 Oct`` / ``Oct 21`` days;
  ``21 Fri`` / ``21-03 Wed-Tue`` (second day smaller: next month) take the only month of
  the period where the written weekdays fit (see `_days_by_weekday`).  English words
  must be capitalised or upper case, so prose such as "may" is not read.
- 寒假/暑假 next to a known term (``ctx.term_start``/``term_end``) start the day after the
  term ends, or end the day before it begins.
- 一季度末 / 二季度初 / 上半年末 are kind "month_part" (the quarter's or half's last,
  first or middle months, `timewords.PERIOD_PARTS`); 前三季度 runs from 1 January to the
  end of that quarter; 第二、三季度 and 第一至第三季度 cover the listed quarters.
- 秋季学期/春季学期 after a 学年 are its first/second term; 学年 years may be written in
  Chinese numerals and joined by doubled dashes (``2017——2018 学年``).

Public functions besides `find_mentions`: `month_span`, `resolve_year`,
`period_from_title`, ``year_from_weekdays(pairs, candidates, first_month=1) -> int | None``
(the year in which most (month, day, weekday) labels fall on their weekday) and
``numeric_day_first(text) -> bool`` (whether a document's slashed dates read day first,
for ``TimeContext.day_first``).  `TimeContext` gained ``day_first``, ``week_start`` and
``week1_start``; `Mention` gained ``weekday`` and ``days``, all with defaults.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from eduplan.understand import timewords as tw
from eduplan.understand.numerals import cn_number

__all__ = [
    "Mention",
    "TimeContext",
    "find_mentions",
    "month_span",
    "numeric_day_first",
    "period_from_title",
    "resolve_year",
    "year_from_weekdays",
]


@dataclass(frozen=True)
class TimeContext:
    period_start: date | None = None  # the document's planned span, when known
    period_end: date | None = None
    default_year: int | None = None  # year to assume where none is written
    term_start: date | None = None  # the term (学期) the text belongs to, when known
    term_end: date | None = None
    day_first: bool = False  # numeric dates are written day/month (Hong Kong, Macau)
    week_start: date | None = None  # Monday of the week 本周/周N refer to, when known
    week1_start: date | None = None  # Monday of 第1周, when known
    anchor: date | None = None  # the calendar row the text stands in: a year-less date is nearest it


@dataclass(frozen=True)
class Mention:
    start: date
    end: date  # inclusive
    begin: int  # character offsets of the expression in the text
    stop: int
    kind: str
    confidence: float = 1.0
    note: str | None = None  # Chinese note for a person, e.g. weekday mismatch
    weekday: int | None = None  # weekday written with the start day (0 = Monday), if any
    days: tuple[date, ...] = ()  # the listed days of a day list (2月19日、20日), else empty


Span = tuple[date, date]
_MIN_YEAR = 1900
_MAX_YEAR = 2200
_INFERRED = 0.9  # confidence when the year was not written and not inside the period

# --------------------------------------------------------------------------- helpers


def month_span(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=8192)
def _day(year: int, month: int, day: int | None) -> date | None:
    """A date, or None when invalid; ``day=None`` means the last day of the month."""
    if not (_MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12):
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        day = last
    if not 1 <= day <= last:
        return None
    return date(year, month, day)


def _md_span(year: int, first: tuple[int, int | None], last: tuple[int, int | None]) -> Span | None:
    """Span from (month, day) to (month, day) in ``year``; a smaller last month is next year."""
    start = _day(year, first[0], first[1] if first[1] is not None else 1)
    end_year = year + 1 if last[0] < first[0] else year
    end = _day(end_year, last[0], last[1])
    if start is None or end is None or end < start:
        return None
    return start, end


def _add_months(d: date, months: int) -> date:
    total = d.month - 1 + months
    year, month = d.year + total // 12, total % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


_cn_number = cn_number


def _ctx_period(ctx: TimeContext) -> tuple[date, date] | None:
    start, end = ctx.period_start, ctx.period_end
    if start is None and end is None:
        start, end = ctx.term_start, ctx.term_end
    if start is None:
        start = end
    if end is None:
        end = start
    if start is None or end is None:
        return None
    return (start, end) if start <= end else (end, start)


def _ctx_term(ctx: TimeContext) -> tuple[date, date] | None:
    if ctx.term_start is not None and ctx.term_end is not None and ctx.term_start <= ctx.term_end:
        return ctx.term_start, ctx.term_end
    if ctx.period_start is not None and ctx.period_end is not None and ctx.period_start <= ctx.period_end:
        return ctx.period_start, ctx.period_end
    return None


def _pick_year(
    build: Callable[[int], Span | None], ctx: TimeContext, own_year: bool = False
) -> tuple[int, float] | None:
    """The year for an expression written without one, with a confidence.

    ``build(year)`` gives the expression's span in that year (None when invalid).  An
    expression invalid in every year the period touches (2月29日 in 2021) gets none.
    With ``own_year`` (year-level words such as 年底, 上半年) an expression outside the
    period takes the period's first year instead of the nearest one.
    """
    period = _ctx_period(ctx)
    if ctx.anchor is not None and not own_year:
        # In a calendar row a date without its year is the one nearest the row (a note in the
        # first week about the days just before it), not the first that falls in the period.
        a = ctx.anchor
        near: tuple[int, int] | None = None
        for year in (a.year - 1, a.year, a.year + 1):
            span = build(year)
            if span is None:
                continue
            distance = max((span[0] - a).days, (a - span[1]).days, 0)
            if near is None or distance < near[1]:
                near = (year, distance)
        if near is not None:
            span = build(near[0])
            inside = period is None or (span is not None and span[0] <= period[1] and span[1] >= period[0])
            return near[0], 1.0 if inside else _INFERRED
    if period is not None:
        ps, pe = period
        valid = False
        for year in range(ps.year, pe.year + 1):
            span = build(year)
            if span is None:
                continue
            valid = True
            if span[0] <= pe and span[1] >= ps:
                return year, 1.0
        if not valid:
            return None
        if own_year:
            return ps.year, _INFERRED
        best: tuple[int, int] | None = None
        for year in range(ps.year - 1, pe.year + 2):
            span = build(year)
            if span is None:
                continue
            distance = max((ps - span[1]).days, (span[0] - pe).days, 0)
            if best is None or distance < best[1]:
                best = (year, distance)
        if best is not None:
            return best[0], _INFERRED
    if ctx.default_year is not None and build(ctx.default_year) is not None:
        return ctx.default_year, _INFERRED
    return None


def resolve_year(month: int, day: int, ctx: TimeContext) -> int | None:
    """Year for a month-day written without one (see the module notes), or None."""
    try:
        found = _pick_year(lambda y: _single(_day(y, month, day)), ctx)
    except (ValueError, OverflowError, TypeError):
        return None
    return found[0] if found else None


def _single(d: date | None) -> Span | None:
    return (d, d) if d is not None else None


def _alt(words: object) -> str:
    """Regex alternation of words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


def _first(*groups: object) -> str:
    """A lookahead on the possible first characters: lets the engine skip most positions fast."""
    chars: set[str] = set()
    for g in groups:
        if isinstance(g, str):
            chars.update(g)
        else:
            chars.update(str(w)[0] for w in g)  # type: ignore[attr-defined]
    return "(?=[" + "".join(sorted(re.escape(c) for c in chars)) + "])"


# --------------------------------------------------------------------------- patterns

_NUMCH = "\\d" + tw.CN_NUMBER_CHARS + "○"
_LB = f"(?<![{_NUMCH}.])"  # not inside a longer number
_DASH = "[" + re.escape(tw.RANGE_DASHES) + "]"
_DASHES = rf"\s*(?:{_DASH}\s*){{1,4}}"
_YEAR = r"(?:\d{4}|[〇零○一二三四五六七八九]{4}|20[xX×]{2}|[xX×]{2,4})"
_MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAYNUM = (
    r"(?:(?:3[01]|[12]\d|0?[1-9])(?!\d)|三十一|三十|二十[一二三四五六七八九]?"
    r"|廿[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
)
_MPART = _alt(tw.MONTH_PARTS)
_DIGITS = "0123456789"
_YEAR_FIRST = _first(_DIGITS, "〇零○一二三四五六七八九xX×")

# One point: [year 年] [次年] month 月 [day [日] | part]
_POINT_BODY = (
    rf"(?:(?:(?P<y>{_YEAR})|(?P<roc>1\d\d))\s*年\s*(?:度\s*)?)?(?P<nx>次年\s*)?(?P<m>{_MON})\s*月(?P<fen>份)?"
    rf"(?:[ \t]*(?P<d>{_DAYNUM})(?P<dm>[ \t]*[日号])?|(?P<p>{_MPART}))?"
)
# A point may follow a list number (2.11月9日 is item 2 on 11月9日) but not a decimal.
_AFTER_LIST_NUMBER = r"(?:(?<=^\d\.)|(?<=^\d\d\.)|(?<=[\s|]\d\.)|(?<=[\s|]\d\d\.))"
_POINT_FIND = re.compile(
    _first(_DIGITS, "〇零○一二三四五六七八九十xX×次") + rf"(?:{_LB}|{_AFTER_LIST_NUMBER})" + _POINT_BODY
)
_POINT_AT = re.compile(_POINT_BODY)
_DASH_AT = re.compile(_DASHES)
_BARE_DAY_AT = re.compile(rf"(?P<d>{_DAYNUM})(?P<dm>\s*[日号])?")
_LIST_DAY_AT = re.compile(
    rf"\s*[{re.escape(tw.DAY_LIST_SEPARATORS)}]\s*(?P<d>{_DAYNUM})(?P<dm>\s*[日号])?(?!\s*[月.\d])"
)
_START_END_AT = re.compile(r"\s*(?:开始|起)\s*[,，、;；]?\s*(?:至|到)?\s*")
_END_WORD_AT = re.compile(r"\s*(?:截止|结束|止)")


def _en_alt(words: object) -> str:
    """English labels as written in calendars: capitalised (Fri) or upper case (FRI)."""
    return _alt({form for w in words for form in (w.title(), w.upper())})  # type: ignore[attr-defined]


_EN_WEEKDAY = r"(?:" + _en_alt(tw.ENGLISH_WEEKDAYS) + r")(?![A-Za-z])\.?"
_WEEKDAY_AT = re.compile(
    r"\s*(?:[(（]\s*(?P<b>[" + tw.BARE_WEEKDAY_CHARS + r"]|" + _EN_WEEKDAY + r")\s*[)）]"
    r"|[(（]?\s*(?P<w>(?:" + _alt(tw.WEEKDAY_PREFIXES) + r")\s*[一二三四五六日天七1-7])\s*[)）]?"
    r"|(?<=[\d日号 ])[ \t]?(?P<e>" + _EN_WEEKDAY + r"))"
)
_DEADLINE_SUFFIX_AT = re.compile(
    r"\s*(?:"
    + "|".join(
        re.escape(w) + (f"(?![{tw.DEADLINE_SUFFIX_BLOCKERS}])" if w == "前" else "")
        for w in sorted(tw.DEADLINE_SUFFIXES, key=len, reverse=True)
    )
    + ")"
)
_DEADLINE_PREFIX_BEFORE = re.compile(r"(?:" + _alt(tw.DEADLINE_PREFIXES) + r")\s*(?:在|于)?\s*$")
_INVALID_DAY_AT = re.compile(r"\s*\d+\s*[日号]")

# 7-8月, 7至8月, 11-1月, 八、九月份, 2021年7-8月
_MONTH_RANGE = re.compile(
    _first(_DIGITS, "〇零○一二三四五六七八九十xX×")
    + rf"{_LB}(?:(?P<y>{_YEAR})\s*年\s*(?:度\s*)?)?(?P<m0>{_MON})\s*"
    rf"(?:(?P<dash>{_DASH}{{1,3}})|(?P<sep>[{re.escape(tw.MONTH_LIST_SEPARATORS)}]))\s*"
    rf"(?P<nx>次年)?\s*(?P<m1>{_MON})\s*月(?:份)?(?P<p>上旬|中旬|下旬|初|底|末)?"
)

# 2021-03-07, 2021.3.7, 2021/3/7 [— 2021-03-09 | 3-9 | 9]
_YMD = re.compile(
    r"(?=\d)(?<![\d.])(?P<y>\d{4}|1\d\d)(?P<s>[-./])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d])(?:\s*[日号])?"
)
_YMD_TAIL_AT = re.compile(
    _DASHES + r"(?:(?P<y>\d{4}|1\d\d)[-./])?(?:(?P<m>\d{1,2})[-./])?(?P<d>\d{1,2})(?![\d.])(?:\s*[日号])?"
)

# 3.7—3.13, 2.21 | 2.27, 3.7-13, glued 464.4—4.10
_DOTTED_RANGE = re.compile(
    r"(?=\d)(?<![\d.])(?P<pre>\d{1,6})\.(?P<d1>\d{1,2})(?![\d])"
    + _DASHES
    + r"(?:(?P<m2>\d{1,2})\.)?(?P<d2>\d{1,2})"
    r"(?![\d.])(?:\s*[日号])?"
)

# Slashed month/day: 2/14, 2/14(五), 3/7~3/13, 4/4~6, day-first 22/1 and 8-14/3
_NUM_EDGE_BEFORE = r"(?<![0-9A-Za-z./:_\-])"
_NUM_EDGE_AFTER = r"(?![0-9A-Za-z/]|\.\d)"
_SLASH_MD = re.compile(r"(?=\d)" + _NUM_EDGE_BEFORE + r"(?P<a>\d{1,2})/(?P<b>\d{1,2})" + _NUM_EDGE_AFTER)
_SLASH_TAIL_AT = re.compile(
    _DASHES + r"(?:(?P<a>\d{1,2})/)?(?P<b>\d{1,2})" + _NUM_EDGE_AFTER + r"(?:\s*[日号])?"
)
_DAYS_SLASH_MONTH = re.compile(
    r"(?=\d)"
    + _NUM_EDGE_BEFORE
    + r"(?P<d1>\d{1,2})"
    + _DASHES
    + r"(?P<d2>\d{1,2})/(?P<m>\d{1,2})"
    + _NUM_EDGE_AFTER
)
_FRACTION_AFTER_AT = re.compile(r"\s*(?:" + _alt(tw.FRACTION_AFTER) + ")")

# Two-digit MM-DD in a range (09-01 ~ 09-05) or with a weekday (09-01(一))
_MM_DD = re.compile(r"(?=\d)" + _NUM_EDGE_BEFORE + r"(?P<m>\d{2})-(?P<d>\d{2})(?![0-9A-Za-z/\-]|\.\d)")
_MM_DD_TAIL_AT = re.compile(_DASHES + r"(?P<m>\d{2})-(?P<d>\d{2})(?![0-9A-Za-z/\-]|\.\d)")

# Compact 民国 date standing alone: 1070528 (yyy mm dd)
_ROC_COMPACT = re.compile(
    r"(?=1)(?<![0-9A-Za-z./_\-第])(?P<y>1\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])"
    r"(?![0-9A-Za-z./_%\-号])"  # 第1070528号 is a document number
)

# A single dotted M.D in a date-like position: between two bars (| 3.7 |) or before 日
_DOTTED_DAY = re.compile(r"(?=\d)(?<![\d.])(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d.])(?P<ri>[ \t]*[日号])?")
_BAR_BEFORE = re.compile(r"\|\s{0,12}$")
_BAR_AFTER = re.compile(r"\s{0,12}\|")

# School years: 2020—2021学年度第二学期, 2021学年, 114学年度第一学期, 民国114年
_TERM_WORDS = "|".join(
    r"\s*".join(re.escape(ch) for ch in w) for w in sorted(tw.SCHOOL_TERMS, key=len, reverse=True)
)  # 第 2 学期 as calendars space it
_CN_YEAR4 = "[〇零○一二三四五六七八九]{4}"
_SCHOOL_YEAR = re.compile(
    _first(_DIGITS, "〇零○一二三四五六七八九")
    + rf"(?<![{_NUMCH}])(?:(?P<y1>\d{{4}}|{_CN_YEAR4})\s*(?:年\s*)?(?:{_DASH}{{1,3}}|/)\s*"
    rf"(?P<y2>\d{{4}}|\d{{2}}|{_CN_YEAR4})\s*(?:年\s*)?"
    rf"|(?P<ys>\d{{4}}|{_CN_YEAR4})\s*(?:年\s*)?|(?P<roc>\d{{2,3}})\s*)学年(?:度)?(?:\s*(?P<t>{_TERM_WORDS}))?"
)
_ROC_YEAR = re.compile(rf"民国\s*(?P<y>\d{{1,3}}|[{tw.CN_NUMBER_CHARS}百]{{1,5}})\s*年")

# Year words
_QUARTER = (
    r"(?:(?P<qf>前)\s*)?第?\s*(?P<q>[一二两三四1-4])"
    rf"(?:\s*(?:[{re.escape(tw.MONTH_LIST_SEPARATORS)}]|{_DASH})\s*第?\s*(?P<q2>[一二三四1-4]))?\s*(?:个\s*)?季度"
)
_YEAR_WORDS = re.compile(
    _first(_DIGITS, "〇零○一二三四五六七八九xX×上下第前")
    + rf"(?<![每])(?:(?P<y>{_YEAR})\s*(?:年\s*)?(?:度\s*)?(?:的\s*)?)?"
    rf"(?:(?P<h>上半年|下半年)|{_QUARTER})(?P<pp>{_alt(tw.PERIOD_PARTS)})?"
)
_YEAR_WITH_PART = re.compile(_YEAR_FIRST + rf"{_LB}(?P<y>{_YEAR})\s*年\s*(?:度\s*)?(?P<yp>初|底|末|中|全年)")
_BARE_YEAR_PART = re.compile(r"(?<![学一二三四五六七八九十每半多近两几数全去明\d])年(?P<yp>初|底|末|中)")
_YEAR_RANGE = re.compile(
    r"(?=\d)" + rf"{_LB}(?P<y1>\d{{4}})\s*年?\s*{_DASH}\s*(?P<y2>\d{{4}})\s*年(?!\s*度?\s*学年)"
)
_YEAR_ONLY = re.compile(_YEAR_FIRST + rf"{_LB}(?P<y>{_YEAR})\s*年(?P<du>度)?")
_WHOLE_YEAR = re.compile(r"(?=[本年今])" + rf"(?<![{_NUMCH}几多数每近])(?:本年度|年内|今年|本年)")

# Holidays, festivals and terms
_HOLIDAY_WORDS = _alt({**tw.HOLIDAYS, **tw.TERMS, **tw.TERM_OPENINGS, **tw.FESTIVALS})
_HOLIDAY = re.compile(
    _first(
        _DIGITS, "〇零○一二三四五六七八九xX×", {**tw.HOLIDAYS, **tw.TERMS, **tw.TERM_OPENINGS, **tw.FESTIVALS}
    )
    + rf"(?:(?P<y>{_YEAR})\s*年\s*(?:度\s*)?)?(?P<w>{_HOLIDAY_WORDS})"
)
# Every word _HOLIDAY or _LUNAR_FESTIVAL looks for: a text holding none is skipped at once.
_ANY_HOLIDAY_WORD = re.compile(
    _alt({**tw.HOLIDAYS, **tw.TERMS, **tw.TERM_OPENINGS, **tw.FESTIVALS, **tw.LUNAR_FESTIVALS})
)
_LUNAR_FESTIVAL = re.compile(
    _first(_DIGITS, "〇零○一二三四五六七八九xX×", tw.LUNAR_FESTIVALS)
    + rf"(?:(?P<y>{_YEAR})\s*年\s*)?(?P<w>{_alt(tw.LUNAR_FESTIVALS)})"
)

# Term-relative and recurring words; month parts without a month
_RELATIVE = re.compile(_alt(tw.TERM_RELATIVE))
_RECURRING = re.compile(_alt(tw.RECURRING_WORDS))
_BARE_MONTH_PART = re.compile(
    r"(?=[月上中下])" + rf"(?<![{_NUMCH}])(?:月(?P<a>初|中|底|末)|(?P<b>上旬|中旬|下旬))"
)

# Weekdays relative to a known week: 本周二, 下周一, 周一至周五, Mon-Fri; 第N周 from week 1
_WEEKDAY_WORD = (
    r"(?:(?:" + _alt(tw.WEEKDAY_PREFIXES) + r")\s*(?P<{0}>[" + tw.BARE_WEEKDAY_CHARS + r"])"
    r"|(?<![A-Za-z])(?P<{1}>" + _EN_WEEKDAY + r"))"
)
_WEEK_RELATIVE = re.compile(
    r"(?<![每第])(?:(?P<o>"
    + _alt(tw.WEEK_OFFSETS)
    + r")\s*)?"
    + _WEEKDAY_WORD.format("w", "e")
    + r"(?:\s*(?:"
    + _DASH
    + r"){1,2}\s*(?:(?:"
    + _alt(tw.WEEKDAY_PREFIXES)
    + r")\s*)?(?:(?P<w2>["
    + tw.BARE_WEEKDAY_CHARS
    + r"])|(?<![A-Za-z])(?P<e2>"
    + _EN_WEEKDAY
    + r")))?"
)
_WEEK_NUMBER = "(?:\\d{1,2}|[一二三四五六七八九十廿]{1,3})"
_NTH_WEEK = re.compile(
    r"第\s*(?P<n>"
    + _WEEK_NUMBER
    + r")\s*(?:(?:周\s*)?"
    + _DASH
    + r"{1,3}\s*第?\s*(?P<n2>"
    + _WEEK_NUMBER
    + r")\s*)?周(?![年末边岁]|期(?![末中]))"  # 第3周期 is a cycle; 第20周期末考试 week 20's exam
)

# English labels: 2022 Oct, Oct 2022, 21 Oct, 21 Fri, 21-03 Wed-Tue (days of a calendar row)
_EN_MONTH = r"(?:" + _en_alt(tw.ENGLISH_MONTHS) + r")(?![A-Za-z])\.?"
# Every English label, written Fri or FRI, begins with one of these capitals.
_EN_LABEL_FIRST = "".join(sorted({w[0].upper() for w in (*tw.ENGLISH_MONTHS, *tw.ENGLISH_WEEKDAYS)}))
_EN_YEAR_MONTH = re.compile(
    _first(_DIGITS, _EN_LABEL_FIRST)
    + r"(?<![\dA-Za-z])(?:(?P<y>\d{4})[ \t]*(?P<mo>"
    + _EN_MONTH
    + r")(?![ \t]*\d)"
    r"|(?P<mo2>" + _EN_MONTH + r")[ \t]*,?[ \t]*(?P<y2>\d{4})(?!\d))"
)
_EN_DAY_MONTH = re.compile(
    _first(_DIGITS, _EN_LABEL_FIRST) + r"(?<![\dA-Za-z./\-])(?:(?P<d>\d{1,2})[ \t]*(?P<mo>" + _EN_MONTH + r")"
    r"|(?<![A-Za-z])(?P<mo2>" + _EN_MONTH + r")[ \t]*(?P<d2>\d{1,2})(?![\d:]))"
    r"(?:[ \t]*,?[ \t]*(?P<y>\d{4})(?!\d))?"
)
_EN_LABEL = re.compile(f"[{_EN_LABEL_FIRST}]")
_EN_DAY_WEEKDAY = re.compile(
    r"(?=\d)(?<![\dA-Za-z./\-])(?P<d1>\d{1,2})(?:[ \t]*[-~–—][ \t]*(?P<d2>\d{1,2}))?[ \t]+(?P<e1>"
    + _EN_WEEKDAY
    + r")(?:[ \t]*[-~–—][ \t]*(?P<e2>"
    + _EN_WEEKDAY
    + r"))?"
)

# Lunar dates: 农历正月十六, 农历正月16日-17日, 农正月18日
_LUNAR_DAY = (
    r"(?:初[一二三四五六七八九十]|廿[一二三四五六七八九]?|二十[一二三四五六七八九]?|三十"
    r"|十[一二三四五六七八九]?|[一二三四五六七八九十](?![一二三四五六七八九十])|(?:30|[12]\d|0?[1-9])(?!\d))"
)
_LUNAR = re.compile(
    _first(_DIGITS, "〇零○一二三四五六七八九xX×", tw.LUNAR_MARKERS)
    + rf"(?:(?P<y>{_YEAR})\s*年\s*)?(?:{_alt(tw.LUNAR_MARKERS)})\s*(?P<leap>闰)?\s*"
    rf"(?P<m>十[一二]?|[正腊冬一二三四五六七八九]|1[0-2]|0?[1-9])\s*月\s*(?P<d>{_LUNAR_DAY})\s*[日号]?"
    rf"(?:{_DASHES}(?P<d2>{_LUNAR_DAY})\s*[日号]?)?"
)

# --------------------------------------------------------------------------- points


@dataclass
class _Point:
    year: int | None
    next_year: bool
    month: int
    day: int | None
    part: str | None
    begin: int
    stop: int
    cn_month: bool = False
    weekday: tuple[str, int] | None = None  # (as written, weekday number)
    mark: bool = False  # the day was written with 日/号
    bare_day: int | None = None  # 6月16-18日: a day without 日, valid only before a range
    bare_stop: int = 0

    def span(self, year: int) -> Span | None:
        if self.day is not None:
            return _single(_day(year, self.month, self.day))
        if self.part is not None:
            first, last = tw.MONTH_PARTS[self.part]
            start = _day(year, self.month, first)
            end = _day(year, self.month, last)
            return (start, end) if start and end else None
        start = _day(year, self.month, 1)
        return (start, _day(year, self.month, None)) if start else None  # type: ignore[return-value]


def _year_value(raw: str | None, ctx: TimeContext) -> int | None:
    """A written year; ``xx``/``20xx`` placeholders take ``ctx.default_year``."""
    if raw is None:
        return None
    if any(ch in "xX×" for ch in raw):
        return ctx.default_year
    value = _cn_number(raw)
    if value is None or not _MIN_YEAR <= value <= _MAX_YEAR:
        return None
    return value


def _roc_year(raw: str) -> int | None:
    """Common-Era year of a three-digit 民国 year written in a date (114 -> 2025)."""
    value = int(raw)
    low, high = tw.ROC_DATE_YEARS
    return value + tw.ROC_OFFSET if low <= value <= high else None


def _ymd_year(raw: str) -> int | None:
    return int(raw) if len(raw) == 4 else _roc_year(raw)


def _point_from(m: re.Match[str], text: str, ctx: TimeContext) -> _Point | None:
    """A point from a `_POINT_BODY` match, cut to what is really a date."""
    month = _cn_number(m.group("m"))
    if month is None or not 1 <= month <= 12:
        return None
    year_raw = m.group("y")
    year = _year_value(year_raw, ctx) if m.group("roc") is None else _roc_year(m.group("roc"))
    if (year_raw is not None or m.group("roc") is not None) and year is None:
        return None
    cn_month = not m.group("m").isascii()
    month_stop = m.end("m") + text[m.end("m") : m.end()].find("月") + 1
    stop = m.end("fen") if m.group("fen") else month_stop
    day: int | None = None
    part: str | None = None
    bare_day: int | None = None
    has_mark = m.group("dm") is not None
    if m.group("d") is not None:
        raw = m.group("d")
        value = _cn_number(raw)
        if has_mark:
            if value is None or not 1 <= value <= 31:
                return None  # 3月32日 is no date at all
            day, stop = value, m.end()
        elif raw.isascii() and m.start("d") == stop and value is not None and 1 <= value <= 31:
            bare_day = value
    elif m.group("p") is not None:
        p = m.group("p")
        nxt = text[m.end() : m.end() + 1]
        if not (p in tw.MONTH_PART_BLOCKERS and nxt and nxt in tw.MONTH_PART_BLOCKERS[p]):
            part = p
            stop = m.end()
    if day is None and part is None:
        after = text[stop : stop + 1]
        if cn_month and after and after in "考刊报票饼光亮薪嫂子度":
            return None
        if _INVALID_DAY_AT.match(text, stop):
            return None  # 3月32日: an invalid day, not the month
    return _Point(
        year,
        m.group("nx") is not None,
        month,
        day,
        part,
        m.start(),
        stop,
        cn_month,
        mark=has_mark,
        bare_day=bare_day,
        bare_stop=m.end("d") if bare_day is not None else 0,
    )


@lru_cache(maxsize=4096)
def _point_year(month: int, day: int | None, part: str | None, ctx: TimeContext) -> tuple[int, float] | None:
    """`_pick_year` for a single point, cached: calendars repeat the same dates."""
    return _pick_year(_Point(None, False, month, day, part, 0, 0).span, ctx)


def _weekday_after(point: _Point, text: str) -> None:
    if point.day is None:
        return
    w = _WEEKDAY_AT.match(text, point.stop)
    if w is None:
        return
    point.weekday = _weekday_of(w)
    point.stop = w.end()


def _weekday_of(w: re.Match[str]) -> tuple[str, int]:
    """(weekday as named in notes, weekday number) from a `_WEEKDAY_AT` match."""
    if w.group("w") is not None:
        written = w.group("w")
        return written, tw.WEEKDAY_NUMBERS[written[-1]]
    raw = w.group("b") or w.group("e")
    if raw in tw.WEEKDAY_NUMBERS:
        return "周" + raw, tw.WEEKDAY_NUMBERS[raw]
    number = tw.ENGLISH_WEEKDAYS[raw.rstrip(".").lower()]
    return tw.WEEKDAY_NAMES[number], number


def _weekday_notes(points: list[tuple[_Point, date]]) -> list[str]:
    notes = []
    for point, day in points:
        if point.weekday is not None and day.weekday() != point.weekday[1]:
            notes.append(
                f"{day.month}月{day.day}日写作{point.weekday[0].replace(' ', '')}，"
                f"但当天是{tw.WEEKDAY_NAMES[day.weekday()]}"
            )
    return notes


def _deadline_start(end: date, ctx: TimeContext) -> date:
    if ctx.period_start is not None and ctx.period_start <= end:
        return ctx.period_start
    return date(end.year, 1, 1)


def _deadline_end(point: _Point, year: int) -> date | None:
    """Last day of a deadline written as ``<point>前``: 6月前 is the end of May."""
    if point.day is None and point.part is None:
        first = _day(year, point.month, 1)
        return first - timedelta(days=1) if first else None
    span = point.span(year)
    return span[1] if span else None


def _prefix_deadline(text: str, begin: int) -> int | None:
    window = text[max(0, begin - 8) : begin]
    m = _DEADLINE_PREFIX_BEFORE.search(window)
    return begin - (len(window) - m.start()) if m else None


def _suffix_deadline(text: str, stop: int) -> int | None:
    m = _DEADLINE_SUFFIX_AT.match(text, stop)
    return m.end() if m else None


# --------------------------------------------------------------------------- scanners

_Candidate = Mention


def _range_tail(text: str, pos: int, p1: _Point, ctx: TimeContext) -> _Point | None:
    """The far end of a range starting at ``p1`` whose dash is at ``pos``, if any."""
    dash = _DASH_AT.match(text, pos)
    if dash is None:
        return None
    m2 = _POINT_AT.match(text, dash.end())
    if m2 is not None:
        p2 = _point_from(m2, text, ctx)
        if p2 is not None and p2.bare_day is not None and p1.mark:
            p2.day, p2.stop = p2.bare_day, p2.bare_stop  # 3月1日-4月12
        return p2
    if p1.day is None:
        return None
    bd = _BARE_DAY_AT.match(text, dash.end())
    if bd is None:
        return None
    mark = bd.group("dm") is not None
    if not (mark or (p1.mark and bd.group("d").isascii())):
        return None
    value = _cn_number(bd.group("d"))
    if value is None or not 1 <= value <= 31:
        return None
    return _Point(None, False, p1.month, value, None, bd.start(), bd.end(), mark=mark)


def _day_list(p1: _Point, text: str, ctx: TimeContext) -> Mention | None:
    """``2月19日、20日`` / ``9月2、3日``: days of one month joined by 、 or a comma, as one
    mention of kind "range" from the first to the last listed day, the days in ``days``.
    After a day written with 日 every listed day needs 日 too; after a bare number the
    list must end in a day written with 日."""
    if p1.bare_day is not None:
        days, pos, marked = [p1.bare_day], p1.bare_stop, False
    elif p1.day is not None and p1.mark:
        days, pos, marked = [p1.day], p1.stop, True
        w = _WEEKDAY_AT.match(text, pos)
        pos = w.end() if w is not None else pos
    else:
        return None
    closed = marked
    for _ in range(31):
        e = _LIST_DAY_AT.match(text, pos)
        if e is None:
            break
        value = _cn_number(e.group("d"))
        has_mark = e.group("dm") is not None
        if value is None or not days[-1] < value <= 31 or (marked and not has_mark):
            break
        days.append(value)
        pos = e.end()
        if has_mark:
            w = _WEEKDAY_AT.match(text, pos)
            pos = w.end() if w is not None else pos
            if not marked:
                closed = True
                break
    if len(days) < 2 or not closed:
        return None
    first = _Point(p1.year, p1.next_year, p1.month, days[0], None, p1.begin, p1.begin + 1, mark=True)
    last = _Point(None, False, p1.month, days[-1], None, pos - 1, pos, mark=True)
    mention = _range_mention(first, last, text, ctx)
    if mention is None:
        return None
    year = mention.start.year
    listed = tuple(d for d in (_day(year, p1.month, v) for v in days) if d is not None)
    if len(listed) != len(days):
        return None
    return replace(mention, days=listed)


def _scan_points(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _POINT_FIND.finditer(text):
        p1 = _point_from(m, text, ctx)
        if p1 is None:
            continue
        listed = _day_list(p1, text, ctx)
        if listed is not None:
            yield listed
            continue
        p2: _Point | None = None
        range_word = False
        if p1.bare_day is not None:
            p1.day = p1.bare_day
            p2 = _range_tail(text, p1.bare_stop, p1, ctx)
            if p2 is not None and p2.day is not None and p2.mark:
                p1.stop = p1.bare_stop
            else:
                p1.day, p2 = None, None  # 4月12个: the number is not a day
        if p2 is None:
            _weekday_after(p1, text)
            p2 = _range_tail(text, p1.stop, p1, ctx)
        if p2 is None and p1.day is not None:
            se = _START_END_AT.match(text, p1.stop)
            if se is not None and se.end() > p1.stop:
                m2 = _POINT_AT.match(text, se.end())
                cand = _point_from(m2, text, ctx) if m2 is not None else None
                if cand is None:  # 7月2日起至20日止: the far end in the same month
                    bd = _BARE_DAY_AT.match(text, se.end())
                    value = _cn_number(bd.group("d")) if bd is not None and bd.group("dm") else None
                    if bd is not None and value is not None and 1 <= value <= 31:
                        cand = _Point(None, False, p1.month, value, None, bd.start(), bd.end(), mark=True)
                ew = _END_WORD_AT.match(text, cand.stop) if cand is not None else None
                if cand is not None and ew is not None:
                    p2 = cand
                    p2.stop = ew.end()
                    range_word = True
        if p2 is not None:
            if not range_word:
                _weekday_after(p2, text)
            mention = _range_mention(p1, p2, text, ctx)
            if mention is not None:
                yield mention
                continue
        mention = _point_mention(p1, text, ctx)
        if mention is not None:
            yield mention


def _range_mention(p1: _Point, p2: _Point, text: str, ctx: TimeContext) -> Mention | None:
    def build(year: int) -> Span | None:
        s1 = p1.span(year)
        if s1 is None:
            return None
        y2 = p2.year if p2.year is not None else (year + 1 if p2.next_year else year)
        s2 = p2.span(y2)
        if s2 is not None and p2.year is None and not p2.next_year and s2[1] < s1[0]:
            s2 = p2.span(year + 1)
        if s2 is None or s2[1] < s1[0]:
            return None
        return s1[0], s2[1]

    if p1.year is not None:
        year, conf = p1.year, 1.0
    else:
        found = _pick_year(build, ctx)
        if found is None:
            return None
        year, conf = found
    span = build(year)
    if span is None:
        return None
    only_months = p1.day is None and p1.part is None and p2.day is None and p2.part is None
    kind = "month" if only_months else "range"
    notes = _weekday_notes(
        [(p, d) for p, d in ((p1, span[0]), (p2, span[1])) if p.day is not None and p.weekday is not None]
    )
    if notes:
        conf = min(conf, 0.5)
    weekday = p1.weekday[1] if p1.weekday is not None else None
    return Mention(span[0], span[1], p1.begin, p2.stop, kind, conf, "；".join(notes) or None, weekday)


def _point_mention(p1: _Point, text: str, ctx: TimeContext) -> Mention | None:
    if p1.year is not None:
        year, conf = p1.year, 1.0
    else:
        found = _point_year(p1.month, p1.day, p1.part, ctx)
        if found is None:
            return None
        year, conf = found
    span = p1.span(year)
    if span is None:
        return None
    begin, stop = p1.begin, p1.stop
    kind = "day" if p1.day is not None else ("month_part" if p1.part is not None else "month")
    suffix = _suffix_deadline(text, stop)
    prefix = _prefix_deadline(text, begin)
    if suffix is not None or prefix is not None:
        end = _deadline_end(p1, year) if suffix is not None else span[1]
        if end is None:
            return None
        if p1.year is None and suffix is not None and p1.day is None and p1.part is None:
            # 6月前 ends in May: re-pick the year for the deadline day itself
            found = _pick_year(lambda y: _single(_deadline_end(p1, y)), ctx)
            if found is not None:
                end = _deadline_end(p1, found[0]) or end
        return Mention(
            _deadline_start(end, ctx),
            end,
            prefix if prefix is not None else begin,
            suffix if suffix is not None else stop,
            "deadline",
            conf,
        )
    note = None
    if p1.weekday is not None:
        notes = _weekday_notes([(p1, span[0])])
        if notes:
            note = notes[0]
            conf = min(conf, 0.5)
    weekday = p1.weekday[1] if p1.weekday is not None else None
    return Mention(span[0], span[1], begin, stop, kind, conf, note, weekday)


def _scan_month_ranges(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _MONTH_RANGE.finditer(text):
        m0, m1 = _cn_number(m.group("m0")), _cn_number(m.group("m1"))
        if m0 is None or m1 is None or not (1 <= m0 <= 12 and 1 <= m1 <= 12):
            continue
        if m.group("sep") is not None and (m.group("m0").isascii() or m1 <= m0):
            continue  # 3、4月 is more often a list number than a month list
        year_raw = m.group("y")
        written = _year_value(year_raw, ctx)
        if year_raw is not None and written is None:
            continue
        part = m.group("p")
        cross = m.group("nx") is not None or m1 < m0

        def build(
            year: int, m0: int = m0, m1: int = m1, cross: bool = cross, part: str | None = part
        ) -> Span | None:
            start = _day(year, m0, 1)
            end_year = year + 1 if cross else year
            if part is not None:
                end = _day(end_year, m1, tw.MONTH_PARTS[part][1])
            else:
                end = _day(end_year, m1, None)
            return (start, end) if start and end and start <= end else None

        if written is not None:
            year, conf = written, 1.0
        else:
            found = _pick_year(build, ctx)
            if found is None:
                continue
            year, conf = found
        span = build(year)
        if span is None:
            continue
        stop = m.end()
        suffix = _suffix_deadline(text, stop)
        if suffix is not None:
            yield Mention(_deadline_start(span[1], ctx), span[1], m.start(), suffix, "deadline", conf)
            continue
        yield Mention(span[0], span[1], m.start(), stop, "month", conf)


def _scan_ymd(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _YMD.finditer(text):
        year = _ymd_year(m.group("y"))
        start = _day(year, int(m.group("m")), int(m.group("d"))) if year is not None else None
        if start is None:
            continue
        stop = m.end()
        end = start
        checks: list[tuple[date, tuple[str, int]]] = []  # (day, written weekday)
        w = _WEEKDAY_AT.match(text, stop)
        if w is not None:  # 2025.03.07(五)
            checks.append((start, _weekday_of(w)))
            stop = w.end()
        tail = _YMD_TAIL_AT.match(text, stop)
        if tail is not None:
            y2 = (_ymd_year(tail.group("y")) or 0) if tail.group("y") else start.year
            m2 = int(tail.group("m")) if tail.group("m") else start.month
            cand = _day(y2, m2, int(tail.group("d")))
            if cand is not None and cand >= start and (cand - start).days <= 400:
                end, stop = cand, tail.end()
                w = _WEEKDAY_AT.match(text, stop)
                if w is not None:
                    checks.append((end, _weekday_of(w)))
                    stop = w.end()
        wrong = [
            f"{d.month}月{d.day}日写作{written.replace(' ', '')}，但当天是{tw.WEEKDAY_NAMES[d.weekday()]}"
            for d, (written, number) in checks
            if d.weekday() != number
        ]
        conf = 0.5 if wrong else 1.0
        note = "；".join(wrong) or None
        weekday = checks[0][1][1] if checks and checks[0][0] == start else None
        kind = "day" if end == start else "range"
        suffix = _suffix_deadline(text, stop) if kind == "day" else None
        if suffix is not None:
            yield Mention(_deadline_start(end, ctx), end, m.start(), suffix, "deadline", conf, note, weekday)
        else:
            yield Mention(start, end, m.start(), stop, kind, conf, note, weekday)


def _scan_dotted(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _DOTTED_RANGE.finditer(text):
        pre = m.group("pre")
        d1 = int(m.group("d1"))
        d2 = int(m.group("d2"))
        m2_raw = m.group("m2")
        options: list[tuple[int, int, Span, float]] = []  # (begin, month, span, conf)
        for width in (2, 1):
            if len(pre) < width or (width == 2 and pre[-2] == "0" and len(pre) > 2):
                continue
            month = int(pre[-width:])
            if not 1 <= month <= 12 or not 1 <= d1 <= 31:
                continue
            month2 = int(m2_raw) if m2_raw is not None else month

            def build(
                year: int, month: int = month, month2: int = month2, d1: int = d1, d2: int = d2
            ) -> Span | None:
                start = _day(year, month, d1)
                if start is None:
                    return None
                end = _day(year, month2, d2)
                if end is not None and end < start:
                    end = _day(year + 1, month2, d2)
                return (start, end) if end is not None and end >= start else None

            found = _pick_year(build, ctx)
            if found is None:
                continue
            span = build(found[0])
            if span is None:
                continue
            options.append((m.end("pre") - width, month, span, found[1]))
        if not options:
            continue
        short = [o for o in options if (o[2][1] - o[2][0]).days <= 31]
        begin, _month, span, conf = (short or options)[0]
        if len(pre) > 2 or (len(pre) == 2 and begin != m.start()):
            conf = min(conf, 0.8)  # read out of a glued calendar cell
        yield Mention(span[0], span[1], begin, m.end(), "range", conf)


def _md_order(a: int, b: int, ctx: TimeContext) -> tuple[int, int] | None:
    """(month, day) of a numeric ``a/b``: month first unless the context says day first or
    only the day-first reading is valid (22/1)."""
    month_first = (a, b) if 1 <= a <= 12 and 1 <= b <= 31 else None
    day_first = (b, a) if 1 <= b <= 12 and 1 <= a <= 31 else None
    if ctx.day_first:
        return day_first
    return month_first or day_first


def _is_fraction(text: str, begin: int, stop: int) -> bool:
    before = text[begin - 1 : begin] if begin else ""
    return bool(before and before in tw.FRACTION_BEFORE) or _FRACTION_AFTER_AT.match(text, stop) is not None


def _emit_numeric(p1: _Point, p2: _Point | None, text: str, ctx: TimeContext) -> Mention | None:
    if p2 is not None:
        mention = _range_mention(p1, p2, text, ctx)
        if mention is not None:
            return mention
    return _point_mention(p1, text, ctx)


def _slash_tail(text: str, pos: int, month: int, day_first: bool) -> tuple[int, int, int, int] | None:
    t = _SLASH_TAIL_AT.match(text, pos)
    if t is None:
        return None
    b = int(t.group("b"))
    if t.group("a") is None:  # 4/4~6: the same month
        return None if day_first else (month, b, t.start("b"), t.end())
    a = int(t.group("a"))
    m2, d2 = (b, a) if day_first else (a, b)
    return (m2, d2, t.start("a"), t.end()) if 1 <= m2 <= 12 and 1 <= d2 <= 31 else None


def _scan_slashed(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _SLASH_MD.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        order = _md_order(a, b, ctx)
        if order is None:
            continue
        day_first = ctx.day_first or order != (a, b)
        p1 = _Point(None, False, order[0], order[1], None, m.start(), m.end(), mark=True)
        _weekday_after(p1, text)
        if p1.weekday is None and _is_fraction(text, m.start(), m.end()):
            continue
        tail = _slash_tail(text, p1.stop, order[0], day_first)
        p2 = None
        if tail is not None:
            p2 = _Point(None, False, tail[0], tail[1], None, tail[2], tail[3], mark=True)
            _weekday_after(p2, text)
        mention = _emit_numeric(p1, p2, text, ctx)
        if mention is not None:
            yield mention
    for m in _DAYS_SLASH_MONTH.finditer(text):
        d1, d2, month = int(m.group("d1")), int(m.group("d2")), int(m.group("m"))
        if not (ctx.day_first or d2 > 12) or not 1 <= month <= 12 or not 1 <= d1 < d2 <= 31:
            continue
        p1 = _Point(None, False, month, d1, None, m.start(), m.end("d1"), mark=True)
        p2 = _Point(None, False, month, d2, None, m.start("d2"), m.end(), mark=True)
        _weekday_after(p2, text)
        mention = _range_mention(p1, p2, text, ctx)
        if mention is not None:
            yield mention


def _scan_mm_dd(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _MM_DD.finditer(text):
        month, day = int(m.group("m")), int(m.group("d"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        p1 = _Point(None, False, month, day, None, m.start(), m.end(), mark=True)
        _weekday_after(p1, text)
        t = _MM_DD_TAIL_AT.match(text, p1.stop)
        p2 = None
        if t is not None and 1 <= int(t.group("m")) <= 12 and 1 <= int(t.group("d")) <= 31:
            m2, d2 = int(t.group("m")), int(t.group("d"))
            p2 = _Point(None, False, m2, d2, None, t.start("m"), t.end(), mark=True)
            _weekday_after(p2, text)
        w = _WEEKDAY_AT.match(text, m.end())
        if p2 is None and (w is None or w.group("e") is not None):
            continue  # a lone 09-01 is as often a code or a score; 09 Wed is a day label
        mention = _emit_numeric(p1, p2, text, ctx)
        if mention is not None:
            yield mention


def _scan_roc_compact(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _ROC_COMPACT.finditer(text):
        year = _roc_year(m.group("y"))
        d = _day(year, int(m.group("m")), int(m.group("d"))) if year is not None else None
        if d is not None:
            yield Mention(d, d, m.start(), m.end(), "day", 0.8)


def _scan_dotted_days(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _DOTTED_DAY.finditer(text):
        month, day = int(m.group("m")), int(m.group("d"))
        if m.group("ri") is None:
            w = _WEEKDAY_AT.match(text, m.end())
            if w is not None and 1 <= month <= 12:
                # 2.14(五): a weekday makes a dotted pair a date; a bare bracketed numeral
                # such as (一) only when it is the right weekday (it may number a list)
                p1 = _Point(None, False, month, day, None, m.start(), m.end(), mark=True)
                _weekday_after(p1, text)
                mention = _point_mention(p1, text, ctx)
                if mention is not None and (w.group("b") is None or mention.note is None):
                    yield mention
                continue
            before = text[max(0, m.start() - 13) : m.start()]
            if not (_BAR_BEFORE.search(before) and _BAR_AFTER.match(text, m.end())):
                continue
        found = _point_year(month, day, None, ctx) if 1 <= month <= 12 else None
        if found is None:
            continue
        d = _day(found[0], month, day)
        if d is not None:
            yield Mention(d, d, m.start(), m.end(), "day", found[1])


def _scan_school_years(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _SCHOOL_YEAR.finditer(text):
        term = tw.SCHOOL_TERMS.get(re.sub(r"\s+", "", m.group("t") or ""))
        if m.group("roc") is not None:
            roc = int(m.group("roc"))
            if not 1 <= roc < 200:
                continue
            first = roc + tw.ROC_OFFSET
            spans = {
                None: (date(first, 8, 1), date(first + 1, 7, 31)),
                1: (date(first, 8, 1), date(first + 1, 1, 31)),
                2: (date(first + 1, 2, 1), date(first + 1, 7, 31)),
            }
        else:
            if m.group("ys") is not None:
                first = _cn_number(m.group("ys")) or 0
            else:
                first = _cn_number(m.group("y1")) or 0
                y2_raw = m.group("y2")
                y2 = _cn_number(y2_raw) or 0
                second = y2 if len(y2_raw) == 4 else first // 100 * 100 + y2
                if second != first + 1:
                    continue
            if not _MIN_YEAR <= first <= _MAX_YEAR:
                continue
            spans = {
                None: (date(first, 9, 1), date(first + 1, 8, 31)),
                1: (date(first, 9, 1), date(first + 1, 1, 31)),
                2: (date(first + 1, 2, 1), date(first + 1, 7, 31)),
            }
        start, end = spans[term]
        yield Mention(start, end, m.start(), m.end(), "school_year" if term is None else "term")
    for m in _ROC_YEAR.finditer(text):
        roc = _cn_number(m.group("y").replace("百", ""))
        if roc is None or not 1 <= roc < 200:
            continue
        year = roc + tw.ROC_OFFSET
        yield Mention(date(year, 1, 1), date(year, 12, 31), m.start(), m.end(), "year")


def _year_or_pick(
    raw: str | None, build: Callable[[int], Span | None], ctx: TimeContext, own_year: bool = False
) -> tuple[int, float] | None:
    if raw is not None:
        year = _year_value(raw, ctx)
        if year is None or build(year) is None:
            return None
        return year, (1.0 if not any(ch in "xX×" for ch in raw) else _INFERRED)
    return _pick_year(build, ctx, own_year)


def _with_deadline(mention: Mention, text: str, ctx: TimeContext, before_start: bool = False) -> Mention:
    """``<mention>前``: a deadline at the mention's end (年底前), or the day before its start
    when ``before_start`` (暑假前 is before the holiday begins)."""
    suffix = _suffix_deadline(text, mention.stop)
    if suffix is None:
        return mention
    end = mention.start - timedelta(days=1) if before_start else mention.end
    return Mention(_deadline_start(end, ctx), end, mention.begin, suffix, "deadline", mention.confidence)


def _scan_year_words(text: str, ctx: TimeContext) -> Iterator[Mention]:
    # every _YEAR_WORDS match ends in 上半年/下半年 or 季度: most texts with 年 hold neither
    halves_or_quarters = _YEAR_WORDS.finditer(text) if "半年" in text or "季度" in text else ()
    for m in halves_or_quarters:
        stop = m.end()
        if m.group("h") is not None:
            first, last = tw.HALF_YEARS[m.group("h")]
            kind, months = "half_year", 6
        else:
            q = tw.QUARTER_NUMBERS[m.group("q")]
            q2 = tw.QUARTER_NUMBERS[m.group("q2")] if m.group("q2") else q
            if q2 < q:
                continue
            if m.group("qf") is not None:  # 前三季度: the first three quarters
                if m.group("q2"):
                    continue
                q, q2 = 1, q
            first, last = (3 * q - 2, 1), (3 * q2, 31 if q2 in (1, 4) else 30)
            kind, months = "quarter", 3 * (q2 - q + 1)
        part = m.group("pp")
        if part is not None:
            nxt = text[stop : stop + 1]
            if part in tw.MONTH_PART_BLOCKERS and nxt and nxt in tw.MONTH_PART_BLOCKERS[part]:
                stop, part = m.start("pp"), None  # 一季度中小学: 中 belongs to the next word
            else:  # 一季度末: the last month of the quarter
                lo, hi = tw.PERIOD_PARTS[part]
                m_first = first[0] + round(lo * (months - 1))
                m_last = first[0] + round(hi * (months - 1))
                first, last = (m_first, 1), (m_last, calendar.monthrange(2001, m_last)[1])
                kind = "month_part"

        def build(year: int, first: tuple[int, int] = first, last: tuple[int, int] = last) -> Span | None:
            return _md_span(year, first, last)

        found = _year_or_pick(m.group("y"), build, ctx, own_year=True)
        if found is None:
            continue
        span = build(found[0])
        if span is not None:
            if last[0] == 2:  # February's end depends on the year
                span = (span[0], month_span(found[0], 2)[1])
            yield _with_deadline(Mention(span[0], span[1], m.start(), stop, kind, found[1]), text, ctx)
    for regex in (_YEAR_WITH_PART, _BARE_YEAR_PART):
        for m in regex.finditer(text):
            yp = m.group("yp")
            nxt = text[m.end() : m.end() + 1]
            if yp in tw.MONTH_PART_BLOCKERS and nxt and nxt in tw.MONTH_PART_BLOCKERS[yp]:
                continue
            if yp == "全年":
                year = _year_value(m.group("y"), ctx)
                if year is not None:
                    yield Mention(date(year, 1, 1), date(year, 12, 31), m.start(), m.end(), "year")
                continue
            first, last = tw.YEAR_PARTS[yp]

            def build(year: int, first: tuple[int, int] = first, last: tuple[int, int] = last) -> Span | None:
                return _md_span(year, first, last)

            raw = m.groupdict().get("y")
            found = _year_or_pick(raw, build, ctx, own_year=True)
            if found is None:
                continue
            span = build(found[0])
            if span is not None:
                mention = Mention(span[0], span[1], m.start(), m.end(), "month_part", found[1])
                yield _with_deadline(mention, text, ctx)
    for m in _YEAR_RANGE.finditer(text):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if _MIN_YEAR <= y1 < y2 <= _MAX_YEAR and y2 - y1 <= 20:
            yield Mention(date(y1, 1, 1), date(y2, 12, 31), m.start(), m.end(), "year")
    for m in _YEAR_ONLY.finditer(text):
        raw = m.group("y")
        year = _year_value(raw, ctx)
        if year is None:
            continue
        conf = _INFERRED if any(ch in "xX×" for ch in raw) else 1.0
        mention = Mention(date(year, 1, 1), date(year, 12, 31), m.start(), m.end(), "year", conf)
        yield _with_deadline(mention, text, ctx)
    for m in _WHOLE_YEAR.finditer(text):
        found = _pick_year(lambda y: (date(y, 1, 1), date(y, 12, 31)), ctx, own_year=True)
        if found is None:
            continue
        year = found[0]
        yield Mention(date(year, 1, 1), date(year, 12, 31), m.start(), m.end(), "year", found[1])


def _scan_holidays(text: str, ctx: TimeContext) -> Iterator[Mention]:
    if _ANY_HOLIDAY_WORD.search(text) is None:
        return  # every match of both patterns holds one of their words
    for m in _HOLIDAY.finditer(text):
        word = m.group("w")
        if word in tw.HOLIDAYS:
            (first, last), kind, conf = tw.HOLIDAYS[word], "holiday", 0.8
        elif word in tw.FESTIVALS:
            (first, last), kind, conf = tw.FESTIVALS[word], "holiday", 1.0
        elif word in tw.TERMS:
            (first, last), kind, conf = tw.TERMS[word], "term", 1.0
        else:
            (first, last), kind, conf = tw.TERM_OPENINGS[word], "term", 0.6

        def build(year: int, first: tuple[int, int] = first, last: tuple[int, int] = last) -> Span | None:
            return _md_span(year, first, last)

        found = _year_or_pick(m.group("y"), build, ctx)
        if found is None:
            continue
        span = build(found[0])
        if span is not None and word in tw.HOLIDAYS:
            span = _holiday_by_term(span, ctx)
        if span is not None:
            mention = Mention(span[0], span[1], m.start(), m.end(), kind, min(conf, found[1]))
            yield _with_deadline(mention, text, ctx, before_start=True) if kind == "holiday" else mention
    for m in _LUNAR_FESTIVAL.finditer(text):
        lm, ld, length = tw.LUNAR_FESTIVALS[m.group("w")]

        def build(year: int, lm: int = lm, ld: int = ld, length: int = length) -> Span | None:
            day = _lunar_to_solar(year, lm, ld, False)
            return (day, day + timedelta(days=length - 1)) if day else None

        found = _year_or_pick(m.group("y"), build, ctx)
        if found is None:
            continue
        span = build(found[0])
        if span is not None:
            yield Mention(span[0], span[1], m.start(), m.end(), "holiday", found[1])


_TERM_GAP = timedelta(days=45)


def _holiday_by_term(span: Span, ctx: TimeContext) -> Span:
    """A school holiday next to the known term: it begins the day after the term ends
    (寒假 after an autumn term) and ends the day before the term begins (寒假 before a
    spring term)."""
    start, end = span
    if ctx.term_end is not None and start - _TERM_GAP <= ctx.term_end < end:
        start = ctx.term_end + timedelta(days=1)
    if ctx.term_start is not None and start < ctx.term_start <= end + _TERM_GAP:
        end = ctx.term_start - timedelta(days=1)
    return (start, end) if start <= end else span


@lru_cache(maxsize=4096)
def _lunar_to_solar(year: int, month: int, day: int, leap: bool) -> date | None:
    """The solar day of a lunar date (cached: a calendar names the same festivals on many rows)."""
    try:
        from lunardate import LunarDate

        lunar = LunarDate(year, month, day, leap)
        convert = getattr(lunar, "to_solar_date", None) or lunar.toSolarDate
        return convert()
    except Exception:  # lunardate raises ValueError/IndexError outside its tables
        return None


def _scan_lunar(text: str, ctx: TimeContext) -> Iterator[Mention]:
    for m in _LUNAR.finditer(text):
        raw_m = m.group("m")
        month = tw.LUNAR_MONTHS.get(raw_m) if not raw_m.isascii() else int(raw_m)
        day = _cn_number(m.group("d").replace("初", ""))
        if month is None or day is None or not 1 <= month <= 12 or not 1 <= day <= 30:
            continue
        day2 = _cn_number(m.group("d2").replace("初", "")) if m.group("d2") else None
        if day2 is not None and not day < day2 <= 30:
            day2 = None
        leap = m.group("leap") is not None

        def build(
            year: int, month: int = month, day: int = day, day2: int | None = day2, leap: bool = leap
        ) -> Span | None:
            start = _lunar_to_solar(year, month, day, leap)
            if start is None:
                return None
            end = start + timedelta(days=day2 - day) if day2 is not None else start
            return start, end

        found = _year_or_pick(m.group("y"), build, ctx)
        if found is None:
            continue
        span = build(found[0])
        if span is None:
            continue
        stop = (
            m.end()
            if day2 is not None
            else m.end("d") + (1 if text[m.end("d") : m.end("d") + 1] in "日号" else 0)
        )
        if day2 is None:
            stop = m.end("d")
            if text[stop : stop + 1] in ("日", "号"):
                stop += 1
        yield Mention(span[0], span[1], m.start(), stop, "lunar", min(found[1], 0.9))


def _relative_span(how: str, ts: date, te: date, ctx: TimeContext) -> tuple[Span, float, str]:
    """Where a term-relative word falls in the term ``ts..te``: (span, confidence, kind)."""
    if how == "opening":
        return (ts, min(te, ts + timedelta(days=13))), 0.7, "relative"
    if how == "first_month":
        return (ts, min(te, _add_months(ts, 1))), 0.7, "relative"
    if how == "before_opening":
        start = _deadline_start(ts, ctx)
        return (min(start, ts), ts), 0.7, "deadline"
    if how == "middle":
        mid = ts + (te - ts) / 2
        return (max(ts, mid - timedelta(days=7)), min(te, mid + timedelta(days=6))), 0.6, "relative"
    return (max(ts, te - timedelta(days=20)), te), 0.7, "relative"


def _scan_relative(text: str, ctx: TimeContext) -> Iterator[Mention]:
    term = _ctx_term(ctx)
    if term is None:
        return
    for m in _RELATIVE.finditer(text):
        span, conf, kind = _relative_span(tw.TERM_RELATIVE[m.group()], term[0], term[1], ctx)
        yield Mention(span[0], span[1], m.start(), m.end(), kind, conf)


def _relative_to_written_terms(text: str, mentions: list[Mention], ctx: TimeContext) -> list[Mention]:
    """``2018年秋季学期期末``: a term-relative word right after a written term uses that term."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "term" and prev.stop == m.begin:
            how = tw.TERM_RELATIVE.get(text[m.begin : m.stop])
            if how is not None:
                span, conf, kind = _relative_span(how, prev.start, prev.end, ctx)
                m = Mention(span[0], span[1], m.begin, m.stop, kind, min(conf, prev.confidence))
        out.append(m)
    return out


def _scan_recurring(text: str, ctx: TimeContext) -> Iterator[Mention]:
    period = _ctx_period(ctx)
    if period is None and ctx.default_year is not None and _MIN_YEAR <= ctx.default_year <= _MAX_YEAR:
        period = (date(ctx.default_year, 1, 1), date(ctx.default_year, 12, 31))
    if period is None:
        return
    for m in _RECURRING.finditer(text):
        yield Mention(period[0], period[1], m.start(), m.end(), "recurring", 0.8)


def _scan_bare_month_parts(text: str, ctx: TimeContext) -> Iterator[Mention]:
    period = _ctx_period(ctx)
    if period is None or (period[0].year, period[0].month) != (period[1].year, period[1].month):
        return
    year, month = period[0].year, period[0].month
    for m in _BARE_MONTH_PART.finditer(text):
        part = m.group("a") or m.group("b")
        nxt = text[m.end() : m.end() + 1]
        if part in tw.MONTH_PART_BLOCKERS and nxt and nxt in tw.MONTH_PART_BLOCKERS[part]:
            continue
        first, last = tw.MONTH_PARTS[part]
        start, end = _day(year, month, first), _day(year, month, last)
        if start and end:
            yield _with_deadline(Mention(start, end, m.start(), m.end(), "month_part", 0.8), text, ctx)


def _weekday_number(chinese: str | None, english: str | None) -> int | None:
    if chinese is not None:
        return tw.WEEKDAY_NUMBERS.get(chinese)
    if english is not None:
        return tw.ENGLISH_WEEKDAYS.get(english.rstrip(".").lower())
    return None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _scan_week_relative(text: str, ctx: TimeContext) -> Iterator[Mention]:
    """``本周二`` / ``周二`` / ``下周一`` / ``周一至周五`` / ``Mon-Fri`` in the week of
    ``ctx.week_start``; ``本周五前`` is a deadline from that week's Monday."""
    if ctx.week_start is None:
        return
    anchor = _monday(ctx.week_start)
    for m in _WEEK_RELATIVE.finditer(text):
        first = _weekday_number(m.group("w"), m.group("e"))
        if first is None:
            continue
        offset = tw.WEEK_OFFSETS.get(m.group("o") or "", 0)
        monday = anchor + timedelta(days=7 * offset)
        start = monday + timedelta(days=first)
        end = start
        last = _weekday_number(m.group("w2"), m.group("e2"))
        if last is not None:
            end = monday + timedelta(days=last)
            if end < start:  # 周五至周一: into the next week
                end += timedelta(days=7)
        conf = 1.0 if m.group("o") is not None else 0.9
        kind = "day" if end == start else "range"
        suffix = _suffix_deadline(text, m.end())
        if suffix is not None and kind == "day":
            yield Mention(min(anchor, end), end, m.start(), suffix, "deadline", conf)
        else:
            yield Mention(start, end, m.start(), m.end(), kind, conf, None, first if kind == "day" else None)


def _scan_nth_week(text: str, ctx: TimeContext) -> Iterator[Mention]:
    """``第3周`` / ``第3-5周`` / ``第三周周二`` counted from ``ctx.week1_start`` (week 1 runs
    from that day to the Sunday of its week)."""
    if ctx.week1_start is None:
        return
    first_monday = _monday(ctx.week1_start)
    for m in _NTH_WEEK.finditer(text):
        n = _cn_number(m.group("n"))
        n2 = _cn_number(m.group("n2")) if m.group("n2") else n
        if n is None or n2 is None or not 1 <= n <= n2 <= 60:
            continue
        start = max(ctx.week1_start, first_monday + timedelta(days=7 * (n - 1)))
        end = first_monday + timedelta(days=7 * (n2 - 1) + 6)
        stop = m.end()
        w = _WEEKDAY_AT.match(text, stop) if n == n2 else None
        weekday = None
        if w is not None and w.group("w") is not None:  # 第三周周二
            weekday = _weekday_of(w)[1]
            start = end = first_monday + timedelta(days=7 * (n - 1) + weekday)
            stop = w.end()
        kind = "day" if start == end else "range"
        yield Mention(start, end, m.start(), stop, kind, 1.0, None, weekday)


def _scan_english(text: str, ctx: TimeContext) -> Iterator[Mention]:
    """English month and weekday labels of bilingual calendars (see `_EN_DAY_WEEKDAY`)."""
    if _EN_LABEL.search(text) is None:
        return  # every match holds an English month or weekday label
    for m in _EN_YEAR_MONTH.finditer(text):
        year = int(m.group("y") or m.group("y2"))
        month = tw.ENGLISH_MONTHS[(m.group("mo") or m.group("mo2")).rstrip(".").lower()]
        if _MIN_YEAR <= year <= _MAX_YEAR:
            start, end = month_span(year, month)
            yield Mention(start, end, m.start(), m.end(), "month")
    for m in _EN_DAY_MONTH.finditer(text):
        month = tw.ENGLISH_MONTHS[(m.group("mo") or m.group("mo2")).rstrip(".").lower()]
        day = int(m.group("d") or m.group("d2"))
        point = _Point(None, False, month, day, None, m.start(), m.end(), mark=True)
        if m.group("y") is not None:
            point.year = int(m.group("y"))
            if not _MIN_YEAR <= point.year <= _MAX_YEAR:
                continue
        _weekday_after(point, text)
        mention = _point_mention(point, text, ctx)
        if mention is not None:
            yield mention
    for m in _EN_DAY_WEEKDAY.finditer(text):
        found = _days_by_weekday(m, ctx)
        if found is not None:
            yield Mention(
                found[0],
                found[1],
                m.start(),
                m.end(),
                "day" if found[0] == found[1] else "range",
                found[2],
                None,
                found[0].weekday(),
            )


def _months_between(first: date, last: date) -> list[tuple[int, int]]:
    """(year, month) from ``first``'s month to ``last``'s, at most two years."""
    months: list[tuple[int, int]] = []
    y, mo = first.year, first.month
    while (y, mo) <= (last.year, last.month) and len(months) < 24:
        months.append((y, mo))
        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
    return months


def _days_by_weekday(m: re.Match[str], ctx: TimeContext) -> tuple[date, date, float] | None:
    """``21 Fri`` / ``21-03 Wed-Tue``: days written without a month.  The month is the only
    one of the context period in which the days fall on their written weekdays (a second
    day smaller than the first is in the next month); failing that the only such month next
    to the period (confidence 0.8); failing that, in a one-month context, that month
    (confidence 0.5)."""
    period = _ctx_period(ctx)
    if period is None:
        return None
    d1 = int(m.group("d1"))
    d2 = int(m.group("d2")) if m.group("d2") is not None else None
    first_wd = tw.ENGLISH_WEEKDAYS[m.group("e1").rstrip(".").lower()]
    last_wd = tw.ENGLISH_WEEKDAYS[m.group("e2").rstrip(".").lower()] if m.group("e2") else None

    def span_in(year: int, month: int) -> Span | None:
        start = _day(year, month, d1)
        if start is None:
            return None
        if d2 is None:
            return start, start
        nxt = _add_months(start.replace(day=1), 1) if d2 < d1 else start
        end = _day(nxt.year, nxt.month, d2)
        return (start, end) if end is not None and 0 <= (end - start).days <= 31 else None

    def fits(months: list[tuple[int, int]]) -> list[Span]:
        out = []
        for y, mo in months:
            span = span_in(y, mo)
            if span is not None and span[0].weekday() == first_wd:
                if last_wd is None or span[1].weekday() == last_wd:
                    out.append(span)
        return out

    months = _months_between(period[0], period[1])
    found = fits(months)
    if len(found) == 1:
        return found[0][0], found[0][1], 1.0 if len(months) == 1 else 0.9
    if found:
        return None
    near = fits(_months_between(_add_months(period[0], -1), _add_months(period[1], 1)))
    if len(near) == 1:
        return near[0][0], near[0][1], 0.8
    if len(months) == 1:
        span = span_in(*months[0])
        return (span[0], span[1], 0.5) if span is not None else None
    return None


def year_from_weekdays(
    pairs: list[tuple[int, int, int]], candidates: Iterable[int], first_month: int = 1
) -> int | None:
    """The year in which most labelled dates fall on their written weekday.

    ``pairs`` are (month, day, weekday with 0 = Monday), e.g. from mentions that carry a
    ``weekday``; ``candidates`` the years to try.  When a sequence crosses New Year (an
    autumn term) pass ``first_month``: months before it are counted in the following year,
    and the year returned is the sequence's first year.  The winner must match more than
    half of the pairs and strictly more than any other candidate; otherwise None.
    """
    if not pairs:
        return None
    scores: list[tuple[int, int]] = []
    for year in candidates:
        if not _MIN_YEAR <= year < _MAX_YEAR:
            continue
        hits = 0
        for month, day, weekday in pairs:
            d = _day(year + 1 if month < first_month else year, month, day)
            if d is not None and d.weekday() == weekday:
                hits += 1
        scores.append((hits, year))
    if not scores:
        return None
    scores.sort(reverse=True)
    best_hits, best_year = scores[0]
    if best_hits * 2 <= len(pairs) or (len(scores) > 1 and scores[1][0] == best_hits):
        return None
    return best_year


_BARE_DAYS = re.compile(
    r"(?=\d)(?<![\d.月/\-])(?P<d>\d{1,2})(?P<dm>[日号])?"
    rf"(?=\s*(?:[{re.escape(tw.DAY_LIST_SEPARATORS)}]|{_DASH}))"
)


def _scan_bare_days(text: str, ctx: TimeContext) -> Iterator[Mention]:
    """``30、31日`` / ``5-6日`` / ``5日至8日`` without a month, when the context lies in one
    month (the caller narrows it to a month row)."""
    period = _ctx_period(ctx)
    if period is None or (period[0].year, period[0].month) != (period[1].year, period[1].month):
        return
    year, month = period[0].year, period[0].month
    for m in _BARE_DAYS.finditer(text):
        p1 = _Point(year, False, month, int(m.group("d")), None, m.start(), m.end(), mark=True)
        if m.group("dm") is None:
            p1.bare_day, p1.bare_stop, p1.mark = p1.day, m.end(), False
        found = _day_list(p1, text, ctx)
        if found is None:
            tail = _range_tail(text, m.end(), p1, ctx)
            if tail is not None and tail.day is not None and tail.mark and tail.year is None:
                found = _range_mention(p1, tail, text, ctx)
                if found is not None and found.kind != "range":
                    found = None
        if found is not None and _day(year, month, int(m.group("d"))) is not None:
            yield replace(found, confidence=min(found.confidence, 0.8))


def numeric_day_first(text: str) -> bool:
    """Whether a text writes numeric dates day first (Hong Kong 22/1, 8-14/3): some ``a/b``
    can only be read day first and none only month first.  A caller sets
    ``TimeContext.day_first`` from it for the whole document."""
    day_first = month_first = 0
    for m in _SLASH_MD.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if 12 < a <= 31 and 1 <= b <= 12:
            day_first += 1
        elif 12 < b <= 31 and 1 <= a <= 12:
            month_first += 1
    for m in _DAYS_SLASH_MONTH.finditer(text):
        if 12 < int(m.group("d2")) <= 31 and 1 <= int(m.group("m")) <= 12:
            day_first += 1
    return day_first > 0 and month_first == 0


_SCANNERS: tuple[Callable[[str, TimeContext], Iterator[Mention]], ...] = (
    _scan_points,
    _scan_month_ranges,
    _scan_ymd,
    _scan_dotted,
    _scan_dotted_days,
    _scan_slashed,
    _scan_mm_dd,
    _scan_roc_compact,
    _scan_school_years,
    _scan_year_words,
    _scan_holidays,
    _scan_lunar,
    _scan_relative,
    _scan_recurring,
    _scan_bare_month_parts,
    _scan_week_relative,
    _scan_nth_week,
    _scan_english,
    _scan_bare_days,
)


def _initials(*words: object) -> frozenset[str]:
    return frozenset(str(w)[0] for group in words for w in group)  # type: ignore[attr-defined]


def _finals(*words: object) -> frozenset[str]:
    return frozenset(str(w)[-1] for group in words for w in group)  # type: ignore[attr-defined]


# What every match of a scanner holds, as gates: each gate is a set of characters of which a
# match holds at least one (a digit, 月, the first or the last character of the words it looks
# for, a separator its patterns require), and a match passes every gate of its scanner.  A
# text that fails a gate is not given to the scanner: most texts asked about in a work plan
# hold no date at all, and most that hold a digit hold no slash, dot or dash.  _DIGIT in a
# gate stands for any digit (\d, as the patterns write it); a digit named in a gate stands
# for itself (the 1 a compact 民国 date begins with).
_DIGIT = "\\d"
_DIGIT_NEEDED = frozenset({_DIGIT})
_NUMBER_NEEDED = _DIGIT_NEEDED | frozenset("十一二三四五六七八九")  # a month number (_MON)
_DASHES_NEEDED = frozenset(tw.RANGE_DASHES)  # _DASH, _DASHES
_HOLIDAY_WORD_LISTS = (tw.HOLIDAYS, tw.TERMS, tw.TERM_OPENINGS, tw.FESTIVALS, tw.LUNAR_FESTIVALS)
_EN_WEEKDAY_FIRST = frozenset(w[0].upper() for w in tw.ENGLISH_WEEKDAYS)
_NEEDS: dict[Callable[[str, TimeContext], Iterator[Mention]], tuple[frozenset[str], ...]] = {
    _scan_points: (frozenset("月"), _NUMBER_NEEDED),
    _scan_month_ranges: (
        frozenset("月"),
        _NUMBER_NEEDED,
        _DASHES_NEEDED | frozenset(tw.MONTH_LIST_SEPARATORS),  # between the two months
    ),
    _scan_ymd: (_DIGIT_NEEDED, frozenset("-./")),
    _scan_dotted: (_DIGIT_NEEDED, frozenset("."), _DASHES_NEEDED),
    _scan_dotted_days: (_DIGIT_NEEDED, frozenset(".")),
    _scan_slashed: (_DIGIT_NEEDED, frozenset("/")),
    _scan_mm_dd: (_DIGIT_NEEDED, frozenset("-")),
    _scan_roc_compact: (frozenset("1"),),  # (?=1)
    _scan_school_years: (frozenset("学民"), frozenset("年")),  # 学年, 民国…年
    # 上半年, 季度, 年初, 今年; each pattern also holds a year's digit or numeral, a first
    # character of _YEAR_WORDS, a part of _BARE_YEAR_PART or a character of _WHOLE_YEAR's words
    _scan_year_words: (
        frozenset("年季"),
        _DIGIT_NEEDED | frozenset("〇零○一二三四五六七八九xX×上下第前初底末中本今内"),
    ),
    _scan_holidays: (_initials(*_HOLIDAY_WORD_LISTS), _finals(*_HOLIDAY_WORD_LISTS)),
    _scan_lunar: (frozenset("月"), _initials(tw.LUNAR_MARKERS)),
    _scan_relative: (_initials(tw.TERM_RELATIVE), _finals(tw.TERM_RELATIVE)),
    _scan_recurring: (_initials(tw.RECURRING_WORDS), _finals(tw.RECURRING_WORDS)),
    _scan_bare_month_parts: (frozenset("月旬"), frozenset("初中底末旬")),  # 月初 …, 上旬 …
    # a weekday word (周二, 星期二, Mon); the offset before it (下周二) is optional
    _scan_week_relative: (
        _initials(tw.WEEKDAY_PREFIXES) | _EN_WEEKDAY_FIRST,
        frozenset(tw.BARE_WEEKDAY_CHARS) | _EN_WEEKDAY_FIRST,
    ),
    _scan_nth_week: (frozenset("第"), frozenset("周")),
    _scan_english: (frozenset(_EN_LABEL_FIRST),),
    _scan_bare_days: (_DIGIT_NEEDED, frozenset(tw.DAY_LIST_SEPARATORS) | _DASHES_NEEDED),
}
# Every distinct gate, by its bit.
_GATES: tuple[frozenset[str], ...] = tuple(
    sorted({g for gates in _NEEDS.values() for g in gates}, key=sorted)
)
# The characters gates name (any digit aside).
_NEEDED_CHARS = {ch for g in _GATES for ch in g if ch != _DIGIT}
# Any digit or needed character; ``findall`` lists those a text holds in one pass.
_ANY_NEED = re.compile("[\\d" + "".join(sorted(map(re.escape, _NEEDED_CHARS))) + "]")
# The gates each needed character passes, and those a digit passes, as bit masks (bit g:
# _GATES[g]), so a text's gates are OR-ed ints, not sets.
_DIGIT_MASK = sum(1 << g for g, gate in enumerate(_GATES) if _DIGIT in gate)
_OPEN_MASK: dict[str, int] = {
    ch: sum(1 << g for g, gate in enumerate(_GATES) if ch in gate)
    | (_DIGIT_MASK if re.fullmatch(r"\d", ch) else 0)  # a digit named in a gate is a digit too
    for ch in _NEEDED_CHARS
}
# The gates each scanner (by its place in _SCANNERS) needs passed.
_REQUIRED: tuple[int, ...] = tuple(sum(1 << _GATES.index(g) for g in _NEEDS[s]) for s in _SCANNERS)


def _scanners_for(text: str) -> tuple[Callable[[str, TimeContext], Iterator[Mention]], ...]:
    """The scanners whose gates the text passes, in their order (see _NEEDS)."""
    mask = 0
    get = _OPEN_MASK.get
    for ch in set(_ANY_NEED.findall(text)):
        mask |= get(ch, _DIGIT_MASK)  # not a needed character: a digit
    return _opened_by(mask)


@lru_cache(maxsize=4096)
def _opened_by(mask: int) -> tuple[Callable[[str, TimeContext], Iterator[Mention]], ...]:
    return tuple(s for s, required in zip(_SCANNERS, _REQUIRED, strict=True) if mask & required == required)


_SOLAR_KINDS = frozenset({"day", "range"})
_GLOSS_GAP = re.compile(r"\s*[(（]\s*")


def find_mentions(text: str, ctx: TimeContext) -> list[Mention]:
    """Time expressions in ``text``, left to right, non-overlapping, longest match first."""
    if not isinstance(text, str) or not text:
        return []
    if not isinstance(ctx, TimeContext):
        ctx = TimeContext()
    candidates: list[Mention] = []
    size = len(text)
    for scanner in _scanners_for(text):
        try:
            for mention in scanner(text, ctx):
                if mention.start <= mention.end and 0 <= mention.begin < mention.stop <= size:
                    candidates.append(mention)
        except Exception:  # defensive: a bug in one scanner must not lose the others' mentions
            continue  # (its mentions found before the bug are kept)
    if not candidates:
        return []
    if len(candidates) == 1:
        chosen = candidates  # nothing to overlap: the one candidate is chosen (a third of texts)
    else:
        candidates.sort(key=lambda c: (-(c.stop - c.begin), c.begin))
        taken = bytearray(len(text))
        chosen = []
        for c in candidates:
            if taken.find(1, c.begin, c.stop) != -1:
                continue
            taken[c.begin : c.stop] = b"\x01" * (c.stop - c.begin)
            chosen.append(c)
        chosen.sort(key=lambda c: c.begin)
    result: list[Mention] = []
    for c in _relative_to_written_terms(text, chosen, ctx):
        if c.kind == "lunar" and result and result[-1].kind in _SOLAR_KINDS:
            gap = _GLOSS_GAP.fullmatch(text, result[-1].stop, c.begin)
            if gap is not None:
                continue  # 3月1日(农历正月18日): the lunar gloss repeats the solar date
        result.append(c)
    return result


# --------------------------------------------------------------------------- titles

_TITLE_PRIORITY = {"term": 0, "school_year": 1, "half_year": 2, "quarter": 3, "year": 4}


def period_from_title(title: str, year_hint: int | None = None) -> tuple[date, date] | None:
    """The span a document's title plans for, or None when it cannot be known."""
    if not isinstance(title, str) or not title:
        return None
    try:
        ctx = TimeContext(default_year=year_hint)
        mentions = [m for m in find_mentions(title, ctx) if m.kind in _TITLE_PRIORITY]
        if year_hint is None:
            mentions = [m for m in mentions if m.confidence >= 1.0]
        if mentions:
            best = min(mentions, key=lambda m: (_TITLE_PRIORITY[m.kind], m.begin))
            return best.start, best.end
        if year_hint is not None and _MIN_YEAR <= year_hint <= _MAX_YEAR:
            return date(year_hint, 1, 1), date(year_hint, 12, 31)
    except Exception:
        return None
    return None
