"""An item's page: what it is, where it came from, its status, its progress reports and history;
changing its status and reporting progress. Permissions come from ``permissions.py``; the routes
in ``routes/items.py`` call these functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.calendar.holidays import WEEKDAY_NAMES
from eduplan.calendar.lunar import lunar_label, mentions_lunar
from eduplan.errors import EduplanError
from eduplan.ledger.clock import local_time
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.models import (
    ITEM_STATUSES,
    Attachment,
    AuditEntry,
    ClosingRequest,
    Item,
    Organisation,
    Plan,
    PlanVersion,
    ProgressReport,
    Supervision,
    User,
)
from eduplan.ledger.status import ACTIVE, STATUS_LABELS, is_overdue, status_label
from eduplan.supervise import closing_review, progress, supervision
from eduplan.web.auth import Viewer
from eduplan.web.permissions import (
    can_close_item,
    can_edit_item,
    can_report,
    can_supervise,
    can_view_item,
    can_view_report,
    can_view_supervision,
    load_item,
    same_bureau,
)
from eduplan.web.uploads import MAX_FILES_PER_REPORT, CheckedFile, check_file_count

MAX_REPORT_CHARS = progress.MAX_REPORT_CHARS
ACTION_LABELS = {
    "import": "导入",
    "add": "新增（计划修订）",
    "revise": "修改（计划修订）",
    "remove": "删除（计划修订）",
    "update": "修改",
    "status": "更改状态",
    "close": "销号",
    "reopen": "重新打开",
    "distribute": "分发到各校",
    "remind": "催办",
}
REPORT_ACTIONS = {
    "progress": "提交进度",
    "completion": "提交完成报告",
    "reopen": "重新打开",
    "application": "提交完成情况（申请销号）",
}
REPORT_KINDS = {
    "progress": "进度",
    "completion": "完成报告（销号）",
    "reopen": "重新打开的原因",
    "application": "完成情况（申请销号）",
}
FIELD_LABELS = {"title": "标题", "text": "原文", "start": "开始", "end": "结束", "units": "责任单位"}


def day_label(day: date | None) -> str:
    """``2024-09-02（周一）``."""
    if day is None:
        return ""
    return f"{day.isoformat()}（{WEEKDAY_NAMES[day.weekday()]}）"


def span_label(start: date | None, end: date | None) -> str:
    if start is None:
        return "未排期"
    if end is None or end == start:
        return day_label(start)
    return f"{day_label(start)} 至 {day_label(end)}（{(end - start).days + 1} 天）"


def lunar_span(text: str, start: date | None, end: date | None) -> str | None:
    """The lunar date(s) of the span when the document gave the date in 农历."""
    if start is None or not mentions_lunar(text):
        return None
    try:
        first = lunar_label(start)
        if end is None or end == start:
            return first
        return f"{first} 至 {lunar_label(end).removeprefix('农历')}"
    except ValueError:
        return None


# ---------------------------------------------------------------- loading with permissions


@dataclass
class Loaded:
    item: Item
    plan: Plan
    units: list[Organisation]


def load_visible(session: Session, viewer: Viewer, item_id: int) -> Loaded:
    """The item if the viewer may see it: 404 outside the viewer's bureau, 403 inside it."""
    found = load_item(session, item_id)
    if found is None or not same_bureau(viewer, found[1].bureau_id):
        raise HTTPException(404, "找不到这项工作")
    item, plan, units = found
    if not can_view_item(viewer, plan, units):
        raise HTTPException(403, "这项工作没有安排给你的单位，不能查看")
    return Loaded(item, plan, units)


# ---------------------------------------------------------------- the page


@dataclass
class ReportView:
    id: int
    org_name: str | None
    author: str
    text: str
    percent: int | None
    at: str
    attachments: list[dict] = field(default_factory=list)
    kind: str = "progress"

    @property
    def kind_label(self) -> str:
        return REPORT_KINDS.get(self.kind, self.kind)


@dataclass
class HistoryEntry:
    at: datetime
    when: str
    actor: str
    action: str
    details: list[str]


