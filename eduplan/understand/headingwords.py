"""Headings whose numbered children are not work items, as data.

A plan's goal list (一、总体目标 1.…2.…), its leadership-group member list and its principles
are numbered like measures but hold no schedulable work (../shared/corpus/README.md). A heading
is such a section when it holds one of ``NON_ITEM_SECTIONS`` and none of ``WORK_WORDS``
(二、目标与任务 still holds tasks).
"""

from __future__ import annotations

# Goal headings: a child that states a quantity (入园率达92.5%) is a goal; a child that is a
# measure (1、强化内部管理…) is still work, as plans often list their aims as tasks.
GOAL_SECTIONS: tuple[str, ...] = ("目标",)

NON_ITEM_SECTIONS: tuple[str, ...] = (
    "指导思想",
    "领导小组",
    "组织机构",
    "基本原则",
    "工作原则",
)

WORK_WORDS: tuple[str, ...] = ("任务", "措施", "举措", "重点", "工作安排", "内容", "步骤", "实施")


def section_kind(heading: str) -> str | None:
    """``"goal"`` or ``"non_item"`` for a heading whose numbered children may not be work."""
    head = heading[:16]
    if any(w in head for w in WORK_WORDS):
        return None
    if any(w in head for w in NON_ITEM_SECTIONS):
        return "non_item"
    if any(w in head for w in GOAL_SECTIONS):
        return "goal"
    return None
