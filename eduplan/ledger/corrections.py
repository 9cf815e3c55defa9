"""People's corrections as their own layer, and what they teach about a bureau.

* Each edit on the import screen is stored as an :class:`ImportCorrection` of the draft, named
  by the document (``doc_key``) and a stable identity of what it touched (``review.py``).
* When the same document comes again (a revised copy, or the same file read anew), the
  corrections of its last published draft are replayed on the new reading: those that still
  fit are applied and kept as the new draft's; the others wait as conflicts for a person's
  decision — never silently undone, never silently re-applied over a changed source.
* Some corrections are about the bureau, not the row: a unit's alias (a clerk renamed 基础教育股
  to 基教股), a column header's meaning, a school's type, the term's first week. They are kept
  as :class:`LearnedHint` rows and used when the bureau's next document is read.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.diff import Key, match
from eduplan.ledger.models import Draft, ImportCorrection, Item, LearnedHint, Plan
from eduplan.ledger.review import Change, Outcome, prepare, replay
from eduplan.text import normalize

KEY_CHARS = 300
HINT_KINDS = {
    "unit_alias": "单位别名",
    "header_role": "表头含义",
    "school_type": "学校类型",
    "week1": "学期第一周",
}
HEADER_ROLES = {
    "units": "责任单位",
    "co_units": "配合单位",
    "time": "日期/时间",
    "week": "周次",
    "task": "工作内容",
    "detail": "要求与说明",
    "theme": "主题",
    "seq": "序号",
    "progress": "进展情况",
}
"""Roles a clerk may give a column header (``understand.tablewords`` roles), with their names."""
SCHOOL_TYPES = (
    "幼儿园",
    "小学",
    "初中",
    "高中",
    "九年一贯制",
    "完全中学",
    "十二年一贯制",
    "职业学校",
    "特殊教育学校",
)
"""Types a clerk may give a school, kept as a learned hint until schools have types of their own."""


def doc_key(plan: dict) -> str:
    """What ties the readings of one document together: the title as read, else the file stem
    (the same rule as ``importer.plan_key``, on the reader's plan before any correction)."""
    key = normalize(str(plan.get("title") or "")) or normalize(
        PurePath(str((plan.get("source") or {}).get("name") or "")).stem
    )
    return key[:KEY_CHARS] or "untitled"


def _as_change(row: ImportCorrection) -> Change:
    return Change(row.op, row.target, row.field, row.before, row.after)


def _store(
    session: Session, draft: Draft, change: Change, actor: str, status: str = "active", note=None, key=None
):
    row = ImportCorrection(
        bureau_id=draft.bureau_id,
        doc_key=key or review_state(draft).get("doc_key") or doc_key(draft.plan),
        draft_id=draft.id,
        op=change.op,
        target=change.target,
        field=change.field,
        before=change.before,
        after=change.after,
        status=status,
        note=note,
        created_by=actor[:64],
        created_at=now(),
    )
    session.add(row)
    return row


def review_state(draft: Draft) -> dict:
    return dict((draft.plan or {}).get("review") or {})


def set_plan(draft: Draft, plan: dict) -> None:
    """A new object, so the JSON column is seen as changed."""
    draft.plan = copy.deepcopy(plan)


# ---------------------------------------------------------------- starting a review


@dataclass
class Started:
    applied: int = 0
    conflicts: int = 0
    earlier_draft: int | None = None


def start_review(session: Session, draft: Draft, actor: str) -> Started:
    """Give the draft's items their review ids and replay the corrections stored for the same
    document (once per draft). Returns what was re-applied and what conflicts."""
    state = review_state(draft)
    if state.get("started"):
        return Started(state.get("applied", 0), state.get("conflicts", 0), state.get("earlier_draft"))
    plan = prepare(draft.plan, draft.lines)
    key = doc_key(plan)
    plan["review"] = {"started": True, "doc_key": key}
    # The plan is assigned once, at the end: the queries below autoflush, and a dict assigned
    # before them and changed after would be taken for the committed value.
    earlier = session.scalar(
        select(ImportCorrection.draft_id)
        .join(Draft, Draft.id == ImportCorrection.draft_id)
        .where(
            ImportCorrection.bureau_id == draft.bureau_id,
            ImportCorrection.doc_key == key,
            ImportCorrection.status == "active",
            Draft.published_plan_id.is_not(None),
            Draft.id != draft.id,
        )
        .order_by(ImportCorrection.draft_id.desc())
        .limit(1)
    )
    started = Started(earlier_draft=earlier)
    if earlier is not None:
        rows = session.scalars(
            select(ImportCorrection)
            .where(ImportCorrection.draft_id == earlier, ImportCorrection.status == "active")
            .order_by(ImportCorrection.id)
        ).all()
        outcome = replay(plan, draft.lines or [], [_as_change(r) for r in rows])
        for change in outcome.applied:
            _store(session, draft, change, actor, key=key)
        for change, reason in outcome.conflicts:
            _store(session, draft, change, actor, "conflict", reason, key=key)
        started.applied, started.conflicts = len(outcome.applied), len(outcome.conflicts)
    plan["review"].update(applied=started.applied, conflicts=started.conflicts, earlier_draft=earlier)
    set_plan(draft, plan)
    session.flush()
    return started


def replay_for_cli(session: Session, bureau_id: int, plan: dict, lines: list) -> tuple[dict, Outcome]:
    """``eduplan import``: the plan with the corrections of the document's last published draft
    re-applied; conflicts are not applied and are reported."""
    prepared = prepare(plan, lines)
    key = doc_key(prepared)
    earlier = session.scalar(
        select(ImportCorrection.draft_id)
        .join(Draft, Draft.id == ImportCorrection.draft_id)
        .where(
            ImportCorrection.bureau_id == bureau_id,
            ImportCorrection.doc_key == key,
            ImportCorrection.status == "active",
            Draft.published_plan_id.is_not(None),
        )
        .order_by(ImportCorrection.draft_id.desc())
        .limit(1)
    )
    if earlier is None:
        return prepared, Outcome()
    rows = session.scalars(
        select(ImportCorrection)
        .where(ImportCorrection.draft_id == earlier, ImportCorrection.status == "active")
        .order_by(ImportCorrection.id)
    ).all()
    return prepared, replay(prepared, lines, [_as_change(r) for r in rows])


# ---------------------------------------------------------------- recording edits


def record(session: Session, draft: Draft, changes: list[Change], actor: str) -> None:
    """Store a person's changes as the draft's corrections. A field edited twice is one
    correction (first value before, last after); one edited back to what was read is none."""
    for change in changes:
        learn_from(session, draft, change, actor)
        if change.op in ("edit", "edit_target"):
            earlier = session.scalars(
                select(ImportCorrection).where(
                    ImportCorrection.draft_id == draft.id,
                    ImportCorrection.op == change.op,
                    ImportCorrection.target == change.target,
                    ImportCorrection.field == change.field,
                    ImportCorrection.status == "active",
                )
            ).first()
            if earlier is not None:
                if earlier.before == change.after:
                    session.delete(earlier)
                else:
                    earlier.after = change.after
                continue
        _store(session, draft, change, actor)
    session.flush()


def record_diff(session: Session, draft: Draft, before: dict, actor: str) -> int:
    """Corrections for what changed between ``before`` and the draft's plan now, item by review
    id (the old one-table form edits several rows at once). Returns how many."""
    from eduplan.ledger import review

    now_items = {review.rid_of(i): i for i in draft.plan.get("items") or []}
    changes: list[Change] = []
    for old in before.get("items") or []:
        rid = review.rid_of(old)
        new = now_items.get(rid)
        if new is None:
            changes.append(
                Change("delete", f"item:{rid}", None, {"title": old.get("title"), "text": old.get("text")})
            )
            continue
        for name in review.ITEM_FIELDS:
            if old.get(name) != new.get(name):
                changes.append(Change("edit", f"item:{rid}", name, old.get(name), new.get(name)))
    for name in review.HEADER_FIELDS:
        if review.header_value(before, name) != review.header_value(draft.plan, name):
            changes.append(
                Change(
                    "edit",
                    "header",
                    name,
                    review.header_value(before, name),
                    review.header_value(draft.plan, name),
                )
            )
    record(session, draft, changes, actor)
    return len(changes)


def learn_from(session: Session, draft: Draft, change: Change, actor: str) -> None:
    """A unit renamed in an item (one name out, one in, the rest kept) teaches an alias."""
    if change.op != "edit" or change.field != "departments":
        return
    before, after = list(change.before or []), list(change.after or [])
    gone = [u for u in before if u not in after]
    new = [u for u in after if u not in before]
    if len(gone) == 1 and len(new) == 1:
        learn(session, draft.bureau_id, "unit_alias", gone[0], new[0], actor, draft.source_name)


def learn(
    session: Session, bureau_id: int, kind: str, key: str, value: str, actor: str, source: str | None = None
) -> LearnedHint:
    """Remember a hint for the bureau (the newest for a kind and key wins)."""
    if kind not in HINT_KINDS:
        raise EduplanError("无法识别的提示类型")
    key, value = key.strip()[:300], value.strip()[:300]
    if not key or not value:
        raise EduplanError("提示的两项都要填写")
    if kind == "header_role":
        from eduplan.understand.tablewords import header_key

        key = header_key(key)
        if value not in HEADER_ROLES:
            raise EduplanError("表头含义只能从列出的几种里选")
    if kind == "school_type" and value not in SCHOOL_TYPES:
        raise EduplanError("学校类型只能从列出的几种里选")
    if kind == "week1":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise EduplanError(f"“{value}”不是有效日期（格式如 2024-09-02）") from None
    for old in _active(session, bureau_id):
        if old.kind == kind and old.key == key:
            old.revoked_at = now()
    hint = LearnedHint(
        bureau_id=bureau_id,
        kind=kind,
        key=key,
        value=value,
        source=(source or "")[:500] or None,
        created_by=actor[:64],
        created_at=now(),
    )
    session.add(hint)
    session.flush()
    audit.record(session, actor, "learn", "hint", hint.id, None, {"kind": kind, "key": key, "value": value})
    return hint


def _active(session: Session, bureau_id: int) -> list[LearnedHint]:
    return list(
        session.scalars(
            select(LearnedHint)
            .where(LearnedHint.bureau_id == bureau_id, LearnedHint.revoked_at.is_(None))
            .order_by(LearnedHint.id)
        )
    )


def learned(session: Session, bureau_id: int) -> list[dict]:
    """The bureau's hints in force, for the admin page."""
    rows = []
    for h in _active(session, bureau_id):
        value = HEADER_ROLES.get(h.value, h.value) if h.kind == "header_role" else h.value
        rows.append(
            {
                "id": h.id,
                "kind": HINT_KINDS.get(h.kind, h.kind),
                "key": h.key,
                "value": value,
                "source": h.source,
                "by": h.created_by,
            }
        )
    return rows


def revoke(session: Session, bureau_id: int, hint_id: int, actor: str) -> None:
    hint = session.get(LearnedHint, hint_id)
    if hint is None or hint.bureau_id != bureau_id or hint.revoked_at is not None:
        raise EduplanError("找不到这条已学到的提示")
    hint.revoked_at = now()
    audit.record(session, actor, "revoke", "hint", hint.id, {"key": hint.key, "value": hint.value}, None)


@dataclass
class Hints:
    """A bureau's hints as the reading uses them."""

    unit_aliases: dict[str, str] = field(default_factory=dict)
    header_roles: dict[str, str] = field(default_factory=dict)
    school_types: dict[str, str] = field(default_factory=dict)
    week1: date | None = None

    def __bool__(self) -> bool:
        return bool(self.unit_aliases or self.header_roles or self.school_types or self.week1)

    def reader(self):
        from eduplan.understand import ReaderHints

        return ReaderHints(header_roles=dict(self.header_roles))


def hints_for(session: Session, bureau_id: int | None) -> Hints:
    hints = Hints()
    if bureau_id is None:
        return hints
    for h in _active(session, bureau_id):
        if h.kind == "unit_alias":
            hints.unit_aliases[normalize(h.key)] = h.value
        elif h.kind == "header_role":
            hints.header_roles[h.key] = h.value
        elif h.kind == "school_type":
            hints.school_types[h.key] = h.value
        elif h.kind == "week1":
            hints.week1 = date.fromisoformat(h.value)
    return hints


def apply_unit_aliases(plan: dict, hints: Hints) -> dict:
    """Units named as the bureau's clerk taught (基础教育股 → 基教股) in a plan JSON."""
    if not hints.unit_aliases:
        return plan
    plan = copy.deepcopy(plan)
    for item in plan.get("items") or []:
        names = [hints.unit_aliases.get(normalize(u), u) for u in item.get("departments") or []]
        item["departments"] = list(dict.fromkeys(names))
    return plan


def read_with_hints(
    session: Session, bureau_id: int | None, data: bytes, name: str, year: int | None = None, limits=None
) -> tuple[dict, list]:
    """Read a document for a bureau with what it taught: the plan JSON and the lines (none
    for a plan JSON, taken as it is)."""
    from eduplan.documents import is_plan_json, plan_from_bytes
    from eduplan.read import read_bytes
    from eduplan.settings import Limits
    from eduplan.understand import understand

    if is_plan_json(data):
        return plan_from_bytes(data, name, year=year, limits=limits).to_json(), []
    hints = hints_for(session, bureau_id)
    doc = read_bytes(data, name, limits=limits or Limits.from_env())
    plan = understand(doc, year=year, hints=hints.reader() if hints else None).to_json()
    return apply_unit_aliases(plan, hints), list(doc.lines)


def import_with_corrections(
    session: Session,
    data: bytes,
    name: str,
    *,
    bureau: str | None = None,
    actor: str = "命令行",
    year: int | None = None,
    limits=None,
):
    """``eduplan import``: read with the bureau's hints, re-apply the corrections people made to
    the same document's last published draft, store the plan. Conflicting corrections are not
    applied (the reading stands) and come back for the report. Returns (result, outcome)."""
    from eduplan.ledger.importer import DEFAULT_BUREAU, import_plan
    from eduplan.ledger.orgs import bureau_by_name
    from eduplan.plan import Plan as ParsedPlan

    if not data:
        raise EduplanError(f"{name} 是空文件")
    known = bureau_by_name(session, bureau) if bureau else None
    plan, lines = read_with_hints(session, known.id if known else None, data, name, year, limits)
    if known is None:
        known = bureau_by_name(session, bureau or plan.get("issuer") or DEFAULT_BUREAU)
        if known is not None and hints_for(session, known.id):
            plan, lines = read_with_hints(session, known.id, data, name, year, limits)
    outcome = Outcome()
    if known is not None:
        plan, outcome = replay_for_cli(session, known.id, plan, lines)
    from eduplan.ledger.unit_review import file_under_school

    parsed = ParsedPlan.from_json(plan)
    result = import_plan(session, parsed, data, bureau=bureau, actor=actor)
    owner = bureau_by_name(session, result.bureau)
    if owner is not None:
        file_under_school(session, owner.id, parsed.issuer, result.new_units)
    return result, outcome


# ---------------------------------------------------------------- conflicts and decisions


def conflicts(session: Session, draft: Draft) -> list[ImportCorrection]:
    return list(
        session.scalars(
            select(ImportCorrection)
            .where(ImportCorrection.draft_id == draft.id, ImportCorrection.status == "conflict")
            .order_by(ImportCorrection.id)
        )
    )


def corrections_of(session: Session, draft: Draft) -> list[ImportCorrection]:
    return list(
        session.scalars(
            select(ImportCorrection)
            .where(ImportCorrection.draft_id == draft.id, ImportCorrection.status == "active")
            .order_by(ImportCorrection.id)
        )
    )


def decide(session: Session, draft: Draft, correction_id: int, keep: bool, actor: str) -> None:
    """A person's decision on a conflict: ``keep`` applies the earlier correction over the new
    reading (where what it touched is still there), else it is dropped."""
    row = session.get(ImportCorrection, correction_id)
    if row is None or row.draft_id != draft.id or row.status != "conflict":
        raise EduplanError("找不到这条待决定的更正，可能已经处理过了")
    if keep:
        from eduplan.ledger import review

        plan = copy.deepcopy(draft.plan)
        change = _as_change(row)
        forced = Change(change.op, change.target, change.field, None, change.after)
        kind, _, rid = change.target.partition(":")
        if change.op == "edit" and kind == "header":
            review.edit_header(plan, {change.field: change.after or ""})
        elif change.op == "edit" and (
            review.find(plan.get("items") or [], rid) is not None or successor(session, draft, rid)
        ):
            if review.find(plan.get("items") or [], rid) is None:
                rid = successor(session, draft, rid) or rid
                row.target = f"item:{rid}"  # the item as the new version has it, for the next one
            value = change.after if change.field not in ("start", "end") else (change.after or "")
            forced.before = review.find_item(plan, rid).get(change.field)
            review.edit_item(plan, rid, {change.field: value})
        elif change.op == "edit_target" and review.find(plan.get("targets") or [], rid) is not None:
            review.edit_target(plan, rid, {change.field: "" if change.after is None else change.after})
        else:
            raise EduplanError("新版本里已没有这条更正所改的内容，只能放弃，或在下面直接修改")
        set_plan(draft, plan)
        row.status, row.before = "active", forced.before if forced.before is not None else row.before
    else:
        row.status = "dropped"
    audit.record(session, actor, "decide", "correction", row.id, None, {"keep": keep})
    session.flush()


SUCCESSOR_SIMILARITY = 0.6
"""An item of the new version is taken for a changed item of the earlier one when its text is at
least this similar (and it is not an item the earlier version had as it is)."""


def earlier_entry(session: Session, draft: Draft, rid: str) -> dict | None:
    """The item ``rid`` as the draft the corrections came from had it."""
    from eduplan.ledger import review

    earlier_id = review_state(draft).get("earlier_draft")
    earlier = session.get(Draft, earlier_id) if earlier_id else None
    if earlier is None:
        return None
    at = review.find(earlier.plan.get("items") or [], rid)
    return earlier.plan["items"][at] if at is not None else None


def successor(session: Session, draft: Draft, rid: str) -> str | None:
    """The item of this draft that a changed item of the earlier one became: the most similar
    text among the items the earlier one did not have."""
    from difflib import SequenceMatcher

    from eduplan.ledger import review

    old = earlier_entry(session, draft, rid)
    if old is None:
        return None
    earlier_id = review_state(draft).get("earlier_draft")
    earlier = session.get(Draft, earlier_id)
    known = {review.rid_of(i) for i in earlier.plan.get("items") or []}
    text = normalize(str(old.get("text") or ""))
    best, best_score = None, SUCCESSOR_SIMILARITY
    for item in draft.plan.get("items") or []:
        if review.rid_of(item) in known:
            continue
        score = SequenceMatcher(None, text, normalize(str(item.get("text") or "")), autojunk=False).ratio()
        if score >= best_score:
            best, best_score = review.rid_of(item), score
    return best


# ---------------------------------------------------------------- against the published plan


@dataclass
class Revision:
    """What publishing this draft would change in an already published plan."""

    plan_id: int
    version: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, str]] = field(default_factory=list)


