"""The import screen's review: the original lines beside the items read from them, every edit
saved to the draft as it is made (``ledger/review.py``) and kept as a correction of its own
(``ledger/corrections.py``), conflicts from a re-import decided, then an explicit publish.
The routes in ``routes/review.py`` check who is asking and hand over to these functions."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from fastapi import HTTPException
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import corrections, review
from eduplan.ledger.models import Draft, Organisation
from eduplan.web.auth import Viewer

LOW_CONFIDENCE = 0.6
SPLIT_MARKS = ("||", "｜｜")
"""Typed into an item's text, marks where to split it (the button uses the cursor instead)."""


def can_import(session: Session, viewer: Viewer) -> bool:
    """管理员, or an office the bureau gave import rights."""
    if viewer.is_admin:
        return True
    if viewer.role != "office" or viewer.org_id is None:
        return False
    org = session.get(Organisation, viewer.org_id)
    return bool(org is not None and org.import_rights and org.bureau_id == viewer.bureau_id)


def load(session: Session, viewer: Viewer, draft_id: int) -> Draft:
    draft = session.get(Draft, draft_id)
    if draft is None or draft.bureau_id != viewer.bureau_id:
        raise HTTPException(404, "找不到这份导入草稿")
    return draft


# ---------------------------------------------------------------- what the page shows


@dataclass
class Card:
    """One item as the review shows it, with what needs a look."""

    index: int
    rid: str
    title: str
    text: str
    start: str
    end: str
    units: str
    section: str
    lines: list[int]
    confidence: float
    checked: bool
    added: bool
    flags: list[str] = field(default_factory=list)
    """Chinese notes on fields to check: a doubtful inherited date, no date, no units where the
    document names units elsewhere, low confidence."""
    date_origin: str = "row"  # row | inherited | missing | person

    @property
    def needs_look(self) -> bool:
        return bool(self.flags) and not self.checked


def _date_origin(item: dict, line_text: str | None) -> str:
    """Where the item's date came from: its own line (``row``), the heading or week row above
    (``inherited``), nowhere (``missing``); a person's check overrides."""
    if (item.get("review") or {}).get("checked"):
        return "person"
    if not item.get("start"):
        return "missing"
    from eduplan.understand.timex import TimeContext, find_mentions

    ctx = TimeContext(default_year=int(str(item["start"])[:4]))
    return "row" if line_text and find_mentions(line_text, ctx) else "inherited"


INHERITED_DOUBT = 0.8
"""A date taken from a heading or week row above is flagged when the reader's confidence in the
item is below this (a month heading's whole month is read at 0.8 and usually right)."""


def cards(draft: Draft) -> list[Card]:
    lines = draft.lines or []
    out = []
    any_units = any(item.get("departments") for item in draft.plan.get("items") or [])
    for i, item in enumerate(draft.plan.get("items") or []):
        rv = item.get("review") or {}
        claimed = [n for n in rv.get("lines") or [] if 1 <= n <= len(lines)]
        line_text = str(lines[claimed[0] - 1]) if claimed else None
        card = Card(
            index=i,
            rid=review.rid_of(item),
            title=str(item.get("title") or ""),
            text=str(item.get("text") or ""),
            start=item.get("start") or "",
            end=item.get("end") or "",
            units="、".join(item.get("departments") or []),
            section=str(item.get("section") or ""),
            lines=claimed,
            confidence=float(item.get("confidence", 1.0)),
            checked=bool(rv.get("checked")),
            added=bool(rv.get("added")),
        )
        card.date_origin = _date_origin(item, line_text)
        if card.date_origin == "inherited" and card.confidence < INHERITED_DOUBT:
            card.flags.append("日期未在本行写明，是从上面的标题或周次推出的，把握不大")
        elif card.date_origin == "missing":
            card.flags.append("没有日期")
        if not card.units and any_units:
            card.flags.append("没有责任单位（本文档其他事项写了）")
        if card.confidence < LOW_CONFIDENCE:
            card.flags.append(f"把握不大（{card.confidence * 100:.0f}%）")
        out.append(card)
    return out


def line_rows(draft: Draft) -> list[dict]:
    """The original lines, each with the items that claim it (indices) or none."""
    claims: dict[int, list[int]] = {}
    for i, item in enumerate(draft.plan.get("items") or []):
        for n in (item.get("review") or {}).get("lines") or []:
            claims.setdefault(n, []).append(i)
    rows = []
    for n, text in enumerate(draft.lines or [], 1):
        text = str(text)
        rows.append({"no": n, "text": text, "claimed_by": claims.get(n, []), "blank": not text.strip()})
    return rows


def targets(draft: Draft) -> list[dict]:
    return [
        {**t, "rid": review.rid_of(t), "index": i, "line": int((t.get("source") or {}).get("line") or 0)}
        for i, t in enumerate(draft.plan.get("targets") or [])
    ]


