"""The audit log: every change recorded with who, when, what before and what after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from eduplan.ledger.bulk import insert_rows
from eduplan.ledger.clock import now
from eduplan.ledger.models import AuditEntry


def jsonable(value: Any) -> Any:
    """Dates as ISO text, tuples as lists: what a JSON column can hold."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one audit entry to the session's transaction."""
    record_many(session, [(actor, action, entity, entity_id, before, after)])


def record_many(session: Session, entries: list[tuple]) -> None:
    """Add many entries ``(actor, action, entity, entity_id, before, after)`` in one statement."""
    if not entries:
        return
    at = now()
    rows = [
        {
            "at": at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": jsonable(before),
            "after": jsonable(after),
        }
        for actor, action, entity, entity_id, before, after in entries
    ]
    insert_rows(session, AuditEntry.__table__, rows)
