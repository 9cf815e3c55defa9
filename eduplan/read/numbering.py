"""Word's automatic list numbering, rendered as the labels Word would show.

A paragraph is numbered when its properties, or those of its paragraph style (through
``basedOn``), carry ``w:numPr``: a ``w:numId`` naming a ``w:num`` in word/numbering.xml,
which points at a ``w:abstractNum`` whose ``w:lvl`` for the paragraph's ``w:ilvl`` gives
the start value, the number format and the label template (``%1、``, ``（%2）``,
``%1.%2``). Counters are kept per ``numId`` and level, in document order: a level counts
up for each of its paragraphs and restarts when a shallower level of the same list
appears. Each ``%N`` is filled with level N-1's counter in that level's own format.

Anything malformed gives no label rather than an error.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_VAL = f"{{{W}}}val"
_NS = {"w": W}

MAX_LEVELS = 9
"""Word lists have levels 0..8."""

# Bullet characters a reader can see and that the plan parser knows as item marks; other
# bullets (symbol-font private-use characters, "o", "-") give no label.
_VISIBLE_BULLETS = frozenset("△▲▽▼●○◆◇■□☆★·•◎※➢➤►▶√✓✔")
_PLACEHOLDER = re.compile(r"%([1-9])")

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL_SIMPLIFIED = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_TRADITIONAL = "零壹貳參肆伍陸柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARENTHESIZED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


_NUMBERING_PART = "word/numbering.xml"
_EMPTY_NUMBERING = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W}"/>'


def without_broken_numbering(data: bytes) -> bytes | None:
    """``data`` with an unparseable word/numbering.xml emptied, or None if it parses.

    python-docx refuses a whole document whose numbering part is not XML; the body can
    still be read without labels.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        if _NUMBERING_PART not in zin.namelist():
            return None
        try:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            etree.fromstring(zin.read(_NUMBERING_PART), parser)
            return None
        except etree.XMLSyntaxError:
            pass
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename == _NUMBERING_PART:
                    zout.writestr(info.filename, _EMPTY_NUMBERING)
                else:
                    zout.writestr(info, zin.read(info.filename))
        return out.getvalue()


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """Chinese counting: 一 … 十 十一 … 二十一 … 一百零一; digit by digit from 10000."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return "".join(digits[int(c)] for c in str(n))
    parts: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d = (n // power) % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        parts.append(digits[d] + unit)
    text = "".join(parts)
    # 十一 rather than 一十一 when the number is below twenty.
    if 10 <= n < 20 and digits is _CN_DIGITS:
        text = text[1:]
    return text


def _letters(n: int) -> str:
    """Word's a … z, aa … zz, aaa …: the letter repeated once per round of 26."""
    if n <= 0:
        return ""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out: list[str] = []
    for value, numeral in _ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _from_table(n: int, table: str) -> str:
    return table[n - 1] if 1 <= n <= len(table) else str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a ``w:numFmt``; unknown formats fall back to decimal."""
    if fmt in ("none", "bullet"):
        return ""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
    ):
        return _chinese(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(c)] for c in str(max(n, 0)))
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL_SIMPLIFIED, "拾佰仟")
    if fmt == "ideographLegalTraditional":
        return _chinese(n, _CN_LEGAL_TRADITIONAL, "拾佰仟")
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _from_table(n, _CIRCLED)
    if fmt == "decimalEnclosedParen":
        return _from_table(n, _PARENTHESIZED)
    if fmt == "decimalEnclosedFullstop":
        return _from_table(n, _FULLSTOP)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord("０") + int(c)) for c in str(max(n, 0)))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str
    text: str | None
    suffix: str


def _attr(element: Any, path: str) -> str | None:
    """``w:val`` of the first ``path`` child of ``element``, or None."""
    if element is None:
        return None
    child = element.find(path, _NS)
    return None if child is None else child.get(_VAL)


def _level(lvl: Any) -> Level:
    try:
        start = int(_attr(lvl, "w:start") or 0)
    except ValueError:
        start = 0
    fmt = _attr(lvl, "w:numFmt") or "decimal"
    text_el = lvl.find("w:lvlText", _NS)
    text = None if text_el is None else text_el.get(_VAL)
    return Level(start, fmt, text, _attr(lvl, "w:suff") or "tab")


class Numbering:
    """Labels of numbered paragraphs, computed in document order."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        # numId -> (abstract levels by ilvl, style id by ilvl)
        self._abstract: dict[str, tuple[dict[int, Level], dict[str, int]]] = {}
        self._nums: dict[str, tuple[dict[int, Level], dict[str, int]]] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._default_style: str | None = None
        self._counters: dict[str, dict[int, int]] = {}
        # numbering style id -> the numId its properties name (for w:numStyleLink)
        self._numbering_style_targets: dict[str, str] = {}
        try:
            if styles is not None:
                self._read_styles(styles)
        except Exception:
            self._styles = {}
        try:
            if numbering is not None:
                self._read_numbering(numbering)
        except Exception:
            self._nums = {}

    @classmethod
    def of(cls, document: Any) -> Numbering:
        """The numbering of a python-docx ``Document``; empty when it has none."""
        numbering = styles = None
        try:
            numbering = document.part.numbering_part.element
        except Exception:
            numbering = None
        try:
            styles = document.styles.element
        except Exception:
            styles = None
        return cls(numbering, styles)

    # -- reading the parts -------------------------------------------------------------

    def _read_numbering(self, root: Any) -> None:
        abstract_raw: dict[str, Any] = {}
        for abstract in root.iterfind("w:abstractNum", _NS):
            abstract_raw[abstract.get(_w("abstractNumId"), "")] = abstract
        num_to_abstract: dict[str, str] = {}
        num_elements: dict[str, Any] = {}
        for num in root.iterfind("w:num", _NS):
            num_id = num.get(_w("numId"), "")
            num_to_abstract[num_id] = _attr(num, "w:abstractNumId") or ""
            num_elements[num_id] = num

        def levels_of(abstract_id: str, depth: int = 0) -> tuple[dict[int, Level], dict[str, int]]:
            abstract = abstract_raw.get(abstract_id)
            if abstract is None:
                return {}, {}
            # A list defined through a numbering style: follow its link once or twice.
            link = _attr(abstract, "w:numStyleLink")
            if link and depth < 3:
                target = self._numbering_style_targets.get(link)
                if target is not None and target in num_to_abstract:
                    return levels_of(num_to_abstract[target], depth + 1)
            levels: dict[int, Level] = {}
            styles: dict[str, int] = {}
            for lvl in abstract.iterfind("w:lvl", _NS):
                ilvl = int(lvl.get(_w("ilvl"), "0"))
                levels[ilvl] = _level(lvl)
                style = _attr(lvl, "w:pStyle")
                if style:
                    styles.setdefault(style, ilvl)
            return levels, styles

        for num_id, abstract_id in num_to_abstract.items():
            try:
                levels, styles = levels_of(abstract_id)
                levels = dict(levels)
                for override in num_elements[num_id].iterfind("w:lvlOverride", _NS):
                    ilvl = int(override.get(_w("ilvl"), "0"))
                    lvl = override.find("w:lvl", _NS)
                    if lvl is not None:
                        levels[ilvl] = _level(lvl)
                    start = _attr(override, "w:startOverride")
                    if start is not None and ilvl in levels:
                        old = levels[ilvl]
                        levels[ilvl] = Level(int(start), old.fmt, old.text, old.suffix)
                self._nums[num_id] = (levels, styles)
            except Exception:
                continue

    def _read_styles(self, root: Any) -> None:
        for style in root.iterfind("w:style", _NS):
            style_id = style.get(_w("styleId"))
            kind = style.get(_w("type"))
            if not style_id or kind not in ("paragraph", "numbering"):
                continue
            num_pr = style.find("w:pPr/w:numPr", _NS)
            num_id = _attr(num_pr, "w:numId")
            ilvl = _attr(num_pr, "w:ilvl")
            if kind == "numbering":
                if num_id:
                    self._numbering_style_targets[style_id] = num_id
                continue
            self._styles[style_id] = (_attr(style, "w:basedOn"), num_id, ilvl)
            if style.get(_w("default")) in ("1", "true", "on"):
                self._default_style = style_id

    # -- labels ------------------------------------------------------------------------

    def _style_num_pr(self, style_id: str | None) -> tuple[str | None, str | None]:
        """(numId, ilvl) a style gives its paragraphs, looking through ``basedOn``."""
        num_id = ilvl = None
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            based_on, sid, slvl = self._styles[style_id]
            num_id = num_id if num_id is not None else sid
            ilvl = ilvl if ilvl is not None else slvl
            if num_id is not None and ilvl is not None:
                break
            style_id = based_on
        return num_id, ilvl

    def label(self, p: Any) -> str:
        """The label Word shows before paragraph ``p`` (a ``w:p``), counting it; "" if none."""
        if not self._nums:
            return ""
        try:
            return self._label(p)
        except Exception:
            return ""

    def _label(self, p: Any) -> str:
        ppr = p.find("w:pPr", _NS)
        style_id = _attr(ppr, "w:pStyle") or self._default_style
        num_pr = None if ppr is None else ppr.find("w:numPr", _NS)
        num_id = _attr(num_pr, "w:numId")
        ilvl_text = _attr(num_pr, "w:ilvl")
        style_num_id, style_ilvl = self._style_num_pr(style_id)
        if num_id is None:
            num_id = style_num_id
            if ilvl_text is None:
                ilvl_text = style_ilvl
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return ""
        levels, level_styles = self._nums[num_id]
        if ilvl_text is not None:
            ilvl = int(ilvl_text)
        else:
            ilvl = level_styles.get(style_id or "", 0)
        if not 0 <= ilvl < MAX_LEVELS or ilvl not in levels:
            return ""

        counters = self._counters.setdefault(num_id, {})
        level = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        if level.fmt == "none" or not level.text:
            return ""
        if level.fmt == "bullet":
            symbol = level.text.strip()
            return symbol if symbol and all(c in _VISIBLE_BULLETS for c in symbol) else ""

        def fill(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            other = levels.get(index)
            if other is None:
                return ""
            value = counters.get(index, other.start)
            return format_number(value, other.fmt)

        text = _PLACEHOLDER.sub(fill, level.text).strip()
        if not text:
            return ""
        # Word follows the label with a tab or space; keep it only where the label would
        # otherwise run into the text ("1" + "Text"), not after 、 ） . ① and the like.
        last = text[-1]
        if level.suffix != "nothing" and last.isalnum() and not "\u2460" <= last <= "\u24ff":
            text += " "
        return text