def context(session: Session, draft: Draft, **extra) -> dict:
    plan = draft.plan
    items = cards(draft)
    only_look = bool(extra.pop("look", False))
    pending = corrections.conflicts(session, draft)
    kept = corrections.corrections_of(session, draft)
    state = corrections.review_state(draft)
    return {
        "conflict_groups": conflict_groups(session, draft, pending),
        "active": "import",
        "draft": draft,
        "plan": plan,
        "period": plan.get("period") or {},
        "cards": items,
        "shown": [c for c in items if c.needs_look] if only_look else items,
        "look": only_look,
        "look_count": sum(1 for c in items if c.needs_look),
        "lines": line_rows(draft),
        "unclaimed": sum(1 for r in line_rows(draft) if not r["claimed_by"] and not r["blank"]),
        "targets": targets(draft),
        "conflicts": pending,
        "kept": kept,
        "reapplied": state.get("applied", 0),
        "revision": corrections.against_published(session, draft),
        "warnings": plan.get("warnings") or [],
        "kinds": review.KIND_LABELS,
        "ops": review.OP_LABELS,
        "field_labels": review.FIELD_LABELS,
        "header_roles": corrections.HEADER_ROLES,
        "school_types": corrections.SCHOOL_TYPES,
        "learned": corrections.learned(session, draft.bureau_id),
        "show": corrections.show_value,
        "describe": describe,
        "published": draft.published_plan_id is not None,
        "errors": [],
        **extra,
    }


def conflict_groups(session: Session, draft: Draft, rows: list) -> list[dict]:
    """Conflicts by what they touched (an item's date is two corrections, one decision), named
    as the earlier draft knew it."""
    earlier_id = corrections.review_state(draft).get("earlier_draft")
    earlier = session.get(Draft, earlier_id) if earlier_id else None
    known = {}
    if earlier is not None:
        for entry in (earlier.plan.get("items") or []) + (earlier.plan.get("targets") or []):
            known[review.rid_of(entry)] = entry.get("title") or entry.get("indicator")
    groups: dict[str, dict] = {}
    for row in rows:
        kind, _, rid = row.target.partition(":")
        if kind == "item":
            label = f"事项“{known.get(rid) or '（已不在）'}”"
        elif kind == "target":
            label = f"指标“{known.get(rid) or '（已不在）'}”"
        elif kind == "header":
            label = "文档信息"
        else:
            label = "新增的事项"
        group = groups.setdefault(row.target, {"label": label, "rows": [], "notes": [], "now": None})
        if kind == "item" and group["now"] is None:
            now_rid = corrections.successor(session, draft, rid)
            at = review.find(draft.plan.get("items") or [], now_rid) if now_rid else None
            if at is not None:
                group["now"] = draft.plan["items"][at].get("title")
        group["rows"].append(row)
        if row.note and row.note not in group["notes"]:
            group["notes"].append(row.note)
    return list(groups.values())


def describe(row) -> str:
    """A stored correction in Chinese, for the lists of kept and conflicting ones."""
    return corrections.describe_change(row)


# ---------------------------------------------------------------- edits


def _check_open(draft: Draft) -> None:
    if draft.published_plan_id is not None:
        raise EduplanError("这份草稿已经发布，不能再修改；请重新上传文件")


def _apply(session: Session, viewer: Viewer, draft: Draft, work) -> None:
    """Run one operation on a copy of the plan; keep it and its corrections only if it worked."""
    _check_open(draft)
    plan = copy.deepcopy(draft.plan)
    changes = work(plan)
    corrections.set_plan(draft, plan)
    corrections.record(session, draft, changes, viewer.username)


def item_action(session: Session, viewer: Viewer, draft: Draft, form) -> str:
    """The item forms' buttons: save, split, delete, merge, up, down, add. Returns the anchor
    to go back to."""
    action = str(form.get("action") or "save")
    rid = str(form.get("rid") or "")
    values = {name: str(form.get(name) or "") for name in ("title", "text", "start", "end", "units")}
    sent = {name: name in form for name in values}
    edits = {("departments" if name == "units" else name): values[name] for name in values if sent[name]}
    if action == "add":
        picked = [int(v) for v in form.getlist("line") if str(v).isdigit()]
        extra = {k: v for k, v in edits.items() if v and k != "title"}
        after = str(form.get("after") or "") or None

        def work(plan):
            return review.add_item(
                plan, picked, draft.lines or [], after=after, title=values["title"], values=extra
            )

        _apply(session, viewer, draft, work)
        return "items"
    if action == "split":
        text = values["text"]
        mark = next((m for m in SPLIT_MARKS if m in text), None)
        if mark:
            at = text.index(mark)
            edits["text"] = text.replace(mark, "", 1)
            values["text"] = edits["text"]
        else:
            raw = str(form.get("at") or "").strip()
            if not raw.isdigit():
                raise EduplanError("请先在原文框里把光标放到要拆开的位置（或输入 || 标出位置），再点“拆分”")
            at = int(raw)

        def work(plan):
            changes = review.edit_item(plan, rid, edits) if edits.get("title") else []
            return changes + review.split_item(plan, rid, at)

        _apply(session, viewer, draft, work)
        return f"item-{rid}"
    operations = {
        "save": lambda plan: review.edit_item(plan, rid, edits),
        "delete": lambda plan: review.delete_item(plan, rid),
        "merge": lambda plan: review.merge_next(plan, rid),
        "up": lambda plan: review.move_item(plan, rid, -1),
        "down": lambda plan: review.move_item(plan, rid, 1),
    }
    if action not in operations:
        raise EduplanError("无法识别的操作")
    _apply(session, viewer, draft, operations[action])
    return "items" if action == "delete" else f"item-{rid}"


