"""The targets stage's speed short cuts decide nothing: each is checked against the long way round.

* ``_numbers`` finds numbers with patterns that open with a plain character class (so ``re``
  scans for it in C): it answers as the patterns with a lookahead in front did.
* ``_INLINE_HEADING`` opens with its first character's class in the same way: it finds the
  headings the lookahead pattern found.
* a bare Chinese numeral skips ``_UNIT`` unless the next character is in ``_COUNT_UNIT_AT``, and
  ``_unit_after`` skips it unless the next character is in ``_UNIT_AT`` (or, past blanks, in
  ``_UNIT_WORD_AT``): no match that could count begins elsewhere, and the unit's offsets are
  the pattern's.
* ``find_targets`` drops a number without calling ``consider`` where consider's first gate
  would (no unit, no target before it on the line, no ``_BIND_LAST`` character right before it)
  and makes a line's finder only for the first number that passes.
* with every character gate open (``_UNIT_AT``, ``_COUNT_UNIT_AT``, ``_BIND_LAST``,
  ``_TAIL_JOIN_AT``), ``find_targets`` gives the same targets on every line of the dev corpora
  (where ../shared sits beside the repository) and of the targets' case table.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.text import fold_lines
from eduplan.understand import targets
from eduplan.understand import targetwords as tw

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- the long way round

_CN = targets._CN_CHARS
_ARABIC_LOOKAHEAD = re.compile(
    r"(?=\d)(?<![A-Za-z0-9.])(\d{1,3}(?:[, ]\d{3})+(?!\d)|\d{1,12})(?:\.(\d{1,6}))?"
)
_CN_LOOKAHEAD = re.compile(rf"(?=[百{_CN}])(百分之)?([{_CN}]{{1,8}})")

_INLINE_LOOKAHEAD = re.compile(
    r"(?=[(一二三四五六七八九十])(?<![一二三四五六七八九十、第])(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))"
)


def _headings(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _numbers_long(folded: str) -> list[tuple[int, int, float | int, bool, bool]]:
    """``_numbers`` as it was: lookahead patterns, ``_UNIT`` tried after every bare numeral."""
    found: list[tuple[int, int, float | int, bool, bool]] = []
    for m in _ARABIC_LOOKAHEAD.finditer(folded):
        try:
            value = targets._number_value(m.group(1), m.group(2))
        except ValueError:
            continue
        found.append((m.start(), m.end(), value, False, False))
    for m in _CN_LOOKAHEAD.finditer(folded):
        if m.start() and (folded[m.start() - 1].isdigit() or folded[m.start() - 1] == "."):
            continue
        if m.group(1) is None:
            um = targets._UNIT.match(folded, m.end())
            if not um or um.group("base") not in targets._COUNT_UNITS:
                continue
        cn = targets._cn_value(m.group(2))
        if cn is None:
            continue
        value = int(cn) if cn.is_integer() else cn
        found.append((m.start(), m.end(), value, m.group(1) is None, m.group(1) is not None))
    found.sort()
    return found


class _Open:
    """A gate that lets every character through."""

    def __contains__(self, item: object) -> bool:
        return True


_GATES = ("_UNIT_AT", "_UNIT_WORD_AT", "_COUNT_UNIT_AT", "_BIND_LAST", "_TAIL_JOIN_AT")


def _unit_after_long(f: str, ne: int, percent_word: bool) -> tuple[str | None, int, int, str | None] | None:
    """``_unit_after`` as consider read it: ``_UNIT`` tried after every number."""
    if percent_word:
        return None, ne, ne, "%"
    um = targets._UNIT.match(f, ne)
    infix = um.group("infix") if um else None
    unit_s, unit_e = (um.start("unit"), um.end("unit")) if um else (ne, ne)
    unit = f[unit_s:unit_e] or None
    base = um.group("base") if um else None
    if base in targets._NON_TARGET_UNITS or (infix and not unit):
        return None
    return infix, unit_s, unit_e, unit


def _ungated(monkeypatch: pytest.MonkeyPatch, lines: list[str], folded: list[str]) -> list:
    with monkeypatch.context() as m:
        for gate in _GATES:
            m.setattr(targets, gate, _Open())
        return targets.find_targets(lines, folded)


# ---------------------------------------------------------------- pieces for generated text

_PIECES = [
    *"0123456789",
    *_CN,
    *tw.APPROX_INFIX,
    *tw.UNIT_MULTIPLIERS,
    *tw.COUNT_UNITS,
    *list(tw.TARGET_UNITS)[:20],
    *list(tw.NON_TARGET_UNITS)[:20],
    *[
        "百分之",
        "百分",
        "分之",
        ",",
        " ",
        "\t",
        " \t ",
        "\t余",
        ".",
        "a",
        "Z",
        "、",
        "率",
        "达到",
        "年",
        "元/生",
        "(",
        "-",
    ],
]
_TEXT = st.lists(st.sampled_from(_PIECES), min_size=0, max_size=8).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
def test_numbers_answer_as_the_lookahead_patterns(text: str) -> None:
    assert targets._numbers(text) == _numbers_long(text)


_HEADING_TEXT = st.lists(
    st.sampled_from([*"一二三十四(()、第:.。a1 \n", "一、", "(一)", "十二、", "第一、", "二十三四、"]),
    min_size=0,
    max_size=8,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_HEADING_TEXT)
def test_inline_headings_answer_as_the_lookahead_pattern(text: str) -> None:
    assert _headings(targets._INLINE_HEADING, text) == _headings(_INLINE_LOOKAHEAD, text)


@pytest.mark.parametrize(
    "text", ["一、", "(一)", "x一、", "二一、", "、一、", "第一、", "(一二三四)", "一二三四、", "((二)"]
)
def test_inline_heading_cases(text: str) -> None:
    assert _headings(targets._INLINE_HEADING, text) == _headings(_INLINE_LOOKAHEAD, text)


@pytest.mark.parametrize(
    "text",
    [
        "百分之九十五",
        "百分之",
        "百分之a",
        "一百五十名",
        "三所学校",
        "三 所",
        "三余名",
        "两万人次",
        "1,200人",
        "a12 3.5",
        "1.2.3",
        "x1,234,567.89万元",
        "一二三",
        "十四五",
        "3百分之五",
    ],
)
def test_numbers_cases(text: str) -> None:
    assert targets._numbers(text) == _numbers_long(text)


def test_percent_word_starts_with_a_numeral_character() -> None:
    # _CN_NUMBER's first character is a numeral character: 百分之 must begin with one, and its
    # other characters must be none, or a run of numerals could be read as a percentage.
    assert targets._PERCENT_WORD[0] in _CN
    assert not set(targets._PERCENT_WORD[1:]) & set(_CN)


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
def test_unit_matches_only_from_its_gates(text: str) -> None:
    m = targets._UNIT.match(text)
    assert m is not None  # every part is optional: _UNIT always matches
    if m.end() > 0:
        assert text[:1] in targets._UNIT_AT, text
    if m.group("base") in targets._COUNT_UNITS:
        assert text[:1] in targets._COUNT_UNIT_AT, text
    if m.group("infix") or m.group("unit"):
        assert text.lstrip(" \t")[:1] in targets._UNIT_WORD_AT, text


@settings(max_examples=3000, deadline=None)
@given(_TEXT, st.booleans())
def test_unit_after_answers_as_the_unit_pattern(text: str, percent_word: bool) -> None:
    for ne in range(len(text) + 1):
        assert targets._unit_after(text, ne, percent_word) == _unit_after_long(text, ne, percent_word), (
            text,
            ne,
        )


# ---------------------------------------------------------------- whole documents, gates open


def _case_documents() -> list[list[str]]:
    """Every sentence and every table of the targets' case tables, as lists of lines."""
    spec = importlib.util.spec_from_file_location("gates_targets_cases", HERE / "test_targets.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gates_targets_cases"] = module
    spec.loader.exec_module(module)
    documents: list[list[str]] = []
    for value in vars(module).values():
        if not isinstance(value, list):
            continue
        for row in value:
            item = row[0] if isinstance(row, tuple) and row else row
            if isinstance(item, str):
                documents.append(item.split("\n"))
            elif isinstance(item, list) and all(isinstance(x, str) for x in item):
                documents.append(item)
    return documents


