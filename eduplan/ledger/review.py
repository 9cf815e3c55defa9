"""Editing a draft before it is published, as operations on its plan JSON.

Every operation changes the draft's plan (a dict of the ``eduplan.plan/1`` contract) and returns
the :class:`Change` records that describe it in terms that survive a re-reading of the same
document: items are named by a review id (``rid``) made from their normalised source text and
its occurrence, not by their position. ``corrections.py`` stores the changes as their own layer
and replays them on the next version (:func:`replay`).

Review data rides along in the plan JSON under ``review`` keys (the contract allows added
fields; ``Plan.from_json`` ignores them when the draft is published).
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eduplan.errors import EduplanError
from eduplan.plan import KINDS, OPS
from eduplan.text import normalize

ITEM_FIELDS = ("title", "text", "start", "end", "departments")
HEADER_FIELDS = ("title", "issuer", "kind", "period_start", "period_end")
TARGET_FIELDS = ("indicator", "op", "value", "unit", "deadline", "lead")
MAX_CHARS = 2000
MAX_TITLE_CHARS = 300
TITLE_CHARS = 40
"""A title made from text (a split part, an item made from lines) is its first clause, at most this."""
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?]")
_LEAD_MARK = re.compile(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]{1,3}[)）.、．]\s*)+")
UNIT_SEPARATORS = "、，,；;/"

FIELD_LABELS = {
    "title": "标题",
    "text": "原文",
    "start": "开始日期",
    "end": "结束日期",
    "departments": "责任单位",
    "issuer": "发文单位",
    "kind": "类型",
    "period_start": "计划开始",
    "period_end": "计划结束",
    "indicator": "指标",
    "op": "比较",
    "value": "目标值",
    "unit": "单位",
    "deadline": "期限",
    "lead": "牵头单位",
}
KIND_LABELS = {"calendar": "行事历", "plan": "工作计划", "summary": "工作总结", "compilation": "汇编"}
OP_LABELS = {">=": "不低于", "<=": "不高于", "=": "等于", "~": "约", ">": "高于", "<": "低于"}


@dataclass
class Change:
    """One correction as stored: ``op`` on ``target`` (``item:<rid>``, ``header``,
    ``target:<rid>``, ``lines:<digest>``), the field it set, the value before and after."""

    op: str
    target: str
    field: str | None = None
    before: Any = None
    after: Any = None


@dataclass
class Outcome:
    """What a replay did with the stored corrections."""

    applied: list[Change] = field(default_factory=list)
    conflicts: list[tuple[Change, str]] = field(default_factory=list)


# ---------------------------------------------------------------- identities


def _digest(text: str) -> str:
    return hashlib.sha1(normalize(text).encode("utf-8")).hexdigest()[:12]


def prepare(plan: dict, lines: list | None = None) -> dict:
    """The plan with a review id and claimed lines on each item and target (a copy; ids that
    are there already are kept). Ids come from the normalised text and its occurrence, so the
    same document read again gives the same ids."""
    plan = copy.deepcopy(plan)
    seen: dict[str, int] = {}
    for item in plan.get("items") or []:
        review = item.setdefault("review", {})
        if "rid" not in review:
            base = _digest(str(item.get("text") or item.get("title") or ""))
            review["rid"] = f"{base}.{seen.get(base, 0)}"
            seen[base] = seen.get(base, 0) + 1
        if "lines" not in review:
            line = int((item.get("source") or {}).get("line") or 0)
            review["lines"] = [line] if line else []
    seen = {}
    for target in plan.get("targets") or []:
        review = target.setdefault("review", {})
        if "rid" not in review:
            base = _digest(str(target.get("indicator") or ""))
            review["rid"] = f"{base}.{seen.get(base, 0)}"
            seen[base] = seen.get(base, 0) + 1
    return plan


def rid_of(entry: dict) -> str:
    return str((entry.get("review") or {}).get("rid") or "")


def find(entries: list[dict], rid: str) -> int | None:
    return next((i for i, e in enumerate(entries) if rid_of(e) == rid), None)


def find_item(plan: dict, rid: str) -> dict:
    return plan["items"][_index(plan, rid)]


def _index(plan: dict, rid: str) -> int:
    at = find(plan.get("items") or [], rid)
    if at is None:
        raise EduplanError("找不到这个事项，可能已被别人修改；请刷新页面")
    return at


def claimed_lines(plan: dict) -> set[int]:
    return {n for item in plan.get("items") or [] for n in (item.get("review") or {}).get("lines") or []}


# ---------------------------------------------------------------- values


def split_units(text: str) -> list[str]:
    """``基教股、各学校`` → ["基教股", "各学校"] (also accepts ， , ； ; /)."""
    for sep in UNIT_SEPARATORS[1:]:
        text = text.replace(sep, UNIT_SEPARATORS[0])
    return list(dict.fromkeys(u.strip() for u in text.split(UNIT_SEPARATORS[0]) if u.strip()))


def _day(value: Any, what: str) -> str | None:
    value = str(value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise EduplanError(f"{what}“{value}”不是有效日期（格式如 2024-09-02）") from None


def _text(value: Any, what: str, limit: int = MAX_CHARS, required: bool = False) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise EduplanError(f"{what}不能为空")
    if len(value) > limit:
        raise EduplanError(f"{what}太长（不超过 {limit} 字）")
    return value


def title_from(text: str) -> str:
    """A short title for an item made from text: its first clause without a list number."""
    text = _LEAD_MARK.sub("", text.strip())
    clause = _CLAUSE_END.split(text, maxsplit=1)[0].strip()
    return (clause or text)[:TITLE_CHARS]


def _clean_item_values(values: dict) -> dict:
    out: dict[str, Any] = {}
    if "title" in values:
        out["title"] = _text(values["title"], "标题", MAX_TITLE_CHARS, required=True)
    if "text" in values:
        out["text"] = _text(values["text"], "原文")
    if "start" in values:
        out["start"] = _day(values["start"], "开始日期")
    if "end" in values:
        out["end"] = _day(values["end"], "结束日期")
    if "departments" in values:
        raw = values["departments"]
        out["departments"] = split_units(raw) if isinstance(raw, str) else [str(u) for u in raw]
    return out


def _check_span(item: dict) -> None:
    start, end = item.get("start"), item.get("end")
    if start is None and end is not None:
        raise EduplanError("填了结束日期就要填开始日期")
    if start and end and end < start:
        raise EduplanError(f"结束日期 {end} 早于开始日期 {start}")


# ---------------------------------------------------------------- item operations


def edit_item(plan: dict, rid: str, values: dict) -> list[Change]:
    """Set some of title, text, start, end, departments (a list, or text with 、)."""
    items = plan["items"]
    item = items[_index(plan, rid)]
    clean = _clean_item_values(values)
    if (
        "start" in clean
        and "end" not in clean
        and item.get("end")
        and clean["start"]
        and item["end"] < clean["start"]
    ):
        clean["end"] = clean["start"]
    trial = {**item, **clean}
    if trial.get("start") and not trial.get("end"):
        trial["end"] = trial["start"]
        clean["end"] = trial["start"]
    _check_span(trial)
    changes = []
    for name in ITEM_FIELDS:
        if name in clean and clean[name] != item.get(name):
            changes.append(Change("edit", f"item:{rid}", name, item.get(name), clean[name]))
            item[name] = clean[name]
    if changes:
        item["confidence"] = 1.0  # a person has checked it
        item.setdefault("review", {})["checked"] = True
    return changes


def delete_item(plan: dict, rid: str) -> list[Change]:
    item = plan["items"].pop(_index(plan, rid))
    return [Change("delete", f"item:{rid}", None, {"title": item.get("title"), "text": item.get("text")})]


def split_item(plan: dict, rid: str, at: int) -> list[Change]:
    """Split an item's text at character ``at``: two items with the same dates and units, the
    second named by its first clause. The parts are ``rid/1`` and ``rid/2``."""
    items = plan["items"]
    i = _index(plan, rid)
    item = items[i]
    text = str(item.get("text") or "")
    if not 0 < at < len(text) or not text[:at].strip() or not text[at:].strip():
        raise EduplanError("拆分位置要在原文中间，两边都要有文字")
    head, tail = text[:at].strip(), text[at:].strip()
    first = copy.deepcopy(item)
    second = copy.deepcopy(item)
    first["text"], second["text"] = head, tail
    if normalize(str(item.get("title") or "")) not in normalize(head):
        first["title"] = title_from(head)
    second["title"] = title_from(tail)
    for n, part in enumerate((first, second), 1):
        part["review"] = {**part.get("review", {}), "rid": f"{rid}/{n}", "checked": True}
        part["confidence"] = 1.0
    items[i : i + 1] = [first, second]
    return [Change("split", f"item:{rid}", None, {"text": text}, {"at": at})]


def merge_next(plan: dict, rid: str) -> list[Change]:
    """Merge an item with the one after it: texts joined, the span covering both, units of both."""
    items = plan["items"]
    i = _index(plan, rid)
    if i + 1 >= len(items):
        raise EduplanError("这是最后一项，后面没有可合并的事项")
    a, b = items[i], items[i + 1]
    merged = copy.deepcopy(a)
    merged["text"] = f"{a.get('text') or ''}{b.get('text') or ''}"
    starts = [d for d in (a.get("start"), b.get("start")) if d]
    ends = [d for d in (a.get("end"), b.get("end")) if d]
    merged["start"] = min(starts) if starts else None
    merged["end"] = max(ends) if ends else merged["start"]
    merged["departments"] = list(
        dict.fromkeys([*(a.get("departments") or []), *(b.get("departments") or [])])
    )
    review = merged.setdefault("review", {})
    review["lines"] = sorted({*review.get("lines", []), *(b.get("review") or {}).get("lines", [])})
    review["checked"] = True
    merged["confidence"] = 1.0
    items[i : i + 2] = [merged]
    return [Change("merge", f"item:{rid}", None, {"next": rid_of(b)}, None)]


def move_item(plan: dict, rid: str, delta: int) -> list[Change]:
    items = plan["items"]
    i = _index(plan, rid)
    j = max(0, min(len(items) - 1, i + delta))
    if i == j:
        return []
    items.insert(j, items.pop(i))
    after = rid_of(items[j - 1]) if j > 0 else None
    return [Change("move", f"item:{rid}", None, None, {"after": after})]


def add_item(
    plan: dict,
    lines: list[int] | None,
    doc_lines: list,
    *,
    after: str | None = None,
    title: str = "",
    values: dict | None = None,
) -> list[Change]:
    """A new item: made from the document's lines ``lines`` (1-based), or empty with a title.
    It goes after the item ``after`` (a rid), else after the last item before its first line."""
    picked = sorted({n for n in lines or [] if 1 <= n <= len(doc_lines)})
    texts = [str(doc_lines[n - 1]).strip() for n in picked]
    text = "".join(t for t in texts if t)
    title = title.strip() or (title_from(text) if text else "")
    if not title:
        raise EduplanError("新事项要么选原文行，要么填标题")
    clean = _clean_item_values({"title": title, **(values or {})})
    item = {
        "title": clean["title"],
        "text": clean.get("text") or text or clean["title"],
        "start": clean.get("start"),
        "end": clean.get("end") or clean.get("start"),
        "departments": clean.get("departments", []),
        "section": None,
        "source": {"line": picked[0] if picked else 0},
        "confidence": 1.0,
    }
    _check_span(item)
    items = plan.setdefault("items", [])
    key = _digest("\n".join(texts) if texts else f"新增:{title}")
    taken = {rid_of(e) for e in items}
    n = 0
    while f"add:{key}.{n}" in taken:
        n += 1
    item["review"] = {"rid": f"add:{key}.{n}", "lines": picked, "checked": True, "added": True}
    at = _insert_at(items, after, picked[0] if picked else None)
    items.insert(at, item)
    prev = rid_of(items[at - 1]) if at > 0 else None
    stored = {k: item[k] for k in ("title", "start", "end", "departments")}
    return [
        Change(
            "add",
            f"lines:{key}",
            None,
            {"texts": texts},
            {"rid": item["review"]["rid"], "after": prev, **stored},
        )
    ]


def _insert_at(items: list[dict], after: str | None, first_line: int | None) -> int:
    if after:
        at = find(items, after)
        if at is not None:
            return at + 1
    if first_line:
        before = [
            i for i, e in enumerate(items) if 0 < int((e.get("source") or {}).get("line") or 0) <= first_line
        ]
        return before[-1] + 1 if before else 0
    return len(items)


# ---------------------------------------------------------------- the document and its targets


def header_value(plan: dict, name: str) -> Any:
    if name in ("period_start", "period_end"):
        return (plan.get("period") or {}).get(name.split("_")[1])
    return plan.get(name)


def _set_header(plan: dict, name: str, value: Any) -> None:
    if name in ("period_start", "period_end"):
        period = dict(plan.get("period") or {"start": None, "end": None})
        period[name.split("_")[1]] = value
        plan["period"] = period
    else:
        plan[name] = value


def edit_header(plan: dict, values: dict) -> list[Change]:
    """Set some of the document's title, issuer, kind, period_start, period_end."""
    clean: dict[str, Any] = {}
    if "title" in values:
        clean["title"] = _text(values["title"], "计划标题", MAX_TITLE_CHARS) or None
    if "issuer" in values:
        clean["issuer"] = _text(values["issuer"], "发文单位", 200) or None
    if "kind" in values:
        if values["kind"] not in KINDS:
            raise EduplanError("类型只能是行事历、工作计划、工作总结或汇编")
        clean["kind"] = values["kind"]
    for name, what in (("period_start", "计划开始日期"), ("period_end", "计划结束日期")):
        if name in values:
            clean[name] = _day(values[name], what)
    start = clean.get("period_start", header_value(plan, "period_start"))
    end = clean.get("period_end", header_value(plan, "period_end"))
    if start and end and end < start:
        raise EduplanError(f"计划结束日期 {end} 早于开始日期 {start}")
    changes = []
    for name in HEADER_FIELDS:
        if name in clean and clean[name] != header_value(plan, name):
            changes.append(Change("edit", "header", name, header_value(plan, name), clean[name]))
            _set_header(plan, name, clean[name])
    return changes


