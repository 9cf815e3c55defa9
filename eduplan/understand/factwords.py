"""Words that identify a document's title, issuer and kind, kept as data."""

from __future__ import annotations

# Words a title of this genre contains; the first ones weigh more.
TITLE_WORDS: tuple[str, ...] = (
    "行事历",
    "工作计划",
    "工作要点",
    "工作安排",
    "工作总结",
    "计划",
    "要点",
    "总结",
    "汇编",
    "校历",
    "日程",
    "安排表",
    "方案",
)
# Words strong enough that a short dated line holding one is a title, not a task.
STRONG_TITLE_WORDS: tuple[str, ...] = ("行事历", "工作计划", "工作要点", "工作安排", "工作总结", "计划")
CALENDAR_WORDS: tuple[str, ...] = ("行事历", "校历", "周历", "日程表", "工作日程", "周工作安排")
SUMMARY_WORDS: tuple[str, ...] = ("总结", "述职", "工作报告")
PLAN_WORDS: tuple[str, ...] = ("计划", "要点", "安排", "思路", "方案")
COMPILATION_PATTERNS: tuple[str, ...] = (r"汇编", r"(?:\d+|[一二三四五六七八九十]+)篇$", r"合集", r"精选")
# Endings of an issuing body's name.
ISSUER_SUFFIXES: tuple[str, ...] = (
    "教育和体育局",
    "教育体育局",
    "教育科技局",
    "教育和科技局",
    "教育文化体育局",
    "教育局",
    "教体局",
    "教文体局",
    "教科局",
    "教育厅",
    "教育委员会",
    "教委",
    "教育处",
    "教育办",
    "教育科",
)
# Lines that name the publisher on a web page.
SOURCE_PREFIXES: tuple[str, ...] = ("信息来源", "来源", "发布单位", "发布机构", "发文单位")
# File-name endings scraped pages leave in titles.
FILE_EXTENSIONS: tuple[str, ...] = (".docx", ".doc", ".pdf", ".xlsx", ".xls", ".txt", ".wps")

# Numbered headings that are not work items when they carry no numbered measures of their own.
NON_ITEM_HEADINGS: tuple[str, ...] = (
    "指导思想",
    "总体目标",
    "工作目标",
    "主要目标",
    "目标任务",
    "总体要求",
    "总体思路",
    "工作思路",
    "领导小组",
    "组织机构",
    "基本原则",
    "工作原则",
    "背景",
    "现状",
    "基本情况",
    "主要成绩",
    "存在问题",
    "形势",
    "编制依据",
    "适用范围",
    "指导原则",
    "总的要求",
)
