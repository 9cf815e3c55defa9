"""Text lines to a Plan: layout, time expressions, responsible units, targets, document facts.

Public surface: ``understand(doc, year=None) -> Plan``. Pure functions: no database, no network.

May import: read, plan, text — no database, no network.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from eduplan.plan import Item, Plan
from eduplan.read.document import TextDocument
from eduplan.text import fold_lines
from eduplan.understand.confidence import capped, unread_dates
from eduplan.understand.entries import Entry
from eduplan.understand.facts import find_kind, read_facts
from eduplan.understand.factwords import NON_ITEM_HEADINGS
from eduplan.understand.grid import recover_tables
from eduplan.understand.layout import read_layout
from eduplan.understand.lines import logical_lines
from eduplan.understand.slots import Slot
from eduplan.understand.tablewords import LEARNED_HEADERS, only_header_words
from eduplan.understand.targets import find_targets
from eduplan.understand.termprose import entry_lines, with_term_events
from eduplan.understand.timewords import MAKE_UP_WORDS
from eduplan.understand.timex import TimeContext, find_mentions
from eduplan.understand.units import marked_units, trailing_units, unit_only
from eduplan.understand.unitwords import KNOWN_UNITS

__all__ = ["understand"]

# Mentions precise enough to move an item off its row or the document's period.
_NARROWING = frozenset({"day", "range", "month", "month_part", "deadline", "half_year", "quarter"})
_IN_MONTH = frozenset({"day", "range", "month", "month_part"})
_IN_WEEK = frozenset({"day", "range"})
_DAY_KINDS = ("day", "range")  # what a make-up day (4/7补4/5) is written as, and what it stands in for
# An entry's own span outside its row wins up to this long (a 寒假 or 暑假 of six weeks written
# in a note of the term's first row); the hull of several dates up to a month. Longer spans
# are read as background.
_OWN_SPAN_DAYS = 62
_QUOTED = re.compile(r"“[^”]{0,30}”|《[^》]{0,60}》|\"[^\"]{0,30}\"")
_QUOTE_OPENS = re.compile('[“《"]')  # what a _QUOTED match begins with
_CLAUSE_END = re.compile(r"[。;!?]")
_TITLE_END = re.compile(r"[,。;:!?(]")
_WRITTEN_YEAR = re.compile(r"(?:19|20)\d\d|\d{2,3}\s*(?:学年|學年|年)")
_PUNCT = re.compile(r"[\W_]+")
_WORD_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z](?<![〇一二三四五六七八九十年月日周第])")
# At least four characters _PUNCT leaves, at least three of _WORD_CHARS: what an item's text
# needs not to be doubted as short; one match each instead of counting every character.
_FOUR_NOT_PUNCT = re.compile(r"(?:[\W_]*[^\W_]){4}")
_THREE_WORD_CHARS = re.compile(rf"(?:.*?{_WORD_CHARS.pattern}){{3}}", re.S)
_UNTIL = re.compile(r"(?:至|到|迄)\s*$")
_QUANTITY = re.compile(r"\d(?:\.\d+)?\s*[%‰％]|率|(?:达到?|不低于|不少于|超过)\s*\d")


def _vocabulary(lines) -> set[str]:
    vocab = set(KNOWN_UNITS)
    for ln in lines:
        if len(ln.text) <= 30 and ln.cells is None:
            names = unit_only(ln.text)
            if names:
                vocab.update(n for n in names if len(n) >= 2)
    return vocab


def _title_of(text: str) -> str:
    m = _TITLE_END.search(text)
    title = text[: m.start()] if m and m.start() >= 4 else text
    return title[:40].strip()


def _mentions(text: str, ctx: TimeContext):
    """Time mentions outside quoted names (“三月三”, 《…2018—2020年…》), without the day a
    make-up day stands in for (4/7补4/5: the work is on 4/7)."""
    found = find_mentions(text, ctx)
    if len(found) > 0 and _QUOTE_OPENS.search(text):
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
        found = [m for m in found if not any(a <= m.begin < b for a, b in quoted)]
    if len(found) < 2:
        return found  # a make-up day needs a day before it
    kept = []
    for m in found:
        if (
            kept
            and kept[-1].kind in _DAY_KINDS
            and m.kind in _DAY_KINDS
            and text[max(0, m.begin - 3) : m.begin].rstrip().endswith(MAKE_UP_WORDS)
        ):
            continue
        kept.append(m)
    return kept


def _span(
    entry: Entry, mentions: list, first_clause: str, ctx: TimeContext, period: tuple, text: str = ""
) -> tuple:
    """Where the item belongs on a calendar, and how sure the reader is."""

    def text_before(m) -> str:
        return text[max(0, m.begin - 3) : m.begin]

    slot = entry.own or entry.slot
    if slot is not None:
        kinds = _IN_WEEK if slot.kind in ("week", "day") else _IN_MONTH
        found = [m for m in mentions if m.kind in kinds]
        if found:
            start, end = min(m.start for m in found), max(m.end for m in found)
            if slot.kind == "month" or (start <= slot.end and end >= slot.start and (end - start).days <= 31):
                inside = slot.start <= start and end <= slot.end
                return start, end, 0.9 if inside else 0.8
            until = [m for m in found if m.start > slot.end and _UNTIL.search(text_before(m))]
            if slot.kind == "day" and until:
                # 寒假開始 (至115年2月20日止): from the row's day to the day it runs until.
                return slot.start, max(m.end for m in until), 0.9
            longest = _OWN_SPAN_DAYS if len(found) == 1 else 31  # one written span, or a hull
            if (slot.end - slot.start).days >= 1 and (end - start).days <= longest:
                # The entry's own date lies outside its row (a cell merged over several rows,
                # a note about next term): its own date wins, but a person should look.
                return start, end, 0.7
            return slot.start, slot.end, 0.6  # the row and the entry's own date disagree
        elsewhere = [
            m
            for m in mentions
            if m.kind not in ("year", "recurring") and (m.end < slot.start or m.start > slot.end)
        ]
        if elsewhere:
            # The row dates it, but its text names a time outside the row (中秋节 in the first
            # week, 春节 in an exam week): a merged cell or a note; a person should look.
            return slot.start, slot.end, 0.8
        return slot.start, slot.end, 0.9
    # The first clause is often the whole text (mentions are of the text, in the same context).
    clause_mentions = mentions if first_clause == text else _mentions(first_clause, ctx)
    found = [m for m in clause_mentions if m.kind in _NARROWING]
    narrowing = [m for m in mentions if m.kind in _NARROWING]
    if not found and len(narrowing) == 1 and narrowing[0].kind == "deadline":
        # The entry's one time, a deadline later in it (加强师德建设。3月底前完成…), still ends
        # it; where several dates follow they are steps or background, and the first clause's
        # time (or none) stands.
        found = narrowing
    if found:
        return min(m.start for m in found), max(m.end for m in found), 0.75
    if period[0] is None:
        return None, None, 0.4
    return period[0], period[1], 0.9 if entry.kind == "numbered" else 0.8


def understand(doc: TextDocument, year: int | None = None, hints: ReaderHints | None = None) -> Plan:
    """Read a document's lines into a Plan (schema eduplan.plan/1). ``hints`` are what a
    bureau's clerk taught on the import screen (``eduplan.ledger.corrections``)."""
    token = LEARNED_HEADERS.set(dict(hints.header_roles)) if hints and hints.header_roles else None
    # The pass makes many small objects and no reference cycles worth chasing while it runs: the
    # cyclic collector's generation scans cost about a tenth of its time, so it waits until the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _understand(doc, year)
    finally:
        if collecting:
            gc.enable()
        if token is not None:
            LEARNED_HEADERS.reset(token)


