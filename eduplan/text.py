"""Normalised copies of text for matching: simplified script (OpenCC t2s), NFKC, no spaces.

The original text is never rewritten; these functions make the copies that matching,
search and de-duplication use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def t2s(text: str) -> str:
    """Simplified-script copy of ``text`` (OpenCC t2s)."""
    return _T2S.convert(text) if text else text


class _NfkcTable(dict):
    """str.translate table folding one character to one character (NFKC), filled on demand."""

    def __missing__(self, code: int) -> int:
        folded = unicodedata.normalize("NFKC", chr(code))
        value = ord(folded) if len(folded) == 1 else code
        self[code] = value
        return value


_NFKC = _NfkcTable()


def fold(text: str) -> str:
    """A same-length copy for parsing: simplified script and NFKC per character.

    Offsets in the folded copy are offsets in the original, so a parser can find
    things in the folded copy and cut the original text at the same places.
    """
    if not text:
        return text
    converted = _T2S.convert(text)
    if len(converted) != len(text):  # a phrase conversion changed the length: go char by char
        converted = "".join(_t2s_char(ch) for ch in text)
    return converted.translate(_NFKC)


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    converted = _T2S.convert(ch)
    return converted if len(converted) == 1 else ch


def fold_lines(lines: list[str]) -> list[str]:
    """``fold`` of every line, converting the whole text in one call where lengths allow."""
    folded = fold("\n".join(lines)).split("\n")
    if len(folded) != len(lines) or any(len(a) != len(b) for a, b in zip(folded, lines, strict=True)):
        return [fold(line) for line in lines]
    return folded


def normalize(text: str | None) -> str:
    """Matching key: simplified script, NFKC, no white space."""
    if not text:
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", _T2S.convert(text)))


def normalize_strict(text: str | None) -> str:
    """Matching key without punctuation as well (the scorer's normalisation)."""
    if not text:
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", _T2S.convert(text)))
