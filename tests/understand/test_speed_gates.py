"""Short cuts taken for speed decide nothing: each is checked against the long way round.

* ``markers.numbering`` tries no style on a line that begins with none of ``MARKER_FIRST``
  (or a digit): no style's pattern matches such a line.
* ``tablewords.only_header_words`` finds the header word at each position with one alternation:
  it answers as the word-by-word scan of ``_HEADER_WORDS`` did.
* ``targets``: a number whose preceding text ends in no character of ``_BIND_LAST`` skips
  ``_MAY_BIND`` and ``_BARE_RATE``; ``_TAIL_JOIN`` is tried only from ``_TAIL_JOIN_AT``.
* white space dropped with ``str.split`` is what ``\\s`` matches.
* an item's short-text doubt: one pattern each where characters were counted.
* a title's trailing page number: its filler is walked back by hand, where the one pattern's
  prefix was retried from every character of a run of dashes.
* ``period.compact`` finds what it drops (blanks, pinyin glosses) with one search and copies the
  text between whole: it answers as the character-by-character walk did.

(The time scanners' gates have their own file, ``test_timex_gates.py``.)
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.understand import markers, tablewords, targets

_MARKER_PIECES = [
    *"(（)）[]【】、.,:：其第是一十两零①⑳",
    *["1", "12", "０", "３", " ", "\t", "部分", "条", "月", "工作", "注:", "说明:", "a"],
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_MARKER_PIECES), min_size=1, max_size=6).map("".join))
def test_no_marker_style_matches_outside_marker_first(text: str) -> None:
    s = text.lstrip()
    if any(rx.match(s) for _, _, rx in markers._COMPILED):
        assert s[:1] in markers.MARKER_FIRST or s[:1].isdigit(), s


@pytest.mark.parametrize(
    ("line", "style", "number"),
    [
        ("一、总体要求", "cn_dun", 1),
        ("(三)加强管理", "cn_paren", 3),
        ("【二】工作安排", "cn_paren", 2),
        ("其一是抓好", "cn_shi", 1),
        ("第二部分 工作任务", "cn_di", 2),
        ("②做好", "circled", 2),
        ("12.开展", "ar_dot", 12),
        ("3、开展", "ar_dot", 3),
        ("注:1.每周一次", "ar_dot", 1),
    ],
)
def test_markers_still_read(line: str, style: str, number: int) -> None:
    m = markers.numbering(line)
    assert m is not None and (m.style, m.number) == (style, number)


@pytest.mark.parametrize("line", ["开展活动", "△重点工作", "“三个一”活动", "Ⅱ.目标", ""])
def test_lines_without_a_marker(line: str) -> None:
    assert markers.numbering(line) is None


def _only_header_words_by_scan(text: str) -> bool:
    """The word-by-word scan the alternation replaced."""
    h = tablewords._SPACES.sub("", text).lower()
    count, at = 0, 0
    while at < len(h):
        word = next((w for w in tablewords._HEADER_WORDS if h.startswith(w, at)), None)
        if word is None:
            return False
        count, at = count + 1, at + len(word)
    return count >= 3


_HEADER_PIECES = [*tablewords._HEADER_WORDS[:40], *tablewords._HEADER_WORDS[-20:], "日", "期", " ", "x", "周"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_HEADER_PIECES), min_size=0, max_size=8))
def test_only_header_words_answers_as_the_scan(pieces: list[str]) -> None:
    text = "".join(pieces)
    tablewords.only_header_words.cache_clear()
    assert tablewords.only_header_words(text) == _only_header_words_by_scan(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("月份 周次 日期 行事内容", True),
        ("日期 工作内容", False),  # two words: not three
        ("日期 内容 备注 开展活动", False),  # ends in words that are no header
    ],
)
def test_only_header_words_cases(text: str, expected: bool) -> None:
    assert tablewords.only_header_words(text) is expected


# Targets: a number whose text before it ends with no character of _BIND_LAST is dropped without
# running _MAY_BIND and _BARE_RATE; one not followed by a character of _TAIL_JOIN_AT skips
# _TAIL_JOIN. Neither pattern may match where its gate is shut.
_BEFORE_PIECES = [
    *list(targets.tw.OP_BEFORE)[:30],
    *targets.tw.OP_SIGNS,
    *targets.tw.LINK_BEFORE,
    *[w for pair in targets.tw.PAIRED_BOUNDS for w in pair],
    *targets._RATE_NAMES,
    *list(targets.tw.MEASURE_ENDINGS)[:10],
    *["3", "12", " ", "\t", "月", "第", "、", "(", "人", "x", "率为", "达到", "不低于"],
]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_BEFORE_PIECES), min_size=0, max_size=5).map("".join))
def test_bind_patterns_match_only_behind_bind_last(text: str) -> None:
    close = text.rstrip(" \t")
    if targets._MAY_BIND.search(close) or targets._BARE_RATE.search(close):
        assert close[-1:] in targets._BIND_LAST, close


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=" \t-—–~～至到:/3一两aZ月日%.,", min_size=0, max_size=5))
def test_tail_join_matches_only_from_its_first_characters(text: str) -> None:
    if targets._TAIL_JOIN.match(text):
        assert text[:1] in targets._TAIL_JOIN_AT, text


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("巩固率达到95%", 1),  # a bound word before the number
        ("入学率为93%以上", 1),
        ("满意率在80以上", 1),  # a bare rate with 以上
        ("第3次会议", 0),  # no unit, nothing before it binds
        ("2019-03-25召开", 0),  # a date: the join after the number
    ],
)
def test_targets_still_found(line: str, count: int) -> None:
    found = targets.find_targets([line], [line])
    assert len(found) == count, found


def test_split_drops_what_backslash_s_matches() -> None:
    # lines and tablewords drop white space with "".join(s.split()) instead of re.sub(r"\s+", ...)
    spaces = re.compile(r"[\s\u3000]+")
    text = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    assert "".join(text.split()) == spaces.sub("", text)
    assert "".join(" 月 份\u3000周\t次\n".split()) == "月份周次"


# An item's short-text doubt: one match each where the characters were counted before.
@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="开展月日第一二年周ab_ ,.、。1２%\n", min_size=0, max_size=10))
def test_short_text_patterns_count_as_before(text: str) -> None:
    import eduplan.understand as u

    assert bool(u._FOUR_NOT_PUNCT.match(text)) == (len(u._PUNCT.sub("", text)) >= 4)
    assert bool(u._THREE_WORD_CHARS.match(text)) == (len(u._WORD_CHARS.findall(text)) >= 3)


# A title's trailing page number (…计划_第2页): the filler before it is walked back by hand.
_PAGE_SUFFIX_BEFORE = re.compile(r"[_\-\s]*(?:第\s*\d{1,4}\s*页|\(\s*第?\s*\d{1,4}\s*页\s*\))\s*$")


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="第页()_- \t\u30001２9计划x", min_size=0, max_size=14))
def test_page_suffix_starts_where_the_one_pattern_did(text: str) -> None:
    from eduplan.understand import facts

    m = _PAGE_SUFFIX_BEFORE.search(text)
    assert facts._page_suffix_start(text) == (m.start() if m else None)


def test_page_suffix_after_a_long_run_of_dashes() -> None:
    from eduplan.understand import facts

    assert facts._page_suffix_start("工作计划" + "-" * 60000 + "放") is None
    assert facts._page_suffix_start("工作计划" + "-" * 600 + "第2页") == 4
    assert facts._clean("工作计划_第2页", "工作计划_第2页")[1] == "工作计划"


# An item's unread-date doubt: with many mentions a piece is looked up among them by bisection.
@settings(max_examples=1500, deadline=None)
@given(
    st.text(alphabet="12月日号第周 一三x.", min_size=0, max_size=30),
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6)), min_size=0, max_size=20),
)
def test_unread_dates_answers_as_the_check_against_every_mention(text: str, pieces: list) -> None:
    from eduplan.understand import confidence

    covered = [(a, a + n) for a, n in pieces]
    expected = any(
        not any(a <= m.start() < b for a, b in covered) for m in confidence._DATE_LIKE.finditer(text)
    )
    assert confidence.unread_dates(text, covered) == expected


def test_unread_dates_among_thousands_of_mentions() -> None:
    from eduplan.understand import confidence

    text = "3月5日、" * 3000
    covered = [(k * 5, k * 5 + 4) for k in range(3000)]
    assert confidence.unread_dates(text, covered) is False
    assert confidence.unread_dates(text, covered[:-1]) is True  # the last date left unread


def _compact_by_walk(text: str) -> tuple[str, list[int]]:
    """``period.compact`` as it was: one character at a time."""
    from eduplan.understand.period import PINYIN_GLOSS

    out: list[str] = []
    where: list[int] = []
    glosses = {m.start(): m.end() for m in PINYIN_GLOSS.finditer(text)}
    n, i = len(text), 0
    while i < n:
        if i in glosses:
            i = glosses[i]
            continue
        if text[i].isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if (
                out
                and j < n
                and out[-1].isascii()
                and out[-1].isalnum()
                and text[j].isascii()
                and text[j].isalnum()
            ):
                out.append(" ")
                where.append(i)
            i = j
            continue
        out.append(text[i])
        where.append(i)
        i += 1
    return "".join(out), where


@pytest.mark.parametrize(
    ("text", "dense", "where"),
    [
        ("2024 2025学年", "2024 2025学年", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ("第 一 学 期", "第一学期", [0, 2, 4, 6]),
        ("學(xué)校 工作", "學校工作", [0, 6, 8, 9]),
        ("  a  b ", "a b", [2, 3, 5]),
        ("(xue)学", "(xue)学", [0, 1, 2, 3, 4, 5]),  # no character before it: not a gloss
    ],
)
def test_compact_cases(text, dense, where):
    from eduplan.understand.period import compact

    assert compact(text) == (dense, where)


_COMPACT_PIECES = [*"ab12 \t\u3000\n(學校（)\xa0\x1c", "(xué)", "(xue)", "學(xué)", " (", "9 9", "A  B"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_COMPACT_PIECES), max_size=16).map("".join))
def test_compact_drops_what_the_walk_dropped(text):
    from eduplan.understand.period import compact

    assert compact(text) == _compact_by_walk(text)
