"""One place for "now" and "today", so tests and the CLI's --date can pin them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BUREAU_TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current instant (timezone-aware, UTC)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the bureaus are (China Standard Time)."""
    return datetime.now(BUREAU_TZ).date()
