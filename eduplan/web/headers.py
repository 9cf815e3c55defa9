"""Security headers on every response: a Content-Security-Policy without inline scripts, no
MIME sniffing, no framing, referrers kept inside the site.

The policy allows scripts and styles only from the app itself. Pages therefore carry no inline
``<script>`` blocks, no ``on…=`` handlers, no ``<style>`` blocks and no ``style=`` attributes:
scripts live in ``eduplan/web/static/*.js``, styles in ``static/app.css`` and the per-page sheets
``static/pages/*.css`` (tests/web/test_headers.py scans the templates and the rendered pages).
A route may set its own, stricter values (attachments do); they are kept.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
"""``img-src data:``: swagger-ui and Chart.js draw small icons from data: URLs."""

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Pure ASGI middleware (streams and file responses pass through untouched) adding
    ``SECURITY_HEADERS`` to every HTTP response that does not already set them."""

    def __init__(self, app: ASGIApp, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in (headers or SECURITY_HEADERS).items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                raw.extend((name, value) for name, value in self.headers if name not in present)
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_INLINE_CODE = (
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)),
    ("event handler attribute", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)),
    ("javascript URL", re.compile(r"""\b(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)),
    ("<style> block", re.compile(r"<style\b", re.I)),
    ("style attribute", re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)),
)


def inline_code_found(html: str) -> list[str]:
    """What in a page (or a template) the policy would block: inline scripts, ``on…=`` handlers,
    ``javascript:`` links, ``<style>`` blocks and ``style=`` attributes, each with its text."""
    found = []
    for label, pattern in _INLINE_CODE:
        found.extend(f"{label}: {m.group(0)[:120]}" for m in pattern.finditer(html))
    return found
