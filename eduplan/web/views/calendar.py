"""The 行事历 pages' data: the term week by week (grouped exactly as the Excel export groups it,
so the page and the print match), its Excel and Word downloads (the whole period, a month or a
week, built from the same items as the page) and a month grid (Monday to Sunday)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from fastapi import HTTPException
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from eduplan.calendar.grouping import (
    NOT_STARTED,
    OTHER_LABEL,
    WeekBlock,
    group_by_week,
    host_text,
    requirement_text,
    span_label,
    weeks_of,
)
from eduplan.calendar.holidays import HolidayCalendar, missing_years_message
from eduplan.calendar.model import CalendarDoc, CalendarRow, Week
from eduplan.calendar.terms import weeks as term_weeks
from eduplan.calendar.terms import weeks_covering
from eduplan.ledger.exporting import UID_DOMAIN, calendar_row
from eduplan.ledger.holidays import holiday_calendar
from eduplan.ledger.models import Item, Plan, Term
from eduplan.ledger.status import OVERDUE_LABEL
from eduplan.ledger.terms import as_calendar_term, term_for
from eduplan.web.auth import Viewer
from eduplan.web.views.scope import Filters, Seen, bureau_of, visible_items

STATUS_CLASSES = {"已完成": "status-done", OVERDUE_LABEL: "status-late", "已取消": "status-cancelled"}
AUTUMN, SPRING = "autumn", "spring"
LONG_ITEM_DAYS = 7
"""An item lasting longer than a week (its end at least this many days after its start) is listed
once above the month grid, not on each of its days."""
NO_TERM_NOTE = (
    "尚无这段时间的学期周次（导入学期行事历后按 预备周/第N周 排列），暂按自然周（周一至周日）排列。"
)


# ------------------------------------------------------------------ periods (which weeks to show)


@dataclass
class Period:
    """The weeks a week view shows: a stored term (its 预备周/第N周) or a half year of calendar
    weeks; ``weeks`` empty means "the weeks of the items shown" (a plan without a term)."""

    key: str
    name: str
    start: date | None
    end: date | None
    weeks: list[Week] = field(default_factory=list)
    is_term: bool = False
    months: str = ""  # for a half year: "9月—次年1月"

    @property
    def label(self) -> str:
        """What the period menu shows: the name, and the months of a half year."""
        return f"{self.name}（{self.months}，自然周）" if self.months else self.name


def half_year_key(day: date) -> str:
    """Autumn runs September to January, spring February to August: 2024-09-16 → ``2024-autumn``."""
    if day.month >= 9:
        return f"{day.year}-{AUTUMN}"
    if day.month == 1:
        return f"{day.year - 1}-{AUTUMN}"
    return f"{day.year}-{SPRING}"


def _half_year(key: str) -> Period | None:
    year_text, _, season = key.partition("-")
    if not year_text.isdigit() or season not in (AUTUMN, SPRING) or not 1900 < int(year_text) < 2200:
        return None
    year = int(year_text)
    if season == AUTUMN:
        start, end, name, months = date(year, 9, 1), date(year + 1, 1, 31), f"{year}年秋季学期", "9月—次年1月"
    else:
        start, end, name, months = date(year, 2, 1), date(year, 8, 31), f"{year}年春季学期", "2—8月"
    # Weeks from the one holding the first working day: 2024-09-01 is a Sunday, so the first
    # week is 9.2—9.8, not 8.26—9.1.
    first_weekday = start + timedelta(days=7 - start.weekday()) if start.weekday() >= 5 else start
    return Period(key, name, start, end, weeks_covering([first_weekday, end]), months=months)


def _term_period(record: Term) -> Period:
    weeks = term_weeks(as_calendar_term(record))
    start = min([record.start, *(w.start for w in weeks)])
    end = max([record.end, *(w.end for w in weeks)])
    return Period(f"term-{record.id}", record.name, start, end, weeks, is_term=True)


# Built once with bound parameters (building and keying a statement costs more than running
# these, issue 12).
_BUREAU_TERMS = select(Term).where(Term.bureau_id == bindparam("bureau_id")).order_by(Term.start.desc())
_ITEM_STARTS = (
    select(Item.start)
    .distinct()
    .join(Plan, Plan.id == Item.plan_id)
    .where(Plan.bureau_id == bindparam("bureau_id"), Item.removed_in.is_(None), Item.start.is_not(None))
)


def period_choices(session: Session, viewer: Viewer, today: date) -> list[Period]:
    """The bureau's terms, then the half years that have items (and the current one), newest first."""
    if viewer.bureau_id is None:
        return []
    terms = session.scalars(_BUREAU_TERMS, {"bureau_id": viewer.bureau_id}).all()
    starts = session.scalars(_ITEM_STARTS, {"bureau_id": viewer.bureau_id}).all()
    keys = {half_year_key(d) for d in starts} | {half_year_key(today)}
    halves = [p for p in (_half_year(k) for k in keys) if p is not None]
    halves.sort(key=lambda p: p.start, reverse=True)
    return [_term_period(t) for t in terms] + halves


