"""Short cuts taken for speed decide nothing: each is checked against the long way round.

* ``markers.numbering`` tries no style on a line that begins with none of ``MARKER_FIRST``
  (or a digit): no style's pattern matches such a line.
* ``tablewords.only_header_words`` finds the header word at each position with one alternation:
  it answers as the word-by-word scan of ``_HEADER_WORDS`` did.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.understand import markers, tablewords

_MARKER_PIECES = [
    *"(（)）[]【】、.,:：其第是一十两零①⑳",
    *["1", "12", "０", "３", " ", "\t", "部分", "条", "月", "工作", "注:", "说明:", "a"],
]


@settings(max_examples=4000, deadline=None)
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


@settings(max_examples=2000, deadline=None)
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
