"""科室与学校: the units of the bureau (admin), a unit's agenda and its private calendar link."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.ledger import audit
from eduplan.ledger.clock import now
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.models import FeedToken, Organisation
from eduplan.ledger.queries import live_items, unit_ids
from eduplan.ledger.schools import school_type_label
from eduplan.ledger.status import is_overdue, status_label
from eduplan.supervise import figures
from eduplan.supervise.agenda import agenda
from eduplan.web.auth import Viewer, require_viewer
from eduplan.web.csrf import check_csrf
from eduplan.web.db import get_session
from eduplan.web.paging import paginate
from eduplan.web.permissions import can_view_org
from eduplan.web.security import new_token
from eduplan.web.supervised import supervised
from eduplan.web.templating import render

router = APIRouter(include_in_schema=False)

UNIT_KINDS = ("office", "school", "group")
KIND_LABELS = {"office": "科室", "school": "学校", "group": "学校（泛指）"}


def _unit(session: Session, viewer: Viewer, org_id: int) -> Organisation:
    """The office or school if the viewer may see its page: 404 outside the bureau, 403 inside."""
    org = session.get(Organisation, org_id)
    if org is None or org.kind not in UNIT_KINDS or org.bureau_id != viewer.bureau_id:
        raise HTTPException(404, "找不到这个科室或学校")
    if not can_view_org(viewer, org):
        raise HTTPException(403, "只能查看本单位的页面")
    return org


def _counts(session: Session, bureau_id: int) -> dict[int, figures.Figures]:
    """Each unit's figures (``eduplan.supervise.figures``: the same as 工作台 and 督办 show)."""
    return figures.bureau_figures(session, bureau_id, clock_today()).units


def _active_feed(session: Session, org_id: int) -> FeedToken | None:
    return session.scalars(
        select(FeedToken)
        .where(FeedToken.org_id == org_id, FeedToken.revoked_at.is_(None))
        .order_by(FeedToken.id.desc())
    ).first()


def _revoke(session: Session, org_id: int) -> int:
    tokens = session.scalars(
        select(FeedToken).where(FeedToken.org_id == org_id, FeedToken.revoked_at.is_(None))
    ).all()
    at = now()
    for token in tokens:
        token.revoked_at = at
    return len(tokens)


@router.get("/units")
def units(
    request: Request, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    if not viewer.is_admin:
        if viewer.org_id is not None:
            return RedirectResponse(f"/units/{viewer.org_id}", status_code=303)
        raise HTTPException(403, "访客账号不属于任何科室或学校")
    orgs = session.scalars(
        select(Organisation)
        .where(
            Organisation.bureau_id == viewer.bureau_id,
            Organisation.kind.in_(UNIT_KINDS),
            Organisation.merged_into_id.is_(None),
        )
        .order_by(Organisation.kind, Organisation.id)
    ).all()
    counts = _counts(session, viewer.bureau_id) if viewer.bureau_id else {}
    feeds = set(
        session.scalars(
            select(FeedToken.org_id).where(
                FeedToken.revoked_at.is_(None), FeedToken.org_id.in_([o.id for o in orgs])
            )
        )
    )

    def rows(kinds):
        return [
            {
                "org": o,
                "count": counts[o.id].items if o.id in counts else 0,
                "overdue": counts[o.id].overdue if o.id in counts else 0,
                "rate": counts[o.id].percent_text if o.id in counts else "—",
                "type": school_type_label(o.school_type) if o.kind == "school" else "",
                "feed": o.id in feeds,
            }
            for o in orgs
            if o.kind in kinds
        ]

    return render(
        request,
        "units.html",
        {"active": "units", "offices": rows(("office",)), "schools": rows(("school", "group"))},
    )


@router.get("/units/{org_id}")
def unit(
    request: Request,
    org_id: int,
    done: str | None = None,
    overdue_page: str | None = None,
    all_page: str | None = None,
    viewer: Viewer = Depends(require_viewer),
    session: Session = Depends(get_session),
):
    org = _unit(session, viewer, org_id)
    bureau = session.get(Organisation, org.bureau_id)
    is_school = org.kind in ("school", "group")
    who = {"school": org.name} if org.kind == "school" else {"office": org.name}
    week = agenda(session, bureau=bureau.name, **who)
    everything = live_items(
        session, bureau=bureau, org_ids=unit_ids(session, org.name, bureau, school=is_school)
    )
    # 督办: the unit sees its supervised items first (a card on top, and on top of each list).
    sup = supervised(session, everything, week.today, bureau_id=bureau.id)
    week.items, week.overdue, everything = (
        sup.first(week.items),
        sup.first(week.overdue),
        sup.first(everything),
    )
    pages = {"overdue_page": overdue_page or "", "all_page": all_page or ""}
    feed = _active_feed(session, org.id)
    feed_url = str(request.url_for("feed", token=feed.token)) if feed else None
    return render(
        request,
        "unit.html",
        {
            "active": "units",
            "org": org,
            "kind_label": KIND_LABELS.get(org.kind, org.kind),
            "agenda": week,
            "items": everything,
            # Two long lists, each with its own page links that keep the other's page.
            "overdue_list": paginate(
                week.overdue, overdue_page, param="overdue_page", query=pages, anchor="overdue"
            ),
            "all_list": paginate(everything, all_page, param="all_page", query=pages, anchor="all-items"),
            "sup": sup,
            "status_of": lambda v: status_label(v.status, v.end, week.today),
            "late": lambda v: is_overdue(v.status, v.end, week.today),
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else None,
            "notice": {"feed": "已生成新的订阅链接，旧链接已失效。", "revoked": "订阅链接已停用。"}.get(
                done or ""
            ),
        },
    )


@router.post("/units/{org_id}/feed", dependencies=[Depends(require_viewer), Depends(check_csrf)])
def create_feed(
    org_id: int, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    """A new private subscription link for the unit; any earlier link stops working."""
    org = _unit(session, viewer, org_id)
    replaced = _revoke(session, org.id)
    token = FeedToken(org_id=org.id, token=new_token(), created_at=now())
    session.add(token)
    session.flush()
    audit.record(
        session,
        viewer.username,
        "create",
        "feed_token",
        token.id,
        None,
        {"org": org.name, "replaced": replaced},
    )
    session.commit()
    return RedirectResponse(f"/units/{org.id}?done=feed#feed", status_code=303)


@router.post("/units/{org_id}/feed/revoke", dependencies=[Depends(require_viewer), Depends(check_csrf)])
def revoke_feed(
    org_id: int, viewer: Viewer = Depends(require_viewer), session: Session = Depends(get_session)
):
    org = _unit(session, viewer, org_id)
    revoked = _revoke(session, org.id)
    audit.record(
        session, viewer.username, "revoke", "feed_token", None, None, {"org": org.name, "revoked": revoked}
    )
    session.commit()
    return RedirectResponse(f"/units/{org.id}?done=revoked#feed", status_code=303)
