"""iCalendar (RFC 5545) rendering of a :class:`CalendarDoc`: one all-day VEVENT per dated row.

The text is written by a small writer here rather than through ``icalendar.Calendar.to_ical``:
the library took 0.7–1.2 s for 2,000 events on a 2-core machine, this writer takes a few tens of
milliseconds. Tests parse the output back with both ``icalendar`` and ``vobject``.

Writer rules (RFC 5545 §3.1, §3.3.11): TEXT values escape ``\\``, ``;``, ``,`` and newlines;
control characters other than TAB are dropped; content lines are folded at 75 octets without
splitting a UTF-8 character (continuation lines start with one space); lines end with CRLF.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from eduplan.calendar.model import CalendarDoc, CalendarRow

PRODID = "-//eduplan//行事历//ZH"
TIMEZONE = "Asia/Shanghai"
CANCELLED = "已取消"

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
_MAX_OCTETS = 75
_DAY = timedelta(days=1)


def render_ics(doc: CalendarDoc) -> bytes:
    """The calendar as iCalendar bytes (UTF-8, CRLF); rows without a start date are left out.

    DTSTAMP is ``doc.generated`` (in UTC); without it, the row's ``updated`` or else the time now."""
    writer = _Writer(_utc(doc.generated) if doc.generated else None)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        _fold("PRODID:" + _text(PRODID)),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        _fold("X-WR-CALNAME:" + _text(doc.calname)),
        "X-WR-TIMEZONE:" + TIMEZONE,
    ]
    for row in doc.rows:
        if row.start is not None:
            writer.event(row, lines)
    lines.append("END:VCALENDAR")
    lines.append("")
    return "\r\n".join(lines).encode("utf-8")


class _Writer:
    """Appends VEVENT content lines; caches the few distinct date and stamp strings."""

    def __init__(self, stamp: datetime | None) -> None:
        self.stamp = stamp
        self.now = datetime.now(UTC)
        self.dates: dict[date, str] = {}
        self.stamps: dict[datetime, str] = {}

    def date(self, day: date) -> str:
        text = self.dates.get(day)
        if text is None:
            text = self.dates[day] = f"{day.year:04d}{day.month:02d}{day.day:02d}"
        return text

    def utc(self, moment: datetime) -> str:
        text = self.stamps.get(moment)
        if text is None:
            text = self.stamps[moment] = _stamp(_utc(moment))
        return text

    def event(self, row: CalendarRow, lines: list[str]) -> None:
        start = row.start
        assert start is not None
        end = row.end if row.end is not None and row.end >= start else start
        stamp = self.stamp or row.updated or self.now
        add = lines.append
        add("BEGIN:VEVENT")
        add(_fold("UID:" + _text(row.uid)))
        add("DTSTAMP:" + self.utc(stamp))
        add("DTSTART;VALUE=DATE:" + self.date(start))
        add("DTEND;VALUE=DATE:" + self.date(end + _DAY))
        add(f"SEQUENCE:{max(int(row.sequence), 0)}")
        if row.updated is not None:
            add("LAST-MODIFIED:" + self.utc(row.updated))
        add(_fold("SUMMARY:" + _text(_summary(row))))
        description = event_description(row)
        if description:
            add(_fold("DESCRIPTION:" + _text(description)))
        category = row.office or (row.units[0] if row.units else None)
        if category:
            add(_fold("CATEGORIES:" + _text(category)))
        add("STATUS:CANCELLED" if row.status == CANCELLED else "STATUS:CONFIRMED")
        add("TRANSP:TRANSPARENT")
        add("END:VEVENT")


def event_description(row: CalendarRow) -> str:
    """DESCRIPTION text: the requirement, then 责任单位, 状态, 农历 and a holiday warning."""
    parts = []
    if row.text.strip():
        parts.append(row.text.strip())
    if row.units:
        parts.append("责任单位：" + "、".join(row.units))
    elif row.office:
        parts.append("责任单位：" + row.office)
    if row.status:
        parts.append("状态：" + row.status)
    if row.lunar:
        parts.append(row.lunar if row.lunar.startswith("农历") else "农历" + row.lunar)
    if row.holiday:
        parts.append(f"注意：当天为{row.holiday}（法定节假日）")
    return "\n".join(parts)


def _summary(row: CalendarRow) -> str:
    title = row.title.strip()
    if title:
        return title
    text = _NEWLINE_RE.sub(" ", row.text.strip())
    return text[:40] or "（无标题）"


def _text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    if "\r" in value:
        value = _NEWLINE_RE.sub("\n", value)
    value = _CONTROL_RE.sub("", value)
    # str.replace is several times faster than str.translate on CJK text.
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _utc(moment: datetime) -> datetime:
    """Naive datetimes are taken to be UTC (as the ledger stores them)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _stamp(moment: datetime) -> str:
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"
    )


def _fold(line: str) -> str:
    """Fold one content line at 75 octets; continuation lines begin with a space."""
    if len(line) <= 18 or (len(line) <= _MAX_OCTETS and line.isascii()):
        return line  # at most 4 octets a character: cannot exceed 75
    raw = line.encode("utf-8", "replace")
    if len(raw) <= _MAX_OCTETS:
        return line
    pieces = []
    pos, limit = 0, _MAX_OCTETS
    while len(raw) - pos > limit:
        cut = pos + limit
        while raw[cut] & 0xC0 == 0x80:  # never split inside a UTF-8 sequence
            cut -= 1
        pieces.append(raw[pos:cut])
        pos, limit = cut, _MAX_OCTETS - 1
    pieces.append(raw[pos:])
    return b"\r\n ".join(pieces).decode("utf-8")