def visible_reports(session: Session, viewer: Viewer, loaded: Loaded) -> list[ProgressReport]:
    reports = session.scalars(
        select(ProgressReport)
        .where(ProgressReport.item_id == loaded.item.id)
        .order_by(ProgressReport.created_at.desc(), ProgressReport.id.desc())
    ).all()
    return [r for r in reports if can_view_report(viewer, loaded.plan, loaded.units, r)]


def _report_views(session: Session, reports: list[ProgressReport]) -> list[ReportView]:
    if not reports:
        return []
    org_ids = {r.org_id for r in reports if r.org_id}
    names = (
        dict(
            session.execute(
                select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
            ).all()
        )
        if org_ids
        else {}
    )
    files: dict[int, list[dict]] = {}
    rows = session.execute(
        select(Attachment.id, Attachment.report_id, Attachment.filename, Attachment.size)
        .where(Attachment.report_id.in_([r.id for r in reports]))
        .order_by(Attachment.id)
    )
    from eduplan.read.sizes import human_size

    for att_id, report_id, filename, size in rows:
        files.setdefault(report_id, []).append({"id": att_id, "filename": filename, "size": human_size(size)})
    return [
        ReportView(
            r.id,
            names.get(r.org_id),
            r.author,
            r.text,
            r.percent,
            local_time(r.created_at),
            files.get(r.id, []),
            r.kind,
        )
        for r in reports
    ]


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value)


def _action(entry: AuditEntry) -> str:
    if entry.action == "update" and "status" in (entry.after or {}):
        return "更改状态"
    return ACTION_LABELS.get(entry.action, entry.action)


def _details(entry: AuditEntry) -> list[str]:
    before, after = entry.before or {}, entry.after or {}
    if entry.action in ("distribute", "remind") and after.get("schools") is not None:
        return [f"学校：{'、'.join(after['schools']) or '（无）'}"]
    if "status" in after and before.get("status") != after.get("status"):
        return [
            f"状态：{STATUS_LABELS.get(before.get('status'), before.get('status'))} → "
            f"{STATUS_LABELS.get(after.get('status'), after.get('status'))}"
        ]
    if entry.action == "revise":
        lines = [
            f"{label}：{_value(before.get(key))} → {_value(after.get(key))}"
            for key, label in FIELD_LABELS.items()
            if key in after and before.get(key) != after.get(key)
        ]
        if after.get("version"):
            lines.append(f"第 {after['version']} 版")
        return lines
    if entry.action in ("add", "remove") and after.get("version"):
        return [f"第 {after['version']} 版"]
    return []


def history(
    session: Session, loaded: Loaded, reports: list[ProgressReport], with_supervision: bool = True
) -> list[HistoryEntry]:
    """The item's audit entries (import, revisions, status changes, 销号 and reopening with what
    the report said), the progress reports the viewer may see, and its 督办 (unless
    ``with_supervision`` is false: a guest sees none), in time order."""
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "item", AuditEntry.entity_id == loaded.item.id)
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    out = []
    version = session.scalars(
        select(PlanVersion).where(
            PlanVersion.plan_id == loaded.item.plan_id, PlanVersion.number == loaded.item.added_in
        )
    ).first()
    if version is not None:
        detail = f"第 {version.number} 版：{version.source_name}"
        at = _aware(version.imported_at)
        out.append(HistoryEntry(at, local_time(at), version.imported_by, "导入", [detail]))
    seen = {r.id: r for r in reports}
    who = actor_labels(session, [e.actor for e in entries])
    out += [
        HistoryEntry(
            _aware(e.at),
            local_time(e.at),
            who.get(e.actor, e.actor),
            _action(e),
            _details(e) + _said(e, seen),
        )
        for e in entries
    ]
    out += closing_steps(session, loaded.item.id)
    # A completion report or a reason is shown with the 销号 or reopening it belongs to.
    told = {(e.after or {}).get("report_id") for e in entries if e.action in ("close", "reopen")}
    for r in reports:
        if r.id in told:
            continue
        details = [f"进度 {r.percent}%"] if r.percent is not None else []
        if r.kind != "progress":
            details.append(_excerpt(r.text))
        action = REPORT_ACTIONS.get(r.kind, "提交进度")
        out.append(HistoryEntry(_aware(r.created_at), local_time(r.created_at), r.author, action, details))
    for row in supervision.history(session, loaded.item.id) if with_supervision else ():
        at = _aware(row.created_at)
        details = [f"期限 {row.deadline.isoformat()}", f"要求：{_excerpt(row.note)}"]
        out.append(HistoryEntry(at, local_time(at), row.created_by, "督办", details))
        if row.lifted_at is not None:
            lifted = _aware(row.lifted_at)
            out.append(HistoryEntry(lifted, local_time(lifted), row.lifted_by or "", "解除督办", []))
    out.sort(key=lambda h: h.at)
    return out


