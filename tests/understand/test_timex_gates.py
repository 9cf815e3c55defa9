"""The scanners' gates lose nothing: ``find_mentions`` skips a scanner for a text that fails
one of its gates (a gate is a set of characters every match of that scanner holds one of: a
digit, 月, the first or the last character of a holiday word, the slash of 2/14 …), and
``_scan_holidays`` returns at once for a text without any of its words; with the gates taken
away it must find exactly the same mentions.

Texts: every expression of the time case tables, in every context of those tables, and (where
../shared sits beside the repository) every line of the dev corpora in the contexts of a term,
a year and a week.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from eduplan.understand import timex
from eduplan.understand.timex import TimeContext, find_mentions

D = date.fromisoformat
HERE = Path(__file__).resolve().parent


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# The case tables of the time expressions' tests (imported, their tests are not collected here).
test_timex = _load("gates_timex_cases", HERE / "test_timex.py")
test_timex_forms = _load("gates_timex_forms_cases", HERE / "test_timex_forms.py")

CONTEXTS: list[TimeContext] = [
    *test_timex.CTX.values(),
    *test_timex_forms.CTX.values(),
    *test_timex_forms.WEEKS.values(),
    test_timex_forms.AUGUST,
    # a calendar row of one month whose week is known, so that 周二 and bare days are read too
    TimeContext(D("2021-03-01"), D("2021-03-31"), week_start=D("2021-03-01"), week1_start=D("2021-02-22")),
]
WEEK = TimeContext(D("2021-03-01"), D("2021-03-07"), week_start=D("2021-03-01"), week1_start=D("2021-02-22"))

CASE_TEXTS: list[str] = sorted(
    {row[0] for row in test_timex.CASES}
    | {row[0] for row in test_timex.NOTHING}
    | {row[0] for table in (test_timex_forms.FORMS, test_timex_forms.MORE) for row in table}
    | {row[0] for row in test_timex_forms.NOT_DATES}
    | {row[0] for row in test_timex_forms.RELATIVE}
)


def _passes(gate: frozenset[str], text: str) -> bool:
    if timex._DIGIT in gate and re.search(r"\d", text) is not None:
        return True
    return not set(text).isdisjoint(gate - {timex._DIGIT})


def _opens(scanner, text: str) -> bool:
    """Whether the text passes every gate of the scanner, as _NEEDS says (without _scanners_for)."""
    return all(_passes(gate, text) for gate in timex._NEEDS[scanner])


def _ungated(monkeypatch: pytest.MonkeyPatch, texts: list[str], contexts: list[TimeContext]) -> int:
    """Compare gated and ungated answers; return how many texts some gate shut for some scanner."""
    shut = 0
    for t in texts:
        expected = [s for s in timex._SCANNERS if _opens(s, t)]
        assert list(timex._scanners_for(t)) == expected, t  # the gates open as _NEEDS says, in order
        shut += len(expected) < len(timex._SCANNERS)
        # _scan_year_words runs _YEAR_WORDS only on a text holding 半年 or 季度
        assert all("半年" in m.group() or "季度" in m.group() for m in timex._YEAR_WORDS.finditer(t)), t
    gated = {(t, i): find_mentions(t, c) for t in texts for i, c in enumerate(contexts)}
    with monkeypatch.context() as m:
        m.setattr(timex, "_scanners_for", lambda text: list(timex._SCANNERS))  # every scanner, always
        m.setattr(timex, "_ANY_HOLIDAY_WORD", re.compile(""))  # the holiday words' check passes, always
        for t in texts:
            for i, c in enumerate(contexts):
                assert find_mentions(t, c) == gated[(t, i)], (t, c)
    return shut


def test_every_scanner_has_a_gate() -> None:
    assert set(timex._SCANNERS) == set(timex._NEEDS)
    assert all(timex._NEEDS[s] for s in timex._SCANNERS)
    # a digit a gate names stands for itself, and is a digit to the gates that need any digit
    digits = [ch for ch in timex._NEEDED_CHARS if re.fullmatch(r"\d", ch)]
    assert digits == ["1"]
    assert timex._OPEN_MASK["1"] & timex._DIGIT_MASK == timex._DIGIT_MASK
    assert timex._scan_roc_compact in timex._scanners_for("1070528")
    assert timex._scan_roc_compact not in timex._scanners_for("2070528")
    assert timex._scanners_for("1") == (timex._scan_roc_compact,) and timex._scanners_for("9") == ()
    assert timex._scan_slashed in timex._scanners_for("1/")  # 1 passes the any-digit gate too
    # the fast path: a text with none of the characters any gate opens on
    assert timex._scanners_for("组织观摩研讨活动") == ()
    for text in ("３月", "5-6日", "月底", "第三周", "寒假", "Mon", "周二", "上半年", "学年", "每周"):
        assert timex._scanners_for(text), text


def test_gates_open_on_what_the_scanners_need() -> None:
    # a full-width digit is a digit to the digit scanners' patterns (\d), so to the gate too
    opened = timex._scanners_for("３/４月")
    assert timex._scan_ymd in opened and timex._scan_slashed in opened and timex._scan_points in opened
    assert timex._scan_holidays not in opened and timex._scan_english not in opened
    # a digit alone does not open the scanners whose patterns also need a slash, dot or dash
    opened = timex._scanners_for("３月")
    assert timex._scan_points in opened
    assert not {timex._scan_ymd, timex._scan_slashed, timex._scan_dotted, timex._scan_mm_dd} & set(opened)
    assert timex._scanners_for("2/14") == (timex._scan_ymd, timex._scan_slashed, timex._scan_roc_compact)
    # a word's first character without its last does not open its scanner (国 of 国庆节)
    assert timex._scanners_for("中国") == ()
    assert timex._scanners_for("国庆节") == (timex._scan_holidays,)
    assert timex._scanners_for("学校") == ()
    assert timex._scanners_for("寒假") == (timex._scan_holidays,)
    assert timex._scanners_for("Oct") == (timex._scan_english,)
    assert timex._scanners_for("Mon") == (
        timex._scan_week_relative,
        timex._scan_english,
    )
    assert timex._scanners_for("下周二") == (timex._scan_week_relative,)


def test_case_tables_read_the_same_without_gates(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(CASE_TEXTS) > 200
    shut = _ungated(monkeypatch, CASE_TEXTS, CONTEXTS)
    assert shut > 50  # the comparison covers texts the gates do shut


def test_corpus_lines_read_the_same_without_gates(
    monkeypatch: pytest.MonkeyPatch, corpus_lines: list[str]
) -> None:
    from eduplan.text import fold

    texts = {line[:300] for line in corpus_lines} | {fold(line[:300]) for line in corpus_lines}
    contexts = [
        TimeContext(D("2021-02-21"), D("2021-07-17")),
        TimeContext(default_year=2023),
        WEEK,
    ]
    shut = _ungated(monkeypatch, sorted(texts), contexts)
    assert shut > 500
