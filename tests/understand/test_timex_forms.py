"""Case tables for the numeric, ROC, day-first, listed and week-relative date forms.

Spans worked out with a calendar: 2025-02-14 is a Friday, 2025-03-03 a Monday,
2018-05-28 a Monday, 民国 114 = 2025.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.understand.timex import TimeContext, find_mentions, numeric_day_first, year_from_weekdays

D = date.fromisoformat

CTX: dict[str, TimeContext] = {
    "spring25": TimeContext(D("2025-02-01"), D("2025-07-31")),
    "autumn24": TimeContext(D("2024-09-01"), D("2025-01-31")),
    "hk": TimeContext(D("2024-09-01"), D("2025-08-31"), day_first=True),
    "none": TimeContext(),
}

# (text, context, start, end, kind, the matched text)
FORMS: list[tuple[str, str, str, str, str, str]] = [
    # month/day with a slash, weekday in brackets, ranges
    ("2/14(五)", "spring25", "2025-02-14", "2025-02-14", "day", "2/14(五)"),
    ("3. 2/14(五)召开家长会", "spring25", "2025-02-14", "2025-02-14", "day", "2/14(五)"),
    ("2/14(周五)", "spring25", "2025-02-14", "2025-02-14", "day", "2/14(周五)"),
    ("2/14 Fri", "spring25", "2025-02-14", "2025-02-14", "day", "2/14 Fri"),
    ("3/7~3/13", "spring25", "2025-03-07", "2025-03-13", "range", "3/7~3/13"),
    ("3/7(五)~3/13(四)", "spring25", "2025-03-07", "2025-03-13", "range", "3/7(五)~3/13(四)"),
    ("4/4~6", "spring25", "2025-04-04", "2025-04-06", "range", "4/4~6"),
    ("2/14(五)至16日", "spring25", "2025-02-14", "2025-02-16", "range", "2/14(五)至16日"),
    ("3/10-14", "spring25", "2025-03-10", "2025-03-14", "range", "3/10-14"),
    ("1/20~2/8", "autumn24", "2025-01-20", "2025-02-08", "range", "1/20~2/8"),
    ("12/30~1/3", "autumn24", "2024-12-30", "2025-01-03", "range", "12/30~1/3"),
    ("3/5前完成", "spring25", "2025-02-01", "2025-03-05", "deadline", "3/5前"),
    # day first: only where month first cannot be read, or the context says so
    ("22/1", "autumn24", "2025-01-22", "2025-01-22", "day", "22/1"),
    ("8-14/3", "spring25", "2025-03-08", "2025-03-14", "range", "8-14/3"),
    ("2/5", "hk", "2025-05-02", "2025-05-02", "day", "2/5"),
    ("3/5", "spring25", "2025-03-05", "2025-03-05", "day", "3/5"),
    ("3-5/6", "hk", "2025-06-03", "2025-06-05", "range", "3-5/6"),
    # two-digit MM-DD in a range or with a weekday
    ("09-01 ~ 09-05", "autumn24", "2024-09-01", "2024-09-05", "range", "09-01 ~ 09-05"),
    ("12-30~01-03", "autumn24", "2024-12-30", "2025-01-03", "range", "12-30~01-03"),
    ("09-02(一)", "autumn24", "2024-09-02", "2024-09-02", "day", "09-02(一)"),
    # numeric full dates, Common Era and 民国
    ("2025.03.07", "none", "2025-03-07", "2025-03-07", "day", "2025.03.07"),
    ("2025/03/07", "none", "2025-03-07", "2025-03-07", "day", "2025/03/07"),
    ("114.04.08", "none", "2025-04-08", "2025-04-08", "day", "114.04.08"),
    ("114/04/08", "none", "2025-04-08", "2025-04-08", "day", "114/04/08"),
    ("114年8月1日", "none", "2025-08-01", "2025-08-01", "day", "114年8月1日"),
    ("115年2月20日", "none", "2026-02-20", "2026-02-20", "day", "115年2月20日"),
    ("114年8月1日至115年2月20日", "none", "2025-08-01", "2026-02-20", "range", "114年8月1日至115年2月20日"),
    ("1070528", "none", "2018-05-28", "2018-05-28", "day", "1070528"),
    ("于1070528召开", "none", "2018-05-28", "2018-05-28", "day", "1070528"),
]


@pytest.mark.parametrize(("text", "ctx", "start", "end", "kind", "matched"), FORMS)
def test_forms(text: str, ctx: str, start: str, end: str, kind: str, matched: str) -> None:
    mentions = find_mentions(text, CTX[ctx])
    assert len(mentions) == 1, mentions
    m = mentions[0]
    assert (m.start, m.end, m.kind) == (D(start), D(end), kind)
    assert text[m.begin : m.stop] == matched


NOT_DATES: list[tuple[str, str]] = [
    ("占2/3以上", "spring25"),
    ("1/2的学校", "spring25"),
    ("约3/4", "spring25"),
    ("13/13", "spring25"),
    ("03-05", "spring25"),  # a lone MM-DD without a weekday
    ("12345678", "none"),  # eight digits are no compact ROC date
    ("1071328", "none"),  # month 13
    ("http://x.cn/3/5", "spring25"),
    ("第1070528号", "none"),  # a document number
]


@pytest.mark.parametrize(("text", "ctx"), NOT_DATES)
def test_not_dates(text: str, ctx: str) -> None:
    assert find_mentions(text, CTX[ctx]) == []


def test_two_dates_joined_by_or() -> None:
    text = "2/5或3/5"
    assert [(m.start, text[m.begin : m.stop]) for m in find_mentions(text, CTX["hk"])] == [
        (D("2025-05-02"), "2/5"),
        (D("2025-05-03"), "3/5"),
    ]
    assert [m.start for m in find_mentions(text, CTX["spring25"])] == [D("2025-02-05"), D("2025-03-05")]


@pytest.mark.parametrize(
    ("text", "weekday", "confidence"),
    [("2/14(五)", 4, 1.0), ("2/14(一)", 0, 0.5), ("2/14", None, 1.0), ("3月3日(Mon)", 0, 1.0)],
)
def test_numeric_dates_carry_their_weekday(text: str, weekday: int | None, confidence: float) -> None:
    (m,) = find_mentions(text, CTX["spring25"])
    assert m.weekday == weekday
    assert m.confidence == confidence


# Day lists, Chinese-numeral dates, school years (text folded as the reader folds it).
MORE: list[tuple[str, str, str, str, str, str]] = [
    ("2月19日、20日", "spring25", "2025-02-19", "2025-02-20", "range", "2月19日、20日"),
    ("9月2、3日", "autumn24", "2024-09-02", "2024-09-03", "range", "9月2、3日"),
    ("2月19、20、21日", "spring25", "2025-02-19", "2025-02-21", "range", "2月19、20、21日"),
    ("3月5日(三)、6日(四)", "spring25", "2025-03-05", "2025-03-06", "range", "3月5日(三)、6日(四)"),
    ("二〇一八年五月二十八日", "none", "2018-05-28", "2018-05-28", "day", "二〇一八年五月二十八日"),
    ("三月十二日", "spring25", "2025-03-12", "2025-03-12", "day", "三月十二日"),
    ("十月下旬", "autumn24", "2024-10-21", "2024-10-31", "month_part", "十月下旬"),
    ("2023学年度第二学期", "none", "2024-02-01", "2024-07-31", "term", "2023学年度第二学期"),
    ("二〇二三学年度第二学期", "none", "2024-02-01", "2024-07-31", "term", "二〇二三学年度第二学期"),
    ("114學年度", "none", "2025-08-01", "2026-07-31", "school_year", "114學年度"),
    ("114學年度第二學期", "none", "2026-02-01", "2026-07-31", "term", "114學年度第二學期"),
    ("2014—2015學年度", "none", "2014-09-01", "2015-08-31", "school_year", "2014—2015學年度"),
    ("2017——2018 学年第一学期", "none", "2017-09-01", "2018-01-31", "term", "2017——2018 学年第一学期"),
    ("2017-2018学年秋季学期", "none", "2017-09-01", "2018-01-31", "term", "2017-2018学年秋季学期"),
    ("2017-2018学年春季学期", "none", "2018-02-01", "2018-07-31", "term", "2017-2018学年春季学期"),
    ("2017—2018学年度上学期", "none", "2017-09-01", "2018-01-31", "term", "2017—2018学年度上学期"),
    # an autumn term crossing New Year: Sep-Dec in the first year, January in the second
    ("12月5日", "autumn24", "2024-12-05", "2024-12-05", "day", "12月5日"),
    ("1月10日", "autumn24", "2025-01-10", "2025-01-10", "day", "1月10日"),
]


@pytest.mark.parametrize(("text", "ctx", "start", "end", "kind", "matched"), MORE)
def test_more_forms(text: str, ctx: str, start: str, end: str, kind: str, matched: str) -> None:
    from eduplan.text import fold

    mentions = find_mentions(fold(text), CTX[ctx])
    assert len(mentions) == 1, mentions
    m = mentions[0]
    assert (m.start, m.end, m.kind) == (D(start), D(end), kind)
    assert text[m.begin : m.stop] == matched


def test_day_list_keeps_its_days() -> None:
    (m,) = find_mentions("2月19、20、22日", CTX["spring25"])
    assert m.days == (D("2025-02-19"), D("2025-02-20"), D("2025-02-22"))
    (single,) = find_mentions("2月19日", CTX["spring25"])
    assert single.days == ()


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("3月5日、4月2日", ["3月5日", "4月2日"]),  # two months: two mentions
        ("3月5、6个学校", ["3月"]),  # no 日 closes the list
        ("3月20日、5日", ["3月20日"]),  # days must rise
    ],
)
def test_not_day_lists(text: str, matched: list[str]) -> None:
    assert [text[m.begin : m.stop] for m in find_mentions(text, CTX["spring25"])] == matched


# Week-relative words against a known week (2025-03-05 is a Wednesday; its Monday is 03-03),
# 第N周 against a known first week, English labels, holidays next to a known term.
WEEKS: dict[str, TimeContext] = {
    "week": TimeContext(D("2025-03-01"), D("2025-03-31"), week_start=D("2025-03-05")),
    "week1": TimeContext(D("2025-02-01"), D("2025-07-31"), week1_start=D("2025-02-17")),
    "week1_wed": TimeContext(D("2025-02-01"), D("2025-07-31"), week1_start=D("2025-02-19")),
    "oct22": TimeContext(D("2022-10-01"), D("2022-10-31")),
    "autumn22": TimeContext(D("2022-09-01"), D("2023-01-31")),
    "autumn_term": TimeContext(term_start=D("2024-09-01"), term_end=D("2025-01-17")),
    "spring_term": TimeContext(term_start=D("2025-02-17"), term_end=D("2025-07-04")),
    "none": TimeContext(),
}

RELATIVE: list[tuple[str, str, str, str, str, str]] = [
    ("本周二", "week", "2025-03-04", "2025-03-04", "day", "本周二"),
    ("周二下午", "week", "2025-03-04", "2025-03-04", "day", "周二"),
    ("星期四", "week", "2025-03-06", "2025-03-06", "day", "星期四"),
    ("下周一", "week", "2025-03-10", "2025-03-10", "day", "下周一"),
    ("上周五", "week", "2025-02-28", "2025-02-28", "day", "上周五"),
    ("本周五前完成", "week", "2025-03-03", "2025-03-07", "deadline", "本周五前"),
    ("周一至周五", "week", "2025-03-03", "2025-03-07", "range", "周一至周五"),
    ("Mon-Fri", "week", "2025-03-03", "2025-03-07", "range", "Mon-Fri"),
    ("第3周", "week1", "2025-03-03", "2025-03-09", "range", "第3周"),
    ("第3-5周", "week1", "2025-03-03", "2025-03-23", "range", "第3-5周"),
    ("第三周周二", "week1", "2025-03-04", "2025-03-04", "day", "第三周周二"),
    ("第1周", "week1_wed", "2025-02-19", "2025-02-23", "range", "第1周"),  # week 1 starts mid-week
    ("2022 Oct", "none", "2022-10-01", "2022-10-31", "month", "2022 Oct"),
    ("Oct 2022", "none", "2022-10-01", "2022-10-31", "month", "Oct 2022"),
    ("21 Oct", "autumn22", "2022-10-21", "2022-10-21", "day", "21 Oct"),
    ("21 Fri", "oct22", "2022-10-21", "2022-10-21", "day", "21 Fri"),
    ("21 Fri", "autumn22", "2022-10-21", "2022-10-21", "day", "21 Fri"),  # the only 21st on a Friday
    ("26-01 Wed-Tue", "oct22", "2022-10-26", "2022-11-01", "range", "26-01 Wed-Tue"),  # across month end
    ("寒假", "autumn_term", "2025-01-18", "2025-02-20", "holiday", "寒假"),
    ("寒假", "spring_term", "2025-01-15", "2025-02-16", "holiday", "寒假"),
    ("暑假", "spring_term", "2025-07-05", "2025-08-31", "holiday", "暑假"),
]


@pytest.mark.parametrize(("text", "ctx", "start", "end", "kind", "matched"), RELATIVE)
def test_relative_forms(text: str, ctx: str, start: str, end: str, kind: str, matched: str) -> None:
    mentions = find_mentions(text, WEEKS[ctx])
    assert len(mentions) == 1, mentions
    m = mentions[0]
    assert (m.start, m.end, m.kind) == (D(start), D(end), kind)
    assert text[m.begin : m.stop] == matched


@pytest.mark.parametrize(
    ("text", "ctx"),
    [
        ("周二", "none"),  # no anchor week
        ("第3周", "none"),  # no first week
        ("第二周年", "week1"),
        ("you may 3", "autumn22"),  # lower-case English words are prose
        ("21 Fri", "none"),
    ],
)
def test_relative_needs_its_anchor(text: str, ctx: str) -> None:
    assert find_mentions(text, WEEKS[ctx]) == []


def test_every_weekday_is_recurring_not_a_day() -> None:
    (m,) = find_mentions("每周二", WEEKS["week"])
    assert m.kind == "recurring"


@pytest.mark.parametrize(
    ("pairs", "candidates", "first_month", "year"),
    [
        ([(2, 14, 4), (3, 7, 4)], range(2020, 2030), 1, 2025),  # both Fridays only in 2025
        ([(9, 1, 0), (1, 5, 0)], range(2020, 2030), 8, 2025),  # Sep 2025 and Jan 2026 Mondays
        ([(9, 1, 0), (1, 5, 0)], range(2020, 2030), 1, None),  # no single year has both
        ([(2, 14, 4), (3, 7, 4), (3, 8, 0)], [2024, 2025], 1, 2025),  # most, not all
        ([(9, 1, 0)], [2025, 2031], 1, None),  # a tie
        ([], [2025], 1, None),
    ],
)
def test_year_from_weekdays(
    pairs: list[tuple[int, int, int]], candidates: range | list[int], first_month: int, year: int | None
) -> None:
    assert year_from_weekdays(pairs, candidates, first_month) == year


AUGUST = TimeContext(D("2025-08-01"), D("2025-08-31"))  # a calendar row narrowed to one month


@pytest.mark.parametrize(
    ("text", "ctx", "start", "end", "matched"),
    [
        ("30、31日报到", AUGUST, "2025-08-30", "2025-08-31", "30、31日"),
        ("5-6日", AUGUST, "2025-08-05", "2025-08-06", "5-6日"),
        ("5日至8日", AUGUST, "2025-08-05", "2025-08-08", "5日至8日"),
        (
            "注册从7月2日起至20日止",
            TimeContext(default_year=2018),
            "2018-07-02",
            "2018-07-20",
            "7月2日起至20日止",
        ),
        ("2.11月9日为消防日", TimeContext(default_year=2018), "2018-11-09", "2018-11-09", "11月9日"),
    ],
)
def test_days_without_a_month_and_list_numbers(
    text: str, ctx: TimeContext, start: str, end: str, matched: str
) -> None:
    (m,) = find_mentions(text, ctx)
    assert (m.start, m.end) == (D(start), D(end))
    assert text[m.begin : m.stop] == matched


@pytest.mark.parametrize(
    ("text", "ctx"),
    [
        ("5、6个", AUGUST),
        ("共3-5人", AUGUST),
        ("20日", AUGUST),
        ("30、31日", CTX["spring25"]),
        ("提高1.5月", AUGUST),
    ],
)
def test_not_days(text: str, ctx: TimeContext) -> None:
    assert find_mentions(text, ctx) == []


@pytest.mark.parametrize(
    ("text", "day_first"),
    [
        ("8-14/3 考试 22/1 新年 12/6 后备", True),  # 22/1 and 14/3 read only day first
        ("2/14(五) 3/25(二)", False),  # 3/25 reads only month first
        ("2/14 3/5", False),  # no evidence either way: month first
        ("", False),
    ],
)
def test_numeric_day_first(text: str, day_first: bool) -> None:
    assert numeric_day_first(text) is day_first


def test_day_labels_are_not_mm_dd() -> None:
    jan = TimeContext(D("2023-01-01"), D("2023-01-31"))
    (m,) = find_mentions("09-10 Mon-Tue", jan)
    assert (m.start, m.end, m.kind) == (D("2023-01-09"), D("2023-01-10"), "range")


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("114 學年度第 2 學期", "2026-02-01", "2026-07-31", "term"),  # spaced as calendars print it
        ("115 年 2 月 11 日、 12 日及 13 日", "2026-02-11", "2026-02-13", "range"),
        ("115 年 1 月 20 日(星期二)", "2026-01-20", "2026-01-20", "day"),
    ],
)
def test_spaced_roc_forms(text: str, start: str, end: str, kind: str) -> None:
    from eduplan.text import fold

    (m,) = find_mentions(fold(text), CTX["none"])
    assert (m.start, m.end, m.kind) == (D(start), D(end), kind)
    assert m.stop == len(text)


@pytest.mark.parametrize(
    ("text", "start", "weekday"),
    [("2.14(五)", "2025-02-14", 4), ("2.14(周五)", "2025-02-14", 4), ("2.14 Fri", "2025-02-14", 4)],
)
def test_dotted_day_with_a_weekday(text: str, start: str, weekday: int) -> None:
    (m,) = find_mentions(text, CTX["spring25"])
    assert (m.start, m.kind, m.weekday, m.stop) == (D(start), "day", weekday, len(text))


@pytest.mark.parametrize("text", ["版本3.2(一)", "3.5(一)"])  # (一) here numbers a list: wrong weekday
def test_dotted_pair_before_a_list_number(text: str) -> None:
    assert find_mentions(text, CTX["spring25"]) == []


_FORM_WORDS = ["Mon", "Fri", "Oct", "May", "學年度", "学期"]
_FORM_CHARS = [*"0123456789/.-~至、,及()（）年月日周星期一二三四五六本下上第学年度 \n|", *_FORM_WORDS]
_FORM_CONTEXTS = [*CTX.values(), *WEEKS.values(), AUGUST]


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.sampled_from(_FORM_CHARS), max_size=60),
    ctx=st.sampled_from(_FORM_CONTEXTS),
)
def test_random_forms_stay_well_formed(parts: list[str], ctx: TimeContext) -> None:
    text = "".join(parts)
    last = 0
    for m in find_mentions(text, ctx):
        assert m.start <= m.end
        assert last <= m.begin < m.stop <= len(text)
        assert all(m.start <= d <= m.end for d in m.days)
        last = m.stop
    numeric_day_first(text)


@pytest.mark.parametrize(
    ("text", "end", "weekday", "confidence"),
    [
        ("2025.03.07(五)", "2025-03-07", 4, 1.0),
        ("2025.03.07(四)", "2025-03-07", 3, 0.5),  # written Thursday, really a Friday
        ("2025/03/07(五)-03/09(日)", "2025-03-09", 4, 1.0),
        ("114.04.08(二)", "2025-04-08", 1, 1.0),
        ("2025-03-07 Fri", "2025-03-07", 4, 1.0),
    ],
)
def test_full_dates_with_a_weekday(text: str, end: str, weekday: int, confidence: float) -> None:
    (m,) = find_mentions(text, CTX["none"])
    assert (m.end, m.weekday, m.confidence, m.stop) == (D(end), weekday, confidence, len(text))


Y2024 = TimeContext(D("2024-01-01"), D("2024-12-31"))


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("第一季度末", "2024-03-01", "2024-03-31", "month_part"),
        ("二季度初", "2024-04-01", "2024-04-30", "month_part"),
        ("三季度中", "2024-08-01", "2024-08-31", "month_part"),
        ("上半年末", "2024-06-01", "2024-06-30", "month_part"),
        ("上半年中", "2024-03-01", "2024-04-30", "month_part"),
        ("前三季度", "2024-01-01", "2024-09-30", "quarter"),
        ("前两个季度", "2024-01-01", "2024-06-30", "quarter"),
        ("第二、三季度", "2024-04-01", "2024-09-30", "quarter"),
        ("第一至第三季度", "2024-01-01", "2024-09-30", "quarter"),
        ("2024年第一季度末前", "2024-01-01", "2024-03-31", "deadline"),
    ],
)
def test_parts_of_quarters_and_halves(text: str, start: str, end: str, kind: str) -> None:
    (m,) = find_mentions(text, Y2024)
    assert (m.start, m.end, m.kind, m.stop) == (D(start), D(end), kind, len(text))


def test_quarter_part_blocked_by_the_next_word() -> None:
    (m,) = find_mentions("一季度中小学", Y2024)
    assert (m.kind, m.stop) == ("quarter", 3)
