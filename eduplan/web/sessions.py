"""Server-side sessions: the cookie carries only a signed random id; the session is a row.

* ``ServerSessions`` (ASGI middleware) reads the cookie ``eduplan_session``, checks its signature
  (itsdangerous) and keeps the id for the request; a visitor without one gets a fresh id, sent
  back only when the page used it (its CSRF token). ``request.session`` holds just ``csrf``: an
  HMAC of the id, so a form's token belongs to one session and nothing else is in the cookie.
* ``start`` (signing in) makes a ``WebSession`` row under a new id — never the visitor's old one
  (no session fixation) — and ``current`` finds the row of a request, ending it when idle or
  too old (``eduplan.settings.WebSettings``); ``end_current``, ``end_user_sessions`` and
  ``end_session`` delete rows, so a copied cookie stops working at once.
* The cookie is ``HttpOnly``, ``SameSite=Lax``, and ``Secure`` over HTTPS (or as the setting says).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eduplan.ledger import clock
from eduplan.ledger.models import User, WebSession
from eduplan.settings import WebSettings
from eduplan.web.security import new_token, token_digest

COOKIE = "eduplan_session"
ANONYMOUS = "a."
"""Prefix of the id given to a visitor before signing in (the sign-in form's CSRF token needs
one); signing in replaces it by an id without it, so the signed cookie alone tells the body
limit (``eduplan.web.limits``) a signed-in request from an anonymous one."""
STATE = "eduplan.session"
"""The scope key of the request's ``CookieState``."""
TOUCH_EVERY = timedelta(minutes=1)
"""``last_seen_at`` is written at most this often per session (not on every request)."""
AGENT_CHARS = 300
ADDRESS_CHARS = 64


class CookieState:
    """The session id of one request and what the response must do with the cookie. A visitor
    without a valid cookie gets an id minted only when something asks for it (the page read its
    CSRF token): an API request with a bearer token mints none."""

    __slots__ = ("_token", "clear", "csrf_key", "minted", "row_id", "send")

    def __init__(
        self,
        token: str | None,
        minted: bool,
        send: bool = False,
        clear: bool = False,
        row_id: int | None = None,
        csrf_key: bytes = b"",
    ) -> None:
        self._token = token
        self.minted = minted
        """True when the request carried no valid cookie and ``token`` is made for it."""
        self.send = send
        """Set the cookie on the response (a new id after signing in, or a minted one that was used)."""
        self.clear = clear
        """Delete the cookie (signed out)."""
        self.row_id = row_id
        """The ``WebSession`` found for this request (``current``)."""
        self.csrf_key = csrf_key

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = ANONYMOUS + new_token()
        return self._token

    @token.setter
    def token(self, value: str) -> None:
        self._token = value

    def __repr__(self) -> str:
        flags = f"minted={self.minted}, send={self.send}, clear={self.clear}"
        return f"CookieState({flags}, row_id={self.row_id})"


class SessionData(dict):
    """``request.session``: only the CSRF token, an HMAC of the session id computed the first
    time it is read (most API requests never read it); remembers whether a page read it."""

    read = False

    def __init__(self, state: CookieState) -> None:
        super().__init__()
        self._state: CookieState | None = state

    def _fill(self) -> None:
        state = self._state
        if state is not None:
            self._state = None
            if not super().__contains__("csrf"):
                super().__setitem__("csrf", _csrf_for(state.csrf_key, state.token))

    def get(self, key, default=None):
        self.read = True
        self._fill()
        return super().get(key, default)

    def __getitem__(self, key):
        self.read = True
        self._fill()
        return super().__getitem__(key)

    def __setitem__(self, key, value) -> None:
        self._fill()
        super().__setitem__(key, value)

    def __contains__(self, key) -> bool:
        self._fill()
        return super().__contains__(key)

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def keys(self):
        self._fill()
        return super().keys()

    def values(self):
        self._fill()
        return super().values()

    def items(self):
        self._fill()
        return super().items()

    def pop(self, key, *default):
        self._fill()
        return super().pop(key, *default)

    def copy(self) -> dict:
        self._fill()
        return dict(super().items())

    def __eq__(self, other) -> bool:
        self._fill()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._fill()
        return super().__repr__()


def _csrf_for(key: bytes, token: str) -> str:
    digest = hmac.new(key, b"csrf:" + token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class ServerSessions:
    """The session cookie: a signed id in, the cookie (new, kept or deleted) out."""

    def __init__(self, app: ASGIApp, secret_key: str, settings: WebSettings) -> None:
        self.app = app
        self.signer = TimestampSigner(secret_key, salt="eduplan.session")
        self.csrf_key = hashlib.sha256(b"eduplan.csrf:" + secret_key.encode()).digest()
        self.settings = settings
        self.max_age = settings.session_lifetime_hours * 3600

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = HTTPConnection(scope).cookies.get(COOKIE)
        token = None
        if raw:
            try:
                token = self.signer.unsign(raw, max_age=self.max_age).decode()
            except (BadSignature, UnicodeDecodeError):
                token = None
        state = CookieState(token, minted=token is None, csrf_key=self.csrf_key)
        data = SessionData(state)
        scope[STATE] = state
        scope["session"] = data

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = self._cookie(scope, state, data)
                if cookie:
                    MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, scope: Scope, state: CookieState, data: SessionData) -> str | None:
        secure = self.settings.cookie_secure
        if secure is None:
            secure = scope.get("scheme") == "https"
        flags = "; path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        if state.clear:
            return f"{COOKIE}=null; Max-Age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT{flags}"
        if state.send or (state.minted and data.read):
            value = self.signer.sign(state.token).decode()
            return f"{COOKIE}={value}; Max-Age={self.max_age}{flags}"
        return None


