"""督办: a leader marks an item supervised with a deadline and a note, and may lift it; the rows
are kept (``lifted_at`` set), so an item's supervision history survives. The responsible units
get an in-app notification, and see supervised items first (``active_supervisions``).

"督办逾期" is derived like overdue: a supervision still active whose deadline has passed while
the item is open (``is_supervision_overdue``); nothing is stored for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit, schools
from eduplan.ledger.clock import now
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.models import Item, ItemUnit, Notification, Organisation, Plan, Supervision
from eduplan.ledger.status import ACTIVE
from eduplan.ledger.stored_text import clean_text

SUPERVISED_LABEL = "督办"
SUPERVISION_OVERDUE_LABEL = "督办逾期"
MAX_NOTE_CHARS = 2000
_CHUNK = 5000  # stay under the databases' bound-parameter limits


class SupervisionError(EduplanError):
    """A 督办 the rules refuse (a closed item, no deadline, nothing to lift)."""


SCOPED_FROM = 200
"""From this many items on, with their bureau known, supervisions are read by bureau."""


def active_supervisions(
    session: Session,
    item_ids: Iterable[int] | None = None,
    org_ids: Iterable[int] | None = None,
    *,
    bureau_id: int | None = None,
) -> dict[int, Supervision]:
    """Active (not lifted) supervisions by item id: of ``item_ids`` when given, of items any of
    ``org_ids`` is responsible for when given (both: both apply), else all; ``bureau_id`` (the
    items' bureau) limits them to that bureau's plans first, and many ``item_ids`` are then picked
    from those instead of sent as a list. Should an item have more than one active row, the newest
    wins."""
    query = select(Supervision).where(Supervision.lifted_at.is_(None))
    if bureau_id is not None:
        query = query.where(
            Supervision.item_id.in_(
                select(Item.id).join(Plan, Plan.id == Item.plan_id).where(Plan.bureau_id == bureau_id)
            )
        )
    if org_ids is not None:
        org_ids = list(org_ids)
        if not org_ids:
            return {}
        query = query.where(
            Supervision.item_id.in_(select(ItemUnit.item_id).where(ItemUnit.org_id.in_(org_ids)))
        )
    query = query.order_by(Supervision.created_at, Supervision.id)
    if item_ids is None:
        return {s.item_id: s for s in session.scalars(query)}
    ids = list(dict.fromkeys(item_ids))
    if bureau_id is not None and len(ids) >= SCOPED_FROM:
        wanted = set(ids)
        return {s.item_id: s for s in session.scalars(query) if s.item_id in wanted}
    found: dict[int, Supervision] = {}
    for i in range(0, len(ids), _CHUNK):
        found |= {
            s.item_id: s for s in session.scalars(query.where(Supervision.item_id.in_(ids[i : i + _CHUNK])))
        }
    return found


def is_supervision_overdue(supervision: Supervision | None, status: str, today: date) -> bool:
    """督办逾期: an active supervision whose deadline has passed while the item is still open."""
    return (
        supervision is not None
        and supervision.lifted_at is None
        and supervision.deadline < today
        and status in ACTIVE
    )


def supervision_label(supervision: Supervision | None, status: str, today: date) -> str | None:
    """督办 / 督办逾期 for an active supervision, None otherwise."""
    if supervision is None or supervision.lifted_at is not None:
        return None
    if is_supervision_overdue(supervision, status, today):
        return SUPERVISION_OVERDUE_LABEL
    return SUPERVISED_LABEL


def history(session: Session, item_id: int) -> list[Supervision]:
    """Every supervision of the item, lifted ones included, oldest first."""
    return list(
        session.scalars(
            select(Supervision)
            .where(Supervision.item_id == item_id)
            .order_by(Supervision.created_at, Supervision.id)
        )
    )


def _active(session: Session, item: Item) -> Supervision | None:
    return active_supervisions(session, item_ids=[item.id]).get(item.id)


def _lift(session: Session, row: Supervision, actor: str, why: str) -> None:
    row.lifted_at, row.lifted_by = now(), actor
    audit.record(
        session,
        actor,
        "lift",
        "supervision",
        row.id,
        {"item_id": row.item_id, "deadline": row.deadline, "note": row.note},
        {"lifted_by": actor, "why": why},
    )


def supervise(
    session: Session, item: Item, *, deadline: date | None, note: str, actor: str, today: date | None = None
) -> Supervision:
    """Mark ``item`` supervised until ``deadline`` with ``note``; an active supervision is
    replaced (lifted, kept in the history). Each responsible unit gets a notification."""
    today = today or clock_today()
    if item.removed_in is not None:
        raise SupervisionError("这项工作已从计划中删除，不能督办")
    if item.status not in ACTIVE:
        raise SupervisionError("已完成或已取消的工作不能督办")
    if deadline is None:
        raise SupervisionError("请填写督办期限")
    if deadline < today:
        raise SupervisionError("督办期限不能早于今天")
    note = clean_text(note).strip()
    if not note:
        raise SupervisionError("请填写督办要求")
    if len(note) > MAX_NOTE_CHARS:
        raise SupervisionError(f"督办要求太长（不超过 {MAX_NOTE_CHARS} 字）")
    previous = _active(session, item)
    if previous is not None:
        _lift(session, previous, actor, "调整督办")
    row = Supervision(item_id=item.id, deadline=deadline, note=note, created_by=actor, created_at=now())
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "supervision",
        row.id,
        None,
        {
            "item_id": item.id,
            "deadline": deadline,
            "note": note,
            "replaced": previous.id if previous else None,
        },
    )
    notify_units(
        session,
        item,
        "supervise",
        f"【督办】{item.title.strip()}",
        f"请于 {deadline.isoformat()} 前办结并销号。督办要求：{note}",
    )
    return row


def lift(session: Session, item: Item, actor: str) -> Supervision:
    """Lift the item's active supervision (kept in the history); refused when there is none."""
    row = _active(session, item)
    if row is None:
        raise SupervisionError("这项工作当前没有督办")
    _lift(session, row, actor, "解除督办")
    return row


def lift_active(session: Session, item: Item, actor: str) -> Supervision | None:
    """Lift the active supervision, if any, because the item was closed (销号)."""
    row = _active(session, item)
    if row is not None:
        _lift(session, row, actor, "销号")
    return row


def responsible_orgs(session: Session, item: Item) -> list[Organisation]:
    """The item's units, a group (各小学) stood for by its member schools (``schools.expand``)."""
    units = list(
        session.scalars(
            select(Organisation)
            .join(ItemUnit, ItemUnit.org_id == Organisation.id)
            .where(ItemUnit.item_id == item.id)
            .order_by(ItemUnit.position)
        )
    )
    return schools.expand(session, units)


def notify_units(session: Session, item: Item, kind: str, title: str, body: str) -> int:
    """An in-app notification for each unit responsible for ``item``; how many were written."""
    at = now()
    orgs = responsible_orgs(session, item)
    for org in orgs:
        session.add(
            Notification(
                org_id=org.id, kind=kind, title=title[:300], body=body, item_id=item.id, created_at=at
            )
        )
    session.flush()
    return len(orgs)
