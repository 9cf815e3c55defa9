"""管理 pages' work: what each page shows and the changes an administrator makes (accounts,
offices and schools, terms, holiday arrangements). Every change is audit-logged; a refused change
raises ``EduplanError`` with the Chinese sentence shown above the form."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from eduplan.calendar import model as cal
from eduplan.calendar.holidays import builtin_years_text, missing_years_message, parse_overrides
from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.accounts import MIN_PASSWORD, create_user
from eduplan.ledger.clock import now, today
from eduplan.ledger.holidays import holiday_calendar, store_overrides
from eduplan.ledger.models import (
    ROLES,
    ApiToken,
    HolidayOverride,
    OrgAlias,
    Organisation,
    Term,
    User,
)
from eduplan.ledger.orgs import merge
from eduplan.ledger.passwords import hash_password
from eduplan.ledger.terms import store_term
from eduplan.text import normalize
from eduplan.web.auth import ROLE_LABELS, Viewer
from eduplan.web.sessions import end_user_sessions, user_sessions

UNIT_KINDS = {"office": "科室", "school": "学校", "group": "学校集合"}
MAX_TERM_WEEKS = 30


class NotFound(EduplanError):
    """A unit or account that does not exist or belongs to another bureau (the page says 404)."""


# ------------------------------------------------------------------------------ shared


def bureau_of(session: Session, viewer: Viewer) -> Organisation:
    bureau = session.get(Organisation, viewer.bureau_id) if viewer.bureau_id else None
    if bureau is None:
        raise EduplanError("当前账号不属于任何教育局")
    return bureau


def overview(session: Session, viewer: Viewer) -> dict:
    users = session.scalars(select(User).where(User.bureau_id == viewer.bureau_id)).all()
    units = _units(session, viewer.bureau_id)
    terms = session.scalars(select(Term).where(Term.bureau_id == viewer.bureau_id)).all()
    this_year = today().year
    return {
        "user_count": sum(1 for u in users if u.active),
        "inactive_count": sum(1 for u in users if not u.active),
        "unit_count": sum(1 for u in units if u.merged_into_id is None),
        "review_count": sum(1 for u in units if u.needs_review and u.merged_into_id is None),
        "term_count": len(terms),
        "holiday_warning": missing_years_message(
            holiday_calendar(session).missing_years(date(this_year, 1, 1), date(this_year + 1, 12, 31))
        ),
    }


# ------------------------------------------------------------------------------ users


NEW_ACCOUNT_ROLE = "guest"
"""The role the new-account form starts on: the least privilege (访客, read only); the
administrator raises it deliberately."""


def users_page(session: Session, viewer: Viewer) -> dict:
    users = session.scalars(
        select(User).where(User.bureau_id == viewer.bureau_id).order_by(User.active.desc(), User.id)
    ).all()
    orgs = {o.id: o for o in _units(session, viewer.bureau_id)}
    return {
        "users": [
            {
                "user": u,
                "role_label": ROLE_LABELS.get(u.role, u.role),
                "org": orgs.get(u.org_id),
                "sessions": len(user_sessions(session, u.id)),
            }
            for u in users
        ],
        "roles": [(r, ROLE_LABELS[r]) for r in ROLES],
        "default_role": NEW_ACCOUNT_ROLE,
        "units": [o for o in orgs.values() if o.merged_into_id is None and o.kind in ("office", "school")],
        "min_password": MIN_PASSWORD,
    }


def add_user(
    session: Session,
    viewer: Viewer,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    org_id: str,
) -> User:
    bureau = bureau_of(session, viewer)
    if role not in ROLES:
        raise EduplanError("请选择角色")
    org = None
    if role in ("office", "school"):
        if not org_id.strip():
            raise EduplanError("科室和学校账号必须选择所属单位")
        org = own_unit(session, viewer, org_id)
        if org.kind != role:
            want = "科室" if role == "office" else "学校"
            raise EduplanError(f"“{org.name}”不是{want}，请重新选择所属单位")
    return create_user(
        session,
        username,
        password,
        role,
        bureau=bureau,
        org=org,
        display_name=display_name.strip() or None,
        actor=viewer.username,
    )


def own_user(session: Session, viewer: Viewer, user_id: int) -> User | None:
    """A user of the administrator's bureau (None for another bureau's: the page says 404)."""
    user = session.get(User, user_id)
    return user if user is not None and user.bureau_id == viewer.bureau_id else None


def set_active(session: Session, viewer: Viewer, user: User, active: bool) -> str:
    if not active and user.id == viewer.id:
        raise EduplanError("不能停用自己的账号")
    if user.active == active:
        return f"账号“{user.username}”已经是{'启用' if active else '停用'}状态"
    user.active = active
    ended = 0 if active else end_user_sessions(session, user.id)
    audit.record(
        session,
        viewer.username,
        "activate" if active else "deactivate",
        "user",
        user.id,
        {"active": not active},
        {"active": active, **({"sessions_ended": ended} if not active else {})},
    )
    if active:
        return f"已启用账号“{user.username}”"
    return f"已停用账号“{user.username}”，并结束其 {ended} 个登录会话"


def reset_password(session: Session, viewer: Viewer, user: User, password: str, confirm: str) -> str:
    """A new password set by an administrator: every session of the user ends and every API
    token of theirs is revoked (whoever knew the old password may have made one)."""
    if len(password) < MIN_PASSWORD:
        raise EduplanError(f"新密码至少 {MIN_PASSWORD} 位")
    if password != confirm:
        raise EduplanError("两次输入的新密码不一致")
    user.password_hash = hash_password(password)
    ended = end_user_sessions(session, user.id)
    revoked = revoke_user_tokens(session, user.id)
    audit.record(
        session,
        viewer.username,
        "reset_password",
        "user",
        user.id,
        None,
        {"username": user.username, "sessions_ended": ended, "tokens_revoked": revoked},
    )
    return (
        f"已重设“{user.username}”的密码，结束其 {ended} 个登录会话，撤销其 {revoked} 个 API 令牌；"
        "请通知本人用新密码登录，对接程序需换用新令牌"
    )


def revoke_user_tokens(session: Session, user_id: int) -> int:
    """Revoke every live API token of a user; how many."""
    revoked = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now())
    )
    return revoked.rowcount or 0


def set_role(session: Session, viewer: Viewer, user: User, role: str, org_id: str) -> str:
    """Another role (and unit) for an account; its sessions end, so the new role applies at once
    and nobody keeps working under the old one."""
    if user.id == viewer.id:
        raise EduplanError("不能修改自己的角色")
    if role not in ROLES:
        raise EduplanError("请选择角色")
    org = None
    if role in ("office", "school"):
        if not org_id.strip():
            raise EduplanError("科室和学校账号必须选择所属单位")
        org = own_unit(session, viewer, org_id)
        if org.kind != role:
            want = "科室" if role == "office" else "学校"
            raise EduplanError(f"“{org.name}”不是{want}，请重新选择所属单位")
    before = {"role": user.role, "org_id": user.org_id}
    user.role, user.org_id = role, org.id if org else None
    if before == {"role": user.role, "org_id": user.org_id}:
        return f"账号“{user.username}”的角色没有变化"
    ended = end_user_sessions(session, user.id)
    audit.record(
        session,
        viewer.username,
        "change_role",
        "user",
        user.id,
        before,
        {"role": user.role, "org_id": user.org_id, "sessions_ended": ended},
    )
    unit = f"（{org.name}）" if org else ""
    return f"已把“{user.username}”改为{ROLE_LABELS[role]}{unit}，并结束其 {ended} 个登录会话"


def end_sessions(session: Session, viewer: Viewer, user: User) -> str:
    """An administrator signs a user out everywhere."""
    ended = end_user_sessions(session, user.id)
    audit.record(session, viewer.username, "end_sessions", "user", user.id, None, {"sessions_ended": ended})
    return f"已结束“{user.username}”的 {ended} 个登录会话"


# ------------------------------------------------------------------------------ offices and schools


def _units(session: Session, bureau_id: int | None) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.bureau_id == bureau_id, Organisation.kind != "bureau")
            .order_by(Organisation.id)
        )
    )


def own_unit(session: Session, viewer: Viewer, org_id: int | str) -> Organisation:
    """An office, school or group of the administrator's bureau that is not merged away."""
    try:
        org = session.get(Organisation, int(org_id))
    except (TypeError, ValueError):
        org = None
    if org is None or org.bureau_id != viewer.bureau_id or org.kind == "bureau":
        raise NotFound("找不到该单位")
    if org.merged_into_id is not None:
        raise EduplanError(f"“{org.name}”已合并到其他单位")
    return org