def choose_period(session: Session, viewer: Viewer, filters: Filters, key: str | None, today: date) -> Period:
    """The period asked for; else the chosen plan's term, or all of the plan; else the term
    containing today, or today's half year."""
    key = (key or "").strip()
    if key:
        period = _period_by_key(session, viewer, key)
        if period is None:
            raise HTTPException(404, "没有这个学期")
        return period
    if filters.plan is not None:
        if filters.plan.term_id is not None:
            return _term_period(session.get(Term, filters.plan.term_id))
        return Period("", "计划全程", None, None)
    record = term_for(session, viewer.bureau_id, today) if viewer.bureau_id is not None else None
    if record is not None and record.start <= today <= record.end:
        return _term_period(record)
    return _half_year(half_year_key(today))


def _period_by_key(session: Session, viewer: Viewer, key: str) -> Period | None:
    if key.startswith("term-") and key[5:].isdigit():
        record = session.get(Term, int(key[5:]))
        if record is None or record.bureau_id != viewer.bureau_id:
            return None
        return _term_period(record)
    return _half_year(key)


# ------------------------------------------------------------------ the week view


@dataclass
class Line:
    """One item row of the week table."""

    id: int
    title: str
    requirement: str
    host: str
    status: str

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES.get(self.status, "")

    @property
    def status_note(self) -> str:
        """``状态：已逾期`` under the requirement on screen (the print leaves it out)."""
        return f"状态：{self.status}" if self.status and self.status != NOT_STARTED else ""

    @property
    def cells(self) -> Markup:
        """The row's title, requirement and host cells as one string, as ``LINE_CELLS`` writes
        them: the week table's ~330 lines spent most of its render in Jinja's output and
        escaping, about eight values a line (issue 12). The texts are escaped here; the id is
        an int and the class one of ``STATUS_CLASSES``."""
        requirement = escape(self.requirement)
        note = self.status_note
        if note:
            gap = "\n" if self.requirement else ""
            requirement = f'{requirement}<span class="status-note">{gap}{escape(note)}</span>'
        return Markup(
            f'<td class="title"><a href="/items/{self.id}" class="{self.status_class}">'
            f"{escape(self.title)}</a></td>\n      "
            f'<td class="requirement">{requirement}</td>\n      '
            f'<td class="host">{escape(self.host)}</td>'
        )


LINE_CELLS = (
    '<td class="title"><a href="/items/{{ line.id }}" class="{{ line.status_class }}">'
    "{{ line.title }}</a></td>\n"
    '      <td class="requirement">{{ line.requirement }}{% if line.status_note %}<span class="status-note">'
    '{{ "\\n" if line.requirement }}{{ line.status_note }}</span>{% endif %}</td>\n'
    '      <td class="host">{{ line.host }}</td>'
)
"""The cells ``Line.cells`` builds, as the template wrote them (a test renders both)."""


@dataclass
class WeekView:
    label: str
    month_label: str
    date_label: str
    start: date | None
    end: date | None
    lines: list[Line]
    is_today: bool = False
    has_holiday: bool = False

    @property
    def css(self) -> str:
        return " ".join(c for c, on in (("today", self.is_today), ("holiday", self.has_holiday)) if on)


