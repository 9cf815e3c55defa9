"""What is due: ``eduplan.supervise.agenda.agenda`` on a small hand-built 行事历 with term weeks,
offices, schools and 各学校, statuses, another bureau, and the holidays in the window."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from eduplan.calendar.holidays import DayOverride
from eduplan.errors import EduplanError
from eduplan.ledger.holidays import store_overrides
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import AuditEntry, HolidayOverride, Item
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.supervise.agenda import agenda

D = date
BUREAU = "甲县教育局"
OTHER = "乙县教育局"
TERM = "2024—2025学年度第一学期"
OPENING = D(2024, 9, 2)  # the first day of the term, a Monday

# Term weeks (week 1 begins Monday 2024-09-02): 第1周 09-02..09-08, 第2周 09-09..09-15,
# 第3周 09-16..09-22, 第4周 09-23..09-29, 第5周 09-30..10-06; the term ends 2025-01-19 (第20周).
ITEMS = [
    # title, start, end, units, section
    ("开学工作检查", D(2024, 9, 2), D(2024, 9, 6), ["督导室", "各学校"], "第1周"),
    ("城关中学教学开放日", D(2024, 9, 5), D(2024, 9, 5), ["城关中学"], "第1周"),
    ("教师节表彰大会", D(2024, 9, 10), D(2024, 9, 10), ["办公室"], "第2周"),
    ("第二中学安全演练", D(2024, 9, 11), D(2024, 9, 11), ["第二中学"], "第2周"),
    ("校园足球联赛", D(2024, 9, 12), D(2024, 9, 12), ["体卫艺股"], "第2周"),
    ("教学视导", D(2024, 9, 16), D(2024, 9, 20), ["基教股", "城关中学"], "第3周"),
    ("国庆安全检查", D(2024, 9, 30), D(2024, 9, 30), ["校安股"], "第5周"),
]
STATUSES = {"教师节表彰大会": "done", "城关中学教学开放日": "in_progress", "校园足球联赛": "cancelled"}


@pytest.fixture
def ledger(sessions):
    calendar = ParsedPlan(
        source={"name": "行事历.txt", "format": "txt"},
        kind="calendar",
        title=f"甲县教育局{TERM}工作行事历",
        issuer=BUREAU,
        period_start=D(2024, 9, 2),
        period_end=D(2025, 1, 19),
        items=[PlanItem(t, t, s, e, u, sec, n) for n, (t, s, e, u, sec) in enumerate(ITEMS, start=1)],
    )
    other = ParsedPlan(
        source={"name": "乙县.txt", "format": "txt"},
        kind="plan",
        title="乙县教育局九月工作安排",
        issuer=OTHER,
        items=[PlanItem("乙县开学检查", "乙县开学检查", D(2024, 9, 3), D(2024, 9, 3), ["督导室"])],
    )
    with sessions.begin() as session:
        import_plan(session, calendar, b"calendar", bureau=BUREAU)
        import_plan(session, other, b"other", bureau=OTHER)
        for title, status in STATUSES.items():
            session.scalars(select(Item).where(Item.title == title)).one().status = status
    return sessions


def titles(views) -> list[str]:
    return [v.title for v in views]


def test_the_items_of_a_day(ledger):
    cases = [
        (D(2024, 9, 2), ["开学工作检查"]),
        (D(2024, 9, 5), ["开学工作检查", "城关中学教学开放日"]),
        (D(2024, 9, 7), []),  # a Saturday between the weeks' items
        (D(2024, 9, 18), ["教学视导"]),  # inside a five-day item
        (D(2024, 9, 12), []),  # only a cancelled item that day
    ]
    with ledger() as session:
        for day, expected in cases:
            result = agenda(session, day=day, bureau=BUREAU, today=OPENING)
            assert (result.start, result.end, result.label) == (day, day, day.isoformat())
            assert titles(result.items) == expected, day


def test_without_a_bureau_every_bureau_is_shown(ledger):
    with ledger() as session:
        everyone = agenda(session, day=D(2024, 9, 3), today=OPENING)
        only_other = agenda(session, day=D(2024, 9, 3), bureau=OTHER, today=OPENING)
    assert sorted(titles(everyone.items)) == sorted(["开学工作检查", "乙县开学检查"])
    assert titles(only_other.items) == ["乙县开学检查"]


WEEK_CASES = [  # week, first day, last day, label, items
    (1, D(2024, 9, 2), D(2024, 9, 8), "第一周", ["开学工作检查", "城关中学教学开放日"]),
    (2, D(2024, 9, 9), D(2024, 9, 15), "第二周", ["教师节表彰大会", "第二中学安全演练"]),  # not cancelled
    (4, D(2024, 9, 23), D(2024, 9, 29), "第四周", []),
]


def test_the_items_of_a_term_week(ledger):
    # One ledger for the whole case table: each case would otherwise migrate a database.
    with ledger() as session:
        for week, start, end, label, expected in WEEK_CASES:
            result = agenda(session, week=week, bureau=BUREAU, today=OPENING)
            assert (result.start, result.end) == (start, end), week
            assert result.label == f"{TERM} {label}（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）"
            assert titles(result.items) == expected, week


def test_the_default_window_is_the_current_term_week(ledger):
    with ledger() as session:
        result = agenda(session, bureau=BUREAU, today=D(2024, 9, 11))
    assert (result.start, result.end) == (D(2024, 9, 9), D(2024, 9, 15))
    assert "第二周" in result.label
    assert titles(result.items) == ["教师节表彰大会", "第二中学安全演练"]


def test_outside_a_term_the_default_window_is_the_calendar_week(ledger):
    with ledger() as session:
        result = agenda(session, bureau=BUREAU, today=D(2025, 3, 5))  # a Wednesday after the term
    assert (result.start, result.end) == (D(2025, 3, 3), D(2025, 3, 9))
    assert result.label == "本周（2025-03-03 至 2025-03-09）"


OFFICE_CASES = [  # week, office, items
    (1, "督导室", ["开学工作检查"]),
    (2, "办公室", ["教师节表彰大会"]),
    (3, "基教股", ["教学视导"]),
    (3, "督导室", []),
]


def test_the_items_of_an_office(ledger):
    with ledger() as session:
        for week, office, expected in OFFICE_CASES:
            result = agenda(session, week=week, office=office, bureau=BUREAU, today=OPENING)
            assert titles(result.items) == expected, (week, office)


def test_a_school_sees_its_own_items_and_those_for_all_schools_but_not_another_schools(ledger):
    with ledger() as session:

        def school(name, week):
            return titles(agenda(session, week=week, school=name, bureau=BUREAU, today=OPENING).items)

        assert school("城关中学", 1) == ["开学工作检查", "城关中学教学开放日"]  # 各学校 + its own
        assert school("城关中学", 2) == []  # 第二中学's drill is not its business
        assert school("城关中学", 3) == ["教学视导"]
        assert school("第二中学", 1) == ["开学工作检查"]
        assert school("第二中学", 2) == ["第二中学安全演练"]


def test_overdue_items_before_the_window(ledger):
    today = D(2024, 9, 18)
    with ledger() as session:
        result = agenda(session, week=3, bureau=BUREAU, today=today)
        for_school = agenda(session, week=3, school="城关中学", bureau=BUREAU, today=today)
    assert titles(result.items) == ["教学视导"]
    # Done (教师节表彰大会) and cancelled (校园足球联赛) items are not overdue.
    assert titles(result.overdue) == ["开学工作检查", "城关中学教学开放日", "第二中学安全演练"]
    assert all(result.is_overdue(v) and result.status(v) == "已逾期" for v in result.overdue)
    assert result.status(result.items[0]) == "未开始"
    assert titles(for_school.overdue) == ["开学工作检查", "城关中学教学开放日"]


def test_an_item_is_overdue_only_after_its_last_day(ledger):
    with ledger() as session:
        on_last_day = agenda(session, week=2, bureau=BUREAU, today=D(2024, 9, 5))
        day_after = agenda(session, week=2, bureau=BUREAU, today=D(2024, 9, 6))
    # 城关中学教学开放日 ends 09-05, 开学工作检查 ends 09-06.
    assert on_last_day.overdue == []
    assert titles(day_after.overdue) == ["城关中学教学开放日"]


def test_a_week_asked_the_day_before_the_term_begins_is_a_week_of_that_term(ledger):
    # Sunday 09-01: the bureau imported its 行事历 and looks at the first week ahead of it.
    with ledger() as session:
        result = agenda(session, week=1, bureau=BUREAU, today=D(2024, 9, 1))
    assert (result.start, result.end) == (D(2024, 9, 2), D(2024, 9, 8))
    assert titles(result.items) == ["开学工作检查", "城关中学教学开放日"]


ERROR_CASES = [  # what is asked, the message
    ({"week": 1, "office": "不存在股"}, "找不到科室“不存在股”"),
    ({"week": 1, "school": "不存在小学"}, "找不到学校“不存在小学”"),
    ({"week": 1, "bureau": "丙县教育局"}, "没有名为“丙县教育局”的教育局"),
    ({"week": 30}, f"第三十周不在学期“{TERM}”内（本学期为第一周至第二十周）。"),
    ({"week": 1, "bureau": OTHER}, "还没有学期记录"),  # 乙县 imported no 行事历
]


def test_what_cannot_be_shown_is_a_chinese_error(ledger):
    with ledger() as session:
        for asked, message in ERROR_CASES:
            with pytest.raises(EduplanError) as caught:
                agenda(session, today=OPENING, **{"bureau": BUREAU, **asked})
            assert message in str(caught.value), asked


def test_a_week_asked_of_an_empty_ledger_needs_a_term(sessions):
    with sessions() as session, pytest.raises(EduplanError, match="还没有学期记录"):
        agenda(session, week=1, today=OPENING)


def test_the_holidays_and_adjusted_workdays_in_the_window(ledger):
    with ledger() as session:
        week4 = agenda(session, week=4, bureau=BUREAU, today=OPENING)
        week5 = agenda(session, week=5, bureau=BUREAU, today=OPENING)
        national_day = agenda(session, day=D(2024, 10, 1), bureau=BUREAU, today=OPENING)
    # 2024: 10-01..10-07 off, Sunday 09-29 and Saturday 10-12 worked (State Council notice).
    assert week4.holidays == {}
    assert week4.workdays == {D(2024, 9, 29): "国庆节调休上班"}
    assert week5.holidays == {D(2024, 10, d): "国庆节" for d in range(1, 7)}
    assert week5.workdays == {}
    assert titles(week5.items) == ["国庆安全检查"]
    assert national_day.holidays == {D(2024, 10, 1): "国庆节"}
    assert week5.notes == []


def test_holidays_entered_for_a_year_the_package_lacks(sessions):
    day = D(2027, 10, 1)
    with sessions() as session:
        before = agenda(session, day=day, today=day)
    assert before.holidays == {}
    assert len(before.notes) == 1 and "2027年的法定节假日安排尚未录入" in before.notes[0]
    with sessions.begin() as session:
        stored = store_overrides(
            session,
            {D(2027, 10, d): DayOverride(True, "国庆节") for d in range(1, 8)}
            | {D(2027, 9, 26): DayOverride(False, "国庆节")},
            "管理员",
        )
    assert stored == 8
    with sessions() as session:
        after = agenda(session, day=day, today=day)
        week = agenda(session, day=None, today=D(2027, 9, 29))  # Monday 09-27 .. Sunday 10-03
    assert after.holidays == {day: "国庆节"}
    assert after.notes == []
    assert week.holidays == {D(2027, 10, d): "国庆节" for d in range(1, 4)}
    assert week.workdays == {}  # 09-26 is the Sunday before this week


def test_a_holiday_entered_again_replaces_the_first_entry(sessions):
    day = D(2027, 10, 9)  # a Saturday
    with sessions.begin() as session:
        store_overrides(session, {day: DayOverride(False, "国庆节")}, "管理员")  # 调休上班
    with sessions() as session:
        assert agenda(session, day=day, today=day).workdays == {day: "国庆节调休上班"}
    with sessions.begin() as session:
        store_overrides(session, {day: DayOverride(True, "")}, "管理员")  # corrected: an ordinary day off
    with sessions() as session:
        corrected = agenda(session, day=day, today=day)
        rows = session.scalars(select(HolidayOverride)).all()
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "holiday").order_by(AuditEntry.id)
        ).all()
    assert corrected.workdays == {} and corrected.holidays == {}  # an unnamed weekend day off
    assert [(r.day, r.off, r.name) for r in rows] == [(day, True, "")]
    assert [e.before for e in entries] == [None, {"off": False, "name": "国庆节"}]
    assert entries[1].after == {"day": "2027-10-09", "off": True, "name": ""}