def _clean_target(values: dict) -> dict:
    out: dict[str, Any] = {}
    if "indicator" in values:
        out["indicator"] = _text(values["indicator"], "指标名称", MAX_TITLE_CHARS, required=True)
    if "op" in values:
        if values["op"] not in OPS:
            raise EduplanError("比较方式只能是 不低于、不高于、等于、约、高于、低于")
        out["op"] = values["op"]
    if "value" in values:
        raw = str(values["value"]).strip()
        try:
            number = float(raw)
        except ValueError:
            raise EduplanError(f"目标值“{raw}”不是数字") from None
        out["value"] = int(number) if number.is_integer() and "." not in raw else number
    if "unit" in values:
        out["unit"] = _text(values["unit"], "单位", 32) or None
    if "deadline" in values:
        out["deadline"] = _day(values["deadline"], "期限")
    if "lead" in values:
        out["lead"] = _text(values["lead"], "牵头单位", 200) or None
    return out


def add_target(plan: dict, values: dict) -> list[Change]:
    clean = _clean_target({"op": ">=", **values})
    if "indicator" not in clean or "value" not in clean:
        raise EduplanError("新指标要填指标名称和目标值")
    targets = plan.setdefault("targets", [])
    key = _digest(clean["indicator"])
    taken = {rid_of(t) for t in targets}
    n = 0
    while f"add:{key}.{n}" in taken:
        n += 1
    target = {
        "indicator": clean["indicator"],
        "text": clean["indicator"],
        "op": clean["op"],
        "value": clean["value"],
        "unit": clean.get("unit"),
        "deadline": clean.get("deadline"),
        "lead": clean.get("lead"),
        "source": {"line": 0},
        "review": {"rid": f"add:{key}.{n}", "added": True},
    }
    targets.append(target)
    return [Change("add_target", f"target:add:{key}.{n}", None, None, _target_values(target))]