@dataclass
class WeekPage:
    title: str
    period: Period
    weeks: list[WeekView]
    count: int
    notes: list[str] = field(default_factory=list)
    scopes: list[tuple[str, str]] = field(default_factory=list)  # (scope key, label) to download

    def week_scopes(self) -> list[tuple[str, str]]:
        return [s for s in self.scopes if s[0].startswith(WEEK_SCOPE)]

    def month_scopes(self) -> list[tuple[str, str]]:
        return [s for s in self.scopes if s[0].startswith(MONTH_SCOPE)]


def _doc_title(session: Session, viewer: Viewer, filters: Filters, period: Period, scope: str = "") -> str:
    """``示例县教育局2024年秋季学期工作行事历``, then in brackets the month or week and the units."""
    bureau = bureau_of(session, viewer)
    if filters.plan is not None:
        base = filters.plan.title or "工作安排"
    else:
        base = f"{bureau.name if bureau else ''}{period.name}工作行事历"
    units = "、".join(o.name for o in (filters.office, filters.school) if o is not None)
    details = "，".join(x for x in (scope, units) if x)
    return f"{base}（{details}）" if details else base


def week_page(session: Session, viewer: Viewer, filters: Filters, period: Period, today: date) -> WeekPage:
    """The 行事历 of ``period``: one block per week, its items, holidays under the dates."""
    doc, seen, notes = _period_calendar(session, viewer, filters, period, today)
    by_uid = {f"{s.view.uid}@{UID_DOMAIN}": s for s in seen}
    blocks = group_by_week(doc)
    views = [_week_view(block, by_uid, doc, today) for block in blocks]
    title = _doc_title(session, viewer, filters, period)
    return WeekPage(title, period, views, len(seen), notes, _scopes(blocks))


def _period_calendar(
    session: Session, viewer: Viewer, filters: Filters, period: Period, today: date
) -> tuple[CalendarDoc, list[Seen], list[str]]:
    """The items of ``period`` the viewer may see and the filters keep, as the renderers' document
    (the page and the downloads are made from it), with the notes the page shows above them."""
    if period.start is not None:
        seen = visible_items(
            session,
            viewer,
            plan_id=filters.plan.id if filters.plan else None,
            start=period.start,
            end=period.end,
        )
    else:
        seen = visible_items(session, viewer, plan_id=filters.plan.id if filters.plan else None)
    seen = [s for s in seen if filters.keep(s, today)]
    calendar = holiday_calendar(session)
    rows = [calendar_row(s.view, today, calendar) for s in seen]
    doc = CalendarDoc(title="", calname="", rows=rows, weeks=list(period.weeks))
    notes: list[str] = []
    weeks = doc.weeks
    if not weeks:  # a plan without a term: the Monday–Sunday weeks of its items, as exports do
        weeks = weeks_covering([r.start for r in rows if r.start])
    if weeks:
        first, last = weeks[0].start, weeks[-1].end
        doc.holidays = calendar.holidays_between(first, last)
        doc.workdays = calendar.adjusted_workdays_between(first, last)
        missing = calendar.missing_years(first, last)
        if missing:
            notes.append(missing_years_message(missing))
    if not period.is_term:
        notes.append(NO_TERM_NOTE)
    return doc, seen, notes


# ------------------------------------------------------------------ downloads (Excel, Word)

MONTH_SCOPE, WEEK_SCOPE = "month-", "week-"
"""A download's ``scope``: blank for the whole period, ``month-2024-09`` or ``week-2024-09-16``
(the week holding that day)."""


def _scopes(blocks: list[WeekBlock]) -> list[tuple[str, str]]:
    """What the download form offers: every month the weeks touch, then every week."""
    months: dict[tuple[int, int], None] = {}
    weeks = []
    for block in blocks:
        if block.start is None or block.end is None:
            continue
        months.setdefault((block.start.year, block.start.month), None)
        months.setdefault((block.end.year, block.end.month), None)
        label = f"{block.label}（{span_label(block.start, block.end)}）"
        weeks.append((f"{WEEK_SCOPE}{block.start.isoformat()}", label))
    month_choices = [(f"{MONTH_SCOPE}{y:04d}-{m:02d}", f"{y}年{m}月") for y, m in months]
    return month_choices + weeks


@dataclass
class Scope:
    """The days a download covers (None: the whole period) and how its title names them."""

    first: date | None = None
    last: date | None = None
    label: str = ""
    week: bool = False


