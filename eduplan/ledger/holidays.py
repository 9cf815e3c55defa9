"""Holiday arrangements an administrator entered, stored in the ledger, on top of the package's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.calendar.holidays import DayOverride, HolidayCalendar
from eduplan.ledger import audit
from eduplan.ledger.models import HolidayOverride
from eduplan.ledger.queries import core_rows

_OVERRIDES = select(HolidayOverride.day, HolidayOverride.off, HolidayOverride.name)
"""Built once: building and keying the statement cost more Python than the few rows it reads,
on every 行事历 page (issue 12)."""


def holiday_calendar(session: Session) -> HolidayCalendar:
    """The holiday calendar with every stored override applied."""
    rows = core_rows(session, _OVERRIDES)
    return HolidayCalendar({day: DayOverride(off, name) for day, off, name in rows})


def store_overrides(session: Session, overrides: Mapping[date, DayOverride], actor: str) -> int:
    """Save days from the State Council's notice (replacing earlier entries for the same days)."""
    for day, override in sorted(overrides.items()):
        row = session.get(HolidayOverride, day)
        before = {"off": row.off, "name": row.name} if row else None
        if row is None:
            session.add(HolidayOverride(day=day, off=override.off, name=override.name))
        else:
            row.off, row.name = override.off, override.name
        audit.record(
            session,
            actor,
            "set",
            "holiday",
            None,
            before,
            {"day": day, "off": override.off, "name": override.name},
        )
    session.flush()
    return len(overrides)
