"""督办 page: the filters (plan; one office or school for the bureau office), what each role sees
(``permissions.can_view_supervision``), the numbers from ``eduplan.supervise.stats``,
and each table as an Excel sheet (``eduplan.calendar.tables_xlsx``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from fastapi import HTTPException
from sqlalchemy.orm import Session

from eduplan.calendar.tables_xlsx import Percent, Sheet
from eduplan.ledger import schools
from eduplan.ledger.models import Organisation, Plan
from eduplan.ledger.status import STATUS_LABELS
from eduplan.supervise import stats as stats
from eduplan.supervise.tracked import tracked_items
from eduplan.web.auth import Viewer
from eduplan.web.permissions import can_view_supervision
from eduplan.web.views.scope import Choices, bureau_plan, filter_choices, parse_id
from eduplan.web.views.targets import TargetRow, target_rows

TABLES = {
    "completion": "办结率",
    "overdue": "逾期清单",
    "trend": "办结率趋势",
    "targets": "目标完成情况",
}
"""The exportable tables: URL name → what the sheet and the file are called."""
OVERDUE_SHOWN = 100
"""Overdue rows a page of the list shows (the longest overdue first); the Excel export has them all."""
KIND_LABELS = {"office": "科室", "school": "学校", "group": "学校群体"}
ATTRIBUTION_NOTE = (
    "办结率 = 已办结 ÷ 应办结。应办结：截至统计日已到截止日期（无截止日期的按开始日期）、"
    "仍在计划现行版本中且未取消的事项；已办结：其中状态为已完成的事项。"
    "一项工作有多个责任单位时，牵头单位和配合单位都计入；"
    "安排给“各学校”等全体学校的事项计入该群体一行，不分摊到每所学校；全局合计中每项只计一次。"
)
TREND_NOTE = (
    "每周的办结率按该周最后一天（本周按今天）计算：截至当天应办结的事项中，"
    "销号（办结）日期不晚于当天的所占比例；没有销号时间的旧数据按最后修改日期计。"
)


@dataclass
class SupervisionFilters:
    """The plan, and (for the bureau office) one office or school."""

    plan: Plan | None = None
    unit: Organisation | None = None

    def params(self) -> dict[str, str]:
        values = {
            "plan": str(self.plan.id) if self.plan else "",
            "unit": str(self.unit.id) if self.unit else "",
        }
        return {k: v for k, v in values.items() if v}

    @property
    def query(self) -> str:
        params = self.params()
        return "?" + urlencode(params) if params else ""


@dataclass
class Board:
    today: date
    filters: SupervisionFilters
    scope_label: str
    own_unit_id: int | None
    completion: stats.Completion | None = None
    overdue: list[stats.OverdueRow] = field(default_factory=list)
    term_name: str | None = None
    trend: list[stats.TrendPoint] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    choices: Choices | None = None


def require_supervision(viewer: Viewer) -> None:
    if not can_view_supervision(viewer):
        raise HTTPException(403, "督办页面仅供局机关、科室和学校查看")


def read_filters(session: Session, viewer: Viewer, plan: str | None, unit: str | None) -> SupervisionFilters:
    """Filters from the query string; ids outside the viewer's bureau are "not found". Only the
    bureau office chooses a unit: an office or a school always sees its own."""
    result = SupervisionFilters()
    result.plan = bureau_plan(session, viewer, parse_id(plan, "计划"))
    unit_id = parse_id(unit, "单位")
    if unit_id is not None and viewer.is_admin:
        org = session.get(Organisation, unit_id)
        if org is None or org.bureau_id != viewer.bureau_id or org.kind not in ("office", "school"):
            raise HTTPException(404, "没有这个科室或学校")
        result.unit = org
    return result


def scope(session: Session, viewer: Viewer, filters: SupervisionFilters) -> tuple[list[int] | None, str]:
    """The units whose items the overdue list and the trend show (None: the whole bureau), and
    what the page calls that scope. A school takes part in what is asked of all schools."""
    if viewer.is_admin:
        unit = filters.unit
        if unit is None:
            return None, "全局"
    else:
        unit = session.get(Organisation, viewer.org_id) if viewer.org_id is not None else None
        if unit is None:
            return [], "本单位"
    ids = [unit.id, *sorted(schools.answers_for(session, unit))]
    return ids, unit.name


def board(
    session: Session, viewer: Viewer, filters: SupervisionFilters, today: date, only: str | None = None
) -> Board:
    """The page's numbers; ``only`` (a key of ``TABLES``) computes just that table, for an export."""
    require_supervision(viewer)
    bureau_id = viewer.bureau_id
    plan_id = filters.plan.id if filters.plan else None
    org_ids, label = scope(session, viewer, filters)
    wanted = set(TABLES) if only is None else {only}
    items = tracked_items(session, bureau_id, until=today, plan_id=plan_id) if wanted - {"targets"} else []
    data = Board(today, filters, label, viewer.org_id if not viewer.is_admin else None)
    if "completion" in wanted:
        data.completion = stats.completion(session, bureau_id, today, items=items)
    if "overdue" in wanted:
        data.overdue = stats.overdue(session, bureau_id, today, org_ids=org_ids, items=items)
    if "trend" in wanted:
        term_id = filters.plan.term_id if filters.plan else None
        data.term_name, data.trend = stats.trend(
            session, bureau_id, today, org_ids=org_ids, term_id=term_id, items=items
        )
    if "targets" in wanted:
        data.targets = target_rows(session, viewer, plan_id=plan_id)
    if only is None:
        data.choices = filter_choices(session, viewer) if viewer.is_admin else _plans_only(session, viewer)
    return data