@dataclass(frozen=True)
class ReaderHints:
    """Learned per bureau: column header (folded, ``tablewords.header_key``) → role."""

    header_roles: dict[str, str] = field(default_factory=dict)


def _understand(doc: TextDocument, year: int | None = None) -> Plan:
    warnings = list(doc.warnings)
    folded_lines = fold_lines(doc.lines)
    lines = recover_tables(logical_lines(doc.lines, folded_lines))
    facts = read_facts(lines, year)
    title_orig, title, issuer = facts.title_orig, facts.title_text, facts.issuer
    warnings.extend(facts.warnings)
    period: tuple[date | None, date | None] = (facts.period.start, facts.period.end)
    default_year = facts.period.default_year
    ctx = TimeContext(period[0], period[1], default_year)
    vocabulary = _vocabulary(lines)
    layout = read_layout(lines, ctx, vocabulary)
    warnings.extend(layout.warnings)
    weeks = [s for s in layout.slots if s.kind in ("week", "day") or (s.kind == "range" and s.end > s.start)]
    kind = find_kind(title, len(weeks), layout.plan_headers, facts.shape, lines)
    if kind == "calendar" and weeks:
        period = (min(s.start for s in weeks), max(s.end for s in weeks))
        ctx = TimeContext(period[0], period[1], default_year)

    year_written = year is not None or bool(title and _WRITTEN_YEAR.search(title)) or layout.dated_headings
    items: list[Item] = []
    seen: set[tuple[str, date | None, date | None]] = set()
    for entry in layout.entries:
        item = _item(entry, layout.unit_column, vocabulary, ctx, period, year_written, kind == "calendar")
        if item is None:
            continue
        same = (_PUNCT.sub("", item.text), item.start, item.end)
        if same in seen:
            continue  # the same event written twice (下学期2月19日报到 at a term's end and head)
        seen.add(same)
        items.append(item)
    if kind == "calendar":
        items = with_term_events(items, lines, ctx, 0.9, entry_lines(layout.entries, lines))
    if kind == "calendar" and weeks:
        # A calendar's period is the span its grid covers, widened where an entry's own date
        # falls outside it (老生8月28日报到 before week 1, 暑假 after the last week).
        starts = [i.start for i in items if i.start is not None]
        ends = [i.end for i in items if i.end is not None]
        if starts and ends:
            period = (min(period[0], *starts), max(period[1], *ends))
    kept = {ln.no for ln in lines}
    skip = {i for i in range(len(doc.lines)) if i + 1 not in kept}
    targets = find_targets(doc.lines, folded_lines, skip)
    if not items:
        warnings.append("没有识别出任何工作事项：请检查文档是否为工作计划、工作要点或行事历。")
    elif all(i.start is None for i in items):
        warnings.append("文档中没有找到可用的日期或计划期间，事项均未排期；可用 --year 指定年份。")
    return Plan(
        source=doc.source.to_json(),
        kind=kind,
        title=title_orig,
        issuer=issuer,
        period_start=period[0],
        period_end=period[1],
        items=items,
        targets=targets,
        warnings=warnings,
    )


