"""One definition of each figure a page, an export or the API shows for a unit or the bureau.

Over the *tracked* items (live in their plan's current version, dated, not cancelled:
``tracked.tracked_items``), as of a day:

* 应办结 (due): the item's last day (its end, else its start) is on or before the day;
* 已办结 (done): due and closed (销号) by the end of the day;
* 办结率 = 已办结 ÷ 应办结, shown with one decimal (60.5%), "—" when nothing is due;
* 已逾期 (overdue): past its last day and neither done nor cancelled (``status.is_overdue``);
* 进行中: in progress and not overdue;
* 本周到期 (due this week): open or in progress, its last day within the week.

An item counts for every unit responsible for it (牵头 and 配合 alike), for a group (各小学) as
the group, and for each school the group stands for (``schools.Membership``); for such a school
a distributed item is done when the school's own assignment is (its 回执 passed) or the item is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from eduplan.ledger import schools
from eduplan.ledger.models import Assignment, Organisation
from eduplan.ledger.queries import core_rows
from eduplan.ledger.status import ACTIVE, is_overdue
from eduplan.supervise.tracked import local_day, tracked_items

UNIT_KINDS = ("office", "school", "group")


@dataclass
class Figures:
    """The figures of one unit (``unit_id`` None: the whole bureau, each item once)."""

    name: str
    unit_id: int | None = None
    kind: str | None = None
    items: int = 0
    due: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    due_this_week: int = 0

    @property
    def share(self) -> float | None:
        return self.done / self.due if self.due else None

    @property
    def percent_text(self) -> str:
        share = self.share
        return "—" if share is None else f"{100 * share:.1f}%"

    def add(
        self, *, end: date, status: str, closed_on: date | None, today: date, week: tuple[date, date]
    ) -> None:
        self.items += 1
        if end <= today:
            self.due += 1
            if status == "done" and closed_on is not None and closed_on <= today:
                self.done += 1
        if is_overdue(status, end, today):
            self.overdue += 1
        elif status == "in_progress":
            self.in_progress += 1
        if status in ACTIVE and week[0] <= end <= week[1]:
            self.due_this_week += 1


@dataclass
class BureauFigures:
    as_of: date
    units: dict[int, Figures]
    total: Figures

    def of_kind(self, kind: str) -> list[Figures]:
        return [f for f in self.units.values() if f.kind == kind]


# The figures' statements are built once (per set of kinds), with bound parameters: building and
# keying a Select cost about a millisecond of Python, more than running it (issue 12).
_SCHOOL_DONE = (
    select(Assignment.item_id, Assignment.org_id, Assignment.closed_at, Assignment.updated_at)
    .join(Organisation, Organisation.id == Assignment.org_id)
    .where(Assignment.status == "done", Organisation.bureau_id == bindparam("bureau_id"))
)


@cache
def _units_statement(kinds: tuple[str, ...]) -> Select:
    return (
        select(Organisation.id, Organisation.name, Organisation.kind)
        .where(
            Organisation.bureau_id == bindparam("bureau_id"),
            Organisation.kind.in_(kinds),
            Organisation.merged_into_id.is_(None),
        )
        .order_by(Organisation.id)
    )


def school_done(session: Session, bureau_id: int) -> dict[int, dict[int, date]]:
    """The bureau's schools whose assignment is done: item id → school id → the local day."""
    result: dict[int, dict[int, date]] = {}
    rows = core_rows(session, _SCHOOL_DONE, {"bureau_id": bureau_id})
    for item_id, org_id, closed_at, updated_at in rows:
        result.setdefault(item_id, {})[org_id] = local_day(closed_at or updated_at)
    return result


def bureau_figures(
    session: Session,
    bureau_id: int,
    today: date,
    week: tuple[date, date] | None = None,
    *,
    plan_id: int | None = None,
    items: list | None = None,
    kinds: tuple[str, ...] = UNIT_KINDS,
) -> BureauFigures:
    """Every office's, school's and group's figures, and the bureau's, as of ``today``.
    ``items``: the bureau's tracked items (``tracked.tracked_items``) when read. ``kinds``: only
    the units of these kinds (the 工作台 shows offices only: without schools and groups, no
    group is expanded into its schools; each figure is the same as with every kind)."""
    week = week or (today, today)
    if items is None:
        items = tracked_items(session, bureau_id, until=date.max, plan_id=plan_id)
    units = core_rows(session, _units_statement(tuple(kinds)), {"bureau_id": bureau_id})
    figures = {id_: Figures(name, id_, kind) for id_, name, kind in units}
    # A group's schools count its items: needed only when schools are counted.
    expand = "school" in kinds
    members = schools.Membership(session, bureau_id) if expand else None
    done_by = school_done(session, bureau_id) if expand else {}
    total = Figures("全局合计")
    for item in items:
        total.add(end=item.end, status=item.status, closed_on=item.closed_on, today=today, week=week)
        counted: dict[int, tuple[str, date | None]] = {}
        for unit in item.units:
            if unit.id in figures:
                counted[unit.id] = (item.status, item.closed_on)
            if expand and unit.kind == "group":
                for school in members.of(unit.id):
                    if school.id in counted:
                        continue
                    passed = done_by.get(item.id, {}).get(school.id)
                    if passed is not None and item.status != "done":
                        counted[school.id] = ("done", passed)  # its own 回执 passed
                    else:
                        counted[school.id] = (item.status, item.closed_on)
        for unit_id, (status, closed_on) in counted.items():
            figures[unit_id].add(end=item.end, status=status, closed_on=closed_on, today=today, week=week)
    return BureauFigures(today, figures, total)
