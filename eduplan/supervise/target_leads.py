"""A target's lead unit (牵头单位) and its 达成率.

The lead is the office an administrator set (``Target.lead_org_id``), else the first office the
document ties the target to (``actuals.target_offices``: the offices of the item on the target's
line, lead first, then offices its text names). Once set, only the lead (and the bureau office)
reports the target's actuals.

达成率 = actual ÷ goal for a target to reach or pass (≥, >, =, 约); goal ÷ actual for one to
stay under (≤, <: 辍学率 ≤ 0.5%, lower is better); None when it cannot be computed (no actual,
or a zero divisor). One decimal in percent on the pages.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.models import Organisation, Plan, Target

LOWER_IS_BETTER = ("<=", "<")


class LeadError(EduplanError):
    """A lead unit the rules refuse (the message says why, in Chinese)."""


def attainment_rate(op: str, goal: float, actual: float | None) -> float | None:
    if actual is None:
        return None
    if op in LOWER_IS_BETTER:
        return goal / actual if actual else None
    return actual / goal if goal else None


def rate_text(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f}%"


def set_lead(session: Session, target: Target, org: Organisation | None, actor: str) -> None:
    """Set (or, with None, clear) the target's lead: an office of the target's bureau."""
    plan = session.get(Plan, target.plan_id)
    if org is not None and (org.bureau_id != plan.bureau_id or org.kind != "office" or org.merged_into_id):
        raise LeadError("牵头单位须是本局的科室")
    before = {"lead_org_id": target.lead_org_id}
    target.lead_org_id = org.id if org is not None else None
    audit.record(
        session,
        actor,
        "lead",
        "target",
        target.id,
        before,
        {"lead_org_id": target.lead_org_id, "lead": org.name if org else None},
    )
