"""Organisations: find or create a bureau, resolve unit names to records, merge aliases."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, aliased

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.bulk import insert_rows
from eduplan.ledger.clock import now
from eduplan.ledger.models import ItemUnit, OrgAlias, Organisation
from eduplan.ledger.orgwords import org_kind
from eduplan.text import normalize


def bureau_by_name(session: Session, name: str) -> Organisation | None:
    norm = normalize(name)
    return session.scalars(
        select(Organisation).where(Organisation.kind == "bureau", Organisation.norm == norm)
    ).first()


def get_or_create_bureau(session: Session, name: str, actor: str) -> Organisation:
    """The bureau called ``name`` (matched on its normalised name), created if new."""
    name = " ".join(name.split())
    if not normalize(name):
        raise EduplanError("教育局名称不能为空")
    found = bureau_by_name(session, name)
    if found is not None:
        return found
    bureau = Organisation(kind="bureau", name=name, norm=normalize(name), created_at=now())
    session.add(bureau)
    session.flush()
    audit.record(session, actor, "create", "organisation", bureau.id, None, {"name": name, "kind": "bureau"})
    return bureau


class OrgDirectory:
    """The units of one bureau by normalised name and alias; unknown names become new records
    flagged for review. Loads the bureau's names once, so resolving is a dictionary lookup."""

    def __init__(self, session: Session, bureau: Organisation, actor: str) -> None:
        self.session = session
        self.bureau = bureau
        self.actor = actor
        self.ids: dict[str, int] = {}
        self.created: list[str] = []
        orgs = session.execute(
            select(Organisation.id, Organisation.norm, Organisation.merged_into_id).where(
                Organisation.bureau_id == bureau.id
            )
        ).all()
        merged = {oid: into for oid, _, into in orgs if into}
        for oid, norm, _ in orgs:
            self.ids[norm] = _follow(oid, merged)
        for org_id, norm in session.execute(
            select(OrgAlias.org_id, OrgAlias.norm).where(OrgAlias.bureau_id == bureau.id)
        ):
            self.ids[norm] = _follow(org_id, merged)

    def resolve(self, name: str) -> int:
        """The organisation id for a unit name, creating (and flagging) it when unknown."""
        return self.resolve_many([name])[0]

    def resolve_many(self, names: list[str]) -> list[int]:
        """Ids for many unit names; the unknown ones are created in one statement, flagged."""
        norms = [normalize(name) for name in names]
        new: dict[str, str] = {}
        for name, norm in zip(names, norms, strict=True):
            if norm not in self.ids and norm not in new:
                new[norm] = name.strip()
        if new:
            at = now()
            rows = [
                {
                    "bureau_id": self.bureau.id,
                    "parent_id": self.bureau.id,
                    "kind": org_kind(norm),
                    "name": name,
                    "norm": norm,
                    "needs_review": True,
                    "merged_into_id": None,
                    "created_at": at,
                }
                for norm, name in new.items()
            ]
            table = Organisation.__table__
            insert_rows(self.session, table, rows)
            created = dict(
                self.session.execute(
                    select(table.c.norm, table.c.id).where(
                        table.c.bureau_id == self.bureau.id, table.c.norm.in_(list(new))
                    )
                ).all()
            )
            ids = [created[row["norm"]] for row in rows]
            entries = []
            for org_id, row in zip(ids, rows, strict=True):
                self.ids[row["norm"]] = org_id
                self.created.append(row["name"])
                after = {"name": row["name"], "kind": row["kind"], "needs_review": True}
                entries.append((self.actor, "create", "organisation", org_id, None, after))
            audit.record_many(self.session, entries)
        return [self.ids[norm] for norm in norms]


def _follow(org_id: int, merged: dict[int, int]) -> int:
    seen = set()
    while org_id in merged and org_id not in seen:
        seen.add(org_id)
        org_id = merged[org_id]
    return org_id


def find_units(session: Session, name: str, bureau_id: int | None = None) -> list[Organisation]:
    """Organisations (not bureaus) named ``name`` or having it as an alias, merged ones followed."""
    norm = normalize(name)
    by_name = select(Organisation).where(Organisation.norm == norm, Organisation.kind != "bureau")
    by_alias = (
        select(Organisation).join(OrgAlias, OrgAlias.org_id == Organisation.id).where(OrgAlias.norm == norm)
    )
    if bureau_id is not None:
        by_name = by_name.where(Organisation.bureau_id == bureau_id)
        by_alias = by_alias.where(OrgAlias.bureau_id == bureau_id)
    found: dict[int, Organisation] = {}
    for org in [*session.scalars(by_name), *session.scalars(by_alias)]:
        while org.merged_into_id is not None:
            org = session.get(Organisation, org.merged_into_id)
        found[org.id] = org
    return list(found.values())


def merge(session: Session, bureau: Organisation, alias: str, into: str, actor: str) -> Organisation:
    """Merge the unit called ``alias`` into the one called ``into`` (基础教育股 → 基教股): its items
    move over, its name becomes an alias, and later imports resolve it to ``into``."""
    sources = find_units(session, alias, bureau.id)
    targets = find_units(session, into, bureau.id)
    if not targets:
        raise EduplanError(f"{bureau.name} 没有名为“{into}”的单位")
    target = targets[0]
    if not sources:
        raise EduplanError(f"{bureau.name} 没有名为“{alias}”的单位")
    source = sources[0]
    if source.id == target.id:
        raise EduplanError(f"“{alias}”已经是“{into}”的别名")
    # Items naming both keep one link (the target's), at the better of the two positions so a
    # lead unit stays the lead; the rest move over.
    source_link = aliased(ItemUnit)
    pairs = session.execute(
        select(ItemUnit.item_id, source_link.position, ItemUnit.position)
        .join(source_link, source_link.item_id == ItemUnit.item_id)
        .where(ItemUnit.org_id == target.id, source_link.org_id == source.id)
    ).all()
    for item_id, source_position, target_position in pairs:
        if source_position < target_position:
            session.execute(
                update(ItemUnit)
                .where(ItemUnit.item_id == item_id, ItemUnit.org_id == target.id)
                .values(position=source_position)
            )
    both = select(ItemUnit.item_id).where(ItemUnit.org_id == target.id)
    session.execute(delete(ItemUnit).where(ItemUnit.org_id == source.id, ItemUnit.item_id.in_(both)))
    moved = session.execute(update(ItemUnit).where(ItemUnit.org_id == source.id).values(org_id=target.id))
    session.execute(update(OrgAlias).where(OrgAlias.org_id == source.id).values(org_id=target.id))
    session.add(OrgAlias(bureau_id=bureau.id, org_id=target.id, norm=source.norm))
    before = {"name": source.name, "merged_into": None}
    source.merged_into_id = target.id
    target.needs_review = False
    audit.record(
        session,
        actor,
        "merge",
        "organisation",
        source.id,
        before,
        {"name": source.name, "merged_into": target.name, "items_moved": moved.rowcount},
    )
    session.flush()
    return target
