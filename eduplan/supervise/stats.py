"""督办 numbers: 办结率 per office and per school, the overdue list by days late, and the
week-by-week trend of 办结率.

办结率 = items due so far that are done ÷ items due so far. An item is *due* on a day when it is
live in its plan's current version (not removed), dated, not cancelled, and its last day (its end,
else its start) is on or before that day. Per unit, an item counts for every responsible unit
(牵头 and 配合 alike: ``ItemUnit`` rows at any position); items asked of a group of schools
(各小学) count for the group and for each of its schools (``eduplan.supervise.figures``, the one
definition every page uses). The bureau-wide total counts each item once.

For the trend, an item counts as closed from the day of its ``closed_at`` (销号), in the bureau's
time zone; items marked done without one (recorded before 销号 existed) count from their
``updated_at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.calendar.model import week_label
from eduplan.ledger.models import Term, TermWeek
from eduplan.ledger.status import is_overdue
from eduplan.supervise import figures
from eduplan.supervise.supervision import active_supervisions
from eduplan.supervise.tracked import DueItem, Unit, of_units, tracked_items

UNIT_KINDS = ("office", "school", "group")
FALLBACK_WEEKS = 8
"""Weeks of trend shown (Monday to Sunday) when the bureau has no term on record."""


class _Ratio:
    """办结率 of something with ``done`` and ``due`` counts."""

    done: int
    due: int

    @property
    def share(self) -> float | None:
        return self.done / self.due if self.due else None

    @property
    def percent_text(self) -> str:
        share = self.share
        return "—" if share is None else f"{100 * share:.1f}%"


@dataclass
class Rate(_Ratio):
    """Done over due for one unit (or the whole bureau when ``unit`` is None)."""

    name: str
    unit: Unit | None = None
    done: int = 0
    due: int = 0
    rank: int | None = None  # 1 = the highest 办结率; equal rates share a rank; None: nothing due

    @property
    def fraction_text(self) -> str:
        return f"{self.done}/{self.due}"


@dataclass
class Completion:
    """The 办结率 tables: per office, per school, per group of schools, and the bureau total."""

    as_of: date
    offices: list[Rate]
    schools: list[Rate]
    groups: list[Rate]
    total: Rate


@dataclass
class OverdueRow:
    id: int
    title: str
    units: list[str]
    end: date
    days_late: int
    status: str
    supervised: bool = False
    supervision_deadline: date | None = None


@dataclass
class TrendPoint(_Ratio):
    """办结率 as of the end of one week (today, for the week under way)."""

    label: str
    start: date
    end: date
    as_of: date
    done: int
    due: int


@dataclass
class WeekSpan:
    label: str
    start: date
    end: date


# ---------------------------------------------------------------- 办结率


def rate_of(items: list[DueItem], as_of: date, name: str = "全局合计", unit: Unit | None = None) -> Rate:
    """Done over due among ``items`` as of the end of ``as_of``."""
    due = [i for i in items if i.due_by(as_of)]
    return Rate(name, unit, sum(1 for i in due if i.closed_by(as_of)), len(due))


def completion(
    session: Session,
    bureau_id: int,
    today: date,
    *,
    plan_id: int | None = None,
    items: list[DueItem] | None = None,
) -> Completion:
    """The 办结率 of every office, school and group of the bureau (units with nothing due
    included, as —), ranked by 办结率 (highest first, nothing due last), and the bureau total.
    ``items``: the bureau's tracked items until ``today`` when already read (else read here)."""
    if items is None:
        items = tracked_items(session, bureau_id, until=today, plan_id=plan_id)
    # Per unit: the one definition (``figures``), which also counts a group's items for its schools.
    counted = figures.bureau_figures(session, bureau_id, today, items=items)
    rates = {uid: Rate(f.name, Unit(uid, f.name, f.kind), f.done, f.due) for uid, f in counted.units.items()}
    by_kind: dict[str, list[Rate]] = {kind: [] for kind in UNIT_KINDS}
    for rate in rates.values():
        by_kind[rate.unit.kind].append(rate)
    for kind in by_kind:
        by_kind[kind].sort(key=_rank)
        _assign_ranks(by_kind[kind])
    groups = [r for r in by_kind["group"] if r.due]  # 各学校 and the like, only when used
    return Completion(today, by_kind["office"], by_kind["school"], groups, rate_of(items, today))


