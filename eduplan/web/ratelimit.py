"""Login rate limiting on the ``LoginFailure`` table (shared by every server process).

* One account from one address: after ``ACCOUNT_LIMIT`` failed sign-ins within ``WINDOW``, that
  account is locked **for that address** for ``LOCKOUT`` (counted from the last failure). Other
  addresses can still sign in to the account, and other accounts behind the same address (a
  school's NAT) are unaffected, so one person mistyping cannot lock out a whole school, and an
  attacker elsewhere cannot lock out a real user.
* One address, all accounts: after ``ADDRESS_LIMIT`` failures within ``WINDOW`` the address may
  not sign in at all for ``LOCKOUT`` (password spraying across many accounts).
* A successful sign-in clears that account's failures from that address.

While locked, attempts are refused without checking the password and are not counted, so a lock
ends on time. The address is ``request.client.host``, the connection's: ``X-Forwarded-For`` is
ignored (a made-up header neither gets past a lock nor locks someone else out) unless the
administrator names the reverse proxy (``eduplan serve --forwarded-allow-ips`` or
``EDUPLAN_FORWARDED_ALLOW_IPS``); then, for requests from that proxy only, it is the client's
address the proxy reports. API tokens are long random secrets checked by their hash; guessing one is
hopeless, so token authentication is not rate limited.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from eduplan.ledger import clock
from eduplan.ledger.models import LoginFailure

WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 100
KEEP = timedelta(days=1)
"""Failures older than this are deleted when a new one is recorded."""

_FIELD = 64  # LoginFailure.username / .address are String(64)


@dataclass(frozen=True)
class Lock:
    """Why and until when sign-in is refused."""

    until: datetime
    whole_address: bool

    def minutes_left(self, at: datetime) -> int:
        return max(1, math.ceil((self.until - at).total_seconds() / 60))

    def message(self, at: datetime) -> str:
        minutes = self.minutes_left(at)
        if self.whole_address:
            return f"本机地址登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试"
        return f"该账号在本机登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试（其他电脑不受影响）"


def _key(username: str, address: str) -> tuple[str, str]:
    return username.strip()[:_FIELD], (address or "unknown")[:_FIELD]


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _lock_from(times: list[datetime], limit: int) -> datetime | None:
    """The lock's end if the latest failure made ``limit`` within ``WINDOW``, else None."""
    if len(times) < limit:
        return None
    latest = times[0]
    if _aware(times[limit - 1]) >= _aware(latest) - WINDOW:
        return _aware(latest) + LOCKOUT
    return None


def check(session: Session, username: str, address: str) -> Lock | None:
    """The lock in force for ``username`` signing in from ``address`` now, or None."""
    username, address = _key(username, address)
    at = clock.now()
    since = at - WINDOW - LOCKOUT
    recent = select(LoginFailure.at).where(LoginFailure.at >= since).order_by(LoginFailure.at.desc())
    account = list(
        session.scalars(
            recent.where(LoginFailure.username == username, LoginFailure.address == address).limit(
                ACCOUNT_LIMIT
            )
        )
    )
    until = _lock_from(account, ACCOUNT_LIMIT)
    if until and until > at:
        return Lock(until, whole_address=False)
    count = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.address == address, LoginFailure.at >= since)
    )
    if count >= ADDRESS_LIMIT:
        spread = list(session.scalars(recent.where(LoginFailure.address == address).limit(ADDRESS_LIMIT)))
        until = _lock_from(spread, ADDRESS_LIMIT)
        if until and until > at:
            return Lock(until, whole_address=True)
    return None


def record_failure(session: Session, username: str, address: str) -> None:
    """Count a failed sign-in (the caller commits)."""
    username, address = _key(username, address)
    at = clock.now()
    session.execute(delete(LoginFailure).where(LoginFailure.at < at - KEEP))
    session.add(LoginFailure(username=username, address=address, at=at))


def clear(session: Session, username: str, address: str) -> None:
    """Forget the account's failures from this address after it signed in (the caller commits)."""
    username, address = _key(username, address)
    session.execute(
        delete(LoginFailure).where(LoginFailure.username == username, LoginFailure.address == address)
    )