def _target_values(target: dict) -> dict:
    return {k: target.get(k) for k in TARGET_FIELDS}


def edit_target(plan: dict, rid: str, values: dict) -> list[Change]:
    targets = plan.get("targets") or []
    at = find(targets, rid)
    if at is None:
        raise EduplanError("找不到这个指标，可能已被别人修改；请刷新页面")
    target = targets[at]
    clean = _clean_target(values)
    changes = []
    for name in TARGET_FIELDS:
        if name in clean and clean[name] != target.get(name):
            changes.append(Change("edit_target", f"target:{rid}", name, target.get(name), clean[name]))
            target[name] = clean[name]
    return changes


def delete_target(plan: dict, rid: str) -> list[Change]:
    targets = plan.get("targets") or []
    at = find(targets, rid)
    if at is None:
        raise EduplanError("找不到这个指标，可能已被别人修改；请刷新页面")
    target = targets.pop(at)
    return [Change("delete_target", f"target:{rid}", None, {"indicator": target.get("indicator")})]


# ---------------------------------------------------------------- replaying on a new reading


GONE = "新版本里找不到这一项（原文已改或已删去）"
MOVED_ON = "新版本读出的{what}是“{now}”，与当初更正前的“{before}”不同"


def replay(plan: dict, lines: list, changes: list[Change]) -> Outcome:
    """Apply stored corrections, in order, to a new reading of the same document (prepared).
    A correction applies where what it changed is still there as it was; else it is a conflict
    with a reason in Chinese, and the reading is left as it is."""
    outcome = Outcome()
    for change in changes:
        reason = _replay_one(plan, lines, change)
        if reason is None:
            outcome.applied.append(change)
        else:
            outcome.conflicts.append((change, reason))
    return outcome


