"""Store a parsed plan in the ledger: a new plan, a revised version of one, or nothing at all.

* The same file again (same SHA-256 within the bureau) changes nothing.
* A file whose title names a plan the bureau already has is that plan's next version: its items
  are matched to the ledger's (``diff.match``); unchanged and changed items keep their rows, so
  status and progress recorded against them are kept; the rest are added or marked removed.
* A revised file whose items and targets are all unchanged adds no version.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.bulk import insert_rows
from eduplan.ledger.clock import now
from eduplan.ledger.diff import Key, match
from eduplan.ledger.models import Item, ItemUnit, Organisation, Plan, PlanVersion, Target
from eduplan.ledger.orgs import OrgDirectory, get_or_create_bureau
from eduplan.ledger.search import deferred, index_new_items
from eduplan.ledger.terms import store_term_of
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.plan import Target as PlanTarget
from eduplan.text import normalize

DEFAULT_BUREAU = "本教育局"
"""The bureau a plan is filed under when neither --bureau nor the document names one."""
KEY_CHARS = 300


@dataclass
class ImportResult:
    """What an import did, for a person: counts and the titles of what changed."""

    bureau: str
    plan_id: int
    title: str | None
    version: int
    status: str  # created | revised | unchanged | same_content
    items: int = 0
    targets: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        name = self.title or "（无标题）"
        if self.status == "unchanged":
            return f"{name}：与已导入的第 {self.version} 版是同一文件，未作改动"
        if self.status == "same_content":
            return f"{name}：内容与第 {self.version} 版相同，未建新版本"
        head = f"{name}：第 {self.version} 版，事项 {self.items} 项，指标 {self.targets} 项"
        if self.status == "revised":
            head += f"；新增 {len(self.added)}、删除 {len(self.removed)}、修改 {len(self.changed)}"
        if self.new_units:
            head += f"；新建待核对单位 {len(self.new_units)} 个"
        return head


def plan_key(plan: ParsedPlan) -> str:
    """What ties the versions of one plan together: its normalised title, else its file name."""
    key = normalize(plan.title) or normalize(PurePath(str(plan.source.get("name") or "")).stem)
    return key[:KEY_CHARS] or "untitled"


def import_plan(
    session: Session,
    plan: ParsedPlan,
    content: bytes,
    *,
    bureau: str | None = None,
    actor: str = "命令行",
) -> ImportResult:
    """Store ``plan`` (read from ``content``) under a bureau; the caller commits."""
    owner = get_or_create_bureau(session, bureau or plan.issuer or DEFAULT_BUREAU, actor)
    sha = hashlib.sha256(content).hexdigest()
    seen = session.execute(
        select(Plan, PlanVersion.number)
        .join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .where(Plan.bureau_id == owner.id, PlanVersion.sha256 == sha)
    ).first()
    directory = OrgDirectory(session, owner, actor)
    if seen is not None:
        # The same file again. Unchanged — unless a person corrected what was read from it on
        # the import screen: then the corrections are that plan's next version.
        known, number = seen
        result = _revise(session, known, plan, content, sha, directory, actor)
        if result.status == "same_content":
            result = ImportResult(
                owner.name, known.id, known.title, number, "unchanged", items=_live_count(session, known)
            )
        result.bureau = owner.name
        result.new_units = list(directory.created)
        return result

    existing = session.scalars(
        select(Plan).where(Plan.bureau_id == owner.id, Plan.key == plan_key(plan))
    ).first()
    if existing is None:
        result = _create(session, owner.id, plan, content, sha, directory, actor)
    else:
        result = _revise(session, existing, plan, content, sha, directory, actor)
    result.bureau = owner.name
    result.new_units = list(directory.created)
    result.warnings = list(plan.warnings)
    return result


def _live_count(session: Session, plan: Plan) -> int:
    return len(
        session.scalars(select(Item.id).where(Item.plan_id == plan.id, Item.removed_in.is_(None))).all()
    )


def _version(
    plan_id: int, number: int, parsed: ParsedPlan, content: bytes, sha: str, actor: str, changes
) -> PlanVersion:
    source = parsed.source
    return PlanVersion(
        plan_id=plan_id,
        number=number,
        source_name=str(source.get("name") or "")[:500],
        sha256=sha,
        format=str(source.get("format") or "txt")[:16],
        encoding=(str(source["encoding"])[:32] if source.get("encoding") else None),
        content=content,
        warnings=list(parsed.warnings),
        changes=changes,
        imported_at=now(),
        imported_by=actor,
    )


def _create(
    session, bureau_id, parsed: ParsedPlan, content, sha, directory: OrgDirectory, actor
) -> ImportResult:
    at = now()
    plan = Plan(
        bureau_id=bureau_id,
        key=plan_key(parsed),
        title=parsed.title,
        kind=parsed.kind,
        issuer=parsed.issuer,
        period_start=parsed.period_start,
        period_end=parsed.period_end,
        current_version=1,
        created_at=at,
        updated_at=at,
    )
    session.add(plan)
    session.flush()
    plan.term_id = store_term_of(session, bureau_id, parsed)
    counts = {"items": len(parsed.items), "targets": len(parsed.targets)}
    session.add(_version(plan.id, 1, parsed, content, sha, actor, counts))
    _insert_items(session, plan.id, 1, list(enumerate(parsed.items)), directory, at)
    _insert_targets(session, plan.id, 1, list(enumerate(parsed.targets)))
    audit.record(
        session, actor, "import", "plan", plan.id, None, {"title": parsed.title, "version": 1, **counts}
    )
    return ImportResult(
        "", plan.id, parsed.title, 1, "created", items=len(parsed.items), targets=len(parsed.targets)
    )


def _item_row(plan_id: int, version: int, seq: int, item: PlanItem, at) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "uid": uuid.uuid4().hex,
        "seq": seq,
        "title": item.title,
        "text": item.text,
        "norm_text": normalize(item.text),
        "start": item.start,
        "end": item.end,
        "section": item.section,
        "line": item.line,
        "confidence": item.confidence,
        "status": "open",
        "added_in": version,
        "removed_in": None,
        "revision": 1,
        "created_at": at,
        "updated_at": at,
    }


def _insert_items(session, plan_id, version, items: list[tuple[int, PlanItem]], directory, at) -> list[int]:
    """Insert items and their unit links in two statements, then their search rows in one;
    returns the new ids in order."""
    if not items:
        return []
    table = Item.__table__
    rows = [_item_row(plan_id, version, seq, item, at) for seq, item in items]
    org_ids = iter(directory.resolve_many([name for _, item in items for name in item.departments]))
    with deferred(session):
        insert_rows(session, table, rows)
        inserted = select(table.c.uid, table.c.id).where(
            table.c.plan_id == plan_id, table.c.added_in == version
        )
        by_uid = dict(session.execute(inserted).all())
        ids = [by_uid[row["uid"]] for row in rows]
        unit_rows = []
        for item_id, (_, item) in zip(ids, items, strict=True):
            linked = _dedupe([next(org_ids) for _ in item.departments])
            unit_rows += [{"item_id": item_id, "org_id": o, "position": p} for p, o in enumerate(linked)]
        if unit_rows:
            insert_rows(session, ItemUnit.__table__, unit_rows)
    index_new_items(session, plan_id, version)
    return list(ids)


def _target_row(plan_id: int, version: int, seq: int, target: PlanTarget) -> dict[str, Any]:
    return {
        "plan_id": plan_id,
        "seq": seq,
        "indicator": target.indicator,
        "norm": normalize(target.indicator),
        "text": target.text,
        "op": target.op,
        "value": target.value,
        "unit": target.unit,
        "deadline": target.deadline,
        "line": target.line,
        "added_in": version,
        "removed_in": None,
    }


def _insert_targets(session, plan_id, version, targets: list[tuple[int, PlanTarget]]) -> None:
    if targets:
        insert_rows(session, Target.__table__, [_target_row(plan_id, version, seq, t) for seq, t in targets])


# ---------------------------------------------------------------- a revised version


def _item_state(item: Item, unit_names: list[str]) -> dict[str, Any]:
    return {
        "title": item.title,
        "text": item.text,
        "start": item.start,
        "end": item.end,
        "section": item.section,
        "units": unit_names,
    }


def _revise(
    session, plan: Plan, parsed: ParsedPlan, content, sha, directory: OrgDirectory, actor
) -> ImportResult:
    at = now()
    number = plan.current_version + 1
    old_items = session.scalars(
        select(Item).where(Item.plan_id == plan.id, Item.removed_in.is_(None)).order_by(Item.seq)
    ).all()
    old_units: dict[int, list[int]] = {}
    links = select(ItemUnit).where(ItemUnit.item_id.in_([i.id for i in old_items]))
    for link in session.scalars(links.order_by(ItemUnit.item_id, ItemUnit.position)):
        old_units.setdefault(link.item_id, []).append(link.org_id)
    names = dict(session.execute(_org_names(directory.bureau.id)).all())

    new_keys = [Key(normalize(i.text), i.start, i.end) for i in parsed.items]
    matching = match([Key(i.norm_text, i.start, i.end) for i in old_items], new_keys)

    changed_items: list[tuple[Item, PlanItem, int]] = []
    for i, j in matching.same:
        new_ids = [directory.resolve(n) for n in parsed.items[j].departments]
        if _dedupe(new_ids) != old_units.get(old_items[i].id, []):
            changed_items.append((old_items[i], parsed.items[j], j))
    changed_items += [(old_items[i], parsed.items[j], j) for i, j in matching.changed]
    changed_ids = {item.id for item, _, _ in changed_items}
    same_pairs = [(old_items[i], j) for i, j in matching.same if old_items[i].id not in changed_ids]

    old_targets = session.scalars(
        select(Target).where(Target.plan_id == plan.id, Target.removed_in.is_(None)).order_by(Target.seq)
    ).all()
    target_same, target_changed, target_added, target_removed = _match_targets(old_targets, parsed.targets)

    if not (
        changed_items
        or matching.added
        or matching.removed
        or target_changed
        or target_added
        or target_removed
    ):
        return ImportResult(
            "", plan.id, plan.title, plan.current_version, "same_content", items=len(old_items)
        )

    entries: list[tuple] = []
    # Unchanged items only follow the new document's order and line numbers.
    moves = [
        {"b_id": item.id, "b_seq": j, "b_line": parsed.items[j].line}
        for item, j in same_pairs
        if (item.seq, item.line) != (j, parsed.items[j].line)
    ]
    if moves:
        session.connection().execute(
            update(Item.__table__)
            .where(Item.__table__.c.id == bindparam("b_id"))
            .values(seq=bindparam("b_seq"), line=bindparam("b_line")),
            moves,
        )
    for item, new, j in changed_items:
        before = _item_state(item, [names.get(o, "") for o in old_units.get(item.id, [])])
        item.title, item.text, item.norm_text = new.title, new.text, normalize(new.text)
        item.start, item.end, item.section = new.start, new.end, new.section
        item.seq, item.line, item.confidence, item.updated_at = j, new.line, new.confidence, at
        item.revision = Item.revision + 1  # in the UPDATE itself: a concurrent bump is not lost
        item.units = [
            ItemUnit(org_id=o, position=p)
            for p, o in enumerate(_dedupe([directory.resolve(n) for n in new.departments]))
        ]
        entries.append(
            (
                actor,
                "revise",
                "item",
                item.id,
                before,
                {**_item_state(item, list(new.departments)), "version": number},
            )
        )
    for i in matching.removed:
        item = old_items[i]
        item.removed_in, item.updated_at = number, at
        entries.append(
            (actor, "remove", "item", item.id, {"title": item.title, "text": item.text}, {"version": number})
        )
    added_ids = _insert_items(
        session, plan.id, number, [(j, parsed.items[j]) for j in matching.added], directory, at
    )
    entries += [
        (actor, "add", "item", item_id, None, {"title": parsed.items[j].title, "version": number})
        for item_id, j in zip(added_ids, matching.added, strict=True)
    ]

    for old, new, j in target_changed:
        before = {"indicator": old.indicator, "op": old.op, "value": old.value, "unit": old.unit}
        old.indicator, old.text, old.op, old.value, old.unit = (
            new.indicator,
            new.text,
            new.op,
            new.value,
            new.unit,
        )
        old.deadline, old.line, old.seq = new.deadline, new.line, j
        entries.append(
            (
                actor,
                "revise",
                "target",
                old.id,
                before,
                {"indicator": new.indicator, "op": new.op, "value": new.value, "unit": new.unit},
            )
        )
    for old in target_removed:
        old.removed_in = number
        entries.append((actor, "remove", "target", old.id, {"indicator": old.indicator}, {"version": number}))
    _insert_targets(session, plan.id, number, [(j, parsed.targets[j]) for j in target_added])

    changes = {
        "added": len(matching.added),
        "removed": len(matching.removed),
        "changed": len(changed_items),
        "targets_added": len(target_added),
        "targets_removed": len(target_removed),
        "targets_changed": len(target_changed),
    }
    session.add(_version(plan.id, number, parsed, content, sha, actor, changes))
    before_plan = {
        "title": plan.title,
        "version": plan.current_version,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
    }
    plan.title, plan.kind, plan.issuer = parsed.title, parsed.kind, parsed.issuer
    plan.period_start, plan.period_end = parsed.period_start, parsed.period_end
    plan.current_version, plan.updated_at = number, at
    plan.term_id = store_term_of(session, plan.bureau_id, parsed) or plan.term_id
    entries.append(
        (actor, "import", "plan", plan.id, before_plan, {"title": plan.title, "version": number, **changes})
    )
    audit.record_many(session, entries)
    session.flush()
    live = len(old_items) - len(matching.removed) + len(matching.added)
    return ImportResult(
        "",
        plan.id,
        plan.title,
        number,
        "revised",
        items=live,
        targets=len(target_same) + len(target_changed) + len(target_added),
        added=[parsed.items[j].title for j in matching.added],
        removed=[old_items[i].title for i in matching.removed],
        changed=[new.title for _, new, _ in changed_items],
    )


def _dedupe(ids: list[int]) -> list[int]:
    return list(dict.fromkeys(ids))


def _org_names(bureau_id: int):
    return select(Organisation.id, Organisation.name).where(Organisation.bureau_id == bureau_id)


def _match_targets(old: list[Target], new: list[PlanTarget]):
    """Targets pair on their normalised indicator: equal figures are the same, others changed."""
    by_norm: dict[str, list[Target]] = {}
    for target in old:
        by_norm.setdefault(target.norm, []).append(target)
    same, changed, added = [], [], []
    for j, target in enumerate(new):
        candidates = by_norm.get(normalize(target.indicator))
        if not candidates:
            added.append(j)
            continue
        old_target = candidates.pop(0)
        if (old_target.op, old_target.value, old_target.unit) == (target.op, target.value, target.unit):
            same.append(old_target)
        else:
            changed.append((old_target, target, j))
    removed = [t for ts in by_norm.values() for t in ts]
    return same, changed, added, removed


def read_and_import(
    session: Session,
    data: bytes,
    name: str,
    *,
    bureau: str | None = None,
    actor: str = "命令行",
    year: int | None = None,
    limits=None,
) -> ImportResult:
    """Understand a document's bytes and import the plan (``eduplan import`` and the web upload)."""
    from eduplan.documents import plan_from_bytes

    if not data:
        raise EduplanError(f"{name} 是空文件")
    parsed = plan_from_bytes(data, name, year=year, limits=limits)
    return import_plan(session, parsed, data, bureau=bureau, actor=actor)
