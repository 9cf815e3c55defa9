"""Year over year: compare two plans — items added, dropped, moved and unchanged; targets raised,
lowered, new and dropped.

Items are the same work when their texts agree with the year numbers ignored (2025年 and 2026年,
``pastplans.strip_years``), matched by ``diff.match`` on spans moved to a common year. An item is
*moved* when its date changed: by the calendar (5月12日 → 5月19日), or, when both plans have a
term, by its week of term. Targets pair on their normalised indicator; *raised* is op-aware:
a larger value for ``≥``, a smaller one for ``≤`` (近视率 ≤ 5% → ≤ 4% is a raised target).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from eduplan.calendar.model import week_label
from eduplan.calendar.tables_xlsx import Sheet, tables_xlsx
from eduplan.errors import EduplanError
from eduplan.ledger.diff import match
from eduplan.ledger.goal_text import goal_text
from eduplan.reports.pastplans import PastItem, PastPlan, PastTarget, load_plans, move_year, strip_years
from eduplan.text import normalize

STRICTER_WHEN_LOWER = ("<=", "<")
WEEK_DAYS = 7


@dataclass(frozen=True)
class Moved:
    """The same work on another date: ``days`` after aligning the years (positive = later)."""

    old: PastItem
    new: PastItem
    days: int | None
    old_week: int | None
    new_week: int | None

    @property
    def weeks(self) -> int | None:
        """The shift in weeks: by week of term when both are known, else the days over seven."""
        if self.old_week is not None and self.new_week is not None:
            return self.new_week - self.old_week
        return round(self.days / WEEK_DAYS) if self.days is not None else None


@dataclass(frozen=True)
class TargetChange:
    old: PastTarget
    new: PastTarget
    change: str  # 提高 | 降低 | 调整 | 不变

    @property
    def difference(self) -> float | None:
        return self.new.value - self.old.value if self.old.unit == self.new.unit else None


@dataclass
class Comparison:
    a: PastPlan
    b: PastPlan
    years: int  # b's year − a's year: dates are compared after moving a's on by this
    added: list[PastItem] = field(default_factory=list)
    dropped: list[PastItem] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    unchanged: list[tuple[PastItem, PastItem]] = field(default_factory=list)
    targets: list[TargetChange] = field(default_factory=list)
    new_targets: list[PastTarget] = field(default_factory=list)
    dropped_targets: list[PastTarget] = field(default_factory=list)

    def count(self, change: str) -> int:
        return sum(1 for t in self.targets if t.change == change)


def target_change(old: PastTarget, new: PastTarget) -> str:
    """提高 (more demanding), 降低, 调整 (another comparison or unit), 不变."""
    if old.op != new.op or (old.unit or "") != (new.unit or ""):
        return "调整"
    if old.value == new.value:
        return "不变"
    higher = new.value > old.value
    stricter = not higher if old.op in STRICTER_WHEN_LOWER else higher
    return "提高" if stricter else "降低"


def target_text(target: PastTarget) -> str:
    return goal_text(target.op, target.value, target.unit, sep="")


def _same_date(old: PastItem, new: PastItem, a: PastPlan, b: PastPlan, years: int) -> tuple[bool, int | None]:
    """Whether the work keeps its date, and the shift in days (None without dates)."""
    if old.start is None or new.start is None:
        return old.start == new.start, None
    days = (new.start - move_year(old.start, years)).days
    if days == 0:
        return True, 0
    same_week = a.week(old.start) is not None and a.week(old.start) == b.week(new.start)
    return same_week and old.start.weekday() == new.start.weekday(), days


def _year_gap(a: PastPlan, b: PastPlan) -> int:
    return (b.year - a.year) if a.year is not None and b.year is not None else 0


def compare(a: PastPlan, b: PastPlan) -> Comparison:
    """What changed from plan ``a`` (the earlier) to plan ``b``."""
    years = _year_gap(a, b)
    result = Comparison(a, b, years)
    matching = match([a.key(i) for i in a.items], [b.key(i) for i in b.items])
    for i, j in [*matching.same, *matching.changed]:
        old, new = a.items[i], b.items[j]
        same, days = _same_date(old, new, a, b, years)
        if same:
            result.unchanged.append((old, new))
        else:
            result.moved.append(Moved(old, new, days, a.week(old.start), b.week(new.start)))
    result.added = [b.items[j] for j in matching.added]
    result.dropped = [a.items[i] for i in matching.removed]
    result.moved.sort(key=lambda m: (m.new.start or date.max, m.new.seq))
    _compare_targets(a, b, result)
    return result


def _compare_targets(a: PastPlan, b: PastPlan, result: Comparison) -> None:
    old_by_key: dict[str, list[PastTarget]] = {}
    for target in a.targets:
        old_by_key.setdefault(strip_years(normalize(target.indicator)), []).append(target)
    for target in b.targets:
        candidates = old_by_key.get(strip_years(normalize(target.indicator)))
        if candidates:
            old = candidates.pop(0)
            result.targets.append(TargetChange(old, target, target_change(old, target)))
        else:
            result.new_targets.append(target)
    result.dropped_targets = [t for ts in old_by_key.values() for t in ts]
    result.dropped_targets.sort(key=lambda t: a.targets.index(t))


# ---------------------------------------------------------------- the tables (page and Excel)


def _span(item: PastItem) -> str:
    if item.start is None:
        return "无日期"
    if item.end is None or item.end == item.start:
        return item.start.isoformat()
    return f"{item.start.isoformat()} 至 {item.end.isoformat()}"


def _week(plan: PastPlan, item: PastItem) -> str:
    number = plan.week(item.start)
    return week_label(number) if number is not None else ""


def _units(item: PastItem) -> str:
    return "、".join(item.departments)


def _signed(value: int | float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:+g}{unit}" if isinstance(value, float) else f"{value:+d}{unit}"


ITEM_HEADERS = ("事项", "日期", "教学周", "责任单位", "行号")
MOVED_HEADERS = ("事项", "原日期", "原教学周", "新日期", "新教学周", "相差天数", "相差周数", "责任单位")
TARGET_HEADERS = ("指标", "原目标", "新目标", "变化", "差值")
ONE_TARGET_HEADERS = ("指标", "目标", "原文", "行号")


def item_rows(plan: PastPlan, items: list[PastItem]) -> list[list]:
    return [[i.title, _span(i), _week(plan, i), _units(i), i.line or None] for i in items]


def moved_rows(c: Comparison) -> list[list]:
    return [
        [
            m.new.title,
            _span(m.old),
            _week(c.a, m.old),
            _span(m.new),
            _week(c.b, m.new),
            m.days,
            m.weeks,
            _units(m.new),
        ]
        for m in c.moved
    ]


def target_rows(c: Comparison, changes: tuple[str, ...] = ("提高", "降低", "调整")) -> list[list]:
    rows = []
    for t in c.targets:
        if t.change in changes:
            unit = t.new.unit or ""
            rows.append(
                [
                    t.new.indicator,
                    target_text(t.old),
                    target_text(t.new),
                    t.change,
                    _signed(t.difference, unit),
                ]
            )
    return rows


def one_target_rows(targets: list[PastTarget]) -> list[list]:
    return [[t.indicator, target_text(t), t.text, t.line or None] for t in targets]


def summary_rows(c: Comparison) -> list[list]:
    return [
        ["新增事项", len(c.added)],
        ["取消事项", len(c.dropped)],
        ["日期调整", len(c.moved)],
        ["未变事项", len(c.unchanged)],
        ["指标提高", c.count("提高")],
        ["指标降低", c.count("降低")],
        ["指标调整", c.count("调整")],
        ["指标不变", c.count("不变")],
        ["新增指标", len(c.new_targets)],
        ["取消指标", len(c.dropped_targets)],
    ]


def comparison_xlsx(c: Comparison) -> bytes:
    """The comparison as a workbook, one sheet per table."""
    title = f"{c.a.label} → {c.b.label}"
    note = "同一项工作按去掉年份后的文字匹配；“相差天数”按对齐年份后的日期计算。"
    return tables_xlsx(
        [
            Sheet("概况", ("项目", "数量"), summary_rows(c), title=f"逐年对比：{title}", note=note),
            Sheet("新增事项", ITEM_HEADERS, item_rows(c.b, c.added), title=f"新增事项（{c.b.label}）"),
            Sheet(
                "取消事项",
                ITEM_HEADERS,
                item_rows(c.a, c.dropped),
                title=f"取消事项（{c.a.label}有、{c.b.label}没有）",
            ),
            Sheet("日期调整", MOVED_HEADERS, moved_rows(c), title="同一工作，日期调整"),
            Sheet("指标变化", TARGET_HEADERS, target_rows(c), title="指标提高、降低或调整"),
            Sheet("新增指标", ONE_TARGET_HEADERS, one_target_rows(c.new_targets), title="新增指标"),
            Sheet("取消指标", ONE_TARGET_HEADERS, one_target_rows(c.dropped_targets), title="取消指标"),
        ]
    )


def compare_plans(session: Session, bureau_id: int, a_id: int, b_id: int) -> Comparison:
    """Compare two of the bureau's plans (EduplanError, in Chinese, for one it does not have)."""
    if a_id == b_id:
        raise EduplanError("请选择两份不同的计划")
    a, b = load_plans(session, bureau_id, [a_id, b_id])
    return compare(a, b)
