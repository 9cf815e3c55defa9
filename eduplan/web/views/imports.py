"""The import screen's work: read an upload into a draft, show it for review, take a person's
corrections, publish the corrected plan into the ledger. The routes in ``routes/imports.py``
only check who is asking and hand over to these functions."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.calendar.holidays import WEEKDAY_NAMES
from eduplan.documents import DOCUMENT_SUFFIXES, PLAN_JSON_SUFFIXES
from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.importer import ImportResult, import_plan
from eduplan.ledger.models import Draft, Organisation, User
from eduplan.plan import Plan
from eduplan.read.sizes import file_too_big, human_size
from eduplan.settings import Limits
from eduplan.supervise import assignments
from eduplan.web.auth import Viewer
from eduplan.web.views.items import local_time

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.6
BODY_SLACK = 64 * 1024
"""Room for the multipart envelope and the other form fields above the file size limit."""
ACCEPT = ",".join(DOCUMENT_SUFFIXES + PLAN_JSON_SUFFIXES)
"""The upload field's ``accept`` list: every document the reader takes, and plan JSON."""
UNIT_SEPARATORS = "、，,；;/"
MAX_TITLE_CHARS = 300
RECENT_DRAFTS = 10
MIN_YEAR, MAX_YEAR = 2000, 2099


def upload_limit() -> int:
    return Limits.from_env().max_file_bytes


def body_too_big(content_length: str | None) -> str | None:
    """A Chinese message when the request announces a body far above the file limit."""
    try:
        size = int(content_length or "")
    except ValueError:
        return None
    limit = upload_limit()
    if size > limit + BODY_SLACK:
        return str(file_too_big(size, limit))
    return None


def read_upload(data: bytes, name: str, year: int | None = None, hints=None) -> tuple[Plan, list[str]]:
    """The plan the reader makes of an upload, and the document's numbered lines, read in this
    process (``eduplan.jobs.reading.read_plan``; the upload route reads in a child process);
    ``hints`` what the bureau taught (``ledger.corrections.Hints``)."""
    from eduplan.jobs.reading import read_plan

    return read_plan(data, name, year, header_roles=hints.header_roles if hints else None)


