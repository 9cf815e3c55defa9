"""The half-year summary draft (半年工作总结初稿): what a plan's items and targets say about one half
year, arranged the way a bureau writes its summary. The words only — the Word file is written by
``eduplan/reports/summary_docx.py`` and the page by ``eduplan/web/routes/reports.py``.

Rules (README, ``eduplan report summary``):

* **The half.** Half 1 is 1 January – 30 June, half 2 is 1 July – 31 December. The year is the
  first year whose half overlaps the plan's period (``period_start``..``period_end``, else the
  span of its dated items); a term plan therefore gets the calendar half its dates fall in
  (an autumn term 2024-09..2025-01 gives 2024 for half 2 and 2025 for half 1). ``year`` overrides.
* **The items.** Live items (not removed in a later version) whose span *ends* in the half (the
  end date, or the start date of a one-day item). Undated items are counted, not listed.
* **As of.** The end of the half, or today when the half is not over yet (``cutoff``).
  *Completed*: done and closed (``closed_at``, else the last change) on or before the cutoff.
  *Unfinished*: everything else that is not cancelled — open, in progress, or closed only after
  the cutoff (said so) — with the days late counted from its end date to the cutoff.
* **Sections.** The plan's own sections (``Item.section``) when most items have one and they
  name work rather than time (a section called 3月 or 第5周 is a calendar row, not a topic);
  otherwise the lead office (the first responsible unit that is an office, else the first unit).
  Numbering as in official documents: 一、 for sections, （一） for the groups inside a section
  (已完成的工作 / 目标完成情况 / 尚未完成或逾期的工作), 1. for items.
* **Substance.** For a completed item, its completion report (the latest one since it was last
  reopened), else its latest progress report; for an unfinished item its latest progress report.
  Whitespace folded, cut at a sentence end near :data:`SUBSTANCE_CHARS` characters.
* **Targets.** Every live target of the plan with its latest actual as of the cutoff
  (``TargetActual``), met or not as the 督办 page judges it (``actuals.attained``), 未填报 when
  none. A target belongs to the section of the nearest item above it in the document when
  sections are the plan's own; otherwise (and for targets above the first item) they form their
  own section.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eduplan.calendar.model import month_day
from eduplan.errors import EduplanError
from eduplan.ledger.clock import BUREAU_TZ
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.goal_text import goal_text, number_text
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan, ProgressReport, Target, TargetActual
from eduplan.read.numbering import format_number
from eduplan.supervise.actuals import attained

SUBSTANCE_CHARS = 150
"""About how much of a report a summary quotes (a sentence end up to this is kept whole)."""

HALF_NAMES = {1: "上半年", 2: "下半年"}
GROUP_DONE = "已完成的工作"
GROUP_TARGETS = "目标完成情况"
GROUP_OPEN = "尚未完成或逾期的工作"
TARGETS_SECTION = "主要目标完成情况"
NEXT_SECTION = "存在的问题和下一步工作打算"
NO_SECTION = "其他工作"
NO_UNIT = "未明确责任单位的工作"
NOT_REPORTED = "未填报"

# Section labels that name a time rather than a piece of work: 3月, 三月份, 7-8月, 第5周, 预备周, 寒假.
_TIME_SECTION = re.compile(
    r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:\s*[-—–~至、]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}))?\s*月份?"
    r"(?:[上中下]旬)?$"
    r"|^第?\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:\s*[-—–~至、]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3}))?\s*周次?$"
    r"|^(?:预备周|寒假|暑假|假期|开学初|学期初|学期中|学期末|期末|[上中下]旬)$"
)
# A section's own numbering, dropped because the summary numbers its sections itself.
_OWN_NUMBER = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十百\d]+[）)]|[一二三四五六七八九十百]+\s*[、.．]|\d+\s*[、.．])\s*"
)
_SENTENCE_END = "。；！？;!?"


# ---------------------------------------------------------------- numbering


def chinese_numeral(n: int) -> str:
    """一 … 十 十一 … 九十九 (Word's chineseCounting, the one converter the reader already has)."""
    return format_number(n, "chineseCounting")


def section_label(n: int) -> str:
    """一、 二、 …"""
    return f"{chinese_numeral(n)}、"


def group_label(n: int) -> str:
    """（一） （二） …"""
    return f"（{chinese_numeral(n)}）"


def entry_label(n: int) -> str:
    """1. 2. …"""
    return f"{n}."


# ---------------------------------------------------------------- the half year


@dataclass(frozen=True)
class Half:
    year: int
    number: int  # 1: January–June, 2: July–December

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.number == 1 else 7, 1)

    @property
    def end(self) -> date:
        return date(self.year, 6, 30) if self.number == 1 else date(self.year, 12, 31)

    @property
    def name(self) -> str:
        """2026年上半年"""
        return f"{self.year}年{HALF_NAMES[self.number]}"


