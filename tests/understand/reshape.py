"""Reshapers for the metamorphic tests: the same plan content in another script, year, unit
names or file format.

Text transformations work on a document's source text (``script``, ``shift_years``,
``rename_units``); format renderers take the reader's rows (``TextDocument.lines`` split at
TAB, one cell for a line outside a table) and write them back as another file
(``to_docx``, ``to_xlsx``, ``to_html``, ``to_pipes``). Each transformation also says how an
item of the original parse must look after it (``expect_text``, ``expect_date``), so the test
compares the reader with itself, not with the gold.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

import opencc

S2T = opencc.OpenCC("s2t").convert
T2S = opencc.OpenCC("t2s").convert

Rows = list[list[str]]

# --------------------------------------------------------------------------- script


def is_traditional(text: str) -> bool:
    """More characters change when going to simplified than to traditional."""
    sample = text[:20000]
    to_simple = sum(a != b for a, b in zip(sample, T2S(sample), strict=False))
    to_trad = sum(a != b for a, b in zip(sample, S2T(sample), strict=False))
    return to_simple > to_trad


def other_script(text: str) -> str:
    """Traditional text in simplified script and simplified text in traditional."""
    return T2S(text) if is_traditional(text) else S2T(text)


# --------------------------------------------------------------------------- years

# A written Gregorian year: four digits from 1950 to 2049 standing alone, not a count of
# money, people or things (2000元, 1500人).
_YEAR4 = re.compile(
    r"(?<![\d.])(?P<y>19[5-9]\d|20[0-4]\d)(?![\d.]?\d)"
    r"(?!\s*(?:元|万|亿|人|名|个|所|份|米|平方|小时|分钟|项|册|次|间|余|多|余|户|台|套|本|张|篇|件|节|课时|学时|字|kg|km|m\b))"
)
# A ROC (民国) year: 2–3 digits before 年/学年/學年 (114學年度, 107年), or the first three
# digits of a compact ROC date (1070528).
_ROC_YEAR = re.compile(r"(?<!\d)(?P<y>\d{2,3})(?=\s*(?:學年|学年|年度|年))")
_ROC_COMPACT = re.compile(r"(?<![\d./\-])(?P<y>1\d\d)(?P<md>(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?!\d)")
# A year in Chinese numerals, digit by digit: 二〇一九年, and the two-digit 一一年一月 (2011)
# when a month follows.
_CN_DIGITS = "〇一二三四五六七八九"
_CN_YEAR = re.compile(
    r"(?<![〇零○一二三四五六七八九十])(?P<y>[〇零○一二三四五六七八九]{4}(?=年)"
    r"|[〇零○一二三四五六七八九]{2}(?=年\s*(?:[一二三四五六七八九十]{1,2}|\d{1,2})\s*月)"
    # a year cell of a calendar grid, written without 年: 二〇二四
    r"|(?:一九|二[〇零○])[〇零○一二三四五六七八九]{2}(?![〇零○一二三四五六七八九十]))"
)
# A two-digit Arabic year before a month (17年9月).
_YEAR2 = re.compile(r"(?<![\d.])(?P<y>\d{2})(?=年\s*\d{1,2}\s*月)")


def shift_years(text: str, years: int) -> str:
    """Every written year moved by ``years`` (Gregorian four-digit and ROC years)."""

    def g(m: re.Match) -> str:
        return str(int(m.group("y")) + years)

    def roc(m: re.Match) -> str:
        value = int(m.group("y"))
        if not 60 <= value <= 199:  # 一年级, 10年 as a duration are not ROC years
            return m.group(0)
        return str(value + years)

    def compact(m: re.Match) -> str:
        return f"{int(m.group('y')) + years}{m.group('md')}"

    def cn(m: re.Match) -> str:
        written = m.group("y")
        value = int("".join(str(_CN_DIGITS.index(ch) if ch in _CN_DIGITS else 0) for ch in written))
        width = len(written)
        value = (value + years) % 10**width
        return "".join(_CN_DIGITS[int(ch)] for ch in f"{value:0{width}d}")

    def two(m: re.Match) -> str:
        return f"{(int(m.group('y')) + years) % 100:02d}"

    text = _YEAR4.sub(g, text)
    text = _CN_YEAR.sub(cn, text)
    text = _YEAR2.sub(two, text)
    text = _ROC_COMPACT.sub(compact, text)
    return _ROC_YEAR.sub(roc, text)


def shift_date(d: date | None, years: int) -> date | None:
    return None if d is None else d.replace(year=d.year + years)


def weekday_keeping_shift(
    dates: Iterable[date], candidates: Iterable[int] = (28, -28, 11, -11, 6, -6, 5, -5)
) -> int:
    """The first shift of whole years that keeps the weekday of every date (and every 29 Feb).

    The shift keeps the first and last day of every year the dates touch too, so a weekday
    label on any other day of those years still fits."""
    years = set()
    for d in dates:
        years.add(d.year)
    days = [date(y, 1, 1) for y in years] + [date(y, 12, 31) for y in years]
    for n in candidates:
        if all(
            _leap(y) == _leap(y + n) and date(y + n, 1, 1).weekday() == date(y, 1, 1).weekday() for y in years
        ) and all(d.replace(year=d.year + n).weekday() == d.weekday() for d in days):
            return n
    raise ValueError(f"no weekday-keeping shift among {list(candidates)} for years {sorted(years)}")


def _leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


# --------------------------------------------------------------------------- unit names

UNIT_SUFFIXES = ("中心", "股", "室", "科", "处", "办", "站", "组")
"""The forms of a responsible unit renamed: a name ending in one of these."""

# Invented stems (two characters), each the same in both scripts after a round trip and
# none a word of an education plan's unit names today.
_STEMS = ("甄选", "澄明", "晴川", "望舒", "临渊", "鹤鸣", "松涛", "竹韵", "栖霞", "枫桥", "云岫", "星澜")


def unit_names(departments: Iterable[str]) -> list[str]:
    """The unit-form names inside gold departments (``基教股(团工委)`` gives 基教股)."""
    found: list[str] = []
    for dep in departments:
        for piece in re.split(r"[()（）、,，\s]+", dep):
            if (
                len(piece) >= 2
                and piece.endswith(UNIT_SUFFIXES)
                and not piece.startswith("各")
                and piece not in found
            ):
                found.append(piece)
    return found


def unit_renaming(names: Iterable[str], text: str) -> dict[str, str]:
    """Old name (simplified) to a new invented name of the same form, for names in ``text``."""
    simple = T2S(text)
    mapping: dict[str, str] = {}
    stems = iter(s for s in _STEMS if s not in simple)
    for name in sorted(set(names), key=len, reverse=True):
        if not re.search(_spaced(name), simple):
            continue
        suffix = next(s for s in UNIT_SUFFIXES if name.endswith(s))
        stem = next(stems, None)
        if stem is None:
            break
        mapping[name] = stem + suffix
    return mapping


def _spaced(name: str) -> str:
    """A pattern for a name written with or without blanks between its characters (党 办)."""
    return r"[ \u3000]*".join(re.escape(ch) for ch in name)


def rename_units(text: str, mapping: dict[str, str]) -> str:
    """Every occurrence of each old unit name, in either script, replaced (longest first)."""
    trad = is_traditional(text)
    for old in sorted(mapping, key=len, reverse=True):
        new = mapping[old]
        for written, wanted in [(old, new), *([(S2T(old), S2T(new))] if trad else [])]:
            text = re.sub(_spaced(written), wanted, text)
    return text


def renamed(text: str, mapping: dict[str, str]) -> str:
    """Expected text after renaming: the simplified form with the old names replaced."""
    text = T2S(text)
    for old in sorted(mapping, key=len, reverse=True):
        text = text.replace(old, mapping[old])
    return text


# --------------------------------------------------------------------------- formats


def rows_of(lines: list[str]) -> Rows:
    """The reader's lines as rows of cells (TAB-separated); a line outside a table is one cell."""
    return [line.split("\t") for line in lines]


