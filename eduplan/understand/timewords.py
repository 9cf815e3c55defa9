"""Language knowledge for Chinese time expressions, kept as data.

`eduplan.understand.timex` builds its regular expressions and spans from these tables;
adding a word here should not need a code change there.  Text reaching the parser is
already folded (simplified script, half-width ASCII), so only simplified forms appear.
"""

from __future__ import annotations

from eduplan.understand.numerals import CN_DIGITS  # noqa: F401  (re-exported word table)

# --- numerals -------------------------------------------------------------------------

#: Chinese digits (as used in years such as 二〇二一 and in small numbers).

#: Characters that may form a small Chinese number (1..99).
CN_NUMBER_CHARS = "〇零一二两三四五六七八九十廿"

# --- separators -----------------------------------------------------------------------

#: Characters joining the two ends of a range: dash variants, tildes, 至/到, and the
#: vertical bar that calendar rows put between a week's first and last day.
RANGE_DASHES = "-‐‑‒–—―−－~～〜|至到"

#: Characters joining two listed months, as in 八、九月份 (treated as one span).
MONTH_LIST_SEPARATORS = "、,，和及与"

#: Characters joining listed days of one month, as in 2月19日、20日 and 9月2、3日.
DAY_LIST_SEPARATORS = "、,，及和与"

#: Separators inside numeric dates (2021-03-07, 2021.3.7, 2021/3/7).
NUMERIC_DATE_SEPARATORS = "-./"

# --- parts of a month -----------------------------------------------------------------

#: Part-of-month words: (first day, last day); ``None`` as the last day means month end.
MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "上旬": (1, 10),
    "中旬": (11, 20),
    "下旬": (21, None),
    "上中旬": (1, 20),
    "中下旬": (11, None),
    "初": (1, 10),
    "中": (11, 20),
    "底": (21, None),
    "末": (21, None),
}

#: Characters that, right after 月初 / 月中 / 月末, show the word belongs to something else
#: (初中 junior school, 中小学, 中考, 末期 …).
MONTH_PART_BLOCKERS: dict[str, str] = {
    "初": "中一二三四五六七八九十级小高始步",
    "中": "小学职高专心华国央层青幼考期年等外部级旬下",
    "末": "期尾",
    "底": "线数子部层稿",
}

#: Parts of a year: ((first month, first day), (last month, last day)).
YEAR_PARTS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "初": ((1, 1), (1, 31)),
    "底": ((12, 1), (12, 31)),
    "末": ((12, 1), (12, 31)),
    "中": ((6, 1), (7, 31)),
}

#: Halves of a year.
HALF_YEARS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "上半年": ((1, 1), (6, 30)),
    "下半年": ((7, 1), (12, 31)),
}

#: Parts of a quarter or half year written right after it (一季度末, 上半年初), as the share
#: of its months from the first (0) to the last (1): 末 is its last month, 中 the middle.
PERIOD_PARTS: dict[str, tuple[float, float]] = {
    "初": (0.0, 0.0),
    "中": (0.4, 0.6),
    "末": (1.0, 1.0),
    "底": (1.0, 1.0),
}

#: Quarter numbers as written before 季度.
QUARTER_NUMBERS: dict[str, int] = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
}

#: Words meaning "this whole year".
WHOLE_YEAR_WORDS: tuple[str, ...] = ("本年度", "年内", "全年", "今年", "本年")

# --- holidays and terms ---------------------------------------------------------------

#: School holidays: ((first month, day), (last month, day)); a span whose last month is
#: smaller than its first crosses into the next year.
HOLIDAYS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "寒假": ((1, 15), (2, 20)),
    "暑假": ((7, 1), (8, 31)),
    "暑期": ((7, 1), (8, 31)),
}

#: Fixed-date festivals and observance days written by name (solar calendar).
FESTIVALS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "元旦": ((1, 1), (1, 1)),
    "植树节": ((3, 12), (3, 12)),
    "清明节": ((4, 4), (4, 6)),
    "劳动节": ((5, 1), (5, 5)),
    "儿童节": ((6, 1), (6, 1)),
    "建党节": ((7, 1), (7, 1)),
    "教师节": ((9, 10), (9, 10)),
    "国庆节": ((10, 1), (10, 7)),
}

#: Festivals fixed on the lunar calendar: (lunar month, lunar day, length in days).
LUNAR_FESTIVALS: dict[str, tuple[int, int, int]] = {
    "春节": (1, 1, 7),
    "元宵节": (1, 15, 1),
    "端午节": (5, 5, 1),
    "中秋节": (8, 15, 1),
    "重阳节": (9, 9, 1),
}

#: Terms of a calendar year: word -> ((first month, day), (last month, day)); a last month
#: smaller than the first crosses into the next year.
TERMS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "春季学期": ((2, 1), (7, 31)),
    "春学期": ((2, 1), (7, 31)),
    "秋季学期": ((9, 1), (1, 31)),
    "秋学期": ((9, 1), (1, 31)),
}

