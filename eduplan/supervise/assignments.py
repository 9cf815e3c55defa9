"""分发 and 回执: an item asked of a group of schools (各小学) is done school by school.

Each member school of the item's groups (``schools.expand``; schools the item names directly
too) has an assignment: 未开始 until it reports, 进行中 once it has, 待审核 while its 销号
application waits (``closing_review``), 已完成 when passed. Assignment rows are made when the
office distributes the item (``distribute``, which also tells each school) or when a school first
acts on it; until then a member is 未开始 in the reply table all the same, so a school whose type
an administrator sets later appears at once.

The item itself is done when every member's assignment is done (closed by ``progress.close``
with a note of the count), or when the office closes it with a reason (``close_with_reason``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit, schools
from eduplan.ledger.clock import now
from eduplan.ledger.models import (
    Assignment,
    ClosingRequest,
    Item,
    ItemUnit,
    Notification,
    Organisation,
    Plan,
    ProgressReport,
)
from eduplan.ledger.status import ACTIVE
from eduplan.supervise import progress
from eduplan.supervise.progress import NewAttachment

STATUS_LABELS = {"open": "未开始", "in_progress": "进行中", "applied": "待审核", "done": "已完成"}
LATE_LABEL = "已逾期"
DISTRIBUTED_BODY = "请按要求办理，完成后提交完成情况申请销号。"
BEHIND = ("open", "in_progress")
"""Statuses of the schools a reminder goes to (an application under review is not behind)."""


class AssignmentError(EduplanError):
    """An assignment change the rules refuse (the message says why, in Chinese)."""


def item_units(session: Session, item: Item) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .join(ItemUnit, ItemUnit.org_id == Organisation.id)
            .where(ItemUnit.item_id == item.id)
            .order_by(ItemUnit.position)
        )
    )


def is_distributed(units: Sequence[Organisation]) -> bool:
    """Whether an item is done school by school: it names a group of schools."""
    return any(u.kind == "group" for u in units)


def member_schools(
    session: Session,
    item: Item,
    units: list[Organisation] | None = None,
    membership: schools.Membership | None = None,
) -> list[Organisation]:
    """The schools an item is asked of: its groups' members and the schools it names."""
    units = item_units(session, item) if units is None else units
    return [u for u in schools.expand(session, units, membership) if u.kind == "school"]


def _distributed_notice(school_id: int, item: Item, at: datetime) -> dict:
    """The in-app notice a school gets when an item is sent down to it (分发)."""
    return {
        "org_id": school_id,
        "kind": "assign",
        "title": f"【分发】{item.title.strip()}"[:300],
        "body": DISTRIBUTED_BODY,
        "item_id": item.id,
        "created_at": at,
    }


def lead_office(units: Sequence[Organisation]) -> Organisation | None:
    """The item's lead office (the first unit that is an office): it reviews the schools' 销号."""
    return next((u for u in units if u.kind == "office"), None)


def assignment_of(
    session: Session, item: Item, school: Organisation, *, create: bool = False
) -> Assignment | None:
    found = session.scalars(
        select(Assignment).where(Assignment.item_id == item.id, Assignment.org_id == school.id)
    ).first()
    if found is None and create:
        if school.id not in {s.id for s in member_schools(session, item)}:
            raise AssignmentError(f"这项工作没有分发给{school.name}")
        at = now()
        found = Assignment(item_id=item.id, org_id=school.id, status="open", created_at=at, updated_at=at)
        session.add(found)
        session.flush()
    return found


def distribute(session: Session, item: Item, actor: str) -> list[Assignment]:
    """分发: an assignment for every member school still without one, each told in-app;
    returns the new assignments (none when all had one)."""
    if item.removed_in is not None or item.status not in ACTIVE:
        raise AssignmentError("已完成、已取消或已删除的工作不能分发")
    members = member_schools(session, item)
    if not members:
        raise AssignmentError("这项工作没有可分发的学校（请先在“管理 · 单位”设置学校类型或群组成员）")
    have = set(session.scalars(select(Assignment.org_id).where(Assignment.item_id == item.id)))
    at = now()
    made = []
    for school in members:
        if school.id in have:
            continue
        row = Assignment(item_id=item.id, org_id=school.id, status="open", created_at=at, updated_at=at)
        session.add(row)
        made.append(row)
        session.add(Notification(**_distributed_notice(school.id, item, at)))
    session.flush()
    audit.record(
        session,
        actor,
        "distribute",
        "item",
        item.id,
        None,
        {"schools": [s.name for s in members if s.id not in have]},
    )
    return made


