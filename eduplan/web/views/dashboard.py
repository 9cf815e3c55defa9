"""The 工作台 (dashboard): my items this week, what is overdue, completion per office, targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from eduplan.calendar.terms import week_of
from eduplan.ledger.status import is_overdue
from eduplan.ledger.terms import as_calendar_term, term_for
from eduplan.supervise import figures
from eduplan.supervise.tracked import DueItem, Unit, closing_day
from eduplan.web.auth import Viewer
from eduplan.web.permissions import can_report, can_view_item, can_view_supervision
from eduplan.web.supervised import Supervised, supervised
from eduplan.web.views.scope import Seen, bureau_items
from eduplan.web.views.targets import TargetRow, target_rows

DASHBOARD_TARGETS = 8
OVERDUE_SHOWN = 20


@dataclass
class Entry:
    """An item row of the dashboard, with what the viewer may do to it."""

    id: int
    title: str
    start: date | None
    end: date | None
    units: str
    status: str
    can_report: bool
    days_late: int = 0

    @property
    def span(self) -> str:
        if self.start is None:
            return "—"
        if self.end is None or self.end == self.start:
            return f"{self.start:%m-%d}"
        return f"{self.start:%m-%d} 至 {self.end:%m-%d}"


@dataclass
class OfficeCompletion:
    """One office's figures (``eduplan.supervise.figures``, the same as 督办 and 科室与学校 show):
    tracked items, due, done, in progress, overdue, and 办结率 = done ÷ due."""

    name: str
    total: int = 0
    due: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    percent_text: str = "—"


@dataclass
class Dashboard:
    today: date
    week_label: str
    week_start: date
    week_end: date
    scope_label: str
    this_week: list[Entry] = field(default_factory=list)
    overdue: list[Entry] = field(default_factory=list)
    overdue_total: int = 0
    completion: list[OfficeCompletion] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    target_total: int = 0
    may_report: bool = False
    supervised: Supervised = field(default_factory=Supervised)


def current_week(session: Session, viewer: Viewer, today: date) -> tuple[date, date, str]:
    """The term week containing today when the bureau's term is known, else Monday to Sunday."""
    record = term_for(session, viewer.bureau_id, today) if viewer.bureau_id is not None else None
    if record is not None and record.start <= today <= record.end:
        week = week_of(as_calendar_term(record), today)
        if week is not None:
            return week.start, week.end, f"{record.name} {week.label}"
    start = today - timedelta(days=today.weekday())
    return start, start + timedelta(days=6), "本周"


def mine(viewer: Viewer, seen: Seen) -> bool:
    """ "My" items: an office's or a school's own (a school's include those for all schools, as
    the permission check already keeps); the bureau's for the bureau office and guests."""
    if viewer.role == "office":
        return any(u.id == viewer.org_id for u in seen.units)
    return True


def _entry(viewer: Viewer, seen: Seen, today: date) -> Entry:
    view = seen.view
    late = (today - view.end).days if is_overdue(view.status, view.end, today) else 0
    return Entry(
        seen.id,
        view.title.strip(),
        view.start,
        view.end,
        "、".join(u.name for u in seen.units),
        seen.status(today),
        can_report(viewer, seen.plan, seen.units),
        late,
    )


def tracked_of(every: list[Seen]) -> list[DueItem]:
    """The tracked items (``tracked.tracked_items``: live, dated, not cancelled, by id) among all
    the bureau's live items, from the page's own read rather than a second one: the same items,
    dates, statuses and closing days, and units (one ``Unit`` per organisation)."""
    units: dict[int, Unit] = {}
    result = []
    for s in sorted(every, key=lambda s: s.id):
        view = s.view
        if view.start is None or view.status == "cancelled":
            continue
        item = DueItem(
            view.id,
            view.plan_id,
            view.title.strip(),
            view.start,
            view.end,  # the stated end, else the start (``live_items``)
            view.status,
            closing_day(view.status, view.closed_at, view.updated_at),
        )
        for org in s.units:
            unit = units.get(org.id)
            if unit is None:
                unit = units[org.id] = Unit(org.id, org.name, org.kind)
            item.units.append(unit)
        result.append(item)
    return result


def completion_by_office(
    session: Session, viewer: Viewer, today: date, items: list[DueItem] | None = None
) -> list[OfficeCompletion]:
    """Per office of the bureau with tracked items, most items first: the one definition of
    each figure (``figures.bureau_figures``). ``items``: the bureau's tracked items when read
    (``tracked_of``); else they are read here."""
    if viewer.bureau_id is None:
        return []
    counted = figures.bureau_figures(session, viewer.bureau_id, today, items=items, kinds=("office",))
    rows = [
        OfficeCompletion(f.name, f.items, f.due, f.done, f.in_progress, f.overdue, f.percent_text)
        for f in counted.of_kind("office")
        if f.items
    ]
    return sorted(rows, key=lambda r: (-r.total, r.name))


def dashboard(session: Session, viewer: Viewer, today: date) -> Dashboard:
    start, end, label = current_week(session, viewer, today)
    if viewer.role in ("office", "school"):
        scope = f"{viewer.org_name or ''}的事项"
    else:
        scope = "全局事项"
    result = Dashboard(today, label, start, end, scope)
    # One read of the bureau's items serves the lists (what the viewer may see) and the offices'
    # figures (all of them), instead of a second read for the figures: a third of the page's
    # time at 500 items (issue 12).
    every = bureau_items(session, viewer)
    own = [s for s in every if can_view_item(viewer, s.plan, s.units) and mine(viewer, s)]
    result.this_week = [
        _entry(viewer, s, today)
        for s in own
        if s.view.start is not None
        and s.view.start <= end
        and (s.view.end or s.view.start) >= start
        and s.view.status != "cancelled"
    ]
    overdue = [_entry(viewer, s, today) for s in own if is_overdue(s.view.status, s.view.end, today)]
    # The most recently overdue first: those are the ones still worth chasing, while a bureau
    # with years-old unfinished items would otherwise see only those.
    # 督办: the viewer's supervised items first (their own card, and on top of both lists).
    # A guest sees nothing of 督办 (can_view_supervision), here as on the board.
    if can_view_supervision(viewer):
        result.supervised = supervised(session, [s.view for s in own], today, bureau_id=viewer.bureau_id)
    result.this_week = result.supervised.first(result.this_week)
    overdue = result.supervised.first(sorted(overdue, key=lambda e: (e.days_late, e.id)))
    result.overdue = overdue[:OVERDUE_SHOWN]
    result.overdue_total = len(overdue)
    result.completion = completion_by_office(session, viewer, today, tracked_of(every))
    targets = target_rows(session, viewer)
    result.targets, result.target_total = targets[:DASHBOARD_TARGETS], len(targets)
    result.may_report = any(e.can_report for e in result.this_week + result.overdue)
    return result
