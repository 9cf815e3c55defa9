"""User accounts: create, find, change passwords (argon2 hashes; never the password itself)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.errors import EduplanError
from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.models import ROLES, Organisation, User

MIN_PASSWORD = 8


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    *,
    bureau: Organisation,
    org: Organisation | None = None,
    display_name: str | None = None,
    actor: str = "系统",
) -> User:
    """A new account; office and school accounts name their organisation."""
    from eduplan.ledger.passwords import hash_password

    username = username.strip()
    if role not in ROLES:
        raise EduplanError(f"角色只能是 {'、'.join(ROLES)}")
    if not username or len(username) > 64:
        raise EduplanError("用户名不能为空，且不超过 64 个字符")
    if len(password) < MIN_PASSWORD:
        raise EduplanError(f"密码至少 {MIN_PASSWORD} 位")
    if role in ("office", "school") and org is None:
        raise EduplanError("科室和学校账号必须指定所属单位")
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise EduplanError(f"用户名“{username}”已被使用")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        bureau_id=bureau.id,
        org_id=org.id if org else None,
        active=True,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "user",
        user.id,
        None,
        {"username": username, "role": role, "org": org and org.name},
    )
    return user