def actor_labels(session: Session, logins: list[str]) -> dict[str, str]:
    """How the history names who acted: the unit and the login (基教股（jijiao）), the person's
    name for an account without a unit; an actor that is no login (演示数据) as it is."""
    wanted = sorted(set(logins))
    if not wanted:
        return {}
    rows = session.execute(
        select(User.username, User.display_name, Organisation.name)
        .outerjoin(Organisation, Organisation.id == User.org_id)
        .where(User.username.in_(wanted))
    ).all()
    labels = {}
    for login, display, unit in rows:
        name = unit or display or login
        if unit and display and display != unit:
            name = f"{unit}·{display}"
        labels[login] = f"{name}（{login}）"
    return labels


CLOSING_ACTIONS = {"apply": "申请销号", "pass": "销号审核通过", "return": "销号退回"}


def closing_steps(session: Session, item_id: int) -> list[HistoryEntry]:
    """申请销号 and its review (``closing_review``): each step with the unit and the person."""
    requests = {
        r.id: r for r in session.scalars(select(ClosingRequest).where(ClosingRequest.item_id == item_id))
    }
    if not requests:
        return []
    out = []
    for e in session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "closing_request", AuditEntry.entity_id.in_(list(requests)))
        .order_by(AuditEntry.at, AuditEntry.id)
    ):
        request = requests[e.entity_id]
        after = e.after or {}
        if e.action == "apply":
            who = (
                f"{request.org_name}·{request.author}"
                if request.author != request.org_name
                else request.org_name
            )
            details = [f"学校：{after['school']}"] if after.get("school") else []
        else:
            unit, person = after.get("reviewer_org") or "", after.get("reviewer") or ""
            who = f"{unit}·{person}" if person and person != unit else unit
            details = [f"意见：{_excerpt(after['note'])}"] if after.get("note") else []
            details.insert(0, f"申请单位：{request.org_name}")
        at = _aware(e.at)
        out.append(
            HistoryEntry(
                at, local_time(at), f"{who}（{e.actor}）", CLOSING_ACTIONS.get(e.action, e.action), details
            )
        )
    return out


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def _said(entry: AuditEntry, reports: dict[int, ProgressReport]) -> list[str]:
    """What the 销号's completion report or the reopening's reason said, if the viewer may see it."""
    report = reports.get((entry.after or {}).get("report_id") or 0)
    if report is None or entry.action not in ("close", "reopen"):
        return []
    return [f"{'完成情况' if entry.action == 'close' else '原因'}：{_excerpt(report.text)}"]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


KEPT_LABELS = {
    "status": "状态",
    "close_text": "完成情况",
    "reason": "重新打开的原因",
    "deadline": "办结期限",
    "note": "督办要求",
}
"""What a refused form's fields are called, for the conflict page that shows what was typed."""


def last_change(session: Session, item: Item) -> str:
    """Who changed ``item`` last and when, for a person whose form it made stale:
    ``基教股（jijiao）于 2026-12-02 10:05 销号``."""
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "item", AuditEntry.entity_id == item.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    ).first()
    if entry is None:
        return "他人修改"
    name = session.scalars(select(User.display_name).where(User.username == entry.actor)).first()
    who = f"{name}（{entry.actor}）" if name and name != entry.actor else entry.actor
    return f"{who}于 {local_time(entry.at)} {_action(entry)}"


def conflict_context(session: Session, item: Item, refusal: str, typed: dict[str, str]) -> dict:
    """The refusal of a stale form: why, who changed the item since, and what the person typed."""
    who = (
        f"最后一次修改：{last_change(session, item)}。"
        "你填写的内容保留在下面，请对照现在的情况修改后重新提交。"
    )
    kept = [(KEPT_LABELS.get(key, key), value) for key, value in typed.items() if value.strip()]
    return {"errors": [refusal, who], "kept": kept}


