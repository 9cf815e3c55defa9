"""Chat-bot reminders: a JSON POST in the markdown format DingTalk and WeCom group bots accept."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

from eduplan.notify import outbound
from eduplan.notify.errors import DeliveryError

WEBHOOK_KINDS = {"dingtalk": "钉钉群机器人", "wecom": "企业微信群机器人"}
TIMEOUT_SECONDS = 10
WECOM_MAX_BYTES = 4096


def valid_url(url: str) -> bool:
    """Only http:// and https:// addresses with a host."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def payload(kind: str, title: str, markdown: str) -> dict[str, Any]:
    """DingTalk: {"msgtype":"markdown","markdown":{"title","text"}};
    WeCom: {"msgtype":"markdown","markdown":{"content"}} (cut to its 4096-byte limit)."""
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": markdown}}
    if kind == "wecom":
        content = markdown.encode("utf-8")[:WECOM_MAX_BYTES].decode("utf-8", "ignore")
        return {"msgtype": "markdown", "markdown": {"content": content}}
    raise DeliveryError(f"未知的群机器人类型“{kind}”（应为 dingtalk 或 wecom）")


def post_json(url: str, body: dict[str, Any]) -> None:
    """POST ``body``; raise DeliveryError unless the server answers 2xx (and, when it answers
    JSON with an ``errcode`` as both bots do, errcode 0). The address is checked again right
    before sending (``outbound.check``: no internal addresses, no DNS rebinding, no redirects)."""
    if not valid_url(url):
        raise DeliveryError("Webhook 地址必须以 http:// 或 https:// 开头")
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    try:
        status, answer = outbound.post(
            url, data, {"Content-Type": "application/json; charset=utf-8"}, timeout=TIMEOUT_SECONDS
        )
    except outbound.OutboundRefused as exc:
        raise DeliveryError(str(exc)) from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"连接群机器人地址失败：{exc}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"群机器人地址返回 HTTP {status}")
    try:
        data = json.loads(answer.decode("utf-8")) if answer.strip() else None
    except (UnicodeDecodeError, ValueError):
        data = None
    if isinstance(data, dict) and data.get("errcode") not in (None, 0):
        raise DeliveryError(f"群机器人拒收：errcode {data.get('errcode')}，{data.get('errmsg', '')}")
