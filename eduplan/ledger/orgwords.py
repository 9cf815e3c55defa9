"""How a unit's name tells its kind (data, not code): schools, collective names, offices."""

from __future__ import annotations

from eduplan.ledger.schoolwords import school_office_split

# A name starting with one of these names many units at once (各学校, 各中小学, 全县各校).
GROUP_PREFIXES: tuple[str, ...] = ("各", "全县", "全区", "全市", "全镇", "所有", "相关", "有关")

# Endings of school names (after the group check). Longest first.
SCHOOL_SUFFIXES: tuple[str, ...] = (
    "中心学校",
    "中心小学",
    "中心校",
    "幼儿园",
    "学校",
    "小学",
    "中学",
    "完小",
    "初中",
    "高中",
    "一中",
    "二中",
    "三中",
    "职中",
    "职校",
    "特校",
    "教学点",
    "学院",
    "校",
    "园",
)

# Names ending like a school that are offices of the bureau (校安股 ends in 股, fine; these
# end in 校/园 yet are offices or centres).
NOT_SCHOOLS: tuple[str, ...] = ("党校", "进修学校", "教师进修学校", "电大", "少年宫")


def org_kind(norm: str) -> str:
    """``group``, ``school``, ``school_office`` (城关中学教务处: a school's own office) or
    ``office`` for a normalised unit name."""
    if norm.startswith(GROUP_PREFIXES):
        return "group"
    split = school_office_split(norm)
    if split is not None and org_kind(split[0]) == "school":
        return "school_office"
    if norm.endswith(NOT_SCHOOLS):
        return "office"
    if norm.endswith(SCHOOL_SUFFIXES):
        return "school"
    return "office"
