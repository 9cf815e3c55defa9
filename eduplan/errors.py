"""Errors a person sees: every message is one line of Chinese saying what is wrong."""

from __future__ import annotations


class EduplanError(Exception):
    """Base error; ``str(error)`` is the Chinese message shown to a person."""


class ReadError(EduplanError):
    """A file could not be read as a document (empty, corrupt, unsupported, no text)."""


class LimitError(ReadError):
    """A file or its contents exceed a configured size limit."""
