"""Passwords (argon2), random tokens, and the CSRF token kept in the signed session."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy: dict[int, str] = {}


def dummy_hash() -> str:
    """A hash of a password nobody has, made with the same cost as real ones: signing in as a
    name that does not exist (or an inactive account) verifies against it, so it takes as long
    as a wrong password for a real account and the time tells nothing."""
    key = id(_hasher)
    if key not in _dummy:
        _dummy.clear()
        _dummy[key] = _hasher.hash(new_token())
    return _dummy[key]


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
