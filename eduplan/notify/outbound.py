"""Outbound HTTP calls that cannot be aimed inside the network (SSRF guard).

A URL a school or office types (a chat-bot webhook) is only called when its host resolves to
public addresses only: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
(169.254/16 — cloud metadata — and fe80::/10), multicast, reserved, unspecified and other
non-global addresses are refused, and only ports 80 and 443. ``check`` runs when the URL is saved
and again right before each call; ``post`` then connects to exactly the address it checked (the
name is not looked up a second time, so a DNS answer that changes in between — DNS rebinding —
cannot redirect the call), with TLS still verified against the host name. Redirects are never
followed. Hosts the administrator names in ``EDUPLAN_OUTBOUND_ALLOW_HOSTS`` (``name`` or
``name:port``) are let through on any address and port, e.g. an intranet bot gateway. The mail
server is not guarded: the administrator configures it."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from eduplan.errors import EduplanError

ALLOWED_PORTS = (80, 443)
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_ANSWER = 65536

Resolver = Callable[[str, int], list[str]]


class OutboundRefused(EduplanError):
    """The URL may not be called; the message says why, in Chinese."""


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (what a connection might use)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


resolver: Resolver = system_resolver
"""The name lookup in use; tests put a stub here (no real network)."""


def internal_address(address: str) -> bool:
    """True for an address an outside caller must not reach: anything not globally routable."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and internal_address(str(embedded)):
            return True
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


@dataclass(frozen=True)
class Target:
    """A URL that passed the check, and the address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def _allowed(host: str, port: int, allow_hosts: Iterable[str]) -> bool:
    names = {h.strip().lower() for h in allow_hosts}
    return host in names or f"{host}:{port}" in names or f"[{host}]:{port}" in names


def check(url: str, allow_hosts: Iterable[str] | None = None) -> Target:
    """Where ``url`` would be called, or ``OutboundRefused`` with the reason."""
    if allow_hosts is None:
        from eduplan.settings import WebSettings

        allow_hosts = WebSettings.from_env().outbound_allow_hosts
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise OutboundRefused("Webhook 地址必须以 http:// 或 https:// 开头")
    host = parts.hostname.lower().rstrip(".")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise OutboundRefused("Webhook 地址的端口号不对") from None
    allowed = _allowed(host, port, allow_hosts)
    if not allowed and port not in ALLOWED_PORTS:
        raise OutboundRefused(
            f"Webhook 地址只能使用 80 或 443 端口（填的是 {port}）；"
            "如确需其他端口，请管理员在服务器上允许该主机"
        )
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise OutboundRefused(f"无法解析 Webhook 地址的主机名“{host}”")
    if not allowed:
        inside = [a for a in addresses if internal_address(a)]
        if inside:
            raise OutboundRefused(
                f"Webhook 地址“{host}”指向内网、本机或保留地址（{inside[0]}），已拒绝："
                "群机器人地址必须是互联网上的公开地址"
            )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses[0])


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def pinned(_address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
        # Connect to the address checked, not to a second lookup of the name; TLS (above)
        # still checks the certificate against the host name.
        return socket.create_connection((target.address, target.port), timeout, source_address)

    conn._create_connection = pinned  # http.client's hook for making the socket
    return conn


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allow_hosts: Iterable[str] | None = None,
) -> tuple[int, bytes]:
    """POST ``body`` to ``url`` once checked; (status, the first 64 KiB of the answer). A redirect
    is answered with ``OutboundRefused`` (never followed)."""
    target = check(url, allow_hosts)
    conn = _connection(target, timeout)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        status = response.status
        answer = response.read(MAX_ANSWER)
    finally:
        conn.close()
    if 300 <= status < 400:
        raise OutboundRefused(f"群机器人地址要求跳转（HTTP {status}），为安全起见不跟随跳转")
    return status, answer
