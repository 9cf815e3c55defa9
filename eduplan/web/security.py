"""Random tokens (API tokens, their digests) and the CSRF token kept in the signed session.
Passwords are hashed in ``eduplan.ledger.passwords``."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    """A URL-safe random secret (API tokens, feed links, CSRF tokens)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What is stored for an API token: its SHA-256, so a stolen database reveals no token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(session: dict) -> str:
    """The session's CSRF token, made on first use."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = new_token()
    return token


def csrf_valid(session: dict, sent: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and sent and hmac.compare_digest(expected, sent))
