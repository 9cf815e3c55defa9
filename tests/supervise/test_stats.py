"""督办 numbers (``eduplan.supervise.stats``) and target actuals (``eduplan.supervise.actuals``)
on a small hand-built 行事历, on SQLite and PostgreSQL.

Today is Wednesday 2024-09-18, in 第3周 (week 1 begins Monday 2024-09-02). The calendar's items:

  A 开学工作检查      09-02..09-06  督导室, 各学校     done, closed 09-08 17:00 UTC = 09-09 in China
  B 城关中学开放日    09-05         城关中学           done without closed_at, updated 09-06 (local)
  C 教师节表彰大会    09-10         办公室             open, under 督办
  D 第二中学安全演练  09-11         第二中学           in progress, its 督办 lifted
  E 校园足球联赛      09-12         体卫艺股           cancelled (never counted)
  F 教学视导          09-16..09-20  基教股, 城关中学   open, not due yet on 09-18
  G 国庆安全检查      09-30         校安股             open, not due yet
  H 课程实施检查      09-09..09-13  基教股, 督导室     done, closed 09-16 (local)
  I 旧事项            09-03         基教股             removed from the plan (never counted)
  J 常规工作          undated       基教股             never counted
  K 城关中学开学典礼  09-02         城关中学, 基教股   done, closed 09-13 (local)
  L 教研组长会        09-13         教研室, 基教股     open
  M 消防检查          09-10         校安股             in progress

A second plan of the bureau has N 督导检查 (09-04, 督导室, open); another bureau has an overdue
item for its own 督导室 that must never count here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import AuditEntry, Item, Organisation, Plan, Supervision, Target, TargetActualFile
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.plan import Target as PlanTarget
from eduplan.supervise.actuals import (
    ActualError,
    attained,
    attainment_label,
    evidence_files,
    latest_actuals,
    parse_as_of,
    parse_value,
    read_actual,
    record_actual,
    seed_demo_actuals,
    target_offices,
)
from eduplan.supervise.stats import completion, overdue, rate_of, trend
from eduplan.supervise.tracked import DueItem, tracked_items

D = date
BUREAU = "甲县教育局"
OTHER = "乙县教育局"
TODAY = D(2024, 9, 18)
CALENDAR_TITLE = "甲县教育局2024—2025学年度第一学期工作行事历"

ITEMS = [
    ("开学工作检查", D(2024, 9, 2), D(2024, 9, 6), ["督导室", "各学校"], "第1周"),
    ("城关中学开放日", D(2024, 9, 5), D(2024, 9, 5), ["城关中学"], "第1周"),
    ("教师节表彰大会", D(2024, 9, 10), D(2024, 9, 10), ["办公室"], "第2周"),
    ("第二中学安全演练", D(2024, 9, 11), D(2024, 9, 11), ["第二中学"], "第2周"),
    ("校园足球联赛", D(2024, 9, 12), D(2024, 9, 12), ["体卫艺股"], "第2周"),
    ("教学视导", D(2024, 9, 16), D(2024, 9, 20), ["基教股", "城关中学"], "第3周"),
    ("国庆安全检查", D(2024, 9, 30), D(2024, 9, 30), ["校安股"], "第5周"),
    ("课程实施检查", D(2024, 9, 9), D(2024, 9, 13), ["基教股", "督导室"], "第2周"),
    ("旧事项", D(2024, 9, 3), D(2024, 9, 3), ["基教股"], "第1周"),
    ("常规工作", None, None, ["基教股"], None),
    ("城关中学开学典礼", D(2024, 9, 2), D(2024, 9, 2), ["城关中学", "基教股"], "第1周"),
    ("教研组长会", D(2024, 9, 13), D(2024, 9, 13), ["教研室", "基教股"], "第2周"),
    ("消防检查", D(2024, 9, 10), D(2024, 9, 10), ["校安股"], "第2周"),
]


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# title: (status, closed_at, updated_at)
STATES = {
    "开学工作检查": ("done", utc(2024, 9, 8, 17, 0), utc(2024, 9, 8, 17, 0)),
    "城关中学开放日": ("done", None, utc(2024, 9, 6, 2, 0)),
    "第二中学安全演练": ("in_progress", None, utc(2024, 9, 12, 2, 0)),
    "校园足球联赛": ("cancelled", None, utc(2024, 9, 12, 2, 0)),
    "课程实施检查": ("done", utc(2024, 9, 16, 1, 0), utc(2024, 9, 16, 1, 0)),
    "城关中学开学典礼": ("done", utc(2024, 9, 13, 2, 0), utc(2024, 9, 13, 2, 0)),
    "消防检查": ("in_progress", None, utc(2024, 9, 11, 2, 0)),
}


@pytest.fixture
def ledger(sessions):
    calendar = ParsedPlan(
        source={"name": "行事历.txt", "format": "txt"},
        kind="calendar",
        title=CALENDAR_TITLE,
        issuer=BUREAU,
        period_start=D(2024, 9, 2),
        period_end=D(2025, 1, 19),
        items=[PlanItem(t, t, s, e, u, sec, n) for n, (t, s, e, u, sec) in enumerate(ITEMS, start=1)],
        targets=[
            PlanTarget("课程开齐率", "课程开齐率达到100%", ">=", 100.0, "%", None, 8),
            PlanTarget("安全事故起数", "安全事故起数控制在2起以内（督导室）", "<=", 2.0, "起", None, 99),
        ],
    )
    second = ParsedPlan(
        source={"name": "督导.txt", "format": "txt"},
        kind="plan",
        title="甲县教育局督导工作要点",
        issuer=BUREAU,
        items=[PlanItem("督导检查", "督导检查", D(2024, 9, 4), D(2024, 9, 4), ["督导室"])],
    )
    other = ParsedPlan(
        source={"name": "乙县.txt", "format": "txt"},
        kind="plan",
        title="乙县教育局九月工作安排",
        issuer=OTHER,
        items=[PlanItem("乙县开学检查", "乙县开学检查", D(2024, 9, 3), D(2024, 9, 3), ["督导室"])],
    )
    with sessions.begin() as session:
        ids = {
            "calendar": import_plan(session, calendar, b"calendar", bureau=BUREAU).plan_id,
            "second": import_plan(session, second, b"second", bureau=BUREAU).plan_id,
        }
        import_plan(session, other, b"other", bureau=OTHER)
        items = {i.title: i for i in session.scalars(select(Item))}
        for title, (status, closed_at, updated_at) in STATES.items():
            item = items[title]
            item.status, item.closed_at, item.updated_at = status, closed_at, updated_at
        items["旧事项"].removed_in = 2
        for title, lifted in (("教师节表彰大会", None), ("第二中学安全演练", utc(2024, 9, 15))):
            session.add(
                Supervision(
                    item_id=items[title].id, deadline=D(2024, 9, 25), note="请尽快办结", created_by="局长",
                    created_at=utc(2024, 9, 14), lifted_by="局长" if lifted else None, lifted_at=lifted,
                )
            )  # fmt: skip
        bureau = session.scalars(select(Organisation).where(Organisation.name == BUREAU)).one()
        kinds = dict(
            session.execute(
                select(Organisation.name, Organisation.kind).where(Organisation.bureau_id == bureau.id)
            ).all()
        )
        ids["bureau"] = bureau.id
        ids["orgs"] = {
            o.name: o.id
            for o in session.scalars(select(Organisation).where(Organisation.bureau_id == bureau.id))
        }
    # The units are what the test assumes them to be.
    assert kinds["督导室"] == kinds["基教股"] == kinds["校安股"] == "office"
    assert kinds["城关中学"] == kinds["第二中学"] == "school"
    assert kinds["各学校"] == "group"
    return sessions, ids


def _table(rates) -> dict[str, tuple[int, int]]:
    return {r.name: (r.done, r.due) for r in rates}


def test_completion_per_office_and_school_counts_every_responsible_unit(ledger):
    sessions, ids = ledger
    with sessions() as session:
        result = completion(session, ids["bureau"], TODAY, plan_id=ids["calendar"])
    assert _table(result.offices) == {
        "督导室": (2, 2),  # A, H
        "基教股": (2, 3),  # H (lead); K and L as 配合 count too; F not due, I removed, J undated
        "办公室": (0, 1),  # C
        "教研室": (0, 1),  # L
        "校安股": (0, 1),  # M; G not due
        "体卫艺股": (0, 0),  # E cancelled
    }
    # A (各学校) counts for each school too (eduplan.supervise.figures): A, B, K (F not due); A, D.
    assert _table(result.schools) == {"城关中学": (3, 3), "第二中学": (1, 2)}
    assert _table(result.groups) == {"各学校": (1, 1)}  # A
    assert (result.total.done, result.total.due) == (4, 8)  # A B H K of A B C D H K L M
    # Competition ranks: 100%, 66.7%, then three at 0% sharing rank 3; nothing due: no rank.
    assert [(r.name, r.rank) for r in result.offices[:2]] == [("督导室", 1), ("基教股", 2)]
    assert {r.name: r.rank for r in result.offices[2:]} == {
        "办公室": 3,
        "教研室": 3,
        "校安股": 3,
        "体卫艺股": None,
    }
    assert result.total.percent_text == "50.0%"
    # Ranked: highest 办结率 first, nothing due last.
    assert [r.name for r in result.offices[:2]] == ["督导室", "基教股"]
    assert result.offices[-1].name == "体卫艺股" and result.offices[-1].percent_text == "—"
    by_name = {r.name: r for r in result.offices}
    assert by_name["基教股"].percent_text == "66.7%"
    assert by_name["基教股"].fraction_text == "2/3"


def test_completion_without_plan_filter_takes_every_plan_of_the_bureau_only(ledger):
    sessions, ids = ledger
    with sessions() as session:
        result = completion(session, ids["bureau"], TODAY)
    # N (督导检查, second plan, open) is added; 乙县's item never is.
    assert _table(result.offices)["督导室"] == (2, 3)
    assert (result.total.done, result.total.due) == (4, 9)
    assert result.total.percent_text == "44.4%"


@pytest.mark.parametrize("until", [D(2024, 9, 5), TODAY, D.max])
def test_tracked_items_prebuilt_shapes_agree_with_the_whole_list_filtered(ledger, until):
    """``tracked_items`` runs one prebuilt statement per shape (with or without a plan): each
    gives the bureau's whole tracked list cut to the day and the plan, units in the same order."""
    sessions, ids = ledger
    with sessions() as session:
        everything = tracked_items(session, ids["bureau"], until=D.max)
        by_day = tracked_items(session, ids["bureau"], until=until)
        assert by_day == [i for i in everything if i.end <= until]
        for plan in ("calendar", "second"):
            of_plan = tracked_items(session, ids["bureau"], until=until, plan_id=ids[plan])
            assert of_plan and of_plan == [i for i in by_day if i.plan_id == ids[plan]]
    titles = {i.title for i in everything}
    assert "乙县开学检查" not in titles and "旧事项" not in titles and "常规工作" not in titles
    assert [u.name for u in next(i for i in everything if i.title == "教学视导").units] == [
        "基教股",
        "城关中学",
    ]


