"""搜索: the viewer's items found by the full-text search (``eduplan.ledger.search``), with the
filters plan, unit (an office, or a school with what is asked of all schools), status and date
range, one page of results at a time. Visibility is the item lists' (``visible_items``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fastapi import HTTPException
from sqlalchemy.orm import Session

from eduplan.ledger import schools
from eduplan.ledger.search import terms
from eduplan.web.auth import Viewer
from eduplan.web.paging import Page, paginate
from eduplan.web.views.items import span_label
from eduplan.web.views.scope import (
    Choices,
    Filters,
    Seen,
    filter_choices,
    parse_id,
    read_filters,
    visible_items,
)

SNIPPET_CHARS = 40
"""Characters of the text shown either side of the first word found."""


@dataclass
class Hit:
    seen: Seen
    status: str
    span: str
    snippet: tuple[str, str, str] | None  # before, the word found, after


@dataclass
class SearchPage:
    query: str
    words: list[str]
    filters: Filters
    date_from: date | None
    date_to: date | None
    choices: Choices
    page: Page[Hit]
    params: dict[str, str] = field(default_factory=dict)

    @property
    def unit(self):
        return self.filters.office or self.filters.school


def _day(raw: str | None, what: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise HTTPException(400, f"筛选条件不正确：{what}应为日期，如 2024-09-02") from None


def snippet(text: str, words: list[str]) -> tuple[str, str, str] | None:
    """The text around the first of ``words`` found in it (case folded), or None."""
    folded = text.casefold()
    found = [(folded.find(w.casefold()), w) for w in words]
    found = [(at, w) for at, w in found if at >= 0]
    if not found:
        return None
    at, word = min(found)
    start, end = max(0, at - SNIPPET_CHARS), at + len(word)
    before = ("…" if start else "") + text[start:at]
    after = text[end : end + SNIPPET_CHARS] + ("…" if end + SNIPPET_CHARS < len(text) else "")
    return before, text[at:end], after


def search_page(
    session: Session,
    viewer: Viewer,
    *,
    q: str | None,
    plan: str | None,
    unit: str | None,
    status: str | None,
    date_from: str | None,
    date_to: str | None,
    page: str | None,
    today: date,
) -> SearchPage:
    words = terms(q)
    filters = read_filters(session, viewer, plan, None, None, status)
    unit_id = parse_id(unit, "单位")
    if unit_id is not None:
        choices = filter_choices(session, viewer)
        org = next((o for o in [*choices.offices, *choices.schools] if o.id == unit_id), None)
        if org is None:
            raise HTTPException(404, "没有这个科室或学校")
        if org.kind == "office":
            filters.office = org
        else:
            filters.school = org
            filters.school_scope = schools.scope_ids(session, org)
    start, end = _day(date_from, "起始日期"), _day(date_to, "截止日期")
    if start and end and start > end:
        raise HTTPException(400, "筛选条件不正确：起始日期晚于截止日期")
    found: list[Seen] = []
    if words:
        found = visible_items(
            session,
            viewer,
            plan_id=filters.plan.id if filters.plan else None,
            start=start,
            end=end,
            matching=" ".join(words),
        )
        found = [s for s in found if filters.keep(s, today)]
    params = {
        "q": " ".join(words),
        "plan": str(filters.plan.id) if filters.plan else "",
        "unit": str(unit_id) if unit_id is not None else "",
        "status": filters.status or "",
        "from": start.isoformat() if start else "",
        "to": end.isoformat() if end else "",
    }
    params = {k: v for k, v in params.items() if v}
    hits = paginate(found, page, query=params)
    shown = [
        Hit(
            s,
            s.status(today),
            span_label(s.view.start, s.view.stated_end),
            snippet(s.view.text, words) if s.view.text != s.view.title else None,
        )
        for s in hits.rows
    ]
    result = Page(shown, hits.number, hits.size, hits.total, hits.param, hits.query, hits.anchor)
    return SearchPage(
        " ".join(words), words, filters, start, end, filter_choices(session, viewer), result, params
    )
