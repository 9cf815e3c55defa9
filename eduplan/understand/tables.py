"""Rows of tables (cells kept apart by the reader or recovered from text): column roles from
the header words (``tablewords``) and from what the cells hold; row dates from a date column,
a month column, or weekday columns of day numbers carried from row to row.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from eduplan.text import t2s
from eduplan.understand.entries import Entry
from eduplan.understand.inline import split_inline_pairs
from eduplan.understand.lines import Line
from eduplan.understand.markers import bullet, numbering
from eduplan.understand.numerals import cn_number
from eduplan.understand.slots import Slot, has_date_cell, month_heading, week_row
from eduplan.understand.tablewords import WEEKDAY_HEADERS, header_role, header_roles
from eduplan.understand.timex import TimeContext, find_mentions, resolve_year
from eduplan.understand.units import split_units, unit_only

_SEQ = re.compile(r"^\d{1,3}[.、]?$")
_ANY_DATE = re.compile(r"\d{1,2}\.\d{1,2}|\d{1,2}月|\d{4}[-年]|\d{1,2}/\d{1,2}")
_DAY = re.compile(r"^(\d{1,2})(?!\d)")
_PAIR = re.compile(r"^(\d{1,2})\s*[/.]\s*(\d{1,2})(?!\d)")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(?:(\d{1,2})\s*[日号]?)?")
_MONTH_CELL = re.compile(r"^([0-9一二三四五六七八九十]{1,3})\s*月份?$")
# Left of a weekday grid's day columns, a cell of a bare numeral is the month (八, 十一, 9月) and
# one of four digits the year (2024, 二〇二四年): the columns whose headers are often written
# down the cell, one character a line, and come out unreadable.
_GRID_MONTH = re.compile(r"^([0-9一二三四五六七八九十]{1,3})\s*月?份?$")
_GRID_YEAR = re.compile(r"^((?:19|20)\d\d|[一二〇○零]{2}[〇○零一二三四五六七八九]{2})\s*年?$")
_WEEK_LABEL = re.compile(r"^第([0-9一二三四五六七八九十〇两]{1,3})周$")  # a week column without its header
_WEEK_CELL = re.compile(r"^(?:第\s*)?([0-9一二三四五六七八九十〇两]{1,3})\s*(?:周)?$")
# Text that starts an entry of its own: a date (9/8, 9月, 2024年), a list number (1. (2) ①);
# a bullet (•, ●) does too (markers.bullet).
_STARTS_ENTRY = re.compile(
    r"^\s*(?:\d{1,4}\s*[/.\-~月年]|[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[、.．]|[①-⑳]|[一二三四五六七八九十]{1,3}\s*[、.])"
)


@lru_cache(maxsize=4096)  # a weekday grid's day cells are the same 1 … 31 row after row
def _parse_day(cell: str) -> tuple[int | None, int | None, int] | None:
    """(first, second, kind) of a day cell: kind 0 a bare day, 1 ``a/b``, 2 ``M月D日``."""
    c = cell.replace(" ", "")
    m = _MONTH_DAY.match(c)
    if m:
        return int(m.group(1)), int(m.group(2) or 1), 2
    m = _PAIR.match(c)
    if m:
        return int(m.group(1)), int(m.group(2)), 1
    m = _DAY.match(c)
    if m:
        return None, int(m.group(1)), 0
    return None


_ONE_DAY = timedelta(days=1)


def _next_with_day(after: date, day: int, limit: int = 40) -> date | None:
    d = after + _ONE_DAY
    for _ in range(limit):
        if d.day == day:
            return d
        d += _ONE_DAY
    return None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]{2}")
_LABEL_ONLY = re.compile(
    r"^(?:第\s*)?[0-9一二三四五六七八九十〇两]{1,3}\s*(?:月份?|周|节|日|号)?$|^[\d\s/.\-—~()]+$"
)


def _first_weekday(roles: list[str | None]) -> int | None:
    """The index of the first weekday column of a row's roles, or None."""
    return next((k for k, r in enumerate(roles) if (r or "").startswith("weekday:")), None)


def _is_grid_label(role: str | None) -> bool:
    """A row label of a grid laid out sideways: 学期, 周次, 月份, 星期一 …"""
    return role is not None and (
        role in ("term", "week", "time", "weekday_name") or role.startswith("weekday:")
    )