def test_completion_as_of_an_earlier_day(ledger):
    sessions, ids = ledger
    with sessions() as session:
        result = completion(session, ids["bureau"], D(2024, 9, 8), plan_id=ids["calendar"])
    # Due by 09-08: A B K. Closed by then: B only (A was closed on 09-09 China time, K on 09-13).
    assert (result.total.done, result.total.due) == (1, 3)
    assert _table(result.schools)["城关中学"] == (1, 3)  # A (各学校), B, K due; B closed


AS_OF = date(2024, 9, 10)


@pytest.mark.parametrize(
    ("end", "status", "closed_on", "done_due"),
    [
        (date(2024, 9, 10), "open", None, (0, 1)),  # its last day is the day asked about: due
        (date(2024, 9, 11), "open", None, (0, 0)),  # ends the day after: not due yet
        (date(2024, 9, 9), "done", date(2024, 9, 10), (1, 1)),  # closed on the day: counts as done
        (date(2024, 9, 9), "done", date(2024, 9, 11), (0, 1)),  # closed the day after: not yet
        (date(2024, 9, 9), "in_progress", None, (0, 1)),
    ],
)
def test_rate_as_of_a_day_counts_that_whole_day(end, status, closed_on, done_due):
    # 办结率 "as of the end of" a day: an item due that day is due, one closed that day is closed.
    item = DueItem(1, 1, "开学工作检查", date(2024, 9, 2), end, status, closed_on)
    rate = rate_of([item], AS_OF)
    assert (rate.done, rate.due) == done_due