def plan_span(session: Session, plan: Plan) -> tuple[date, date] | None:
    """The plan's period, else the first start and last end of its live dated items."""
    if plan.period_start and plan.period_end:
        return plan.period_start, plan.period_end
    rows = session.execute(
        select(Item.start, Item.end).where(
            Item.plan_id == plan.id, Item.removed_in.is_(None), Item.start.is_not(None)
        )
    ).all()
    if not rows:
        return None
    starts = [s for s, _ in rows]
    ends = [e or s for s, e in rows]
    return plan.period_start or min(starts), plan.period_end or max(ends)


def halves_of(span: tuple[date, date] | None) -> list[Half]:
    """Every half year the span overlaps, in order."""
    if span is None:
        return []
    first, last = span
    found = []
    for year in range(first.year, last.year + 1):
        for number in (1, 2):
            half = Half(year, number)
            if half.start <= last and half.end >= first:
                found.append(half)
    return found


def choose_half(session: Session, plan: Plan, number: int, year: int | None = None) -> Half:
    """Half ``number`` of the plan's year (the rule in the module docstring)."""
    if number not in HALF_NAMES:
        raise EduplanError("半年只能是 1（上半年）或 2（下半年）")
    if year is not None:
        if not 1900 <= year <= 2999:
            raise EduplanError(f"年份“{year}”不正确")
        return Half(year, number)
    for half in halves_of(plan_span(session, plan)):
        if half.number == number:
            return half
    raise EduplanError(f"计划“{plan.title or plan.id}”的时间范围里没有{HALF_NAMES[number]}，请指定年份")


# ---------------------------------------------------------------- what the summary holds


@dataclass
class Entry:
    """One item in a group: ``head`` (title, dates, units) and what its reports say."""

    item_id: int
    title: str
    dates: str
    units: list[str]
    end: date | None
    seq: int
    state: str = ""  # 已于6月3日办结 · 逾期12天 · 尚未到期 …
    substance: str | None = None
    substance_label: str = ""  # 完成情况 · 最新进展
    days_late: int = 0

    @property
    def head(self) -> str:
        where = "，".join(p for p in (self.dates, "、".join(self.units)) if p)
        return f"{self.title}（{where}）" if where else self.title

    @property
    def text(self) -> str:
        """The entry as one paragraph (after its number)."""
        parts = [self.head + "。"]
        if self.state:
            parts.append(self.state + "。")
        if self.substance:
            parts.append(f"{self.substance_label}：{self.substance}")
        return "".join(parts)


@dataclass
class TargetEntry:
    target_id: int
    indicator: str
    goal: str
    actual: str | None  # "90.2%" or None (未填报)
    as_of: date | None
    met: bool | None  # None: nothing reported
    deadline: date | None = None
    line: int = 0

    @property
    def verdict(self) -> str:
        if self.met is None:
            return NOT_REPORTED
        return "已达成" if self.met else "未达成"

    @property
    def text(self) -> str:
        goal = f"目标{self.goal}"
        if self.deadline:
            goal += f"（{self.deadline.year}年{self.deadline.month}月{self.deadline.day}日前）"
        if self.actual is None:
            return f"{self.indicator}：{goal}，实际完成情况{NOT_REPORTED}。"
        when = f"（截至{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日）" if self.as_of else ""
        return f"{self.indicator}：{goal}，实际{self.actual}{when}，{self.verdict}。"


@dataclass
class Group:
    number: int
    title: str
    entries: list[Entry] = field(default_factory=list)
    targets: list[TargetEntry] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{group_label(self.number)}{self.title}"

    @property
    def rows(self) -> list[tuple[str, str, int | None]]:
        """(number, text, item id or None for a target) of each entry or target, numbered 1. 2. …
        within the group."""
        found = [(e.text, e.item_id) for e in self.entries] + [(t.text, None) for t in self.targets]
        return [(entry_label(i), text, item_id) for i, (text, item_id) in enumerate(found, 1)]

    @property
    def lines(self) -> list[tuple[str, str]]:
        """(number, text) of each entry or target."""
        return [(number, text) for number, text, _ in self.rows]


