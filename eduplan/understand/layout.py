"""Layout: logical lines to entries — schedule rows under week/month slots, bullets,
numbered measures (sections vs items), table rows with their columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from eduplan.understand.dayrows import DayRows
from eduplan.understand.entries import Entry
from eduplan.understand.factwords import SHORT_TITLE_WORDS, STRONG_TITLE_WORDS
from eduplan.understand.headingwords import section_kind
from eduplan.understand.lines import Line
from eduplan.understand.markers import NOTE_PREFIXES, bullet, numbering
from eduplan.understand.period import title_period
from eduplan.understand.slots import (
    Slot,
    has_date_cell,
    is_connector,
    is_slot_line,
    month_heading,
    next_week_label,
    week_row,
)
from eduplan.understand.tables import TableReader
from eduplan.understand.tablewords import header_role
from eduplan.understand.timex import TimeContext, find_mentions
from eduplan.understand.units import unit_only
from eduplan.understand.unitwords import CO_RESPONSIBLE_HEADERS, RESPONSIBLE_HEADERS

_DOTTED_DATE = re.compile(r"\d\.\d")
_ENDS_WITH_DATE = re.compile(r"\d\.\d{1,2}$")
_ROW_NUMBER = re.compile(r"^\d{1,3}[.、]?$")
_PLAN_HEADER = re.compile(r"(?:篇\s*[一二三四五六七八九十\d]+|第[一二三四五六七八九十\d]+篇)$")
_HEADER_HINTS = ("工作要点", "工作内容", "内容", "要求", "说明", "日期", "时间", "周次", "序号", "月份")


@dataclass
class Layout:
    entries: list[Entry]
    slots: list[Slot]
    plan_headers: int
    unit_column: bool
    warnings: list[str]
    dated_headings: bool = False  # month headings that wrote their year (2022 Oct)


_HEADS = RESPONSIBLE_HEADERS + CO_RESPONSIBLE_HEADERS
# Whether a text holds any of the words, in one search (``any(w in t for w in words)``).
_ANY_HEAD = re.compile("|".join(map(re.escape, _HEADS)))
_ANY_HINT = re.compile("|".join(map(re.escape, _HEADER_HINTS)))


def _has_unit_column(lines: list[Line], vocabulary: set[str]) -> bool:
    for ln in lines:
        t = ln.text.replace(" ", "")
        if len(t) <= 40 and _ANY_HEAD.search(t) and (t in _HEADS or _ANY_HINT.search(t)):
            return True
    units = 0
    for ln in lines:
        if len(ln.text) <= 30 and unit_only(ln.text, vocabulary):
            units += 1
            if units >= 3:
                return True
    return False


_CONTINUING = ("、", ";", ",", "；", "，", "和", "及", "与")


def _continues(text: str) -> bool:
    """Whether a line stops where its sentence goes on (after 、 ; , or a joining word)."""
    return text.rstrip().endswith(_CONTINUING)


def header_words(text: str) -> str | None:
    """The column role of a line that is only a header word (周次, 备注, 周主题 …)."""
    t = text.strip()
    if len(t) > 8:
        return None
    role = header_role(t)  # remembered per cell; numbering is asked only of a header word
    return None if role is None or numbering(t) else role


_SCHOOL_YEAR = re.compile(r"(?:19|20)\d\d\s*[-—–~至/]+\s*(?:19|20)?\d\d|学年|学期")


_YEAR_LABEL = re.compile(
    r"^\s*(?:19|20)\d\d\s*[-—–~至/]+\s*(?:19|20)?\d\d\s*(?:学年度?)?\s*(?:第[一二12]学期|[上下]学期)?\s*$"
)
# A school calendar's title ends in one of its own title words (校历, 行事历, 教学日历 …).
_CALENDAR_TITLE_ENDS = (*SHORT_TITLE_WORDS, "行事历表")


@lru_cache(maxsize=8192)
def section_period(text: str) -> tuple | None:
    """The school year or term a short title-like line names (2017-2018, …第二学期校历)."""
    # the one search first: few lines name a school year, and numbering and bullet cost more
    if len(text) > 40 or not _SCHOOL_YEAR.search(text) or numbering(text) or bullet(text):
        return None
    if not (_YEAR_LABEL.match(text) or text.rstrip().endswith(_CALENDAR_TITLE_ENDS)):
        return None  # a task that names a school year (开展2018-2019学年度…评比) is no heading
    return title_period(text)


def _header_blocks(lines: list[Line], min_run: int = 3) -> dict[int, str]:
    """The role of each line in a run of at least ``min_run`` header-word lines (a flattened
    header), by line index."""
    found: dict[int, str] = {}
    run: dict[int, str] = {}
    for k, ln in enumerate([*lines, None]):
        role = header_words(ln.text) if ln is not None and ln.cells is None else None
        if role:
            run[k] = role
            continue
        if len(run) >= min_run:
            found.update(run)
        run = {}
    return found


def _beside_task(text: str, roles: set[str], slot: Slot, entries: list[Entry]) -> bool:
    """Under a flattened header with a task column: a short line before the row's first task
    line is its theme; a short line after it is a remark."""
    if "task" not in roles or len(text) > 14 or _continues(text):
        return False
    started = any(e.slot is slot for e in entries[-12:])
    if not started:
        return "theme" in roles
    return "detail" in roles


def _is_fragment(text: str) -> bool:
    """A line of one character (or one character and a dot) is a piece of a label, not work."""
    core = text.strip(" ・·.。")
    return len(core) <= 1 and not core.isdigit()


def is_plan_header(text: str) -> bool:
    """A heading that starts another plan on a compilation page (…计划 篇2)."""
    return len(text) <= 40 and bool(_PLAN_HEADER.search(text)) and not numbering(text)


_TITLE_PUNCT = re.compile(r"[。;,!?:]")
_TITLE_YEAR = re.compile(r"(?:19|20)\d\d|[xX]{2}")


@lru_cache(maxsize=8192)
def is_title_line(text: str) -> bool:
    """A document title or annex heading inside the text: it closes whatever came before."""
    if text.rstrip(":").endswith("附件") and len(text) <= 8:
        return True
    # the searches first (few lines name a year and a title word), numbering last
    return (
        8 <= len(text) <= 40
        and _TITLE_YEAR.search(text) is not None
        and any(w in text for w in STRONG_TITLE_WORDS)
        and _TITLE_PUNCT.search(text) is None
        and not numbering(text)
    )


def read_layout(lines: list[Line], ctx: TimeContext, vocabulary: set[str]) -> Layout:
    entries: list[Entry] = []
    slots: list[Slot] = []
    warnings: list[str] = []
    unit_column = _has_unit_column(lines, vocabulary)
    table = TableReader(ctx, vocabulary)
    day_rows = DayRows(lines, ctx)
    section_ctx = ctx  # the span of the sheet or term being read, where it names its own
    flat_roles: set[str] = set()  # column roles of a header flattened one cell per line
    header_block = _header_blocks(lines)
    label_kind: str | None = None  # an unnumbered heading (总体目标:) over the numbered list below
    label_rank: float | None = None
    slot: Slot | None = None
    slot_floor: float | None = None  # numbered headings at or above this rank close the slot
    last_rank: float | None = None
    current: Entry | None = None
    pending_row = False
    last_numbered: Entry | None = None
    boundary = False  # the next entry starts another plan or an annex
    table_slot = False  # the slot was opened by a table row
    before_table: Slot | None = None
    plan_headers = 0
    i = 0
    n = len(lines)

    notes = False  # under a notes label (说明：1.…)

    def push(e: Entry) -> Entry:
        nonlocal current, pending_row, boundary
        e.restart, boundary = boundary, False
        e.note = notes
        if section_ctx is not ctx:
            e.ctx = section_ctx
        entries.append(e)
        current, pending_row = e, False
        return e

    def open_entry(kind: str, ln: Line, orig: str, text: str, rank=None, marker_len=0) -> Entry:
        return push(Entry(kind, ln.no, [orig], [text], slot, rank, marker_len))

    while i < n:
        ln = lines[i]
        t = ln.text
        i += 1
        if ln.cells is not None:
            notes = False
            row = table.row(ln)
            if row is not None:
                if isinstance(row, Slot):
                    if not table_slot:
                        before_table, table_slot = slot, True
                    slot, current = row, None
                    slots.append(row)
                else:
                    for e in row if isinstance(row, list) else [row]:
                        e.slot = e.slot or slot
                        if e.slot is not None and (not slots or slots[-1] is not e.slot):
                            slots.append(e.slot)
                        push(e)
                    current = None  # a table row takes no continuation lines
            continue
        if table_slot:  # prose after a table is not under the table's last row
            slot, table_slot = before_table, False
        term = section_period(t)
        if term is not None and term != (section_ctx.period_start, section_ctx.period_end):
            # A sheet or term of its own (2018-2019, …第二学期校历): its dates resolve in its span.
            section_ctx = replace(ctx, period_start=term[0], period_end=term[1], default_year=term[0].year)
            table.start_section(section_ctx)
            day_rows.ctx = section_ctx
            slot, current = None, None
            if not is_title_line(t):
                continue
        label = _NOTE_LABEL.match(t)
        if label is not None:
            notes, slot, current = True, None, None
            t = t[label.end() :]
            ln = Line(ln.no, ln.orig[label.end() :], t)
            if not t.strip():
                continue
        plan_header = is_plan_header(t)
        if plan_header or (not bullet(t) and is_title_line(t)):
            notes = False
            plan_headers += plan_header
            slot, slot_floor, last_rank, current, last_numbered = None, None, None, None, None
            pending_row, boundary = False, True
            continue
        anchor = day_rows.anchor(i - 1)
        if anchor is not None:
            slot, slot_floor, current, pending_row = anchor.slot, None, None, False
            if anchor.slot is not None:
                slots.append(anchor.slot)
            rest = anchor.rest.strip()
            if rest and slot is not None:
                at = ln.text.index(rest, anchor.offset)
                open_entry("plain", ln, ln.orig[at : at + len(rest)], rest)
            continue
        if i - 1 in header_block:
            flat_roles.add(header_block[i - 1])
            continue
        # A calendar row's date cell, possibly spread over several lines (2.21 / | / 2.27).
        if has_date_cell(t):
            # Take the connector lines after it, up to and including the line with the end date;
            # a first line that already ends in a date followed by another date is a row of its own.
            cell = [t]
            while (
                i < n
                and lines[i].cells is None
                and (is_slot_line(lines[i].text) or is_connector(lines[i].text))
            ):
                dated = _DOTTED_DATE.search(lines[i].text) is not None
                if dated and len(cell) == 1 and _ENDS_WITH_DATE.search(t):
                    break
                cell.append(lines[i].text)
                i += 1
                if dated:
                    break
            new = week_row(cell, ctx)
            if new is None:
                warnings.append(f"第{ln.no}行：看似行事历的日期格，但无法读出日期：{ln.orig[:30]}")
                continue
            if not new.label and new.kind == "week":
                new.label = next_week_label(slots)
            slot, slot_floor, current, pending_row = new, None, None, False
            slots.append(new)
            continue
        if is_connector(t) or (t.isdigit() and i < n and is_connector(lines[i].text)):
            continue  # a month cell's fragments (2 / | / 3)
        heading = month_heading(t, ctx)
        if heading is not None:
            slot, rest = heading
            slots.append(slot)
            slot_floor, current, pending_row = last_rank, None, False
            if last_numbered is not None and last_rank is not None:
                last_numbered.children += 1  # the heading that owns this schedule is a section
            if not rest:
                continue
            offset = len(t) - len(rest)
            ln = Line(ln.no, ln.orig[offset:], rest)
            t = rest
        if _ROW_NUMBER.match(t) and (slot is not None or unit_column):
            current, pending_row = None, True
            continue
        if unit_column and (slot is not None or pending_row) and len(t) <= 40:
            names = unit_only(t, vocabulary)
            if names:
                if current is not None and current.slot is slot and not pending_row:
                    current.unit_lines.extend(names)
                continue
        b = bullet(t)
        if b:
            open_entry("bullet", ln, ln.orig[b:], t[b:])
            continue
        marker = numbering(t)
        if marker is not None and current is not None and current.kind == "bullet" and slot is not None:
            marker = None  # requirements numbered inside a calendar entry belong to it
        if marker is not None and len(t) > marker.length:
            if slot is not None and slot_floor is not None and marker.rank <= slot_floor:
                slot, slot_floor = None, None
            if slot is None:
                last_rank = marker.rank
            e = open_entry("numbered", ln, ln.orig, t, marker.rank, marker.length)
            if slot is None:
                last_numbered = e
            if label_kind is not None:
                label_rank = marker.rank if label_rank is None else label_rank
                if marker.rank < label_rank:
                    label_kind = None
                else:
                    e.non_item = label_kind == "non_item"
                    e.under_goal = label_kind == "goal"
            continue
        heading_kind = section_kind(t) if len(t) <= 12 and t.rstrip().endswith((":", "：")) else None
        if heading_kind:
            label_kind, label_rank = heading_kind, None  # 总体目标: over a numbered list
            current = None
            continue
        if pending_row:
            open_entry("row", ln, ln.orig, t)
            continue
        dated = dated_row(ln, ctx, vocabulary)
        if dated is not None:
            slots.append(dated.own)
            push(dated)
            continue
        if slot is not None and flat_roles and _beside_task(t, flat_roles, slot, entries):
            continue  # a theme or remark cell of a table flattened one cell per line
        if slot is not None and _is_fragment(t):
            continue  # one character of a label written down the cell (春 / 启 / 新 / 程)
        if slot is not None and (current is None or current.kind == "plain" or current.slot is not slot):
            if current is not None and current.slot is slot and _continues(current.text[-1]):
                current.add(ln.orig, t)  # a cell's text wrapped after 、 ; , (one entry)
                continue
            if any(e.slot is slot and e.text == [t] for e in entries[-8:]):
                continue  # the same line printed twice in one row
            open_entry("plain", ln, ln.orig, t)
            continue
        if current is not None:
            current.add(ln.orig, t)
    _mark_children(entries)
    return Layout(entries, slots, plan_headers, unit_column, warnings, day_rows.year is not None)


# The notes under a table (说明：1.…, 附注：1.…) describe the document; a note that dates
# something of its own (相關說明備註 1. 1/20休業式) is still a schedule entry.
_NOTE_LABEL = re.compile(
    r"^\s*(?:相关)?(?:" + "|".join(sorted(NOTE_PREFIXES, key=len, reverse=True)) + r")\s*[:：]\s*",
    re.IGNORECASE,
)
_LEADING_DATE_KINDS = frozenset({"day", "range", "month_part"})
_WEEKDAY = re.compile(r"^\s*[(（]?\s*(?:周|星期|礼拜)[一二三四五六日天]\s*[)）]?")


def dated_row(ln: Line, ctx: TimeContext, vocabulary: set[str]) -> Entry | None:
    """A calendar line with one row per date: ``3月5日(周日) 学雷锋活动启动 团委、各学校``."""
    t = ln.text
    found = find_mentions(t[:30], ctx)
    if not found or found[0].begin > 0 or found[0].kind not in _LEADING_DATE_KINDS:
        return None
    lead = found[0]
    rest_at = lead.stop
    weekday = _WEEKDAY.match(t[rest_at:])
    if weekday:
        rest_at += weekday.end()
    gap = len(t[rest_at:]) - len(t[rest_at:].lstrip(" :\t\u3000"))
    labelled = weekday or lead.weekday is not None or t[rest_at - 1 : rest_at].isspace()
    if gap == 0 and not labelled:
        return None  # "3月底前,各校要…" is a sentence, not a dated row
    rest_at += gap
    text = t[rest_at:]
    if len(text) < 4 or not re.match(r"[\u4e00-\u9fff“《\"【\[(（「『]", text):
        return None
    own = Slot(lead.start, lead.end, t[: lead.stop].strip(), "day" if lead.start == lead.end else "range")
    entry = Entry("row", ln.no, [ln.orig[rest_at:]], [text], None, own=own)
    head, _, last = text.rpartition(" ")
    names = unit_only(last, vocabulary) if head.strip() else None
    if names:
        entry.text, entry.orig = [head.rstrip()], [ln.orig[rest_at : rest_at + len(head)].rstrip()]
        entry.units = names
    return entry


def _mark_children(entries: list[Entry]) -> None:
    """Count children of numbered entries: the deeper numbered entries that follow, within one plan.
    (A heading that owns a month schedule is counted when the schedule's first heading is read.)"""
    stack: list[Entry] = []
    kind_of: dict[int, str | None] = {}  # by id: a heading's kind, asked once however many children

    def kind(s: Entry) -> str | None:
        key = id(s)
        if key not in kind_of:
            kind_of[key] = section_kind(s.text[0][s.marker_len :])
        return kind_of[key]

    for e in entries:
        if e.restart:
            stack.clear()
        if e.kind == "numbered" and e.rank is not None:
            while stack and stack[-1].rank is not None and stack[-1].rank >= e.rank:
                stack.pop()
            if stack:
                stack[-1].children += 1
                kinds = {kind(s) for s in stack}
                e.non_item = e.non_item or "non_item" in kinds
                e.under_goal = e.under_goal or "goal" in kinds
            stack.append(e)
