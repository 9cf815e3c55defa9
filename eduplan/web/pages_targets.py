"""The targets (目标) of the viewer's bureau's plans, with what has been reported against them.

There is no table of reported actuals yet: every target shows 未填报 for its actual value and its
attainment until one exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger.models import Plan, Target
from eduplan.web.auth import Viewer
from eduplan.web.permissions import can_view_plan

NOT_REPORTED = "未填报"
OP_SIGNS = {">=": "≥", "<=": "≤", "=": "", "~": "约", "<": "<", ">": ">"}


def number_text(value: float) -> str:
    """88.4 → ``88.4``, 10.0 → ``10``, 6000.0 → ``6000``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def goal_text(op: str, value: float, unit: str | None) -> str:
    """``≥ 88.4%``, ``10个``, ``约 5万元``: the comparison, the value and the unit as written."""
    sign = OP_SIGNS.get(op, op)
    amount = f"{number_text(value)}{unit or ''}"
    return f"{sign} {amount}" if sign else amount


@dataclass
class TargetRow:
    id: int
    indicator: str
    goal: str
    plan_id: int
    plan_title: str
    deadline: date | None
    text: str
    actual: str | None = None  # the latest reported value, once actuals exist
    attainment: str | None = None

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
    rows = []
    for target, plan in session.execute(query):
        if not can_view_plan(viewer, plan):
            continue
        rows.append(
            TargetRow(
                target.id,
                target.indicator,
                goal_text(target.op, target.value, target.unit),
                plan.id,
                plan.title or f"计划 {plan.id}",
                target.deadline,
                target.text,
            )
        )
        if limit is not None and len(rows) >= limit:
            break
    return rows


def target_count(session: Session, viewer: Viewer) -> int:
    return len(target_rows(session, viewer))
