"""Next term's plan drafted from past plans: recurring work found, moved onto the new term's
weeks or dates, off public holidays; one-off work left out (未沿用).

Two spring 行事历 of a bureau (2024 and 2025, 19 weeks each, week 1 on 2024-02-26 and
2025-02-17) are imported through the importer; the new term is spring 2026 (week 1 on 2026-03-02,
19 weeks), entered as a ledger term. Expected dates were worked out by hand from the calendar:
清明 2026 is Sunday 4月5日 (holiday 4月4日–6日), 劳动节 2026 is 5月1日–5日.
"""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.calendar import model as cal
from eduplan.calendar.holidays import HolidayCalendar
from eduplan.errors import EduplanError
from eduplan.ledger.importer import import_plan
from eduplan.ledger.terms import store_term
from eduplan.plan import Item, Plan
from eduplan.reports.recurring import (
    avoid_days_off,
    day_table,
    known_work,
    plan_json,
    propose_from_ledger,
)
from eduplan.text import normalize

BUREAU = "示例县教育局"

# (week section, title, start, end, units)
ITEMS_2024 = [
    ("第1周", "开学工作检查", date(2024, 2, 26), date(2024, 3, 1), ["基教股", "各学校"]),
    ("第2周", "2024年学雷锋纪念日志愿服务活动", date(2024, 3, 5), date(2024, 3, 5), ["团委"]),
    ("第3周", "全县教研工作会议", date(2024, 3, 13), date(2024, 3, 13), ["教研室"]),
    ("第4周", "2024年春季运动会", date(2024, 3, 21), date(2024, 3, 21), ["体卫艺股"]),
    ("第5周", "全国中小学生安全教育日主题活动", date(2024, 3, 25), date(2024, 3, 25), ["安全股"]),
    ("第6周", "清明祭英烈主题教育活动", date(2024, 4, 2), date(2024, 4, 2), ["德育股"]),
    ("第9周", "教学质量监测", date(2024, 4, 26), date(2024, 4, 26), ["教研室"]),
    ("第19周", "期末考试", date(2024, 7, 1), date(2024, 7, 3), ["教研室", "各学校"]),
]
ITEMS_2025 = [
    ("第1周", "开学工作检查", date(2025, 2, 17), date(2025, 2, 21), ["基教股", "各学校"]),
    ("第3周", "2025年学雷锋纪念日志愿服务活动", date(2025, 3, 5), date(2025, 3, 5), ["团委"]),
    ("第4周", "全县教研工作会议", date(2025, 3, 12), date(2025, 3, 12), ["教研室"]),
    ("第5周", "校园足球联赛开幕式", date(2025, 3, 20), date(2025, 3, 20), ["体卫艺股"]),
    ("第7周", "全国中小学生安全教育日主题活动", date(2025, 3, 31), date(2025, 3, 31), ["安全股"]),
    ("第7周", "清明祭英烈主题教育活动", date(2025, 4, 3), date(2025, 4, 3), ["德育股"]),
    ("第9周", "教学质量监测", date(2025, 4, 18), date(2025, 4, 18), ["教研室"]),
    ("第16周", "2025年高考考务工作", date(2025, 6, 7), date(2025, 6, 8), ["招考办"]),
    ("第19周", "期末考试", date(2025, 6, 23), date(2025, 6, 25), ["教研室", "各学校"]),
]
TERM_2026 = cal.Term("2025—2026学年第二学期", date(2026, 3, 2), date(2026, 7, 10), date(2026, 3, 2))


def _calendar(year: int, rows, period: tuple[date, date]) -> Plan:
    return Plan(
        source={"name": f"{year}.txt", "format": "txt"},
        kind="calendar",
        title=f"{BUREAU}{year}年春季学期工作行事历",
        issuer=BUREAU,
        period_start=period[0],
        period_end=period[1],
        items=[
            Item(title, title, start, end, units, section, line)
            for line, (section, title, start, end, units) in enumerate(rows, start=3)
        ],
    )


def _import(session, plan: Plan, content: bytes) -> int:
    return import_plan(session, plan, content, bureau=BUREAU, actor="test").plan_id


@pytest.fixture
def ledger(sessions):
    """Both years imported and the 2026 spring term entered; returns ids."""
    with sessions.begin() as session:
        p2024 = _import(session, _calendar(2024, ITEMS_2024, (date(2024, 2, 26), date(2024, 7, 5))), b"2024")
        p2025 = _import(session, _calendar(2025, ITEMS_2025, (date(2025, 2, 17), date(2025, 6, 27))), b"2025")
        bureau_id = _bureau(session, p2025)
        term = store_term(session, bureau_id, TERM_2026)
        return {"p2024": p2024, "p2025": p2025, "bureau": bureau_id, "term": term.id}


