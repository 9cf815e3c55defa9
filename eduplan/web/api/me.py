"""GET /api/v1/me: who is asking, with which role, and the CSRF token for cookie writes."""

from __future__ import annotations

from fastapi import Depends, Request

from eduplan.web.api.common import api_router
from eduplan.web.api.schemas import MeOut
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.security import csrf_token

router = api_router()

# ------------------------------------------------------------------------------ who am I


@router.get(
    "/me",
    response_model=MeOut,
    summary="当前用户",
    description="令牌或登录会话对应的账号与角色；登录会话还会得到写接口所需的 CSRF 令牌。",
)
def me(request: Request, viewer: Viewer = Depends(require_viewer)) -> MeOut:
    return MeOut(
        id=viewer.id,
        username=viewer.username,
        display_name=viewer.display_name,
        role=viewer.role,
        role_label=viewer.role_label,
        bureau_id=viewer.bureau_id,
        org_id=viewer.org_id,
        org_name=viewer.org_name,
        via_token=viewer.via_token,
        csrf_token=None if viewer.via_token else csrf_token(request.session),
    )
