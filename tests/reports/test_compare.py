"""Year over year: two plans of a bureau, a year apart, imported through the importer, compared —
items added, dropped, moved (with the shift) and unchanged; targets raised or lowered (op-aware),
new and dropped; the Excel workbook's sheets. Expected values were worked out by hand."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from eduplan.errors import EduplanError
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Plan as PlanRow
from eduplan.plan import Item, Plan, Target
from eduplan.reports.compare import compare_plans, comparison_xlsx, target_change
from eduplan.reports.pastplans import PastTarget

BUREAU = "示例县教育局"

ITEMS_2025 = [
    ("2025年学雷锋纪念日志愿服务活动", date(2025, 3, 5), date(2025, 3, 5), ["团委"]),
    ("全县教育工作会议", date(2025, 2, 20), date(2025, 2, 20), ["办公室"]),
    ("校园足球联赛", date(2025, 5, 12), date(2025, 5, 16), ["体卫艺股"]),
    ("教师节表彰大会", date(2025, 9, 10), date(2025, 9, 10), ["人事股"]),
    ("第一届校园科技节", date(2025, 11, 10), date(2025, 11, 10), ["教研室"]),
    ("高考考务工作", date(2025, 6, 7), date(2025, 6, 8), ["招考办"]),
]
ITEMS_2026 = [
    ("2026年学雷锋纪念日志愿服务活动", date(2026, 3, 5), date(2026, 3, 5), ["团委"]),
    ("全县教育工作会议", date(2026, 2, 26), date(2026, 2, 26), ["办公室"]),
    ("校园足球联赛", date(2026, 5, 25), date(2026, 5, 29), ["体卫艺股"]),
    ("教师节表彰大会", date(2026, 9, 10), date(2026, 9, 10), ["人事股"]),
    ("课后服务专项督查", date(2026, 10, 15), date(2026, 10, 15), ["督导室"]),
    ("高考考务工作", date(2026, 6, 7), date(2026, 6, 8), ["招考办"]),
]
TARGETS_2025 = [
    ("学前三年毛入园率", ">=", 90, "%"),
    ("学生近视率", "<=", 5, "%"),
    ("义务教育巩固率", ">=", 99, "%"),
    ("2025年新建校舍面积", ">=", 10000, "平方米"),
    ("教师培训人次", ">=", 3000, "人次"),
]
TARGETS_2026 = [
    ("学前三年毛入园率", ">=", 92, "%"),
    ("学生近视率", "<=", 4, "%"),
    ("义务教育巩固率", ">=", 98.5, "%"),
    ("2026年新建校舍面积", ">=", 10000, "平方米"),
    ("心理健康教师配备率", ">=", 100, "%"),
]


def _plan(year: int, items, targets) -> Plan:
    return Plan(
        source={"name": f"{year}.txt", "format": "txt"},
        kind="plan",
        title=f"{BUREAU}{year}年工作要点",
        issuer=BUREAU,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        items=[Item(t, t, s, e, u, None, n) for n, (t, s, e, u) in enumerate(items, start=1)],
        targets=[
            Target(ind, f"{ind}{op}{v}{unit}", op, float(v), unit, None, 20 + n)
            for n, (ind, op, v, unit) in enumerate(targets)
        ],
    )


@pytest.fixture
def pair(sessions):
    with sessions.begin() as session:
        a = import_plan(session, _plan(2025, ITEMS_2025, TARGETS_2025), b"2025", bureau=BUREAU).plan_id
        b = import_plan(session, _plan(2026, ITEMS_2026, TARGETS_2026), b"2026", bureau=BUREAU).plan_id
        return a, b, session.get(PlanRow, a).bureau_id


def test_items_added_dropped_moved_and_unchanged(sessions, pair):
    a, b, bureau = pair
    with sessions() as session:
        c = compare_plans(session, bureau, a, b)
    assert c.years == 1
    assert [i.title for i in c.added] == ["课后服务专项督查"]
    assert [i.title for i in c.dropped] == ["第一届校园科技节"]
    # 2026年学雷锋… is 2025年学雷锋… with the year ignored, on the same day of the year
    assert sorted(new.title for _, new in c.unchanged) == [
        "2026年学雷锋纪念日志愿服务活动",
        "教师节表彰大会",
        "高考考务工作",
    ]
    moved = {m.new.title: (m.old.start, m.new.start, m.days, m.weeks) for m in c.moved}
    assert moved == {
        # 2月20日 → 2月26日: six days later, about a week
        "全县教育工作会议": (date(2025, 2, 20), date(2026, 2, 26), 6, 1),
        # 5月12日 → 5月25日: thirteen days later, two weeks
        "校园足球联赛": (date(2025, 5, 12), date(2026, 5, 25), 13, 2),
    }


def test_targets_raised_lowered_new_and_dropped(sessions, pair):
    a, b, bureau = pair
    with sessions() as session:
        c = compare_plans(session, bureau, a, b)
    changes = {t.new.indicator: (t.change, t.difference) for t in c.targets}
    assert changes == {
        "学前三年毛入园率": ("提高", 2.0),
        "学生近视率": ("提高", -1.0),  # ≤ 5% → ≤ 4% is more demanding
        "义务教育巩固率": ("降低", -0.5),
        "2026年新建校舍面积": ("不变", 0.0),  # the year in the indicator is ignored
    }
    assert [t.indicator for t in c.new_targets] == ["心理健康教师配备率"]
    assert [t.indicator for t in c.dropped_targets] == ["教师培训人次"]


def test_the_workbook_has_one_sheet_per_table(sessions, pair):
    a, b, bureau = pair
    with sessions() as session:
        c = compare_plans(session, bureau, a, b)
    book = load_workbook(io.BytesIO(comparison_xlsx(c)))
    assert book.sheetnames == ["概况", "新增事项", "取消事项", "日期调整", "指标变化", "新增指标", "取消指标"]

    def rows(name: str, header: str) -> list[tuple]:
        values = list(book[name].iter_rows(values_only=True))
        at = next(n for n, row in enumerate(values) if row[0] == header)
        return values[at + 1 :]

    summary = dict(rows("概况", "项目"))
    assert summary["新增事项"] == 1 and summary["取消事项"] == 1
    assert summary["日期调整"] == 2 and summary["未变事项"] == 3
    assert summary["指标提高"] == 2 and summary["指标降低"] == 1 and summary["指标不变"] == 1
    assert rows("新增事项", "事项") == [("课后服务专项督查", "2026-10-15", None, "督导室", 5)]
    assert rows("取消事项", "事项") == [("第一届校园科技节", "2025-11-10", None, "教研室", 5)]
    assert rows("日期调整", "事项") == [
        ("全县教育工作会议", "2025-02-20", None, "2026-02-26", None, 6, 1, "办公室"),
        (
            "校园足球联赛",
            "2025-05-12 至 2025-05-16",
            None,
            "2026-05-25 至 2026-05-29",
            None,
            13,
            2,
            "体卫艺股",
        ),
    ]
    assert rows("指标变化", "指标") == [
        ("学前三年毛入园率", "≥90%", "≥92%", "提高", "+2%"),
        ("学生近视率", "≤5%", "≤4%", "提高", "-1%"),
        ("义务教育巩固率", "≥99%", "≥98.5%", "降低", "-0.5%"),
    ]
    assert [r[0] for r in rows("新增指标", "指标")] == ["心理健康教师配备率"]
    assert [r[0] for r in rows("取消指标", "指标")] == ["教师培训人次"]


def test_week_calendars_compare_by_week_of_term(sessions):
    """Spring 2024 (week 1 on 2月26日) and spring 2025 (week 1 on 2月17日): the same week and
    weekday is not a move, though the dates differ; another week is, by the weeks between."""

    def calendar(year: int, week1: date, rows) -> Plan:
        return Plan(
            source={"name": f"c{year}.txt", "format": "txt"},
            kind="calendar",
            title=f"{BUREAU}{year}年春季学期工作行事历",
            issuer=BUREAU,
            period_start=week1,
            period_end=date(year, 7, 5),
            items=[Item(t, t, s, s, [], sec, 0) for sec, t, s in rows],
        )

    with sessions.begin() as session:
        a = import_plan(
            session,
            calendar(2024, date(2024, 2, 26), [
                ("第1周", "开学工作检查", date(2024, 2, 26)),
                ("第3周", "全县教研工作会议", date(2024, 3, 13)),
            ]),
            b"c2024",
        ).plan_id  # fmt: skip
        b = import_plan(
            session,
            calendar(2025, date(2025, 2, 17), [
                ("第1周", "开学工作检查", date(2025, 2, 17)),
                ("第4周", "全县教研工作会议", date(2025, 3, 12)),
            ]),
            b"c2025",
        ).plan_id  # fmt: skip
        bureau = session.get(PlanRow, a).bureau_id
    with sessions() as session:
        c = compare_plans(session, bureau, a, b)
    assert [new.title for _, new in c.unchanged] == ["开学工作检查"]
    [m] = c.moved
    # 3月13日 2024 → 3月12日 2025: a day earlier in the year, but week 3 → week 4
    assert (m.new.title, m.days, m.old_week, m.new_week, m.weeks) == ("全县教研工作会议", -1, 3, 4, 1)


def test_the_same_plan_twice_or_a_foreign_plan_is_refused(sessions, pair):
    a, b, bureau = pair
    with sessions() as session:
        with pytest.raises(EduplanError, match="两份不同"):
            compare_plans(session, bureau, a, a)
        with pytest.raises(EduplanError, match="没有编号为"):
            compare_plans(session, bureau + 999, a, b)


@pytest.mark.parametrize(
    ("old", "new", "change"),
    [
        ((">=", 90.0, "%"), (">=", 92.0, "%"), "提高"),
        ((">=", 90.0, "%"), (">=", 88.0, "%"), "降低"),
        (("<=", 5.0, "%"), ("<=", 6.0, "%"), "降低"),
        (("<", 1.0, "%"), ("<", 0.5, "%"), "提高"),
        ((">=", 90.0, "%"), ("<=", 90.0, "%"), "调整"),
        ((">=", 90.0, "%"), (">=", 90.0, "个"), "调整"),
        (("=", 3.0, "所"), ("=", 3.0, "所"), "不变"),
    ],
)
def test_target_change_is_op_aware(old, new, change):
    def target(op, value, unit):
        return PastTarget(1, "指标", "指标", op, value, unit)

    assert target_change(target(*old), target(*new)) == change
