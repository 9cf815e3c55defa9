"""Term and week arithmetic. Weekdays checked by hand: 2021-02-21 and 2021-02-28 are Sundays,
2024-09-02 and 2025-01-13 are Mondays, 2025-01-17 is a Friday, 2021-07-17 is a Saturday."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from eduplan.calendar.model import Term, Week
from eduplan.calendar.terms import (
    infer_term,
    section_week_number,
    term_of,
    week_dates,
    week_of,
    weeks,
    weeks_covering,
)
from eduplan.plan import Item, Plan

D = date
CORPUS = Path(__file__).resolve().parents[2].parent / "shared/corpus/dev"

# Sunday-start term with a 预备周 (the dev corpus 000 calendar: 衡山县 2021 spring).
SUN_PREP = Term("2020—2021学年度第二学期", D(2021, 2, 21), D(2021, 7, 17), D(2021, 2, 28), prep_week=True)
# Monday-start term without a prep week, ending on a Friday.
MON = Term("2024—2025学年度第一学期", D(2024, 9, 1), D(2025, 1, 17), D(2024, 9, 2))
# Monday-start term with a prep week.
MON_PREP = Term("2023—2024学年度第二学期", D(2024, 2, 19), D(2024, 7, 5), D(2024, 2, 26), prep_week=True)
# Sunday-start term without a prep week.
SUN = Term("2021—2022学年度第一学期", D(2021, 8, 29), D(2022, 1, 15), D(2021, 8, 29))
TERMS = [SUN_PREP, MON, MON_PREP, SUN]


@pytest.mark.parametrize(
    ("term", "count", "first", "last"),
    [
        (SUN_PREP, 21, Week(0, D(2021, 2, 21), D(2021, 2, 27)), Week(20, D(2021, 7, 11), D(2021, 7, 17))),
        (MON, 20, Week(1, D(2024, 9, 2), D(2024, 9, 8)), Week(20, D(2025, 1, 13), D(2025, 1, 19))),
        (MON_PREP, 20, Week(0, D(2024, 2, 19), D(2024, 2, 25)), Week(19, D(2024, 7, 1), D(2024, 7, 7))),
        (SUN, 20, Week(1, D(2021, 8, 29), D(2021, 9, 4)), Week(20, D(2022, 1, 9), D(2022, 1, 15))),
    ],
)
def test_weeks_span(term: Term, count: int, first: Week, last: Week) -> None:
    ws = weeks(term)
    assert len(ws) == count
    assert ws[0] == first
    assert ws[-1] == last
    assert ws[-1].contains(term.end)
    # consecutive, seven days each, all starting on week 1's weekday
    for a, b in itertools.pairwise(ws):
        assert b.number == a.number + 1
        assert (b.start - a.start).days == 7
    assert all((w.end - w.start).days == 6 for w in ws)
    assert {w.start.weekday() for w in ws} == {term.week1_start.weekday()}


@pytest.mark.parametrize(
    ("term", "day", "number"),
    [
        (SUN_PREP, D(2021, 2, 21), 0),  # Sunday, first day of the 预备周
        (SUN_PREP, D(2021, 2, 27), 0),  # Saturday, last day of the 预备周
        (SUN_PREP, D(2021, 2, 28), 1),  # Sunday, week 1 starts
        (SUN_PREP, D(2021, 3, 1), 1),
        (SUN_PREP, D(2021, 5, 16), 12),  # the document prints 第12周 from 05-16
        (SUN_PREP, D(2021, 7, 17), 20),
        (SUN_PREP, D(2021, 2, 20), None),  # before the prep week
        (SUN_PREP, D(2021, 7, 18), None),  # after the week containing the end
        (MON, D(2024, 9, 1), None),  # term starts on a Sunday but week 1 on Monday, no prep week
        (MON, D(2024, 9, 2), 1),
        (MON, D(2024, 9, 8), 1),
        (MON, D(2024, 9, 9), 2),
        (MON, D(2024, 10, 1), 5),  # 09-30 is the Monday of week 5
        (MON, D(2025, 1, 19), 20),  # Sunday after the Friday end: still the last week
        (MON, D(2025, 1, 20), None),
        (MON_PREP, D(2024, 2, 19), 0),
        (MON_PREP, D(2024, 2, 18), None),
        (SUN, D(2021, 8, 28), None),  # Saturday before week 1, no prep week
        (SUN, D(2021, 8, 29), 1),
    ],
)
def test_week_of(term: Term, day: date, number: int | None) -> None:
    week = week_of(term, day)
    if number is None:
        assert week is None
    else:
        assert week is not None
        assert week.number == number
        assert week.contains(day)


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.name)
def test_round_trip_every_week(term: Term) -> None:
    for w in weeks(term):
        start, end = week_dates(term, w.number)
        assert (start, end) == (w.start, w.end)
        for day in (start, end):
            found = week_of(term, day)
            assert found is not None and found.number == w.number


@pytest.mark.parametrize(
    ("term", "number"),
    [(SUN_PREP, 21), (SUN_PREP, -1), (MON, 0), (MON, 21), (SUN, 0), (MON_PREP, 20)],
)
def test_week_dates_outside_term(term: Term, number: int) -> None:
    with pytest.raises(ValueError, match="不在学期"):
        week_dates(term, number)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2021, 2, 21), SUN_PREP),
        (D(2021, 7, 17), SUN_PREP),
        (D(2021, 7, 18), None),  # summer holiday
        (D(2021, 8, 29), SUN),
        (D(2024, 9, 1), MON),
        (D(2025, 1, 18), None),
        (D(2024, 2, 18), None),
        (D(2024, 2, 19), MON_PREP),
    ],
)
def test_term_of(day: date, expected: Term | None) -> None:
    assert term_of(day, TERMS) == expected


@pytest.mark.parametrize(
    ("days", "first_weekday", "expected"),
    [
        ([], 0, []),
        ([D(2024, 10, 2)], 0, [(1, D(2024, 9, 30), D(2024, 10, 6))]),  # Wed → Mon..Sun
        ([D(2024, 10, 2)], 6, [(1, D(2024, 9, 29), D(2024, 10, 5))]),  # Wed → Sun..Sat
        ([D(2024, 9, 30)], 0, [(1, D(2024, 9, 30), D(2024, 10, 6))]),  # a Monday starts its week
        ([D(2024, 10, 6)], 0, [(1, D(2024, 9, 30), D(2024, 10, 6))]),  # a Sunday ends it
        ([D(2024, 10, 6)], 6, [(1, D(2024, 10, 6), D(2024, 10, 12))]),  # ... or starts it
        (
            [D(2024, 10, 20), D(2024, 10, 1), D(2024, 10, 1)],  # unordered, duplicates, a gap
            0,
            [
                (1, D(2024, 9, 30), D(2024, 10, 6)),
                (2, D(2024, 10, 7), D(2024, 10, 13)),
                (3, D(2024, 10, 14), D(2024, 10, 20)),
            ],
        ),
        ([D(2024, 12, 30), D(2025, 1, 5)], 0, [(1, D(2024, 12, 30), D(2025, 1, 5))]),  # across a year
    ],
)
def test_weeks_covering(days: list[date], first_weekday: int, expected: list[tuple]) -> None:
    assert [(w.number, w.start, w.end) for w in weeks_covering(days, first_weekday)] == expected


def test_weeks_covering_rejects_bad_weekday() -> None:
    with pytest.raises(ValueError, match="起始日"):
        weeks_covering([D(2024, 10, 1)], 7)


@pytest.mark.parametrize(
    ("section", "number"),
    [
        ("预备周", 0),
        ("預備周", 0),
        ("第1周", 1),
        ("第12周", 12),
        ("第十二周", 12),
        ("第二十周", 20),
        ("第 3 周", 3),
        ("第三周（3月14日—20日）", 3),
        ("三、主要工作", None),
        ("第0周", None),
        ("", None),
        (None, None),
    ],
)
def test_section_week_number(section: str | None, number: int | None) -> None:
    assert section_week_number(section) == number


def _item(section: str, start: date, end: date | None = None) -> Item:
    return Item(title="工作", text="工作", start=start, end=end or start, section=section)


def test_infer_term_hand_built_sunday_weeks() -> None:
    plan = Plan(
        source={},
        kind="calendar",
        title="某县教育局2020—2021学年度第二学期教育工作行事历",
        period_start=D(2021, 2, 21),
        period_end=D(2021, 7, 17),
        items=[
            _item("预备周", D(2021, 2, 21), D(2021, 2, 27)),
            _item("第一周", D(2021, 2, 27), D(2021, 3, 1)),  # stray: 开学 2月27日-28日
            _item("第一周", D(2021, 2, 28)),
            _item("第一周", D(2021, 2, 28)),
            _item("第2周", D(2021, 3, 7)),
            _item("第十二周", D(2021, 5, 16)),
            _item("第十二周", D(2021, 5, 19)),  # a dated item inside the week
            _item("第十二周", D(2021, 5, 16)),
            _item("二、其他", D(2021, 1, 1)),  # not a week section: ignored
        ],
    )
    term = infer_term(plan)
    assert term == Term(
        name="2020—2021学年度第二学期",
        start=D(2021, 2, 21),
        end=D(2021, 7, 17),
        week1_start=D(2021, 2, 28),
        prep_week=True,
    )


def test_infer_term_monday_weeks_without_period_or_prep() -> None:
    plan = Plan(
        source={},
        kind="calendar",
        title=None,
        items=[
            _item("第1周", D(2024, 9, 2)),
            _item("第2周", D(2024, 9, 9)),
            _item("第3周", D(2024, 9, 18)),  # the only item of week 3 is a Wednesday: outvoted
            _item("第五周", D(2024, 9, 30)),
        ],
    )
    term = infer_term(plan)
    assert term is not None
    assert term.week1_start == D(2024, 9, 2)
    assert term.prep_week is False
    assert term.start == D(2024, 9, 2)  # falls back to week 1
    assert term.end == D(2024, 10, 6)  # end of week 5
    assert term.name == ""
    assert week_of(term, D(2024, 10, 1)).number == 5


@pytest.mark.parametrize(
    "items",
    [
        [],
        [_item("第1周", D(2024, 9, 2)), _item("第1周", D(2024, 9, 3))],  # one week section only
        [_item("一、德育", D(2024, 9, 2)), _item("二、教学", D(2024, 9, 9))],  # no week sections
        [_item("第1周", D(2024, 9, 2)), Item("工作", "工作", None, None, section="第2周")],  # undated
    ],
)
def test_infer_term_needs_two_week_sections(items: list[Item]) -> None:
    assert infer_term(Plan(source={}, kind="calendar", items=items)) is None


def test_infer_term_real_calendar() -> None:
    path = CORPUS / "000_b64916f5b05da3f4.txt"
    if not path.exists():
        pytest.skip(f"dev corpus document not found at {path}")
    from eduplan.read import read_file
    from eduplan.understand import understand

    term = infer_term(understand(read_file(path)))
    assert term is not None
    assert term.week1_start == D(2021, 2, 28)
    assert term.week1_start.weekday() == 6  # Sunday
    assert term.prep_week is True
    assert (term.start, term.end) == (D(2021, 2, 21), D(2021, 7, 17))
    assert "2020—2021學年度第二學期" in term.name
    assert len(weeks(term)) == 21
    assert week_dates(term, 12) == (D(2021, 5, 16), D(2021, 5, 22))
