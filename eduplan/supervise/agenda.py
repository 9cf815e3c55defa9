"""What is due: the items of a day or a week, and what is overdue before it (``eduplan agenda``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from eduplan.calendar.holidays import HolidayCalendar
from eduplan.calendar.terms import week_dates, week_of
from eduplan.errors import EduplanError
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.holidays import holiday_calendar
from eduplan.ledger.queries import ItemView, filter_org_ids, live_items, resolve_bureau
from eduplan.ledger.status import is_overdue, status_label
from eduplan.ledger.terms import as_calendar_term, term_for


@dataclass
class Agenda:
    """The window shown (a day or a week), its items, the overdue items before it, its holidays."""

    start: date
    end: date
    label: str
    today: date
    items: list[ItemView] = field(default_factory=list)
    overdue: list[ItemView] = field(default_factory=list)
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    item_notes: dict[int, list[str]] = field(default_factory=dict)

    def status(self, item: ItemView) -> str:
        return status_label(item.status, item.end, self.today)

    def is_overdue(self, item: ItemView) -> bool:
        return is_overdue(item.status, item.end, self.today)


def _window(session: Session, bureau_id: int | None, day: date | None, week: int | None, today: date):
    """(start, end, label) of the day or week asked for."""
    if week is not None:
        anchor = day or today
        record = term_for(session, bureau_id, anchor)
        if record is None:
            raise EduplanError("还没有学期记录：先导入一份行事历（按周次排的工作安排），才能按周次查看")
        term = as_calendar_term(record)
        try:
            start, end = week_dates(term, week)
        except ValueError as exc:
            raise EduplanError(str(exc)) from None
        return start, end, f"{record.name} {week_label_of(term, start)}（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）"
    if day is not None:
        return day, day, f"{day:%Y-%m-%d}"
    record = term_for(session, bureau_id, today)
    if record is not None and record.start <= today <= record.end:
        term = as_calendar_term(record)
        current = week_of(term, today)
        if current is not None:
            return (
                current.start,
                current.end,
                f"{record.name} {current.label}（{current.start} 至 {current.end}）",
            )
    start = today - timedelta(days=today.weekday())
    end = start + timedelta(days=6)
    return start, end, f"本周（{start} 至 {end}）"


def week_label_of(term, day: date) -> str:
    week = week_of(term, day)
    return week.label if week else ""


def agenda(
    session: Session,
    *,
    day: date | None = None,
    week: int | None = None,
    office: str | None = None,
    school: str | None = None,
    bureau: str | None = None,
    today: date | None = None,
    calendar: HolidayCalendar | None = None,
) -> Agenda:
    """Items due on ``day`` or in term week ``week`` (default: this week), for an office or school."""
    today = today or clock_today()
    owner = resolve_bureau(session, bureau)
    start, end, label = _window(session, owner.id if owner else None, day, week, today)
    org_ids = filter_org_ids(session, owner, office, school)
    result = Agenda(start, end, label, today)
    result.items = [
        v
        for v in live_items(session, bureau=owner, org_ids=org_ids, start=start, end=end)
        if v.status != "cancelled"
    ]
    shown = {v.id for v in result.items}
    before = live_items(
        session, bureau=owner, org_ids=org_ids, end=start - timedelta(days=1), dated_only=True
    )
    result.overdue = [v for v in before if v.id not in shown and is_overdue(v.status, v.end, today)]
    calendar = calendar or holiday_calendar(session)
    result.holidays = calendar.holidays_between(start, end)
    result.workdays = calendar.adjusted_workdays_between(start, end)
    for item in [*result.items, *result.overdue]:
        notes = item_notes(item, calendar)
        if notes:
            result.item_notes[item.id] = notes
    missing = calendar.missing_years(start, end)
    if missing:
        from eduplan.calendar.holidays import missing_years_message

        result.notes.append(missing_years_message(missing))
    return result


def item_notes(item: ItemView, calendar: HolidayCalendar) -> list[str]:
    """What a person should notice about an item's date: a one-day item on a public holiday or a
    weekend, and the lunar date when the document gave one (农历)."""
    from eduplan.calendar.holidays import is_one_day_on_holiday
    from eduplan.calendar.lunar import lunar_label, mentions_lunar

    notes = []
    if item.start is not None:
        holiday = is_one_day_on_holiday(item.start, item.end, calendar)
        if holiday:
            notes.append(f"当天是{holiday}")
        if mentions_lunar(item.text):
            notes.append(lunar_label(item.start))
    return notes
