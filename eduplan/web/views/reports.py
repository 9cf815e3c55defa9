"""The work behind 下学期计划草稿 and 逐年对比 (总结与计划): the choices on the forms, the
proposal turned into an import-screen draft, the comparison's tables. The routes in
``routes/reports.py`` check who is asking and hand over to these functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import HTTPException
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.importer import plan_key
from eduplan.ledger.models import Draft, Item, Plan, Term
from eduplan.plan import Plan as ParsedPlan
from eduplan.reports.compare import Comparison, compare_plans
from eduplan.reports.recurring import Proposal, plan_json, propose_from_ledger
from eduplan.web.auth import Viewer
from eduplan.web.views.scope import bureau_plan

KIND_LABELS = {"calendar": "行事历", "plan": "工作计划", "summary": "工作总结", "compilation": "汇编"}
PROPOSAL_NAME_SUFFIX = "（由往年计划生成）"


@dataclass(frozen=True)
class PlanChoice:
    id: int
    title: str
    kind: str
    start: date | None
    end: date | None
    items: int


def plan_choices(session: Session, viewer: Viewer) -> list[PlanChoice]:
    """The bureau's plans, newest first, with their span and live item count."""
    counts = dict(
        session.execute(
            select(Item.plan_id, func.count(Item.id))
            .join(Plan, Plan.id == Item.plan_id)
            .where(Plan.bureau_id == viewer.bureau_id, Item.removed_in.is_(None))
            .group_by(Item.plan_id)
        ).all()
    )
    plans = session.scalars(
        select(Plan)
        .where(Plan.bureau_id == viewer.bureau_id)
        .order_by(Plan.period_start.desc().nulls_last(), Plan.id.desc())
    )
    return [
        PlanChoice(
            id=p.id,
            title=p.title or f"计划 {p.id}",
            kind=KIND_LABELS.get(p.kind, p.kind),
            start=p.period_start,
            end=p.period_end,
            items=counts.get(p.id, 0),
        )
        for p in plans
    ]


def term_choices(session: Session, viewer: Viewer) -> list[Term]:
    return list(
        session.scalars(select(Term).where(Term.bureau_id == viewer.bureau_id).order_by(Term.start.desc()))
    )


def parse_ids(values: list[str], what: str) -> list[int]:
    """Ids from repeated query or form fields (blank ones ignored); 400 for anything else."""
    ids = []
    for value in values:
        value = (value or "").strip()
        if not value:
            continue
        if not value.isdigit():
            raise HTTPException(400, f"{what}应为编号")
        ids.append(int(value))
    return list(dict.fromkeys(ids))


def parse_day(value: str | None) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"开学日期“{value[:20]}”不是有效日期（格式如 2026-03-02）") from None


def own_plans(session: Session, viewer: Viewer, plan_ids: list[int]) -> None:
    """404 for a plan the viewer's bureau does not have (before anything is computed)."""
    for plan_id in plan_ids:
        bureau_plan(session, viewer, plan_id)


def own_term(session: Session, viewer: Viewer, term_id: int | None) -> None:
    if term_id is not None:
        term = session.get(Term, term_id)
        if term is None or term.bureau_id != viewer.bureau_id:
            raise HTTPException(404, "没有这个学期")


@dataclass
class NextTermForm:
    plan_ids: list[int]
    term_id: int | None
    start: date | None

    @property
    def chosen(self) -> bool:
        return bool(self.plan_ids)


def read_next_term_form(
    session: Session, viewer: Viewer, plans: list[str], term: str | None, start: str | None
) -> NextTermForm:
    plan_ids = parse_ids(plans, "计划")
    term_ids = parse_ids([term or ""], "学期")
    form = NextTermForm(plan_ids, term_ids[0] if term_ids else None, parse_day(start))
    own_plans(session, viewer, form.plan_ids)
    own_term(session, viewer, form.term_id)
    return form


def proposal_for(session: Session, viewer: Viewer, form: NextTermForm) -> Proposal:
    """The proposal the form asks for; EduplanError (Chinese) when it cannot be made."""
    proposal = propose_from_ledger(
        session, viewer.bureau_id, form.plan_ids, term_id=form.term_id, start=form.start
    )
    key = plan_key(ParsedPlan(source={}, title=proposal.title))
    if session.scalars(select(Plan.id).where(Plan.bureau_id == viewer.bureau_id, Plan.key == key)).first():
        proposal.warnings.append(
            f"台账里已有标题为“{proposal.title}”的计划：发布前请修改标题，否则草稿会成为那份计划的新版本。"
        )
    return proposal


def create_proposal_draft(session: Session, viewer: Viewer, form: NextTermForm) -> Draft:
    """Next term's plan as an import-screen draft (origin "proposal", no file of its own)."""
    proposal = proposal_for(session, viewer, form)
    if not proposal.items:
        raise EduplanError("所选计划中没有可以沿用到新学期的工作，没有生成草稿")
    draft = Draft(
        user_id=viewer.id,
        bureau_id=viewer.bureau_id,
        source_name=(proposal.title + PROPOSAL_NAME_SUFFIX)[:500],
        content=b"",
        lines=[],
        plan=plan_json(proposal),
        created_at=now(),
        origin="proposal",
    )
    session.add(draft)
    session.flush()
    audit.record(
        session,
        viewer.username,
        "propose",
        "draft",
        draft.id,
        None,
        {
            "sources": [p.id for p in proposal.sources],
            "term": proposal.term.name,
            "items": len(proposal.items),
            "left_out": len(proposal.left_out),
        },
    )
    return draft


def comparison_for(session: Session, viewer: Viewer, a: str | None, b: str | None) -> Comparison | None:
    """The comparison the query asks for; None until both plans are chosen."""
    a_ids, b_ids = parse_ids([a or ""], "计划"), parse_ids([b or ""], "计划")
    own_plans(session, viewer, a_ids + b_ids)
    if not a_ids or not b_ids:
        return None
    try:
        return compare_plans(session, viewer.bureau_id, a_ids[0], b_ids[0])
    except EduplanError as exc:
        raise HTTPException(400, str(exc)) from None
