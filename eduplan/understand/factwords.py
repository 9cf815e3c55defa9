"""Words that identify a document's title, issuer and kind, kept as data."""

from __future__ import annotations

# Words a title of this genre contains; the first ones weigh more. Matched on folded
# (simplified) text, so 行事曆 and 校曆 are found as 行事历 and 校历.
TITLE_WORDS: tuple[str, ...] = (
    "行事历",
    "工作计划",
    "工作要点",
    "工作安排",
    "工作总结",
    "校历",
    "教学日历",
    "行政历",
    "计划",
    "要点",
    "总结",
    "规划",
    "汇编",
    "日历",
    "周历",
    "日程",
    "安排表",
    "工作思路",
    "方案",
)
# Words strong enough that a short dated line holding one is a title, not a task.
STRONG_TITLE_WORDS: tuple[str, ...] = ("行事历", "工作计划", "工作要点", "工作安排", "工作总结", "计划")
# Title words that make a title on their own, however short the line (校历, 行事曆).
SHORT_TITLE_WORDS: tuple[str, ...] = ("行事历", "校历", "校历表", "日历", "教学日历", "周历", "行政历")
CALENDAR_WORDS: tuple[str, ...] = (
    "行事历",
    "校历",
    "周历",
    "日历",
    "行政历",
    "日程表",
    "工作日程",
    "周工作安排",
)
SUMMARY_WORDS: tuple[str, ...] = ("总结", "述职", "工作报告")
PLAN_WORDS: tuple[str, ...] = ("计划", "要点", "安排", "思路", "方案", "规划")
COMPILATION_PATTERNS: tuple[str, ...] = (r"汇编", r"(?:\d+|[一二三四五六七八九十]+)篇$", r"合集", r"精选")

# Endings of an issuing body's name, by the kind of body. A bureau may be named bare
# (教育局 as a title writes it); a school or an office needs a name before its ending
# (幼儿园 alone is the genre, 轻工幼儿园 is an issuer).
BUREAU_SUFFIXES: tuple[str, ...] = (
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
    "教育部",
    "教育委员会",
    "教委",
    "教育处",
    "教育办",
    "教育科",
)
SCHOOL_SUFFIXES: tuple[str, ...] = (
    "大学",
    "学院",
    "学校",
    "中学",
    "小学",
    "高中",
    "初中",
    "附中",
    "附小",
    "完小",
    "中心校",
    "国中",
    "国小",
    "幼儿园",
    "幼稚园",
    "托儿所",
    "书院",
)
# Offices inside a school or a bureau that issue their own plans (德育处工作计划).
OFFICE_SUFFIXES: tuple[str, ...] = ("处", "办公室", "教研室", "中心", "团委", "大队部")
ISSUER_SUFFIXES: tuple[str, ...] = BUREAU_SUFFIXES
# What stands before a school ending when the words name a kind of school, not one school:
# 中小学, 各学校, 高中, 全县中小学, 上学期小学.
GENERIC_SCHOOL_NAMES: tuple[str, ...] = (
    "中",
    "中小",
    "初",
    "高",
    "普通",
    "职业",
    "民办",
    "公办",
    "农村",
    "乡村",
    "城区",
    "城乡",
    "特殊教育",
    "重点",
    "各",
    "全",
    "本",
    "我",
    "各级各类",
    "市属",
    "县属",
    "区属",
    "直属",
    "所属",
    "相关",
    "有关",
    "示范",
    "实验",
)
# Leading words of a name that make it a group or a reference, not an issuer.
GROUP_PREFIXES: tuple[str, ...] = ("各", "全", "本", "我", "该", "有关", "相关", "所属", "直属")
# School endings that, right after a place (晋江市小学), name the place's schools of that kind.
SCHOOL_KINDS: tuple[str, ...] = ("学校", "中学", "小学", "高中", "初中", "幼儿园", "幼稚园", "国中", "国小")
# Characters that join a list of names (小学、幼儿园; 中学和小学).
LIST_JOINERS: str = "、,和及与"
# Characters that end a place name right before a bureau ending (衢州市教育局).
PLACE_ENDINGS: str = "省市县区州旗盟镇乡"

# Lines that name the publisher on a web page.
SOURCE_PREFIXES: tuple[str, ...] = ("信息来源", "来源", "发布单位", "发布机构", "发文单位")
# Labels a page puts before its title, removed from it.
TITLE_LABELS: tuple[str, ...] = ("文章标题", "标题", "题目", "主题", "Title", "title")
# Labels of page metadata lines, never a title.
META_PREFIXES: tuple[str, ...] = (
    "时间",
    "发布时间",
    "发布日期",
    "日期",
    "作者",
    "浏览",
    "点击",
    "阅读",
    "当前位置",
    "您的位置",
    "所在位置",
    "位置",
    "首页",
    "上一篇",
    "下一篇",
    "相关",
    "推荐",
    "热门",
    "下载",
    "分享",
)
# Endings of a site name that a page glues after its title (…工作计划_稿子365网).
SITE_ENDINGS: tuple[str, ...] = ("网", "网站", "文库", "文档", "平台", "频道", "论坛", "资料", "范文", "官网")
# Verbs of a covering notice that wraps the plan's own title: 关于印发《X》的通知.
ISSUING_VERBS: tuple[str, ...] = ("印发", "转发", "下发", "发布", "公布", "颁发", "报送", "上报")
NOTICE_WORDS: tuple[str, ...] = ("通知", "决定", "函", "通报", "意见", "请示", "报告")
# File-name endings scraped pages leave in titles.
FILE_EXTENSIONS: tuple[str, ...] = (
    ".docx",
    ".doc",
    ".pdf",
    ".xlsx",
    ".xls",
    ".txt",
    ".wps",
    ".et",
    ".md",
    ".pptx",
    ".ppt",
    ".html",
    ".htm",
)

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

# --- the period a title or a heading names (read by eduplan.understand.period) -----------
# Term words and the term they name: 1 = the autumn term that opens the school year
# (September, in Taiwan August, to January), 2 = the spring term (February to July).
TERM_WORDS: dict[str, int] = {
    "第一学期": 1,
    "第1学期": 1,
    "上学期": 1,
    "秋季学期": 1,
    "秋季": 1,
    "秋冬学期": 1,
    "第二学期": 2,
    "第2学期": 2,
    "下学期": 2,
    "春季学期": 2,
    "春季": 2,
    "春夏学期": 2,
}
# Season terms written with a calendar year (2021年春季学期, 2018年夏秋季学期): months of that
# year they cover, (first month, last month, years the last month lies after the first).
SEASON_TERMS: dict[str, tuple[int, int, int]] = {
    "春季学期": (2, 7, 0),
    "春季": (2, 7, 0),
    "春夏学期": (2, 7, 0),
    "夏季学期": (7, 8, 0),
    "夏秋季学期": (7, 1, 1),
    "秋季学期": (9, 1, 1),
    "秋季": (9, 1, 1),
    "秋冬学期": (9, 1, 1),
}
HALF_YEAR_WORDS: dict[str, tuple[int, int]] = {"上半年": (1, 6), "下半年": (7, 12)}
# First month of a school year: mainland 9, Taiwan's 學年度 (ROC years) 8.
SCHOOL_YEAR_START = 9
ROC_SCHOOL_YEAR_START = 8
ROC_OFFSET = 1911
# Words after N年 that make it the length of a multi-year plan (五年发展规划).
PLAN_LENGTH_WORDS: tuple[str, ...] = ("发展规划", "规划", "发展计划", "行动计划", "计划", "行动")
