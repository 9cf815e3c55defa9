"""How the printed layouts group rows: by term week (行事历) and by month (主要工作安排).

Shared by the Excel and Word renderers so both print the same blocks with the same labels:
``2.28—3.6`` for a date span, ``3月`` or ``2—3月`` for the months a week touches.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from eduplan.calendar.holidays import WEEKDAY_NAMES
from eduplan.calendar.model import CalendarDoc, CalendarRow, Week

OTHER_LABEL = "其他"
NOT_STARTED = "未开始"
DASH = "—"
# A calendar without term weeks is grouped by Monday–Sunday weeks; past this many weeks (months)
# between the first and the last item, empty weeks (months) are left out, not printed blank.
MAX_FILLED_WEEKS = 60
MAX_FILLED_MONTHS = 24
_LEAD_PUNCT = "：:，,。；;、 \t\n"


@dataclass
class WeekBlock:
    """One week of the printed calendar (or the final 其他 block, where ``week`` is None)."""

    label: str
    start: date | None
    end: date | None
    rows: list[CalendarRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # holidays and adjusted workdays in the week

    @property
    def month_label(self) -> str:
        return month_span_label(self.start, self.end) if self.start and self.end else ""

    @property
    def date_label(self) -> str:
        """``2.28—3.6``, with holiday notes on the following lines."""
        span = span_label(self.start, self.end) if self.start and self.end else ""
        return "\n".join([span, *self.notes]) if span else "\n".join(self.notes)


@dataclass
class MonthBlock:
    """One month of the month arrangement (``year``/``month`` None for the 其他 block)."""

    label: str
    year: int | None
    month: int | None
    rows: list[CalendarRow] = field(default_factory=list)


def span_label(start: date, end: date) -> str:
    """``2.28—3.6`` (month.day, em dash); one day is just ``3.6``."""
    head = f"{start.month}.{start.day}"
    return head if end == start else f"{head}{DASH}{end.month}.{end.day}"


def month_span_label(start: date, end: date) -> str:
    """``3月``, or ``2—3月`` when the span touches two (or more) months."""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.month}月"
    return f"{start.month}{DASH}{end.month}月"


def group_by_week(doc: CalendarDoc, rows: list[CalendarRow] | None = None) -> list[WeekBlock]:
    """One block per week in order, each with the rows starting in it (a week without rows still
    gets a block), then a 其他 block for rows without a date or outside every week (if any).

    Without term weeks, rows are grouped by Monday–Sunday calendar weeks numbered from the first
    week that has a row. ``rows`` defaults to all of ``doc.rows`` (used for per-office sheets)."""
    rows = doc.rows if rows is None else rows
    weeks = weeks_of(doc)
    blocks = [WeekBlock(w.label, w.start, w.end, notes=_holiday_notes(doc, w)) for w in weeks]
    starts = [w.start for w in weeks]
    other = WeekBlock(OTHER_LABEL, None, None)
    for row in rows:
        block = _find_week(blocks, starts, row.start) if row.start else None
        (block or other).rows.append(row)
    if other.rows:
        blocks.append(other)
    return blocks


def weeks_of(doc: CalendarDoc) -> list[Week]:
    """The weeks the calendar is printed in: the term's, else Monday–Sunday weeks of its rows."""
    return sorted(doc.weeks, key=lambda w: w.start) if doc.weeks else _calendar_weeks(doc.rows)


def group_by_month(doc: CalendarDoc, rows: list[CalendarRow] | None = None) -> list[MonthBlock]:
    """One block per month from the first to the last month of the term weeks and of the dated rows
    (months without rows kept, so the plan has no gaps), rows by their start month, then 其他 if
    needed. ``rows`` (default ``doc.rows``) picks the rows; the months always come from the doc."""
    rows = doc.rows if rows is None else rows
    keys = {(r.start.year, r.start.month) for r in doc.rows if r.start}
    for w in doc.weeks:
        keys.update({(w.start.year, w.start.month), (w.end.year, w.end.month)})
    blocks: list[MonthBlock] = []
    if keys:
        (y, m), last = min(keys), max(keys)
        many_years = last[0] - y > 1 or (last[0] - y == 1 and last[1] >= m)
        if (last[0] - y) * 12 + last[1] - m < MAX_FILLED_MONTHS:
            keys = set()
            while (y, m) <= last:
                keys.add((y, m))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        for y, m in sorted(keys):
            blocks.append(MonthBlock(f"{y}年{m}月" if many_years else f"{m}月", y, m))
    by_key = {(b.year, b.month): b for b in blocks}
    other = MonthBlock(OTHER_LABEL, None, None)
    for row in rows:
        block = by_key.get((row.start.year, row.start.month)) if row.start else None
        (block or other).rows.append(row)
    if other.rows:
        blocks.append(other)
    return blocks


