"""Characters to visual lines, two-column blocks and a table cell's paragraphs.

A visual line is the characters sharing a baseline band, left to right, with a space where the
gap between two characters is wider than a fraction of their size. A run of lines split by a
vertical gap clear of characters, where the text right of the gap starts entries (a date or a
list number) as the text at the left does, is a two-column block: its left column is read
before its right column. A cell's lines become paragraphs: a line that starts with a date or a
list number starts one; a line after a line that ended short of the cell's right edge (its
first word would have fitted there) starts one, unless the paragraph began with a date or a
number (then undated lines continue it); a line level with an entry of a neighbouring list
column (a column of short lines such as days or weekdays) starts one.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

_CJK_CHAR = re.compile("[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_DATE_START = re.compile(
    r"\s*(?:\d{4}\s*[年./-]|\d{1,2}\s*[/／]\s*\d{1,2}|\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月"
    r"|\d{1,2}[.．]\d{1,2}(?!\d))"
)
_NUMBER_START = re.compile(
    r"\s*(?:[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]|\d{1,2}\s*[.．、](?!\d)"
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]|[\u2460-\u2473])"
)

SPACE_GAP = 0.3
"""A gap wider than this share of the character size between two characters is a space."""
CJK_SPACE_GAP = 0.8
"""Next to a Chinese character a space takes a wider gap (justified lines spread glyphs)."""
COLUMN_GAP = 1.5
"""A column gap is at least this many character sizes wide."""
SAME_LINE = 0.35
"""Characters whose bottoms differ by at most this share of their size share a line."""
LEVEL = 1.5
"""Two lines whose tops differ by at most this many points stand level."""


def entry_kind(text: str) -> str | None:
    """``"number"`` or ``"date"`` when ``text`` begins with a list number or a date."""
    if _NUMBER_START.match(text):
        return "number"
    if _DATE_START.match(text):
        return "date"
    return None


def starts_entry(text: str) -> bool:
    """Whether ``text`` begins with a date or a list number."""
    return entry_kind(text) is not None


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_CHAR.match(ch))


@dataclass
class Line:
    chars: list[dict]  # left to right
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    size: float = 10.0
    text: str = ""
    segments: list[tuple[float, float, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        chars = self.chars
        self.top = min(c["top"] for c in chars)
        self.bottom = max(c["bottom"] for c in chars)
        self.x0 = chars[0]["x0"]
        self.x1 = max(c["x1"] for c in chars)
        self.size = max(c.get("size") or (c["bottom"] - c["top"]) or 10.0 for c in chars)
        parts: list[str] = []
        segments: list[tuple[float, float, str]] = []
        seg_start, seg_text, last = chars[0]["x0"], "", None
        for c in chars:
            ch = c["text"]
            if last is not None:
                gap = c["x0"] - last["x1"]
                if gap > COLUMN_GAP * self.size * 0.5:
                    segments.append((seg_start, last["x1"], seg_text.strip()))
                    seg_start, seg_text = c["x0"], ""
                cjk = _is_cjk(ch) or _is_cjk(last["text"])
                if gap > (CJK_SPACE_GAP if cjk else SPACE_GAP) * self.size and not ch.isspace():
                    parts.append(" ")
                    seg_text += " "
            if ch.isspace():
                parts.append(" ")
                seg_text += " "
            else:
                parts.append(ch)
                seg_text += ch
                last = c
        if last is not None:
            segments.append((seg_start, last["x1"], seg_text.strip()))
        self.segments = [s for s in segments if s[2]]
        self.text = " ".join("".join(parts).split())


def lines_of(chars: list[dict]) -> list[Line]:
    """Visual lines of ``chars``, top to bottom."""
    chars = [c for c in chars if c.get("text") and "top" in c and "x0" in c]
    chars.sort(key=lambda c: (c["bottom"], c["x0"]))
    bands: list[list[dict]] = []
    base = 0.0
    for c in chars:
        # Baselines level within a third of the size (a smaller note beside a title shares its
        # baseline); text drawn a few points lower over other text (hidden overlapping text) is
        # a line of its own, not interleaved with it.
        size = c.get("size") or (c["bottom"] - c["top"]) or 10.0
        if bands and c["bottom"] - base <= SAME_LINE * size:
            bands[-1].append(c)
            continue
        bands.append([c])
        base = c["bottom"]
    lines = []
    for band in bands:
        band.sort(key=lambda c: c["x0"])
        if any(not c["text"].isspace() for c in band):
            while band and band[0]["text"].isspace():
                band.pop(0)
            lines.append(Line(band))
    return lines


def _sub_line(line: Line, keep) -> Line | None:
    chars = [c for c in line.chars if keep((c["x0"] + c["x1"]) / 2)]
    while chars and chars[0]["text"].isspace():
        chars.pop(0)
    if not any(not c["text"].isspace() for c in chars):
        return None
    return Line(chars)


def _free_around(line: Line, x: float) -> tuple[float, float] | None:
    """The gap of ``line`` holding ``x`` (-inf/inf beyond its ends); None when a word covers x."""
    left, right = float("-inf"), float("inf")
    for x0, x1, _ in line.segments:
        if x0 < x < x1:
            return None
        if x1 <= x:
            left = max(left, x1)
        elif x0 >= x:
            right = min(right, x0)
    return left, right


def _column_run(lines: list[Line], x: float) -> tuple[int, int] | None:
    """The first run of lines (start, end) split at ``x`` into two columns of entries."""
    n = len(lines)
    i = 0
    while i < n:
        j, left, right, two_sided, entry_right = i, float("-inf"), float("inf"), 0, 0
        while j < n:
            free = _free_around(lines[j], x)
            if free is None:
                break
            new_left, new_right = max(left, free[0]), min(right, free[1])
            if new_right - new_left < COLUMN_GAP * lines[j].size:
                break
            left, right = new_left, new_right
            rights = [s for s in lines[j].segments if s[0] >= x]
            if rights and any(s[1] <= x for s in lines[j].segments):
                two_sided += 1
                kind = entry_kind(lines[j].segments[0][2])
                entry_right += kind is not None and entry_kind(rights[0][2]) == kind
            j += 1
        if two_sided >= 2 and entry_right * 5 >= two_sided * 3:
            return i, j
        i = max(j, i + 1)
    return None


def split_columns(lines: list[Line]) -> list[list[Line]]:
    """``lines`` as blocks in reading order: a two-column run becomes its left column then its
    right column; other lines stay blocks of their own run."""
    return [block for block, _ in column_blocks(lines)]


def column_blocks(lines: list[Line]) -> list[tuple[list[Line], bool]]:
    """(block, is a right column) in reading order, as ``split_columns``."""
    candidates: list[float] = []
    for line in lines:
        segs = line.segments
        for (_, a, _), (b, _, text) in itertools.pairwise(segs):
            kind = entry_kind(segs[0][2])
            if b - a >= COLUMN_GAP * line.size and kind and entry_kind(text) == kind:
                candidates.append((a + b) / 2)
    best: tuple[int, int, float] | None = None
    for x in sorted(set(round(c, 1) for c in candidates)):
        run = _column_run(lines, x)
        if run and (best is None or run[0] < best[0] or (run[0] == best[0] and run[1] > best[1])):
            best = (run[0], run[1], x)
    if best is None:
        return [(lines, False)] if lines else []
    start, end, x = best
    left = [s for s in (_sub_line(line, lambda m: m < x) for line in lines[start:end]) if s]
    right = [s for s in (_sub_line(line, lambda m: m > x) for line in lines[start:end]) if s]
    blocks = [(lines[:start], False), (left, False), (right, True)]
    blocks += column_blocks(lines[end:])
    return [b for b in blocks if b[0]]


def _join(a: str, b: str) -> str:
    if not a or not b:
        return a + b
    if _is_cjk(a[-1]) or _is_cjk(b[0]) or a.endswith("-"):
        return a + b
    return a + " " + b


def _first_token_width(line: Line) -> float:
    chars = [c for c in line.chars if not c["text"].isspace()]
    if not chars:
        return 0.0
    if _is_cjk(chars[0]["text"]):
        return chars[0]["x1"] - chars[0]["x0"]
    end = chars[0]
    for c in chars[1:]:
        if _is_cjk(c["text"]) or c["x0"] - end["x1"] > SPACE_GAP * line.size:
            break
        end = c
    return end["x1"] - chars[0]["x0"]


@dataclass
class Paragraph:
    top: float
    text: str


def short_lines(lines: list[Line]) -> bool:
    """Every line of at most four characters (a day, a weekday, a stacked label)."""
    return len(lines) >= 2 and all(len(line.text.replace(" ", "")) <= 4 for line in lines)


def is_list(lines: list[Line], others: list[float], bbox: tuple[float, float, float, float]) -> bool:
    """A column of short entries standing level with lines of the neighbouring cells; two such
    lines set in the middle of a much taller cell are one label spread out (a month name)."""
    if not short_lines(lines):
        return False
    level = sum(any(abs(line.top - top) <= LEVEL for top in others) for line in lines)
    if level < 2:
        return False
    if len(lines) == 2:
        top, bottom = bbox[1], bbox[3]
        middle = (lines[0].top + lines[-1].bottom) / 2
        if abs(middle - (top + bottom) / 2) < 0.1 * (bottom - top):
            return False
    return True


def paragraphs(lines: list[Line], right: float, anchors: list[float]) -> list[Paragraph]:
    """Paragraphs of one block of ``lines`` whose text ends at ``right`` at the latest."""
    out: list[Paragraph] = []
    marked = False
    prev: Line | None = None
    for line in lines:
        new = prev is None
        if not new and prev is not None:
            if starts_entry(line.text) or any(abs(line.top - a) <= LEVEL for a in anchors):
                new = True
            elif line.top - prev.bottom > 0.8 * line.size:
                new = True
            elif not marked and right - prev.x1 > _first_token_width(line) + 0.5:
                new = True
        if new:
            out.append(Paragraph(line.top, line.text))
            marked = starts_entry(line.text)
        else:
            out[-1].text = _join(out[-1].text, line.text)
        prev = line
    return out


def cell_paragraphs(
    lines: list[Line], bbox: tuple[float, float, float, float], anchors: list[float]
) -> tuple[list[Paragraph], bool]:
    """(paragraphs, read in columns) of a table cell's lines."""
    if not lines:
        return [], False
    x0, _, x1, _ = bbox
    size = max(line.size for line in lines)
    if short_lines(lines) and x1 - x0 < 3.5 * size:
        text = ""
        for line in lines:
            text = _join(text, line.text)
        return [Paragraph(lines[0].top, text)], False
    blocks = split_columns(lines)
    pad = max(0.0, min(line.x0 for line in lines) - x0)
    out: list[Paragraph] = []
    for block in blocks:
        right = x1 - pad if len(blocks) == 1 else max(line.x1 for line in block)
        out.extend(paragraphs(block, right, anchors))
    return out, len(blocks) > 1