def _assign_ranks(rates: list[Rate]) -> None:
    """Competition ranks (1, 1, 3) over rates already sorted; equal 办结率 share a rank."""
    previous: tuple[int, int] | None = None
    for position, rate in enumerate(rates, start=1):
        if rate.share is None:
            continue
        key = (rate.done, rate.due)
        same = previous is not None and rate.done * previous[1] == previous[0] * rate.due
        if not same:
            rate.rank = position
        else:
            rate.rank = rates[position - 2].rank
        previous = key


def _rank(rate: Rate) -> tuple:
    share = rate.share
    return (share is None, -(share or 0.0), -rate.due, rate.unit.id if rate.unit else 0)


# ---------------------------------------------------------------- overdue


def overdue(
    session: Session,
    bureau_id: int,
    today: date,
    *,
    plan_id: int | None = None,
    org_ids: list[int] | None = None,
    items: list[DueItem] | None = None,
) -> list[OverdueRow]:
    """Items past their last day and not done, most days late first (then by id), each with
    its units and whether it is under 督办. ``items``: as for ``completion``."""
    if items is None:
        items = tracked_items(session, bureau_id, until=today - timedelta(days=1), plan_id=plan_id)
    items = of_units(items, org_ids)
    late = [i for i in items if is_overdue(i.status, i.end, today)]
    supervised = {
        k: v.deadline for k, v in active_supervisions(session, item_ids=[i.id for i in late]).items()
    }
    rows = [
        OverdueRow(
            i.id,
            i.title,
            [u.name for u in i.units],
            i.end,
            (today - i.end).days,
            i.status,
            i.id in supervised,
            supervised.get(i.id),
        )
        for i in late
    ]
    rows.sort(key=lambda r: (-r.days_late, r.id))
    return rows


# ---------------------------------------------------------------- the weekly trend


def trend_weeks(
    session: Session, bureau_id: int, today: date, *, term_id: int | None = None
) -> tuple[str | None, list[WeekSpan]]:
    """The weeks of the trend: the term's weeks (``term_id``'s, else the term ``today`` falls in
    or the latest one before it) that have begun by ``today``, with the term's name; without a
    term on record, the last ``FALLBACK_WEEKS`` Monday-to-Sunday weeks and no name."""
    term = session.get(Term, term_id) if term_id is not None else None
    if term is None or term.bureau_id != bureau_id:
        term = _term_for(session, bureau_id, today)
    if term is not None:
        weeks = session.scalars(
            select(TermWeek)
            .where(TermWeek.term_id == term.id, TermWeek.start <= today)
            .order_by(TermWeek.number)
        ).all()
        if weeks:
            return term.name, [WeekSpan(week_label(w.number), w.start, w.end) for w in weeks]
    monday = today - timedelta(days=today.weekday())
    spans = []
    for back in range(FALLBACK_WEEKS - 1, -1, -1):
        start = monday - timedelta(weeks=back)
        end = start + timedelta(days=6)
        spans.append(WeekSpan(f"{start:%m-%d}—{end:%m-%d}", start, end))
    return None, spans


def _term_for(session: Session, bureau_id: int, today: date) -> Term | None:
    """The term containing ``today``, else the latest one begun before it."""
    return session.scalars(
        select(Term)
        .where(Term.bureau_id == bureau_id, Term.start <= today)
        .order_by(Term.start.desc())
        .limit(1)
    ).first()


def weekly_trend(items: list[DueItem], weeks: list[WeekSpan], today: date) -> list[TrendPoint]:
    """办结率 as of the end of each week (``today`` for the week under way)."""
    points = []
    for week in weeks:
        as_of = min(week.end, today)
        rate = rate_of(items, as_of)
        points.append(TrendPoint(week.label, week.start, week.end, as_of, rate.done, rate.due))
    return points


def trend(
    session: Session,
    bureau_id: int,
    today: date,
    *,
    plan_id: int | None = None,
    org_ids: list[int] | None = None,
    term_id: int | None = None,
    items: list[DueItem] | None = None,
) -> tuple[str | None, list[TrendPoint]]:
    """The term's name (None without a term) and 办结率 week by week up to ``today``.
    ``items``: as for ``completion``."""
    name, weeks = trend_weeks(session, bureau_id, today, term_id=term_id)
    if items is None:
        items = tracked_items(session, bureau_id, until=today, plan_id=plan_id)
    return name, weekly_trend(of_units(items, org_ids), weeks, today)