def header_action(session: Session, viewer: Viewer, draft: Draft, form) -> None:
    names = ("title", "issuer", "kind", "period_start", "period_end")
    values = {n: str(form.get(n) or "") for n in names if n in form}
    _apply(session, viewer, draft, lambda plan: review.edit_header(plan, values))


def target_action(session: Session, viewer: Viewer, draft: Draft, form) -> None:
    action = str(form.get("action") or "save")
    rid = str(form.get("rid") or "")
    values = {n: str(form.get(n) or "") for n in review.TARGET_FIELDS if n in form}
    if action == "add":
        _apply(session, viewer, draft, lambda plan: review.add_target(plan, values))
    elif action == "delete":
        _apply(session, viewer, draft, lambda plan: review.delete_target(plan, rid))
    elif action == "save":
        _apply(session, viewer, draft, lambda plan: review.edit_target(plan, rid, values))
    else:
        raise EduplanError("无法识别的操作")


def decide(session: Session, viewer: Viewer, draft: Draft, form) -> None:
    """One decision for the corrections of one item (``correction`` may come several times)."""
    _check_open(draft)
    waiting = {row.id for row in corrections.conflicts(session, draft)}
    # An id no longer waiting was decided already (a second click, another admin): passed over.
    ids = [int(v) for v in form.getlist("correction") if str(v).isdigit() and int(v) in waiting]
    for correction_id in ids:
        corrections.decide(session, draft, correction_id, form.get("keep") == "1", viewer.username)


def teach(session: Session, viewer: Viewer, draft: Draft, form) -> str:
    kind = str(form.get("kind") or "")
    key = str(form.get("key") or "")
    value = str(form.get("value") or "")
    if kind == "week1":
        key = "week1"
    hint = corrections.learn(session, draft.bureau_id, kind, key, value, viewer.username, draft.source_name)
    return corrections.HINT_KINDS[hint.kind]


def publish(session: Session, viewer: Viewer, draft: Draft):
    from eduplan.web.views import imports as pages_import

    waiting = corrections.conflicts(session, draft)
    if waiting:
        raise EduplanError(f"还有 {len(waiting)} 条以前的更正等待决定（保留或放弃），决定后才能发布")
    result = pages_import.publish(session, viewer, draft)
    from eduplan.ledger.unit_review import file_under_school

    file_under_school(session, draft.bureau_id, draft.plan.get("issuer"), result.new_units)
    return result


# ---------------------------------------------------------------- units in bulk


def units_context(session: Session, viewer: Viewer, done: str | None, error: str | None = None) -> dict:
    from eduplan.ledger import unit_review

    return {
        "active": "admin",
        "pending": unit_review.pending_units(session, viewer.bureau_id),
        "known": unit_review.known_units(session, viewer.bureau_id),
        "schools": unit_review.schools(session, viewer.bureau_id),
        "actions": unit_review.ACTIONS,
        "done": done if done and done.isdigit() else None,
        "error": error,
    }


def units_bulk(session: Session, viewer: Viewer, form) -> int:
    """Several units at once: ticked rows take the action chosen above them (with its unit or
    school), every row may also have its own action."""
    from eduplan.ledger import unit_review

    bureau = session.get(Organisation, viewer.bureau_id)
    if bureau is None:
        raise EduplanError("你的账号没有所属教育局")
    ticked = {int(v) for v in form.getlist("unit") if str(v).isdigit()}
    bulk_action = str(form.get("bulk_action") or "keep")
    bulk_other = str(form.get("bulk_other") or "")
    decisions = []
    for pending in unit_review.pending_units(session, viewer.bureau_id):
        action = str(form.get(f"action-{pending.id}") or "keep")
        other = str(form.get(f"other-{pending.id}") or "")
        if pending.id in ticked and bulk_action != "keep":
            action, other = bulk_action, bulk_other
        decisions.append((pending.id, action, int(other) if other.isdigit() else None))
    return unit_review.apply(session, bureau, decisions, viewer.username)


def set_import_rights(session: Session, viewer: Viewer, org_id: int, grant: bool) -> None:
    from eduplan.ledger import audit

    org = session.get(Organisation, org_id)
    if org is None or org.bureau_id != viewer.bureau_id or org.kind != "office":
        raise HTTPException(404, "找不到这个科室")
    before = {"import_rights": org.import_rights}
    org.import_rights = grant
    audit.record(
        session, viewer.username, "import_rights", "organisation", org.id, before, {"import_rights": grant}
    )
