"""How each office and school wants its reminders (NotificationSetting): channels, addresses,
quiet days. An organisation without a setting gets in-app notifications only, quiet on weekends
and public holidays."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.models import CHANNELS, NotificationSetting, Organisation
from eduplan.notify import outbound
from eduplan.notify.webhook import WEBHOOK_KINDS, valid_url

CHANNEL_LABELS = {"email": "邮件", "inapp": "站内通知", "webhook": "群机器人"}
_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
MAX_EMAIL = 320
MAX_URL = 1000


@dataclass(frozen=True)
class Preferences:
    """An organisation's reminder settings as the dispatcher uses them."""

    channels: tuple[str, ...] = ("inapp",)
    email: str | None = None
    webhook_url: str | None = None
    webhook_kind: str | None = None
    quiet_weekends: bool = True
    quiet_holidays: bool = True
    stored: bool = False  # False: the defaults of an organisation without a setting


DEFAULT = Preferences()


def _from_row(row: NotificationSetting) -> Preferences:
    return Preferences(
        tuple(c for c in CHANNELS if c in (row.channels or [])),
        row.email,
        row.webhook_url,
        row.webhook_kind,
        bool(row.quiet_weekends),
        bool(row.quiet_holidays),
        stored=True,
    )


def preferences_for(session: Session, org_ids: list[int]) -> dict[int, Preferences]:
    """Settings of the given organisations; those without a row get ``DEFAULT``."""
    found: dict[int, Preferences] = {}
    for i in range(0, len(org_ids), 5000):
        for row in session.scalars(
            select(NotificationSetting).where(NotificationSetting.org_id.in_(org_ids[i : i + 5000]))
        ):
            found[row.org_id] = _from_row(row)
    return {org_id: found.get(org_id, DEFAULT) for org_id in org_ids}


def validate(
    channels: list[str],
    email: str,
    webhook_url: str,
    webhook_kind: str,
    quiet_weekends: bool,
    quiet_holidays: bool,
) -> tuple[Preferences, list[str]]:
    """Settings from a form, and what is wrong with them (Chinese messages; empty when fine)."""
    errors = []
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown:
        errors.append(f"未知的提醒方式：{'、'.join(unknown)}")
    email, webhook_url, webhook_kind = email.strip(), webhook_url.strip(), webhook_kind.strip()
    if "email" in channels and not email:
        errors.append("选择了邮件提醒，请填写邮箱地址")
    if email and (len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email)):
        errors.append(f"邮箱地址“{email[:80]}”格式不对，应类似 jijiao@example.edu.cn")
    if "webhook" in channels and not webhook_url:
        errors.append("选择了群机器人提醒，请填写 Webhook 地址")
    if webhook_url and (len(webhook_url) > MAX_URL or not valid_url(webhook_url)):
        errors.append("Webhook 地址必须是以 http:// 或 https:// 开头的完整网址")
    elif webhook_url:
        try:  # the same guard runs again before each send (DNS answers can change)
            outbound.check(webhook_url)
        except outbound.OutboundRefused as exc:
            errors.append(str(exc))
    if webhook_url and webhook_kind not in WEBHOOK_KINDS:
        errors.append("请选择群机器人类型：钉钉或企业微信")
    prefs = Preferences(
        tuple(c for c in CHANNELS if c in channels),
        email or None,
        webhook_url or None,
        webhook_kind or None,
        quiet_weekends,
        quiet_holidays,
        stored=True,
    )
    return prefs, errors


def save(session: Session, org: Organisation, prefs: Preferences, actor: str) -> None:
    """Store the organisation's settings (audited)."""
    row = session.get(NotificationSetting, org.id)
    before = _as_dict(_from_row(row)) if row is not None else None
    if row is None:
        row = NotificationSetting(org_id=org.id)
        session.add(row)
    row.channels = list(prefs.channels)
    row.email = prefs.email
    row.webhook_url = prefs.webhook_url
    row.webhook_kind = prefs.webhook_kind
    row.quiet_weekends = prefs.quiet_weekends
    row.quiet_holidays = prefs.quiet_holidays
    row.updated_at = now()
    session.flush()
    audit.record(session, actor, "set", "notification_setting", org.id, before, _as_dict(prefs))


def _as_dict(prefs: Preferences) -> dict:
    return {
        "channels": list(prefs.channels),
        "email": prefs.email,
        "webhook_url": prefs.webhook_url,
        "webhook_kind": prefs.webhook_kind,
        "quiet_weekends": prefs.quiet_weekends,
        "quiet_holidays": prefs.quiet_holidays,
    }


DEMO_PREFERENCES = {
    "基教股": Preferences(("email", "inapp"), email="jijiao@example.edu.cn"),
    "教研室": Preferences(("email", "inapp"), email="jiaoyan@example.edu.cn"),
    "城关中学": Preferences(("email", "inapp"), email="chengguan@example.edu.cn"),
}
"""Demo units that want e-mail as well; the other units keep the default (in-app only)."""


def seed_demo_preferences(session: Session, units: dict[str, Organisation]) -> None:
    """Reminder settings for the demo units (left alone when a unit already has one)."""
    for name, prefs in DEMO_PREFERENCES.items():
        org = units.get(name)
        if org is not None and session.get(NotificationSetting, org.id) is None:
            save(session, org, prefs, "演示数据")
