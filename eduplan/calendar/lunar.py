"""Lunar (农历) dates: a label for a solar date, and whether a text speaks in lunar dates."""

from __future__ import annotations

import re
from datetime import date

from lunardate import LunarDate

from eduplan.text import normalize

# Words that only appear when a text gives a lunar date (matched on simplified text).
LUNAR_WORDS: tuple[str, ...] = (
    "农历",
    "阴历",
    "旧历",
    "正月",
    "腊月",
    "冬月",
    "除夕",
    "大年三十",
    "大年初",
    "元宵",
    "端午",
    "七夕",
    "中秋",
    "重阳",
)
_MONTH = r"(?:正|二|三|四|五|六|七|八|九|十一|十二|十|冬|腊)月"
# Lunar day forms that a solar date never uses: 三月初三, 八月廿八, 闰二月.
LUNAR_PATTERNS: tuple[str, ...] = (
    _MONTH + r"初[一二三四五六七八九十]",
    _MONTH + r"廿[一二三四五六七八九]",
    r"闰" + _MONTH,
)
_LUNAR = re.compile("|".join([*map(re.escape, LUNAR_WORDS), *LUNAR_PATTERNS]))
# Every word and pattern above holds one of these characters (simplified or traditional): a text
# with none of them needs no script conversion to be ruled out.
_HINTS = "农農阴陰旧舊月除年宵午夕秋阳陽"

MONTH_NAMES = ("正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊")
DAY_NAMES = (
    *(f"初{d}" for d in "一二三四五六七八九十"),
    *(f"十{d}" for d in "一二三四五六七八九"),
    "二十",
    *(f"廿{d}" for d in "一二三四五六七八九"),
    "三十",
)
# lunardate's tables cover lunar years 1900..2099.
FIRST_DAY = date(1900, 1, 31)
LAST_DAY = date(2099, 12, 31)


def _from_solar(d: date) -> LunarDate:
    convert = getattr(LunarDate, "from_solar_date", None) or LunarDate.fromSolarDate
    return convert(d.year, d.month, d.day)


def lunar_label(d: date) -> str:
    """``2021-02-27`` → "农历正月十六", ``2023-03-22`` → "农历闰二月初一"."""
    if not FIRST_DAY <= d <= LAST_DAY:
        raise ValueError(f"农历换算仅支持 {FIRST_DAY.isoformat()} 至 {LAST_DAY.isoformat()}。")
    lunar = _from_solar(d)
    is_leap = lunar.is_leap_month if hasattr(lunar, "is_leap_month") else lunar.isLeapMonth
    leap = "闰" if is_leap else ""
    return f"农历{leap}{MONTH_NAMES[lunar.month - 1]}月{DAY_NAMES[lunar.day - 1]}"


def mentions_lunar(text: str | None) -> bool:
    """True when the text gives a lunar date (农历…, 正月十五, 除夕, 中秋 …), any script."""
    if not text or not any(ch in text for ch in _HINTS):
        return False
    return bool(_LUNAR.search(normalize(text)))
