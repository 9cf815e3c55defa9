"""销号 with review (申请销号 → 审核), as in the 督办 flows of OA systems.

The responsible unit applies with a completion report (text, evidence files on it: a report of
kind "application"); the reviewing unit passes it — the item (or the school's assignment) is
closed — or returns it with a reason, and the unit may apply again. Who reviews:

* a school's assignment: the item's lead office (``assignments.lead_office``); the bureau office
  (管理员) only when the item has no office — decided in ``eduplan/web/permissions.py``;
* an item: the bureau's 督查室/办公室, i.e. the bureau office (管理员).

A bureau may choose one-step closing instead (``set_one_step``): an application then passes at
once, reviewed by the applicant itself, as 销号 was before. Every step keeps the unit and the
person (``ClosingRequest.org_name``/``author``, ``reviewer_org``/``reviewer``) besides the login
in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.models import (
    AppSetting,
    Assignment,
    ClosingRequest,
    Item,
    Notification,
    Organisation,
    ProgressReport,
)
from eduplan.ledger.status import ACTIVE
from eduplan.supervise import assignments, progress
from eduplan.supervise.progress import NewAttachment

STATE_LABELS = {"pending": "待审核", "passed": "已通过", "returned": "已退回"}
ONE_STEP_KEY = "closing.one_step.{bureau_id}"
MAX_NOTE_CHARS = 2000


class ReviewError(EduplanError):
    """An application or review the rules refuse (the message says why, in Chinese)."""


def one_step(session: Session, bureau_id: int) -> bool:
    """Whether the bureau closes in one step (no review)."""
    row = session.get(AppSetting, ONE_STEP_KEY.format(bureau_id=bureau_id))
    return row is not None and row.value == "1"


def set_one_step(session: Session, bureau_id: int, on: bool, actor: str) -> None:
    key = ONE_STEP_KEY.format(bureau_id=bureau_id)
    row = session.get(AppSetting, key)
    before = {"one_step": row is not None and row.value == "1"}
    if row is None:
        row = AppSetting(key=key, value="0")
        session.add(row)
    row.value = "1" if on else "0"
    session.flush()
    audit.record(session, actor, "closing_mode", "organisation", bureau_id, before, {"one_step": on})


def pending_of(session: Session, item: Item, school: Organisation | None = None) -> ClosingRequest | None:
    """The item's (or one school's assignment's) application waiting for review, if any."""
    query = select(ClosingRequest).where(ClosingRequest.item_id == item.id, ClosingRequest.state == "pending")
    if school is None:
        query = query.where(ClosingRequest.assignment_id.is_(None))
    else:
        query = query.join(Assignment, Assignment.id == ClosingRequest.assignment_id).where(
            Assignment.org_id == school.id
        )
    return session.scalars(query.order_by(ClosingRequest.id)).first()


def apply(
    session: Session,
    item: Item,
    *,
    bureau_id: int,
    org: Organisation | None,
    org_name: str,
    author: str,
    actor: str,
    text: str,
    attachments: Sequence[NewAttachment] = (),
    for_school: Organisation | None = None,
) -> ClosingRequest:
    """申请销号 of the item, or with ``for_school`` of that school's assignment. Passed at once
    when the bureau closes in one step."""
    if item.removed_in is not None or item.status not in ACTIVE:
        raise ReviewError("这项工作已销号、已取消或已删除，不能申请销号")
    text = progress._checked_text(text, "完成情况")
    row = None
    if for_school is not None:
        row = assignments.assignment_of(session, item, for_school, create=True)
        if row.status == "applied":
            raise ReviewError("本校已申请销号，正在等待审核")
        if row.status == "done":
            raise ReviewError("本校这项工作已经销号")
    elif pending_of(session, item) is not None:
        raise ReviewError("这项工作已申请销号，正在等待审核")
    made = progress.add_report(
        session,
        item,
        text=text,
        percent=100,
        author=author,
        actor=actor,
        org_id=org.id if org is not None else None,
        org_name=org_name,
        attachments=attachments,
        kind="application",
    )
    request = ClosingRequest(
        item_id=item.id,
        assignment_id=row.id if row is not None else None,
        org_id=org.id if org is not None else None,
        org_name=org_name,
        author=author,
        report_id=made.id,
        state="pending",
        created_at=now(),
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor,
        "apply",
        "closing_request",
        request.id,
        None,
        {
            "item_id": item.id,
            "org": org_name,
            "author": author,
            "school": for_school.name if for_school else None,
        },
    )
    if row is not None:
        assignments._set(session, row, "applied", actor)
    if one_step(session, bureau_id):
        review(
            session,
            request,
            passed=True,
            note="一步销号",
            reviewer_org=org_name,
            reviewer=author,
            actor=actor,
        )
    return request


def review(
    session: Session,
    request: ClosingRequest,
    *,
    passed: bool,
    note: str,
    reviewer_org: str,
    reviewer: str,
    actor: str,
) -> ClosingRequest:
    """Pass an application (the item or the assignment is closed) or return it with a reason."""
    if request.state != "pending":
        raise ReviewError("这份销号申请已经审核过了")
    note = " ".join((note or "").split())
    if not passed and not note:
        raise ReviewError("退回须写明原因")
    if len(note) > MAX_NOTE_CHARS:
        raise ReviewError(f"审核意见太长（不超过 {MAX_NOTE_CHARS} 字）")
    item = session.get(Item, request.item_id)
    request.state = "passed" if passed else "returned"
    request.reviewer_org, request.reviewer, request.review_note = reviewer_org, reviewer, note or None
    request.reviewed_at = now()
    audit.record(
        session,
        actor,
        "pass" if passed else "return",
        "closing_request",
        request.id,
        {"state": "pending"},
        {"state": request.state, "reviewer_org": reviewer_org, "reviewer": reviewer, "note": note or None},
    )
    row = session.get(Assignment, request.assignment_id) if request.assignment_id is not None else None
    if passed:
        if row is not None:
            assignments.complete_assignment(session, row, reviewer_org, actor)
        elif item.status in ACTIVE:
            application = session.get(ProgressReport, request.report_id) if request.report_id else None
            said = application.text if application is not None else ""
            progress.close(
                session,
                item,
                text=f"销号审核通过（{reviewer_org}）：{said}",
                author=reviewer,
                actor=actor,
                org_id=None,
                org_name=reviewer_org,
            )
    else:
        if row is not None:
            assignments._set(session, row, "in_progress", actor)
        if request.org_id is not None:
            session.add(
                Notification(
                    org_id=request.org_id,
                    kind="returned",
                    title=f"【销号退回】{item.title.strip()}"[:300],
                    body=f"{reviewer_org}退回了销号申请：{note}",
                    item_id=item.id,
                    created_at=now(),
                )
            )
    session.flush()
    return request


def settle_on_close(session: Session, item: Item, *, reviewer_org: str, reviewer: str, actor: str) -> None:
    """After the reviewer (管理员) closed the item directly: an application of the whole item still
    waiting is passed with it, so it does not linger in the review queue."""
    pending = pending_of(session, item)
    if pending is not None:
        review(
            session,
            pending,
            passed=True,
            note="局办公室直接销号",
            reviewer_org=reviewer_org,
            reviewer=reviewer,
            actor=actor,
        )


def requests_of(session: Session, item: Item) -> list[ClosingRequest]:
    """Every application on the item (its schools' included), oldest first."""
    return list(
        session.scalars(
            select(ClosingRequest).where(ClosingRequest.item_id == item.id).order_by(ClosingRequest.id)
        )
    )
