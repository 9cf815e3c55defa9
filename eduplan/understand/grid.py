"""Tables recovered from text: rows written on one line with cell separators, and tables
flattened to one cell per line.

The reader keeps real table cells apart (a TAB between cells); pages copied from the web or
from a PDF often lose that and give either one row per line with ``|``, ``｜`` or Markdown
pipes between the cells, or one cell per line with a lone ``|`` (or a trailing one) between
cells. This module turns both back into rows of cells: a pipe row counts where a neighbouring
line is one too, and a flattened table where a run of header words gives its width and the
cells after it fill whole rows. A run that fits no grid stays prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from eduplan.text import fold
from eduplan.understand.lines import Line, keeps_row, text_lines
from eduplan.understand.tablewords import header_lookup, header_roles

__all__ = ["recover_tables", "split_row"]

_PIPES = "|｜"
_PIPE = re.compile(r"[|｜]")
_LONE_PIPE = re.compile(r"^\s*[|｜]\s*$")
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MIN_ROWS = 2


def split_row(text: str) -> list[str] | None:
    """The cells of a one-line table row written with pipes (``a | b | c``, ``| a | b |``)."""
    cut = _cut_like(text, text)
    return cut[1] if cut else None


def _cut_like(orig: str, folded: str) -> tuple[list[str], list[str]] | None:
    """Split a pipe row in the folded copy and cut the original at the same offsets; the empty
    outer cells of a leading or trailing pipe are dropped. None for fewer than two cells."""
    if "|" not in folded and "｜" not in folded:  # _PIPES
        return None
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _PIPE.finditer(folded):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(folded)))
    if bounds and not folded[bounds[0][0] : bounds[0][1]].strip():
        bounds = bounds[1:]
    if bounds and not folded[bounds[-1][0] : bounds[-1][1]].strip():
        bounds = bounds[:-1]
    if len(bounds) < 2:
        return None
    return (
        [orig[a:b].strip() for a, b in bounds],
        [folded[a:b].strip() for a, b in bounds],
    )


def _pipe_rows(lines: list[Line]) -> list[Line]:
    """One-line rows with pipes, where at least two neighbouring lines are such rows."""
    # A line with no pipe is no pipe row (nor a lone pipe), and a Markdown rule has its "--":
    # the patterns are tried only on lines that hold what they need.
    cuts = [
        _cut_like(ln.orig, ln.text)
        if ln.cells is None and ("|" in ln.text or "｜" in ln.text) and not _LONE_PIPE.match(ln.text)
        else None
        for ln in lines
    ]
    out: list[Line] = []
    for i, ln in enumerate(lines):
        if ln.cells is None and "--" in ln.text and _MARKDOWN_RULE.match(ln.text):
            continue  # the |---|---| rule under a Markdown header
        cut = cuts[i]
        near = (i > 0 and cuts[i - 1] is not None) or (i + 1 < len(lines) and cuts[i + 1] is not None)
        if cut is None or not near:
            out.append(ln)
            continue
        orig_cells, cells = cut
        # Read as the reader reads a TAB row: its cells end at the last filled one, and a row
        # with one filled cell is the text of that cell unless it continues the row above.
        while cells and not cells[-1]:
            cells, orig_cells = cells[:-1], orig_cells[:-1]
        if keeps_row(cells, bool(out) and out[-1].cells is not None):
            out.append(Line(ln.no, ln.orig, ln.text, cells, orig_cells))
        else:
            orig = " ".join(o for o, c in zip(orig_cells, cells, strict=True) if c)
            out.extend(text_lines(ln.no, orig, fold(orig)))
    return out


def _cell_stream(lines: list[Line], i: int) -> tuple[list[tuple[Line, str, str]], int]:
    """From line i, the cells of a table flattened one cell per line with pipes between them.

    Returns the cells (the line, original text, folded text; empty cells with the line of the
    pipe) and the index after the run. Two pipes in a row mean an empty cell between them.
    """
    cells: list[tuple[Line, str, str]] = []
    j = i
    pending: Line | None = None  # a cell read, waiting for its closing pipe
    while j < len(lines):
        ln = lines[j]
        if ln.cells is not None:
            break
        if _LONE_PIPE.match(ln.text):
            if pending is None:
                cells.append((ln, "", ""))
            pending = None
            j += 1
            continue
        if pending is not None:
            break  # two text lines with no pipe between: the run ends
        text, orig = ln.text.strip(), ln.orig.strip()
        if text[-1:] in _PIPES:  # a cell that ends in its own pipe
            cells.append((ln, orig[:-1].strip(), text[:-1].strip()))
            j += 1
            continue
        if len(text) > 80:
            break
        cells.append((ln, orig, text))
        pending = ln
        j += 1
    return cells, j


def _header_width(cells: list[tuple[Line, str, str]]) -> int:
    """Number of leading cells that are column headers (周次, 周一 … 周日, 备注, 日期 …)."""
    n = 0
    seen: set[str] = set()
    role_of = header_lookup()
    for _, _, text in cells:
        role = role_of(text) if text else None
        if role is None or (role.startswith("weekday:") and role in seen):
            break  # a repeated weekday is the first row's week label (一, 二 …)
        seen.add(role)
        n += 1
    return n


def _flattened_tables(lines: list[Line]) -> list[Line]:
    """Tables flattened one cell per line, read back into rows under their header."""
    out: list[Line] = []
    role_of = header_lookup()
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.cells is not None or role_of(ln.text.strip().rstrip("|｜").strip()) is None:
            out.append(ln)
            i += 1
            continue
        cells, j = _cell_stream(lines, i)
        width = _header_width(cells)
        body = cells[width:]
        if width < 3 or len(body) < width * _MIN_ROWS:
            out.append(ln)
            i += 1
            continue
        rows = len(body) // width
        header = cells[:width]
        out.append(
            Line(
                header[0][0].no,
                header[0][0].orig,
                header[0][0].text,
                [c[2] for c in header],
                [c[1] for c in header],
            )
        )
        for r in range(rows):
            row = body[r * width : (r + 1) * width]
            first = next((c[0] for c in row if c[2]), row[0][0])
            out.append(Line(first.no, first.orig, first.text, [c[2] for c in row], [c[1] for c in row]))
        # Cells past the last whole row go back to the text (a cut page, or prose after it):
        # reading goes on from the first unused cell's line.
        used = width + rows * width
        i = _index_of(lines, cells[used][0], i) if used < len(cells) else j
    return out


def _index_of(lines: list[Line], target: Line, start: int) -> int:
    for k in range(start, len(lines)):
        if lines[k] is target:
            return k
    return start + 1


def recover_tables(lines: Iterable[Line]) -> list[Line]:
    """Logical lines with text tables turned into rows of cells (``Line.cells``)."""
    return split_side_by_side(_flattened_tables(_pipe_rows(list(lines))))


def _blocks(roles: list[str | None]) -> list[tuple[int, int]] | None:
    """Column ranges of tables printed side by side: the header's roles repeat (月份 周次 一…日
    记事 | 月份 周次 一…日 记事). None where the header is one table."""
    named = [(i, r) for i, r in enumerate(roles) if r is not None]
    if len(named) < 6:
        return None
    first = named[0][1]
    starts = [i for i, r in named if r == first]
    if len(starts) < 2:
        return None
    blocks = []
    for k, s in enumerate(starts):
        e = starts[k + 1] if k + 1 < len(starts) else len(roles)
        blocks.append((s, e))
    signature = [tuple(r for r in roles[s:e] if r is not None) for s, e in blocks]
    if any(sig != signature[0] for sig in signature[1:]) or len(signature[0]) < 3:
        return None
    # A block begins just after the last named column of the block before it: the unnamed
    # columns in front of a block's first named one (a year or month column whose header is
    # written down the cell) are that block's, not the tail of the one before.
    ends = [max(i for i, r in enumerate(roles[s:e], s) if r is not None) for s, e in blocks]
    cuts = [0, *(end + 1 for end in ends[:-1]), len(roles)]
    return [(cuts[k], cuts[k + 1]) for k in range(len(blocks))]


def _filled(ln: Line, column: int) -> bool:
    cells = ln.cells or []
    return column < len(cells) and bool(cells[column])


def _cut_row(ln: Line, columns: range | list[int]) -> Line | None:
    """The row's cells in ``columns`` (those it has), or None where they are all empty."""
    have, have_orig = ln.cells or [], ln.orig_cells or ln.cells or []
    cells = [have[c] for c in columns if c < len(have)]
    orig = [have_orig[c] for c in columns if c < len(have_orig)]
    if not any(cells):
        return None
    return Line(ln.no, "\t".join(orig), "\t".join(cells), cells, orig)


