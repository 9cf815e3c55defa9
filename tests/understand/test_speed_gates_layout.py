"""Short cuts taken for speed in lines, layout, tables and facts decide nothing: each is checked
against the long way round.

* ``period.compact_text`` is ``compact(text)[0]`` without the offsets.
* ``period.text_period`` tokenises only a line with a four-digit year or 学年, tries the range
  pattern only on a line with 月, and stops once both its answers are found.
* ``facts._ANY_TITLE_WORD`` finds a title word where the word-by-word scan does (``_genre_end``,
  ``_score``); ``row_shape`` looks for weekday dates only in a line with 月 or /.
* ``tablewords._words_role`` looks up the pieces of a header that a word may fill instead of
  scanning every word; ``header_roles`` and ``header_lookup`` read the taught meanings once.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.understand import facts, period, tablewords
from eduplan.understand.factwords import FILE_EXTENSIONS, TITLE_WORDS

_PERIOD_PIECES = [
    *["2020", "2021", "2014", "1999", "17", "114", "107", "20", "21", "9", "11", "1", "0528"],
    *["学年度", "学年", "学", "年", "年度", "月", "日", "第一学期", "第二学期", "春季", "秋季", "上学期"],
    *["—", "-", "~", "至", "到", "/", " ", "  ", "\u3000", "(xué)", "(", ")", "a", "b", "自", "起"],
    *["工作计划", "校历", "行事历", "一", "二", "九", "十一", "〇", "xx"],
]
_line = st.lists(st.sampled_from(_PERIOD_PIECES), min_size=0, max_size=10).map("".join)


@settings(max_examples=1500, deadline=None)
@given(_line)
def test_compact_text_is_compact_without_offsets(text: str) -> None:
    assert period.compact_text(text) == period.compact(text)[0]


def _text_period_long_way(texts: list[str]) -> period.Span | None:
    """text_period as it read before its gates: every line compacted and tokenised."""
    school = explicit = None
    for raw in texts:
        text = period.compact(raw)[0]
        if school is None:
            tokens = period._tokens(text)
            for i, tok in enumerate(tokens):
                if tok.kind not in ("years", "school_year", "roc_school_year"):
                    continue
                anchor = period._anchor(tok, None)
                if anchor is None or not anchor.school:
                    continue
                nxt = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].kind == "term" else None
                if nxt is not None and nxt.begin - tok.end > 2:
                    nxt = None
                school = period._qualified(anchor, nxt)
                if school is not None:
                    break
        if explicit is None:
            m = period._RANGE_TEXT.search(text)
            if m:
                explicit = period._explicit(m)
    if explicit is not None and (school is None or school[0] <= explicit[0] <= explicit[1] <= school[1]):
        return explicit
    return school


@settings(max_examples=1500, deadline=None)
@given(st.lists(_line, min_size=0, max_size=5))
def test_text_period_answers_as_the_long_way(texts: list[str]) -> None:
    assert period.text_period(texts) == _text_period_long_way(texts)


def test_text_period_cases() -> None:
    school_year = ["上 学 年 工 作", "2014—2015学年度第二学期工作计划", "自 2015年3月 至 2015年6月"]
    assert _text_period_long_way(school_year) is not None
    assert period.text_period(school_year) == _text_period_long_way(school_year)
    roc = ["114 学年度 第一学期", "无关的一行"]
    assert period.text_period(roc) == _text_period_long_way(roc) is not None


_TITLE_PIECES = [*TITLE_WORDS, *"工作计划行事历校日程安排表规总结汇编方案要点思路", " ", "2024", "月", "/"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_TITLE_PIECES), min_size=0, max_size=6).map("".join))
def test_any_title_word_finds_what_the_scan_finds(text: str) -> None:
    scan = any(w in text for w in TITLE_WORDS)
    assert (facts._ANY_TITLE_WORD.search(text) is not None) == scan
    long_end = max((text.rfind(w) + len(w) for w in TITLE_WORDS if w in text), default=-1)
    assert facts._genre_end(text) == long_end


_WEEKDAY_PIECES = [*"0123456789月日号周星期一二三四五六日天()[]/ ", "礼拜", "週", "9月1日", "9/1"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_WEEKDAY_PIECES), min_size=0, max_size=8).map("".join))
def test_weekday_dates_need_a_month_or_a_slash(text: str) -> None:
    if facts._WEEKDAY_DATE.findall(text):
        assert "月" in text or "/" in text, text


def test_weekday_dates_still_counted() -> None:
    assert facts._WEEKDAY_DATE.findall("1月20日(星期二) 9/8(一)") == ["1月20日(星期二", "9/8(一)"]


@given(st.sampled_from([*FILE_EXTENSIONS, ".docx.pdf", ".txt ", "计划", ""]))
def test_file_extension_gate(text: str) -> None:
    cleaned = facts._clean("某校工作计划" + text, "某校工作计划" + text)
    assert cleaned is not None and cleaned[2] == ("某校工作计划" + text).strip().endswith(FILE_EXTENSIONS)


def _role_by_scan(h: str) -> str | None:
    """The word roles as the scan of COLUMN_ROLES read them, word by word."""
    for role, words in tablewords.COLUMN_ROLES:
        if any(w in h and len(h) - len(w) <= 3 for w in words):
            return role
    return None


_HEADER_PIECES = [*{w for _, words in tablewords.COLUMN_ROLES for w in words}, *"的和及与一周日月表", "ab"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_HEADER_PIECES), min_size=0, max_size=4).map("".join))
def test_words_role_answers_as_the_scan(h: str) -> None:
    assert tablewords._words_role(h) == _role_by_scan(h)


def test_words_role_cases() -> None:
    assert tablewords._words_role("负责人") == _role_by_scan("负责人") == "units"
    assert tablewords._words_role("工作内容") == "task"
    assert tablewords._words_role("日期时间") == "time"
    assert tablewords._words_role("主要工作内容及要求") is None  # nine over: no single word fits


@given(st.lists(st.sampled_from([*_HEADER_PIECES, " ", "", "周一", "12", "九月"]), max_size=6))
def test_header_roles_is_header_role_per_cell(cells: list[str]) -> None:
    assert tablewords.header_roles(cells) == [tablewords.header_role(c) for c in cells]
    assert [tablewords.header_lookup()(c) for c in cells] == [tablewords.header_role(c) for c in cells]
    token = tablewords.LEARNED_HEADERS.set({"内容": "detail", "甲乙": "units"})
    try:
        expected = [tablewords.header_role(c) for c in cells]
        assert tablewords.header_roles(cells) == expected
        assert [tablewords.header_lookup()(c) for c in cells] == expected
    finally:
        tablewords.LEARNED_HEADERS.reset(token)
