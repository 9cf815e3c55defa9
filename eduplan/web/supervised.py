"""Supervised items first: what the unit page and the 工作台 show of 督办 — a card of the
viewer's supervised items (most urgent deadline first) and lists re-ordered so supervised rows
come on top. The rows come from ``ledger.supervision.active_supervisions``; the card and the
badge are drawn by the macros in ``templates/_supervised.html``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlalchemy.orm import Session

from eduplan.ledger.status import status_label
from eduplan.supervise.supervision import active_supervisions, is_supervision_overdue, supervision_label

T = TypeVar("T")


@dataclass
class SupervisedRow:
    """A supervised item as the 督办 card lists it."""

    item_id: int
    title: str
    units: str
    deadline: date
    note: str
    label: str  # 督办 or 督办逾期
    late: bool
    status: str  # 未开始 / 进行中 / 已逾期 …


@dataclass
class Badge:
    label: str  # 督办 or 督办逾期
    late: bool
    deadline: date


@dataclass
class Supervised:
    """The active supervisions of a list of items: the card's rows (earliest deadline first),
    a badge per supervised item, and a way to put supervised rows on top of any list."""

    rows: list[SupervisedRow] = field(default_factory=list)
    badges: dict[int, Badge] = field(default_factory=dict)

    def badge(self, item_id: int) -> Badge | None:
        return self.badges.get(item_id)

    def first(self, rows: Sequence[T], id_of: Callable[[T], int] = lambda r: r.id) -> list[T]:
        """``rows`` with the supervised ones on top (earliest deadline first), the rest in order."""

        def key(row: T) -> tuple[bool, date]:
            found = self.badges.get(id_of(row))
            return (found is None, found.deadline if found else date.max)

        return sorted(rows, key=key)


def supervised(
    session: Session,
    items: Iterable,
    today: date,
    *,
    title_of: Callable = lambda v: v.title,
    units_of: Callable = lambda v: "、".join(v.units),
    bureau_id: int | None = None,
) -> Supervised:
    """The supervisions of ``items`` (objects with ``id``, ``status``, ``end``; accessors for the
    title and the units, by default those of ``queries.ItemView``); ``bureau_id``: the items'
    bureau, which the query is limited to first."""
    items = {v.id: v for v in items}
    result = Supervised()
    if not items:
        return result
    for item_id, row in active_supervisions(session, item_ids=list(items), bureau_id=bureau_id).items():
        v = items[item_id]
        late = is_supervision_overdue(row, v.status, today)
        label = supervision_label(row, v.status, today) or ""
        result.badges[item_id] = Badge(label, late, row.deadline)
        result.rows.append(
            SupervisedRow(
                item_id,
                title_of(v).strip(),
                units_of(v),
                row.deadline,
                row.note,
                label,
                late,
                status_label(v.status, v.end, today),
            )
        )
    result.rows.sort(key=lambda r: (r.deadline, r.item_id))
    return result