def _bureau(session, plan_id: int) -> int:
    from eduplan.ledger.models import Plan as PlanRow

    return session.get(PlanRow, plan_id).bureau_id


def _by_title(proposal) -> dict:
    return {p.title: p for p in proposal.items}


def test_two_years_recurring_items_move_onto_the_new_terms_weeks_and_dates(sessions, ledger):
    with sessions() as session:
        proposal = propose_from_ledger(session, ledger["bureau"], [ledger["p2024"], ledger["p2025"]])
    assert proposal.term.week1_start == date(2026, 3, 2)  # the ledger's next term, inferred
    got = {p.title: (p.start, p.end) for p in proposal.items}
    assert got == {
        # same week of term (week 1, Monday to Friday)
        "开学工作检查": (date(2026, 3, 2), date(2026, 3, 6)),
        # national days on their own dates; the year in the title follows
        "2026年学雷锋纪念日志愿服务活动": (date(2026, 3, 5), date(2026, 3, 5)),
        "全国中小学生安全教育日主题活动": (date(2026, 3, 30), date(2026, 3, 30)),  # last Monday of March
        # 清明 is Sunday 4月5日, off until Monday 4月6日: the next working day is Tuesday
        "清明祭英烈主题教育活动": (date(2026, 4, 7), date(2026, 4, 7)),
        # found in both years, not in the table: same week and weekday (week 4, Wednesday)
        "全县教研工作会议": (date(2026, 3, 25), date(2026, 3, 25)),
        # week 9 Friday is 5月1日 (劳动节, off to 5月5日): moved to Wednesday 5月6日
        "教学质量监测": (date(2026, 5, 6), date(2026, 5, 6)),
        # 高考's date is fixed, even on a Sunday
        "2026年高考考务工作": (date(2026, 6, 7), date(2026, 6, 8)),
        # the last week of the term, Monday to Wednesday as before
        "期末考试": (date(2026, 7, 6), date(2026, 7, 8)),
    }
    left = {o.item.title: o.reason for o in proposal.left_out}
    assert set(left) == {"校园足球联赛开幕式", "2024年春季运动会"}
    assert "只在 2025 年" in left["校园足球联赛开幕式"]
    items = _by_title(proposal)
    assert items["开学工作检查"].departments == ("基教股", "各学校")
    assert "2024、2025年" in items["全县教研工作会议"].reason
    # 2025: one day before 清明 (4月4日), so one day before 清明 2026 (4月5日): 4月4日, a holiday
    assert "提前 1 天开始" in items["清明祭英烈主题教育活动"].anchor
    assert "清明节" in items["清明祭英烈主题教育活动"].note_text
    assert "劳动节" in items["教学质量监测"].note_text
    assert items["清明祭英烈主题教育活动"].confidence < items["2026年学雷锋纪念日志愿服务活动"].confidence
    assert not proposal.warnings  # 2026 has holiday data, two years were compared


def test_each_proposed_item_says_where_it_came_from(sessions, ledger):
    with sessions() as session:
        proposal = propose_from_ledger(session, ledger["bureau"], [ledger["p2024"], ledger["p2025"]])
    meeting = _by_title(proposal)["全县教研工作会议"]
    # the newest occurrence: 2025's plan, its 3rd item, whose lines are numbered from 3 → line 5
    assert "《示例县教育局2025年春季学期工作行事历》（2025年）第5行" in meeting.note_text
    assert "同一教学周：第四周周三" in meeting.note_text
    data = plan_json(proposal)
    assert Plan.from_json(data).items[0].title == proposal.items[0].title  # still the contract
    assert all(item["notes"].startswith("来源：") for item in data["items"])
    assert data["period"] == {"start": "2026-03-02", "end": "2026-07-10"}
    assert data["title"] == f"{BUREAU}2025—2026学年第二学期工作安排"


def test_one_past_plan_keeps_only_the_table_and_term_structure(sessions, ledger):
    with sessions() as session:
        proposal = propose_from_ledger(session, ledger["bureau"], [ledger["p2025"]], term_id=ledger["term"])
    assert [p.title for p in proposal.items] == [
        "开学工作检查",
        "2026年学雷锋纪念日志愿服务活动",
        "全国中小学生安全教育日主题活动",
        "清明祭英烈主题教育活动",
        "2026年高考考务工作",
        "期末考试",
    ]
    assert {o.item.title for o in proposal.left_out} == {
        "全县教研工作会议",
        "校园足球联赛开幕式",
        "教学质量监测",
    }
    assert any("只有一年的计划" in w for w in proposal.warnings)


