"""Lunar labels and lunar-date mentions. Dates checked by hand against published almanacs:
春节 2021-02-12, 2023-01-22, 2024-02-10, 2025-01-29; 元宵 2021-02-26 (so 02-27 is 正月十六);
二月初一 2021-03-13 (正月 2021 had 29 days); 2023's leap second month ran 03-22..04-19;
2020's leap fourth month began 05-23; 2025 had no 腊月三十 (除夕 2025-01-28 was 腊月廿九);
中秋 2021-09-21."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.calendar.lunar import lunar_label, mentions_lunar

D = date


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (D(2021, 2, 12), "农历正月初一"),
        (D(2021, 2, 26), "农历正月十五"),
        (D(2021, 2, 27), "农历正月十六"),
        (D(2021, 9, 21), "农历八月十五"),
        (D(2023, 1, 22), "农历正月初一"),
        (D(2023, 3, 21), "农历二月三十"),  # the day before the leap month
        (D(2023, 3, 22), "农历闰二月初一"),
        (D(2023, 4, 19), "农历闰二月廿九"),
        (D(2023, 4, 20), "农历三月初一"),
        (D(2020, 5, 23), "农历闰四月初一"),
        (D(2020, 1, 1), "农历腊月初七"),
        (D(2022, 11, 24), "农历冬月初一"),
        (D(2024, 2, 9), "农历腊月三十"),
        (D(2024, 2, 10), "农历正月初一"),
        (D(2025, 1, 28), "农历腊月廿九"),
        (D(2025, 1, 29), "农历正月初一"),
        (D(2021, 3, 12), "农历正月廿九"),  # 正月 2021 was a short month
        (D(2021, 3, 13), "农历二月初一"),
        (D(2021, 3, 3), "农历正月二十"),
        (D(2021, 2, 21), "农历正月初十"),
    ],
)
def test_lunar_label(day: date, label: str) -> None:
    assert lunar_label(day) == label


@pytest.mark.parametrize("day", [D(1899, 12, 31), D(2100, 3, 1)])
def test_lunar_label_out_of_range(day: date) -> None:
    with pytest.raises(ValueError, match="农历换算仅支持"):
        lunar_label(day)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("农历正月十六召开会议", True),
        ("農曆八月十五", True),  # traditional script
        ("阴历三月", True),
        ("正月十五元宵节猜灯谜活动", True),
        ("臘月二十三", True),
        ("除夕值班安排", True),
        ("端午节前开展安全教育", True),
        ("中秋、国庆假期安全提醒", True),
        ("重阳节敬老活动", True),
        ("三月初三民族节日活动", True),
        ("八月廿八", True),
        ("闰二月", True),
        ("2月27日开学", False),
        ("二〇二一年三月二十日", False),  # a solar date in Chinese numerals
        ("3月初完成", False),
        ("三月初完成学籍核查", False),  # 初 without a day number: early March
        ("初一年级期末考试", False),  # 初一 = junior-high grade one
        ("国庆节放假", False),
        ("", False),
        (None, False),
    ],
)
def test_mentions_lunar(text: str | None, expected: bool) -> None:
    assert mentions_lunar(text) is expected
