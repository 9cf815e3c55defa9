"""Changing an item's status and recording progress reports: one implementation for the pages
and the API (each checks permissions and validates input before calling these)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.models import Attachment, Item, ProgressReport


@dataclass(frozen=True)
class NewAttachment:
    """A checked file to store with a report."""

    filename: str
    content_type: str
    size: int
    sha256: str
    content: bytes


def set_status(session: Session, item: Item, status: str, actor: str, action: str = "status") -> bool:
    """Store ``status`` (audited, revision bumped); False when the item already had it."""
    if item.status == status:
        return False
    before = {"status": item.status, "revision": item.revision}
    item.status = status
    item.revision += 1
    item.updated_at = now()
    audit.record(
        session, actor, action, "item", item.id, before, {"status": status, "revision": item.revision}
    )
    return True


def add_report(
    session: Session,
    item: Item,
    *,
    text: str,
    percent: int | None,
    author: str,
    actor: str,
    org_id: int | None,
    org_name: str | None,
    attachments: Sequence[NewAttachment] = (),
) -> ProgressReport:
    """Record a progress report (with its attachments) on ``item``, audited."""
    at = now()
    report = ProgressReport(
        item_id=item.id, org_id=org_id, author=author, text=text, percent=percent, created_at=at
    )
    session.add(report)
    session.flush()
    for f in attachments:
        session.add(
            Attachment(
                report_id=report.id,
                filename=f.filename,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                content=f.content,
                created_at=at,
            )
        )
    after = {
        "item_id": item.id,
        "percent": percent,
        "org": org_name,
        "attachments": [f.filename for f in attachments],
    }
    audit.record(session, actor, "create", "report", report.id, None, after)
    return report
