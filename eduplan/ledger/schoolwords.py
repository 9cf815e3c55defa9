"""Schools' types and the collective names documents give groups of schools (data, not code).

A school's type says which stages (学段) it teaches; a standard group (各小学, 各中学 …) takes
every school teaching one of its stages. Decisions, each one line of a table below:

* 九年一贯制 teaches 小学 and 初中, so it is one of 各小学, 各初中 and 各中学; 十二年一贯制 adds 高中;
  完全中学 is 初中 and 高中 (各中学, 各初中, 各高中), never 各小学.
* 各中学 and 各中小学 mean the general schools (普通中小学): a 中职 school is reached by 各学校 or
  各职业学校, not by 各中学; a 特殊教育 school by 各学校 or by name.
* A school whose type nobody has set yet belongs to 各学校 only.
* A bare 中学 in a school's name is guessed 初中 (a county's 城关中学 usually is); an
  administrator sets 完全中学 where it is one. 一中/二中 tell nothing and are left unset.
"""

from __future__ import annotations

SCHOOL_TYPES: dict[str, str] = {
    "kindergarten": "幼儿园",
    "primary": "小学",
    "junior": "初中",
    "senior": "高中",
    "complete": "完全中学",
    "nine_year": "九年一贯制",
    "twelve_year": "十二年一贯制",
    "vocational": "中职",
    "special": "特殊教育",
}
"""Type key → the label people read."""

TYPE_STAGES: dict[str, frozenset[str]] = {
    "kindergarten": frozenset({"preschool"}),
    "primary": frozenset({"primary"}),
    "junior": frozenset({"junior"}),
    "senior": frozenset({"senior"}),
    "complete": frozenset({"junior", "senior"}),
    "nine_year": frozenset({"primary", "junior"}),
    "twelve_year": frozenset({"primary", "junior", "senior"}),
    "vocational": frozenset({"vocational"}),
    "special": frozenset({"special"}),
}
"""The stages (学段) each type of school teaches."""

ALL = "all"
STANDARD_GROUPS: dict[str, tuple[str, frozenset[str] | None]] = {
    ALL: ("各学校", None),  # None: every school, typed or not
    "k12": ("各中小学", frozenset({"primary", "junior", "senior"})),
    "compulsory": ("各义务教育学校", frozenset({"primary", "junior"})),
    "primary": ("各小学", frozenset({"primary"})),
    "secondary": ("各中学", frozenset({"junior", "senior"})),
    "junior": ("各初中", frozenset({"junior"})),
    "senior": ("各高中", frozenset({"senior"})),
    "kindergarten": ("各幼儿园", frozenset({"preschool"})),
    "k12_kindergarten": ("各中小学幼儿园", frozenset({"preschool", "primary", "junior", "senior"})),
    "vocational": ("各职业学校", frozenset({"vocational"})),
}
"""Group key → (its usual name, the stages whose schools it takes)."""

GROUP_NAME_PREFIXES: tuple[str, ...] = ("全县", "全区", "全市", "全镇", "全乡", "所有", "各")
"""Stripped (repeatedly) from a collective name before its core word is looked up:
全县各中小学 → 中小学."""

GROUP_WORDS: dict[str, str] = {
    "学校": ALL,
    "校": ALL,
    "校园": ALL,
    "学校幼儿园": ALL,
    "校园所": ALL,
    "中小学幼儿园": "k12_kindergarten",
    "中小学校幼儿园": "k12_kindergarten",
    "中小学": "k12",
    "中小学校": "k12",
    "义务教育学校": "compulsory",
    "小学": "primary",
    "完小": "primary",
    "中学": "secondary",
    "中学校": "secondary",
    "初中": "junior",
    "初级中学": "junior",
    "高中": "senior",
    "普通高中": "senior",
    "高级中学": "senior",
    "幼儿园": "kindergarten",
    "园": "kindergarten",
    "公办幼儿园": "kindergarten",
    "职业学校": "vocational",
    "中职学校": "vocational",
    "中等职业学校": "vocational",
}
"""A collective name's core word → its standard group."""

TYPE_SUFFIXES: tuple[tuple[str, str | None], ...] = (
    ("十二年一贯制学校", "twelve_year"),
    ("九年一贯制学校", "nine_year"),
    ("九年制学校", "nine_year"),
    ("完全中学", "complete"),
    ("特殊教育学校", "special"),
    ("特殊教育中心", "special"),
    ("培智学校", "special"),
    ("特校", "special"),
    ("职业技术学校", "vocational"),
    ("职业中学", "vocational"),
    ("职业高中", "vocational"),
    ("职业学校", "vocational"),
    ("职中", "vocational"),
    ("职高", "vocational"),
    ("高级中学", "senior"),
    ("高中", "senior"),
    ("初级中学", "junior"),
    ("初中", "junior"),
    ("中心小学", "primary"),
    ("小学", "primary"),
    ("完小", "primary"),
    ("村小", "primary"),
    ("教学点", "primary"),
    ("幼儿园", "kindergarten"),
    ("一中", None),
    ("二中", None),
    ("三中", None),
    ("中学", "junior"),
)
"""A school name's ending → its type as a first guess (None: the ending tells nothing); the
first ending that matches wins, so longer ones come first."""

SCHOOL_OFFICE_WORDS: tuple[str, ...] = (
    "教务处",
    "德育处",
    "政教处",
    "教导处",
    "总务处",
    "教科室",
    "团委",
    "少先队大队部",
    "少先队",
    "工会",
)
"""Offices inside a school: 城关中学教务处 is 城关中学's own, not one of the bureau's offices."""


def group_key_for(norm: str) -> str | None:
    """The standard group a collective name means (全县各中小学 → k12), None when unknown."""
    core = norm
    stripped = True
    while stripped:
        stripped = False
        for prefix in GROUP_NAME_PREFIXES:
            if core.startswith(prefix) and len(core) > len(prefix):
                core, stripped = core[len(prefix) :], True
    return GROUP_WORDS.get(core)


def guess_school_type(norm: str) -> str | None:
    """A school's type from the ending of its name, None when it tells nothing."""
    for suffix, kind in TYPE_SUFFIXES:
        if norm.endswith(suffix):
            return kind
    return None


def school_office_split(norm: str) -> tuple[str, str] | None:
    """(school name, office word) for a school's own office (城关中学教务处), else None."""
    for word in SCHOOL_OFFICE_WORDS:
        if norm.endswith(word) and len(norm) > len(word):
            return norm[: -len(word)], word
    return None


def stages_of(school_type: str | None) -> frozenset[str]:
    return TYPE_STAGES.get(school_type or "", frozenset())


def in_group(key: str, school_type: str | None) -> bool:
    """Whether a school of ``school_type`` belongs to the standard group ``key``."""
    stages = STANDARD_GROUPS[key][1]
    if stages is None:
        return True
    return bool(stages & stages_of(school_type))