def parse_year(raw: str | None) -> int | None:
    """The optional 年份 field of the upload form."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        raise EduplanError(f"年份要填 {MIN_YEAR} 到 {MAX_YEAR} 之间的四位数字，如 2024")
    return int(raw)


def create_draft(session: Session, viewer: Viewer, name: str, data: bytes, year: int | None = None) -> Draft:
    """Read the upload and keep it as a draft; ReadError (Chinese) when it cannot be read."""
    from eduplan.ledger.corrections import apply_unit_aliases, hints_for

    hints = hints_for(session, viewer.bureau_id)
    plan, lines = read_upload(data, name, year, hints)
    draft = Draft(
        user_id=viewer.id,
        bureau_id=viewer.bureau_id,
        source_name=name[:500],
        content=data,
        lines=lines,
        plan=apply_unit_aliases(plan.to_json(), hints),
        created_at=now(),
    )
    session.add(draft)
    session.flush()
    audit.record(
        session, viewer.username, "upload", "draft", draft.id, None, {"name": name, "items": len(plan.items)}
    )
    return draft


def load_draft(session: Session, viewer: Viewer, draft_id: int) -> Draft:
    draft = session.get(Draft, draft_id)
    if draft is None or draft.bureau_id != viewer.bureau_id:
        raise HTTPException(404, "找不到这份导入草稿")
    return draft


def recent_drafts(session: Session, viewer: Viewer) -> list[dict]:
    rows = session.execute(
        select(Draft.id, Draft.source_name, Draft.created_at, Draft.published_plan_id, User.display_name)
        .join(User, User.id == Draft.user_id)
        .where(Draft.bureau_id == viewer.bureau_id)
        .order_by(Draft.id.desc())
        .limit(RECENT_DRAFTS)
    )
    return [
        {"id": i, "name": n, "created_at": local_time(at), "published_plan_id": p, "by": by}
        for i, n, at, p, by in rows
    ]


# ---------------------------------------------------------------- the preview


@dataclass
class Row:
    """One item of the draft as the preview table shows it (values as text, for the inputs)."""

    index: int
    title: str
    start: str
    end: str
    units: str
    text: str
    section: str
    line: int
    line_text: str | None
    confidence: float
    drop: bool = False
    error: str | None = None
    notes: str = ""  # a proposed item's origin and how its date was found (next term's draft)

    @property
    def low(self) -> bool:
        return self.confidence < LOW_CONFIDENCE

    @property
    def weekday_span(self) -> str:
        """``周一`` or ``周一至周五`` for the dates as saved."""
        days = []
        for value in (self.start, self.end):
            try:
                days.append(WEEKDAY_NAMES[date.fromisoformat(value).weekday()])
            except ValueError:
                return ""
        if days[0] == days[1] and self.start == self.end:
            return days[0]
        return f"{days[0]}至{days[1]}"


def _line_text(lines: list, line: int) -> str | None:
    if 1 <= line <= len(lines):
        return str(lines[line - 1])
    return None


def preview_rows(draft: Draft) -> list[Row]:
    rows = []
    for i, item in enumerate(draft.plan.get("items") or []):
        line = int((item.get("source") or {}).get("line") or 0)
        rows.append(
            Row(
                index=i,
                title=str(item.get("title") or ""),
                start=item.get("start") or "",
                end=item.get("end") or "",
                units="、".join(item.get("departments") or []),
                text=str(item.get("text") or ""),
                section=str(item.get("section") or ""),
                line=line,
                line_text=_line_text(draft.lines or [], line),
                confidence=float(item.get("confidence", 1.0)),
                notes=str(item.get("notes") or ""),
            )
        )
    return rows


def preview_targets(draft: Draft) -> list[dict]:
    targets = []
    for target in draft.plan.get("targets") or []:
        line = int((target.get("source") or {}).get("line") or 0)
        targets.append({**target, "line": line, "line_text": _line_text(draft.lines or [], line)})
    return targets


def preview_context(draft: Draft, rows: list[Row] | None = None, **extra) -> dict:
    plan = draft.plan
    rows = preview_rows(draft) if rows is None else rows
    return {
        "active": "import",
        "draft": draft,
        "plan": plan,
        "plan_title": extra.pop("plan_title", None) or plan.get("title") or "",
        "rows": rows,
        "low_count": sum(1 for r in rows if r.low),
        "targets": preview_targets(draft),
        "warnings": plan.get("warnings") or [],
        "source": plan.get("source") or {},
        "period": plan.get("period") or {},
        "line_count": len(draft.lines or []),
        "errors": [],
        **extra,
    }


# ---------------------------------------------------------------- corrections


def split_units(text: str) -> list[str]:
    """``基教股、各学校`` → ["基教股", "各学校"] (also accepts ， , ； ; /)."""
    for sep in UNIT_SEPARATORS[1:]:
        text = text.replace(sep, UNIT_SEPARATORS[0])
    return list(dict.fromkeys(u.strip() for u in text.split(UNIT_SEPARATORS[0]) if u.strip()))


def _parse_day(value: str, what: str, row_no: int) -> tuple[date | None, str | None]:
    value = value.strip()
    if not value:
        return None, None
    try:
        return date.fromisoformat(value), None
    except ValueError:
        return None, f"第 {row_no} 行：{what}“{value}”不是有效日期（格式如 2024-09-02）"


def apply_corrections(draft: Draft, form) -> tuple[list[Row], list[str], str]:
    """Read the preview form into the draft's plan. Returns (rows as submitted, errors, plan
    title); with errors nothing is saved, so the person can fix them and send again."""
    rows = preview_rows(draft)
    errors: list[str] = []
    plan_title = str(form.get("plan_title", draft.plan.get("title") or "")).strip()
    if len(plan_title) > MAX_TITLE_CHARS:
        errors.append(f"计划标题太长（不超过 {MAX_TITLE_CHARS} 字）")
    items = [dict(item) for item in draft.plan.get("items") or []]
    kept = []
    for row, item in zip(rows, items, strict=True):
        n = row.index + 1
        row.title = str(form.get(f"title-{row.index}", row.title)).strip()
        row.start = str(form.get(f"start-{row.index}", row.start)).strip()
        row.end = str(form.get(f"end-{row.index}", row.end)).strip()
        row.units = str(form.get(f"units-{row.index}", row.units)).strip()
        row.drop = form.get(f"drop-{row.index}") is not None
        if row.drop:
            continue
        problems = []
        if not row.title:
            problems.append(f"第 {n} 行：标题不能为空")
        elif len(row.title) > MAX_TITLE_CHARS:
            problems.append(f"第 {n} 行：标题太长（不超过 {MAX_TITLE_CHARS} 字）")
        start, bad_start = _parse_day(row.start, "开始日期", n)
        end, bad_end = _parse_day(row.end, "结束日期", n)
        problems += [p for p in (bad_start, bad_end) if p]
        if not (bad_start or bad_end):
            if start is None and end is not None:
                problems.append(f"第 {n} 行：填了结束日期就要填开始日期")
            elif start is not None and end is not None and end < start:
                problems.append(f"第 {n} 行：结束日期 {end} 早于开始日期 {start}")
        if problems:
            row.error = "；".join(problems)
            errors += problems
            continue
        end = end or start
        units = split_units(row.units)
        changed = (
            row.title != item.get("title")
            or (start.isoformat() if start else None) != item.get("start")
            or (end.isoformat() if end else None) != item.get("end")
            or units != list(item.get("departments") or [])
        )
        item.update(
            title=row.title,
            start=start.isoformat() if start else None,
            end=end.isoformat() if end else None,
            departments=units,
        )
        if changed:
            item["confidence"] = 1.0  # a person has checked it
        kept.append(item)
    if errors:
        return rows, errors, plan_title
    plan = dict(draft.plan)
    plan["items"] = kept
    plan["title"] = plan_title or plan.get("title")
    Plan.from_json(plan)  # still the contract
    # A new object, so the JSON column is seen as changed.
    draft.plan = json.loads(json.dumps(plan, ensure_ascii=False))
    return rows, [], plan_title


# ---------------------------------------------------------------- publishing


STATUS_LABELS = {
    "created": "新建计划",
    "revised": "已有计划的新版本",
    "unchanged": "同一文件已导入过，未作改动",
    "same_content": "内容与已导入的版本相同，未建新版本",
}


def publish(session: Session, viewer: Viewer, draft: Draft) -> ImportResult:
    if draft.published_plan_id is not None:
        raise EduplanError("这份草稿已经发布过了")
    bureau = session.get(Organisation, viewer.bureau_id)
    if bureau is None:
        raise EduplanError("你的账号没有所属教育局，无法发布")
    plan = Plan.from_json(draft.plan)
    if not plan.items and not plan.targets:
        raise EduplanError("草稿里没有事项也没有指标，没有可发布的内容")
    result = import_plan(session, plan, _published_bytes(draft), bureau=bureau.name, actor=viewer.username)
    draft.published_plan_id = result.plan_id
    assignments.distribute_plan(session, result.plan_id, viewer.username)  # 分发 to member schools
    audit.record(session, viewer.username, "publish", "draft", draft.id, None, {"plan_id": result.plan_id})
    return result


def _published_bytes(draft: Draft) -> bytes:
    """What the new version keeps as its file: the upload; for a draft eduplan proposed (no file
    of its own) the plan JSON as published, so two proposals are never taken for the same file."""
    if draft.origin == "proposal":
        return json.dumps(draft.plan, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
    return draft.content


def too_big_message(size: int) -> str:
    return str(file_too_big(size, upload_limit()))


def limit_label() -> str:
    return human_size(upload_limit())


def safe_name(filename: str) -> str:
    """The uploaded file's own name without any path (shown and stored as the source name)."""
    from eduplan.web.uploads import safe_filename

    return safe_filename(filename)


def discard(session: Session, viewer: Viewer, draft: Draft) -> None:
    audit.record(session, viewer.username, "discard", "draft", draft.id, {"name": draft.source_name}, None)
    session.delete(draft)
