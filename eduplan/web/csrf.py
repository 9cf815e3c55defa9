"""The CSRF check of state-changing cookie requests (the token kept in the session, sent as the
``X-CSRF-Token`` header or the form's ``csrf_token`` field), and the answer to a form that cannot
be parsed."""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.exceptions import HTTPException as StarletteHTTPException

from eduplan.web.security import csrf_valid

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

FORM_REFUSED = "上传的表单数据无效（文件名太长或格式不对），请改短文件名后重新上传"


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing cookie request without the session's CSRF token."""
    if request.method in SAFE_METHODS or request.headers.get("authorization", "").lower().startswith(
        "bearer "
    ):
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        try:
            form = await request.form()
        except StarletteHTTPException:  # the multipart parser's English 400
            raise HTTPException(400, FORM_REFUSED) from None
        sent = form.get("csrf_token")
    if not csrf_valid(request.session, sent if isinstance(sent, str) else None):
        raise HTTPException(403, "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试")