def _stray(lines: list[Line], j: int) -> bool:
    """A short line without cells between two rows of a table (pieces of a header written down
    its cells, ``月 教``): still inside the table."""
    return len(lines[j].text.replace(" ", "")) <= 4 and j + 1 < len(lines) and lines[j + 1].cells is not None


def split_side_by_side(lines: list[Line]) -> list[Line]:
    """Tables printed side by side (two terms of a school calendar on one sheet) read one after
    the other: the left table's rows first, then the right one's, each under its own header.
    A row just above the header that holds a title per block goes with its block."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        roles = header_roles(ln.cells) if ln.cells else None
        blocks = _blocks(roles) if roles else None
        if not blocks:
            out.append(ln)
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (lines[j].cells is not None or _stray(lines, j)):
            j += 1
        above = out.pop() if out and out[-1].cells is not None and out[-1].no == ln.no - 1 else None
        for k, (s, e) in enumerate(blocks):
            end = e if k + 1 < len(blocks) else max(len(r.cells or []) for r in lines[i:j])
            if above is not None:
                title = _cut_row(above, range(s, end))
                if title is not None:
                    text = " ".join(c for c in (title.cells or []) if c)
                    orig = " ".join(c for c in (title.orig_cells or []) if c)
                    out.append(Line(title.no, orig, text))
            rows = [r for r in lines[i:j] if r.cells is not None]  # stray header pieces left out
            # A column empty in every row of the block (the gap between two tables) goes.
            used = [c for c in range(s, end) if any(_filled(r, c) for r in rows)]
            for row in rows:
                cut = _cut_row(row, used)
                if cut is not None:
                    out.append(cut)
        i = j
    return out
