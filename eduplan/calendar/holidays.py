"""Chinese public holidays and adjusted working days (调休上班).

Data come from the ``chinese-calendar`` package (2004–2026 at the time of writing; it raises
``NotImplementedError`` for other years). For a year it does not cover, or to correct it, an
administrator enters the State Council's annual notice as overrides (see ``parse_overrides``).
A year with neither is *unknown*: weekends are taken as off and ``DayInfo.known`` is False.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

# chinese_calendar.constants.Holiday values → the names people read.
HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
UNNAMED_HOLIDAY = "法定节假日"
ADJUSTED_SUFFIX = "调休上班"

# Override text: "2027-02-06..2027-02-12 春节 休" (the name is optional).
OFF_WORDS = ("休", "假", "放假", "休息")
ON_WORDS = ("班", "上班", "补班", "调休上班")
RANGE_SEPARATORS = ("..", "~", "至", "—")  # matched after NFKC (～ → ~)
MAX_OVERRIDE_SPAN = 31
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


@dataclass(frozen=True)
class DayOverride:
    """One day as the State Council's notice sets it: ``off`` (休) or a working day (班)."""

    off: bool
    name: str = ""


@dataclass(frozen=True)
class DayInfo:
    """What a day is. ``name`` is the holiday's Chinese name for a holiday and for an adjusted
    working day (the holiday it makes up for), else None. ``known`` is False when the year has
    neither package data nor overrides (then only weekends are taken as off)."""

    date: date
    is_off: bool
    is_holiday: bool
    is_adjusted_workday: bool
    name: str | None
    known: bool = True


def _package_years() -> set[int]:
    return {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}


_PACKAGE_YEARS = frozenset(_package_years())


def _years_text(years: set[int] | frozenset[int]) -> str:
    if not years:
        return "无"
    lo, hi = min(years), max(years)
    if len(years) == hi - lo + 1:
        return f"{lo}–{hi} 年"
    return "、".join(str(y) for y in sorted(years)) + " 年"


def builtin_years_text() -> str:
    """The years whose holiday arrangements come with eduplan, for people: ``2004–2026 年``."""
    return _years_text(_PACKAGE_YEARS)


def missing_years_message(years: Iterable[int]) -> str:
    """A sentence for people about years lacking holiday data, saying what that means for them
    (no library named); "" when there are none."""
    ys = sorted(set(years))
    if not ys:
        return ""
    listed = "、".join(str(y) for y in ys)
    return (
        f"{listed}年的法定节假日安排尚未录入：系统自带的放假安排只有 {builtin_years_text()}，"
        "这些年份的节假日和调休上班日暂按普通周末计算，提醒也不会避开假期。"
        "请管理员在“管理 → 节假日”按国务院的放假通知录入。"
    )


@lru_cache(maxsize=8192)
def _package_day(d: date) -> DayInfo:
    """The package's answer for a day of a year it covers: a pure function of the day, kept
    (a 行事历 page asks for each day of a term on every request; issue 12)."""
    weekend = d.weekday() >= 5
    try:
        off, english = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:  # a year inside the package's span but without data
        return DayInfo(d, weekend, False, False, None, known=False)
    name = HOLIDAY_NAMES.get(english, english) if english else None
    if off:
        return DayInfo(d, True, name is not None, False, name)
    return DayInfo(d, False, False, weekend and name is not None, name if weekend else None)


