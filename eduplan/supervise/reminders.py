"""Reminder digests (``eduplan remind``): for each office and school, what is due today, what is
due later this week, what is overdue (with days late) and what is under 督办 — as a subject line,
plain text (e-mail, in-app) and markdown (chat-bot webhooks). Quiet days come from the holiday
calendar. Sending lives in ``eduplan.notify``; this module only reads the ledger."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eduplan.calendar.holidays import WEEKDAY_NAMES, HolidayCalendar
from eduplan.calendar.model import month_day
from eduplan.ledger import schools
from eduplan.ledger.models import Item, ItemUnit, Organisation
from eduplan.ledger.status import ACTIVE, is_overdue
from eduplan.supervise.supervision import active_supervisions

DIGEST_KINDS = ("office", "school")
"""Who receives a digest. Collective names (各学校) do not: their items go to every school."""
TEXT_LIMIT = 50
"""Most items listed per section in the plain text (e-mail, in-app); the rest are counted."""
MARKDOWN_LIMIT = 10
"""Most items listed per section in a chat-bot message (WeCom takes at most 4096 bytes)."""
CHUNK = 5000  # stay under the databases' bound-parameter limits


@dataclass(frozen=True)
class DigestItem:
    """One item in a digest, with the dates people need and its days late or 督办 deadline."""

    id: int
    title: str
    start: date | None
    end: date | None
    days_late: int = 0
    deadline: date | None = None
    note: str | None = None


@dataclass
class Digest:
    """One organisation's reminder for one day. Sections are disjoint except 督办, which may
    repeat an item also due or overdue (a supervised item is named as such)."""

    org_id: int
    org_name: str
    org_kind: str
    day: date
    today: list[DigestItem] = field(default_factory=list)
    week: list[DigestItem] = field(default_factory=list)
    overdue: list[DigestItem] = field(default_factory=list)
    supervised: list[DigestItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.today or self.week or self.overdue or self.supervised)

    @property
    def item_count(self) -> int:
        """Distinct items named in the digest."""
        return len({i.id for i in (*self.today, *self.week, *self.overdue, *self.supervised)})

    @property
    def subject(self) -> str:
        """【工作提醒】基教股 11月23日：今日到期2项，本周5项，逾期3项，督办1项"""
        return (
            f"【工作提醒】{self.org_name} {self.day.month}月{self.day.day}日："
            f"今日到期{len(self.today)}项，本周{len(self.week)}项，"
            f"逾期{len(self.overdue)}项，督办{len(self.supervised)}项"
        )

    def sections(self) -> list[tuple[str, list[DigestItem]]]:
        return [
            ("今日到期", self.today),
            ("本周内到期", self.week),
            ("已逾期", self.overdue),
            ("督办事项", self.supervised),
        ]

    def text(self, base_url: str) -> str:
        """The plain-text digest (e-mail body, in-app notification)."""
        weekday = WEEKDAY_NAMES[self.day.weekday()]
        lines = [
            f"{self.org_name}：",
            f"以下是 {month_day(self.day, with_year=True)}（{weekday}）的工作提醒。",
        ]
        for heading, items in self.sections():
            if not items:
                continue
            lines += ["", f"【{heading}】{len(items)}项"]
            for n, item in enumerate(items[:TEXT_LIMIT], 1):
                lines.append(f"{n}. {item.title}（{self.describe(item)}）")
                if item.note:
                    lines.append(f"   督办意见：{item.note}")
                lines.append(f"   {item_link(base_url, item.id)}")
            if len(items) > TEXT_LIMIT:
                lines.append(f"……另有 {len(items) - TEXT_LIMIT} 项，请到工作台查看。")
        lines += [
            "",
            "此提醒由 eduplan 工作台账自动发送。",
            f"修改提醒方式：{base_url}/notifications/settings/{self.org_id}",
        ]
        return "\n".join(lines)

    def markdown(self, base_url: str) -> str:
        """The digest for a chat bot (DingTalk/WeCom markdown), shorter than the text."""
        lines = [f"### {md(self.subject)}"]
        for heading, items in self.sections():
            if not items:
                continue
            lines += ["", f"**{heading}（{len(items)}项）**"]
            for item in items[:MARKDOWN_LIMIT]:
                lines.append(f"- [{md(item.title)}]({item_link(base_url, item.id)}) {self.describe(item)}")
            if len(items) > MARKDOWN_LIMIT:
                lines.append(f"- ……另有 {len(items) - MARKDOWN_LIMIT} 项")
        lines += ["", f"[打开工作台]({base_url}/)"]
        return "\n".join(lines)

    def describe(self, item: DigestItem) -> str:
        """Dates, days late, 督办 deadline: 9月2日—9月6日，逾期4天."""
        parts = [span_text(item.start, item.end, self.day)]
        if item.days_late > 0:
            parts.append(f"逾期{item.days_late}天")
        if item.deadline is not None:
            left = (item.deadline - self.day).days
            when = month_day(item.deadline, with_year=item.deadline.year != self.day.year)
            if left > 0:
                parts.append(f"督办期限{when}，还剩{left}天")
            elif left == 0:
                parts.append(f"督办期限{when}，今天到期")
            else:
                parts.append(f"督办期限{when}，已超期{-left}天")
        return "，".join(p for p in parts if p)


def span_text(start: date | None, end: date | None, day: date) -> str:
    """9月2日—9月6日 (the year shown when it is not the digest's)."""
    if start is None:
        return "未排期"
    full = start.year != day.year or (end is not None and end.year != day.year)
    if end is None or end == start:
        return month_day(start, with_year=full)
    return f"{month_day(start, with_year=full)}—{month_day(end, with_year=full)}"


def item_link(base_url: str, item_id: int) -> str:
    return f"{base_url}/items/{item_id}"


def md(text: str) -> str:
    """Text safe inside markdown link labels and headings (brackets and asterisks neutralised)."""
    return text.replace("[", "［").replace("]", "］").replace("*", "＊").replace("\n", " ")


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and Sunday of ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def quiet_reason(
    calendar: HolidayCalendar, day: date, *, quiet_weekends: bool, quiet_holidays: bool
) -> str | None:
    """Why nothing is sent on ``day`` (“国庆节”, “周六”), or None. An adjusted working day
    (调休上班, a Saturday that is a working day) is never quiet."""
    info = calendar.day(day)
    if info.is_adjusted_workday:
        return None
    if quiet_holidays and info.is_holiday:
        return info.name or "法定节假日"
    if quiet_weekends and day.weekday() >= 5:
        return WEEKDAY_NAMES[day.weekday()]
    return None


def recipients(session: Session, org_ids: list[int] | None = None) -> list[Organisation]:
    """Offices and schools that may receive a digest (not merged away), by bureau and id."""
    query = (
        select(Organisation)
        .where(Organisation.kind.in_(DIGEST_KINDS), Organisation.merged_into_id.is_(None))
        .order_by(Organisation.bureau_id, Organisation.kind, Organisation.id)
    )
    if org_ids is not None:
        query = query.where(Organisation.id.in_(org_ids))
    return list(session.scalars(query))


def build_digests(session: Session, day: date, org_ids: list[int] | None = None) -> list[Digest]:
    """Every office's and school's digest for ``day`` (empty ones included), in bureau order.

    今日到期: active items ending on ``day``; 本周内到期: ending later this week (to Sunday);
    已逾期: ending before ``day``, not done or cancelled, most days late first; 督办: items with a
    supervision not lifted. A school also gets what is asked of its groups (各学校, 各小学 …)."""
    orgs = recipients(session, org_ids)
    if not orgs:
        return []
    _, sunday = week_bounds(day)
    # A school's digest holds what is asked of the groups it belongs to (各小学 only for primary
    # schools), read once per bureau.
    memberships: dict[int, schools.Membership] = {}
    wanted = {o.id for o in orgs}
    for o in orgs:
        if o.kind == "school" and o.bureau_id is not None:
            found = memberships.get(o.bureau_id) or schools.Membership(session, o.bureau_id)
            memberships[o.bureau_id] = found
            wanted |= found.groups_of(o.id)

    end = func.coalesce(Item.end, Item.start)
    due: dict[int, list[DigestItem]] = defaultdict(list)
    rows = session.execute(
        select(ItemUnit.org_id, Item.id, Item.title, Item.start, Item.end, Item.status)
        .join(Item, Item.id == ItemUnit.item_id)
        .where(
            Item.removed_in.is_(None),
            Item.status.in_(ACTIVE),
            Item.start.is_not(None),
            end <= sunday,
        )
        .order_by(end, Item.start, Item.plan_id, Item.seq)
    )
    for org_id, item_id, title, start, stated_end, status in rows:
        if org_id in wanted:
            last = stated_end or start
            late = (day - last).days if is_overdue(status, last, day) else 0
            due[org_id].append(DigestItem(item_id, title, start, stated_end, days_late=late))

    supervised: dict[int, list[DigestItem]] = defaultdict(list)
    active = active_supervisions(session, org_ids=wanted)
    ids = sorted(active, key=lambda i: (active[i].deadline, active[i].id))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        rows = session.execute(
            select(ItemUnit.org_id, Item.id, Item.title, Item.start, Item.end)
            .join(Item, Item.id == ItemUnit.item_id)
            .where(Item.id.in_(chunk), Item.removed_in.is_(None), Item.status.in_(ACTIVE))
        )
        for org_id, item_id, title, start, stated_end in rows:
            if org_id in wanted:
                row = active[item_id]
                supervised[org_id].append(
                    DigestItem(
                        item_id, title, start, stated_end, deadline=row.deadline, note=row.note or None
                    )
                )
    for items in supervised.values():
        items.sort(key=lambda d: (d.deadline, active[d.id].id))

    digests = []
    for org in orgs:
        member_of = memberships[org.bureau_id].groups_of(org.id) if org.bureau_id in memberships else ()
        sources = [org.id, *(sorted(member_of) if org.kind == "school" else [])]
        digest = Digest(org.id, org.name, org.kind, day)
        seen: set[int] = set()
        for source in sources:
            for item in due.get(source, []):
                if item.id in seen:
                    continue
                seen.add(item.id)
                last = item.end or item.start
                if item.days_late:
                    digest.overdue.append(item)
                elif last == day:
                    digest.today.append(item)
                elif last is not None and day < last <= sunday:
                    digest.week.append(item)
        digest.overdue.sort(key=lambda i: (-i.days_late, i.id))
        seen = set()
        for source in sources:
            for item in supervised.get(source, []):
                if item.id not in seen:
                    seen.add(item.id)
                    digest.supervised.append(item)
        digests.append(digest)
    return digests