def against_published(session: Session, draft: Draft) -> Revision | None:
    """The published plan this draft would revise (same bureau, same title key), and what its
    items would gain, lose and change; None for a new plan."""
    from eduplan.ledger.importer import plan_key
    from eduplan.plan import Plan as ParsedPlan

    try:
        parsed = ParsedPlan.from_json(draft.plan)
    except ValueError:
        return None
    keys = {plan_key(parsed)}
    published = review_state(draft).get("doc_key")
    if published:
        keys.add(published)
    existing = session.scalars(
        select(Plan).where(Plan.bureau_id == draft.bureau_id, Plan.key.in_(keys))
    ).first()
    if existing is None and draft.published_plan_id is None:
        earlier = review_state(draft).get("earlier_draft")
        earlier_draft = session.get(Draft, earlier) if earlier else None
        if earlier_draft is not None and earlier_draft.published_plan_id:
            existing = session.get(Plan, earlier_draft.published_plan_id)
    if existing is None or existing.id == draft.published_plan_id:
        return None
    old = session.scalars(
        select(Item).where(Item.plan_id == existing.id, Item.removed_in.is_(None)).order_by(Item.seq)
    ).all()
    matching = match(
        [Key(i.norm_text, i.start, i.end) for i in old],
        [Key(normalize(i.text), i.start, i.end) for i in parsed.items],
    )
    return Revision(
        existing.id,
        existing.current_version,
        added=[parsed.items[j].title for j in matching.added],
        removed=[old[i].title for i in matching.removed],
        changed=[(old[i].title, parsed.items[j].title) for i, j in matching.changed],
    )