def test_overdue_sorted_by_days_late_with_supervision_badge(ledger):
    sessions, ids = ledger
    with sessions() as session:
        rows = overdue(session, ids["bureau"], TODAY)
    assert [(r.title, r.days_late, r.supervised) for r in rows] == [
        ("督导检查", 14, False),
        ("教师节表彰大会", 8, True),  # ties on days late keep item order
        ("消防检查", 8, False),
        ("第二中学安全演练", 7, False),  # its 督办 was lifted
        ("教研组长会", 5, False),
    ]
    assert rows[1].supervision_deadline == D(2024, 9, 25)
    assert rows[4].units == ["教研室", "基教股"]
    assert rows[4].end == D(2024, 9, 13)


def test_overdue_for_one_unit_and_one_plan(ledger):
    sessions, ids = ledger
    with sessions() as session:
        mine = overdue(session, ids["bureau"], TODAY, org_ids=[ids["orgs"]["基教股"]])
        plan = overdue(session, ids["bureau"], TODAY, plan_id=ids["second"])
    assert [r.title for r in mine] == ["教研组长会"]
    assert [r.title for r in plan] == ["督导检查"]


def test_weekly_trend(ledger):
    sessions, ids = ledger
    with sessions() as session:
        name, points = trend(session, ids["bureau"], TODAY, plan_id=ids["calendar"])
        _, jijiao = trend(
            session, ids["bureau"], TODAY, plan_id=ids["calendar"], org_ids=[ids["orgs"]["基教股"]]
        )
    assert name == "2024—2025学年度第一学期"
    assert [(p.label, p.start, p.as_of, p.done, p.due) for p in points] == [
        # as of Sunday 09-08: due A B K; closed B (A closed on Monday 09-09 China time)
        ("第一周", D(2024, 9, 2), D(2024, 9, 8), 1, 3),
        # as of 09-15: due A B K C D H L M; closed A B K (H closed on 09-16)
        ("第二周", D(2024, 9, 9), D(2024, 9, 15), 3, 8),
        # the week under way, as of today: H closed too
        ("第三周", D(2024, 9, 16), D(2024, 9, 18), 4, 8),
    ]
    assert [p.percent_text for p in points] == ["33.3%", "37.5%", "50.0%"]
    # 基教股: K due in week 1 (closed 09-13); H and L due in week 2; H closed in week 3.
    assert [(p.done, p.due) for p in jijiao] == [(0, 1), (1, 3), (2, 3)]


