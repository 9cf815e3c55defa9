"""Term and week arithmetic: 预备周 / 第N周 of a term, plain calendar weeks, and the term a
parsed week calendar implies. Pure functions over ``model.Term`` and ``model.Week``."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from eduplan.calendar.model import PREP_WEEK_LABEL, Term, Week, week_label
from eduplan.text import normalize
from eduplan.understand.numerals import cn_number

if TYPE_CHECKING:
    from eduplan.plan import Plan

_WEEK = timedelta(days=7)
# "第1周", "第十二周", "第 3 周（3月14日—20日）" (matched on the normalised text).
_WEEK_SECTION = re.compile(r"第([0-9〇零一二两三四五六七八九十廿]{1,4})周")
# "2020—2021學年度第二學期" → the term's name (matched on the title as published).
_TERM_NAME = re.compile(
    r"\d{4}\s*[—–\-－~～至]+\s*\d{4}\s*[学學]年度?\s*(?:第[一二两12]\s*[学學]期|[上下]\s*[学學]期)"
)


def _week(term: Term, number: int) -> Week:
    start = term.week1_start + _WEEK * (number - 1)
    return Week(number, start, start + timedelta(days=6))


def _last_week(term: Term) -> int:
    """Number of the week containing ``term.end`` (0 when the term ends before week 1)."""
    if term.end < term.week1_start:
        return 0
    return (term.end - term.week1_start).days // 7 + 1


def weeks(term: Term) -> list[Week]:
    """The term's weeks in order: the 预备周 (0) if any, then 第1周 .. the week containing ``end``."""
    first = 0 if term.prep_week else 1
    return [_week(term, n) for n in range(first, _last_week(term) + 1)]


def week_of(term: Term, day: date) -> Week | None:
    """The term week containing ``day``, or None when the day is in none of them."""
    number = (day - term.week1_start).days // 7 + 1
    if number > _last_week(term) or number < (0 if term.prep_week else 1):
        return None
    return _week(term, number)


def week_dates(term: Term, number: int) -> tuple[date, date]:
    """First and last day of week ``number`` (0 = 预备周); ValueError outside the term."""
    first = 0 if term.prep_week else 1
    last = _last_week(term)
    if not first <= number <= last:
        name = f"“{term.name}”" if term.name else ""
        span = f"{week_label(first)}至{week_label(last)}" if last >= first else "没有教学周"
        asked = week_label(number) if number >= 0 else f"第{number}周"
        raise ValueError(f"{asked}不在学期{name}内（本学期为{span}）。")
    week = _week(term, number)
    return week.start, week.end


def term_of(day: date, terms: Iterable[Term]) -> Term | None:
    """The first term whose ``start``..``end`` contains ``day``."""
    for term in terms:
        if term.start <= day <= term.end:
            return term
    return None


def weeks_covering(days: Iterable[date], first_weekday: int = 0) -> list[Week]:
    """Consecutive calendar weeks (numbered 1..) from the week of the earliest date to the week
    of the latest; weeks begin on ``first_weekday`` (0 = Monday .. 6 = Sunday)."""
    if not 0 <= first_weekday <= 6:
        raise ValueError(f"每周起始日应为 0（周一）到 6（周日），而不是 {first_weekday}。")
    given = [d for d in days if d is not None]
    if not given:
        return []
    lo, hi = min(given), max(given)
    start = lo - timedelta(days=(lo.weekday() - first_weekday) % 7)
    result: list[Week] = []
    while start <= hi:
        result.append(Week(len(result) + 1, start, start + timedelta(days=6)))
        start += _WEEK
    return result


def section_week_number(section: str | None) -> int | None:
    """``"预备周"`` → 0, ``"第12周"``/``"第十二周"`` → 12, anything else → None."""
    key = normalize(section)
    if not key:
        return None
    if PREP_WEEK_LABEL in key:
        return 0
    m = _WEEK_SECTION.search(key)
    if not m:
        return None
    n = cn_number(m.group(1))
    return n if n and n > 0 else None


def _most_common(values: list[date]) -> date:
    """Most frequent date; ties go to the earliest."""
    counts = Counter(values)
    return min(counts, key=lambda d: (-counts[d], d))


def infer_term(plan: Plan) -> Term | None:
    """The term a parsed week calendar implies, or None with fewer than two week sections.

    Each week section votes for a week-1 start (its most common item start − 7×(N−1), the
    预备周 counting as N = 0); the most common vote wins, so a stray item does not move weeks."""
    starts: dict[int, list[date]] = {}
    for item in plan.items:
        number = section_week_number(item.section)
        if number is None or item.start is None:
            continue
        starts.setdefault(number, []).append(item.start)
    if len(starts) < 2:
        return None
    votes = [_most_common(days) - _WEEK * (n - 1) for n, days in starts.items()]
    week1_start = _most_common(votes)
    prep_week = 0 in starts
    last = max(starts)
    start = plan.period_start or (week1_start - _WEEK if prep_week else week1_start)
    end = plan.period_end or (week1_start + _WEEK * last - timedelta(days=1))
    title = plan.title or ""
    m = _TERM_NAME.search(title)
    name = re.sub(r"\s+", "", m.group(0)) if m else title.strip()
    return Term(name=name, start=start, end=end, week1_start=week1_start, prep_week=prep_week)
