"""Case tables for Chinese time expressions (one line per expression and answer).

Every expected span was worked out by hand with a calendar: 2021-03-01 is a Monday,
2021-03-07 a Sunday, 农历正月十六 2021 = 2021-02-27, 八月十五 2019 = 2019-09-13.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.understand.timex import (
    Mention,
    TimeContext,
    find_mentions,
    month_span,
    period_from_title,
    resolve_year,
)

D = date.fromisoformat

CTX: dict[str, TimeContext] = {
    # a spring-term calendar narrowed to its week rows (document 000)
    "spring": TimeContext(D("2021-02-21"), D("2021-07-17")),
    # an annual plan (document 002)
    "y2019": TimeContext(D("2019-01-01"), D("2019-12-31")),
    # a school year
    "sy2020": TimeContext(D("2020-09-01"), D("2021-08-31")),
    # only a term known
    "term": TimeContext(term_start=D("2021-03-01"), term_end=D("2021-07-16")),
    # a document that writes 20xx年, scored with --year 2023
    "hint2023": TimeContext(default_year=2023),
    # a calendar row narrowed to March 2021
    "march": TimeContext(D("2021-03-01"), D("2021-03-31")),
    "none": TimeContext(),
}

# (text, context, start, end, kind)
CASES: list[tuple[str, str, str, str, str]] = [
    # explicit days
    ("2021年3月7日", "none", "2021-03-07", "2021-03-07", "day"),
    ("2021-03-07", "none", "2021-03-07", "2021-03-07", "day"),
    ("2021.3.7", "none", "2021-03-07", "2021-03-07", "day"),
    ("2021/3/7", "none", "2021-03-07", "2021-03-07", "day"),
    ("发布日期: 2019-03-25", "none", "2019-03-25", "2019-03-25", "day"),
    ("二〇二一年三月七日", "none", "2021-03-07", "2021-03-07", "day"),
    ("3月7日", "spring", "2021-03-07", "2021-03-07", "day"),
    ("3月7号", "spring", "2021-03-07", "2021-03-07", "day"),
    ("9月1日正式上课", "sy2020", "2020-09-01", "2020-09-01", "day"),
    ("3月1日正式上课", "sy2020", "2021-03-01", "2021-03-01", "day"),
    ("12月28日", "spring", "2020-12-28", "2020-12-28", "day"),
    ("3月7日", "hint2023", "2023-03-07", "2023-03-07", "day"),
    # ranges
    ("3.7—3.13", "spring", "2021-03-07", "2021-03-13", "range"),
    ("3.7-13", "spring", "2021-03-07", "2021-03-13", "range"),
    ("3.7~3.13", "spring", "2021-03-07", "2021-03-13", "range"),
    ("3.7至3.13", "spring", "2021-03-07", "2021-03-13", "range"),
    ("2.21 | 2.27", "spring", "2021-02-21", "2021-02-27", "range"),
    ("2.21\n    |\n    2.27", "spring", "2021-02-21", "2021-02-27", "range"),
    ("4.4\n    —\n    —\n    4.10", "spring", "2021-04-04", "2021-04-10", "range"),
    ("464.4\n    —\n    —\n    4.10", "spring", "2021-04-04", "2021-04-10", "range"),
    ("12.28\n    |\n    3.6", "spring", "2021-02-28", "2021-03-06", "range"),
    ("6.27\n    —\n    —\n    7.3", "spring", "2021-06-27", "2021-07-03", "range"),
    ("| 3.7 |", "spring", "2021-03-07", "2021-03-07", "day"),
    ("3.7日", "spring", "2021-03-07", "2021-03-07", "day"),
    ("2月27日-28日", "spring", "2021-02-27", "2021-02-28", "range"),
    ("6月16-18日", "spring", "2021-06-16", "2021-06-18", "range"),
    ("6月24-28日网上评卷", "spring", "2021-06-24", "2021-06-28", "range"),
    ("3月1日至4月12日", "spring", "2021-03-01", "2021-04-12", "range"),
    ("3月1日到4月12日", "spring", "2021-03-01", "2021-04-12", "range"),
    ("4月1日开始,4月12日截止", "spring", "2021-04-01", "2021-04-12", "range"),
    ("12月28日-1月3日", "spring", "2020-12-28", "2021-01-03", "range"),
    ("2021年12月28日-1月3日", "none", "2021-12-28", "2022-01-03", "range"),
    ("2021年3月1日至2021年3月5日", "none", "2021-03-01", "2021-03-05", "range"),
    ("2021-03-01至2021-03-05", "none", "2021-03-01", "2021-03-05", "range"),
    ("8月30日-8月31日学生报到", "spring", "2021-08-30", "2021-08-31", "range"),
    ("3月1日(周一)至3月5日(周五)", "spring", "2021-03-01", "2021-03-05", "range"),
    ("3月底至4月初", "spring", "2021-03-21", "2021-04-10", "range"),
    # months
    ("4月", "spring", "2021-04-01", "2021-04-30", "month"),
    ("4月份", "spring", "2021-04-01", "2021-04-30", "month"),
    ("7-8月", "spring", "2021-07-01", "2021-08-31", "month"),
    ("7月-8月", "spring", "2021-07-01", "2021-08-31", "month"),
    ("7至8月", "spring", "2021-07-01", "2021-08-31", "month"),
    ("7—8月", "spring", "2021-07-01", "2021-08-31", "month"),
    ("(4月至5月)", "y2019", "2019-04-01", "2019-05-31", "month"),
    ("5至10月", "y2019", "2019-05-01", "2019-10-31", "month"),
    ("11月—次年1月", "y2019", "2019-11-01", "2020-01-31", "month"),
    ("11-1月", "y2019", "2019-11-01", "2020-01-31", "month"),
    ("三月", "spring", "2021-03-01", "2021-03-31", "month"),
    ("十二月", "y2019", "2019-12-01", "2019-12-31", "month"),
    ("十月份", "y2019", "2019-10-01", "2019-10-31", "month"),
    ("八、九月份", "y2019", "2019-08-01", "2019-09-30", "month"),
    ("十、十一月份", "y2019", "2019-10-01", "2019-11-30", "month"),
    ("(1月—12月)", "y2019", "2019-01-01", "2019-12-31", "month"),
    ("2021年4月", "none", "2021-04-01", "2021-04-30", "month"),
    ("6月初中学业水平考试", "spring", "2021-06-01", "2021-06-30", "month"),
    ("1月\n\n1.组织开学工作", "y2019", "2019-01-01", "2019-01-31", "month"),  # a list number, not a day
    ("4月12个工作日", "spring", "2021-04-01", "2021-04-30", "month"),
    ("二〇二一年", "none", "2021-01-01", "2021-12-31", "year"),
    ("2021年中小学", "none", "2021-01-01", "2021-12-31", "year"),
    ("(2018—2020年)", "none", "2018-01-01", "2020-12-31", "year"),
    ("xx年", "hint2023", "2023-01-01", "2023-12-31", "year"),
    # parts of a month or year
    ("3月上旬", "spring", "2021-03-01", "2021-03-10", "month_part"),
    ("3月中旬", "spring", "2021-03-11", "2021-03-20", "month_part"),
    ("3月下旬", "spring", "2021-03-21", "2021-03-31", "month_part"),
    ("2月下旬", "spring", "2021-02-21", "2021-02-28", "month_part"),
    ("3月初", "spring", "2021-03-01", "2021-03-10", "month_part"),
    ("3月中", "spring", "2021-03-11", "2021-03-20", "month_part"),
    ("3月底", "spring", "2021-03-21", "2021-03-31", "month_part"),
    ("3月末", "spring", "2021-03-21", "2021-03-31", "month_part"),
    ("月初", "march", "2021-03-01", "2021-03-10", "month_part"),
    ("月底", "march", "2021-03-21", "2021-03-31", "month_part"),
    ("年初", "y2019", "2019-01-01", "2019-01-31", "month_part"),
    ("年底", "y2019", "2019-12-01", "2019-12-31", "month_part"),
    ("年末", "y2019", "2019-12-01", "2019-12-31", "month_part"),
    ("年中", "y2019", "2019-06-01", "2019-07-31", "month_part"),
    ("年底", "spring", "2021-12-01", "2021-12-31", "month_part"),
    # deadlines
    ("3月底前", "spring", "2021-02-21", "2021-03-31", "deadline"),
    ("3月底之前", "spring", "2021-02-21", "2021-03-31", "deadline"),
    ("3月31日前", "spring", "2021-02-21", "2021-03-31", "deadline"),
    ("6月前", "spring", "2021-02-21", "2021-05-31", "deadline"),
    ("6月底前", "spring", "2021-02-21", "2021-06-30", "deadline"),
    ("4月中旬前", "spring", "2021-02-21", "2021-04-20", "deadline"),
    ("年底前", "y2019", "2019-01-01", "2019-12-31", "deadline"),
    ("截至3月", "spring", "2021-02-21", "2021-03-31", "deadline"),
    ("截至3月底", "spring", "2021-02-21", "2021-03-31", "deadline"),
    ("不晚于5月10日", "spring", "2021-02-21", "2021-05-10", "deadline"),
    ("在4月20日之前完成", "spring", "2021-02-21", "2021-04-20", "deadline"),
    ("5月底前完成学校", "y2019", "2019-01-01", "2019-05-31", "deadline"),
    ("3月底前", "hint2023", "2023-01-01", "2023-03-31", "deadline"),
    ("暑假前", "y2019", "2019-01-01", "2019-06-30", "deadline"),  # before the holiday begins
    ("寒假前", "y2019", "2019-01-01", "2019-01-14", "deadline"),
    # halves, quarters, whole years
    ("上半年", "y2019", "2019-01-01", "2019-06-30", "half_year"),
    ("下半年", "y2019", "2019-07-01", "2019-12-31", "half_year"),
    ("2021年上半年", "none", "2021-01-01", "2021-06-30", "half_year"),
    ("2021年下半年", "none", "2021-07-01", "2021-12-31", "half_year"),
    ("2019上半年", "none", "2019-01-01", "2019-06-30", "half_year"),
    ("20xx年上半年", "hint2023", "2023-01-01", "2023-06-30", "half_year"),
    ("第一季度", "y2019", "2019-01-01", "2019-03-31", "quarter"),
    ("一季度", "y2019", "2019-01-01", "2019-03-31", "quarter"),
    ("第二季度", "y2019", "2019-04-01", "2019-06-30", "quarter"),
    ("第三季度", "y2019", "2019-07-01", "2019-09-30", "quarter"),
    ("第四季度", "y2019", "2019-10-01", "2019-12-31", "quarter"),
    ("2021年第三季度", "none", "2021-07-01", "2021-09-30", "quarter"),
    ("年内", "y2019", "2019-01-01", "2019-12-31", "year"),
    ("本年度", "y2019", "2019-01-01", "2019-12-31", "year"),
    ("2021年全年", "none", "2021-01-01", "2021-12-31", "year"),
    # holidays and terms
    ("寒假", "spring", "2021-01-15", "2021-02-20", "holiday"),
    ("暑假", "spring", "2021-07-01", "2021-08-31", "holiday"),
    ("暑期", "y2019", "2019-07-01", "2019-08-31", "holiday"),
    ("国庆节", "y2019", "2019-10-01", "2019-10-07", "holiday"),
    ("中秋节", "y2019", "2019-09-13", "2019-09-13", "holiday"),
    ("春季学期", "y2019", "2019-02-01", "2019-07-31", "term"),
    ("秋季学期", "y2019", "2019-09-01", "2020-01-31", "term"),
    ("2021年秋季学期", "none", "2021-09-01", "2022-01-31", "term"),
    ("2018年秋学期", "none", "2018-09-01", "2019-01-31", "term"),
    ("春季开学", "spring", "2021-02-10", "2021-03-10", "term"),
    # school years
    ("2020—2021学年度", "none", "2020-09-01", "2021-08-31", "school_year"),
    ("2020-2021学年", "none", "2020-09-01", "2021-08-31", "school_year"),
    ("2020—2021学年度第一学期", "none", "2020-09-01", "2021-01-31", "term"),
    ("2020—2021学年度第二学期", "none", "2021-02-01", "2021-07-31", "term"),
    ("2020-2021学年上学期", "none", "2020-09-01", "2021-01-31", "term"),
    ("2020-2021学年下学期", "none", "2021-02-01", "2021-07-31", "term"),
    ("114学年度", "none", "2025-08-01", "2026-07-31", "school_year"),
    ("114学年度第一学期", "none", "2025-08-01", "2026-01-31", "term"),
    ("114学年度第二学期", "none", "2026-02-01", "2026-07-31", "term"),
    ("民国114年", "none", "2025-01-01", "2025-12-31", "year"),
    # term-relative words (term 2021-03-01..2021-07-16)
    ("开学初", "term", "2021-03-01", "2021-03-14", "relative"),
    ("学期初", "term", "2021-03-01", "2021-03-14", "relative"),
    ("开学后一个月内", "term", "2021-03-01", "2021-04-01", "relative"),
    ("学期中", "term", "2021-05-01", "2021-05-14", "relative"),
    ("期中", "term", "2021-05-01", "2021-05-14", "relative"),
    ("学期末", "term", "2021-06-26", "2021-07-16", "relative"),
    ("期末", "term", "2021-06-26", "2021-07-16", "relative"),
    ("开学前", "term", "2021-01-01", "2021-03-01", "deadline"),
    ("开学初", "spring", "2021-02-21", "2021-03-06", "relative"),
    # lunar dates
    ("农历正月十六", "spring", "2021-02-27", "2021-02-27", "lunar"),
    ("农历正月16日", "spring", "2021-02-27", "2021-02-27", "lunar"),
    ("(农正月18日)", "spring", "2021-03-01", "2021-03-01", "lunar"),
    ("农历八月十五", "y2019", "2019-09-13", "2019-09-13", "lunar"),
    ("农历正月16日-17日", "spring", "2021-02-27", "2021-02-28", "lunar"),
    ("3月1日(农正月18日)", "spring", "2021-03-01", "2021-03-01", "day"),
    ("2月27日-28日(农历正月16日-17日)", "spring", "2021-02-27", "2021-02-28", "range"),
    # recurring
    ("每月", "spring", "2021-02-21", "2021-07-17", "recurring"),
    ("每周", "spring", "2021-02-21", "2021-07-17", "recurring"),
    ("每学期", "y2019", "2019-01-01", "2019-12-31", "recurring"),
    ("常年", "y2019", "2019-01-01", "2019-12-31", "recurring"),
    ("全年", "y2019", "2019-01-01", "2019-12-31", "recurring"),
    ("每月", "hint2023", "2023-01-01", "2023-12-31", "recurring"),
]


@pytest.mark.parametrize(("text", "ctx", "start", "end", "kind"), CASES)
def test_case_table(text: str, ctx: str, start: str, end: str, kind: str) -> None:
    mentions = find_mentions(text, CTX[ctx])
    assert len(mentions) == 1, mentions
    m = mentions[0]
    assert (m.start, m.end, m.kind) == (D(start), D(end), kind)
    assert text[m.begin : m.stop].strip("()") != ""


# Text that holds no time expression at all.
NOTHING: list[tuple[str, str]] = [
    ("信息技术2.0教师工作坊", "spring"),
    ("1.加强党的基层组织建设", "spring"),
    ("版本3.2发布", "spring"),
    ("提高3.5个百分点", "spring"),
    ("| 2.0 |", "spring"),
    ("全月档案中心", "spring"),
    ("2月30日", "spring"),
    ("2月29日", "spring"),
    ("13月", "spring"),
    ("3月32日", "spring"),
    ("周一", "spring"),
    ("星期三", "spring"),
    ("统一月考", "spring"),
    ("3月7日", "none"),
    ("上半年", "none"),
    ("开学初", "none"),
    ("每月", "none"),
    ("月底", "spring"),  # no month: the period covers several months
    ("截至目前", "spring"),
    ("三年内完成", "spring"),
    ("初中学业水平考试", "spring"),
    ("", "spring"),
]


@pytest.mark.parametrize(("text", "ctx"), NOTHING)
def test_no_mention(text: str, ctx: str) -> None:
    assert find_mentions(text, CTX[ctx]) == []


# Weekday checks: (text, confidence, note)
WEEKDAYS: list[tuple[str, float, str | None]] = [
    ("3月7日(周一)", 0.5, "3月7日写作周一，但当天是星期日"),
    ("3月7日星期三", 0.5, "3月7日写作星期三，但当天是星期日"),
    ("3月7日(星期日)", 1.0, None),
    ("3月1日周一", 1.0, None),
    ("2021年3月1日(周日)", 0.5, "3月1日写作周日，但当天是星期一"),
]


@pytest.mark.parametrize(("text", "confidence", "note"), WEEKDAYS)
def test_weekday_check(text: str, confidence: float, note: str | None) -> None:
    (m,) = find_mentions(text, CTX["spring"])
    assert m.kind == "day"
    assert m.confidence == confidence
    assert m.note == note
    assert m.stop == len(text)  # the weekday belongs to the date expression


RESOLVE: list[tuple[int, int, str, int | None]] = [
    (3, 7, "spring", 2021),
    (12, 28, "spring", 2020),
    (9, 1, "sy2020", 2020),
    (3, 1, "sy2020", 2021),
    (3, 7, "none", None),
    (3, 7, "hint2023", 2023),
    (2, 30, "spring", None),
    (2, 29, "spring", None),
    (2, 29, "sy2020", 2020),
    (3, 7, "term", 2021),
]


@pytest.mark.parametrize(("month", "day", "ctx", "year"), RESOLVE)
def test_resolve_year(month: int, day: int, ctx: str, year: int | None) -> None:
    assert resolve_year(month, day, CTX[ctx]) == year


TITLES: list[tuple[str, int | None, tuple[str, str] | None]] = [
    ("柳城县教育局2019年教育工作计划", None, ("2019-01-01", "2019-12-31")),
    ("新晃侗族自治县教育局2021年下半年工作计划", None, ("2021-07-01", "2021-12-31")),
    ("区教育局上半年工作总结", 2020, ("2020-01-01", "2020-06-30")),
    ("区教育局上半年工作总结和下半年工作计划", 2020, ("2020-01-01", "2020-06-30")),
    ("xx年教育工作计划", 2023, ("2023-01-01", "2023-12-31")),
    ("20xx年教育系统安全工作计划", 2023, ("2023-01-01", "2023-12-31")),
    ("教育局年度工作计划汇编7篇", 2023, ("2023-01-01", "2023-12-31")),
    ("衡山县教育局2020—2021学年度第二学期教育工作行事历", None, ("2021-02-01", "2021-07-31")),
    ("2020-2021学年度第一学期工作计划", None, ("2020-09-01", "2021-01-31")),
    ("2021年春季学期教育工作行事历", None, ("2021-02-01", "2021-07-31")),
    ("2021年秋季学期工作计划", None, ("2021-09-01", "2022-01-31")),
    ("114学年度第一学期行事历", None, ("2025-08-01", "2026-01-31")),
    ("教育局年度工作计划", None, None),
    ("区教育局上半年工作总结", None, None),
    ("", 2023, None),
]


@pytest.mark.parametrize(("title", "hint", "span"), TITLES)
def test_period_from_title(title: str, hint: int | None, span: tuple[str, str] | None) -> None:
    expected = (D(span[0]), D(span[1])) if span else None
    assert period_from_title(title, hint) == expected


@pytest.mark.parametrize(
    ("year", "month", "span"),
    [
        (2021, 2, ("2021-02-01", "2021-02-28")),
        (2020, 2, ("2020-02-01", "2020-02-29")),
        (2021, 12, ("2021-12-01", "2021-12-31")),
    ],
)
def test_month_span(year: int, month: int, span: tuple[str, str]) -> None:
    assert month_span(year, month) == (D(span[0]), D(span[1]))


def test_offsets_point_into_the_text() -> None:
    text = "△新学期开学2月27日-28日(农历正月16日-17日)学生错峰报到,3月1日(农正月18日)正式上课。"
    mentions = find_mentions(text, CTX["spring"])
    assert [text[m.begin : m.stop] for m in mentions] == ["2月27日-28日", "3月1日"]
    assert [(m.start, m.end) for m in mentions] == [
        (D("2021-02-27"), D("2021-02-28")),
        (D("2021-03-01"),) * 2,
    ]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2018年秋季学期期末考试", "2019-01-11", "2019-01-31"),  # last 3 weeks of the written term
        ("2020-2021学年度第二学期期中", "2021-04-25", "2021-05-08"),  # middle 2 weeks, mid = May 2
    ],
)
def test_relative_word_after_a_written_term(text: str, start: str, end: str) -> None:
    term, relative = find_mentions(text, CTX["y2019"])
    assert term.kind == "term"
    assert (relative.kind, relative.start, relative.end) == ("relative", D(start), D(end))


def test_left_to_right_longest_first() -> None:
    text = "市教育局3月底前将制定出台方案;4月中旬开展作品征集,7-8月暑假。"
    kinds = [m.kind for m in find_mentions(text, CTX["spring"])]
    assert kinds == ["deadline", "month_part", "month", "holiday"]


def _check(text: str, mentions: list[Mention]) -> None:
    last = 0
    for m in mentions:
        assert m.start <= m.end
        assert 0 <= m.begin < m.stop <= len(text)
        assert m.begin >= last  # left to right, non-overlapping
        last = m.stop


_CHARS = (
    "0123456789.-—–|~～至到年月日号旬初中底末前之截不晚于上下半季度第学期"
    "寒暑假春秋开农历正腊十一二三四五六七八九〇周星期每() \n,、xX"
)
_ALPHABET = st.sampled_from(list(_CHARS))
_CONTEXTS = st.sampled_from(list(CTX.values()))


@settings(max_examples=300, deadline=None)
@given(text=st.text(_ALPHABET, max_size=80), ctx=_CONTEXTS)
def test_random_domain_text_never_raises(text: str, ctx: TimeContext) -> None:
    _check(text, find_mentions(text, ctx))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60), ctx=_CONTEXTS)
def test_random_unicode_never_raises(text: str, ctx: TimeContext) -> None:
    _check(text, find_mentions(text, ctx))


@settings(max_examples=100, deadline=None)
@given(title=st.text(_ALPHABET, max_size=40), hint=st.none() | st.integers(-5, 10000))
def test_period_from_title_never_raises(title: str, hint: int | None) -> None:
    span = period_from_title(title, hint)
    assert span is None or span[0] <= span[1]


def test_large_random_text() -> None:
    import random

    rng = random.Random(7)
    alphabet = "0123456789.-—|年月日号至初中底前上下半季度学期开农历正十一二三 \n,、周"
    text = "".join(rng.choice(alphabet) for _ in range(100_000))
    _check(text, find_mentions(text, CTX["spring"]))


def test_odd_context_never_raises() -> None:
    ctx = TimeContext(D("2021-07-17"), D("2021-02-21"), default_year=99999, term_start=D("2021-07-01"))
    for text in ["3月7日", "上半年", "开学初", "每月", "寒假", "12.28|3.6", "农历腊月三十"]:
        _check(text, find_mentions(text, ctx))