@dataclass
class Section:
    number: int
    title: str
    groups: list[Group] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # text without numbered lines

    @property
    def heading(self) -> str:
        return f"{section_label(self.number)}{self.title}"


@dataclass
class Counts:
    items: int = 0
    done: int = 0
    unfinished: int = 0
    late: int = 0
    cancelled: int = 0
    undated: int = 0
    targets: int = 0
    targets_reported: int = 0
    targets_met: int = 0

    @property
    def rate(self) -> str:
        """办结率 of the half's items not cancelled, e.g. 62.5%."""
        due = self.done + self.unfinished
        return f"{self.done / due * 100:.1f}%" if due else "—"


@dataclass
class Summary:
    title: str
    plan_id: int
    plan_title: str
    bureau: str
    half: Half
    cutoff: date
    generated: date
    by: str  # "plan sections" | "offices"
    counts: Counts
    sections: list[Section]

    @property
    def overview(self) -> str:
        c = self.counts
        h = self.half
        text = (
            f"根据工作台账，《{self.plan_title}》中截止时间在{h.name}"
            f"（{h.start.month}月{h.start.day}日至{h.end.month}月{h.end.day}日）的工作共{c.items}项，"
            f"截至{_day(self.cutoff, None)}已完成{c.done}项，尚未完成{c.unfinished}项（其中逾期{c.late}项），"
            f"办结率{c.rate}。"
        )
        left_out = []
        if c.cancelled:
            left_out.append(f"{c.cancelled}项工作已取消")
        if c.undated:
            left_out.append(f"{c.undated}项工作未注明时间")
        if left_out:
            text += f"另有{'、'.join(left_out)}，未计入。"
        if c.targets:
            text += (
                f"量化目标{c.targets}项，已填报实际完成值{c.targets_reported}项，"
                f"其中已达成{c.targets_met}项。"
            )
        return text

    @property
    def note(self) -> str:
        return (
            f"（本稿由 eduplan 根据工作台账于{_day(self.generated, None)}自动生成，"
            f"数据截至{_day(self.cutoff, None)}，仅为初稿，请核实、补充后使用。）"
        )


# ---------------------------------------------------------------- building it

ReportFilter = Callable[[list[Organisation], ProgressReport], bool]


