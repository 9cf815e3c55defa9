"""Plans of earlier terms and years as the next-term proposal and the year-over-year comparison
read them: live items and targets with their week of term, and the text keys that match the same
work across years (the year numbers in the text ignored: 2025年 and 2026年 are the same work)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.calendar import model as cal
from eduplan.calendar.terms import week_of
from eduplan.errors import EduplanError
from eduplan.ledger.diff import Key
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan, Target, Term
from eduplan.ledger.terms import as_calendar_term
from eduplan.text import normalize

TERM_SLACK = timedelta(days=21)
"""A plan whose period lies within a ledger term give or take this much is that term's plan."""
MAX_TERM_DAYS = 200
"""A plan spanning at most this many days is a term's plan; longer ones are a year's."""
NEUTRAL_YEAR = 2000
"""Dates are compared across years as if each plan's first year were this (a leap year)."""

_SCHOOL_YEAR = re.compile(r"((?:19|20)\d{2})[—–\-－~～至]+((?:19|20)\d{2})(学年)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=年|届|级)")
_YEAR_WORD = re.compile(r"(?<!\d)(?:19|20)\d{2}年度?")
_BARE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_ORDINAL = re.compile(r"第[0-9〇零一二两三四五六七八九十百]+(届|个)")


def strip_years(norm: str) -> str:
    """A normalised text without its year numbers and yearly ordinals, for matching across years:
    ``2025年世界读书日`` and ``2026年世界读书日``, ``第40个教师节`` and ``第41个教师节`` agree."""
    text = _SCHOOL_YEAR.sub(r"\3", norm)
    text = _YEAR_WORD.sub("", text)
    text = _BARE_YEAR.sub("", text)
    return _ORDINAL.sub(r"第\1", text)


def shift_years(text: str, years: int) -> str:
    """``text`` with the year numbers it names moved on by ``years`` (2025年 → 2026年,
    2024—2025学年 → 2025—2026学年); other numbers are left alone."""
    if not years:
        return text

    def school_year(m: re.Match) -> str:
        return f"{int(m.group(1)) + years}—{int(m.group(2)) + years}{m.group(3)}"

    text = _SCHOOL_YEAR.sub(school_year, text)
    return _YEAR.sub(lambda m: str(int(m.group(1)) + years), text)


def move_year(day: date, years: int) -> date:
    """The same month and day ``years`` later (29 February becomes the 28th in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class PastItem:
    """One live item of a past plan, with its week of term when the plan's term is known."""

    plan_id: int
    seq: int
    title: str
    text: str
    norm: str
    start: date | None
    end: date | None
    departments: tuple[str, ...] = ()
    section: str | None = None
    line: int = 0


@dataclass(frozen=True)
class PastTarget:
    plan_id: int
    indicator: str
    text: str
    op: str
    value: float
    unit: str | None
    line: int = 0


@dataclass
class PastPlan:
    """A plan of the ledger as read for comparison: ``year`` is the calendar year it starts in."""

    id: int
    title: str
    kind: str
    issuer: str | None
    year: int | None
    period_start: date | None
    period_end: date | None
    term: cal.Term | None = None
    items: list[PastItem] = field(default_factory=list)
    targets: list[PastTarget] = field(default_factory=list)

    @property
    def label(self) -> str:
        """How a person names it: ``《title》（2025年）``."""
        year = f"（{self.year}年）" if self.year else ""
        return f"《{self.title}》{year}"

    def week(self, day: date | None) -> int | None:
        """The week of term of ``day`` (0 = 预备周), None without a term or outside it."""
        if day is None or self.term is None:
            return None
        found = week_of(self.term, day)
        return found.number if found else None

    def key(self, item: PastItem) -> Key:
        """What matches the same work in another year: the text without year numbers and the
        span as if this plan's year were ``NEUTRAL_YEAR``."""
        shift = NEUTRAL_YEAR - self.year if self.year else 0
        return Key(
            strip_years(item.norm),
            move_year(item.start, shift) if item.start else None,
            move_year(item.end, shift) if item.end else None,
        )


def plan_term(session: Session, plan: Plan) -> cal.Term | None:
    """The term a plan is for: its own (a 行事历), else the bureau's term its period lies in."""
    if plan.term_id is not None:
        record = session.get(Term, plan.term_id)
        if record is not None:
            return as_calendar_term(record)
    if plan.period_start is None or plan.period_end is None:
        return None
    terms = session.scalars(select(Term).where(Term.bureau_id == plan.bureau_id).order_by(Term.start)).all()
    for record in terms:
        if record.start - TERM_SLACK <= plan.period_start and plan.period_end <= record.end + TERM_SLACK:
            return as_calendar_term(record)
    if (plan.period_end - plan.period_start).days > MAX_TERM_DAYS:
        return None  # a year's plan: no weeks of term
    # A term's plan the ledger has no term for: its weeks counted from its first working week.
    first = plan.period_start
    week1 = (
        first - timedelta(days=first.weekday())
        if first.weekday() < 5
        else first + timedelta(7 - first.weekday())
    )
    return cal.Term("", plan.period_start, plan.period_end, week1)


def load_past_plan(session: Session, plan: Plan) -> PastPlan:
    """The plan's live items (in order, with their units' names) and live targets."""
    items = session.scalars(
        select(Item).where(Item.plan_id == plan.id, Item.removed_in.is_(None)).order_by(Item.seq, Item.id)
    ).all()
    names: dict[int, list[str]] = {}
    if items:
        links = session.execute(
            select(ItemUnit.item_id, Organisation.name)
            .join(Organisation, Organisation.id == ItemUnit.org_id)
            .where(ItemUnit.item_id.in_([i.id for i in items]))
            .order_by(ItemUnit.item_id, ItemUnit.position)
        )
        for item_id, name in links:
            names.setdefault(item_id, []).append(name)
    targets = session.scalars(
        select(Target).where(Target.plan_id == plan.id, Target.removed_in.is_(None)).order_by(Target.seq)
    ).all()
    starts = [i.start for i in items if i.start is not None]
    first = plan.period_start or (min(starts) if starts else None)
    return PastPlan(
        id=plan.id,
        title=plan.title or "（无标题）",
        kind=plan.kind,
        issuer=plan.issuer,
        year=first.year if first else None,
        period_start=plan.period_start,
        period_end=plan.period_end,
        term=plan_term(session, plan),
        items=[
            PastItem(
                plan_id=plan.id,
                seq=i.seq,
                title=i.title,
                text=i.text,
                norm=i.norm_text or normalize(i.text),
                start=i.start,
                end=i.end,
                departments=tuple(names.get(i.id, ())),
                section=i.section,
                line=i.line,
            )
            for i in items
        ],
        targets=[PastTarget(plan.id, t.indicator, t.text, t.op, t.value, t.unit, t.line) for t in targets],
    )


def load_plans(session: Session, bureau_id: int, plan_ids: Sequence[int]) -> list[PastPlan]:
    """The bureau's plans by id (each once, in the order given); EduplanError (Chinese) for a plan
    the bureau does not have."""
    plans = []
    for plan_id in dict.fromkeys(plan_ids):
        plan = session.get(Plan, plan_id)
        if plan is None or plan.bureau_id != bureau_id:
            raise EduplanError(f"没有编号为 {plan_id} 的计划")
        plans.append(load_past_plan(session, plan))
    return plans