def recovered_rows(lines: list[str]) -> Rows | None:
    """For text lines: the rows of the tables the reader recovers from them (pipes, one cell
    per line), every other line as it is; None where the reader finds no table.

    A recovered row stands where its first line stood and replaces the lines it was read
    from: the lines up to the next logical line whose text is part of its cells."""
    try:  # the reader's own table recovery; internal, so a renamed module only loses the tables
        from eduplan.understand.grid import recover_tables
        from eduplan.understand.lines import logical_lines
    except ImportError:
        return None

    logical = recover_tables(logical_lines(lines))
    if not any(line.cells for line in logical):
        return None
    starts = sorted({line.no for line in logical})  # several logical lines may share a line
    following = dict(zip(starts, [*starts[1:], len(lines) + 1], strict=True))
    table_at = {line.no: line.orig_cells for line in logical if line.cells}
    pieces = Counter(line.no for line in logical)
    for no in [no for no, n in pieces.items() if n > 1]:
        # The reader split the line into several entries (inline 1.…2.…) before reading its
        # bars: where a piece is a row, or the line stands next to a row and its bars give two
        # filled cells, the row is the line's own cells, split at its bars.
        cells = [c.strip() for c in re.split(r"[|｜]", lines[no - 1].strip().strip("|｜"))]
        beside = no - 1 in table_at or no + 1 in table_at
        if no in table_at or (beside and sum(1 for c in cells if c) >= 2):
            table_at[no] = cells
    rows: Rows = []
    no = 1
    while no <= len(lines):
        cells = table_at.get(no)
        if cells is None:
            rows.append([lines[no - 1]])
            no += 1
            continue
        rows.append(list(cells))
        joined = "".join(c.replace(" ", "") for c in cells)
        bound = following[no]
        no += 1
        while no < bound:
            piece = re.sub(r"[|｜\s]+", "", lines[no - 1])
            if piece and piece not in joined:
                break
            no += 1
    return rows