def build_summary(
    session: Session,
    plan: Plan,
    half: Half,
    *,
    today: date | None = None,
    may_read: ReportFilter | None = None,
) -> Summary:
    """The summary draft of ``plan`` for ``half``. ``may_read(units, report)`` hides reports a
    reader may not see (their substance is then left out and said so)."""
    today = today or clock_today()
    cutoff = min(half.end, today)
    bureau = session.get(Organisation, plan.bureau_id)
    items = list(
        session.scalars(
            select(Item)
            .where(Item.plan_id == plan.id, Item.removed_in.is_(None))
            .options(selectinload(Item.units).selectinload(ItemUnit.org))
            .order_by(Item.seq)
        )
    )
    counts = Counts(undated=sum(1 for i in items if i.start is None))
    chosen = [i for i in items if i.start is not None and half.start <= (i.end or i.start) <= half.end]
    reports = _reports(session, [i.id for i in chosen])
    targets = _targets(session, plan, cutoff)

    use_sections = _has_own_sections(chosen)
    done_by: dict[str, list[Entry]] = {}
    open_by: dict[str, list[Entry]] = {}
    order: list[str] = []
    for item in chosen:
        key = _section_key(item) if use_sections else _office_key(item)
        if key not in order:
            order.append(key)
        if item.status == "cancelled":
            counts.cancelled += 1
            continue
        counts.items += 1
        units = [link.org for link in item.units]
        readable = [r for r in reports.get(item.id, []) if may_read is None or may_read(units, r)]
        hidden = len(readable) < len(reports.get(item.id, []))
        entry = _entry(item, half)
        closed = _closed_on(item)
        end = item.end or item.start
        if item.status == "done" and (closed is None or closed <= cutoff):
            counts.done += 1
            entry.state = f"已于{_day(closed, half.year)}办结" if closed else "已办结"
            if closed and end and closed > end:
                entry.state += f"（逾期{(closed - end).days}天）"
            _substance(entry, readable, hidden, completed=True)
            done_by.setdefault(key, []).append(entry)
            continue
        counts.unfinished += 1
        if end < cutoff:
            counts.late += 1
            entry.days_late = (cutoff - end).days
            entry.state = f"截至{_day(cutoff, half.year)}逾期{entry.days_late}天"
        else:
            entry.state = "尚未到期"
        if item.status == "done" and closed is not None:
            entry.state += f"，{_day(closed, half.year)}补办结"
        elif item.status == "in_progress":
            entry.state = "进行中，" + entry.state
        else:
            entry.state = "未开始，" + entry.state
        _substance(entry, readable, hidden, completed=False)
        open_by.setdefault(key, []).append(entry)
    counts.targets = len(targets)
    counts.targets_reported = sum(1 for t in targets if t.actual is not None)
    counts.targets_met = sum(1 for t in targets if t.met)

    section_targets: dict[str, list[TargetEntry]] = {}
    loose_targets = targets
    if use_sections:
        section_targets, loose_targets = _targets_by_section(items, targets, set(order))

    sections: list[Section] = []
    for key in order:
        groups = []
        for title, entries, tgs in (
            (GROUP_DONE, done_by.get(key, []), []),
            (GROUP_TARGETS, [], section_targets.get(key, [])),
            (GROUP_OPEN, sorted(open_by.get(key, []), key=lambda e: (e.end, e.seq)), []),
        ):
            if entries or tgs:
                groups.append(Group(len(groups) + 1, title, entries, tgs))
        if groups:
            sections.append(Section(len(sections) + 1, key, groups))
    if loose_targets:
        group = Group(1, GROUP_TARGETS, targets=loose_targets)
        sections.append(Section(len(sections) + 1, TARGETS_SECTION, [group]))
    if not chosen:
        sections.append(
            Section(
                len(sections) + 1, "工作完成情况", paragraphs=[f"台账中没有截止时间在{half.name}的工作。"]
            )
        )
    sections.append(
        Section(
            len(sections) + 1,
            NEXT_SECTION,
            paragraphs=["（请结合上述尚未完成或逾期的工作，分析原因，提出下一步工作打算。）"],
        )
    )
    bureau_name = bureau.name if bureau else (plan.issuer or "")
    return Summary(
        title=f"{bureau_name}{half.name}工作总结（初稿）",
        plan_id=plan.id,
        plan_title=plan.title or f"计划 {plan.id}",
        bureau=bureau_name,
        half=half,
        cutoff=cutoff,
        generated=today,
        by="plan sections" if use_sections else "offices",
        counts=counts,
        sections=sections,
    )


def _reports(session: Session, item_ids: list[int]) -> dict[int, list[ProgressReport]]:
    """Each item's reports, oldest first."""
    found: dict[int, list[ProgressReport]] = {}
    for i in range(0, len(item_ids), 5000):
        rows = session.scalars(
            select(ProgressReport)
            .where(ProgressReport.item_id.in_(item_ids[i : i + 5000]))
            .order_by(ProgressReport.created_at, ProgressReport.id)
        )
        for report in rows:
            found.setdefault(report.item_id, []).append(report)
    return found


def _substance(entry: Entry, reports: list[ProgressReport], hidden: bool, *, completed: bool) -> None:
    """What the reports say: since the item was last reopened, the latest completion report
    (completed items), else the latest progress report."""
    current = reports
    for i, report in enumerate(reports):
        if report.kind == "reopen":
            current = reports[i + 1 :]
    chosen = None
    if completed:
        chosen = next((r for r in reversed(current) if r.kind == "completion"), None)
    if chosen is None:
        chosen = next((r for r in reversed(current) if r.kind == "progress"), None)
    entry.substance_label = "完成情况" if completed else "最新进展"
    text = trim(chosen.text) if chosen is not None else ""
    if text:
        if not completed and chosen.percent is not None:
            text = f"（已完成{chosen.percent}%）{text}"
        entry.substance = text
    elif hidden:
        entry.substance = "已有填报，仅局办公室和责任单位可见。"
    elif completed:
        entry.substance = "未填写完成情况，请补充。"


