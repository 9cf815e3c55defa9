"""Logical lines for layout: folded copies, junk and duplicates marked, flattened text re-split.

A logical line keeps the offset of its piece of the original line, so everything the
parser cuts out can be cut from the original script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from eduplan.read.document import CELL_SEPARATOR
from eduplan.read.junk import junk_line, related_heading
from eduplan.text import fold, fold_lines
from eduplan.understand.inline import inline_cuts
from eduplan.understand.numerals import cn_number


@dataclass
class Line:
    no: int  # 1-based line number in the reader's text
    orig: str  # the original text of this logical line
    text: str  # folded copy, same length as orig
    cells: list[str] | None = None  # folded cells of a table row
    orig_cells: list[str] | None = None


# A page's furniture repeats (a footer on every page, the same blank cell labels): judged once.
_junk_line = lru_cache(maxsize=16384)(junk_line)
_PAGE_CHUNK = re.compile(r"^(\d{1,3})、")
_INLINE = re.compile(r"(?P<cn>[一二三四五六七八九十]{1,3})、|\((?P<par>[一二三四五六七八九十]{1,3})\)")


def _cn_value(s: str) -> int:
    return cn_number(s) or 0


def _rejoin_pages(raw: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """Join text cut into numbered page chunks ('1、…', '2、…' mid-sentence) back together.

    Items are (line number, original, folded copy of the same length)."""
    out: list[tuple[int, str, str]] = []
    expect = None
    for no, s, f in raw:
        m = _PAGE_CHUNK.match(f) if f[:1].isdigit() else None  # a chunk number is a digit
        if m and out and expect is not None and int(m.group(1)) == expect and out[-1][2][-1:] not in "。":
            prev_no, prev, prev_f = out[-1]
            out[-1] = (prev_no, prev + s[m.end() :], prev_f + f[m.end() :])
            expect += 1
            continue
        if m and int(m.group(1)) == 1 and len(s) > 150:
            out.append((no, s[m.end() :], f[m.end() :]))
            expect = 2
            continue
        out.append((no, s, f))
        if len(s) > 20:
            expect = None if not m else expect
    return out


_SHI_START = re.compile(r"^([一二三四五六七八九十]{1,3})是")
_SHI_INLINE = re.compile(r"(?<=[。;])\s*([一二三四五六七八九十]{1,3})是")


_CN_DIGITS = frozenset("一二三四五六七八九十")


def _shi_cuts(text: str) -> list[int]:
    """A paragraph that starts 五是… and goes on 。六是… holds two measures."""
    if text[:1] not in _CN_DIGITS:
        return []  # _SHI_START starts with one of them
    m = _SHI_START.match(text)
    if not m:
        return []
    expect = _cn_value(m.group(1)) + 1
    cuts = []
    for found in _SHI_INLINE.finditer(text):
        if _cn_value(found.group(1)) == expect:
            cuts.append(found.start(1))
            expect += 1
    return cuts


def _inline_cuts(text: str) -> list[int]:
    """Offsets where a flattened paragraph starts a new numbered heading (一、 … (一) …)."""
    if len(text) < 150:
        return _shi_cuts(text)
    found = [
        (m.start(), "cn" if m.group("cn") else "par", _cn_value(m.group("cn") or m.group("par")))
        for m in _INLINE.finditer(text)
    ]
    if not found:
        return _shi_cuts(text)
    # Where each style's last "2" is: "is a 二 still to come?" without rescanning the rest of the
    # line for every 一 (a line of thousands of 1、 made that quadratic).
    last_two = {style: i for i, (_, style, value) in enumerate(found) if value == 2}
    cuts: list[int] = []
    expect = {"cn": 1, "par": 1}
    for i, (pos, style, value) in enumerate(found):
        if value != expect[style]:
            continue
        if value == 1 and last_two.get(style, -1) <= i:
            if style == "cn" or not cuts:
                continue
        if pos > 0:
            cuts.append(pos)
        expect[style] = value + 1
        if style == "cn":
            expect["par"] = 1
    return cuts


def logical_lines(raw_lines: list[str], folded_lines: list[str] | None = None) -> list[Line]:
    """The reader's lines as logical lines for layout, with junk, related-article tails and
    repeated copies of the document left out."""
    folded_lines = folded_lines if folded_lines is not None else fold_lines(raw_lines)
    raw = []
    for i, (s, f) in enumerate(zip(raw_lines, folded_lines, strict=True)):
        s = s.rstrip()
        if s:  # it ends in a character that is not white space: not a blank line
            raw.append((i + 1, s, f[: len(s)]))
    raw = _rejoin_pages(raw)
    lines: list[Line] = []
    for no, s, f in raw:
        if CELL_SEPARATOR in s:
            cells = s.split(CELL_SEPARATOR)
            folded_cells = [c.strip() for c in f.split(CELL_SEPARATOR)]
            filled = len(folded_cells) - folded_cells.count("")
            # A row with one filled cell right under another row of the same table is a
            # continuation (a cell's second paragraph, a merged row): it stays a row.
            continues = (
                filled == 1
                and len(cells) >= 3
                and lines
                and lines[-1].cells is not None
                and not folded_cells[0]
            )
            if filled >= 2 or continues:
                lines.append(Line(no, s, f, folded_cells, [c.strip() for c in cells]))
                continue
            s = " ".join(c for c in cells if c.strip())
            f = fold(s)
        lead = len(s) - len(s.lstrip())
        stripped = s.strip()
        folded = f[lead : lead + len(stripped)]
        if _junk_line(folded):
            continue
        if related_heading(folded):
            break  # a related-articles list ends the document
        own, marked = _inline_cuts(folded), inline_cuts(folded)
        if not own and not marked:  # most lines: one piece
            if folded.strip():
                lines.append(Line(no, stripped[: len(folded)].strip(), folded.strip()))
            continue
        start = 0
        for cut in [*sorted(set(own) | set(marked)), len(folded)]:
            piece, fpiece = stripped[start:cut].strip(), folded[start:cut].strip()
            if fpiece:
                lines.append(Line(no, piece, fpiece))
            start = cut
    return _drop_repeats(lines)


def _drop_repeats(lines: list[Line], min_lines: int = 8, min_chars: int = 300) -> list[Line]:
    """Leave out a second printing of the same text (a plan printed twice on one page)."""
    # already folded: no need to normalise again; split() drops what \s matches, faster than sub
    keys = ["".join(ln.text.split()) for ln in lines]
    if len(set(keys)) == len(keys):
        return lines  # no line is printed twice (most documents)
    first: dict[str, int] = {}
    drop = [False] * len(lines)
    i = 0
    while i < len(lines):
        j0 = first.get(keys[i])
        if j0 is not None and j0 < i:
            n, chars = 0, 0
            while i + n < len(lines) and j0 + n < i and keys[j0 + n] == keys[i + n]:
                chars += len(keys[i + n])
                n += 1
            if n >= min_lines and chars >= min_chars:
                for k in range(i, i + n):
                    drop[k] = True
                i += n
                continue
        first.setdefault(keys[i], i)
        i += 1
    return [ln for ln, d in zip(lines, drop, strict=True) if not d]