@lru_cache(maxsize=4096)
def _anchored(ctx: TimeContext, anchor: date) -> TimeContext:
    """The context of an entry in a calendar row (items of one row share it)."""
    return replace(ctx, anchor=anchor)


def _with_week_one(ctx: TimeContext, weeks: dict[int, Slot] | None) -> TimeContext:
    """The context with 第1周 where the entry's table numbers its week rows (第N周 in its text
    then counts from there)."""
    if not weeks or ctx.week1_start is not None:
        return ctx
    n = min(weeks)
    monday = weeks[n].start - timedelta(days=weeks[n].start.weekday())
    return replace(ctx, week1_start=monday + timedelta(days=7 * (1 - n)))


def _item(
    entry: Entry,
    unit_column: bool,
    vocabulary: set[str],
    ctx: TimeContext,
    period,
    year_written: bool = True,
    calendar: bool = False,
) -> Item | None:
    first_text = entry.text[0][entry.marker_len :]  # without its numbering marker
    orig = " ".join([entry.orig[0][entry.marker_len :], *entry.orig[1:]]).strip()
    text = " ".join([first_text, *entry.text[1:]]).strip()
    if not text:
        return None
    if entry.kind == "numbered":
        if entry.children or entry.non_item:
            return None
        if entry.under_goal and _QUANTITY.search(first_text):
            return None  # a goal (入园率达92.5%), counted among the targets
        head = _title_of(first_text)
        if len(head) <= 12 and any(w in head for w in NON_ITEM_HEADINGS):
            return None
    # Responsible units.
    if entry.units is not None:
        departments = list(entry.units)
    elif entry.slot is not None and unit_column:
        cut, departments = trailing_units(text, vocabulary)
        if cut < len(text) and cut > 0:
            text, orig = text[:cut].rstrip(), orig[:cut].rstrip()
        departments += [u for u in entry.unit_lines if u not in departments]
    else:  # unit lines are only collected under a responsibility column, handled above
        departments = marked_units(text)
    # A unit named twice (in the lead and the co-operating column, or twice in a row's tail) is
    # responsible once.
    departments = list(dict.fromkeys(departments))
    clause = _CLAUSE_END.split(first_text, 1)[0]
    ctx = _with_week_one(entry.ctx or ctx, entry.weeks)
    row = entry.own or entry.slot
    if row is not None:
        ctx = _anchored(ctx, row.start)
    if only_header_words(text):
        return None  # the table's header again, on a new page
    mentions = _mentions(text, ctx)
    if entry.note and not any(m.kind in _NARROWING for m in mentions):
        return None  # a note about the document (说明：1.每次课的内容占一格), not work
    start, end, confidence = _span(entry, mentions, clause, ctx, period, text)
    section = entry.slot.label if entry.slot else None
    title_text = _title_of(text)
    title = orig[: len(title_text)] if len(orig) >= len(title_text) else title_text
    doubts = []
    if entry.slot is not None and unit_column and not departments:
        doubts.append("no_units")
    if unread_dates(text, [(m.begin, m.stop) for m in mentions]):
        doubts.append("unread_date")
    if not _FOUR_NOT_PUNCT.match(text) or not _THREE_WORD_CHARS.match(text):
        doubts.append("short_text")
    if not year_written and start is not None:
        doubts.append("guessed_year")
    if entry.guessed:
        doubts.append("guessed_columns")
    slot = entry.own or entry.slot
    if calendar and slot is None and (start, end) == (period[0], period[1]):
        doubts.append("undated_in_calendar")
    if slot is not None and slot.inferred:
        doubts.append("inferred_row")
    confidence = capped(confidence, doubts)
    return Item(
        title=title.strip(),
        text=orig,
        start=start,
        end=end,
        departments=departments,
        section=section,
        line=entry.line,
        confidence=confidence,
    )