def trim(text: str | None, limit: int = SUBSTANCE_CHARS) -> str:
    """Whitespace folded; longer than ``limit``: cut after the last sentence end within it, or at
    ``limit`` with ……"""
    folded = " ".join((text or "").split())
    if len(folded) <= limit:
        return folded
    head = folded[:limit]
    cut = max(head.rfind(ch) for ch in _SENTENCE_END)
    if cut >= limit // 2:
        return head[: cut + 1]
    return head.rstrip("，、,;；：: ") + "……"


def _entry(item: Item, half: Half) -> Entry:
    end = item.end or item.start
    return Entry(
        item_id=item.id,
        title=item.title.strip(),
        dates=_span(item.start, end, half.year),
        units=[link.org.name for link in item.units],
        end=end,
        seq=item.seq,
    )


def _closed_on(item: Item) -> date | None:
    """The day (in the bureau's time zone) a done item was closed: ``closed_at``, else its last
    change (items closed before 销号 was recorded)."""
    if item.status != "done":
        return None
    at: datetime | None = item.closed_at or item.updated_at
    if at is None:
        return None
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(BUREAU_TZ).date()


def _day(day: date | None, year: int | None) -> str:
    """6月3日 in ``year``, 2025年1月3日 otherwise."""
    if day is None:
        return ""
    return month_day(day, with_year=day.year != year)


def _span(start: date | None, end: date | None, year: int) -> str:
    if start is None:
        return ""
    if end is None or end == start:
        return _day(start, year)
    if start.year == end.year and start.month == end.month:
        return f"{_day(start, year)}至{end.day}日"
    return f"{_day(start, year)}至{_day(end, year if start.year == end.year else None)}"


def _has_own_sections(items: list[Item]) -> bool:
    """The plan's sections name work (not months or weeks) and most items have one."""
    labelled = [i.section.strip() for i in items if i.section and i.section.strip()]
    if not items or len(labelled) * 2 < len(items):
        return False
    distinct = set(labelled)
    timely = sum(1 for s in distinct if is_time_section(s))
    return timely * 2 < len(distinct)


def is_time_section(label: str) -> bool:
    """A section label that names a time (3月, 三月份, 7-8月, 第5周, 预备周, 寒假), not a topic."""
    return _TIME_SECTION.match(label.strip()) is not None


def _section_key(item: Item) -> str:
    section = (item.section or "").strip()
    return _OWN_NUMBER.sub("", section).strip() or section or NO_SECTION


def _office_key(item: Item) -> str:
    orgs = [link.org for link in item.units]
    lead = next((o for o in orgs if o.kind == "office"), orgs[0] if orgs else None)
    return lead.name if lead else NO_UNIT


# ---------------------------------------------------------------- targets


def _targets(session: Session, plan: Plan, cutoff: date) -> list[TargetEntry]:
    targets = list(
        session.scalars(
            select(Target).where(Target.plan_id == plan.id, Target.removed_in.is_(None)).order_by(Target.seq)
        )
    )
    latest: dict[int, TargetActual] = {}
    if targets:
        rows = session.scalars(
            select(TargetActual)
            .where(TargetActual.target_id.in_([t.id for t in targets]), TargetActual.as_of <= cutoff)
            .order_by(TargetActual.as_of, TargetActual.created_at, TargetActual.id)
        )
        for actual in rows:
            latest[actual.target_id] = actual  # the last one wins
    entries = []
    for t in targets:
        actual = latest.get(t.id)
        entries.append(
            TargetEntry(
                target_id=t.id,
                indicator=t.indicator.strip(),
                goal=goal_text(t.op, t.value, t.unit, sep=""),
                actual=f"{number_text(actual.value)}{t.unit or ''}" if actual else None,
                as_of=actual.as_of if actual else None,
                met=attained(t.op, t.value, actual.value) if actual else None,
                deadline=t.deadline,
                line=t.line,
            )
        )
    return entries


def _targets_by_section(
    items: list[Item], targets: list[TargetEntry], shown: set[str]
) -> tuple[dict[str, list[TargetEntry]], list[TargetEntry]]:
    """Targets under the section of the nearest item above them; the rest stay loose."""
    by_line = sorted((i.line, _section_key(i)) for i in items if i.section and i.line)
    placed: dict[str, list[TargetEntry]] = {}
    loose = []
    for target in targets:
        above = [key for line, key in by_line if line <= target.line]
        key = above[-1] if above else None
        if key in shown:
            placed.setdefault(key, []).append(target)
        else:
            loose.append(target)
    return placed, loose
