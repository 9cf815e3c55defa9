"""The ledger as the renderers and the plan contract see it (``eduplan export``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.calendar.holidays import HolidayCalendar, is_one_day_on_holiday
from eduplan.calendar.lunar import lunar_label, mentions_lunar
from eduplan.calendar.model import CalendarDoc, CalendarRow, Week
from eduplan.calendar.terms import weeks as term_weeks
from eduplan.errors import EduplanError
from eduplan.ledger.clock import now
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.holidays import holiday_calendar
from eduplan.ledger.models import Organisation, Plan, PlanVersion, Target, Term
from eduplan.ledger.queries import ItemView, filter_org_ids, live_items, resolve_bureau
from eduplan.ledger.status import status_label
from eduplan.ledger.terms import as_calendar_term
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.plan import Target as PlanTarget

UID_DOMAIN = "eduplan"


@dataclass
class Selection:
    """What an export covers: one plan or a bureau's plans, optionally one office or school."""

    plan_id: int | None = None
    office: str | None = None
    school: str | None = None
    bureau: str | None = None


def _plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise EduplanError(f"没有编号为 {plan_id} 的计划（用 eduplan plans 查看已导入的计划）")
    return plan


def selected_items(session: Session, selection: Selection) -> tuple[list[ItemView], Organisation | None]:
    owner = resolve_bureau(session, selection.bureau)
    if selection.plan_id is not None:
        plan = _plan(session, selection.plan_id)
        owner = owner or session.get(Organisation, plan.bureau_id)
    org_ids = filter_org_ids(session, owner, selection.office, selection.school)
    return live_items(session, bureau=owner, plan_id=selection.plan_id, org_ids=org_ids), owner


def _title(session: Session, selection: Selection, owner: Organisation | None) -> str:
    if selection.plan_id is not None:
        plan = _plan(session, selection.plan_id)
        base = plan.title or f"{owner.name if owner else ''}工作安排"
    else:
        base = f"{owner.name if owner else '各教育局'}工作行事历"
    unit = "、".join(x for x in (selection.office, selection.school) if x)
    return f"{base}（{unit}）" if unit else base


def _weeks(session: Session, selection: Selection, items: list[ItemView]) -> list[Week]:
    """The term's weeks when the export is one term's calendar, else none (calendar weeks)."""
    term_id = None
    if selection.plan_id is not None:
        term_id = _plan(session, selection.plan_id).term_id
    else:
        plan_ids = {v.plan_id for v in items}
        terms = (
            {p.term_id for p in session.scalars(select(Plan).where(Plan.id.in_(plan_ids)))}
            if plan_ids
            else set()
        )
        if len(terms) == 1:
            term_id = terms.pop()
    if term_id is None:
        return []
    return term_weeks(as_calendar_term(session.get(Term, term_id)))


def calendar_row(view: ItemView, today: date, calendar: HolidayCalendar) -> CalendarRow:
    return CalendarRow(
        uid=f"{view.uid}@{UID_DOMAIN}",
        title=view.title,
        text=view.text,
        start=view.start,
        end=view.end,
        units=tuple(view.units),
        office=view.office,
        section=view.section,
        status=status_label(view.status, view.end, today),
        lunar=lunar_label(view.start) if view.start and mentions_lunar(view.text) else None,
        holiday=is_one_day_on_holiday(view.start, view.end, calendar) if view.start else None,
        sequence=view.revision - 1,
        updated=view.updated_at,
    )


def calendar_doc(
    session: Session, selection: Selection, today: date | None = None, *, holidays: bool = True
) -> CalendarDoc:
    """The selected items as a :class:`CalendarDoc` with the term's weeks and (for the printed
    layouts; iCalendar has no use for them) the public holidays and adjusted workdays."""
    today = today or clock_today()
    items, owner = selected_items(session, selection)
    calendar = holiday_calendar(session)
    title = _title(session, selection, owner)
    doc = CalendarDoc(
        title=title,
        calname=title,
        rows=[calendar_row(v, today, calendar) for v in items],
        weeks=_weeks(session, selection, items),
        generated=now(),
    )
    days = [d for v in items for d in (v.start, v.end) if d is not None]
    days += [d for w in doc.weeks for d in (w.start, w.end)]
    if days and holidays:
        first, last = min(days), max(days)
        doc.holidays = calendar.holidays_between(first, last)
        doc.workdays = calendar.adjusted_workdays_between(first, last)
    return doc


def plan_contract(session: Session, selection: Selection) -> ParsedPlan:
    """The selection as the plan JSON contract, readable again by ``eduplan import``."""
    items, owner = selected_items(session, selection)
    plan = _plan(session, selection.plan_id) if selection.plan_id is not None else None
    source: dict = {"name": "eduplan-export.json", "format": "json"}
    targets: list[PlanTarget] = []
    warnings: list[str] = []
    if plan is not None:
        version = session.scalars(
            select(PlanVersion).where(
                PlanVersion.plan_id == plan.id, PlanVersion.number == plan.current_version
            )
        ).one()
        source = {
            "name": version.source_name,
            "sha256": version.sha256,
            "format": version.format,
            "encoding": version.encoding,
        }
        warnings = list(version.warnings or [])
        rows = session.scalars(
            select(Target).where(Target.plan_id == plan.id, Target.removed_in.is_(None)).order_by(Target.seq)
        )
        targets = [PlanTarget(t.indicator, t.text, t.op, t.value, t.unit, t.deadline, t.line) for t in rows]
    return ParsedPlan(
        source=source,
        kind=plan.kind if plan else "calendar",
        title=_title(session, selection, owner)
        if plan is None or selection.office or selection.school
        else plan.title,
        issuer=plan.issuer if plan else (owner.name if owner else None),
        period_start=plan.period_start if plan else min((v.start for v in items if v.start), default=None),
        period_end=plan.period_end if plan else max((v.end for v in items if v.end), default=None),
        items=[
            PlanItem(v.title, v.text, v.start, v.stated_end, list(v.units), v.section, v.line, v.confidence)
            for v in items
        ],
        targets=targets,
        warnings=warnings,
    )


EXPORT_FORMATS = ("ics", "xlsx", "docx", "json")


def export_bytes(
    session: Session,
    fmt: str,
    selection: Selection,
    *,
    by_office: bool = False,
    layout: str = "month",
    with_status: bool = False,
) -> bytes:
    """Render the selection as ``ics``, ``xlsx``, ``docx`` (``layout`` month or week) or ``json``;
    ``with_status`` adds the 状态 column to the printed layouts (xlsx, docx)."""
    if fmt == "json":
        plan = plan_contract(session, selection)
        return (json.dumps(plan.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    doc = calendar_doc(session, selection, holidays=fmt != "ics")
    if fmt == "ics":
        from eduplan.calendar.ics import render_ics

        return render_ics(doc)
    if fmt == "xlsx":
        from eduplan.calendar.excel import render_xlsx

        return render_xlsx(doc, by_office=by_office, with_status=with_status)
    if fmt == "docx":
        from eduplan.calendar.word import render_docx

        return render_docx(doc, layout=layout, with_status=with_status)
    raise EduplanError(f"不支持的导出格式：{fmt}（可选 {'、'.join(EXPORT_FORMATS)}）")
