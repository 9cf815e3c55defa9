"""Target actuals: recording what a target reached (value, as of a date, a note), reading the
latest one, and judging it against the target (met or not).

A target belongs to the offices responsible for the plan item it was read from (same plan, same
source line) and to offices its own text names — or, once an administrator set its lead unit
(``target_leads``), to that office alone; those offices and the bureau office may report
its actual (the permission itself is decided in ``eduplan/web/permissions.py``).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from eduplan.errors import EduplanError
from eduplan.ledger import audit, clock
from eduplan.ledger.clock import now
from eduplan.ledger.models import (
    Item,
    ItemUnit,
    Organisation,
    Plan,
    Target,
    TargetActual,
    TargetActualFile,
)
from eduplan.supervise.progress import NewAttachment

MAX_NOTE_CHARS = 1000
MAX_ABS_VALUE = 1e12
APPROX_TOLERANCE = 0.05
"""A ``~`` (约) target counts as met within 5% of its value."""
MET, NOT_MET = "已达成", "未达成"
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class ActualError(EduplanError):
    """An actual value that cannot be recorded (the message says why, in Chinese)."""


# ---------------------------------------------------------------- judging


def attained(op: str, goal: float, actual: float) -> bool:
    """Whether ``actual`` meets a target ``op goal`` (``>=`` ``<=`` ``=`` ``>`` ``<`` ``~``);
    equality allows for floating-point noise only."""
    same = math.isclose(actual, goal, rel_tol=1e-9, abs_tol=1e-9)
    if op == ">=":
        return actual > goal or same
    if op == "<=":
        return actual < goal or same
    if op == ">":
        return actual > goal and not same
    if op == "<":
        return actual < goal and not same
    if op == "=":
        return same
    if op == "~":
        return abs(actual - goal) <= APPROX_TOLERANCE * abs(goal) or same
    raise ValueError(f"unknown target operator {op!r}")


def attainment_label(op: str, goal: float, actual: float | None) -> str | None:
    """已达成 / 未达成, or None when nothing has been reported."""
    if actual is None:
        return None
    return MET if attained(op, goal, actual) else NOT_MET


# ---------------------------------------------------------------- reading


def latest_actuals(session: Session, target_ids: list[int]) -> dict[int, TargetActual]:
    """Each target's latest actual: the latest ``as_of`` date, then the latest recorded."""
    result: dict[int, TargetActual] = {}
    chunk = 5000  # stay under the databases' bound-parameter limits
    for i in range(0, len(target_ids), chunk):
        rows = session.scalars(
            select(TargetActual)
            .where(TargetActual.target_id.in_(target_ids[i : i + chunk]))
            .order_by(TargetActual.as_of, TargetActual.created_at, TargetActual.id)
        )
        for actual in rows:
            result[actual.target_id] = actual
    return result


def target_offices(session: Session, targets: list[Target]) -> dict[int, list[Organisation]]:
    """The offices each target belongs to: offices responsible for a live item of the same plan
    read from the same source line, and offices of the bureau whose name the target's text
    contains; lead units first, no repeats."""
    if not targets:
        return {}
    plan_ids = sorted({t.plan_id for t in targets})
    by_line: dict[tuple[int, int], list[Organisation]] = {}
    rows = session.execute(
        select(Item.plan_id, Item.line, Organisation)
        .join(ItemUnit, ItemUnit.item_id == Item.id)
        .join(Organisation, Organisation.id == ItemUnit.org_id)
        .where(Item.plan_id.in_(plan_ids), Item.removed_in.is_(None), Organisation.kind == "office")
        .order_by(Item.plan_id, Item.line, Item.seq, ItemUnit.position)
    )
    for plan_id, line, org in rows:
        by_line.setdefault((plan_id, line), []).append(org)
    bureaus = dict(session.execute(select(Plan.id, Plan.bureau_id).where(Plan.id.in_(plan_ids))).all())
    offices = session.scalars(
        select(Organisation)
        .where(
            Organisation.bureau_id.in_(set(bureaus.values())),
            Organisation.kind == "office",
            Organisation.merged_into_id.is_(None),
        )
        .order_by(Organisation.id)
    ).all()
    result = {}
    for target in targets:
        found = list(by_line.get((target.plan_id, target.line), []))
        found += [
            o for o in offices if o.bureau_id == bureaus[target.plan_id] and o.name and o.name in target.text
        ]
        result[target.id] = list({o.id: o for o in found}.values())
        if target.lead_org_id is not None:  # an administrator named the lead: it alone reports
            lead = session.get(Organisation, target.lead_org_id)
            result[target.id] = [lead] if lead is not None else result[target.id]
    return result


# ---------------------------------------------------------------- recording


def parse_value(text: str, unit: str | None = None) -> float:
    """A reported value as typed: full-width digits and thousands separators allowed, the
    target's unit (``%``, ``所``) may follow the number."""
    raw = unicodedata.normalize("NFKC", text or "").strip().replace(",", "")
    if not raw:
        raise ActualError("请填写实际完成值")
    if unit:
        raw = raw.removesuffix(unicodedata.normalize("NFKC", unit)).strip()
    if not _NUMBER.fullmatch(raw):
        raise ActualError(f"实际完成值应为数字（如 88.4），收到“{text.strip()[:40]}”")
    value = float(raw)
    if not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
        raise ActualError("实际完成值超出范围")
    return value


