"""Private iCalendar feeds: ``/feeds/{secret}.ics`` for an office's or school's phone calendar.

No login: the secret in the link is the credential (made and revoked on the unit's page)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger.exporting import Selection, export_bytes
from eduplan.ledger.models import FeedToken, Organisation
from eduplan.web.db import get_session

router = APIRouter(include_in_schema=False)

MAX_TOKEN_CHARS = 64


@router.get("/feeds/{token}.ics", name="feed")
def feed(token: str, session: Session = Depends(get_session)):
    found = None
    if 0 < len(token) <= MAX_TOKEN_CHARS:
        found = session.scalars(
            select(FeedToken).where(FeedToken.token == token, FeedToken.revoked_at.is_(None))
        ).first()
    org = session.get(Organisation, found.org_id) if found else None
    bureau = session.get(Organisation, org.bureau_id) if org and org.bureau_id else None
    if org is None or bureau is None or org.merged_into_id is not None:
        raise HTTPException(404, "订阅链接无效或已停用")
    if org.kind == "school":
        selection = Selection(school=org.name, bureau=bureau.name)
    else:
        selection = Selection(office=org.name, bureau=bureau.name)
    return Response(
        content=export_bytes(session, "ics", selection),
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="eduplan.ics"',
            "Cache-Control": "private, max-age=300",
            "X-Content-Type-Options": "nosniff",
        },
    )