def item_context(session: Session, viewer: Viewer, loaded: Loaded, **extra) -> dict:
    item, plan, units = loaded.item, loaded.plan, loaded.units
    today = clock_today()
    reports = visible_reports(session, viewer, loaded)
    # 督办 (deadline, note, history) is for those who may see the 督办 board: not a guest.
    sees_supervision = can_view_supervision(viewer)
    active = (
        supervision.active_supervisions(session, item_ids=[item.id]).get(item.id)
        if sees_supervision
        else None
    )
    return {
        "item": item,
        "plan": plan,
        "units": units,
        "span": span_label(item.start, item.end),
        "lunar": lunar_span(item.text, item.start, item.end),
        "status_label": status_label(item.status, item.end, today),
        "overdue": is_overdue(item.status, item.end, today),
        # "done" is reached by 销号 only, so the plain status form does not offer it.
        "statuses": [(s, STATUS_LABELS[s]) for s in ITEM_STATUSES if s != "done"],
        "closed_at": local_time(item.closed_at),
        "closed_by": actor_labels(session, [item.closed_by] if item.closed_by else []).get(
            item.closed_by or "", item.closed_by
        ),
        "can_close": can_close_item(viewer, plan, units),
        "direct_close": direct_close(session, viewer, plan),
        "pending_closing": closing_review.pending_of(session, item),
        "closable": item.status in ACTIVE and item.removed_in is None,
        "can_supervise": can_supervise(viewer, plan),
        "supervision": active,
        "supervision_label": supervision.supervision_label(active, item.status, today),
        "supervision_late": supervision.is_supervision_overdue(active, item.status, today),
        "reports": _report_views(session, reports),
        "history": history(session, loaded, reports, with_supervision=sees_supervision),
        "can_edit": can_edit_item(viewer, plan, units),
        "can_report": can_report(viewer, plan, units),
        "removed": item.removed_in is not None,
        "max_files": MAX_FILES_PER_REPORT,
        "errors": [],
        "form": {},
        **extra,
    }


# ---------------------------------------------------------------- changes