class HolidayCalendar:
    """Holidays and adjusted working days from the package, with administrator overrides on top."""

    def __init__(self, overrides: Mapping[date, DayOverride] | None = None) -> None:
        self.overrides: dict[date, DayOverride] = dict(overrides or {})
        self._override_years = frozenset(d.year for d in self.overrides)

    def covered_years(self) -> set[int]:
        """Years with package data or at least one override."""
        return set(_PACKAGE_YEARS | self._override_years)

    def missing_years(self, start: date, end: date) -> list[int]:
        """Years between ``start`` and ``end`` (inclusive) for which nothing is known."""
        covered = self.covered_years()
        return [y for y in range(start.year, end.year + 1) if y not in covered]

    def day(self, d: date) -> DayInfo:
        """Whether ``d`` is off, a named holiday or an adjusted working day."""
        weekend = d.weekday() >= 5
        override = self.overrides.get(d)
        if override is not None:
            name = override.name.strip() or None
            if override.off:  # an unnamed weekend day off is just a weekend
                holiday = name is not None or not weekend
                return DayInfo(d, True, holiday, False, name or (UNNAMED_HOLIDAY if holiday else None))
            return DayInfo(d, False, False, weekend, name if weekend else None)
        if d.year not in _PACKAGE_YEARS:
            return DayInfo(d, weekend, False, False, None, known=d.year in self._override_years)
        return _package_day(d)

    def _days(self, start: date, end: date) -> Iterator[DayInfo]:
        d = start
        while d <= end:
            yield self.day(d)
            d += timedelta(days=1)

    def holidays_between(self, start: date, end: date) -> dict[date, str]:
        """Named off days (public holidays, including their weekday make-up days off), inclusive."""
        return {i.date: i.name or UNNAMED_HOLIDAY for i in self._days(start, end) if i.is_holiday}

    def adjusted_workdays_between(self, start: date, end: date) -> dict[date, str]:
        """Weekend days that are working days, e.g. ``{2024-09-29: "国庆节调休上班"}``, inclusive."""
        return {
            i.date: (i.name or "") + ADJUSTED_SUFFIX for i in self._days(start, end) if i.is_adjusted_workday
        }


def _parse_date(text: str, lineno: int) -> date:
    m = _DATE.fullmatch(text)
    if not m:
        raise ValueError(f"第{lineno}行：“{text}”不是日期，应写成 2027-01-01 这样的格式。")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError(f"第{lineno}行：日期“{text}”不存在。") from None


def _parse_span(text: str, lineno: int) -> tuple[date, date]:
    for sep in RANGE_SEPARATORS:
        if sep in text:
            first, _, last = text.partition(sep)
            return _parse_date(first, lineno), _parse_date(last, lineno)
    d = _parse_date(text, lineno)
    return d, d


def parse_overrides(text: str) -> dict[date, DayOverride]:
    """Parse an administrator's holiday arrangement, one day or range a line::

        2027-01-01 元旦 休
        2027-02-06..2027-02-12 春节 休
        2027-02-14 春节 班      # 班 = adjusted working day

    Blank lines and ``#`` comments are ignored. A bad line raises ValueError naming its number."""
    result: dict[date, DayOverride] = {}
    seen: dict[date, int] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) not in (2, 3):
            raise ValueError(f"第{lineno}行：应写成“日期 节日名称 休/班”，例如“2027-01-01 元旦 休”。")
        flag = parts[-1]
        if flag in OFF_WORDS:
            off = True
        elif flag in ON_WORDS:
            off = False
        else:
            raise ValueError(f"第{lineno}行：最后一项应为“休”或“班”，而不是“{flag}”。")
        name = parts[1] if len(parts) == 3 else ""
        first, last = _parse_span(parts[0], lineno)
        if last < first:
            raise ValueError(f"第{lineno}行：结束日期 {last.isoformat()} 早于开始日期 {first.isoformat()}。")
        if (last - first).days >= MAX_OVERRIDE_SPAN:
            raise ValueError(f"第{lineno}行：一行最多录入 {MAX_OVERRIDE_SPAN} 天，请检查日期。")
        d = first
        while d <= last:
            if d in seen:
                raise ValueError(f"第{lineno}行：{d.isoformat()} 已在第{seen[d]}行录入过。")
            seen[d] = lineno
            result[d] = DayOverride(off=off, name=name)
            d += timedelta(days=1)
    return result


def is_one_day_on_holiday(start: date | None, end: date | None, cal: HolidayCalendar) -> str | None:
    """For a one-day item on a public holiday or an ordinary weekend, the reason ("国庆节",
    "周六"); None for other days, adjusted working days and items longer than a day."""
    if start is None or start != end:
        return None
    info = cal.day(start)
    if not info.is_off:
        return None
    if info.is_holiday:
        return info.name or UNNAMED_HOLIDAY
    return WEEKDAY_NAMES[start.weekday()]
