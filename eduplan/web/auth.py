"""Who is asking: the signed-in user (a server-side session, ``eduplan.web.sessions``) or an API
token; roles and scope."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from eduplan.ledger import schools
from eduplan.ledger.models import ApiToken, Organisation, User
from eduplan.web import sessions as web_sessions
from eduplan.web.db import get_session
from eduplan.web.security import token_digest

ROLE_LABELS = {"admin": "管理员", "office": "科室", "school": "学校", "guest": "访客"}


@dataclass(frozen=True)
class Viewer:
    """The person behind a request, with what the permission checks need."""

    id: int
    username: str
    display_name: str
    role: str
    bureau_id: int | None
    org_id: int | None
    org_name: str | None
    via_token: bool = False
    member_of: frozenset[int] = frozenset()
    """For a school: the groups it belongs to and its own offices (``schools.answers_for``),
    whose items are its own work too."""

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _member_of(session: Session, role: str, org: Organisation | None) -> frozenset[int]:
    """The groups a school's user answers for (none for other roles)."""
    return schools.answers_for(session, org) if org is not None and role == "school" else frozenset()


def _viewer(session: Session, user: User, via_token: bool = False) -> Viewer:
    org = session.get(Organisation, user.org_id) if user.org_id else None
    member_of = _member_of(session, user.role, org)
    return Viewer(
        user.id,
        user.username,
        user.display_name,
        user.role,
        user.bureau_id,
        user.org_id,
        org.name if org is not None else None,
        via_token,
        member_of,
    )


def optional_viewer(request: Request, session: Session = Depends(get_session)) -> Viewer | None:
    """The signed-in user, an API token's user, or None (also kept on ``request.state.viewer``
    for the page templates)."""
    viewer = _find_viewer(request, session)
    request.state.viewer = viewer
    return viewer


class DeferredViewer:
    """``require_viewer`` of a request, looked up later by ``resolve`` in the thread that runs
    its sync endpoint (the API's: ``eduplan.web.api.common``), so the lookup's query costs no
    thread hop of its own. Same lookup, same 401."""

    __slots__ = ("request", "session")

    def __init__(self, request: Request, session: Session) -> None:
        self.request = request
        self.session = session

    def resolve(self) -> Viewer:
        return required_viewer(self.request, self.session)


def required_viewer(request: Request, session: Session) -> Viewer:
    """``require_viewer``'s lookup, called directly (in the thread of a sync API endpoint)."""
    return _required(optional_viewer(request, session))


async def deferred_viewer(request: Request, session: Session = Depends(get_session)) -> DeferredViewer:
    """What stands for ``Depends(require_viewer)`` in a sync API endpoint until it runs."""
    return DeferredViewer(request, session)


_TOKEN_VIEWER = (
    select(
        User.id,
        User.username,
        User.display_name,
        User.role,
        User.bureau_id,
        User.org_id,
        User.active,
        Organisation.name,
    )
    .join(ApiToken, ApiToken.user_id == User.id)
    .outerjoin(Organisation, Organisation.id == User.org_id)
    .where(ApiToken.token_hash == bindparam("digest"), ApiToken.revoked_at.is_(None))
    .limit(1)
)
"""An API token's user and unit name in one prebuilt statement: every API request starts with
it, and loading the token, the user and the unit as ORM objects cost three queries per request."""


def _token_viewer(session: Session, secret: str) -> Viewer:
    # On the session's connection, as Core: the ORM's execute (autoflush, ORM result setup)
    # cost as much CPU again as the query, and the request has nothing to flush yet.
    row = session.connection().execute(_TOKEN_VIEWER, {"digest": token_digest(secret)}).first()
    if row is None or not row.active:
        raise HTTPException(401, "API 令牌无效或已撤销")
    user_id, username, display_name, role, bureau_id, org_id, _active, org_name = row
    org = session.get(Organisation, org_id) if org_id is not None and role == "school" else None
    member_of = _member_of(session, role, org)
    return Viewer(user_id, username, display_name, role, bureau_id, org_id, org_name, True, member_of)


def _find_viewer(request: Request, session: Session) -> Viewer | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return _token_viewer(session, header[7:].strip())
    row = web_sessions.current(session, request)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return _viewer(session, user)


# async: no I/O here, so FastAPI runs them in the event loop instead of sending each to a
# worker thread and back (two thread hops per API request).
def _required(viewer: Viewer | None) -> Viewer:
    if viewer is None:
        raise HTTPException(401, "请先登录")
    return viewer


async def require_viewer(viewer: Viewer | None = Depends(optional_viewer)) -> Viewer:
    return _required(viewer)


async def require_admin(viewer: Viewer = Depends(require_viewer)) -> Viewer:
    if not viewer.is_admin:
        raise HTTPException(403, "只有管理员可以这样做")
    return viewer