def parse_as_of(text: str, today: date) -> date:
    """The day the value is as of: blank means today; never a day after today."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return today
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ActualError(f"截至日期应为“2024-12-31”这样的日期，收到“{raw[:40]}”") from None
    if day > today:
        raise ActualError("截至日期不能晚于今天")
    return day


def check_note(text: str | None) -> str | None:
    note = (text or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ActualError(f"说明不能超过 {MAX_NOTE_CHARS} 字")
    return note or None


@dataclass
class NewActual:
    value: float
    as_of: date
    note: str | None


def read_actual(value: str, as_of: str, note: str | None, target: Target, today: date) -> NewActual:
    """The form's three fields checked; ``ActualError`` with every problem found, the first first."""
    problems = []
    parsed: list = []
    for check in (
        lambda: parse_value(value, target.unit),
        lambda: parse_as_of(as_of, today),
        lambda: check_note(note),
    ):
        try:
            parsed.append(check())
        except ActualError as exc:
            problems.append(str(exc))
            parsed.append(None)
    if problems:
        raise ActualError("；".join(problems))
    return NewActual(*parsed)


def record_actual(
    session: Session,
    target: Target,
    new: NewActual,
    *,
    author: str,
    org_id: int | None,
    files: Sequence[NewAttachment] = (),
) -> TargetActual:
    """Store an actual of ``target`` with its evidence files (checked by the caller, as a
    report's attachments are) and audit it."""
    actual = TargetActual(
        target_id=target.id,
        value=new.value,
        as_of=new.as_of,
        note=new.note,
        org_id=org_id,
        author=author,
        created_at=now(),
    )
    session.add(actual)
    session.flush()
    at = now()
    for f in files:
        session.add(
            TargetActualFile(
                actual_id=actual.id, filename=f.filename, content_type=f.content_type, size=f.size,
                sha256=f.sha256, content=f.content, created_at=at,
            )
        )  # fmt: skip
    session.flush()
    audit.record(
        session,
        author,
        "actual",
        "target",
        target.id,
        None,
        {
            "actual_id": actual.id,
            "indicator": target.indicator,
            "value": new.value,
            "as_of": new.as_of,
            "note": new.note,
            "org_id": org_id,
            "files": [f.filename for f in files],
        },
    )
    return actual


def evidence_files(session: Session, actual_ids: Sequence[int]) -> dict[int, list[TargetActualFile]]:
    """The evidence files of each actual (without loading their content), in upload order."""
    if not actual_ids:
        return {}
    found: dict[int, list[TargetActualFile]] = {}
    rows = session.scalars(
        select(TargetActualFile)
        .options(defer(TargetActualFile.content))
        .where(TargetActualFile.actual_id.in_(actual_ids))
        .order_by(TargetActualFile.id)
    )
    for row in rows:
        found.setdefault(row.actual_id, []).append(row)
    return found


# ---------------------------------------------------------------- demo data

DEMO_ACTUALS = 6
"""Targets of the demo bureau given an actual: alternately met and missed."""


def _demo_value(op: str, goal: float, met: bool) -> float:
    """A plausible reported value that meets (or misses) ``op goal``."""
    if met:
        value = goal * 1.02 if op in (">=", ">") else goal * 0.9 if op in ("<=", "<") else goal
        if op == ">=" and goal >= 100:
            value = goal  # a rate of 100% cannot be exceeded
    else:
        value = goal * 0.95 if op in (">=", ">", "=") else goal * 0.9 if op == "~" else goal * 1.2
        if op == "=" and float(goal).is_integer():
            value = goal - 1
    return round(value, 2)


def _demo_evidence(target: Target, new: NewActual) -> NewAttachment:
    """The statistics sheet the demo's first actual is reported with (plain text, as uploaded)."""
    body = (
        f"{target.indicator}统计表（演示数据）\n截至日期：{new.as_of.isoformat()}\n"
        f"目标：{target.text}\n实际完成：{new.value:g}{target.unit or ''}\n"
    ).encode()
    return NewAttachment(
        f"{target.indicator[:40]}统计表.txt", "text/plain", len(body), hashlib.sha256(body).hexdigest(), body
    )


def seed_demo_actuals(session: Session, bureau: Organisation, today: date | None = None) -> int:
    """Actuals for the first ``DEMO_ACTUALS`` targets of the bureau's plans (met, missed, met …),
    as of the plan's last day (not after ``today``); targets that already have one are left
    alone, so running the demo again changes nothing. Returns the number recorded."""
    today = today or clock.today()
    targets = session.scalars(
        select(Target)
        .join(Plan, Plan.id == Target.plan_id)
        .where(Plan.bureau_id == bureau.id, Target.removed_in.is_(None))
        .order_by(Plan.id, Target.seq)
        .limit(DEMO_ACTUALS)
    ).all()
    reported = latest_actuals(session, [t.id for t in targets])
    offices = target_offices(session, list(targets))
    recorded = 0
    for n, target in enumerate(targets):
        if target.id in reported:
            continue
        plan = session.get(Plan, target.plan_id)
        as_of = min(plan.period_end or today, today)
        owner = offices.get(target.id) or []
        new = NewActual(_demo_value(target.op, target.value, met=n % 2 == 0), as_of, "演示数据：年度统计")
        files = [_demo_evidence(target, new)] if n == 0 else []
        record_actual(
            session, target, new, author="演示数据", org_id=owner[0].id if owner else None, files=files
        )
        recorded += 1
    return recorded
