"""Header words of schedule and task tables, as data: which column holds what.

A header cell is given a role by the words below (folded text: simplified script, half-width,
spaces removed). Header words are a prior, not a gate: ``tables.py`` also reads a column's
role from what its cells hold. Order matters: the first role whose word fits wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import lru_cache

from eduplan.understand.timewords import ENGLISH_WEEKDAYS
from eduplan.understand.unitwords import CO_RESPONSIBLE_HEADERS, RESPONSIBLE_HEADERS

# Weekday column headers, Monday = 0. Single characters are taken only as a whole cell.
WEEKDAY_HEADERS: dict[str, int] = {
    **{f"{p}{d}": i for p in ("周", "星期", "礼拜") for i, d in enumerate("一二三四五六日")},
    "周天": 6,
    "星期天": 6,
    **{d: i for i, d in enumerate("一二三四五六日")},
    "天": 6,
    **ENGLISH_WEEKDAYS,
}

COLUMN_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("co_units", CO_RESPONSIBLE_HEADERS),
    ("units", RESPONSIBLE_HEADERS),
    ("seq", ("序号", "编号", "序")),
    ("theme", ("月主题", "周主题", "主题", "活动主题", "工作主题")),
    ("term", ("学期", "学段", "学期名称")),
    ("week", ("周次", "周别", "周数", "教学周", "周序", "周")),
    ("weekday_name", ("星期", "周几")),
    (
        "time",
        (
            "起止日期",
            "起止时间",
            "日期",
            "时间",
            "月份",
            "时限",
            "完成时限",
            "完成时间",
            "时间节点",
            "时间安排",
            "上课时间",
            "上课日期",
            "月",
            "日",
        ),
    ),
    ("progress", ("进展情况", "完成情况", "进度", "落实情况", "执行情况")),
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
            "备考",
            "附注",
            "工作措施",
            "具体措施",
            "措施",
            "目标",
            "授课方式",
            "作业",
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
            "活动及内容",
            "具体内容",
            "授课内容",
            "内容",
            "任务",
            "事项",
            "摘要事项",
            "记事",
            "记载",
            "大事记",
            "重要行事",
            "行事内容",
            "行事",
            "校园大事",
            "项目",
            "工作安排",
            "活动安排",
            "活动",
            "工作",
        ),
    ),
)

_SPACES = re.compile(r"[\s\u3000]+")
# A row label, not a header: 九月, 十一月份, 第三周, 预备周.
_LABEL = re.compile(r"^(?:[一二三四五六七八九十]{1,3}月份?|第[一二三四五六七八九十]{1,3}周|预备周)$")


LEARNED_HEADERS: ContextVar[dict[str, str] | None] = ContextVar("learned_headers", default=None)
"""Header meanings a bureau's clerk taught (folded header → role), set by ``understand(hints=…)``
for one reading; they come before the words above."""


def header_key(cell: str) -> str:
    """A header cell folded as the roles are looked up (spaces and table bars removed)."""
    return "".join(cell.split()).strip(":|｜").lower()  # split() drops what _SPACES matches


def header_role(cell: str) -> str | None:
    """The role of a header cell, or None: ``weekday:N`` for a weekday column."""
    learned = LEARNED_HEADERS.get()
    if learned:
        role = learned.get(header_key(cell))
        if role:
            return role
    return _word_role(cell)


def header_roles(cells: Iterable[str]) -> list[str | None]:
    """``[header_role(c) for c in cells]``, the taught meanings looked up once for the row."""
    if LEARNED_HEADERS.get():
        return [header_role(c) for c in cells]
    return list(map(_word_role, cells))


def header_lookup() -> Callable[[str], str | None]:
    """``header_role`` for the reading under way: the word roles alone where none were taught."""
    return header_role if LEARNED_HEADERS.get() else _word_role


# Each header word with the first role (in COLUMN_ROLES order) that lists it, by its place.
_WORD_ROLES: dict[str, tuple[int, str]] = {
    word: (rank, role) for rank, (role, words) in reversed(list(enumerate(COLUMN_ROLES))) for word in words
}


def _words_role(h: str) -> str | None:
    """The first role of COLUMN_ROLES with a word in ``h`` that leaves at most three characters
    of ``h`` over: the pieces of ``h`` that long (ten at most) looked up, not every word scanned."""
    n = len(h)
    best: tuple[int, str] | None = None
    for size in range(max(1, n - 3), n + 1):
        for at in range(n - size + 1):
            found = _WORD_ROLES.get(h[at : at + size])
            if found is not None and (best is None or found[0] < best[0]):
                best = found
    return best[1] if best is not None else None


@lru_cache(maxsize=16384)
def _word_role(cell: str) -> str | None:
    h = header_key(cell)
    if not h or len(h) > 12 or any(ch.isdigit() for ch in h) or _LABEL.match(h):
        return None
    if h in WEEKDAY_HEADERS:
        return f"weekday:{WEEKDAY_HEADERS[h]}"
    return _words_role(h)


_HEADER_WORDS: tuple[str, ...] = tuple(
    sorted({w for _, words in COLUMN_ROLES for w in words if len(w) >= 2}, key=len, reverse=True)
)
# The first of _HEADER_WORDS (longest first) that starts at a position: an alternation tries its
# branches in order, as a scan of the tuple would, in one call.
_HEADER_WORD_AT = re.compile("|".join(map(re.escape, _HEADER_WORDS)))


@lru_cache(maxsize=4096)
def only_header_words(text: str) -> bool:
    """Whether a line is nothing but three or more header words (月份 周次 日 期 行 事 内 容): a
    table's header printed again as text (on a new page), not an entry."""
    h = "".join(text.split()).lower()
    count, at = 0, 0
    while at < len(h):
        word = _HEADER_WORD_AT.match(h, at)
        if word is None:
            return False
        count, at = count + 1, word.end()
    return count >= 3
