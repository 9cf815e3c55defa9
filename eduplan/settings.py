"""Settings declared once, as data, with defaults and help; read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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


DEFAULT_TIMEZONE = "Asia/Shanghai"
"""The bureaus' time zone (China Standard Time); EDUPLAN_TIMEZONE overrides it."""


def bureau_timezone(environ: dict[str, str] | None = None) -> ZoneInfo:
    """The time zone every time is shown in and "today" is taken in: EDUPLAN_TIMEZONE (an IANA
    name such as ``Asia/Urumqi``), else Asia/Shanghai. A name the system does not know is an
    error that says what to write."""
    env = os.environ if environ is None else environ
    name = env.get("EDUPLAN_TIMEZONE", "").strip() or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        from eduplan.errors import EduplanError

        raise EduplanError(
            f"EDUPLAN_TIMEZONE 设置的时区“{name}”无法识别，请填写时区名称，例如 Asia/Shanghai"
        ) from None


DEFAULT_DATABASE_URL = "sqlite:///eduplan.db"
"""The embedded SQLite file in the working directory; EDUPLAN_DATABASE_URL overrides it."""


def database_url(environ: dict[str, str] | None = None) -> str:
    """The ledger's database URL: EDUPLAN_DATABASE_URL, else ``./eduplan.db`` (SQLite)."""
    env = os.environ if environ is None else environ
    return env.get("EDUPLAN_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server reminders are sent through. Environment: EDUPLAN_SMTP_HOST, _PORT, _USER,
    _PASSWORD, _FROM, _STARTTLS (1/true/yes). Without a host, e-mail is not configured."""

    host: str = ""
    """Mail server host name; empty: e-mail deliveries are recorded as failed with the reason."""
    port: int = 25
    """Mail server port (25; 587 is usual with STARTTLS)."""
    user: str = ""
    """Login name, when the server wants one."""
    password: str = ""
    """Password for ``user``."""
    sender: str = "eduplan@localhost"
    """The From address of reminder mail."""
    starttls: bool = False
    """Upgrade the connection with STARTTLS before logging in."""

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> SmtpSettings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return env.get("EDUPLAN_SMTP_" + name, "").strip()

        port = get("PORT")
        if port and not port.isdigit():
            raise ValueError(f"EDUPLAN_SMTP_PORT 应为端口号（数字），而不是“{port}”")
        return cls(
            host=get("HOST"),
            port=int(port) if port else cls.port,
            user=get("USER"),
            password=env.get("EDUPLAN_SMTP_PASSWORD", ""),
            sender=get("FROM") or cls.sender,
            starttls=get("STARTTLS").lower() in ("1", "true", "yes", "on"),
        )


DEFAULT_BASE_URL = "http://127.0.0.1:8000"
"""Where people open the web app; links in reminders start with it. EDUPLAN_BASE_URL overrides it."""


def base_url(environ: dict[str, str] | None = None) -> str:
    """The web app's address for links in reminders (no trailing slash)."""
    env = os.environ if environ is None else environ
    return (env.get("EDUPLAN_BASE_URL", "").strip() or DEFAULT_BASE_URL).rstrip("/")


def _flag(raw: str, name: str) -> bool | None:
    """``1/true/yes/on`` → True, ``0/false/no/off`` → False, empty → None (the default applies)."""
    value = raw.strip().lower()
    if not value:
        return None
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} 应为 1 或 0，而不是“{raw}”")


def _list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


@dataclass(frozen=True)
class WebSettings:
    """How the web app treats sessions, proxies and outbound calls. Environment:
    EDUPLAN_SESSION_IDLE_MINUTES, EDUPLAN_SESSION_LIFETIME_HOURS, EDUPLAN_COOKIE_SECURE,
    EDUPLAN_FORWARDED_ALLOW_IPS, EDUPLAN_OUTBOUND_ALLOW_HOSTS."""

    session_idle_minutes: int = 120
    """A session not used for this long ends (the person signs in again)."""
    session_lifetime_hours: int = 12
    """A session ends this long after signing in, however busy."""
    cookie_secure: bool | None = None
    """The session cookie's ``Secure`` flag: None (default) when the request came over HTTPS —
    directly, or through a proxy named in ``forwarded_allow_ips`` that says so
    (``X-Forwarded-Proto: https``); True or False to force it."""
    forwarded_allow_ips: tuple[str, ...] = ()
    """Reverse proxies whose ``X-Forwarded-For`` / ``X-Forwarded-Proto`` are believed (addresses
    or networks, comma-separated). Empty (default): forwarded headers are ignored and the client
    address is the connection's — the login limit cannot be fooled by a made-up header."""
    outbound_allow_hosts: tuple[str, ...] = ()
    """Hosts (``name`` or ``name:port``) the administrator allows chat-bot webhooks to reach even
    on an internal address or another port than 80/443 (e.g. an intranet bot gateway)."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> WebSettings:
        env = os.environ if environ is None else environ

        def number(name: str, default: int) -> int:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            if not raw.isdigit() or int(raw) < 1:
                raise ValueError(f"{name} 应为正整数，而不是“{raw}”")
            return int(raw)

        return cls(
            session_idle_minutes=number("EDUPLAN_SESSION_IDLE_MINUTES", cls.session_idle_minutes),
            session_lifetime_hours=number("EDUPLAN_SESSION_LIFETIME_HOURS", cls.session_lifetime_hours),
            cookie_secure=_flag(env.get("EDUPLAN_COOKIE_SECURE", ""), "EDUPLAN_COOKIE_SECURE"),
            forwarded_allow_ips=_list(env.get("EDUPLAN_FORWARDED_ALLOW_IPS", "")),
            outbound_allow_hosts=_list(env.get("EDUPLAN_OUTBOUND_ALLOW_HOSTS", "")),
        )