def test_a_year_without_holiday_data_is_named_not_guessed(sessions, ledger):
    with sessions() as session:
        proposal = propose_from_ledger(session, ledger["bureau"], [ledger["p2025"]], start=date(2031, 3, 3))
    assert proposal.term.week1_start == date(2031, 3, 3)
    assert proposal.term.end == date(2031, 7, 13)  # 19 weeks, as the source term
    assert any("2031年的法定节假日安排尚未录入" in w for w in proposal.warnings)
    assert all(p.confidence <= 0.5 for p in proposal.items)
    assert all("2031年的节假日未录入" in p.note_text for p in proposal.items)
    # a term the ledger does not know: not filed as a 行事历 whose weeks would be guessed
    assert proposal.kind == "plan"
    assert any("还没有录入台账" in w for w in proposal.warnings)


def test_a_start_date_in_a_known_terms_first_week_is_that_term(sessions, ledger):
    with sessions() as session:
        proposal = propose_from_ledger(
            session, ledger["bureau"], [ledger["p2024"], ledger["p2025"]], start=date(2026, 3, 4)
        )
    assert (proposal.term.start, proposal.term.end) == (date(2026, 3, 2), date(2026, 7, 10))
    assert proposal.kind == "calendar"
    assert not proposal.warnings


def test_no_next_term_in_the_ledger_says_what_to_do(sessions, ledger):
    autumn = _calendar(
        2026,
        [("第1周", "开学工作检查", date(2026, 9, 1), date(2026, 9, 4), ["基教股"])],
        (date(2026, 9, 1), date(2027, 1, 15)),
    )
    autumn.title, autumn.kind = f"{BUREAU}2026年秋季学期工作安排", "plan"
    with sessions.begin() as session:
        later = _import(session, autumn, b"2026 autumn")
    with sessions() as session:
        with pytest.raises(EduplanError, match="录入新学期"):
            propose_from_ledger(session, ledger["bureau"], [later])


def test_a_foreign_or_missing_plan_is_refused(sessions, ledger):
    with sessions() as session:
        with pytest.raises(EduplanError, match="没有编号为"):
            propose_from_ledger(session, ledger["bureau"] + 999, [ledger["p2025"]])
        with pytest.raises(EduplanError, match="至少选择"):
            propose_from_ledger(session, ledger["bureau"], [])


# ---------------------------------------------------------------- pure parts


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("期中考试质量分析会", "期中"),  # not 中考, though it contains 中考
        ("九年级中考报名", "中考"),
        ("全民国家安全教育日宣传活动", "全民国家安全教育日"),  # the longer keyword wins
        ("3月30日全国中小学生安全教育日", "全国中小学生安全教育日"),
        ("第41个教师节表彰大会", "教师节"),
        ("寒假放假安排", "放假"),
        ("全县教研工作会议", None),
    ],
)
def test_the_table_names_recurring_work(text, name):
    found = known_work(normalize(text))
    assert (found.name if found else None) == name


def test_table_dates_in_a_year():
    table = {e.name: e for e in day_table()}
    assert table["全国中小学生安全教育日"].in_year(2025) == date(2025, 3, 31)
    assert table["全国中小学生安全教育日"].in_year(2024) == date(2024, 3, 25)
    assert table["清明祭英烈"].in_year(2026) == date(2026, 4, 5)
    assert table["全国推广普通话宣传周"].in_year(2025) == date(2025, 9, 15)  # third Monday of September
    assert table["高考"].fixed and not table["学雷锋纪念日"].fixed


def test_a_span_drops_its_days_off_at_the_ends():
    holidays = HolidayCalendar()
    # 5月1日–5日 2026 off: a week from 5月1日 keeps 6日–7日
    start, end, note = avoid_days_off(date(2026, 5, 1), date(2026, 5, 7), holidays)
    assert (start, end) == (date(2026, 5, 6), date(2026, 5, 7))
    assert "劳动节" in note
    # a working Monday to Friday is left alone
    assert avoid_days_off(date(2026, 3, 2), date(2026, 3, 6), holidays) == (
        date(2026, 3, 2),
        date(2026, 3, 6),
        None,
    )
    # a Saturday (not a holiday) moves to Monday
    start, end, note = avoid_days_off(date(2026, 3, 7), date(2026, 3, 7), holidays)
    assert (start, end) == (date(2026, 3, 9), date(2026, 3, 9))
    assert "周六" in note