def detail_text(row: CalendarRow) -> str:
    """The requirement text without the title repeated at its head (``""`` when it adds nothing)."""
    text = row.text.strip()
    title = row.title.strip()
    if title and text.startswith(title):
        text = text[len(title) :].lstrip(_LEAD_PUNCT)
    return text


def requirement_text(row: CalendarRow, week: WeekBlock | None = None) -> str:
    """要求与说明: the detail text, then the item's dates when it runs past its week, 农历 and a
    holiday warning, one per line. The status is not part of it: a printed 行事历 is a plan, and
    its status goes in a column of its own only when asked for (``status_text``)."""
    detail = detail_text(row)
    parts = [detail] if detail else []
    if week is not None and week.end and row.start and row.end and row.end > week.end:
        parts.append(f"时间：{span_label(row.start, row.end)}")
    if row.lunar:
        parts.append(row.lunar if row.lunar.startswith("农历") else "农历" + row.lunar)
    if row.holiday:
        parts.append(f"注意：适逢{row.holiday}")
    return "\n".join(parts)


STATUS_HEADER = "状态"


def status_text(row: CalendarRow) -> str:
    """The 状态 column of an export that asks for it: 未开始, 进行中, 已完成, 已逾期 or 已取消."""
    return row.status or NOT_STARTED


def host_text(row: CalendarRow) -> str:
    """主持者 / 主办股室: the units joined with 、 (lead first), the office first if not among them."""
    units = list(row.units)
    if row.office and row.office not in units:
        units.insert(0, row.office)
    return "、".join(units)


def offices(doc: CalendarDoc) -> list[str]:
    """The offices in first-seen order: each row's office, or its lead unit when none is given."""
    seen: dict[str, None] = {}
    for row in doc.rows:
        name = row.office or (row.units[0] if row.units else None)
        if name:
            seen.setdefault(name.strip(), None)
    return [name for name in seen if name]


def rows_for_office(doc: CalendarDoc, office: str) -> list[CalendarRow]:
    """Rows hosted by ``office`` or naming it among their units."""
    return [r for r in doc.rows if r.office == office or office in r.units]


_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f\ud800-\udfff\ufffe\uffff]")


def sheet_names(names: list[str], taken: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Excel-safe, unique (case-insensitively) sheet names: no ``[]:*?/\\``, at most 31 characters,
    not starting or ending with an apostrophe, never empty or ``History``."""
    used = {t.casefold() for t in taken}
    out = []
    for name in names:
        base = _SHEET_BAD.sub("_", name).strip().strip("'").strip() or "Sheet"
        if base.casefold() == "history":
            base += "_"
        base = base[:31]
        candidate, n = base, 1
        while candidate.casefold() in used:
            n += 1
            suffix = f"({n})"
            candidate = base[: 31 - len(suffix)] + suffix
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def _find_week(blocks: list[WeekBlock], starts: list[date], day: date) -> WeekBlock | None:
    i = bisect_right(starts, day) - 1
    if i >= 0:
        block = blocks[i]
        if block.start and block.end and block.start <= day <= block.end:
            return block
    return None


def _calendar_weeks(rows: list[CalendarRow]) -> list[Week]:
    """Monday–Sunday weeks from the first to the last row, numbered from 1; only the weeks that
    have rows when that span is longer than ``MAX_FILLED_WEEKS``."""
    mondays = {r.start - timedelta(days=r.start.weekday()) for r in rows if r.start}
    if not mondays:
        return []
    first, last = min(mondays), max(mondays)
    if (last - first).days // 7 < MAX_FILLED_WEEKS:
        mondays = {first + timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)}
    return [Week((m - first).days // 7 + 1, m, m + timedelta(days=6)) for m in sorted(mondays)]


def _holiday_notes(doc: CalendarDoc, week: Week) -> list[str]:
    """``国庆节放假`` (its days on the next line when it covers part of the week), ``9.29（周日）上班``."""
    notes = []
    runs: dict[str, list[date]] = {}
    for day in week.days():
        name = doc.holidays.get(day)
        if name:
            runs.setdefault(name, []).append(day)
    for name, days in runs.items():
        text = name if name.endswith(("放假", "假期", "休息")) else f"{name}放假"
        if days[0] != week.start or days[-1] != week.end:
            text += f"\n（{span_label(days[0], days[-1])}）"
        notes.append(text)
    for day in week.days():
        if day in doc.workdays:
            notes.append(f"{day.month}.{day.day}（{WEEKDAY_NAMES[day.weekday()]}）上班")
    return notes


__all__ = [
    "OTHER_LABEL",
    "STATUS_HEADER",
    "MonthBlock",
    "WeekBlock",
    "detail_text",
    "group_by_month",
    "group_by_week",
    "host_text",
    "month_span_label",
    "offices",
    "requirement_text",
    "rows_for_office",
    "sheet_names",
    "span_label",
    "status_text",
    "weeks_of",
]