def test_trend_without_a_term_uses_calendar_weeks(ledger):
    sessions, ids = ledger
    with sessions() as session:
        name, points = trend(session, ids["bureau"], D(2024, 8, 20), plan_id=ids["calendar"])
    assert name is None
    assert len(points) == 8
    assert points[-1].start == D(2024, 8, 19) and points[-1].as_of == D(2024, 8, 20)
    assert all(p.due == 0 and p.percent_text == "—" for p in points)


# ---------------------------------------------------------------- targets and actuals


@pytest.mark.parametrize(
    ("op", "goal", "actual", "met"),
    [
        (">=", 88.4, 88.4, True),
        (">=", 88.4, 88.3, False),
        (">=", 0.3, 0.1 + 0.2, True),  # 0.30000000000000004: floating-point noise is not a miss
        ("<=", 5.0, 4.9, True),
        ("<=", 5.0, 5.0, True),
        ("<=", 5.0, 5.1, False),
        ("<=", 2.0, 3.0, False),
        ("=", 10.0, 10.0, True),
        ("=", 10.0, 11.0, False),
        (">", 6000.0, 6000.0, False),
        (">", 6000.0, 6000.5, True),
        ("<", 0.5, 0.5, False),
        ("<", 0.5, 0.4, True),
        ("~", 400.0, 390.0, True),  # within 5%
        ("~", 400.0, 370.0, False),
    ],
)
def test_attained(op, goal, actual, met):
    assert attained(op, goal, actual) is met
    assert attainment_label(op, goal, actual) == ("已达成" if met else "未达成")


def test_nothing_reported_has_no_attainment():
    assert attainment_label(">=", 1.0, None) is None


