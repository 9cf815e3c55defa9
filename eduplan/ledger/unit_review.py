"""New units from imports, reviewed several at once: accepted, merged into a known unit (the
name kept as an alias), filed as a school's internal office, or ignored (not a unit). A
document a school issued files the offices it names under that school, not the bureau."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.models import ItemUnit, Organisation
from eduplan.ledger.orgs import merge
from eduplan.text import normalize

ACTIONS = {
    "keep": "暂不处理",
    "accept": "确认为本局单位",
    "merge": "合并到已有单位（保留为别名）",
    "internal": "学校内设机构",
    "ignore": "忽略（不是单位）",
}


@dataclass
class Pending:
    id: int
    name: str
    kind: str
    parent: str | None
    items: int


def pending_units(session: Session, bureau_id: int) -> list[Pending]:
    """Units waiting for review, with the number of items naming each."""
    counts = dict(session.execute(select(ItemUnit.org_id, func.count()).group_by(ItemUnit.org_id)).all())
    names = dict(
        session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.bureau_id == bureau_id)
        ).all()
    )
    rows = session.scalars(
        select(Organisation)
        .where(
            Organisation.bureau_id == bureau_id,
            Organisation.needs_review.is_(True),
            Organisation.merged_into_id.is_(None),
        )
        .order_by(Organisation.id)
    ).all()
    return [
        Pending(
            o.id,
            o.name,
            o.kind,
            names.get(o.parent_id) if o.parent_id != bureau_id else None,
            counts.get(o.id, 0),
        )
        for o in rows
    ]


def known_units(session: Session, bureau_id: int) -> list[Organisation]:
    """Units one may merge into (reviewed, not merged away)."""
    return list(
        session.scalars(
            select(Organisation)
            .where(
                Organisation.bureau_id == bureau_id,
                Organisation.needs_review.is_(False),
                Organisation.merged_into_id.is_(None),
                Organisation.kind != "bureau",
            )
            .order_by(Organisation.kind, Organisation.name)
        )
    )


def schools(session: Session, bureau_id: int) -> list[Organisation]:
    return [o for o in known_units(session, bureau_id) if o.kind == "school"]


def apply(
    session: Session, bureau: Organisation, decisions: list[tuple[int, str, int | None]], actor: str
) -> int:
    """Carry out (unit id, action, other unit id) decisions; returns how many changed. A
    decision naming a unit of another bureau, or a merge or school missing, is refused whole."""
    done = 0
    for org_id, action, other_id in decisions:
        if action == "keep":
            continue
        if action not in ACTIONS:
            raise EduplanError("无法识别的处理方式")
        org = session.get(Organisation, org_id)
        if org is None or org.bureau_id != bureau.id or org.merged_into_id is not None:
            raise EduplanError("找不到要处理的单位，可能已被别人处理")
        other = session.get(Organisation, other_id) if other_id else None
        if other is not None and other.bureau_id != bureau.id:
            other = None
        before = {"name": org.name, "kind": org.kind, "parent_id": org.parent_id, "needs_review": True}
        if action == "accept":
            org.needs_review = False
        elif action == "merge":
            if other is None or other.id == org.id:
                raise EduplanError(f"“{org.name}”要合并到哪个单位？请选择")
            merge(session, bureau, org.name, other.name, actor)
        elif action == "internal":
            if other is None or other.kind != "school":
                raise EduplanError(f"“{org.name}”是哪所学校的内设机构？请选择学校")
            org.parent_id, org.kind, org.needs_review = other.id, "office", False
        elif action == "ignore":
            org.needs_review = False  # kept (items may name it), no longer asked about
        if action != "merge":
            after = {"name": org.name, "kind": org.kind, "parent_id": org.parent_id, "needs_review": False}
            audit.record(session, actor, f"review:{action}", "organisation", org.id, before, after)
        done += 1
    session.flush()
    return done


def file_under_school(
    session: Session, bureau_id: int, issuer: str | None, new_units: list[str]
) -> str | None:
    """When a school of the bureau issued the document, the units it created hang under that
    school (教务处, 团委 of 城关中学), still waiting for review. Returns the school's name."""
    if not issuer or not new_units:
        return None
    school = session.scalars(
        select(Organisation).where(
            Organisation.bureau_id == bureau_id,
            Organisation.norm == normalize(issuer),
            Organisation.kind == "school",
        )
    ).first()
    if school is None:
        return None
    norms = [normalize(n) for n in new_units]
    for org in session.scalars(
        select(Organisation).where(Organisation.bureau_id == bureau_id, Organisation.norm.in_(norms))
    ):
        if org.kind != "school":
            org.parent_id = school.id
    session.flush()
    return school.name
