"""Responsible units: recognised by structure and suffix, split where glued together.

All functions take folded text (simplified script, half-width) and return names in
simplified script, as the plan contract asks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from eduplan.understand.unitwords import (
    CO_RESPONSIBLE_HEADERS,
    KNOWN_UNITS,
    NOT_IN_UNIT,
    NOT_UNIT_START,
    NOT_UNITS,
    RESPONSIBLE_HEADERS,
    SPLIT_SUFFIXES,
    UNIT_BOUNDARY_WORDS,
    UNIT_SUFFIXES,
)

_SEP = re.compile(r"[、,;/\s\u3000·]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_STOP_CHARS = set('的了和与及在对把将为是有由于或等以并按到从向给被使让要、,。;:!?“”"《》0123456789')
_NOT_UNITS = set(NOT_UNITS)
_KNOWN = set(KNOWN_UNITS)
_MAX_UNIT = 14
_RESP = "|".join(sorted(RESPONSIBLE_HEADERS + CO_RESPONSIBLE_HEADERS, key=len, reverse=True))
_MARKER = re.compile(rf"(?P<head>{_RESP})\s*[::]\s*(?P<names>[^)\]);。:\n]+)")
_CO = set(CO_RESPONSIBLE_HEADERS)


def _ends_with_suffix(name: str) -> bool:
    return any(name.endswith(s) for s in UNIT_SUFFIXES)


@lru_cache(maxsize=16384)
def is_unit_name(name: str) -> bool:
    """Whether ``name`` (folded, no separators) looks like the name of a unit."""
    if not name or name in _NOT_UNITS or len(name) > _MAX_UNIT:
        return False
    if name in _KNOWN:
        return True
    base = name
    m = re.fullmatch(r"(.+?)\((.+)\)", name)
    if m:  # 基教股(团工委): judge the part before the parenthesis
        base = m.group(1)
    if len(base) < 2 or not _CJK.match(base):
        return False
    if any(ch in _STOP_CHARS for ch in base[1:]) or base[0] in NOT_UNIT_START:
        return False
    if any(w in base for w in NOT_IN_UNIT):
        return False
    return _ends_with_suffix(base)


_SPLIT_AFTER = re.compile("|".join(sorted(SPLIT_SUFFIXES, key=len, reverse=True)))


@lru_cache(maxsize=16384)
def _split_glued_cached(name: str) -> tuple[str, ...]:
    if name in _KNOWN or "(" in name or len(name) > 3 * _MAX_UNIT:
        return (name,)
    for m in _SPLIT_AFTER.finditer(name):
        i = m.end()
        left, right = name[:i], name[i:]
        if len(left) >= 2 and len(right) >= 2 and is_unit_name(left) and is_unit_name(right):
            return (left, *_split_glued_cached(right))
    return (name,)


def _split_glued(name: str) -> list[str]:
    """基教股职成民管股 → [基教股, 职成民管股]; leaves names that do not split cleanly alone."""
    return list(_split_glued_cached(name))


_SPACED_CHARS = re.compile(r"^[\u4e00-\u9fff](?:[ \u3000]+[\u4e00-\u9fff])+$")


def split_units(text: str) -> list[str]:
    """Unit names in a responsibility cell: split at 、 spaces line breaks, and where glued."""
    return list(_split_units_cached(text))


@lru_cache(maxsize=16384)
def _split_units_cached(text: str) -> tuple[str, ...]:
    out: list[str] = []
    text = text.strip()
    if _SPACED_CHARS.match(text):  # "党 办": one name spaced out to fill a table cell
        text = re.sub(r"[ \u3000]+", "", text)
    for part in _SEP.split(text):
        part = part.strip("[]:.。")
        if part.count("(") != part.count(")"):
            part = part.strip("()")
        if not part:
            continue
        for name in _split_glued(part):
            if name not in out:
                out.append(name)
    return tuple(out)


_SENTENCE = re.compile(r"[。;!?:,]")


def unit_only(text: str, vocabulary: set[str] | frozenset[str] = frozenset()) -> list[str] | None:
    """The units if ``text`` holds nothing but unit names, else None."""
    if len(text) > 60 or _SENTENCE.search(text):
        return None
    names = split_units(text)
    if not names:
        return None
    for n in names:
        if n not in vocabulary and not is_unit_name(n):
            return None
    return names


def _unit_at_end(text: str, vocabulary: set[str]) -> int | None:
    """Start offset of a unit name that ends ``text``, or None."""
    # A name with a parenthesis: 基教股(团工委)
    if text.endswith(")"):
        open_at = text.rfind("(")
        if open_at > 0 and len(text) - open_at <= 8:
            inner = text[open_at + 1 : -1]
            if is_unit_name(inner) or inner in vocabulary:
                start = _unit_at_end(text[:open_at], vocabulary)
                if start is not None:
                    return start
        return None
    for size in range(min(len(text), _MAX_UNIT), 1, -1):  # the longest known name that ends the text
        if text[-size:] in vocabulary:
            return len(text) - size
    for suffix in UNIT_SUFFIXES:
        if not text.endswith(suffix):
            continue
        start = len(text) - len(suffix)
        limit = max(0, len(text) - 7)
        while start > limit and _CJK.match(text[start - 1]) and text[start - 1] not in _STOP_CHARS:
            start -= 1
        candidate = text[start:]
        for word in UNIT_BOUNDARY_WORDS:
            at = candidate.rfind(word)
            # cut after the word, unless that leaves the bare suffix (青少年活动中心 stays whole)
            if at >= 0 and len(candidate) - (at + len(word)) >= len(suffix) + 2:
                start += at + len(word)
                candidate = text[start:]
        if len(candidate) >= 2 and is_unit_name(candidate):
            return start
        return None
    return None


def trailing_units(text: str, vocabulary: set[str]) -> tuple[int, list[str]]:
    """Units that end an entry (a calendar's 主持者 column flattened into the row).

    Returns the offset where the units begin (``len(text)`` when none) and the names,
    lead first.
    """
    end = len(text)
    names: list[str] = []
    while end > 0:
        stripped = text[:end].rstrip(" \u3000\t、,")
        if not stripped:
            end = 0
            break
        start = _unit_at_end(stripped, vocabulary)
        if start is None or (start == 0 and not names and len(stripped) == len(text.strip())):
            break  # no unit, or the whole text is one: then it is the task, not its host
        names[:0] = _split_glued(stripped[start:])
        end = start
    if not names:
        return len(text), []
    return end, names


def marked_units(text: str) -> list[str]:
    """Units named after a responsibility marker: (责任科室:基教股、教研室;配合单位:…)."""
    lead: list[str] = []
    co: list[str] = []
    for m in _MARKER.finditer(text):
        names = [n for n in split_units(m.group("names")) if is_unit_name(n) or len(n) <= 8]
        (co if m.group("head") in _CO else lead).extend(n for n in names if n not in lead and n not in co)
    return lead + co
