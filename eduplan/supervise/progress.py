"""Changing an item's status and recording progress reports: one implementation for the pages
and the API (each checks permissions and validates input before calling these).

"done" is reached only by closing the item (销号) with a completion report, and left only by
reopening it with a reason; both are reports of their own kind, so the item's history shows
them. Overdue is never stored: it is derived from the span's end and the status (status.py).

Every change to an item is one ``UPDATE items SET …, revision = revision + 1 WHERE id = :id AND
revision = :seen`` (``bump``): the revision the change was decided on is checked by the
statement itself, so two writers who saw the same revision cannot both succeed — the second
updates no row and gets ``RevisionConflict`` — without any lock held while the request is read,
checked or answered. The checks before it (status rules, permissions) read the item outside the
write transaction; any change since bumped the revision, so a decision made on a stale read is
refused, not applied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Update, bindparam, insert, select, update
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.models import Attachment, Item, ProgressReport
from eduplan.ledger.status import ACTIVE
from eduplan.ledger.stored_text import clean_text
from eduplan.supervise import supervision

MAX_REPORT_CHARS = 5000


@dataclass(frozen=True)
class NewAttachment:
    """A checked file to store with a report."""

    filename: str
    content_type: str
    size: int
    sha256: str
    content: bytes


class StatusError(EduplanError):
    """A status change the rules refuse (done without a completion report, reopening an open item)."""


class RevisionConflict(EduplanError):
    """The item changed since the person (or client) last saw it: a stale edit, not applied."""

    def __init__(self, current: int) -> None:
        self.current = current
        super().__init__(f"该任务已被他人修改（当前第{current}版），请刷新后再提交")


def check_revision(item: Item, seen: int | None) -> None:
    """Raise RevisionConflict when ``seen`` (the revision the editor saw) is not the item's
    current one; None means the caller did not say (no check)."""
    if seen is not None and seen != item.revision:
        raise RevisionConflict(item.revision)


_BUMPS: dict[tuple[str, ...], Update] = {}
"""The conditional UPDATE of ``bump`` for each set of columns it stores, built once (every status
change, 销号 and reopening runs one; building it cost as much CPU as running it)."""
_REVISION_NOW = select(Item.revision).where(Item.id == bindparam("item_id"))


def _bump_statement(keys: tuple[str, ...]) -> Update:
    statement = _BUMPS.get(keys)
    if statement is None:
        statement = _BUMPS[keys] = (
            update(Item)
            .where(Item.id == bindparam("bump_id"), Item.revision == bindparam("bump_seen"))
            .values(revision=Item.revision + 1, **{key: bindparam(f"bump_{key}") for key in keys})
            .execution_options(synchronize_session=False)
        )
    return statement


def bump(session: Session, item: Item, **values: object) -> None:
    """Store ``values`` on ``item`` and bump its revision in one conditional UPDATE guarded by
    the revision ``item`` was read at; RevisionConflict (nothing changed) when another writer
    changed the item since. ``item`` then holds the stored values, not marked as changed."""
    seen = item.revision
    keys = tuple(sorted(values))
    params = {f"bump_{key}": values[key] for key in keys}
    result = session.execute(_bump_statement(keys), {"bump_id": item.id, "bump_seen": seen, **params})
    if result.rowcount != 1:
        current = session.scalar(_REVISION_NOW, {"item_id": item.id})
        raise RevisionConflict(current if current is not None else seen)
    for key, value in values.items():
        set_committed_value(item, key, value)
    set_committed_value(item, "revision", seen + 1)


def set_status(session: Session, item: Item, status: str, actor: str, action: str = "status") -> bool:
    """Store ``status`` (audited, revision bumped); False when the item already had it.
    "done" is refused (see ``close``), and so is leaving "done" (see ``reopen``)."""
    if item.status == status:
        return False
    if status == "done":
        raise StatusError("标记为“已完成”须销号：请填写完成情况（可附佐证材料）后提交销号")
    if item.status == "done":
        raise StatusError("这项工作已销号；如需继续办理，请用“重新打开”并写明原因")
    before = {"status": item.status, "revision": item.revision}
    bump(session, item, status=status, updated_at=now())
    audit.record(
        session, actor, action, "item", item.id, before, {"status": status, "revision": item.revision}
    )
    return True


def _checked_text(text: str, what: str) -> str:
    text = clean_text(text).strip()
    if not text:
        raise StatusError(f"请填写{what}")
    if len(text) > MAX_REPORT_CHARS:
        raise StatusError(f"{what}太长（不超过 {MAX_REPORT_CHARS} 字）")
    return text


_NEW_REPORT = insert(ProgressReport.__table__).returning(ProgressReport.__table__.c.id)
"""A report's row in one INSERT … RETURNING id, built once: the ORM's flush of one new object
(its unit of work) cost more CPU than the statement it sends (every API report runs it)."""


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
    kind: str = "progress",
) -> ProgressReport:
    """Record a report (with its attachments) on ``item``, audited. ``kind`` is "progress";
    completion and reopen reports are made by ``close`` and ``reopen``."""
    at = now()
    values = {
        "item_id": item.id,
        "org_id": org_id,
        "author": author,
        "text": clean_text(text),
        "percent": percent,
        "kind": kind,
        "created_at": at,
    }
    report = ProgressReport(id=session.execute(_NEW_REPORT, values).scalar_one(), **values)
    make_transient_to_detached(report)  # stored as it is: now an ORM object like one loaded
    session.add(report)
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
    if kind != "progress":
        after["kind"] = kind
    audit.record(session, actor, "create", "report", report.id, None, after)
    return report


def close(
    session: Session,
    item: Item,
    *,
    text: str,
    author: str,
    actor: str,
    org_id: int | None,
    org_name: str | None,
    attachments: Sequence[NewAttachment] = (),
    revision: int | None = None,
) -> ProgressReport:
    """销号: store the completion report (text required, evidence files optional), set the item
    done with who closed it and when, bump its revision, lift an active 督办; all audited."""
    check_revision(item, revision)
    if item.removed_in is not None:
        raise StatusError("这项工作已从计划中删除，不能销号")
    if item.status == "done":
        raise StatusError("这项工作已经销号")
    if item.status not in ACTIVE:
        raise StatusError("已取消的工作不能销号；如需办理，请先把状态改回“进行中”")
    text = _checked_text(text, "完成情况")
    at = now()
    before = {"status": item.status, "revision": item.revision}
    bump(session, item, status="done", closed_at=at, closed_by=actor, updated_at=at)
    report = add_report(
        session,
        item,
        text=text,
        percent=100,
        author=author,
        actor=actor,
        org_id=org_id,
        org_name=org_name,
        attachments=attachments,
        kind="completion",
    )
    after = {"status": "done", "revision": item.revision, "closed_by": actor, "report_id": report.id}
    audit.record(session, actor, "close", "item", item.id, before, after)
    supervision.lift_active(session, item, actor)
    return report


def reopen(
    session: Session,
    item: Item,
    *,
    reason: str,
    author: str,
    actor: str,
    org_id: int | None,
    org_name: str | None,
    revision: int | None = None,
) -> ProgressReport:
    """Reopen a closed item: the reason is stored as a report of kind "reopen", the item goes
    back to in progress, who closed it and when are cleared (kept in the audit log)."""
    check_revision(item, revision)
    if item.removed_in is not None:
        raise StatusError("这项工作已从计划中删除，不能重新打开")
    if item.status != "done":
        raise StatusError("只有已销号（已完成）的工作才能重新打开")
    reason = _checked_text(reason, "重新打开的原因")
    before = {
        "status": item.status,
        "revision": item.revision,
        "closed_at": item.closed_at,
        "closed_by": item.closed_by,
    }
    bump(session, item, status="in_progress", closed_at=None, closed_by=None, updated_at=now())
    report = add_report(
        session,
        item,
        text=reason,
        percent=None,
        author=author,
        actor=actor,
        org_id=org_id,
        org_name=org_name,
        kind="reopen",
    )
    after = {"status": "in_progress", "revision": item.revision, "report_id": report.id}
    audit.record(session, actor, "reopen", "item", item.id, before, after)
    supervision.notify_units(session, item, "reopen", f"【重新打开】{item.title.strip()}", f"原因：{reason}")
    return report
