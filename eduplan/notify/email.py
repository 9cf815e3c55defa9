"""E-mail reminders through an SMTP server (settings from EDUPLAN_SMTP_*)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from eduplan.notify.errors import DeliveryError
from eduplan.settings import SmtpSettings

TIMEOUT_SECONDS = 15


def build_message(smtp: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = smtp.sender
    message["To"] = to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=smtp.sender.rpartition("@")[2] or "eduplan")
    message.set_content(body, charset="utf-8")
    return message


def send_email(smtp: SmtpSettings, to: str, subject: str, body: str) -> None:
    """Send one message; raise DeliveryError with the reason when it cannot be sent."""
    if not smtp.configured:
        raise DeliveryError("未配置邮件服务器（请设置环境变量 EDUPLAN_SMTP_HOST），邮件未发送")
    if not to:
        raise DeliveryError("没有填写邮箱地址，邮件未发送")
    message = build_message(smtp, to, subject, body)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS) as client:
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused:
        raise DeliveryError(f"邮件服务器拒收收件人 {to}") from None
    except smtplib.SMTPAuthenticationError:
        raise DeliveryError(
            "邮件服务器登录失败（请检查 EDUPLAN_SMTP_USER 和 EDUPLAN_SMTP_PASSWORD）"
        ) from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise DeliveryError(f"连接邮件服务器 {smtp.host}:{smtp.port} 失败：{reason}") from None
