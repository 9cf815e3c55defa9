"""Table cells holding several paragraphs, laid out as one line per paragraph.

Every reader that sees table cells (Word, HTML, Excel) hands each cell over as its list
of paragraphs (Word paragraphs, ``<p>``/``<li>``/``<br>`` lines, line breaks in a
spreadsheet cell). :func:`sub_rows` turns one row of such cells into the row's line
plus one line per further paragraph, the other cells of those lines empty, exactly as a
vertically merged continuation row (see ``eduplan.read.document``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WS = re.compile(r"\s+")

STACKED_CHARS = 2
"""A cell whose paragraphs are all this short is one text written down the cell
(``第/1/周``, ``备/注``, ``期中/考试``, a day number over its label), not a list."""


def paragraphs(texts: Iterable[str]) -> list[str]:
    """A cell's paragraphs with white space collapsed and empty ones dropped.

    Text stacked down a narrow cell, one or two characters a line, stays one paragraph,
    its pieces joined by a space.
    """
    out = [text for text in (_WS.sub(" ", raw).strip() for raw in texts) if text]
    if len(out) > 1 and all(len(text) <= STACKED_CHARS for text in out):
        return [" ".join(out)]
    return out


def sub_rows(cells: list[list[str]]) -> list[list[str]]:
    """One row of cells (each a list of paragraphs) as the lines it is laid out on.

    The first line holds each cell's first paragraph (an empty string for an empty
    cell); line k holds the k-th paragraph of every cell that has one, every other cell
    empty. All lines have the row's column count.
    """
    depth = max((len(cell) for cell in cells), default=0)
    if depth <= 1:
        return [[cell[0] if cell else "" for cell in cells]]
    return [[cell[k] if k < len(cell) else "" for cell in cells] for k in range(depth)]