#: The opening weeks of a term when written as 春季开学 / 秋季开学 (low confidence).
TERM_OPENINGS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "春季开学": ((2, 10), (3, 10)),
    "秋季开学": ((8, 25), (9, 15)),
}

#: Which term of a school year: word -> 1 (autumn, first) or 2 (spring, second).
SCHOOL_TERMS: dict[str, int] = {
    "第一学期": 1,
    "上学期": 1,
    "第1学期": 1,
    "第二学期": 2,
    "下学期": 2,
    "第2学期": 2,
    "秋季学期": 1,
    "秋学期": 1,
    "春季学期": 2,
    "春学期": 2,
}

#: Offset between 民国 years and the Common Era.
ROC_OFFSET = 1911

# --- term-relative words --------------------------------------------------------------

#: Term-relative words and how they are placed in the term (see timex._relative).
TERM_RELATIVE: dict[str, str] = {
    "开学后一个月内": "first_month",
    "开学后一月内": "first_month",
    "开学一个月内": "first_month",
    "开学初": "opening",
    "学期初": "opening",
    "开学前": "before_opening",
    "学期中": "middle",
    "期中": "middle",
    "学期末": "closing",
    "期末": "closing",
    "学期结束": "closing",
}

# --- recurring ------------------------------------------------------------------------

#: Words for work repeated through the whole period.
RECURRING_WORDS: tuple[str, ...] = (
    "每月",
    "每周",
    "每学期",
    "每季度",
    "每年",
    "每天",
    "每日",
    "常年",
    "全年",
    "长期",
)

# --- deadlines ------------------------------------------------------------------------

#: Words after a time meaning "before / by" it.
# Between two dates, a make-up day: 4/7补4/5, 9月30日补10月6日的课, 3/16学校日补2/16 — the first
# date is the day the work happens; the date after the word is the day it stands in for.
MAKE_UP_WORDS: tuple[str, ...] = ("补", "调补", "补上")

DEADLINE_SUFFIXES: tuple[str, ...] = ("之前", "以前", "前", "为止", "截止")

#: Characters after 前 that show it is not "before" (前期, 前列, 前沿 …).
DEADLINE_SUFFIX_BLOCKERS = "期列沿夕后景提置往进身任面茅行台言瞻三两十"

#: Words before a time meaning "by / no later than" it.
DEADLINE_PREFIXES: tuple[str, ...] = (
    "截至",
    "截止到",
    "截止至",
    "截止",
    "不晚于",
    "最迟于",
    "最迟",
    "最晚于",
)

# --- weekdays -------------------------------------------------------------------------

#: Weekday words: the character after 周/星期/礼拜 -> date.weekday() value.
WEEKDAY_NUMBERS: dict[str, int] = {
    "一": 0,
    "二": 1,
    "三": 2,
    "四": 3,
    "五": 4,
    "六": 5,
    "日": 6,
    "天": 6,
    "七": 6,
    "1": 0,
    "2": 1,
    "3": 2,
    "4": 3,
    "5": 4,
    "6": 5,
    "7": 6,
}

WEEKDAY_PREFIXES: tuple[str, ...] = ("星期", "礼拜", "周")

#: Weekday characters that may stand alone in brackets after a date: 2/14(五), 3月7日(日).
BARE_WEEKDAY_CHARS = "一二三四五六日天"

#: English weekday labels (lower case here; matched capitalised or upper case) -> date.weekday() value.
ENGLISH_WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "mon": 0,
    "tues": 1,
    "tue": 1,
    "wed": 2,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}

#: English month labels (lower case here; matched capitalised or upper case) -> month number.
ENGLISH_MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sept": 9,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

#: Words for "this / next / last" before a weekday (本周二, 下周一): weeks from the anchor week.
WEEK_OFFSETS: dict[str, int] = {"本": 0, "这": 0, "该": 0, "下": 1, "上": -1}

# --- numeric month/day forms ------------------------------------------------------------

#: Characters right before ``a/b`` that make it a fraction or ratio, not a date (占2/3).
FRACTION_BEFORE = "约占达超逾近总共第"

#: Words right after ``a/b`` that make it a fraction (2/3以上, 1/2的学校).
FRACTION_AFTER: tuple[str, ...] = (
    "以上",
    "以下",
    "以内",
    "左右",
    "的",
    "多",
    "强",
    "%",
    "倍",
    "个",
    "分",
    "票",
    "人",
)

#: Range of 民国 (ROC) years accepted in a numeric date written with a three-digit year
#: (114.04.08, 114年8月1日, compact 1070528).
ROC_DATE_YEARS: tuple[int, int] = (100, 199)

#: How a weekday is named in notes for people.
WEEKDAY_NAMES: tuple[str, ...] = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# --- lunar calendar -------------------------------------------------------------------

#: Words that introduce a lunar date (农 alone appears in glosses such as 农正月18日).
LUNAR_MARKERS: tuple[str, ...] = ("农历", "阴历", "旧历", "夏历", "农")

#: Lunar month names.
LUNAR_MONTHS: dict[str, int] = {
    "正": 1,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "冬": 11,
    "十二": 12,
    "腊": 12,
}
