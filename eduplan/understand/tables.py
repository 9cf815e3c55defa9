"""Rows of real tables (cells kept apart by the reader): columns recognised by their headers,
or, without a header, each cell by what it holds (a date cell, a number, unit names, the task).
"""

from __future__ import annotations

import re

from eduplan.understand.entries import Entry
from eduplan.understand.lines import Line
from eduplan.understand.slots import Slot, has_date_cell, month_heading, week_row
from eduplan.understand.timex import TimeContext, find_mentions
from eduplan.understand.units import split_units, unit_only
from eduplan.understand.unitwords import CO_RESPONSIBLE_HEADERS, RESPONSIBLE_HEADERS

# Column roles by header words; the first role whose word occurs in a header cell wins.
COLUMN_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("co_units", CO_RESPONSIBLE_HEADERS),
    ("units", RESPONSIBLE_HEADERS),
    ("seq", ("序号", "编号", "序")),
    ("week", ("周次", "周别", "周")),
    (
        "time",
        ("起止日期", "起止时间", "日期", "时间", "月份", "时限", "完成时限", "完成时间", "时间节点", "月"),
    ),
    (
        "detail",
        (
            "要求与说明",
            "要求及说明",
            "具体要求",
            "工作要求",
            "要求",
            "说明",
            "备注",
            "工作措施",
            "具体措施",
            "措施",
            "目标",
        ),
    ),
    (
        "task",
        (
            "工作要点",
            "工作内容",
            "主要工作",
            "重点工作",
            "工作任务",
            "工作事项",
            "活动内容",
            "具体内容",
            "内容",
            "任务",
            "事项",
            "项目",
            "工作安排",
            "工作",
        ),
    ),
)
_SEQ = re.compile(r"^\d{1,3}[.、]?$")
_ANY_DATE = re.compile(r"\d{1,2}\.\d{1,2}|\d{1,2}月|\d{4}[-年]")


def _role_of(header: str) -> str | None:
    """The role of a header cell: a short label made mostly of one known header word."""
    h = header.replace(" ", "")
    if not h or len(h) > 12 or any(ch.isdigit() for ch in h):
        return None
    for role, words in COLUMN_ROLES:
        if any(w in h and len(h) - len(w) <= 3 for w in words):
            return role
    return None


class TableReader:
    """Reads table rows one at a time, remembering the header and cells merged downwards."""

    def __init__(self, ctx: TimeContext, vocabulary: set[str]) -> None:
        self.ctx = ctx
        self.vocabulary = vocabulary
        self.roles: list[str | None] | None = None
        self.carry: Slot | None = None

    def _header(self, cells: list[str]) -> list[str | None] | None:
        roles = [_role_of(c) for c in cells]
        named = [r for r in roles if r]
        if len(named) >= 2 and ("task" in named or "units" in named) and len(set(named)) >= 2:
            return roles
        return None

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

    def row(self, ln: Line):
        """An Entry for a row of work, a Slot for a row that only opens a period, or None."""
        cells = ln.cells or []
        header = self._header(cells)
        if header is not None:
            self.roles, self.carry = header, None
            return None
        roles = self.roles or [self._guess(c) for c in cells]
        time_texts, task, detail, units, co_units = [], [], [], [], []
        for idx, cell in enumerate(cells):
            role = roles[idx] if idx < len(roles) else None
            if not cell:
                continue
            if role in ("time", "week"):
                time_texts.append(cell)
            elif role == "seq":
                continue
            elif role == "units":
                units.extend(split_units(cell))
            elif role == "co_units":
                co_units.extend(split_units(cell))
            elif role == "detail":
                detail.append(cell)
            else:
                task.append(cell)
        own = self._slot_of(time_texts) if time_texts else None
        if own is not None:
            self.carry = own
        if not task and not detail:
            return own
        text = " ".join(task + detail)
        entry = Entry("row", ln.no, [text], [text], self.carry)
        orig_cells = ln.orig_cells or []
        entry.orig = [
            " ".join(
                orig_cells[i]
                for i, c in enumerate(cells)
                if c and (roles[i] if i < len(roles) else None) in (None, "task", "detail")
            )
        ]
        entry.units = [u for u in units + co_units if u]
        return entry

    def _guess(self, cell: str) -> str | None:
        if not cell:
            return None
        if _SEQ.match(cell):
            return "seq"
        if (
            len(cell) <= 24
            and _ANY_DATE.search(cell)
            and len(re.sub(r"[\d.月日年号至到\-—~|()周第星期一二三四五六日天]", "", cell)) <= 2
        ):
            return "time"
        if len(cell) <= 40 and unit_only(cell, self.vocabulary):
            return "units"
        return "task"