def _set(session: Session, row: Assignment, status: str, actor: str, **extra) -> None:
    before = {"status": row.status, "revision": row.revision}
    row.status = status
    row.revision += 1
    row.updated_at = now()
    for key, value in extra.items():
        setattr(row, key, value)
    after = {"status": status, "revision": row.revision, "item_id": row.item_id, "org_id": row.org_id}
    audit.record(session, actor, "assignment", "assignment", row.id, before, after)


def report(
    session: Session,
    item: Item,
    school: Organisation,
    *,
    text: str,
    percent: int | None,
    author: str,
    actor: str,
    attachments: Sequence[NewAttachment] = (),
) -> ProgressReport:
    """A school's progress report on its own assignment (回执): the assignment becomes 进行中."""
    row = assignment_of(session, item, school, create=True)
    if row.status in ("applied", "done"):
        raise AssignmentError("本校已申请销号或已完成，不能再提交进度")
    text = progress._checked_text(text, "进展情况")
    made = progress.add_report(
        session,
        item,
        text=text,
        percent=percent,
        author=author,
        actor=actor,
        org_id=school.id,
        org_name=school.name,
        attachments=attachments,
    )
    if row.status == "open":
        _set(session, row, "in_progress", actor)
    return made


def complete_assignment(session: Session, row: Assignment, reviewer: str, actor: str) -> bool:
    """Mark an assignment done (a 销号 passed); closes the item when every member is done.
    True when the item was closed."""
    _set(session, row, "done", actor, closed_at=now(), closed_by=reviewer)
    item = session.get(Item, row.item_id)
    return close_when_all_done(session, item, actor=actor, author=reviewer)


def close_when_all_done(session: Session, item: Item, *, actor: str, author: str) -> bool:
    """Close (销号) the item when every member school's assignment is done; True when closed."""
    if item.status not in ACTIVE:
        return False
    members = member_schools(session, item)
    done = set(
        session.scalars(
            select(Assignment.org_id).where(Assignment.item_id == item.id, Assignment.status == "done")
        )
    )
    if not members or any(s.id not in done for s in members):
        return False
    progress.close(
        session,
        item,
        text=f"各校均已办结销号（{len(members)}/{len(members)}）",
        author=author,
        actor=actor,
        org_id=None,
        org_name=author,
    )
    return True


def close_with_reason(
    session: Session,
    item: Item,
    *,
    reason: str,
    author: str,
    actor: str,
    org_id: int | None,
    org_name: str | None,
) -> ProgressReport:
    """The office closes the item though not every school is done, saying why (the reply table
    as it stood is kept in the text)."""
    reason = progress._checked_text(reason, "办结说明")
    table = replies(session, item, today=None)
    behind = [r.school.name for r in table.rows if r.status != "done"]
    note = f"办结说明：{reason}"
    if behind:
        note += f"（未完成的学校：{'、'.join(behind)}）"
    return progress.close(
        session, item, text=note, author=author, actor=actor, org_id=org_id, org_name=org_name
    )


# ---------------------------------------------------------------- the reply table


@dataclass
class ReplyRow:
    school: Organisation
    status: str  # open | in_progress | applied | done
    late: bool
    last_report: ProgressReport | None
    pending: ClosingRequest | None
    assignment_id: int | None

    @property
    def status_label(self) -> str:
        if self.late:
            return LATE_LABEL
        return STATUS_LABELS[self.status]

    @property
    def last_report_at(self) -> datetime | None:
        return self.last_report.created_at if self.last_report is not None else None


@dataclass
class ReplyTable:
    """回执: each member school's assignment, and the counts the office chases."""

    rows: list[ReplyRow]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def done(self) -> int:
        return self.count("done")

    @property
    def reported(self) -> int:
        """Schools that have replied (a report, an application or done)."""
        return sum(1 for r in self.rows if r.status != "open")

    @property
    def not_started(self) -> int:
        return self.count("open")

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.late)

    @property
    def behind(self) -> list[ReplyRow]:
        return [r for r in self.rows if r.status in BEHIND]


