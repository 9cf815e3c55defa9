"""Next term's plan drafted from past plans: the work that recurs, moved onto the new term.

Recurring work is found two ways. A table of national days and the term's own structure
(``recurring_days.json``: 学雷锋纪念日 3月5日, 全国中小学生安全教育日, 高考, 开学, 期末 …) says
what comes back every year. Across several years of plans, the same work (matched on normalised
text with the year numbers ignored, ``diff.match``) found in two years or more recurs too. With a
single past plan only the table can tell; the rest is listed as not carried over (未沿用), so a
person can add it back.

Each recurring item is moved onto the new term: a national day to its date in the new term
(``same date``), term work to the same week of term and weekday (``same week``), end-of-term work
to as many weeks before the new term's end; then off public holidays and weekends
(``HolidayCalendar``), except examinations whose date is fixed. A year the holiday data does not
cover is named in a warning instead of guessed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.calendar import model as cal
from eduplan.calendar.holidays import WEEKDAY_NAMES, HolidayCalendar, missing_years_message
from eduplan.calendar.model import month_day, week_label
from eduplan.calendar.terms import week_of, weeks
from eduplan.errors import EduplanError
from eduplan.ledger.diff import match
from eduplan.ledger.holidays import holiday_calendar
from eduplan.ledger.models import Term
from eduplan.ledger.terms import AUTUMN_FIRST_MONTH, as_calendar_term, school_year
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.reports.pastplans import PastItem, PastPlan, load_plans, shift_years
from eduplan.text import normalize

DAYS_FILE = Path(__file__).with_name("recurring_days.json")
ANCHORS = ("date", "weekday", "solar_term", "week", "term_start", "term_end")
DEFAULT_TERM_WEEKS = 20
"""Length of a new term given only by its first day, when no source term tells."""
MAX_SHIFT_DAYS = 31
PROPOSAL_SOURCE = {"format": "json", "origin": "proposal"}
"""The draft's ``source``: published, its version keeps the plan JSON (``pages_import``)."""

# Confidence of a proposed item: how sure the move is, shown on the import screen.
CONFIDENCE_DATE = 0.9  # a national day on its own date
CONFIDENCE_SEEN_TWICE = 0.8  # found in two years or more, same week of term
CONFIDENCE_STRUCTURAL = 0.7  # term structure from a single past plan
CONFIDENCE_SHIFTED = 0.1  # less when moved off a holiday
CONFIDENCE_UNKNOWN_HOLIDAYS = 0.5  # the year's holidays are not known: check the date


