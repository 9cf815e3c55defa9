"""Schedule rows that open a day or a week without a date cell of the usual kind.

- a month heading with its year in English or Chinese (``2022 Oct``, ``Oct 2022``,
  ``2023年3月``) followed by day rows ``21 Fri``, ``21-03 Wed-Tue`` (a range that may cross
  the month's end), ``09 Wed``;
- a week row given only as its seven day numbers (``11 12 13 14 15 16 17``, Sunday or
  Monday first), possibly followed on the same line by the row's first entry; its month comes
  from the previous week row, from a dated entry under it, or from the document's period.

Words (month and weekday names) live in ``tablewords``; this module holds the grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from eduplan.understand.lines import Line
from eduplan.understand.slots import Slot
from eduplan.understand.tablewords import WEEKDAY_HEADERS
from eduplan.understand.timewords import ENGLISH_MONTHS
from eduplan.understand.timex import TimeContext

_EN_MONTH = "|".join(sorted(ENGLISH_MONTHS, key=len, reverse=True))
_EN_DAY = "|".join(sorted((w for w in WEEKDAY_HEADERS if w.isascii()), key=len, reverse=True))
_MONTH_YEAR = re.compile(
    rf"^(?:(?P<y1>(?:19|20)\d\d)\s*(?P<m1>{_EN_MONTH})\.?|(?P<m2>{_EN_MONTH})\.?\s*(?P<y2>(?:19|20)\d\d)"
    r"|(?P<y3>(?:19|20)\d\d)\s*年\s*(?P<m3>\d{1,2})\s*月份?)$",
    re.IGNORECASE,
)
_DAY_ROW = re.compile(
    rf"^(?P<d1>\d{{1,2}})(?:\s*[-–~至]\s*(?P<d2>\d{{1,2}}))?\s+(?P<w1>{_EN_DAY})\.?"
    rf"(?:\s*[-–~]\s*(?P<w2>{_EN_DAY})\.?)?$",
    re.IGNORECASE,
)
_NUMBERS = re.compile(r"^(\d{1,2}(?:\s+\d{1,2}){6})(?=\s|$)\s*(?P<rest>.*)$")
_MD_IN_TEXT = re.compile(r"(?<!\d)(\d{1,2})\s*[/月]\s*(\d{1,2})(?!\d)")


@dataclass
class Anchor:
    slot: Slot | None  # the row's span; None for a heading that only sets the month
    rest: str  # text after the anchor on the same line (folded)
    offset: int  # where ``rest`` begins in the line


def _consecutive(days: list[int]) -> bool:
    """Seven day numbers of one week: each the next day, or 1 after a month's last day."""
    for a, b in pairwise(days):
        if b == a + 1:
            continue
        if b == 1 and a >= 28:
            continue
        return False
    return True


class DayRows:
    """Reads anchor rows in order, remembering the month heading and the previous week row."""

    def __init__(self, lines: list[Line], ctx: TimeContext) -> None:
        self.lines = lines
        self.ctx = ctx
        self.year: int | None = None
        self.month: int | None = None
        self.last_week: date | None = None
        self.inferred = False  # the last week row was dated by counting from the period
        self.last_inferred = False

    def _year_for(self, month: int) -> int | None:
        if self.year is not None:
            return self.year
        ps, pe = self.ctx.period_start, self.ctx.period_end
        if ps is not None and pe is not None:
            for y in range(ps.year, pe.year + 1):
                if date(y, month, 1) <= pe and date(y, month, 28) >= ps.replace(day=1):
                    return y
        return self.ctx.default_year or (ps.year if ps else None)

    def anchor(self, i: int) -> Anchor | None:
        """The anchor at line index ``i``, or None when the line is no anchor row."""
        text = self.lines[i].text.strip()
        if "\u4e00" <= text[:1] <= "\u9fff":
            return None  # each anchor starts with a digit or an English month name, no ideograph
        m = _MONTH_YEAR.match(text)
        if m:
            year = int(m.group("y1") or m.group("y2") or m.group("y3"))
            raw = m.group("m1") or m.group("m2") or m.group("m3")
            month = int(raw) if raw.isdigit() else ENGLISH_MONTHS[raw.lower()]
            if 1 <= month <= 12:
                self.year, self.month = year, month
                return Anchor(None, "", len(text))
        m = _DAY_ROW.match(text)
        if m and self.month is not None:
            return self._day_row(m)
        m = _NUMBERS.match(text)
        if m:
            days = [int(x) for x in m.group(1).split()]
            if all(1 <= d <= 31 for d in days) and _consecutive(days):
                start = self._week_start(i, days)
                if start is not None:
                    self.last_week, self.last_inferred = start, self.inferred
                    slot = Slot(start, start + timedelta(days=6), "", "week", self.inferred)
                    return Anchor(slot, m.group("rest"), m.start("rest"))
        return None

    def _day_row(self, m: re.Match[str]) -> Anchor | None:
        month = self.month
        assert month is not None
        year = self._year_for(month)
        if year is None:
            return None
        d1 = int(m.group("d1"))
        d2 = int(m.group("d2")) if m.group("d2") else d1
        try:
            start = date(year, month, d1)
        except ValueError:
            return None
        end_month, end_year = (month, year) if d2 >= d1 else (month % 12 + 1, year + (month == 12))
        try:
            end = date(end_year, end_month, d2)
        except ValueError:
            return None
        w1 = WEEKDAY_HEADERS.get(m.group("w1").lower())
        weekday_ok = w1 is None or start.weekday() == w1
        slot = Slot(start, end, m.group(0), "day" if start == end else "range")
        if not weekday_ok:
            slot.label = f"{m.group(0)}（星期不符）"
        return Anchor(slot, "", m.end())

    def _week_start(self, i: int, days: list[int]) -> date | None:
        first = days[0]
        self.inferred = False
        if self.last_week is not None:
            expected = self.last_week + timedelta(days=7)
            if expected.day == first:
                self.inferred = self.last_inferred
                return expected
        # Dated entries under the row (2/19开学日) whose day is one of the row's days vote for
        # the row's first day; the earliest of the best-supported wins.
        votes: dict[date, int] = {}
        ps, pe = self.ctx.period_start, self.ctx.period_end
        for j in range(i, min(i + 12, len(self.lines))):
            if j > i and _NUMBERS.match(self.lines[j].text.strip()):
                break
            for md in _MD_IN_TEXT.finditer(self.lines[j].text):
                month, day = int(md.group(1)), int(md.group(2))
                if day not in days or not 1 <= month <= 12:
                    continue
                year = self._year_for(month)
                if year is None:
                    continue
                try:
                    start = date(year, month, day) - timedelta(days=days.index(day))
                except ValueError:
                    continue
                if start.day != first:
                    continue
                if ps is not None and start < ps - timedelta(days=7):
                    continue
                if pe is not None and start > pe:
                    continue
                votes[start] = votes.get(start, 0) + 1
        if votes:
            return min(votes, key=lambda d: (-votes[d], d))
        ps = self.ctx.period_start
        if ps is not None:
            d = ps - timedelta(days=7)
            for _ in range(40):
                if d.day == first:
                    self.inferred = True
                    return d
                d += timedelta(days=1)
        return None