def replies(session: Session, item: Item, today: date | None) -> ReplyTable:
    """The reply table of ``item``: every member school (schools without an assignment row yet
    as 未开始), late when the item's last day is before ``today`` and the school has neither
    finished nor applied for 销号."""
    members = member_schools(session, item)
    rows_by_org = {
        a.org_id: a for a in session.scalars(select(Assignment).where(Assignment.item_id == item.id))
    }
    last: dict[int, ProgressReport] = {}
    for r in session.scalars(
        select(ProgressReport)
        .where(ProgressReport.item_id == item.id, ProgressReport.org_id.is_not(None))
        .order_by(ProgressReport.created_at, ProgressReport.id)
    ):
        last[r.org_id] = r
    pending = {
        c.org_id: c
        for c in session.scalars(
            select(ClosingRequest)
            .where(ClosingRequest.item_id == item.id, ClosingRequest.state == "pending")
            .order_by(ClosingRequest.id)
        )
    }
    end = item.end or item.start
    out = []
    for school in members:
        row = rows_by_org.get(school.id)
        status = row.status if row is not None else "open"
        late = today is not None and end is not None and end < today and status in BEHIND
        out.append(
            ReplyRow(
                school, status, late, last.get(school.id), pending.get(school.id), row.id if row else None
            )
        )
    return ReplyTable(out)


def remind_behind(session: Session, item: Item, actor: str, today: date | None = None) -> list[Organisation]:
    """催办: an in-app notification to every school not yet done nor waiting for review;
    returns those schools."""
    table = replies(session, item, today)
    at = now()
    chased = [r.school for r in table.behind]
    for school in chased:
        session.add(
            Notification(
                org_id=school.id,
                kind="remind",
                title=f"【催办】{item.title.strip()}"[:300],
                body="本校尚未完成这项工作，请抓紧办理并提交完成情况申请销号。",
                item_id=item.id,
                created_at=at,
            )
        )
    session.flush()
    audit.record(session, actor, "remind", "item", item.id, None, {"schools": [s.name for s in chased]})
    return chased


def assignments_of_school(session: Session, school: Organisation) -> dict[int, Assignment]:
    """A school's assignment rows by item id."""
    return {a.item_id: a for a in session.scalars(select(Assignment).where(Assignment.org_id == school.id))}


# ---------------------------------------------------------------- distributing a whole plan


def distribute_plan(session: Session, plan_id: int, actor: str) -> int:
    """分发 on publishing: for every live, active item of the plan that names a group of schools,
    an assignment for each member school still without one (each school told in-app, as by
    ``distribute``), in a few bulk statements. Idempotent: publishing again makes none twice; a
    school added to a group later gets its row by ``distribute`` or when it first acts on the
    item (``assignment_of``). Returns how many assignments were made."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        return 0
    rows = session.execute(
        select(Item, Organisation)
        .join(ItemUnit, ItemUnit.item_id == Item.id)
        .join(Organisation, Organisation.id == ItemUnit.org_id)
        .where(Item.plan_id == plan_id, Item.removed_in.is_(None), Item.status.in_(ACTIVE))
        .order_by(Item.id, ItemUnit.position)
    ).all()
    units: dict[int, list[Organisation]] = {}
    items: dict[int, Item] = {}
    for item, org in rows:
        units.setdefault(item.id, []).append(org)
        items[item.id] = item
    wanted = {item_id: found for item_id, found in units.items() if is_distributed(found)}
    if not wanted:
        return 0
    membership = schools.Membership(session, plan.bureau_id)
    have = set(
        session.execute(
            select(Assignment.item_id, Assignment.org_id).where(Assignment.item_id.in_(wanted))
        ).all()
    )
    at = now()
    made: list[dict] = []
    told: list[dict] = []
    for item_id, found in wanted.items():
        item = items[item_id]
        for school in member_schools(session, item, found, membership):
            if (item_id, school.id) in have:
                continue
            made.append(
                {"item_id": item_id, "org_id": school.id, "status": "open", "revision": 1,
                 "created_at": at, "updated_at": at}
            )  # fmt: skip
            told.append(_distributed_notice(school.id, item, at))
    if made:
        session.execute(insert(Assignment), made)
        session.execute(insert(Notification), told)
        audit.record(
            session,
            actor,
            "distribute",
            "plan",
            plan_id,
            None,
            {"items": len({r["item_id"] for r in made}), "assignments": len(made)},
        )
    return len(made)
