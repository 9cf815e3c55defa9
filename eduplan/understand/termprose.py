"""Term events a calendar states in prose, several to a sentence.

``2014—2015学年度第一学期于9月1日(周一)开学,2月2日(农历腊月十四,周一)放寒假。`` is two
items: each clause of the sentence pairs one day with an event (``termwords``). A sentence is
read only where every one of its clauses does so, which keeps a notice's preamble (现将…印发)
and week counts (全学年52周) out. Clauses are cut at top-level ,，;； (not inside brackets,
where a weekday or lunar label is), and at 、 where each part has its own day. Bracketed text
(a weekday, a lunar date, 8月30、31日报到 beside the main day) and pinyin glosses a page put
inside words (学(xué)) are left out when the clause's day and event are looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from eduplan.plan import Item
from eduplan.understand.entries import Entry
from eduplan.understand.lines import Line
from eduplan.understand.period import PINYIN_GLOSS
from eduplan.understand.termwords import TERM_EVENT_WORDS
from eduplan.understand.timex import TimeContext, find_mentions

__all__ = ["TermEvent", "entry_lines", "term_events", "with_term_events"]

_OPEN = "(（[【"
_CLOSE = ")）]】"
_SENTENCE_END = "。!?！？"
_CLAUSE_CUT = ",，;；"
_EVENT = re.compile("|".join(sorted(TERM_EVENT_WORDS, key=len, reverse=True)))
_DAY_KINDS = ("day", "range")
# At most this many characters between the day and its event (均于9月1日正式开学, 1月22日学期结束).
_GAP = 4
# A clause longer than this (brackets and glosses left out) is ordinary prose, not a term event.
_MAX_CLAUSE = 40
# A sentence whose bracket stays open is joined with at most this many following lines.
_MAX_JOINED = 1


@dataclass(frozen=True)
class TermEvent:
    begin: int  # character offsets of the clause in the line
    stop: int
    start: date
    end: date


def _outside(text: str) -> tuple[list[int], int]:
    """Offsets of the characters of ``text`` outside brackets (the brackets themselves left
    out), and how many brackets are still open at its end."""
    kept, depth = [], 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(i)
    return kept, depth


def _top_level_cuts(text: str, cuts: str) -> list[tuple[int, int]]:
    """Pieces of ``text`` between the characters of ``cuts`` that stand outside brackets."""
    pieces, begin = [], 0
    for i in _outside(text)[0]:
        if text[i] in cuts:
            pieces.append((begin, i))
            begin = i + 1
    pieces.append((begin, len(text)))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def _bare(text: str) -> str:
    """The clause without glosses and bracketed text (an unclosed bracket runs to the end)."""
    text = PINYIN_GLOSS.sub("", text)
    return "".join(text[i] for i in _outside(text)[0]).strip()


def _clause_event(bare: str, ctx: TimeContext) -> tuple[date, date] | None:
    """The clause's one day, where an event word follows it closely."""
    if not bare or len(bare) > _MAX_CLAUSE:
        return None
    days = [m for m in find_mentions(bare, ctx) if m.kind in _DAY_KINDS]
    if len(days) != 1:
        return None
    day = days[0]
    event = _EVENT.search(bare, day.stop)
    if event is None or event.start() - day.stop > _GAP:
        return None
    return day.start, day.end


def _sentence_events(text: str, begin: int, stop: int, ctx: TimeContext) -> list[TermEvent]:
    events = []
    for a, b in _top_level_cuts(text[begin:stop], _CLAUSE_CUT):
        parts = _top_level_cuts(text[begin + a : begin + b], "、")
        if len(parts) > 1:
            read = [_clause_event(_bare(text[begin + a + c : begin + a + d]), ctx) for c, d in parts]
            if all(read):
                events += [
                    TermEvent(begin + a + c, begin + a + d, *r)  # type: ignore[misc]
                    for (c, d), r in zip(parts, read, strict=True)
                ]
                continue
        found = _clause_event(_bare(text[begin + a : begin + b]), ctx)
        if found is None:
            return []  # a clause without its own day and event: ordinary prose
        events.append(TermEvent(begin + a, begin + b, *found))
    return events


def term_events(text: str, ctx: TimeContext) -> list[TermEvent]:
    """The dated term events of a folded prose line, one per clause, in order."""
    if "日" not in text:
        return []
    if _EVENT.search(PINYIN_GLOSS.sub("", text) if "(" in text else text) is None:
        return []
    events = []
    for a, b in _top_level_cuts(text, _SENTENCE_END):
        events += _sentence_events(text, a, b, ctx)
    return events


def entry_lines(entries: list[Entry], lines: list[Line]) -> set[int]:
    """The numbers of the lines the layout read as entries (an entry's first line and the lines
    it continues on)."""
    index = {ln.no: k for k, ln in enumerate(lines)}
    taken: set[int] = set()
    for e in entries:
        k = index.get(e.line)
        if k is None:
            taken.add(e.line)
            continue
        taken.update(ln.no for ln in lines[k : k + len(e.text)])
    return taken


def with_term_events(
    items: list[Item], lines: list[Line], ctx: TimeContext, confidence: float, taken: set[int]
) -> list[Item]:
    """``items`` with an item for each clause of the prose lines that state term events. Lines
    in ``taken`` (read by the layout: a calendar row's text, a numbered note) are left to it."""
    found: dict[int, list[Item]] = {}
    joined: set[int] = set()
    for k, ln in enumerate(lines):
        if not _prose(ln, taken) or ln.no in joined:
            continue
        text, orig = ln.text, ln.orig
        # A bracket left open at the line's end (均于9月1日开学(8月 / 30、31日报到)) closes on the
        # next prose line: the two are one sentence.
        j = k + 1
        while _outside(text)[1] > 0 and j < len(lines) and j <= k + _MAX_JOINED and _prose(lines[j], taken):
            text, orig = text + lines[j].text, orig + lines[j].orig
            joined.add(lines[j].no)
            j += 1
        events = term_events(text, ctx)
        if events:
            found[ln.no] = [
                Item(title=p, text=p, start=ev.start, end=ev.end, line=ln.no, confidence=confidence)
                for ev in events
                if (p := orig[ev.begin : ev.stop].strip())
            ]
    if not found:
        return items
    pending = sorted(found.items())
    out: list[Item] = []
    for item in items:
        while pending and pending[0][0] <= item.line:
            out += pending.pop(0)[1]
        out.append(item)
    for _, made in pending:
        out += made
    return out


def _prose(ln: Line, taken: set[int]) -> bool:
    return ln.cells is None and ln.no not in taken
