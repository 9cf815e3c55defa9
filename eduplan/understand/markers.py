"""Numbering and bullet markers of Chinese official documents, as data with a nesting rank.

Rank follows the official convention 一、 > (一) > 1. > (1) > ①; a lower rank is an outer level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from eduplan.understand.numerals import cn_number

CN_DIGITS = "零〇一二三四五六七八九十百两"
_CN = f"[{CN_DIGITS}]{{1,4}}"

# (style name, rank, pattern on folded text). Patterns match at the start of a line and capture
# the number in group "n". Order matters: the first matching style wins.
MARKER_STYLES: tuple[tuple[str, float, str], ...] = (
    ("cn_paren", 1, rf"[(\[【]\s*(?P<n>{_CN})\s*[)\]】]\s*[、.,:]?"),
    ("cn_half_paren", 1, rf"(?P<n>{_CN})\s*[)\]】]\s*"),
    ("cn_dun", 0, rf"(?P<n>{_CN})\s*[、.,:](?![{CN_DIGITS}]+月)"),
    ("cn_shi", 4.5, rf"(?:其|第)?(?P<n>{_CN})是\s*[,:]?"),
    ("ar_paren", 3, r"[(\[]\s*(?P<n>\d{1,2})\s*[)\]]\s*[、.,:]?"),
    ("ar_half_paren", 3, r"(?P<n>\d{1,2})\)\s*"),
    ("circled", 4, r"(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*"),
    ("ar_dot", 2, r"(?P<n>\d{1,2})\s*(?:[、,:]|\.(?!\d))\s*"),
    ("cn_di", 0.5, rf"第(?P<n>{_CN})(?:[,、:]|部分|条)\s*"),
)

_COMPILED = tuple((name, rank, re.compile(pat)) for name, rank, pat in MARKER_STYLES)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# What a marker of any style begins with, besides a digit: a bracket, a Chinese numeral, 其 or
# 第, a circled number. A line starting otherwise is tried against no style.
MARKER_FIRST = frozenset("([【" + CN_DIGITS + "其第" + _CIRCLED)

BULLETS = "△▲●◆■□☆★◇○•▪►▶→√✓"
_BULLET = re.compile(rf"^\s*[{re.escape(BULLETS)}]\s*")


@dataclass(frozen=True)
class Marker:
    style: str
    rank: float
    number: int
    length: int  # characters of the marker, including trailing punctuation and spaces


# Words that may stand before the first marker of a list of notes: 注:(1)…, 说明:1.…
# Also the labels that open a document's notes (说明：1.…): ``layout`` reads the notes under one
# as no work unless they date something.
NOTE_PREFIXES = ("注", "附注", "说明", "备注", "注意", "注意事项", "附记", "备考", "ps")
_NOTE_PREFIX = re.compile(rf"^(?:{'|'.join(NOTE_PREFIXES)})\s*[::]\s*", re.IGNORECASE)


_DATE_AFTER = re.compile(r"\d{1,2}月\d{1,2}[日号]")


@lru_cache(maxsize=16384)
def numbering(folded: str) -> Marker | None:
    """The numbering marker at the start of a folded line (after a 注: prefix), or None."""
    s = folded.lstrip()
    lead = len(folded) - len(s)
    note = _NOTE_PREFIX.match(s)
    if note and note.end() < len(s):
        inner = numbering(s[note.end() :])
        if inner is not None:
            return Marker(inner.style, inner.rank, inner.number, lead + note.end() + inner.length)
    first = s[:1]
    if first not in MARKER_FIRST and not first.isdigit():
        return None
    for name, rank, rx in _COMPILED:
        m = rx.match(s)
        if not m:
            continue
        raw = m.group("n")
        if name == "circled":
            n = _CIRCLED.index(raw) + 1
        else:
            n = cn_number(raw)
        if n is None or n == 0:
            continue
        rest = s[m.end() :]
        if not rest.strip() and name not in ("ar_dot", "cn_dun"):
            continue
        # "1.5万" and "3.7-3.13" are numbers and dates, not markers.
        # But "1.9月28日…" (1. 9月28日 with its space folded away) is a marker and a date.
        if (
            name == "ar_dot"
            and rest[:1].isdigit()
            and s[m.start("n") + len(raw)] == "."
            and not _DATE_AFTER.match(rest)
        ):
            continue
        return Marker(name, rank, n, lead + m.end())
    return None


@lru_cache(maxsize=16384)
def bullet(folded: str) -> int:
    """Length of a bullet marker (△, ●, …) at the start of the line, or 0."""
    m = _BULLET.match(folded)
    if not m:
        return 0
    # "-" or "*" only count as bullets when followed by words.
    rest = folded[m.end() :]
    if not rest or rest[0].isspace():
        return 0
    return m.end()