def _plans_only(session: Session, viewer: Viewer) -> Choices:
    choices = filter_choices(session, viewer)
    return Choices(choices.plans, [], [])


# ---------------------------------------------------------------- Excel


def _filter_note(data: Board) -> str:
    parts = [f"统计日：{data.today.isoformat()}"]
    if data.filters.plan is not None:
        parts.append(f"计划：{data.filters.plan.title or '计划 ' + str(data.filters.plan.id)}")
    return "；".join(parts)


def sheet(data: Board, table: str) -> Sheet:
    """The page's table ``table`` (a key of ``TABLES``) as a worksheet, with the same filters."""
    name = TABLES[table]
    note = _filter_note(data)
    if table == "completion":
        c = data.completion
        rows = [
            [KIND_LABELS[r.unit.kind], r.name, r.done, r.due, Percent(r.share)]
            for r in (*c.offices, *c.schools, *c.groups)
        ]
        rows.append(["全局", c.total.name, c.total.done, c.total.due, Percent(c.total.share)])
        return Sheet(name, ["类别", "单位", "已办结", "应办结", "办结率"], rows, title=name, note=note)
    note += f"；范围：{data.scope_label}"
    if table == "overdue":
        rows = [
            [
                r.title,
                "、".join(r.units),
                r.end,
                r.days_late,
                STATUS_LABELS.get(r.status, r.status),
                f"督办（限 {r.supervision_deadline.isoformat()}）"
                if r.supervised and r.supervision_deadline
                else "",
                r.id,
            ]
            for r in data.overdue
        ]
        headers = ["工作事项", "责任单位", "截止日期", "逾期天数", "状态", "督办", "事项编号"]
        return Sheet(name, headers, rows, title=name, note=note)
    if table == "trend":
        if data.term_name:
            note += f"；学期：{data.term_name}"
        rows = [[p.label, p.start, p.end, p.as_of, p.done, p.due, Percent(p.share)] for p in data.trend]
        headers = ["周次", "开始", "结束", "统计日", "已办结", "应办结", "办结率"]
        return Sheet(name, headers, rows, title=name, note=note)
    rows = [
        [
            t.indicator,
            t.goal,
            t.plan_title,
            t.lead or "",
            t.deadline,
            t.actual_value,
            t.actual_as_of,
            t.rate_text,
            t.attainment_text,
            t.actual_note or "",
        ]
        for t in data.targets
    ]
    headers = [
        "指标", "目标值", "所属计划", "牵头单位", "完成时限",
        "实际完成", "截至日期", "达成率", "达成情况", "说明",
    ]  # fmt: skip
    return Sheet(name, headers, rows, title=name, note=_filter_note(data))


def export_filename(table: str, today: date) -> str:
    return f"督办-{TABLES[table]}-{today.isoformat()}.xlsx"
