"""Several numbered entries run together on one line or in one cell: ``1.…2.…3.…``.

A chain of arabic markers counting up from the line's own first marker (or from 1), each
after the end of a sentence, a blank or the line start, splits the text into one piece per
entry. ``3.14``, ``2.5万`` and dates (``3. 2/14``) are not markers: a marker is followed by
text, not by a digit. A chain needs at least two links so that one stray ``2.`` splits nothing.
"""

from __future__ import annotations

import re

# A marker: 1-2 digits and 、 . ． or ) (or none, directly before a CJK character after a
# sentence end or blank), not inside a number or a date.
_MARK = re.compile(r"(?<![\d./-])(\d{1,2})(?:\s*[、.．)]|(?=[\u4e00-\u9fff]))(?!\s*\d)")
_DIGIT = re.compile(r"\d")
_BEFORE = frozenset("。;；!！?？ \u3000:：")
MAX_LINKS = 60


def inline_cuts(text: str) -> list[int]:
    """Offsets where the second and later entries of a numbered chain start (empty if none).

    A chain starts at a dotted ``1.``/``1、`` (anywhere: ``园务管理1、形成…``) or at the line's
    own first marker, and goes on with each next number after a sentence end or a blank; a new
    ``1.`` that has a ``2.`` after it starts the chain again (the next heading's list)."""
    if _DIGIT.search(text) is None:
        return []  # a marker is a number
    marks = []
    for m in _MARK.finditer(text):
        at = m.start()
        dotted = m.end(1) < m.end()
        n = int(m.group(1))
        if at > 0 and text[at - 1] not in _BEFORE and not (dotted and n == 1):
            continue
        if not dotted and at > 0 and text[at - 1] not in "。;；!！?？ \u3000":
            continue
        marks.append((at, n, dotted))
        if len(marks) > MAX_LINKS * 4:
            break
    if len(marks) < 2:
        return []
    twos = [i for i, (_, n, _) in enumerate(marks) if n == 2]
    cuts: list[int] = []
    expect: int | None = None
    for i, (at, n, dotted) in enumerate(marks):
        if expect is not None and n == expect:
            cuts.append(at)
            expect += 1
        elif dotted and ((n == 1 and any(j > i for j in twos)) or (i == 0 and at == 0)):
            if at > 0:
                cuts.append(at)
            expect = n + 1
        if len(cuts) >= MAX_LINKS:
            break
    return cuts


def split_inline_pairs(orig: str, folded: str) -> list[tuple[str, str]]:
    """``(original, folded)`` pieces of a line cut before each later entry of its chain (the
    folded copy has the original's length, so both are cut at the same offsets)."""
    cuts = inline_cuts(folded)
    if not cuts:
        return [(orig, folded)]
    pieces, start = [], 0
    for cut in [*cuts, len(folded)]:
        if folded[start:cut].strip():
            pieces.append((orig[start:cut].strip(), folded[start:cut].strip()))
        start = cut
    return pieces


def split_inline(text: str) -> list[str]:
    """``text`` cut before each later entry of its numbered chain (stripped pieces)."""
    return [piece for _, piece in split_inline_pairs(text, text)]
