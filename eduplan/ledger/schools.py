"""Schools with types, groups of schools and their members, and a school's own offices.

A group (an organisation of kind "group") resolves to its members:

1. the members an administrator listed (``GroupMember``: 城区学校, a 学区 and its 村小);
2. else the schools of its standard key (``Organisation.group_key`` when set, else read from
   its name by ``schoolwords.group_key_for``: 各小学 → every school teaching 小学);
3. else — a collective name nobody has defined (相关学校) — every school of the bureau, as
   before groups had members, and flagged for review when it was created.

Schools' own offices (kind "school_office": 城关中学教务处) hang under their school and count
as the school's.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.models import GroupMember, Organisation
from eduplan.ledger.schoolwords import (
    SCHOOL_TYPES,
    STANDARD_GROUPS,
    group_key_for,
    guess_school_type,
    in_group,
    school_office_split,
)


class SchoolError(EduplanError):
    """A school type or group change the rules refuse (the message says why, in Chinese)."""


def school_type_label(school_type: str | None) -> str:
    return SCHOOL_TYPES.get(school_type or "", "未设置")


def group_key(group: Organisation) -> str | None:
    """The group's standard key: set by an administrator, else read from its name."""
    return group.group_key or group_key_for(group.norm)


def bureau_schools(session: Session, bureau_id: int) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .where(
                Organisation.bureau_id == bureau_id,
                Organisation.kind == "school",
                Organisation.merged_into_id.is_(None),
            )
            .order_by(Organisation.id)
        )
    )


def bureau_groups(session: Session, bureau_id: int) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .where(
                Organisation.bureau_id == bureau_id,
                Organisation.kind == "group",
                Organisation.merged_into_id.is_(None),
            )
            .order_by(Organisation.id)
        )
    )


def listed_members(session: Session, group_ids: Iterable[int]) -> dict[int, list[int]]:
    """The members an administrator listed, by group id (groups without any left out)."""
    ids = list(group_ids)
    result: dict[int, list[int]] = {}
    if not ids:
        return result
    rows = session.execute(
        select(GroupMember.group_id, GroupMember.member_id)
        .where(GroupMember.group_id.in_(ids))
        .order_by(GroupMember.group_id, GroupMember.member_id)
    )
    for group_id, member_id in rows:
        result.setdefault(group_id, []).append(member_id)
    return result


class Membership:
    """Every group of one bureau with its member schools, read once (a few queries): what the
    permission checks, the reminders and the distribution of items ask many times over."""

    def __init__(self, session: Session, bureau_id: int) -> None:
        self.bureau_id = bureau_id
        self.schools = {s.id: s for s in bureau_schools(session, bureau_id)}
        self.groups = {g.id: g for g in bureau_groups(session, bureau_id)}
        listed = listed_members(session, self.groups)
        self.members: dict[int, list[Organisation]] = {}
        for group in self.groups.values():
            if group.id in listed:
                chosen = [self.schools[m] for m in listed[group.id] if m in self.schools]
            else:
                key = group_key(group)
                if key is None:
                    chosen = list(self.schools.values())
                else:
                    chosen = [s for s in self.schools.values() if in_group(key, s.school_type)]
            self.members[group.id] = chosen

    def of(self, group_id: int) -> list[Organisation]:
        return self.members.get(group_id, [])

    def groups_of(self, school_id: int) -> frozenset[int]:
        return frozenset(g for g, members in self.members.items() if any(m.id == school_id for m in members))


def members(session: Session, group: Organisation) -> list[Organisation]:
    """The schools a group stands for (see the module's rules), by id."""
    if group.bureau_id is None:
        return []
    return Membership(session, group.bureau_id).of(group.id)


def groups_of(session: Session, school: Organisation) -> frozenset[int]:
    """The ids of the groups ``school`` belongs to (of its own bureau)."""
    if school.bureau_id is None or school.kind != "school":
        return frozenset()
    return Membership(session, school.bureau_id).groups_of(school.id)


def expand(
    session: Session, units: list[Organisation], known: Membership | None = None
) -> list[Organisation]:
    """Units with every group replaced by its member schools (the bureau itself dropped); a
    school's own office stands for itself. Order kept, no repeats. ``known``: a bureau's
    membership already read (for many items in a row)."""
    result: dict[int, Organisation] = {}
    membership: dict[int, Membership] = {known.bureau_id: known} if known is not None else {}
    for unit in units:
        if unit.kind == "group" and unit.bureau_id is not None:
            found = membership.setdefault(unit.bureau_id, Membership(session, unit.bureau_id))
            result |= {s.id: s for s in found.of(unit.id)}
        elif unit.kind != "bureau":
            result[unit.id] = unit
    return list(result.values())


