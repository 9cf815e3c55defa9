"""One place for "now" and "today", so tests and the CLI's --date can pin them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from eduplan.settings import bureau_timezone

BUREAU_TZ = bureau_timezone()
"""The bureaus' time zone: Asia/Shanghai unless EDUPLAN_TIMEZONE says otherwise."""


def now() -> datetime:
    """The current instant (timezone-aware, UTC)."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date where the bureaus are (China Standard Time)."""
    return datetime.now(BUREAU_TZ).date()


def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored instant as a person there reads it (``2024-09-02 14:05``): in the bureau's time
    zone; a naive value (SQLite gives those back) is taken as UTC, as it was stored."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BUREAU_TZ).strftime(fmt)
