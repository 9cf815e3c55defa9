"""An item's time mentions (``eduplan.understand._mentions``) and its span (``_span``) answer as
the long way round: the quoted-name filter and the make-up-day check run only where they can
drop something, and the first clause's mentions are the text's own where the clause is the
whole text.  Compared on the time case tables and (where ../shared sits beside the
repository) on the items of the dev corpora.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import eduplan.understand as understand_module
from eduplan.understand import _mentions
from eduplan.understand.timewords import MAKE_UP_WORDS
from eduplan.understand.timex import TimeContext, find_mentions

D = date.fromisoformat

CONTEXTS = [
    TimeContext(D("2021-02-21"), D("2021-07-17")),
    TimeContext(default_year=2023),
    TimeContext(D("2021-03-01"), D("2021-03-07"), week_start=D("2021-03-01"), week1_start=D("2021-02-22")),
]
TEXTS = [
    "4/7补4/5",
    "4月7日(星期日)补4月5日(星期五)的课",
    "3月1日至3月5日，“三月三”歌节",
    "《2018—2020年行动计划》3月底前完成",
    '"寒假"作业 2月20日前上交',
    "5月1日、5月2日调休，5月6日补5月4日",
    "组织观摩研讨活动",
    "春节",
    "“国庆节”",
]


def _mentions_the_long_way(text: str, ctx: TimeContext) -> list:
    """The filter as first written: quoted names found in every text, every mention checked."""
    import re

    quoted_re = re.compile(r"“[^”]{0,30}”|《[^》]{0,60}》|\"[^\"]{0,30}\"")
    quoted = [(m.start(), m.end()) for m in quoted_re.finditer(text)]
    found = [m for m in find_mentions(text, ctx) if not any(a <= m.begin < b for a, b in quoted)]
    kept = []
    for m in found:
        before = text[max(0, m.begin - 3) : m.begin].rstrip()
        if (
            kept
            and kept[-1].kind in ("day", "range")
            and m.kind in ("day", "range")
            and before.endswith(MAKE_UP_WORDS)
        ):
            continue
        kept.append(m)
    return kept


def test_mentions_cases_as_the_long_way() -> None:
    assert len(_mentions(TEXTS[0], CONTEXTS[0])) == 1  # the make-up day's own date is dropped
    assert [m.begin for m in _mentions(TEXTS[2], CONTEXTS[0])] == [0]  # “三月三” is a name
    for text in TEXTS:
        for ctx in CONTEXTS:
            assert _mentions(text, ctx) == _mentions_the_long_way(text, ctx), (text, ctx)


def test_mentions_of_corpus_lines_as_the_long_way(corpus_lines: list[str]) -> None:
    texts = sorted({line.strip()[:300] for line in corpus_lines})
    dropped = 0
    for text in texts:
        for ctx in CONTEXTS:
            expected = _mentions_the_long_way(text, ctx)
            assert _mentions(text, ctx) == expected, (text, ctx)
            dropped += len(expected) < len(find_mentions(text, ctx))
    assert len(texts) > 1000 and dropped > 0  # the comparison covers texts the filter drops from


def test_span_of_a_one_clause_item_as_with_its_clause_read_again(
    monkeypatch: pytest.MonkeyPatch, shared_folder: Path
) -> None:
    """_span reuses the text's mentions for a first clause that is the whole text: they are what
    reading the clause again gives, and every item of the corpora (their PDFs aside, slow to
    read) gets the same span and confidence when the clause is always read again."""
    from eduplan.bench.parse import corpus_documents
    from eduplan.read import read_file
    from eduplan.understand import understand

    paths = [p for c in ("dev", "dev2") for p in corpus_documents(shared_folder / "corpus" / c)]
    docs = [read_file(p) for p in paths if p.suffix.lower() != ".pdf"]
    fast = [understand(d).to_json() for d in docs]
    span = understand_module._span
    again = 0

    def span_reading_the_clause_again(entry, mentions, first_clause, ctx, period, text=""):
        nonlocal again
        if first_clause == text:
            assert mentions == _mentions(first_clause, ctx), text  # what the shortcut stands for
            # the text with a NUL after it: the same offsets and text before each mention, but
            # never equal to the clause, so _span reads the clause's mentions itself
            again += 1
            text += "\0"
        return span(entry, mentions, first_clause, ctx, period, text)

    monkeypatch.setattr(understand_module, "_span", span_reading_the_clause_again)
    assert [understand(d).to_json() for d in docs] == fast
    assert again > 20  # the comparison covers items whose clause is their whole text
