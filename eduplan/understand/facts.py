"""Document facts: title, issuer, kind and the period a document plans for."""

from __future__ import annotations

import re

from eduplan.understand.factwords import (
    CALENDAR_WORDS,
    COMPILATION_PATTERNS,
    FILE_EXTENSIONS,
    ISSUER_SUFFIXES,
    PLAN_WORDS,
    SOURCE_PREFIXES,
    SUMMARY_WORDS,
    TITLE_WORDS,
)
from eduplan.understand.lines import Line
from eduplan.understand.markers import numbering

_COMPILATION = re.compile("|".join(COMPILATION_PATTERNS))
_ISSUER = re.compile(rf"^(?P<who>.{{1,24}}?(?:{'|'.join(ISSUER_SUFFIXES)}))")
_SOURCE = re.compile(rf"(?:{'|'.join(SOURCE_PREFIXES)})\s*[::]\s*(?P<who>[^\s::]{{2,30}})")
_SENTENCE = re.compile(r"[。;!?]|,.*,")
_YEAR = re.compile(r"(?:19|20)\d{2}|[xX×]{2,4}年|20[xX]{2}")


def _clean_title(orig: str, folded: str) -> tuple[str, str]:
    for ext in FILE_EXTENSIONS:
        if folded.lower().endswith(ext):
            return orig[: -len(ext)].strip(), folded[: -len(ext)].strip()
    return orig.strip(), folded.strip()


def find_title(lines: list[Line], look: int = 15) -> tuple[str | None, str | None]:
    """(original title, folded title) of the most title-like early line."""
    best: tuple[float, int] | None = None
    for i, ln in enumerate(lines[:look]):
        text = _clean_title(ln.orig, ln.text)[1]
        if not 4 <= len(text) <= 60 or ln.cells or numbering(text) or _SENTENCE.search(text):
            continue
        score = 0.0
        for rank, word in enumerate(TITLE_WORDS):
            if word in text:
                score = max(score, 10 - rank * 0.5)
        if score == 0:
            continue
        if _COMPILATION.search(text):
            score += 6
        if any(text.startswith(p) for p in SOURCE_PREFIXES) or "时间" in text[:4]:
            continue
        if _YEAR.search(text):
            score += 1
        if any(s in text for s in ISSUER_SUFFIXES):
            score += 1
        score -= i * 0.3
        if best is None or score > best[0]:
            best = (score, i)
    if best is None:
        return None, None
    return _clean_title(lines[best[1]].orig, lines[best[1]].text)


def find_issuer(title_orig: str | None, title: str | None, lines: list[Line]) -> str | None:
    """The issuing body: the start of the title up to an education-bureau ending, or the page's 来源."""
    if title:
        m = _ISSUER.match(title)
        if m and len(m.group("who")) > min(len(s) for s in ISSUER_SUFFIXES if m.group("who").endswith(s)):
            return title_orig[: m.end("who")] if title_orig else m.group("who")
    for ln in lines[:12]:
        m = _SOURCE.search(ln.text)
        if m and any(m.group("who").endswith(s) for s in ISSUER_SUFFIXES):
            return ln.orig[m.start("who") : m.end("who")]
    return None


def find_kind(title: str | None, week_rows: int, plan_headers: int) -> str:
    """calendar, summary, compilation or plan."""
    t = title or ""
    if week_rows >= 3 or any(w in t for w in CALENDAR_WORDS):
        return "calendar"
    if _COMPILATION.search(t) or plan_headers >= 2:
        return "compilation"
    summary_at = min((t.find(w) for w in SUMMARY_WORDS if w in t), default=-1)
    plan_at = min((t.find(w) for w in PLAN_WORDS if w in t), default=-1)
    if summary_at >= 0 and (plan_at < 0 or summary_at < plan_at):
        return "summary"
    return "plan"


def year_of_text(lines: list[Line], look: int = 12) -> int | None:
    """A plan year stated near the top (2021年…), for documents whose title has none."""
    for ln in lines[:look]:
        m = re.search(r"((?:19|20)\d{2})\s*年", ln.text)
        if m:
            return int(m.group(1))
    return None
