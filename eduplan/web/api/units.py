"""科室与学校: the bureau's units."""

from __future__ import annotations

from fastapi import Depends, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger.models import OrgAlias, Organisation
from eduplan.web.api.common import api_router
from eduplan.web.api.schemas import UnitOut
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.db import get_session

router = api_router()


@router.get(
    "/units",
    response_model=list[UnitOut],
    summary="科室与学校",
    description="本局的科室、学校和学校集合（已合并的别名不单列，见 aliases）。",
)
def units(
    kind: str | None = Query(None, description="office、school 或 group"),
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
) -> list[UnitOut]:
    query = (
        select(Organisation)
        .where(
            Organisation.bureau_id == viewer.bureau_id,
            Organisation.kind != "bureau",
            Organisation.merged_into_id.is_(None),
        )
        .order_by(Organisation.kind, Organisation.id)
    )
    if kind is not None:
        if kind not in ("office", "school", "group"):
            raise HTTPException(400, "kind 只能是 office、school 或 group")
        query = query.where(Organisation.kind == kind)
    aliases: dict[int, list[str]] = {}
    for org_id, norm in session.execute(
        select(OrgAlias.org_id, OrgAlias.norm).where(OrgAlias.bureau_id == viewer.bureau_id)
    ):
        aliases.setdefault(org_id, []).append(norm)
    return [
        UnitOut(
            id=o.id,
            name=o.name,
            kind=o.kind,
            needs_review=o.needs_review,
            aliases=sorted(aliases.get(o.id, [])),
        )
        for o in session.scalars(query)
    ]