def test_record_actual_latest_and_audit(ledger):
    sessions, ids = ledger
    with sessions.begin() as session:
        rate, accidents = session.scalars(select(Target).order_by(Target.seq)).all()
        for value, as_of in (("97", "2024-09-15"), ("95.5%", "2024-09-01")):
            new = read_actual(value, as_of, "  学期初统计 ", rate, TODAY)
            record_actual(session, rate, new, author="jijiao", org_id=ids["orgs"]["基教股"])
        record_actual(
            session, accidents, read_actual("3", "", None, accidents, TODAY), author="admin", org_id=None
        )
    with sessions() as session:
        latest = latest_actuals(session, [rate.id, accidents.id, 99999])
        # The latest as of a date wins, not the latest recorded.
        assert (latest[rate.id].value, latest[rate.id].as_of, latest[rate.id].note) == (
            97.0,
            D(2024, 9, 15),
            "学期初统计",
        )
        assert latest[accidents.id].as_of == TODAY  # blank means today
        assert 99999 not in latest
        assert attainment_label(rate.op, rate.value, latest[rate.id].value) == "未达成"  # 97 < 100
        assert (
            attainment_label(accidents.op, accidents.value, latest[accidents.id].value) == "未达成"
        )  # 3 > 2
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "target", AuditEntry.action == "actual")
        ).all()
        assert len(entries) == 3
        assert {(e.actor, e.entity_id, e.after["value"]) for e in entries} == {
            ("jijiao", rate.id, 97.0),
            ("jijiao", rate.id, 95.5),
            ("admin", accidents.id, 3.0),
        }


def test_target_offices(ledger):
    sessions, ids = ledger
    with sessions() as session:
        rate, accidents = session.scalars(select(Target).order_by(Target.seq)).all()
        found = target_offices(session, [rate, accidents])
        # line 8 is 课程实施检查 (基教股, 督导室); the other names 督导室 in its text.
        assert [o.name for o in found[rate.id]] == ["基教股", "督导室"]
        assert [o.name for o in found[accidents.id]] == ["督导室"]
        assert session.get(Plan, rate.plan_id).id == ids["calendar"]


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("88.4", "%", 88.4),
        (" 88.4 % ", "%", 88.4),
        ("１２", "所", 12.0),
        ("1,200", None, 1200.0),
        ("-0.5", None, -0.5),
    ],
)
def test_parse_value(text, unit, value):
    assert parse_value(text, unit) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请填写实际完成值"),
        ("大约九成", "实际完成值应为数字"),
        ("1e400", "实际完成值应为数字"),
        ("9" * 20, "超出范围"),
    ],
)
def test_parse_value_refusals_in_chinese(text, message):
    with pytest.raises(ActualError, match=message):
        parse_value(text, "%")


def test_parse_as_of():
    assert parse_as_of("", TODAY) == TODAY
    assert parse_as_of("2024-09-01", TODAY) == D(2024, 9, 1)
    with pytest.raises(ActualError, match="截至日期应为"):
        parse_as_of("9月1日", TODAY)
    with pytest.raises(ActualError, match="不能晚于今天"):
        parse_as_of("2024-09-19", TODAY)


def test_read_actual_reports_every_problem():
    target = Target(op=">=", value=1.0, unit="%")
    with pytest.raises(ActualError) as caught:
        read_actual("abc", "tomorrow", "长" * 1001, target, TODAY)
    message = str(caught.value)
    assert "实际完成值应为数字" in message and "截至日期应为" in message and "说明不能超过 1000 字" in message


def test_demo_actuals_alternate_met_and_missed_and_are_seeded_once(ledger):
    sessions, ids = ledger
    with sessions.begin() as session:
        bureau = session.get(Organisation, ids["bureau"])
        assert seed_demo_actuals(session, bureau, TODAY) == 2
    with sessions.begin() as session:
        rate, accidents = session.scalars(select(Target).order_by(Target.seq)).all()
        latest = latest_actuals(session, [rate.id, accidents.id])
        # ≥ 100%: met at 100 (a rate cannot pass 100); ≤ 2 起: missed at 2.4
        assert (latest[rate.id].value, latest[accidents.id].value) == (100.0, 2.4)
        assert attainment_label(rate.op, rate.value, latest[rate.id].value) == "已达成"
        assert attainment_label(accidents.op, accidents.value, latest[accidents.id].value) == "未达成"
        assert latest[rate.id].as_of == TODAY  # the calendar's period ends after today
        assert latest[rate.id].org_id == ids["orgs"]["基教股"]
        # The first is reported with its statistics sheet, the second without evidence.
        files = evidence_files(session, [latest[rate.id].id, latest[accidents.id].id])
        assert [f.filename for f in files[latest[rate.id].id]] == [f"{rate.indicator}统计表.txt"]
        assert latest[accidents.id].id not in files
        sheet = session.get(TargetActualFile, files[latest[rate.id].id][0].id)
        assert sheet.content_type == "text/plain" and "实际完成：100%" in sheet.content.decode()
        assert seed_demo_actuals(session, session.get(Organisation, ids["bureau"]), TODAY) == 0