def _state(request: Request) -> CookieState | None:
    return request.scope.get(STATE)


def signed_in_cookie(request: Request) -> bool:
    """The request carries a valid cookie of a signed-in session (not a visitor's id). Whether
    the session row still exists is for ``current``; this reads no database and no
    ``request.session`` (reading it would send an anonymous visitor a cookie)."""
    state = _state(request)
    return state is not None and not state.minted and not state.token.startswith(ANONYMOUS)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def settings_of(request: Request) -> WebSettings:
    return getattr(request.app.state, "web_settings", None) or WebSettings()


def client_address(request: Request) -> str:
    """The address a request came from: the connection's, or — only behind a proxy named in
    ``EDUPLAN_FORWARDED_ALLOW_IPS`` — the client's as that proxy says (uvicorn's
    ProxyHeadersMiddleware, added by ``create_app``)."""
    return request.client.host if request.client else "unknown"


def _expired(row: WebSession, at: datetime, settings: WebSettings) -> bool:
    return at - _aware(row.last_seen_at) > timedelta(minutes=settings.session_idle_minutes) or at - _aware(
        row.created_at
    ) > timedelta(hours=settings.session_lifetime_hours)


def current(session: Session, request: Request) -> WebSession | None:
    """The request's session row, or None (no cookie, ended, idle too long or too old — an
    expired row is deleted here). ``last_seen_at`` is brought up to date (once a minute)."""
    state = _state(request)
    if state is None or state.minted:
        return None
    digest = token_digest(state.token)
    row = session.scalars(select(WebSession).where(WebSession.token_hash == digest)).first()
    if row is None:
        return None
    at = clock.now()
    if _expired(row, at, settings_of(request)):
        session.delete(row)
        session.commit()
        state.clear = True
        return None
    if at - _aware(row.last_seen_at) >= TOUCH_EVERY:
        row.last_seen_at = at
        session.commit()
    state.row_id = row.id
    return row


def current_id(request: Request) -> int | None:
    """The id of the request's session row once ``current`` found it (the viewer is known)."""
    state = _state(request)
    return state.row_id if state else None


def start(session: Session, request: Request, user: User) -> WebSession:
    """Sign ``user`` in: a new session under a new id (the caller commits). Sessions of anyone
    that have run out are deleted on the way."""
    state = _state(request)
    if state is None:
        raise RuntimeError("ServerSessions middleware is not installed")
    at = clock.now()
    settings = settings_of(request)
    session.execute(
        delete(WebSession).where(
            or_(
                WebSession.last_seen_at < at - timedelta(minutes=settings.session_idle_minutes),
                WebSession.created_at < at - timedelta(hours=settings.session_lifetime_hours),
            )
        )
    )
    token = new_token()
    row = WebSession(
        token_hash=token_digest(token),
        user_id=user.id,
        created_at=at,
        last_seen_at=at,
        address=client_address(request)[:ADDRESS_CHARS],
        user_agent=request.headers.get("user-agent", "")[:AGENT_CHARS],
    )
    session.add(row)
    session.flush()
    state.token, state.minted, state.send, state.clear, state.row_id = token, False, True, False, row.id
    request.session["csrf"] = _csrf_for(state.csrf_key, token)
    return row


def end_current(session: Session, request: Request) -> None:
    """Sign out: the request's session row goes and the cookie is deleted (the caller commits)."""
    state = _state(request)
    if state is None:
        return
    if not state.minted:
        session.execute(delete(WebSession).where(WebSession.token_hash == token_digest(state.token)))
    state.clear, state.send, state.row_id = True, False, None


def end_user_sessions(session: Session, user_id: int) -> int:
    """End every session of a user (the caller commits); how many there were."""
    ended = session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    return ended.rowcount or 0


def end_session(session: Session, user_id: int, session_id: int) -> bool:
    """End one of the user's own sessions; False if there is no such session of theirs."""
    ended = session.execute(
        delete(WebSession).where(WebSession.id == session_id, WebSession.user_id == user_id)
    )
    return bool(ended.rowcount)


def user_sessions(session: Session, user_id: int) -> list[WebSession]:
    """A user's sessions, the most recently used first."""
    return list(
        session.scalars(
            select(WebSession)
            .where(WebSession.user_id == user_id)
            .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())
        )
    )


def set_notice(session: Session, request: Request, notice: str) -> None:
    """A one-line notice for the next page of this session (the caller commits)."""
    row_id = current_id(request)
    row = session.get(WebSession, row_id) if row_id else None
    if row is not None:
        row.notice = notice


def pop_notice(session: Session, request: Request) -> str | None:
    """The notice left for this session, once."""
    row_id = current_id(request)
    row = session.get(WebSession, row_id) if row_id else None
    if row is None or not row.notice:
        return None
    notice, row.notice = row.notice, None
    session.commit()
    return notice
