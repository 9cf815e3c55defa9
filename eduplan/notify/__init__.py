"""Delivering reminder digests: e-mail (``email``), in-app notifications (``inapp``) and chat-bot
webhooks (``webhook``), each organisation's channels as its settings say (``preferences``).

:func:`remind` is safe to run any number of times a day, also twice at once: before sending, it
claims the ``Delivery`` row of (organisation, channel, day) in a transaction of its own. A row
already "sent" (or being sent by another run) is skipped; a "failed" row is claimed again and
retried; a claim left "sending" by a run that died is taken over after ``STALE_CLAIM``.

May import: supervise (the digests), ledger, settings, errors — never reports, demo, web or cli.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from eduplan.ledger.clock import now
from eduplan.ledger.holidays import holiday_calendar
from eduplan.ledger.models import CHANNELS, Delivery
from eduplan.notify import email, inapp, webhook
from eduplan.notify.errors import DeliveryError
from eduplan.notify.preferences import CHANNEL_LABELS, Preferences, preferences_for
from eduplan.settings import SmtpSettings, base_url
from eduplan.supervise.reminders import Digest, build_digests, quiet_reason

STALE_CLAIM = timedelta(minutes=30)
SENDING, SENT, FAILED = "sending", "sent", "failed"

__all__ = ["CHANNEL_LABELS", "ChannelCounts", "RemindResult", "remind"]


@dataclass
class ChannelCounts:
    sent: int = 0
    skipped: int = 0  # already sent today (or being sent by another run)
    quiet: int = 0  # not sent: a quiet day (weekend or holiday) for that organisation
    failed: int = 0


@dataclass
class RemindResult:
    """What one run did, per channel, and why deliveries failed."""

    day: date
    counts: dict[str, ChannelCounts] = field(default_factory=lambda: {c: ChannelCounts() for c in CHANNELS})
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (organisation, channel, reason)
    quiet_orgs: list[tuple[str, str]] = field(default_factory=list)  # (organisation, reason)
    digests: int = 0  # organisations with something to remind of
    empty: int = 0  # organisations with nothing due, overdue or supervised

    @property
    def failed(self) -> int:
        return sum(c.failed for c in self.counts.values())

    @property
    def skipped(self) -> int:
        return sum(c.skipped for c in self.counts.values())

    def summary_line(self) -> str:
        """``remind 2026-11-23: email 3 sent, inapp 7 sent, webhook 1 sent, 0 failed, 0 already sent``"""
        sent = ", ".join(f"{c} {self.counts[c].sent} sent" for c in CHANNELS)
        return f"remind {self.day.isoformat()}: {sent}, {self.failed} failed, {self.skipped} already sent"


def remind(
    factory: sessionmaker[Session],
    day: date,
    *,
    smtp: SmtpSettings | None = None,
    base: str | None = None,
    org_ids: list[int] | None = None,
) -> RemindResult:
    """Build and deliver every office's and school's digest for ``day``; never sends one twice."""
    smtp = smtp if smtp is not None else SmtpSettings.from_env()
    base = base or base_url()
    result = RemindResult(day)
    with factory() as session:
        digests = build_digests(session, day, org_ids)
        prefs = preferences_for(session, [d.org_id for d in digests])
        calendar = holiday_calendar(session)
    for digest in digests:
        if digest.empty:
            result.empty += 1
            continue
        result.digests += 1
        pref = prefs[digest.org_id]
        quiet = quiet_reason(
            calendar, day, quiet_weekends=pref.quiet_weekends, quiet_holidays=pref.quiet_holidays
        )
        if quiet:
            result.quiet_orgs.append((digest.org_name, quiet))
        for channel in pref.channels:
            counts = result.counts[channel]
            if quiet:
                counts.quiet += 1
                continue
            claim = _claim(factory, digest.org_id, channel, day, digest.item_count)
            if claim is None:
                counts.skipped += 1
                continue
            error = _deliver(factory, claim, channel, digest, pref, smtp, base)
            if error is None:
                counts.sent += 1
            else:
                counts.failed += 1
                result.failures.append((digest.org_name, channel, error))
    return result


def _claim(factory: sessionmaker[Session], org_id: int, channel: str, day: date, items: int) -> int | None:
    """The Delivery row's id once this run holds it ("sending", committed), or None when the
    digest was sent already or another run is sending it. Each step writes first (insert, or a
    compare-and-set update), so two runs cannot both take a row, on SQLite as on PostgreSQL."""
    key = (Delivery.org_id == org_id) & (Delivery.channel == channel) & (Delivery.day == day)
    with factory() as session:
        row = Delivery(
            org_id=org_id, channel=channel, day=day, status=SENDING, items=items, attempted_at=now()
        )
        session.add(row)
        try:
            session.commit()
            return row.id
        except IntegrityError:  # the row exists: sent, failed, or another run's claim
            session.rollback()
        retry = (Delivery.status == FAILED) | (
            (Delivery.status == SENDING) & (Delivery.attempted_at < now() - STALE_CLAIM)
        )
        taken = session.execute(
            update(Delivery)
            .where(key, retry)
            .values(status=SENDING, attempted_at=now(), items=items, error=None)
        ).rowcount
        if taken != 1:
            session.rollback()
            return None
        claimed = session.scalar(select(Delivery.id).where(key))
        session.commit()
        return claimed


def _deliver(
    factory: sessionmaker[Session],
    claim: int,
    channel: str,
    digest: Digest,
    pref: Preferences,
    smtp: SmtpSettings,
    base: str,
) -> str | None:
    """Send on ``channel`` and record the outcome on the claimed row; the failure reason or None."""
    senders: dict[str, Callable[[], None]] = {
        "email": lambda: email.send_email(smtp, pref.email or "", digest.subject, digest.text(base)),
        "webhook": lambda: webhook.post_json(
            pref.webhook_url or "",
            webhook.payload(pref.webhook_kind or "", digest.subject, digest.markdown(base)),
        ),
    }
    error = None
    try:
        if channel == "inapp":
            # The notification and the "sent" mark commit together: never one without the other.
            with factory.begin() as session:
                inapp.post_notification(session, digest.org_id, digest.subject, digest.text(base))
                _finish(session, claim, None)
            return None
        senders[channel]()
    except DeliveryError as exc:
        error = str(exc)
    except Exception as exc:  # a bug or an unexpected library error must not stop the other digests
        error = f"内部错误：{type(exc).__name__}: {exc}"
    with factory.begin() as session:
        _finish(session, claim, error)
    return error


def _finish(session: Session, claim: int, error: str | None) -> None:
    session.execute(
        update(Delivery)
        .where(Delivery.id == claim)
        .values(status=FAILED if error else SENT, error=error, attempted_at=now())
    )