@dataclass(frozen=True)
class DayEntry:
    """One line of the table of recurring work (see ``recurring_days.json``)."""

    name: str
    keywords: tuple[str, ...]
    anchor: str
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    solar_term: str | None = None
    fixed: bool = False
    structural: bool = False

    @property
    def date_anchored(self) -> bool:
        return self.anchor in ("date", "weekday", "solar_term")

    def in_year(self, year: int) -> date | None:
        """The day this entry falls on in ``year`` (date-anchored entries only)."""
        if self.anchor == "date":
            return date(year, self.month, self.day)
        if self.anchor == "weekday":
            return _nth_weekday(year, self.month, self.weekday, self.nth)
        if self.anchor == "solar_term":
            found = chinese_calendar.get_solar_terms(date(year, 1, 1), date(year, 12, 31))
            return next((d for d, name in found if name == self.solar_term), None)
        return None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    nxt = date(year + month // 12, month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-nth - 1))


def _entry(data: dict) -> DayEntry:
    anchor = data["anchor"]
    if anchor not in ANCHORS:
        raise ValueError(f"recurring_days.json: unknown anchor {anchor!r} in {data.get('name')!r}")
    return DayEntry(
        name=data["name"],
        keywords=tuple(normalize(k) for k in data["keywords"]),
        anchor=anchor,
        month=data.get("month"),
        day=data.get("day"),
        weekday=data.get("weekday"),
        nth=data.get("nth"),
        solar_term=data.get("solar_term"),
        fixed=bool(data.get("fixed")),
        structural=bool(data.get("structural")),
    )


@cache
def day_table(path: Path = DAYS_FILE) -> tuple[DayEntry, ...]:
    """The table of recurring work, read once."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(_entry(e) for e in data["entries"])


def known_work(norm: str, table: Sequence[DayEntry] | None = None) -> DayEntry | None:
    """The table's entry for a normalised item text: the longest keyword found; ties go to the
    entry listed first (期中考试 is 期中, not 中考)."""
    best, best_len = None, 0
    for entry in table if table is not None else day_table():
        for keyword in entry.keywords:
            if len(keyword) > best_len and keyword in norm:
                best, best_len = entry, len(keyword)
    return best


# ---------------------------------------------------------------- the result


@dataclass
class Proposed:
    """An item proposed for the new term, with where it came from and how its date was found."""

    title: str
    text: str
    start: date
    end: date
    departments: tuple[str, ...]
    section: str | None
    confidence: float
    origin: str  # 《plan》（2025年）第12行：原 2025-03-05
    anchor: str  # 固定日期：学雷锋纪念日（3月5日） / 同一教学周：第3周周二 …
    reason: str  # why it recurs
    notes: list[str] = field(default_factory=list)  # moved off a holiday, unknown holidays …
    source: PastItem | None = None

    @property
    def note_text(self) -> str:
        parts = [f"来源：{self.origin}", f"依据：{self.reason}", f"日期：{self.anchor}", *self.notes]
        return "；".join(parts)


@dataclass
class LeftOut:
    """A past item not carried over (未沿用), with why, so a person can add it back."""

    item: PastItem
    plan: str
    reason: str


@dataclass
class Proposal:
    term: cal.Term
    sources: list[PastPlan]
    items: list[Proposed] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    title: str = ""
    issuer: str | None = None
    kind: str = "plan"


# ---------------------------------------------------------------- recurring work


@dataclass
class _Cluster:
    """The same work across plans; ``occurrences[0]`` is the most recent."""

    occurrences: list[tuple[PastPlan, PastItem]]

    @property
    def latest(self) -> tuple[PastPlan, PastItem]:
        return self.occurrences[0]

    def years(self) -> list[int]:
        return sorted({p.year for p, _ in self.occurrences if p.year is not None})


def _newest_first(plans: Sequence[PastPlan]) -> list[PastPlan]:
    return sorted(plans, key=lambda p: (p.period_start or date.min, p.year or 0, p.id), reverse=True)


def _clusters(plans: Sequence[PastPlan], table: Sequence[DayEntry]) -> list[_Cluster]:
    """Group the items of all plans into the same work, newest plan first (``diff.match`` on
    texts without year numbers; two items the table names as different work never pair)."""
    clusters: list[_Cluster] = []
    for plan in _newest_first(plans):
        dated = list(plan.items)
        reps = [c.latest for c in clusters]
        matching = match([p.key(i) for p, i in reps], [plan.key(i) for i in dated])
        paired: set[int] = set()
        for ci, j in [*matching.same, *matching.changed]:
            known_a = known_work(reps[ci][1].norm, table)
            known_b = known_work(dated[j].norm, table)
            if known_a is not None and known_b is not None and known_a != known_b:
                continue
            clusters[ci].occurrences.append((plan, dated[j]))
            paired.add(j)
        clusters += [_Cluster([(plan, item)]) for j, item in enumerate(dated) if j not in paired]
    return clusters


# ---------------------------------------------------------------- moving onto the new term


def _term_last_week(term: cal.Term) -> int:
    listed = weeks(term)
    return listed[-1].number if listed else 0


def _day_in_term(term: cal.Term, entry_day) -> date | None:
    """The day of a yearly date inside the new term, trying each year the term touches."""
    for year in range(term.start.year, term.end.year + 1):
        day = entry_day(year)
        if day is not None and term.start <= day <= term.end:
            return day
    return None


def _week_day(term: cal.Term, day: date) -> str:
    week = week_of(term, day)
    where = week_label(week.number) if week else "学期外"
    return f"{where}{WEEKDAY_NAMES[day.weekday()]}"


@dataclass
class _Placed:
    start: date
    end: date
    anchor: str
    fixed: bool = False  # an examination's own day: kept even on a weekend


def _anchor_near(entry: DayEntry, day: date) -> date | None:
    """The entry's day in the year nearest to ``day`` (a plan's 学雷锋 in late February is the
    March one of the same year; a December item's 元旦 is the next year's)."""
    found = [d for y in (day.year - 1, day.year, day.year + 1) if (d := entry.in_year(y)) is not None]
    return min(found, key=lambda d: abs((d - day).days)) if found else None


def _place_by_date(item: PastItem, entry: DayEntry, term: cal.Term) -> tuple[_Placed | None, str]:
    """A national day's work: as many days before or after the day as it was (清明祭英烈 two days
    before 清明 stays two days before it), the day itself taken in the new term."""
    old_day = _anchor_near(entry, item.start)
    day = _day_in_term(term, entry.in_year)
    if old_day is None or day is None:
        return None, f"{entry.name}不在新学期内"
    shift = day - old_day
    start, end = item.start + shift, (item.end or item.start) + shift
    if not term.start <= start <= term.end:
        return None, f"按{entry.name}推算为 {start.isoformat()}，不在新学期内"
    offset = (item.start - old_day).days
    where = "" if offset == 0 else (f"，提前 {-offset} 天开始" if offset < 0 else f"，之后 {offset} 天开始")
    fixed = entry.fixed and item.start <= old_day <= (item.end or item.start)
    return _Placed(start, end, f"固定日期：{entry.name}（{month_day(day)}）{where}", fixed), ""


def _place(
    plan: PastPlan, item: PastItem, entry: DayEntry | None, term: cal.Term
) -> tuple[_Placed | None, str]:
    """Where ``item`` goes in ``term``; (None, why not) when it has no place there."""
    assert item.start is not None
    length = (item.end or item.start) - item.start
    if entry is not None and entry.date_anchored:
        return _place_by_date(item, entry, term)
    source = plan.term
    if source is None:  # no week of term to keep: the same month and day
        day = _day_in_term(term, lambda y: _same_day(item.start, y))
        if day is None:
            return None, f"原定 {month_day(item.start)}，不在新学期内"
        return _Placed(day, day + length, f"同月同日（{month_day(day)}；原计划没有学期周次）"), ""
    week = week_of(source, item.start)
    if week is None:
        return None, "原日期不在原学期的周次内，无法对应到新学期"
    offset = item.start - week.start
    if entry is not None and entry.anchor == "term_end":
        before = _term_last_week(source) - week.number
        number = _term_last_week(term) - before
        label = f"期末前第{before}周" if before else "学期最后一周"
    else:
        number, label = week.number, "同一教学周"
    first = 0 if term.prep_week else 1
    if not first <= number <= _term_last_week(term):
        return None, f"对应的{week_label(number) if number >= 0 else '周次'}不在新学期内"
    day = term.week1_start + timedelta(days=7 * (number - 1)) + offset
    where = f"{label}：{week_label(number)}{WEEKDAY_NAMES[day.weekday()]}"
    return _Placed(day, day + length, where, fixed=entry is not None and entry.fixed), ""


def _same_day(day: date, year: int) -> date | None:
    try:
        return day.replace(year=year)
    except ValueError:
        return None


def _next_workday(day: date, holidays: HolidayCalendar, step: int = 1) -> date | None:
    for n in range(1, MAX_SHIFT_DAYS + 1):
        candidate = day + timedelta(days=n * step)
        if not holidays.day(candidate).is_off:
            return candidate
    return None


def _off_reason(day: date, holidays: HolidayCalendar) -> str:
    info = holidays.day(day)
    return info.name if info.is_holiday and info.name else WEEKDAY_NAMES[day.weekday()]


def avoid_days_off(start: date, end: date, holidays: HolidayCalendar) -> tuple[date, date, str | None]:
    """Move a span off public holidays and weekends: a one-day item to the next working day; a
    longer span drops the days off at its ends, or moves on whole when it has no working day.
    Returns the new span and a note for people (None when nothing moved)."""
    if not holidays.day(start).is_off and not holidays.day(end).is_off:
        return start, end, None
    reason = _off_reason(start if holidays.day(start).is_off else end, holidays)
    if start == end:
        day = _next_workday(start, holidays)
        if day is None:
            return start, end, None
        return (
            day,
            day,
            f"原定 {month_day(start)} 为{reason}，顺延至 {month_day(day)}（{WEEKDAY_NAMES[day.weekday()]}）",
        )
    first, last = start, end
    while first <= last and holidays.day(first).is_off:
        first += timedelta(days=1)
    while last >= first and holidays.day(last).is_off:
        last -= timedelta(days=1)
    if first > last:  # no working day inside: move the whole span on
        day = _next_workday(end, holidays)
        if day is None:
            return start, end, None
        first, last = day, day + (end - start)
        return (
            first,
            last,
            f"原定 {month_day(start)}—{month_day(end)} 都是休息日（{reason}），顺延至 {month_day(first)} 起",
        )
    return first, last, f"避开休息日（{reason}），调整为 {month_day(first)}—{month_day(last)}"


# ---------------------------------------------------------------- the proposal


def _origin(plan: PastPlan, item: PastItem) -> str:
    where = f"第{item.line}行" if item.line else "（无行号）"
    span = item.start.isoformat() if item.start else "无日期"
    if item.end and item.end != item.start:
        span += f" 至 {item.end.isoformat()}"
    return f"{plan.label}{where}，原定 {span}"


def _why(entry: DayEntry | None, years: list[int]) -> str | None:
    """Why the work recurs, or None when nothing says it does."""
    if len(years) >= 2:
        seen = "、".join(str(y) for y in years)
        return f"往年计划中都有（{seen}年）" + (f"；{entry.name}" if entry else "")
    if entry is not None:
        return "学期常规工作：" + entry.name if entry.structural else "每年固定的节日或活动：" + entry.name
    return None


def _confidence(entry: DayEntry | None, years: list[int]) -> float:
    if entry is not None and entry.date_anchored:
        return CONFIDENCE_DATE
    if len(years) >= 2:
        return CONFIDENCE_SEEN_TWICE
    return CONFIDENCE_STRUCTURAL


def term_name(term: cal.Term) -> str:
    """``2025—2026学年第一学期`` for a term (its own name when it has one)."""
    if term.name:
        return term.name
    first, second = school_year(term.start)
    number = "一" if term.start.month >= AUTUMN_FIRST_MONTH else "二"
    return f"{first}—{second}学年第{number}学期"


def term_from_start(start: date, like: cal.Term | None = None) -> cal.Term:
    """A new term given by its first day: week 1 begins on that week's Monday; as many weeks as
    ``like`` (the source plan's term), else ``DEFAULT_TERM_WEEKS``."""
    week1 = start - timedelta(days=start.weekday())
    count = _term_last_week(like) if like is not None else DEFAULT_TERM_WEEKS
    end = week1 + timedelta(days=7 * max(count, 1) - 1)
    return cal.Term(term_name(cal.Term("", start, end, week1)), start, end, week1, False)


def propose(
    sources: Sequence[PastPlan],
    term: cal.Term,
    holidays: HolidayCalendar,
    *,
    table: Sequence[DayEntry] | None = None,
) -> Proposal:
    """Next term's items from ``sources`` (one plan or several years of them)."""
    table = day_table() if table is None else table
    ordered = _newest_first(sources)
    latest = ordered[0] if ordered else None
    proposal = Proposal(term=term, sources=ordered)
    if latest is not None:
        proposal.issuer = latest.issuer
        proposal.kind = "calendar" if all(p.kind == "calendar" for p in ordered) else "plan"
        proposal.title = f"{latest.issuer or ''}{term_name(term)}工作安排"
    unknown_years: set[int] = set()
    for cluster in _clusters(ordered, table):
        plan, item = cluster.latest
        years = cluster.years()
        entry = next((e for _, i in cluster.occurrences if (e := known_work(i.norm, table))), None)
        if item.start is None:
            proposal.left_out.append(LeftOut(item, plan.label, "原计划没有日期"))
            continue
        why = _why(entry, years)
        if why is None:
            only = f"只在 {years[0]} 年的计划中出现" if years else "只出现一次"
            proposal.left_out.append(LeftOut(item, plan.label, f"{only}，不是固定节日或学期常规工作"))
            continue
        placed, why_not = _place(plan, item, entry, term)
        if placed is None:
            proposal.left_out.append(LeftOut(item, plan.label, why_not))
            continue
        start, end, notes = placed.start, placed.end, []
        confidence = _confidence(entry, years)
        if not placed.fixed:
            start, end, moved = avoid_days_off(start, end, holidays)
            if moved:
                notes.append(moved)
            if start != placed.start:  # not only a weekend trimmed off a span's end
                confidence -= CONFIDENCE_SHIFTED
        missing = holidays.missing_years(start, end)
        if missing:
            unknown_years.update(missing)
            notes.append(f"{'、'.join(map(str, missing))}年的节假日未录入，只避开了周末，请核对")
            confidence = min(confidence, CONFIDENCE_UNKNOWN_HOLIDAYS)
        years_on = start.year - item.start.year
        week = week_of(term, start)
        proposal.items.append(
            Proposed(
                title=shift_years(item.title, years_on),
                text=shift_years(item.text, years_on),
                start=start,
                end=end,
                departments=item.departments,
                section=week_label(week.number) if week else None,
                confidence=round(confidence, 2),
                origin=_origin(plan, item),
                anchor=placed.anchor,
                reason=why,
                notes=notes,
                source=item,
            )
        )
    proposal.items.sort(key=lambda p: (p.start, p.end))
    if unknown_years:
        proposal.warnings.append(
            missing_years_message(unknown_years) + "在此之前，草稿中的日期只避开了周末，没有避开节假日。"
        )
    if latest is not None and len({p.year for p in ordered}) < 2:
        proposal.warnings.append(
            "只有一年的计划可比：只沿用了固定节日和学期常规工作（开学、期中、期末、放假），"
            "其余列为“未沿用”，需要的请手工加回。"
        )
    return proposal


def plan_json(proposal: Proposal) -> dict:
    """The proposal as a plan JSON object (``eduplan.plan/1``) for the import screen; each item
    also carries ``notes`` (where it came from, how its date was found) for the person checking."""
    parsed = ParsedPlan(
        source={"name": f"{proposal.title or '下学期计划'}（草稿）.json", **PROPOSAL_SOURCE},
        kind=proposal.kind,
        title=proposal.title or None,
        issuer=proposal.issuer,
        period_start=proposal.term.start,
        period_end=proposal.term.end,
        items=[
            PlanItem(
                title=p.title,
                text=p.text,
                start=p.start,
                end=p.end,
                departments=list(p.departments),
                section=p.section,
                line=0,
                confidence=p.confidence,
            )
            for p in proposal.items
        ],
        warnings=list(proposal.warnings),
    )
    data = parsed.to_json()
    for item, proposed in zip(data["items"], proposal.items, strict=True):
        item["notes"] = proposed.note_text
    return data


# ---------------------------------------------------------------- from the ledger


def _source_end(plan: PastPlan) -> date | None:
    ends = [i.end or i.start for i in plan.items if i.start is not None]
    candidates = [d for d in (plan.period_end, plan.term.end if plan.term else None, *ends) if d]
    return max(candidates) if candidates else None


def new_term(
    session: Session,
    bureau_id: int,
    sources: Sequence[PastPlan],
    *,
    term_id: int | None = None,
    start: date | None = None,
) -> cal.Term:
    """The term to plan: a term of the ledger, a term starting on ``start``, or else the
    ledger's first term after the newest source plan. EduplanError (Chinese) when none is known."""
    latest = _newest_first(sources)[0] if sources else None
    if term_id is not None:
        record = session.get(Term, term_id)
        if record is None or record.bureau_id != bureau_id:
            raise EduplanError("没有这个学期")
        return as_calendar_term(record)
    if start is not None:
        monday = start - timedelta(days=start.weekday())
        record = session.scalars(
            select(Term).where(
                Term.bureau_id == bureau_id, (Term.start == start) | (Term.week1_start == monday)
            )
        ).first()
        if record is not None:  # the ledger knows this term: its own weeks
            return as_calendar_term(record)
        return term_from_start(start, latest.term if latest else None)
    after = _source_end(latest) if latest else None
    if after is None:
        raise EduplanError("所选计划没有日期，推算不出下一个学期：请选择学期或填写新学期的开学日期")
    record = session.scalars(
        select(Term).where(Term.bureau_id == bureau_id, Term.start > after).order_by(Term.start)
    ).first()
    if record is None:
        raise EduplanError(
            f"台账里没有 {after.isoformat()} 之后的学期：请到“管理→学期”录入新学期，或填写新学期的开学日期"
        )
    return as_calendar_term(record)


def propose_from_ledger(
    session: Session,
    bureau_id: int,
    plan_ids: Sequence[int],
    *,
    term_id: int | None = None,
    start: date | None = None,
) -> Proposal:
    """Read the chosen plans, find the term to plan, and propose its recurring items."""
    if not plan_ids:
        raise EduplanError("请至少选择一份往年计划")
    sources = load_plans(session, bureau_id, plan_ids)
    term = new_term(session, bureau_id, sources, term_id=term_id, start=start)
    proposal = propose(sources, term, holiday_calendar(session))
    known = session.scalars(
        select(Term.id).where(Term.bureau_id == bureau_id, Term.start == term.start)
    ).first()
    if known is None:
        # Published as a 行事历, the term would be guessed from the items' dates: file it as a
        # plan until an administrator enters the term with its weeks.
        proposal.kind = "plan"
        proposal.warnings.append(
            f"新学期（{term.start.isoformat()} 开学）还没有录入台账：草稿按“开学那一周为第一周、"
            f"共 {len(weeks(term))} 周”排的周次；请到“管理→学期”录入，以便按周查看。"
        )
    return proposal