def parse_revision(raw: str | None) -> int | None:
    """The item revision a form was made from (blank: not given, no check)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise EduplanError("表单中的版本号不正确，请刷新页面后再提交")
    return int(raw)


def change_status(
    session: Session, viewer: Viewer, loaded: Loaded, status: str, revision: int | None = None
) -> bool:
    """Set the stored status (audited, revision bumped); False when it was already that.
    "done" is refused here: it takes a 销号 with a completion report (``close``)."""
    if not can_edit_item(viewer, loaded.plan, loaded.units):
        raise HTTPException(403, "只有负责这项工作的科室或局办公室可以更改状态")
    if status not in ITEM_STATUSES:
        raise EduplanError("状态只能是：" + "、".join(STATUS_LABELS.values()))
    progress.check_revision(loaded.item, revision)
    return progress.set_status(session, loaded.item, status, viewer.username)


def direct_close(session: Session, viewer: Viewer, plan: Plan) -> bool:
    """Whether the viewer's 销号 closes the item at once: the bureau office (管理员, the reviewer)
    always; an office only when its bureau chose one-step closing, else it applies for review."""
    return viewer.is_admin or closing_review.one_step(session, plan.bureau_id)


def close(
    session: Session,
    viewer: Viewer,
    loaded: Loaded,
    text: str,
    files: list[CheckedFile],
    revision: int | None = None,
) -> ProgressReport | ClosingRequest:
    """销号: the completion report (text, optional evidence files) closes the item — or, for an
    office of a bureau that has not chosen one-step closing, makes it a 申请销号 for the bureau
    office to review (``closing_review.apply``); the item stays open."""
    if not can_close_item(viewer, loaded.plan, loaded.units):
        raise HTTPException(403, "只有负责这项工作的科室或局办公室可以销号")
    check_file_count(files)
    if not direct_close(session, viewer, loaded.plan):
        progress.check_revision(loaded.item, revision)
        org = session.get(Organisation, viewer.org_id) if viewer.org_id is not None else None
        return closing_review.apply(
            session,
            loaded.item,
            bureau_id=loaded.plan.bureau_id,
            org=org,
            org_name=viewer.org_name or "局办公室",
            author=viewer.display_name or viewer.username,
            actor=viewer.username,
            text=text,
            attachments=files,
        )
    made = progress.close(
        session,
        loaded.item,
        text=text,
        author=viewer.display_name or viewer.username,
        actor=viewer.username,
        org_id=viewer.org_id,
        org_name=viewer.org_name,
        attachments=files,
        revision=revision,
    )
    closing_review.settle_on_close(
        session,
        loaded.item,
        reviewer_org="局办公室" if viewer.is_admin else viewer.org_name or "局办公室",
        reviewer=viewer.display_name or viewer.username,
        actor=viewer.username,
    )
    return made


def reopen(
    session: Session, viewer: Viewer, loaded: Loaded, reason: str, revision: int | None = None
) -> ProgressReport:
    if not can_close_item(viewer, loaded.plan, loaded.units):
        raise HTTPException(403, "只有负责这项工作的科室或局办公室可以重新打开")
    return progress.reopen(
        session,
        loaded.item,
        reason=reason,
        author=viewer.display_name or viewer.username,
        actor=viewer.username,
        org_id=viewer.org_id,
        org_name=viewer.org_name,
        revision=revision,
    )


def parse_day(raw: str | None) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise EduplanError("督办期限要填日期，如 2024-09-20") from None


def supervise(
    session: Session, viewer: Viewer, loaded: Loaded, deadline: str, note: str, revision: int | None = None
) -> Supervision:
    """督办 (or change the deadline and note of an active one): leaders only."""
    if not can_supervise(viewer, loaded.plan):
        raise HTTPException(403, "只有局领导（管理员）可以督办")
    progress.check_revision(loaded.item, revision)
    return supervision.supervise(
        session, loaded.item, deadline=parse_day(deadline), note=note, actor=viewer.username
    )


def lift_supervision(session: Session, viewer: Viewer, loaded: Loaded) -> Supervision | None:
    """Lift the active 督办; None when there was none (lifting twice is not an error, as
    revoking a link twice is not)."""
    if not can_supervise(viewer, loaded.plan):
        raise HTTPException(403, "只有局领导（管理员）可以解除督办")
    if not supervision.active_supervisions(session, item_ids=[loaded.item.id]):
        return None
    return supervision.lift(session, loaded.item, viewer.username)


def parse_percent(raw: str | None) -> int | None:
    raw = (raw or "").strip().rstrip("%％")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise EduplanError("完成进度要填 0 到 100 之间的整数") from None
    if not 0 <= value <= 100:
        raise EduplanError("完成进度要填 0 到 100 之间的整数")
    return value


def add_report(
    session: Session, viewer: Viewer, loaded: Loaded, text: str, percent: int | None, files: list[CheckedFile]
) -> ProgressReport:
    if not can_report(viewer, loaded.plan, loaded.units):
        raise HTTPException(403, "这项工作没有安排给你的单位，不能提交进度")
    text = text.strip()
    if not text:
        raise EduplanError("请填写进展情况")
    if len(text) > MAX_REPORT_CHARS:
        raise EduplanError(f"进展情况太长（不超过 {MAX_REPORT_CHARS} 字）")
    check_file_count(files)
    return progress.add_report(
        session,
        loaded.item,
        text=text,
        percent=percent,
        author=viewer.display_name or viewer.username,
        actor=viewer.username,
        org_id=viewer.org_id,
        org_name=viewer.org_name,
        attachments=files,
    )


def load_attachment(session: Session, viewer: Viewer, attachment_id: int) -> Attachment:
    """The attachment if the viewer may see its report: 404 outside the bureau, 403 inside."""
    attachment = session.get(Attachment, attachment_id)
    report = session.get(ProgressReport, attachment.report_id) if attachment else None
    found = load_item(session, report.item_id) if report else None
    if found is None or not same_bureau(viewer, found[1].bureau_id):
        raise HTTPException(404, "找不到这个附件")
    _, plan, units = found
    if not can_view_report(viewer, plan, units, report):
        raise HTTPException(403, "你的单位不能查看这份进度报告的附件")
    return attachment
