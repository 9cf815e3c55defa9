"""The dates the sample documents are written for: the term, the school year and the month that
hold (or come next after) the day the demo is built, so the demo is always current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lunardate import LunarDate

WEEK = timedelta(days=7)
AUTUMN_WEEKS = 21
"""An autumn term: 预备周, then 21 weeks from the week of 1 September to late January."""
SPRING_LAST_DAY = (7, 10)
"""A spring term's teaching weeks run to the week holding 10 July."""


@dataclass(frozen=True)
class DemoTerm:
    """One term as a bureau's 行事历 lays it out: a 预备周 and weeks 1…``weeks``."""

    first_year: int
    """The school year's first calendar year (2026 for 2026—2027学年)."""
    number: int
    """1 for the autumn term (第一学期), 2 for the spring term (第二学期)."""
    week1_start: date
    weeks: int

    @property
    def start(self) -> date:
        """The Monday of the 预备周."""
        return self.week1_start - WEEK

    @property
    def end(self) -> date:
        return self.week1_start + WEEK * self.weeks - timedelta(days=1)

    def week_start(self, number: int) -> date:
        """Monday of week ``number`` (0 is the 预备周)."""
        return self.week1_start + WEEK * (number - 1)

    @property
    def name(self) -> str:
        return f"{self.first_year}—{self.first_year + 1}学年度第{'一' if self.number == 1 else '二'}学期"


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def autumn_term(first_year: int) -> DemoTerm:
    """Week 1 is the week of 1 September (the following Monday when it falls on a weekend)."""
    sept1 = date(first_year, 9, 1)
    week1 = sept1 - timedelta(days=sept1.weekday()) if sept1.weekday() < 5 else _monday_on_or_after(sept1)
    return DemoTerm(first_year, 1, week1, AUTUMN_WEEKS)


def spring_term(year: int) -> DemoTerm:
    """Week 1 starts on the first Monday at least twelve days after the Spring Festival and not
    before 15 February; the term runs to the week holding 10 July."""
    festival = LunarDate(year, 1, 1).to_solar_date()
    week1 = _monday_on_or_after(max(festival + timedelta(days=12), date(year, 2, 15)))
    last = date(year, *SPRING_LAST_DAY)
    weeks = (last - week1).days // 7 + 1
    return DemoTerm(year - 1, 2, week1, weeks)


def term_around(day: date) -> DemoTerm:
    """The term holding ``day``; in a holiday, the term that comes next."""
    terms = [autumn_term(day.year - 1), spring_term(day.year), autumn_term(day.year)]
    for term in terms:
        if term.start <= day <= term.end:
            return term
    return next(term for term in terms if term.start > day)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
