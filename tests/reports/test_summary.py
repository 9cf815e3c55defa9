"""The half-year summary draft's content (eduplan/reports/summary.py), on SQLite and PostgreSQL.

The ledger: 测试县教育局's 2024 plan (no sections of its own, so sections are lead offices):

=====  ==============  ===========  ======  ==========================================
seq    item            span (2024)  units   state
=====  ==============  ===========  ======  ==========================================
1      开学工作检查    2-26 – 3-1   基教股  done, closed 3-1; completion, reopen, completion
2      教师资格认定    4-10 – 4-20  人事股  in progress (60%), report 已受理申请120份
3      中考组织        6-15 – 6-17  招考办  open
4      暑期安全教育    7-5          安全股  open (ends in the second half)
5      教研活动周      5-6 – 5-10   教研室  done, but closed only on 7-3
6      春季运动会      3-10         基教股  cancelled
7      全年党建工作    1-1 – 12-31  办公室  open (ends in the second half)
8      日常督查        undated      督导室  open
9      控辍保学        3-15 – 3-31  基教股  done, closed 4-2; one progress report only
=====  ==============  ===========  ======  ==========================================

Half 1 as of 6-30: items 1 2 3 5 9 (6 cancelled, 8 undated): done 1 and 9; unfinished 2 3 5, all
late: 2 by 71 days (4-20 → 6-30), 3 by 13, 5 by 51; 办结率 2/5 = 40.0%.
Targets: 学前三年毛入园率 ≥ 88.4% (actuals 87 on 3-31, 90.2 on 6-20, 95 on 8-1 → 90.2, met);
辍学率 ≤ 0.5% (0.8 → not met); 新建幼儿园 4所 (none → 未填报).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from eduplan.errors import EduplanError
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Item, Plan, ProgressReport, Target, TargetActual
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.plan import Target as PlanTarget
from eduplan.reports.summary import (
    Half,
    build_summary,
    chinese_numeral,
    choose_half,
    group_label,
    is_time_section,
    section_label,
    trim,
)

BUREAU = "测试县教育局"
D = date

ITEMS = [
    ("开学工作检查", D(2024, 2, 26), D(2024, 3, 1), ["基教股", "各学校"]),
    ("教师资格认定", D(2024, 4, 10), D(2024, 4, 20), ["人事股"]),
    ("中考组织", D(2024, 6, 15), D(2024, 6, 17), ["招考办"]),
    ("暑期安全教育", D(2024, 7, 5), D(2024, 7, 5), ["安全股"]),
    ("教研活动周", D(2024, 5, 6), D(2024, 5, 10), ["教研室"]),
    ("春季运动会", D(2024, 3, 10), D(2024, 3, 10), ["基教股"]),
    ("全年党建工作", D(2024, 1, 1), D(2024, 12, 31), ["办公室"]),
    ("日常督查", None, None, ["督导室"]),
    ("控辍保学", D(2024, 3, 15), D(2024, 3, 31), ["基教股"]),
]
CST = 8  # hours ahead of UTC


def cst(y: int, m: int, d: int, hour: int = 10) -> datetime:
    """A moment on day y-m-d in China (stored in UTC)."""
    return datetime(y, m, d, hour - CST, tzinfo=UTC)


def parsed(items=ITEMS, sections=None, targets=()) -> ParsedPlan:
    return ParsedPlan(
        source={"name": "plan.txt", "format": "txt"},
        kind="plan",
        title=f"{BUREAU}2024年工作计划",
        issuer=BUREAU,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
        items=[
            PlanItem(t, f"{t}：按要求做好相关工作", s, e, u, (sections or {}).get(t), n * 10)
            for n, (t, s, e, u) in enumerate(items, 1)
        ],
        targets=list(targets),
    )


TARGETS = [
    PlanTarget("学前三年毛入园率", "学前三年毛入园率达到88.4%以上", ">=", 88.4, "%", None, 15),
    PlanTarget("辍学率", "辍学率控制在0.5%以内", "<=", 0.5, "%", None, 25),
    PlanTarget("新建幼儿园", "新建幼儿园4所", "=", 4, "所", None, 35),
]


def _report(session, item: Item, kind: str, text: str, at: datetime, percent=None, org=None) -> None:
    session.add(
        ProgressReport(
            item_id=item.id, org_id=org, author="测试", text=text, percent=percent, kind=kind, created_at=at
        )
    )


def _actual(session, target: Target, value: float, as_of: date) -> None:
    session.add(
        TargetActual(target_id=target.id, value=value, as_of=as_of, author="测试", created_at=cst(2024, 9, 1))
    )


@pytest.fixture
def ledger(sessions):
    """The ledger in the module docstring; returns the plan id."""
    with sessions.begin() as session:
        plan_id = import_plan(session, parsed(targets=TARGETS), b"plan", bureau=BUREAU, actor="test").plan_id
        items = {i.title: i for i in session.scalars(select(Item).where(Item.plan_id == plan_id))}
        first = items["开学工作检查"]
        first.status, first.closed_at, first.closed_by = "done", cst(2024, 3, 1), "jijiao"
        _report(session, first, "completion", "初次报告：检查完毕。", cst(2024, 2, 28))
        _report(session, first, "reopen", "材料不全，退回补充。", cst(2024, 2, 29))
        _report(
            session,
            first,
            "completion",
            "全县32所学校全部完成开学检查，发现隐患12处，已整改11处。",
            cst(2024, 3, 1),
        )
        second = items["教师资格认定"]
        second.status = "in_progress"
        _report(session, second, "progress", "已受理申请120份。", cst(2024, 4, 15), percent=60)
        late = items["教研活动周"]
        late.status, late.closed_at = "done", cst(2024, 7, 3)
        _report(session, late, "completion", "教研活动周已举办。", cst(2024, 7, 3))
        items["春季运动会"].status = "cancelled"
        dropout = items["控辍保学"]
        dropout.status, dropout.closed_at = "done", cst(2024, 4, 2)
        _report(session, dropout, "progress", "已劝返复学3人。", cst(2024, 3, 30), percent=100)
        targets = {t.indicator: t for t in session.scalars(select(Target).where(Target.plan_id == plan_id))}
        rate = targets["学前三年毛入园率"]
        _actual(session, rate, 87.0, D(2024, 3, 31))
        _actual(session, rate, 90.2, D(2024, 6, 20))
        _actual(session, rate, 95.0, D(2024, 8, 1))  # after the half: not in its summary
        _actual(session, targets["辍学率"], 0.8, D(2024, 6, 30))
    return plan_id


LATER = D(2026, 1, 5)


def _summary(sessions, plan_id: int, number: int = 1, today: date = LATER, **kw):
    with sessions() as session:
        plan = session.get(Plan, plan_id)
        return build_summary(session, plan, choose_half(session, plan, number), today=today, **kw)


def _group(summary, section_title: str, group_title: str):
    section = next(s for s in summary.sections if s.title == section_title)
    return next(g for g in section.groups if g.title == group_title)


# ---------------------------------------------------------------- numbering and text helpers


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (21, "二十一"), (99, "九十九")],
)
def test_chinese_numerals(n, text):
    assert chinese_numeral(n) == text


def test_labels():
    assert section_label(2) == "二、"
    assert section_label(12) == "十二、"
    assert group_label(3) == "（三）"


def test_trim_keeps_whole_sentences_and_marks_a_cut():
    assert trim("  全部完成。\n  发现隐患 12 处。 ") == "全部完成。 发现隐患 12 处。"
    long = "甲" * 100 + "。" + "乙" * 100
    assert trim(long, 150) == "甲" * 100 + "。"
    assert trim("丙" * 200, 150) == "丙" * 150 + "……"


@pytest.mark.parametrize(
    ("label", "timely"),
    [
        ("3月", True),
        ("三月份", True),
        ("7-8月", True),
        ("十二月", True),
        ("第5周", True),
        ("第1-2周", True),
        ("预备周", True),
        ("寒假", True),
        ("一、党的建设", False),
        ("基础教育", False),
        ("5月下旬工作要点", False),
    ],
)
def test_time_sections(label, timely):
    assert is_time_section(label) is timely


# ---------------------------------------------------------------- the half year


def test_half_boundaries():
    assert (Half(2024, 1).start, Half(2024, 1).end) == (D(2024, 1, 1), D(2024, 6, 30))
    assert (Half(2024, 2).start, Half(2024, 2).end) == (D(2024, 7, 1), D(2024, 12, 31))
    assert Half(2024, 2).name == "2024年下半年"


def test_a_term_plan_takes_the_halves_its_dates_fall_in(sessions):
    autumn = ParsedPlan(
        source={"name": "term.txt", "format": "txt"},
        title=f"{BUREAU}2024—2025学年度第一学期行事历",
        issuer=BUREAU,
        period_start=D(2024, 9, 1),
        period_end=D(2025, 1, 31),
        items=[PlanItem("开学", "开学", D(2024, 9, 2), D(2024, 9, 2), ["基教股"])],
    )
    undated = ParsedPlan(
        source={"name": "u.txt", "format": "txt"},
        title=f"{BUREAU}工作要点",
        issuer=BUREAU,
        items=[PlanItem("常规", "常规", None, None, ["基教股"])],
    )
    with sessions.begin() as session:
        term = session.get(Plan, import_plan(session, autumn, b"t", bureau=BUREAU).plan_id)
        assert choose_half(session, term, 2) == Half(2024, 2)
        assert choose_half(session, term, 1) == Half(2025, 1)
        assert choose_half(session, term, 1, year=2023) == Half(2023, 1)
        none = session.get(Plan, import_plan(session, undated, b"u", bureau=BUREAU).plan_id)
        with pytest.raises(EduplanError, match="上半年"):
            choose_half(session, none, 1)
        with pytest.raises(EduplanError):
            choose_half(session, term, 3)


# ---------------------------------------------------------------- the first half of the sample ledger


def test_counts_and_title(sessions, ledger):
    summary = _summary(sessions, ledger)
    c = summary.counts
    assert (c.items, c.done, c.unfinished, c.late, c.cancelled, c.undated) == (5, 2, 3, 3, 1, 1)
    assert c.rate == "40.0%"
    assert (c.targets, c.targets_reported, c.targets_met) == (3, 2, 1)
    assert summary.title == "测试县教育局2024年上半年工作总结（初稿）"
    assert summary.cutoff == D(2024, 6, 30)
    assert summary.overview == (
        "根据工作台账，《测试县教育局2024年工作计划》中截止时间在2024年上半年（1月1日至6月30日）的工作共5项，"
        "截至2024年6月30日已完成2项，尚未完成3项（其中逾期3项），办结率40.0%。"
        "另有1项工作已取消、1项工作未注明时间，未计入。"
        "量化目标3项，已填报实际完成值2项，其中已达成1项。"
    )
    assert "初稿" in summary.note and "工作台账" in summary.note and "2024年6月30日" in summary.note


def test_sections_are_lead_offices_in_order_then_targets_then_next_steps(sessions, ledger):
    summary = _summary(sessions, ledger)
    assert summary.by == "offices"
    assert [s.heading for s in summary.sections] == [
        "一、基教股",
        "二、人事股",
        "三、招考办",
        "四、教研室",
        "五、主要目标完成情况",
        "六、存在的问题和下一步工作打算",
    ]
    assert [g.heading for g in summary.sections[0].groups] == ["（一）已完成的工作"]
    assert [g.heading for g in summary.sections[1].groups] == ["（一）尚未完成或逾期的工作"]


def test_completed_items_carry_the_substance_of_their_reports(sessions, ledger):
    done = _group(_summary(sessions, ledger), "基教股", "已完成的工作")
    assert [e.title for e in done.entries] == ["开学工作检查", "控辍保学"]
    first, second = done.entries
    # The completion report after the reopening, not the first one.
    assert first.substance == "全县32所学校全部完成开学检查，发现隐患12处，已整改11处。"
    assert first.substance_label == "完成情况"
    assert first.state == "已于3月1日办结"
    assert first.head == "开学工作检查（2月26日至3月1日，基教股、各学校）"
    # No completion report: the latest progress report; closed two days after its end.
    assert second.substance == "已劝返复学3人。"
    assert second.state == "已于4月2日办结（逾期2天）"
    assert done.lines[0][0] == "1." and done.lines[1][0] == "2."
    assert done.lines[1][1].startswith("控辍保学（3月15日至31日，基教股）。")


def test_unfinished_items_with_days_late(sessions, ledger):
    summary = _summary(sessions, ledger)
    exam = _group(summary, "人事股", "尚未完成或逾期的工作").entries[0]
    assert exam.title == "教师资格认定"
    assert exam.days_late == 71
    assert exam.state == "进行中，截至6月30日逾期71天"
    assert exam.substance == "（已完成60%）已受理申请120份。"
    assert _group(summary, "招考办", "尚未完成或逾期的工作").entries[0].days_late == 13
    closed_late = _group(summary, "教研室", "尚未完成或逾期的工作").entries[0]
    assert closed_late.days_late == 51
    assert "7月3日补办结" in closed_late.state
    titles = [e.title for s in summary.sections for g in s.groups for e in g.entries]
    for absent in ("暑期安全教育", "全年党建工作", "春季运动会", "日常督查"):
        assert absent not in titles


def test_targets_with_latest_actual_as_of_the_cutoff(sessions, ledger):
    group = _group(_summary(sessions, ledger), "主要目标完成情况", "目标完成情况")
    rate, dropout, kindergartens = group.targets
    assert (rate.actual, rate.as_of, rate.met) == ("90.2%", D(2024, 6, 20), True)
    assert rate.text == "学前三年毛入园率：目标≥88.4%，实际90.2%（截至2024年6月20日），已达成。"
    assert (dropout.actual, dropout.met) == ("0.8%", False)
    assert dropout.text.endswith("未达成。")
    assert (kindergartens.actual, kindergartens.met) == (None, None)
    assert kindergartens.text == "新建幼儿园：目标4所，实际完成情况未填报。"


def test_second_half_counts_the_later_actual(sessions, ledger):
    summary = _summary(sessions, ledger, number=2)
    titles = [e.title for s in summary.sections for g in s.groups for e in g.entries]
    assert sorted(titles) == ["全年党建工作", "暑期安全教育"]
    rate = _group(summary, "主要目标完成情况", "目标完成情况").targets[0]
    assert rate.actual == "95%"


def test_half_not_over_yet_counts_up_to_today(sessions, ledger):
    summary = _summary(sessions, ledger, today=D(2024, 5, 1))
    assert summary.cutoff == D(2024, 5, 1)
    exam = _group(summary, "人事股", "尚未完成或逾期的工作").entries[0]
    assert exam.days_late == 11
    zhongkao = _group(summary, "招考办", "尚未完成或逾期的工作").entries[0]
    assert zhongkao.days_late == 0
    assert zhongkao.state == "未开始，尚未到期"
    # 教研活动周 (ends 5-10) and 中考组织 are not due yet: one item late.
    assert (summary.counts.done, summary.counts.unfinished, summary.counts.late) == (2, 3, 1)
    late_titles = {e.title for s in summary.sections for g in s.groups for e in g.entries if e.days_late}
    # Only the actual of 3-31 (87%) is known by 5-1: reported, not met.
    assert (summary.counts.targets_reported, summary.counts.targets_met) == (1, 0)
    assert late_titles == {"教师资格认定"}


def test_hidden_reports_are_said_to_exist_not_shown(sessions, ledger):
    summary = _summary(sessions, ledger, may_read=lambda units, report: False)
    first = _group(summary, "基教股", "已完成的工作").entries[0]
    assert first.substance == "已有填报，仅局办公室和责任单位可见。"
    texts = " ".join(e.text for s in summary.sections for g in s.groups for e in g.entries)
    assert "32所" not in texts


# ---------------------------------------------------------------- the plan's own sections


def test_plan_sections_are_used_and_targets_placed_under_them(sessions):
    sections = {t: "一、党的建设" for t in ("开学工作检查", "教师资格认定")} | {
        t: "二、基础教育" for t in ("中考组织", "教研活动周", "控辍保学")
    }
    items = [i for i in ITEMS if i[0] in sections]
    # Item lines are 10, 20, 30 …; the first target (line 15) follows 开学工作检查 (党的建设),
    # the second (line 35) follows 中考组织 (line 30, 基础教育).
    targets = [TARGETS[0], PlanTarget("辍学率", "辍学率控制在0.5%以内", "<=", 0.5, "%", None, 35)]
    with sessions.begin() as session:
        plan_id = import_plan(session, parsed(items, sections, targets), b"s", bureau=BUREAU).plan_id
    summary = _summary(sessions, plan_id)
    assert summary.by == "plan sections"
    assert [s.heading for s in summary.sections] == [
        "一、党的建设",
        "二、基础教育",
        "三、存在的问题和下一步工作打算",
    ]
    first, second = summary.sections[0], summary.sections[1]
    # Nothing is done: 目标完成情况 comes first, then the unfinished items.
    assert [g.heading for g in first.groups] == ["（一）目标完成情况", "（二）尚未完成或逾期的工作"]
    assert [t.indicator for t in first.groups[0].targets] == ["学前三年毛入园率"]
    assert [t.indicator for t in second.groups[0].targets] == ["辍学率"]
    assert [e.title for e in second.groups[1].entries] == ["控辍保学", "教研活动周", "中考组织"]


def test_month_sections_are_not_topics(sessions):
    months = {t: f"{s.month}月" for t, s, _, _ in ITEMS if s}
    with sessions.begin() as session:
        plan_id = import_plan(session, parsed(sections=months), b"m", bureau=BUREAU).plan_id
    summary = _summary(sessions, plan_id)
    assert summary.by == "offices"
    assert summary.sections[0].title == "基教股"


# ---------------------------------------------------------------- demo progress


def test_demo_progress_is_recorded_once(sessions):
    from eduplan.demo.summary import seed_summary_demo
    from eduplan.ledger.orgs import get_or_create_bureau

    calendar = ParsedPlan(
        source={"name": "cal.txt", "format": "txt"},
        kind="calendar",
        title=f"{BUREAU}2020—2021学年度第二学期行事历",
        issuer=BUREAU,
        items=[
            PlanItem("开学检查", "开学检查", D(2021, 3, 1), D(2021, 3, 5), ["基教股"]),  # seq 0
            PlanItem("教研活动", "教研活动", D(2021, 4, 6), D(2021, 4, 10), ["教研室"]),  # seq 1
            PlanItem("中考", "中考", D(2021, 6, 18), D(2021, 6, 20), ["招考办"]),  # June: untouched
        ],
    )
    with sessions.begin() as session:
        plan_id = import_plan(session, calendar, b"cal", bureau=BUREAU).plan_id
        bureau = get_or_create_bureau(session, BUREAU, "test")
        assert seed_summary_demo(session, bureau) == 2
        assert seed_summary_demo(session, bureau) == 0
    with sessions() as session:
        items = {i.title: i for i in session.scalars(select(Item).where(Item.plan_id == plan_id))}
        assert [items[t].status for t in ("开学检查", "教研活动", "中考")] == ["in_progress", "done", "open"]
        done = items["教研活动"]
        closed = done.closed_at if done.closed_at.tzinfo else done.closed_at.replace(tzinfo=UTC)  # SQLite
        assert closed == datetime(2021, 4, 10, 9, 0, tzinfo=UTC)  # 17:00 in China
        kinds = session.scalars(select(ProgressReport.kind).where(ProgressReport.item_id == done.id)).all()
        assert kinds == ["completion"]


# ---------------------------------------------------------------- eduplan report summary


def test_report_summary_command_writes_the_word_file(ledger_url, sessions, ledger, tmp_path):
    import io

    from docx import Document
    from typer.testing import CliRunner

    from eduplan.cli import app

    out = tmp_path / "总结.docx"
    args = ["report", "summary", "--plan", str(ledger), "--half", "1", "-o", str(out), "--db", ledger_url]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "已完成 2，未完成 3，逾期 3" in result.output
    document = Document(io.BytesIO(out.read_bytes()))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"][:2] == [
        "一、基教股",
        "二、人事股",
    ]

    missing = CliRunner().invoke(app, [*args[:3], "999999", *args[4:]])
    assert missing.exit_code == 2
    assert "没有编号为 999999 的计划" in missing.output