def test_case_tables_read_the_same_with_the_gates_open(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = _case_documents()
    assert len(documents) > 50
    some = 0
    for lines in documents:
        folded = fold_lines(lines)
        gated = targets.find_targets(lines, folded)
        assert gated == _ungated(monkeypatch, lines, folded), lines
        some += bool(gated)
    assert some > 30  # the case tables hold targets the gates had to let through


def test_corpus_reads_the_same_with_the_gates_open(
    monkeypatch: pytest.MonkeyPatch, shared_folder: Path
) -> None:
    from eduplan.bench.parse import corpus_documents
    from eduplan.read import read_file

    documents = 0
    found = 0
    for corpus in ("dev", "dev2"):
        for path in corpus_documents(shared_folder / "corpus" / corpus):
            lines = read_file(path).lines
            folded = fold_lines(lines)
            for f in folded:
                assert targets._numbers(f) == _numbers_long(f), f
                for _, ne, _, _, percent_word in targets._numbers(f):
                    assert targets._unit_after(f, ne, percent_word) == _unit_after_long(
                        f, ne, percent_word
                    ), f
                assert _headings(targets._INLINE_HEADING, f) == _headings(_INLINE_LOOKAHEAD, f), f
            gated = targets.find_targets(lines, folded)
            assert gated == _ungated(monkeypatch, lines, folded), path.name
            documents += 1
            found += len(gated)
    assert documents >= 30 and found > 40  # the comparison saw real documents with real targets