def parse_scope(text: str | None) -> Scope:
    """``month-2024-09`` → September 2024; ``week-2024-09-16`` → the week holding 9-16; blank →
    the whole period; anything else is a 400."""
    text = (text or "").strip()
    if not text:
        return Scope()
    if text.startswith(MONTH_SCOPE) and text[len(MONTH_SCOPE) :]:
        try:
            year, month = parse_month(text[len(MONTH_SCOPE) :], date.today())
        except HTTPException:
            pass
        else:
            first = date(year, month, 1)
            last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
            return Scope(first, last, f"{year}年{month}月")
    if text.startswith(WEEK_SCOPE):
        try:
            day = date.fromisoformat(text[len(WEEK_SCOPE) :])
        except ValueError:
            pass
        else:
            if 1900 < day.year < 2200:
                return Scope(day, day, week=True)
    raise HTTPException(400, "导出范围应写成 month-2024-09（一个月）或 week-2024-09-16（含这一天的一周）")


def scope_period(
    session: Session, viewer: Viewer, filters: Filters, key: str | None, scope: Scope, today: date
) -> Period:
    """The period a download is cut from: the one asked for; else, for a month or a week, the term
    (or half year) it falls in — for a month, the first term that overlaps it; else as the page."""
    if (key or "").strip() or scope.first is None or filters.plan is not None:
        return choose_period(session, viewer, filters, key, today)
    if not scope.week and viewer.bureau_id is not None:
        record = session.scalars(
            select(Term)
            .where(Term.bureau_id == viewer.bureau_id, Term.start <= scope.last, Term.end >= scope.first)
            .order_by(Term.start)
        ).first()
        if record is not None:
            return _term_period(record)
    return choose_period(session, viewer, filters, None, scope.first)


def export_doc(
    session: Session, viewer: Viewer, filters: Filters, period: Period, scope: Scope, today: date
) -> CalendarDoc:
    """The download of the 行事历 page: the same items, weeks and holiday notes as the page; for a
    month, the weeks touching it (a week running into the next month is printed whole); for a
    week, that week. Items without a date (其他) are only in the whole period's download."""
    doc, _, _ = _period_calendar(session, viewer, filters, period, today)
    label = scope.label
    if scope.first is not None and scope.last is not None:
        weeks = [w for w in weeks_of(doc) if w.start <= scope.last and w.end >= scope.first]
        if scope.week:
            if not weeks:
                raise HTTPException(404, "所选学期没有这一周")
            label = f"{weeks[0].label} {span_label(weeks[0].start, weeks[0].end)}"
        doc.rows = [r for r in doc.rows if r.start and any(w.contains(r.start) for w in weeks)]
        doc.weeks = weeks
    doc.title = doc.calname = _doc_title(session, viewer, filters, period, label)
    return doc


def _week_view(block: WeekBlock, by_uid: dict[str, Seen], doc: CalendarDoc, today: date) -> WeekView:
    lines = [_line(row, block, by_uid[row.uid]) for row in block.rows]
    has_holiday = False
    is_today = False
    if block.start is not None and block.end is not None:
        is_today = block.start <= today <= block.end
        has_holiday = any(d in doc.holidays for d in _days(block.start, block.end))
    label = block.label if block.label != OTHER_LABEL else "其他（无日期或在各周之外）"
    return WeekView(
        label, block.month_label, block.date_label, block.start, block.end, lines, is_today, has_holiday
    )


def _line(row: CalendarRow, block: WeekBlock, seen: Seen) -> Line:
    return Line(seen.id, row.title.strip(), requirement_text(row, block), host_text(row), row.status)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# ------------------------------------------------------------------ the month view


@dataclass
class DayEntry:
    id: int
    title: str
    status: str
    first: bool  # the item's first day (else it continues from an earlier day)
    span: str

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES.get(self.status, "")


@dataclass
class Bar:
    """A multi-day item's stretch within one week row: drawn once, from its first day in the row
    across ``days`` columns; ``before``/``after`` say it goes on beyond the row's edges."""

    entry: DayEntry
    days: int
    before: bool
    after: bool


