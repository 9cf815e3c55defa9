"""Plain data shared by the calendar arithmetic and the renderers (no database, no I/O).

The ledger turns its records into these; the iCalendar, Excel and Word renderers
only ever see these, so they can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

PREP_WEEK_LABEL = "预备周"
_DIGITS = "零一二三四五六七八九"


def week_label(number: int) -> str:
    """``0`` → 预备周, ``3`` → 第三周, ``12`` → 第十二周 (as printed 行事历 write them)."""
    if number == 0:
        return PREP_WEEK_LABEL
    return f"第{chinese_number(number)}周"


def month_day(day: date, with_year: bool = False) -> str:
    """``11月23日``, or ``2026年11月23日`` with ``with_year`` (as Chinese prose writes dates)."""
    text = f"{day.month}月{day.day}日"
    return f"{day.year}年{text}" if with_year else text


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Week:
    """One week of a term: ``number`` 0 is the 预备周, 1.. are 第N周; dates inclusive."""

    number: int
    start: date
    end: date

    @property
    def label(self) -> str:
        return week_label(self.number)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class Term:
    """A school term. Week 1 begins on ``week1_start`` (its weekday is the week's first day:
    Monday for most bureaus, Sunday for some 行事历). With ``prep_week`` the seven days before
    week 1 are the 预备周 (week 0). ``start``/``end`` are the term's first and last days."""

    name: str
    start: date
    end: date
    week1_start: date
    prep_week: bool = False


@dataclass(frozen=True)
class CalendarRow:
    """One ledger item as the renderers see it.

    ``uid`` is stable for the item across exports (so a subscribed phone updates the event);
    ``start``/``end`` are inclusive dates or ``None`` when the document gave none; ``units`` are the
    responsible units, lead first; ``office`` is the hosting office (主持者/主办股室) if known.
    ``status`` is one of 未开始/进行中/已完成/已逾期/已取消 (already derived, overdue included).
    ``lunar`` is e.g. "农历正月十六" when the document gave a lunar date; ``holiday`` names a
    public holiday a one-day item falls on. ``sequence`` counts the item's revisions (iCalendar
    SEQUENCE), ``updated`` is its last change (LAST-MODIFIED)."""

    uid: str
    title: str
    text: str
    start: date | None
    end: date | None
    units: tuple[str, ...] = ()
    office: str | None = None
    section: str | None = None
    status: str = "未开始"
    lunar: str | None = None
    holiday: str | None = None
    sequence: int = 0
    updated: datetime | None = None


@dataclass
class CalendarDoc:
    """What one export holds: a title (e.g. "某县教育局2020—2021学年度第二学期教育工作行事历"),
    the calendar name for phones, the rows in calendar order, the term's weeks (may be empty:
    renderers then group by calendar week) and public holidays / adjusted workdays by date."""

    title: str
    calname: str
    rows: list[CalendarRow] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)
    generated: datetime | None = None
