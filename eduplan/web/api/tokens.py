"""API tokens: creating, listing and revoking one's own."""

from __future__ import annotations

from fastapi import Depends, HTTPException, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger import audit, clock
from eduplan.ledger.models import ApiToken
from eduplan.web.api.common import _ERRORS, WRITE, TokenId, _actor, api_router
from eduplan.web.api.schemas import TokenCreated, TokenIn, TokenOut
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session
from eduplan.web.security import new_token, token_digest

router = api_router()

# ------------------------------------------------------------------------------ API tokens


def _token_out(token: ApiToken) -> dict:
    return {
        "id": token.id,
        "name": token.name,
        "created_at": token.created_at,
        "revoked_at": token.revoked_at,
    }


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=201,
    summary="创建 API 令牌",
    description=(
        "为对接系统（如 OA）创建令牌，以后用 Authorization: Bearer <令牌> 调用本 API，权限与本人相同。"
        "令牌只在这次返回中出现，服务器只保存其 SHA-256 摘要。须登录后在浏览器会话中创建（带 X-CSRF-Token）。"
    ),
    dependencies=WRITE,
    responses={403: _ERRORS[403]},
)
def create_token(
    body: TokenIn, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> TokenCreated:
    if viewer.via_token:
        raise HTTPException(403, "API 令牌不能用来创建新令牌，请登录后创建")
    name = body.name.strip()
    if not name:
        raise HTTPException(422, "请填写令牌用途")
    secret = new_token()
    token = ApiToken(user_id=viewer.id, name=name, token_hash=token_digest(secret), created_at=clock.now())
    session.add(token)
    session.flush()
    audit.record(session, _actor(viewer), "create", "api_token", token.id, None, {"name": name})
    session.commit()
    return TokenCreated(**_token_out(token), token=secret)


@router.get(
    "/tokens",
    response_model=list[TokenOut],
    summary="我的 API 令牌",
    description="本人创建的令牌（不含令牌本身），含已撤销的。",
)
def tokens(
    viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> list[TokenOut]:
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id == viewer.id).order_by(ApiToken.id))
    return [TokenOut(**_token_out(t)) for t in rows]


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    summary="撤销 API 令牌",
    description="撤销本人的令牌，此后用它的请求一律返回 401。重复撤销不报错。",
    dependencies=WRITE,
    responses={404: _ERRORS[404]},
)
def revoke_token(
    token_id: TokenId, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
) -> Response:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != viewer.id:
        raise HTTPException(404, "找不到该令牌")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        audit.record(session, _actor(viewer), "revoke", "api_token", token.id, {"name": token.name}, None)
        session.commit()
    return Response(status_code=204)
