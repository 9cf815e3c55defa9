"""Text as the ledger stores it: what people type (reports, reasons, 督办 notes) loses the control
characters a database column should not hold; progress and supervision both use it."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Control characters out (kept: tab and line breaks), as documents are read: PostgreSQL
    text cannot even hold U+0000."""
    return _CONTROL.sub("", text or "")