def own_offices(session: Session, school: Organisation) -> list[Organisation]:
    """A school's own offices (教务处, 德育处 …): kind school_office, under the school."""
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.parent_id == school.id, Organisation.kind == "school_office")
            .order_by(Organisation.id)
        )
    )


# ---------------------------------------------------------------- changes (administrators)


def set_school_type(session: Session, school: Organisation, school_type: str | None, actor: str) -> bool:
    """Set (or clear, with None) a school's type; False when it already had it."""
    if school.kind != "school":
        raise SchoolError("只有学校才有学校类型")
    if school_type is not None and school_type not in SCHOOL_TYPES:
        raise SchoolError(f"学校类型应为{'、'.join(SCHOOL_TYPES.values())}之一")
    if school.school_type == school_type:
        return False
    before = {"school_type": school.school_type}
    school.school_type = school_type
    audit.record(
        session, actor, "school_type", "organisation", school.id, before, {"school_type": school_type}
    )
    return True


def guess_types(session: Session, bureau_id: int, actor: str) -> int:
    """Give every untyped school of the bureau the type its name suggests; how many changed."""
    changed = 0
    for school in bureau_schools(session, bureau_id):
        if school.school_type is None:
            guess = guess_school_type(school.norm)
            if guess is not None:
                changed += set_school_type(session, school, guess, actor)
    return changed


def set_group(
    session: Session,
    group: Organisation,
    *,
    key: str | None,
    member_ids: Iterable[int] | None,
    actor: str,
) -> None:
    """Define a group: its standard key (None: read from its name) and, when ``member_ids`` is
    given, the schools listed as its members (an empty list: none listed, the key decides)."""
    if group.kind != "group":
        raise SchoolError("只有学校群组才能设置成员")
    if key is not None and key not in STANDARD_GROUPS:
        raise SchoolError("没有这种学校群组")
    before = {"group_key": group.group_key, "members": _listed(session, group)}
    group.group_key = key
    if member_ids is not None:
        wanted = list(dict.fromkeys(member_ids))
        schools = {s.id for s in bureau_schools(session, group.bureau_id)} if group.bureau_id else set()
        strangers = [m for m in wanted if m not in schools]
        if strangers:
            raise SchoolError("群组成员须是本局的学校")
        session.execute(delete(GroupMember).where(GroupMember.group_id == group.id))
        for member in wanted:
            session.add(GroupMember(group_id=group.id, member_id=member))
    session.flush()
    after = {"group_key": group.group_key, "members": _listed(session, group)}
    audit.record(session, actor, "group", "organisation", group.id, before, after)


def _listed(session: Session, group: Organisation) -> list[int]:
    return listed_members(session, [group.id]).get(group.id, [])


def attach_school_offices(session: Session, bureau_id: int, actor: str) -> int:
    """Hang each office named after a school (城关中学教务处) under that school, as the
    school's own (kind school_office); how many moved."""
    schools = {s.norm: s for s in bureau_schools(session, bureau_id)}
    moved = 0
    offices = session.scalars(
        select(Organisation).where(
            Organisation.bureau_id == bureau_id,
            Organisation.kind.in_(("office", "school_office")),
            Organisation.merged_into_id.is_(None),
        )
    )
    for office in offices:
        split = school_office_split(office.norm)
        school = schools.get(split[0]) if split else None
        if school is None or (office.kind == "school_office" and office.parent_id == school.id):
            continue
        before = {"kind": office.kind, "parent_id": office.parent_id}
        office.kind, office.parent_id = "school_office", school.id
        audit.record(
            session,
            actor,
            "attach",
            "organisation",
            office.id,
            before,
            {"kind": "school_office", "parent": school.name},
        )
        moved += 1
    return moved


def answers_for(session: Session, org: Organisation) -> frozenset[int]:
    """The ids of the units whose items are a school's own work besides itself: the groups it
    belongs to (各小学 for a primary school, not for a middle school) and its own offices.
    Empty for anything but a school."""
    if org.kind != "school":
        return frozenset()
    return groups_of(session, org) | {o.id for o in own_offices(session, org)}


def scope_ids(session: Session, org: Organisation) -> set[int]:
    """A unit's own id with, for a school, ``answers_for``."""
    return {org.id, *answers_for(session, org)}