def _show(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def _replay_one(plan: dict, lines: list, change: Change) -> str | None:
    items = plan.setdefault("items", [])
    kind, _, rid = change.target.partition(":")
    try:
        if change.op == "edit" and kind == "header":
            now = header_value(plan, change.field or "")
            if now == change.after:
                return None
            if now != change.before:
                return MOVED_ON.format(
                    what=FIELD_LABELS.get(change.field, ""), now=_show(now), before=_show(change.before)
                )
            edit_header(plan, {change.field: change.after or ""})
            return None
        if change.op in ("edit", "delete", "split", "merge", "move"):
            at = find(items, rid)
            if at is None:
                return GONE
            item = items[at]
            if change.op == "edit":
                now = item.get(change.field or "")
                if now == change.after:
                    return None
                if now != change.before:
                    what = FIELD_LABELS.get(change.field, "")
                    return MOVED_ON.format(what=what, now=_show(now), before=_show(change.before))
                value = change.after
                if change.field in ("start", "end"):
                    value = value or ""
                edit_item(plan, rid, {change.field: value})
                return None
            if change.op == "delete":
                delete_item(plan, rid)
                return None
            if change.op == "split":
                if normalize(str(item.get("text") or "")) != normalize(
                    str((change.before or {}).get("text") or "")
                ):
                    return "新版本里这一项的原文变了，原来的拆分位置不再适用"
                split_item(plan, rid, int((change.after or {}).get("at") or 0))
                return None
            if change.op == "merge":
                nxt = (change.before or {}).get("next")
                if at + 1 >= len(items) or rid_of(items[at + 1]) != nxt:
                    return "新版本里这两项已不相邻或有一项不在了，不能再合并"
                merge_next(plan, rid)
                return None
            after = (change.after or {}).get("after")
            items.insert(_insert_at(items, after, None) if after else 0, items.pop(at))
            return None
        if change.op == "add":
            return _replay_add(plan, lines, change)
        if change.op == "add_target":
            values = dict(change.after or {})
            if find(plan.get("targets") or [], rid) is not None:
                return None
            add_target(plan, {k: v for k, v in values.items() if v is not None})
            return None
        if change.op in ("edit_target", "delete_target"):
            targets = plan.get("targets") or []
            at = find(targets, rid)
            if at is None:
                return "新版本里找不到这个指标"
            if change.op == "delete_target":
                delete_target(plan, rid)
                return None
            now = targets[at].get(change.field or "")
            if now == change.after:
                return None
            if now != change.before:
                return MOVED_ON.format(
                    what=FIELD_LABELS.get(change.field, ""), now=_show(now), before=_show(change.before)
                )
            edit_target(plan, rid, {change.field: "" if change.after is None else change.after})
            return None
    except EduplanError as exc:
        return str(exc)
    return "无法识别的更正"


def _replay_add(plan: dict, lines: list, change: Change) -> str | None:
    """An item a person made from lines: made again where the same lines (normalised) follow
    one another in the new document; an empty item a person added comes back as it was."""
    texts = [normalize(t) for t in (change.before or {}).get("texts") or []]
    after = dict(change.after or {})
    items = plan["items"]
    rid = after.get("rid")
    if rid and find(items, rid) is not None:
        return None
    values = {k: after.get(k) for k in ("start", "end", "departments") if after.get(k)}
    if not texts:
        add_item(
            plan, None, lines, after=after.get("after"), title=str(after.get("title") or ""), values=values
        )
        return None
    norm = [normalize(str(line)) for line in lines]
    for first in range(len(norm) - len(texts) + 1):
        if [norm[first + k] for k in range(len(texts))] == texts:
            picked = list(range(first + 1, first + 1 + len(texts)))
            add_item(
                plan,
                picked,
                lines,
                after=after.get("after"),
                title=str(after.get("title") or ""),
                values=values,
            )
            return None
    return "新版本里找不到当初用来新增这一项的原文行"