def _is_text(cell: str) -> bool:
    """Whether a cell holds words of work, not only a number, a month or a week label."""
    c = cell.replace(" ", "")
    return bool(_WORD.search(c)) and not _LABEL_ONLY.match(c)


def _marker_len(text: str) -> int:
    """Length of the list number or bullet an entry's text starts with (0: none)."""
    marker = numbering(text)
    return marker.length if marker else bullet(text)


def _cell_entries(orig: str, folded: str) -> list[tuple[str, str]]:
    """A cell's entries: its numbered chain's pieces, a piece whose number no style reads
    (…。 4教学…) kept with the piece before, as a line of text keeps it with its entry."""
    out: list[tuple[str, str]] = []
    for k, (o, f) in enumerate(split_inline_pairs(orig, folded)):
        if k and out and numbering(f) is None:
            out[-1] = (out[-1][0] + " " + o, out[-1][1] + " " + f)
        else:
            out.append((o, f))
    return out


class TableReader:
    """Reads table rows one at a time, remembering the header and what merged cells carry."""

    def __init__(self, ctx: TimeContext, vocabulary: set[str]) -> None:
        self.ctx = ctx
        self.vocabulary = vocabulary
        self.roles: list[str | None] | None = None
        self.first_day_column: int | None = None  # of ``roles``: its first weekday column
        self.unit_heads: dict[int, str] = {}
        self.carry: Slot | None = None
        self.last_day: date | None = None
        self.month: int | None = None
        self.week_label: str = ""
        self.previous: dict[int, Entry] = {}  # the last entry of each column, for continuation rows
        self.year: int | None = None  # from a year column of a weekday grid
        self.weeks: dict[int, Slot] = {}  # the section's numbered week rows (第3周 → its days)
        self.dated = False  # a row of the current table has given a date

    def start_section(self, ctx: TimeContext) -> None:
        """A sheet or term of its own begins: its dates resolve in ``ctx``, none carried over."""
        self.ctx = ctx
        self.last_day, self.month, self.year = None, None, None
        self.weeks = {}  # a new dict: entries read so far keep the one of their own section

    # ------------------------------------------------------------------ header

    def _header(self, cells: list[str]) -> list[str | None] | None:
        roles = header_roles(cells)
        if len(set(roles) - {None}) < 2:
            return None  # the merging below copies and the 月 | 日 rule drops roles: no second one comes
        # A header cell merged over the columns after it (empty header cells) covers them too.
        for i in range(1, len(roles)):
            if roles[i] is None and not cells[i].strip() and roles[i - 1] in ("time", "task", "detail"):
                roles[i] = roles[i - 1]
        # 月 | 日 side by side are a date written in two columns, not a Sunday column.
        for i in range(1, len(roles)):
            if roles[i] == "weekday:6" and roles[i - 1] == "time" and cells[i - 1].strip() in ("月", "月份"):
                roles[i] = "time"
        named = [r for r in roles if r]
        weekday_roles = [r for r in named if r.startswith("weekday:")]
        if len(weekday_roles) != len(set(weekday_roles)):
            return None  # 一 二 三 四 一 二 …: week numbers of a grid laid out sideways, not weekdays
        weekdays = len(weekday_roles)
        if len(named) < 2 or len(set(named)) < 2:
            return None
        if weekdays >= 5 or "task" in named or "units" in named:
            return roles
        if any(r in ("time", "week") for r in named) and any(r in ("detail", "theme") for r in named):
            return roles
        return None

    def _unit_heads(self, cells: list[str], roles: list[str | None]) -> dict[int, str]:
        """Unnamed short header cells beside a date or week column: one office per column
        (教务 | 学务 | 辅导 | 总务), each cell an entry of that office."""
        if not any(r in ("time", "week") or (r or "").startswith("weekday:") for r in roles):
            return {}
        heads = {
            i: c.replace(" ", "")
            for i, (c, r) in enumerate(zip(cells, roles, strict=False))
            if r is None and 2 <= len(c.replace(" ", "")) <= 6 and not any(ch.isdigit() for ch in c)
        }
        return heads if len(heads) >= 2 else {}

    # ------------------------------------------------------------------ dates

    def _slot_of(self, texts: list[str]) -> Slot | None:
        texts = [t for t in texts if t]
        if not texts:
            return None
        joined = " ".join(texts)
        if has_date_cell(joined.replace(" ", "")):
            return week_row([joined], self.ctx)
        heading = month_heading(joined, self.ctx)
        if heading is not None and not heading[1]:
            return heading[0]
        found = [m for m in find_mentions(joined, self.ctx) if m.kind not in ("year", "recurring")]
        if found:
            start, end = min(m.start for m in found), max(m.end for m in found)
            return Slot(start, end, joined[:20], "day" if start == end else "range")
        return None

    def _resolve(self, first: int | None, second: int | None, kind: int) -> date | None:
        """One day cell as a date: carried on from the previous day cell where there is one."""
        last = self.last_day
        if kind == 0 and second is not None:
            if last is not None:
                return _next_with_day(last, second)
            if self.month is not None:
                return self._first_day(self.month, second)
            start = self.ctx.period_start
            return _next_with_day(start - timedelta(days=8), second) if start else None
        options: list[tuple[int, int]] = []
        if kind == 2 or (first is not None and second is not None and first <= 12):
            options.append((first or 0, second or 1))  # month first
        if kind == 1 and second is not None and second <= 12 and first is not None:
            options.append((second, first))  # day first (29/8)
        best: tuple[int, date] | None = None
        for month, day in options:
            if not 1 <= month <= 12:
                continue
            if last is not None:
                for year in (last.year, last.year + 1):
                    d = _safe(year, month, day)
                    if d is not None and d > last - timedelta(days=3):
                        gap = (d - last).days
                        if best is None or abs(gap) < best[0]:
                            best = (abs(gap), d)
                        break
                continue
            d = self._first_day(month, day)
            if d is not None and best is None:
                best = (0, d)
        return best[1] if best else None

    def _first_day(self, month: int, day: int) -> date | None:
        """The first dated cell of a table section: in the year its year column gives, else the
        year that puts it nearest the section's start (a grid begins its term: 八月 27 of a
        2017-2018 school year is 2017-08-27, not 2018)."""
        if self.year is not None:
            return _safe(self.year, month, day)
        start = self.ctx.period_start
        if start is None:
            year = resolve_year(month, min(day, 28), self.ctx)
            return _safe(year, month, day) if year else None
        days = [d for y in (start.year - 1, start.year, start.year + 1) if (d := _safe(y, month, day))]
        return min(days, key=lambda d: abs((d - start).days)) if days else None

    def _on_weekday(self, day: int, weekday: int) -> date | None:
        """The first day cell of a weekday grid: the date with that day number that falls on its
        column's weekday, nearest the month its month column names (九 | 26 … may be 26 August or,
        as others print it, 八 | 31 … 31 August) or else the section's start."""
        if self.month is not None:
            anchor = self._first_day(self.month, 15)
        else:
            anchor = self.ctx.period_start
        if anchor is None:
            return None
        found = [
            d
            for k in range(-60, 61)
            if (d := anchor + timedelta(days=k)).day == day and d.weekday() == weekday
        ]
        return min(found, key=lambda d: abs((d - anchor).days)) if found else None

    def _weekday_span(self, day_cells: list[tuple[str, int]]) -> Slot | None:
        days: list[date] = []
        parsed_cells = [(p, wd) for p, wd in ((_parse_day(c), wd) for c, wd in day_cells) if p is not None]
        for k, (parsed, weekday) in enumerate(parsed_cells):
            last = self.last_day
            d = self._on_weekday(parsed[1], weekday) if last is None and parsed[2] == 0 else None
            if d is None:
                d = self._resolve(*parsed)
            far = parsed[2] == 0 and last is not None and (d is None or (d - last).days > 7)
            if far and k > 0:
                # Day cells of a week row follow each other: a misprinted day (30 for 31, a 31st
                # of June) is the day after the one before it, not a date a month on.
                d = last + timedelta(days=1)
            elif far and k + 1 < len(parsed_cells) and parsed_cells[k + 1][0][2] == 0 and last is not None:
                # A row's first cell misprinted (30 | 1 2 3 … after a week ending on the 30th): the
                # day before the next cell, where that one follows the rows above.
                after = _next_with_day(last, parsed_cells[k + 1][0][1])
                if after is not None and (after - last).days <= 8:
                    d = after - timedelta(days=1)
            if d is None:
                continue
            days.append(d)
            self.last_day = d
        if not days:
            return None
        start, end = min(days), max(days)
        return Slot(start, end, self.week_label, "week" if (end - start).days >= 4 else "day")

    # ------------------------------------------------------------------ rows

    def row(self, ln: Line) -> Entry | list[Entry] | Slot | None:
        """Entries for a row of work, a Slot for a row that only dates what follows, or None."""
        result = self._row(ln)
        for e in result if isinstance(result, list) else [result]:
            if isinstance(e, Entry):
                e.weeks = self.weeks  # filled on as the section's week rows are read
        return result

    def _row(self, ln: Line) -> Entry | list[Entry] | Slot | None:
        cells = ln.cells or []
        header = self._header(cells)
        if header is not None:
            self.roles, self.carry = header, None
            self.first_day_column = _first_weekday(header)
            self.unit_heads = self._unit_heads(cells, header)
            self.start_section(self.ctx)
            self.dated = False
            return None
        if self.roles is None and cells and _is_grid_label(header_role(cells[0])):
            return None  # a row of a grid laid out sideways (星期一 | 13 | 20 | …): dates, no work
        if self.roles is None and cells and header_role(cells[0]) in ("task", "detail") and any(cells[1:]):
            # 特殊事项 | 8月19日 …: the row's label in the first column, its entry after it
            ln = Line(ln.no, ln.orig, ln.text, ["", *cells[1:]], ["", *(ln.orig_cells or cells)[1:]])
            cells = ln.cells or []
        roles = self.roles or [self._guess(c) for c in cells]
        guessed = self.roles is None
        time_texts, task, detail, units, co_units, day_cells = [], [], [], [], [], []
        by_office: list[tuple[int, str]] = []
        task_at: list[int] = []
        detail_at: list[int] = []
        day_of_week: int | None = None
        day_number: int | None = None
        row_week = ""
        has_task_column = "task" in roles or bool(self.unit_heads)
        first_day_column = _first_weekday(roles) if guessed else self.first_day_column  # one per header
        if first_day_column is not None and not self.dated and self._header_piece(cells, roles):
            return None  # the header's words written down its cells (年 / 份, 教 / 学 / 周)
        for idx, cell in enumerate(cells):
            role = roles[idx] if idx < len(roles) else None
            if not cell:
                continue
            if role is None and first_day_column is not None and idx < first_day_column:
                m = _WEEK_LABEL.match(cell.replace(" ", ""))
                n = cn_number(m.group(1)) if m else None
                if n is not None:
                    self.week_label = row_week = f"第{n}周"
                    continue
                if self._grid_label(cell):
                    continue
            if idx in self.unit_heads:
                by_office.append((idx, cell))
            elif role is not None and role.startswith("weekday:"):
                day_cells.append((cell, int(role.split(":")[1])))
            elif role == "week":
                m = _WEEK_CELL.match(cell.replace(" ", ""))
                n = cn_number(m.group(1)) if m else None
                if n is not None:
                    self.week_label = row_week = f"第{n}周"
                    continue
                time_texts.append(cell)
            elif role == "time" and cell.replace(" ", "").isdigit() and 1 <= int(cell.replace(" ", "")) <= 31:
                day_number = int(cell.replace(" ", ""))  # 月 | 日 in two columns, the month merged down
            elif role == "time":
                m = _MONTH_CELL.match(cell.replace(" ", ""))
                value = cn_number(m.group(1)) if m else None
                if value is not None and 1 <= value <= 12:
                    self.month = value
                    if first_day_column is None:  # no weekday column
                        time_texts.append(cell)
                    continue
                time_texts.append(cell)
            elif role == "weekday_name":
                weekday = WEEKDAY_HEADERS.get(cell.replace(" ", "").lower())
                if weekday is not None:
                    day_of_week = weekday
                continue
            elif role in ("seq", "progress", "theme", "term"):
                continue
            elif role == "units":
                units.extend(split_units(cell))
            elif role == "co_units":
                co_units.extend(split_units(cell))
            elif role == "detail":
                detail.append(cell)
                detail_at.append(idx)
            elif not _is_text(cell):
                if self.roles is None:
                    time_texts.append(cell)  # a day number, a month name or a week label
                # under a header, an unnamed column of numbers (a small month calendar) is no date
            else:
                task.append(cell)
                task_at.append(idx)
        own = None
        if day_number is not None and self.month is not None:
            d = self._resolve(self.month, day_number, 2)
            if d is not None:
                self.last_day = d
                own = Slot(d, d, cells[0], "day")
        elif day_cells:
            own = self._weekday_span(day_cells)
        elif time_texts:
            own = self._slot_of(time_texts)
            if own is not None and row_week:
                own.label = row_week  # the week column names the row (第一周 → 第1周)
        if own is not None:
            self.carry = own
            self.dated = True
            week_no = cn_number(row_week[1:-1]) if row_week else None
            if week_no is not None and own.kind == "week":
                self.weeks[week_no] = own
        if day_of_week is not None and self.carry is not None and self.carry.kind == "week":
            week = self.carry
            monday = week.start - timedelta(days=week.start.weekday())
            day = monday + timedelta(days=day_of_week)
            if week.start <= day <= week.end:
                own = Slot(day, day, cells[0], "day")
        # A row whose first cell is empty and that dates nothing of its own continues the row
        # above; its text joins the entry above in the same column unless it starts an entry of
        # its own (a date, a list number). A weekday grid's 记事 cell lists events one a line.
        grid = first_day_column is not None  # a weekday column
        continuing = bool(cells) and not cells[0] and own is None and self.roles is not None
        continuing = continuing and not units and not co_units  # its own units: an entry of its own
        orig_cells = ln.orig_cells or cells

        def joined(idx: int, cell: str, allow: bool) -> bool:
            prev = self.previous.get(idx)
            if not (continuing and allow and prev is not None) or _STARTS_ENTRY.match(cell) or bullet(cell):
                return False
            prev.add(orig_cells[idx] if idx < len(orig_cells) else cell, cell)
            return True

        if not continuing:
            self.previous = {}
        if by_office:
            by_office = [(idx, cell) for idx, cell in by_office if not joined(idx, cell, True)]
            entries = []
            for idx, cell in by_office:
                e = Entry("row", ln.no, [orig_cells[idx]], [cell], self.carry)
                e.units = [t2s(self.unit_heads[idx])]
                e.guessed = guessed
                entries.append(e)
                self.previous[idx] = e
            return entries
        if task and len(task_at) == 1 and joined(task_at[0], task[0], not grid):
            return None
        if not task and has_task_column:
            detail = []  # remarks beside an empty task cell are no work of their own
        if not task and not detail:
            return own
        slot = own if own is not None and own.kind == "day" and day_of_week is not None else self.carry
        orig_cells = ln.orig_cells or cells
        pieces = [p for i, c in zip(task_at, task, strict=True) for p in _cell_entries(orig_cells[i], c)]
        if len(pieces) > 1:
            entries = []
            for orig, text in pieces:
                e = Entry("row", ln.no, [orig], [text], slot, marker_len=_marker_len(text))
                e.units = [u for u in units + co_units if u]
                e.guessed = guessed
                entries.append(e)
            return entries
        text = " ".join(task + detail)
        entry = Entry("row", ln.no, [text], [text], slot, marker_len=_marker_len(text))
        if len(task_at) == 1:
            self.previous = {task_at[0]: entry}
        orig_cells = ln.orig_cells or []
        used = task_at + detail_at
        entry.orig = [" ".join(orig_cells[i] if i < len(orig_cells) else cells[i] for i in used)]
        entry.units = [u for u in units + co_units if u]
        entry.guessed = guessed
        return entry

    def _grid_label(self, cell: str) -> bool:
        """A year or month cell left of a weekday grid's days: remembered, no work."""
        c = cell.replace(" ", "")
        m = _GRID_YEAR.match(c)
        if m:
            value = cn_number(m.group(1))
            if value is not None and 1900 <= value <= 2200:
                self.year = value
                return True
        m = _GRID_MONTH.match(c)
        value = cn_number(m.group(1)) if m else None
        if value is not None and 1 <= value <= 12:
            self.month = value
            return True
        return False

    @staticmethod
    def _header_piece(cells: list[str], roles: list[str | None]) -> bool:
        """A row under a weekday grid's header, before its first dated row, of short pieces in
        unnamed columns only: the rest of a header written down its cells."""
        filled = [
            (c.replace(" ", ""), roles[k] if k < len(roles) else None) for k, c in enumerate(cells) if c
        ]
        return bool(filled) and all(len(c) <= 4 and r is None for c, r in filled)

    def _guess(self, cell: str) -> str | None:
        if not cell:
            return None
        if _SEQ.match(cell):
            return "seq"
        if (
            len(cell) <= 24
            and _ANY_DATE.search(cell)
            and len(re.sub(r"[\d.月日年号至到\-—~|()/周第星期一二三四五六日天]", "", cell)) <= 2
        ):
            return "time"
        if len(cell) <= 40 and unit_only(cell, self.vocabulary):
            return "units"
        return "task"
