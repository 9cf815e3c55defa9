"""Term events stated in a calendar's prose (``eduplan.understand.termprose``): one item per
dated clause, and nothing from ordinary prose with a date."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.read import read_bytes
from eduplan.understand import understand
from eduplan.understand.termprose import term_events
from eduplan.understand.termwords import TERM_EVENT_WORDS
from eduplan.understand.timex import TimeContext

D = date.fromisoformat
YEAR = TimeContext(D("2030-09-01"), D("2031-08-31"), 2030)

# text, expected (clause text, start, end) per event
CASES = [
    # two clauses, each a day and its event; weekday and lunar labels in brackets, a comma
    # inside the bracket does not cut
    (
        "第一学期于9月2日(周一)开学,1月20日(农历腊月初八,周一)放寒假。",
        [
            ("第一学期于9月2日(周一)开学", "2030-09-02", "2030-09-02"),
            ("1月20日(农历腊月初八,周一)放寒假", "2031-01-20", "2031-01-20"),
        ],
    ),
    # a gap of a few characters between the day and the event; the bracketed day stays out
    (
        "全区中小学均于2031年2月17日(2月16日报到)正式开学。",
        [("全区中小学均于2031年2月17日(2月16日报到)正式开学", "2031-02-17", "2031-02-17")],
    ),
    # an unclosed bracket runs to the end and is left out
    ("下学期于2月17日开学(2月", [("下学期于2月17日开学(2月", "2031-02-17", "2031-02-17")]),
    # 、 cuts where each part has its own day
    (
        "6月28日考试、7月5日放暑假",
        [("6月28日考试", "2031-06-28", "2031-06-28"), ("7月5日放暑假", "2031-07-05", "2031-07-05")],
    ),
    # 、 inside one day list does not cut: the list is the clause's one day expression
    ("9月1日、2日报到", [("9月1日、2日报到", "2030-09-01", "2030-09-02")]),
    # a pinyin gloss inside the event word (開(kāi)學(xué)) does not hide it
    (
        "第二学(xué)期于3月3日开(kāi)学(xué)。",
        [("第二学(xué)期于3月3日开(kāi)学(xué)", "2031-03-03", "2031-03-03")],
    ),
    # a range is one day expression
    ("1月13日至15日期末考试", [("1月13日至15日期末考试", "2031-01-13", "2031-01-15")]),
    # one sentence read, the next (no day) not, each on its own
    ("7月5日放暑假。请各校做好安排。", [("7月5日放暑假", "2031-07-05", "2031-07-05")]),
    # a clause without its own day and event spoils the sentence: ordinary prose
    ("9月2日开学,请各校认真做好准备工作。", []),
    ("现将2030—2031学年度校历印发给你们,9月2日开学。", []),
    # week counts and a date without an event
    ("全学年52周,其中教学时间40周,寒暑假12周。", []),
    ("9月10日是教师节。", []),
    # the event before the day, or far after it
    ("开学时间为9月2日。", []),
    ("9月2日全体教师到校参加培训后开学", []),
    # two days in one clause: which one the event is on is not clear, the sentence is not read
    ("9月2日开学,9月1日报到9月3日上课", []),
    # a range written in full is one day expression
    (
        "9月2日开学,9月1日至9月2日报到",
        [("9月2日开学", "2030-09-02", "2030-09-02"), ("9月1日至9月2日报到", "2030-09-01", "2030-09-02")],
    ),
]


def _read(text: str) -> list[tuple[str, str, str]]:
    return [
        (text[e.begin : e.stop].strip(), e.start.isoformat(), e.end.isoformat())
        for e in term_events(text, YEAR)
    ]


@pytest.mark.parametrize("text,expected", CASES)
def test_term_events(text: str, expected: list) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize("word", TERM_EVENT_WORDS)
def test_every_event_word_is_read(word: str) -> None:
    assert _read(f"9月2日{word}") == [(f"9月2日{word}", "2030-09-02", "2030-09-02")]


def _plan(text: str):
    return understand(read_bytes(text.encode("utf-8"), "doc.txt"))


CALENDAR_NOTICE = """各区教育局,各直属学校:
现将2030—2031学年度校历印发给你们,请提前做好准备。
2030—2031学年度第一学期于9月2日(周一)开学,1月20日(周一)放寒假。
第二学期于2月17日(周一)开学,7月7日(周一)放暑假。
全学年52周,其中教学时间40周,寒暑假12周。
"""


def test_a_calendar_notice_gives_one_item_per_dated_clause() -> None:
    plan = _plan(CALENDAR_NOTICE)
    got = [(i.title, i.start.isoformat(), i.end.isoformat()) for i in plan.items]
    assert got == [
        ("2030—2031学年度第一学期于9月2日(周一)开学", "2030-09-02", "2030-09-02"),
        ("1月20日(周一)放寒假", "2031-01-20", "2031-01-20"),
        ("第二学期于2月17日(周一)开学", "2031-02-17", "2031-02-17"),
        ("7月7日(周一)放暑假", "2031-07-07", "2031-07-07"),
    ]


def test_a_bracket_open_at_a_line_end_closes_on_the_next_line() -> None:
    # the second line alone (16日报到)) is not read again as an event of its own
    plan = _plan("2030—2031学年度校历\n第二学期于2月17日开学(2月\n16日报到),7月7日放暑假。\n")
    got = [(i.title, i.start.isoformat(), i.end.isoformat(), i.line) for i in plan.items]
    assert got == [
        ("第二学期于2月17日开学(2月16日报到)", "2031-02-17", "2031-02-17", 2),
        ("7月7日放暑假", "2031-07-07", "2031-07-07", 2),
    ]


ROW_CALENDARS = [
    # a table row's text is the row's entry, however its clauses read
    "2030—2031学年度第一学期校历\n周次|日期|工作安排\n1|9月2日-9月8日|9月2日开学,9月6日新生报到\n"
    "2|9月9日-9月15日|庆祝教师节\n",
    # and so is the text under a week heading
    "2030—2031学年度第一学期校历\n第1周(9月2日-9月8日)\n9月2日开学,9月6日新生报到\n"
    "第2周(9月9日-9月15日)\n庆祝教师节\n",
]


@pytest.mark.parametrize("text", ROW_CALENDARS)
def test_a_calendar_rows_text_is_left_to_the_layout(text: str) -> None:
    assert [i.title for i in _plan(text).items] == ["9月2日开学", "庆祝教师节"]