def _blocks(rows: Rows) -> list[tuple[str, Rows]]:
    """Consecutive rows of several cells form a table; every other row is a paragraph."""
    out: list[tuple[str, Rows]] = []
    for row in rows:
        kind = "table" if len(row) > 1 else "para"
        if kind == "table" and out and out[-1][0] == "table":
            out[-1][1].append(row)
        else:
            out.append((kind, [row]))
    return out


def _padded(rows: Rows) -> Rows:
    width = max(len(r) for r in rows)
    return [[*r, *[""] * (width - len(r))] for r in rows]


def first_column_runs(rows: Rows) -> list[tuple[int, int]]:
    """(first, last) row index of each run where the first cell is written once and left empty
    below (the reader's way of giving a merged first column)."""
    runs = []
    i = 0
    while i < len(rows):
        j = i
        if rows[i][0].strip():
            while j + 1 < len(rows) and not rows[j + 1][0].strip():
                j += 1
        if j > i:
            runs.append((i, j))
        i = j + 1
    return runs


def to_docx(rows: Rows) -> bytes:
    """A Word document: paragraphs, and tables whose repeated first column is merged."""
    import docx

    document = docx.Document()
    for kind, block in _blocks(rows):
        if kind == "para":
            document.add_paragraph(block[0][0])
            continue
        grid = _padded(block)
        table = document.add_table(rows=len(grid), cols=len(grid[0]))
        cells = [row.cells for row in table.rows]  # table.cell() walks the whole grid each time
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value:
                    cells[r][c].text = value
        for first, last in first_column_runs(grid):
            cells[first][0].merge(cells[last][0])
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def to_xlsx(rows: Rows) -> bytes:
    """A workbook of one sheet: a row per line, the repeated first column merged."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for kind, block in _blocks(rows):
        if kind == "para":
            sheet.append([block[0][0]])
            continue
        top = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
        grid = _padded(block)
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value:
                    sheet.cell(top + r, c + 1, value)
        for first, last in first_column_runs(grid):
            sheet.merge_cells(start_row=top + first, start_column=1, end_row=top + last, end_column=1)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def to_html(rows: Rows) -> bytes:
    """An HTML page: ``<p>`` paragraphs and ``<table>``s with the first column's runs as rowspan."""
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>']
    for kind, block in _blocks(rows):
        if kind == "para":
            parts.append(f"<p>{html.escape(block[0][0])}</p>")
            continue
        grid = _padded(block)
        spans = {first: last - first + 1 for first, last in first_column_runs(grid)}
        covered = {r for first, last in first_column_runs(grid) for r in range(first + 1, last + 1)}
        parts.append("<table>")
        for r, row in enumerate(grid):
            cells = []
            for c, value in enumerate(row):
                if c == 0 and r in covered:
                    continue
                attr = f' rowspan="{spans[r]}"' if c == 0 and r in spans else ""
                cells.append(f"<td{attr}>{html.escape(value)}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


def to_pipes(rows: Rows) -> bytes:
    """Plain text: table rows as ``| a | b |``, paragraphs as they are."""
    out = []
    for row in rows:
        out.append("| " + " | ".join(row) + " |" if len(row) > 1 else row[0])
    return "\n".join(out).encode("utf-8")


FORMATS: dict[str, tuple[str, Callable[[Rows], bytes]]] = {
    "docx": ("reshaped.docx", to_docx),
    "xlsx": ("reshaped.xlsx", to_xlsx),
    "html": ("reshaped.html", to_html),
    "pipes": ("reshaped.txt", to_pipes),
}