@dataclass
class DayCell:
    day: date
    entries: list[DayEntry] = field(default_factory=list)  # one-day items
    lanes: list[Bar | None] = field(default_factory=list)  # the row's bar lanes: a bar starting here, or room
    holiday: str | None = None
    workday: str | None = None
    is_today: bool = False
    weekend: bool = False

    @property
    def css(self) -> str:
        flags = (
            ("holiday", self.holiday is not None),
            ("workday", self.workday is not None),
            ("today", self.is_today),
            ("weekend", self.weekend),
        )
        return " ".join(c for c, on in flags if on)


@dataclass
class MonthPage:
    year: int
    month: int
    rows: list[list[DayCell | None]]  # Monday..Sunday; None for days of the months around it
    prev: str
    next: str
    count: int
    notes: list[str] = field(default_factory=list)
    long: list[DayEntry] = field(default_factory=list)  # items longer than a week, listed once

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


def parse_month(text: str | None, today: date) -> tuple[int, int]:
    """``2024-09`` → (2024, 9); blank → today's month; anything else is a 400."""
    text = (text or "").strip()
    if not text:
        return today.year, today.month
    year, sep, month = text.partition("-")
    if sep and year.isdigit() and month.isdigit() and 1900 < int(year) < 2200 and 1 <= int(month) <= 12:
        return int(year), int(month)
    raise HTTPException(400, "月份应写成 2024-09 这样的格式")


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _lay_bars(
    row: list[DayCell | None],
    monday: date,
    sunday: date,
    multi: list[tuple[DayEntry, date, date, date, date]],
) -> None:
    """Give each multi-day item in this week row one bar, in the first lane free across its days
    (earliest first, longer first); every day of the row gets the same lanes, so bars line up."""
    pieces = sorted(
        (
            (max(shown_from, monday), min(shown_to, sunday), entry, start, end)
            for entry, shown_from, shown_to, start, end in multi
            if shown_from <= sunday and shown_to >= monday
        ),
        key=lambda p: (p[0], -(p[1] - p[0]).days, p[2].id),
    )
    lanes: list[list[tuple[date, date, Bar]]] = []
    for begin, finish, entry, start, end in pieces:
        bar = Bar(entry, (finish - begin).days + 1, before=begin > start, after=finish < end)
        free = next((lane for lane in lanes if all(f < begin or b > finish for b, f, _ in lane)), None)
        if free is None:
            free = []
            lanes.append(free)
        free.append((begin, finish, bar))
    for cell in row:
        if cell is None:
            continue
        cell.lanes = [next((bar for b, _, bar in lane if b == cell.day), None) for lane in lanes]


def month_page(
    session: Session, viewer: Viewer, filters: Filters, year: int, month: int, today: date
) -> MonthPage:
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    seen = visible_items(
        session, viewer, plan_id=filters.plan.id if filters.plan else None, start=first, end=last
    )
    seen = [s for s in seen if filters.keep(s, today)]
    calendar: HolidayCalendar = holiday_calendar(session)
    holidays = calendar.holidays_between(first, last)
    workdays = calendar.adjusted_workdays_between(first, last)
    cells = {
        d: DayCell(
            d, holiday=holidays.get(d), workday=workdays.get(d), is_today=d == today, weekend=d.weekday() >= 5
        )
        for d in _days(first, last)
    }
    long: list[DayEntry] = []
    multi: list[tuple[DayEntry, date, date, date, date]] = []  # entry, shown from/to, real start/end
    for s in seen:
        start, end = s.view.start, s.view.end or s.view.start
        span = f"{start:%Y-%m-%d}" if start == end else f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
        status = s.status(today)
        if (end - start).days >= LONG_ITEM_DAYS:
            # A month-long item on every day would bury the rest: listed once above the grid.
            long.append(DayEntry(s.id, s.view.title.strip(), status, True, span))
            continue
        entry = DayEntry(s.id, s.view.title.strip(), status, True, span)
        if start == end:
            if first <= start <= last:
                cells[start].entries.append(entry)
        else:
            multi.append((entry, max(start, first), min(end, last), start, end))
    rows = []
    for week in weeks_covering([first, last]):  # Monday-first weeks
        row = [cells.get(d) for d in week.days()]
        _lay_bars(row, week.start, week.end, multi)
        rows.append(row)
    missing = calendar.missing_years(first, last)
    notes = [missing_years_message(missing)] if missing else []
    return MonthPage(
        year, month, rows, _shift(year, month, -1), _shift(year, month, 1), len(seen), notes, long
    )