def units_page(session: Session, viewer: Viewer) -> dict:
    units = _units(session, viewer.bureau_id)
    by_id = {u.id: u for u in units}
    aliases: dict[int, list[str]] = defaultdict(list)
    for org_id, norm in session.execute(
        select(OrgAlias.org_id, OrgAlias.norm).where(OrgAlias.bureau_id == viewer.bureau_id)
    ):
        aliases[org_id].append(norm)
    live = [u for u in units if u.merged_into_id is None]
    groups = [(label, [u for u in live if u.kind == kind], kind) for kind, label in UNIT_KINDS.items()]
    merged = [(u, by_id.get(u.merged_into_id)) for u in units if u.merged_into_id is not None]
    return {
        "groups": groups,
        "live": live,
        "merged": merged,
        "aliases": aliases,
        "kinds": list(UNIT_KINDS.items()),
        "review_count": sum(1 for u in live if u.needs_review),
    }


def _name_taken(session: Session, bureau_id: int, norm: str, except_id: int | None = None) -> str | None:
    """The name of the unit already called (or aliased) ``norm`` in the bureau, else None."""
    for org in session.scalars(
        select(Organisation).where(Organisation.bureau_id == bureau_id, Organisation.norm == norm)
    ):
        if org.id != except_id:
            return org.name
    alias = session.scalars(
        select(OrgAlias).where(OrgAlias.bureau_id == bureau_id, OrgAlias.norm == norm)
    ).first()
    if alias is not None and alias.org_id != except_id:
        return session.get(Organisation, alias.org_id).name
    return None


