"""The targets (目标) of the viewer's bureau's plans, with what has been reported against them:
the latest actual (``eduplan.supervise.actuals``), whether it meets the target, 未填报 while none
has been reported, and whether the viewer may report one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger.goal_text import goal_text, number_text
from eduplan.ledger.models import Plan, Target, TargetActual, TargetActualFile
from eduplan.read.sizes import human_size
from eduplan.supervise.actuals import attainment_label, evidence_files, latest_actuals, target_offices
from eduplan.supervise.target_leads import attainment_rate, rate_text
from eduplan.web.auth import Viewer
from eduplan.web.permissions import can_record_actual, can_view_plan

NOT_REPORTED = "未填报"


@dataclass
class EvidenceFile:
    """An evidence file of the latest actual, as the page lists it (downloaded by id)."""

    id: int
    filename: str
    size: str


@dataclass
class TargetRow:
    id: int
    indicator: str
    goal: str
    plan_id: int
    plan_title: str
    deadline: date | None
    text: str
    actual: str | None = None  # the latest reported value with its unit
    attainment: str | None = None  # 已达成 / 未达成
    actual_value: float | None = None
    actual_as_of: date | None = None
    actual_note: str | None = None
    offices: list[str] = field(default_factory=list)  # the offices the target belongs to
    may_record: bool = False  # the viewer may report an actual
    lead: str | None = None  # 牵头单位: set by an administrator, else the first office
    lead_set: bool = False  # an administrator set it
    rate: float | None = None  # 达成率 (``target_leads.attainment_rate``)
    files: list[EvidenceFile] = field(default_factory=list)  # the latest actual's evidence

    @property
    def rate_text(self) -> str:
        return rate_text(self.rate)

    @property
    def actual_text(self) -> str:
        return self.actual or NOT_REPORTED

    @property
    def attainment_text(self) -> str:
        return self.attainment or NOT_REPORTED


def target_rows(
    session: Session, viewer: Viewer, *, plan_id: int | None = None, limit: int | None = None
) -> list[TargetRow]:
    """The live targets of the plans the viewer may see, by plan (newest first) then document order."""
    if viewer.bureau_id is None:
        return []
    query = (
        select(Target, Plan)
        .join(Plan, Plan.id == Target.plan_id)
        .where(Plan.bureau_id == viewer.bureau_id, Target.removed_in.is_(None))
        .order_by(Plan.id.desc(), Target.seq)
    )
    if plan_id is not None:
        query = query.where(Plan.id == plan_id)
    found = []
    for target, plan in session.execute(query):
        if not can_view_plan(viewer, plan):
            continue
        found.append((target, plan))
        if limit is not None and len(found) >= limit:
            break
    targets = [t for t, _ in found]
    actuals = latest_actuals(session, [t.id for t in targets])
    offices = target_offices(session, targets)
    files = evidence_files(session, [a.id for a in actuals.values()])
    rows = []
    for target, plan in found:
        row = TargetRow(
            target.id,
            target.indicator,
            goal_text(target.op, target.value, target.unit),
            plan.id,
            plan.title or f"计划 {plan.id}",
            target.deadline,
            target.text,
            offices=[o.name for o in offices.get(target.id, [])],
            may_record=can_record_actual(viewer, plan, offices.get(target.id, [])),
            lead=next((o.name for o in offices.get(target.id, [])), None),
            lead_set=target.lead_org_id is not None,
        )
        actual = actuals.get(target.id)
        if actual is not None:
            row.actual = f"{number_text(actual.value)}{target.unit or ''}"
            row.attainment = attainment_label(target.op, target.value, actual.value)
            row.actual_value, row.actual_as_of, row.actual_note = actual.value, actual.as_of, actual.note
            row.rate = attainment_rate(target.op, target.value, actual.value)
            row.files = [EvidenceFile(f.id, f.filename, human_size(f.size)) for f in files.get(actual.id, [])]
        rows.append(row)
    return rows


def target_count(session: Session, viewer: Viewer) -> int:
    return len(target_rows(session, viewer))


def load_evidence(session: Session, viewer: Viewer, file_id: int) -> TargetActualFile:
    """An evidence file of a target the viewer may see (anyone of the target's bureau who sees
    the 目标 page); 404 otherwise, as for a target of another bureau."""
    found = session.get(TargetActualFile, file_id)
    actual = session.get(TargetActual, found.actual_id) if found is not None else None
    target = session.get(Target, actual.target_id) if actual is not None else None
    plan = session.get(Plan, target.plan_id) if target is not None else None
    if plan is None or target.removed_in is not None or not can_view_plan(viewer, plan):
        raise HTTPException(404, "找不到这个佐证材料")
    return found
