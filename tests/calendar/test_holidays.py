"""Public holidays and adjusted working days. Expected values follow the State Council notices
(e.g. 2024: 国庆节 10-01..07 off, 09-29 Sun and 10-12 Sat worked; 春节 02-10..17 off, 02-04 Sun and
02-18 Sun worked; 中秋节 09-15..17 off, 09-14 Sat worked; 劳动节 05-01..05 off, 04-28 Sun and
05-11 Sat worked) and were checked against chinese-calendar as well."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.calendar.holidays import (
    DayInfo,
    DayOverride,
    HolidayCalendar,
    is_one_day_on_holiday,
    missing_years_message,
    parse_overrides,
)

D = date
PACKAGE = HolidayCalendar()

OVERRIDES_2027 = """
# 2027 holiday arrangement as entered by an administrator (illustrative)
2027-01-01 元旦 休
2027-02-06..2027-02-12 春节 休
2027-02-14 春节 班   # Sunday worked

2027-02-20 春节 班
"""


@pytest.mark.parametrize(
    ("day", "is_off", "is_holiday", "is_adjusted", "name"),
    [
        (D(2024, 10, 1), True, True, False, "国庆节"),  # Tuesday
        (D(2024, 10, 5), True, True, False, "国庆节"),  # Saturday inside the holiday
        (D(2024, 10, 7), True, True, False, "国庆节"),  # Monday, last day off
        (D(2024, 10, 8), False, False, False, None),  # Tuesday, back to work
        (D(2024, 9, 29), False, False, True, "国庆节"),  # Sunday worked
        (D(2024, 10, 12), False, False, True, "国庆节"),  # Saturday worked
        (D(2024, 10, 13), True, False, False, None),  # ordinary Sunday
        (D(2024, 10, 9), False, False, False, None),  # ordinary Wednesday
        (D(2024, 2, 10), True, True, False, "春节"),  # Saturday, 正月初一
        (D(2024, 2, 4), False, False, True, "春节"),
        (D(2024, 2, 18), False, False, True, "春节"),
        (D(2024, 9, 14), False, False, True, "中秋节"),
        (D(2024, 9, 17), True, True, False, "中秋节"),
        (D(2024, 4, 4), True, True, False, "清明节"),
        (D(2024, 4, 28), False, False, True, "劳动节"),
        (D(2024, 5, 1), True, True, False, "劳动节"),
        (D(2024, 6, 10), True, True, False, "端午节"),  # Monday
        (D(2021, 1, 1), True, True, False, "元旦"),  # Friday
        (D(2015, 9, 3), True, True, False, "抗战胜利纪念日"),
        (D(2015, 9, 6), False, False, True, "抗战胜利纪念日"),  # Sunday worked
    ],
)
def test_package_days(day: date, is_off: bool, is_holiday: bool, is_adjusted: bool, name: str | None) -> None:
    assert PACKAGE.day(day) == DayInfo(day, is_off, is_holiday, is_adjusted, name, known=True)


def test_holidays_and_workdays_between_national_day_2024() -> None:
    start, end = D(2024, 9, 28), D(2024, 10, 13)
    assert PACKAGE.holidays_between(start, end) == {D(2024, 10, d): "国庆节" for d in range(1, 8)}
    assert PACKAGE.adjusted_workdays_between(start, end) == {
        D(2024, 9, 29): "国庆节调休上班",
        D(2024, 10, 12): "国庆节调休上班",
    }


def test_between_is_inclusive_and_empty_when_reversed() -> None:
    assert PACKAGE.holidays_between(D(2024, 10, 7), D(2024, 10, 7)) == {D(2024, 10, 7): "国庆节"}
    assert PACKAGE.holidays_between(D(2024, 10, 7), D(2024, 10, 1)) == {}


def test_covered_and_missing_years() -> None:
    years = PACKAGE.covered_years()
    assert {2004, 2021, 2024, 2026} <= years
    assert 2003 not in years and 2027 not in years
    assert PACKAGE.missing_years(D(2026, 9, 1), D(2028, 1, 15)) == [2027, 2028]
    assert PACKAGE.missing_years(D(2024, 9, 1), D(2025, 1, 15)) == []


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (
            [2027],
            "2027年的法定节假日安排尚未录入：系统自带的放假安排只有 2004–2026 年，"
            "这些年份的节假日和调休上班日暂按普通周末计算，提醒也不会避开假期。"
            "请管理员在“管理 → 节假日”按国务院的放假通知录入。",
        ),
        ([2028, 2027, 2027], "2027、2028年的法定节假日安排尚未录入"),
        ([], ""),
    ],
)
def test_missing_years_message(years: list[int], expected: str) -> None:
    message = missing_years_message(years)
    assert message.startswith(expected) if expected else message == ""


@pytest.mark.parametrize(
    ("day", "info"),
    [
        (D(2027, 1, 2), DayInfo(D(2027, 1, 2), True, False, False, None, known=False)),  # Saturday
        (D(2027, 1, 4), DayInfo(D(2027, 1, 4), False, False, False, None, known=False)),  # Monday
        (D(2003, 10, 1), DayInfo(D(2003, 10, 1), False, False, False, None, known=False)),  # Wednesday
    ],
)
def test_unknown_year_falls_back_to_weekends(day: date, info: DayInfo) -> None:
    assert PACKAGE.day(day) == info
    assert PACKAGE.holidays_between(day, day) == {}


def test_override_year_2027() -> None:
    cal = HolidayCalendar(parse_overrides(OVERRIDES_2027))
    assert 2027 in cal.covered_years()
    assert cal.missing_years(D(2026, 9, 1), D(2027, 7, 1)) == []
    assert cal.day(D(2027, 1, 1)) == DayInfo(D(2027, 1, 1), True, True, False, "元旦")  # Friday
    assert cal.day(D(2027, 1, 2)) == DayInfo(D(2027, 1, 2), True, False, False, None)  # Saturday, known
    assert cal.day(D(2027, 1, 4)) == DayInfo(D(2027, 1, 4), False, False, False, None)  # Monday
    assert cal.day(D(2027, 2, 14)) == DayInfo(D(2027, 2, 14), False, False, True, "春节")  # Sunday worked
    assert cal.holidays_between(D(2027, 1, 1), D(2027, 2, 28)) == {
        D(2027, 1, 1): "元旦",
        **{D(2027, 2, d): "春节" for d in range(6, 13)},
    }
    assert cal.adjusted_workdays_between(D(2027, 1, 1), D(2027, 2, 28)) == {
        D(2027, 2, 14): "春节调休上班",
        D(2027, 2, 20): "春节调休上班",  # Saturday
    }


def test_override_corrects_a_package_day_and_keeps_the_rest() -> None:
    cal = HolidayCalendar({D(2024, 10, 12): DayOverride(off=True, name="国庆节")})
    assert cal.day(D(2024, 10, 12)).is_off is True
    assert cal.day(D(2024, 10, 12)).is_holiday is True
    assert cal.day(D(2024, 9, 29)).is_adjusted_workday is True  # untouched package data
    assert cal.day(D(2024, 10, 1)).name == "国庆节"


@pytest.mark.parametrize(
    ("override", "day", "info"),
    [
        # unnamed weekday off: still a holiday, generic name
        (DayOverride(True), D(2027, 3, 1), DayInfo(D(2027, 3, 1), True, True, False, "法定节假日")),
        # unnamed weekend off: an ordinary weekend
        (DayOverride(True), D(2027, 3, 6), DayInfo(D(2027, 3, 6), True, False, False, None)),
        # a weekday marked 班 is just a working day, not an adjusted one
        (DayOverride(False, "春节"), D(2027, 3, 1), DayInfo(D(2027, 3, 1), False, False, False, None)),
    ],
)
def test_override_edge_cases(override: DayOverride, day: date, info: DayInfo) -> None:
    assert HolidayCalendar({day: override}).day(day) == info


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-01-01 元旦 休", {D(2027, 1, 1): DayOverride(True, "元旦")}),
        ("2027-02-14 春节 班", {D(2027, 2, 14): DayOverride(False, "春节")}),
        ("2027/1/1 休", {D(2027, 1, 1): DayOverride(True, "")}),
        (
            "  2027-10-01～2027-10-02　国庆节　休  ",
            {D(2027, 10, d): DayOverride(True, "国庆节") for d in (1, 2)},
        ),
        ("2027-05-01至2027-05-03 劳动节 休", {D(2027, 5, d): DayOverride(True, "劳动节") for d in (1, 2, 3)}),
        ("# only a comment\n\n   \n", {}),
        (
            "2027-12-31..2028-01-01 元旦 休",
            {D(2027, 12, 31): DayOverride(True, "元旦"), D(2028, 1, 1): DayOverride(True, "元旦")},
        ),
    ],
)
def test_parse_overrides(text: str, expected: dict) -> None:
    assert parse_overrides(text) == expected


def test_parse_overrides_range_length() -> None:
    parsed = parse_overrides("2027-02-06..2027-02-12 春节 休")
    assert sorted(parsed) == [D(2027, 2, d) for d in range(6, 13)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01 元旦", "第1行：最后一项应为“休”或“班”"),
        ("2027-01-01", "第1行：应写成"),
        ("\n# header\n2027-13-01 元旦 休", "第3行：日期“2027-13-01”不存在"),
        ("2027-02-30 某节 休", "第1行：日期“2027-02-30”不存在"),
        ("元旦 2027-01-01 休", "第1行：“元旦”不是日期"),
        ("2027-01-01 元旦 放假 一天", "第1行：应写成"),
        ("2027-02-12..2027-02-06 春节 休", "第1行：结束日期 2027-02-06 早于开始日期 2027-02-12"),
        ("2027-01-01..2027-03-01 寒假 休", "第1行：一行最多录入 31 天"),
        ("2027-01-01 元旦 休\n2027-01-01 元旦 班", "第2行：2027-01-01 已在第1行录入过"),
        ("2027-02-06..2027-02-12 春节 休\n2027-02-10 春节 班", "第2行：2027-02-10 已在第1行录入过"),
    ],
)
def test_parse_overrides_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        parse_overrides(text)
    assert message in str(excinfo.value)


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (D(2024, 10, 1), D(2024, 10, 1), "国庆节"),
        (D(2024, 10, 5), D(2024, 10, 5), "国庆节"),  # a Saturday inside the holiday: the holiday wins
        (D(2024, 10, 12), D(2024, 10, 12), None),  # adjusted working Saturday
        (D(2024, 10, 19), D(2024, 10, 19), "周六"),
        (D(2024, 10, 13), D(2024, 10, 13), "周日"),
        (D(2024, 10, 9), D(2024, 10, 9), None),  # Wednesday
        (D(2024, 10, 1), D(2024, 10, 3), None),  # longer than a day
        (D(2024, 10, 1), None, None),
        (None, None, None),
        (D(2027, 1, 2), D(2027, 1, 2), "周六"),  # unknown year: weekends still count
    ],
)
def test_is_one_day_on_holiday(start: date | None, end: date | None, reason: str | None) -> None:
    assert is_one_day_on_holiday(start, end, PACKAGE) == reason


def test_is_one_day_on_holiday_with_override() -> None:
    cal = HolidayCalendar(parse_overrides(OVERRIDES_2027))
    assert is_one_day_on_holiday(D(2027, 1, 1), D(2027, 1, 1), cal) == "元旦"
    assert is_one_day_on_holiday(D(2027, 2, 14), D(2027, 2, 14), cal) is None