def _clean_name(name: str) -> tuple[str, str]:
    name = " ".join(name.split())
    norm = normalize(name)
    if not norm:
        raise EduplanError("单位名称不能为空")
    if len(name) > 200:
        raise EduplanError("单位名称不超过 200 个字符")
    return name, norm


def add_unit(session: Session, viewer: Viewer, name: str, kind: str) -> Organisation:
    bureau = bureau_of(session, viewer)
    name, norm = _clean_name(name)
    if kind not in UNIT_KINDS:
        raise EduplanError("请选择单位类型：科室、学校或学校集合")
    taken = _name_taken(session, bureau.id, norm)
    if taken:
        raise EduplanError(f"已有单位“{taken}”与“{name}”同名")
    org = Organisation(
        bureau_id=bureau.id,
        parent_id=bureau.id,
        kind=kind,
        name=name,
        norm=norm,
        needs_review=False,
        created_at=now(),
    )
    session.add(org)
    session.flush()
    audit.record(
        session, viewer.username, "create", "organisation", org.id, None, {"name": name, "kind": kind}
    )
    return org


def rename_unit(session: Session, viewer: Viewer, org: Organisation, name: str, kind: str) -> str:
    """A new name (the old one stays as an alias, so later imports still find the unit) and,
    optionally, a corrected kind."""
    name, norm = _clean_name(name)
    if kind and kind not in UNIT_KINDS:
        raise EduplanError("请选择单位类型：科室、学校或学校集合")
    kind = kind or org.kind
    if norm != org.norm:
        taken = _name_taken(session, org.bureau_id, norm, except_id=org.id)
        if taken:
            raise EduplanError(f"已有单位“{taken}”叫这个名字；如是同一单位，请用“合并”")
    if name == org.name and kind == org.kind:
        return "名称和类型没有变化"
    before = {"name": org.name, "kind": org.kind}
    if norm != org.norm:
        session.execute(
            OrgAlias.__table__.delete().where(OrgAlias.bureau_id == org.bureau_id, OrgAlias.norm == norm)
        )
        session.add(OrgAlias(bureau_id=org.bureau_id, org_id=org.id, norm=org.norm))
    org.name, org.norm, org.kind = name, norm, kind
    audit.record(
        session, viewer.username, "update", "organisation", org.id, before, {"name": name, "kind": kind}
    )
    return f"已将“{before['name']}”改为“{name}”（{UNIT_KINDS[kind]}）"


def merge_units(session: Session, viewer: Viewer, alias_id: str, into_id: str) -> str:
    """Merge one unit into another (its items, aliases and accounts move over)."""
    if not alias_id or not into_id:
        raise EduplanError("请选择要合并的单位和合并到的单位")
    source = own_unit(session, viewer, alias_id)
    target = own_unit(session, viewer, into_id)
    if source.id == target.id:
        raise EduplanError("不能把单位合并到它自己")
    if source.kind != target.kind and "group" in (source.kind, target.kind):
        raise EduplanError("学校集合（如“各学校”）不能与单个科室或学校合并")
    merge(session, bureau_of(session, viewer), source.name, target.name, viewer.username)
    moved = session.execute(update(User).where(User.org_id == source.id).values(org_id=target.id)).rowcount
    if moved:
        audit.record(
            session,
            viewer.username,
            "update",
            "user",
            None,
            {"org": source.name},
            {"org": target.name, "users_moved": moved},
        )
    return f"已将“{source.name}”合并到“{target.name}”" + (f"，{moved} 个账号随之转入" if moved else "")


