"""Passwords: argon2 hashes (never the password itself), and a dummy hash for names that do not
exist so signing in takes as long either way."""

from __future__ import annotations

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
        _dummy[key] = _hasher.hash(secrets.token_urlsafe(32))
    return _dummy[key]