def show_value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        return "；".join(f"{k}：{show_value(v)}" for k, v in value.items() if k not in ("rid", "after"))
    return str(value)


def describe_change(row) -> str:
    """A correction (a ``Change`` or a stored row) in Chinese, for people."""
    from eduplan.ledger import review

    what = review.FIELD_LABELS.get(row.field or "", "")
    show = show_value
    if row.op == "edit" and row.target == "header":
        return f"文档{what}：{show(row.before)} → {show(row.after)}"
    if row.op == "edit":
        return f"事项{what}：{show(row.before)} → {show(row.after)}"
    if row.op == "edit_target":
        return f"指标{what}：{show(row.before)} → {show(row.after)}"
    if row.op == "delete":
        return f"删除事项：{show((row.before or {}).get('title'))}"
    if row.op == "split":
        return f"拆分事项：{show((row.before or {}).get('text'))[:40]}"
    if row.op == "merge":
        return "与下一项合并"
    if row.op == "move":
        return "调整顺序"
    if row.op == "add":
        return f"新增事项：{show((row.after or {}).get('title'))}"
    if row.op == "add_target":
        return f"新增指标：{show((row.after or {}).get('indicator'))}"
    if row.op == "delete_target":
        return f"删除指标：{show((row.before or {}).get('indicator'))}"
    return row.op