def mark_reviewed(session: Session, viewer: Viewer, org: Organisation) -> str:
    if org.needs_review:
        org.needs_review = False
        audit.record(
            session,
            viewer.username,
            "review",
            "organisation",
            org.id,
            {"needs_review": True},
            {"needs_review": False},
        )
    return f"已核对“{org.name}”"


# ------------------------------------------------------------------------------ terms


def terms_page(session: Session, viewer: Viewer) -> dict:
    terms = session.scalars(
        select(Term).where(Term.bureau_id == viewer.bureau_id).order_by(Term.start.desc())
    ).all()
    return {"terms": terms, "week_label": cal.week_label}


def _date(value: str, label: str) -> date:
    value = value.strip()
    if not value:
        raise EduplanError(f"请填写{label}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise EduplanError(f"{label}“{value}”不是日期，应写成 2027-02-22 这样的格式") from None


def add_term(
    session: Session,
    viewer: Viewer,
    *,
    name: str,
    start: str,
    end: str,
    week1_start: str,
    prep_week: bool,
) -> Term:
    bureau = bureau_of(session, viewer)
    first = _date(start, "学期开始日期")
    last = _date(end, "学期结束日期")
    week1 = _date(week1_start, "第一周开始日期")
    if last < first:
        raise EduplanError("学期结束日期不能早于开始日期")
    if not first <= week1 <= last:
        raise EduplanError("第一周开始日期应在学期之内")
    if prep_week and week1 - timedelta(days=7) < first:
        raise EduplanError("有预备周时，第一周应比学期开始日期至少晚 7 天（预备周在学期之内）")
    if (last - week1).days // 7 + 1 > MAX_TERM_WEEKS:
        raise EduplanError(f"一个学期不超过 {MAX_TERM_WEEKS} 周，请检查日期")
    clash = session.scalars(
        select(Term).where(Term.bureau_id == bureau.id, Term.start <= last, Term.end >= first)
    ).first()
    if clash is not None:
        raise EduplanError(
            f"与已有学期“{clash.name}”（{clash.start.isoformat()} 至 {clash.end.isoformat()}）时间重叠"
        )
    name = " ".join(name.split())
    if len(name) > 200:
        raise EduplanError("学期名称不超过 200 个字符")
    term = store_term(session, bureau.id, cal.Term(name, first, last, week1, prep_week))
    audit.record(
        session,
        viewer.username,
        "create",
        "term",
        term.id,
        None,
        {
            "name": term.name,
            "start": first,
            "end": last,
            "week1_start": week1,
            "prep_week": prep_week,
            "weeks": len(term.weeks),
        },
    )
    return term


# ------------------------------------------------------------------------------ holidays


def holidays_page(session: Session) -> dict:
    rows = session.scalars(select(HolidayOverride).order_by(HolidayOverride.day)).all()
    by_year: dict[int, list[HolidayOverride]] = defaultdict(list)
    for row in rows:
        by_year[row.day.year].append(row)
    this_year = today().year
    missing = holiday_calendar(session).missing_years(date(this_year, 1, 1), date(this_year + 1, 12, 31))
    return {
        "by_year": sorted(by_year.items()),
        "missing": missing_years_message(missing),
        "builtin_years": builtin_years_text(),
    }


def save_holidays(session: Session, viewer: Viewer, text: str) -> str:
    if not text.strip():
        raise EduplanError("请粘贴节假日安排，每行一天或一段，例如“2027-02-06..2027-02-12 春节 休”")
    try:
        overrides = parse_overrides(text)
    except ValueError as exc:
        raise EduplanError(str(exc)) from None
    if not overrides:
        raise EduplanError("没有读到任何日期（空行和 # 开头的注释会被忽略）")
    count = store_overrides(session, overrides, viewer.username)
    off = sum(1 for o in overrides.values() if o.off)
    years = "、".join(str(y) for y in sorted({d.year for d in overrides}))
    return f"已保存 {years} 年的 {count} 天：放假 {off} 天，调休上班 {count - off} 天"
