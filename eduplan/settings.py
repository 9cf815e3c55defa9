"""Settings declared once, as data, with defaults and help; read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """Size limits for reading documents. Environment: EDUPLAN_<NAME upper-cased>."""

    max_file_bytes: int = 20 * 1024 * 1024
    """Largest input file accepted, in bytes."""
    max_unpacked_bytes: int = 256 * 1024 * 1024
    """Largest total uncompressed size of a .docx/.xlsx archive (zip-bomb guard)."""
    max_compression_ratio: int = 200
    """Largest uncompressed/compressed ratio of one archive member (zip-bomb guard)."""
    max_text_chars: int = 20_000_000
    """Most characters of text the reader hands to the parser."""
    max_pdf_pages: int = 500
    """Most PDF pages read."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        env = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = env.get("EDUPLAN_" + f.name.upper())
            if raw:
                values[f.name] = int(raw)
        return cls(**values)


DEFAULT_DATABASE_URL = "sqlite:///eduplan.db"
"""The embedded SQLite file in the working directory; EDUPLAN_DATABASE_URL overrides it."""


def database_url(environ: dict[str, str] | None = None) -> str:
    """The ledger's database URL: EDUPLAN_DATABASE_URL, else ``./eduplan.db`` (SQLite)."""
    env = os.environ if environ is None else environ
    return env.get("EDUPLAN_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
