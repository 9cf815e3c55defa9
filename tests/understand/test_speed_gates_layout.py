"""Short cuts taken for speed in lines, layout, tables and facts decide nothing: each is checked
against the long way round.

* ``period.compact_text`` is ``compact(text)[0]`` without the offsets.
* ``period.text_period`` tokenises only a line with a four-digit year or 学年, tries the range
  pattern only on a line with 月, and stops once both its answers are found.
* ``facts._ANY_TITLE_WORD`` finds a title word where the word-by-word scan does (``_genre_end``,
  ``_score``); ``row_shape`` looks for weekday dates only in a line with 月 or /.
* ``tablewords._words_role`` looks up the pieces of a header that a word may fill instead of
  scanning every word; ``header_roles`` and ``header_lookup`` read the taught meanings once.
* ``TableReader._header`` answers None at once for a row of fewer than two distinct roles;
  ``tables._parse_day`` is remembered per cell.
* ``lines``: a document whose lines are all different has no second printing to drop; the
  五是 and page-chunk patterns are tried only on a line that starts as they do.
* ``dayrows.DayRows.anchor`` tries no pattern on a line that starts with an ideograph; layout's
  ``section_period``, ``header_words`` and ``is_title_line`` ask their cheapest test first;
  ``_mark_children`` asks a heading's kind once, however many children it has.
* ``grid._pipe_rows`` tries its patterns only on a line with a pipe (a Markdown rule: with --).
* ``TableReader`` finds a header's first weekday column once, when it reads the header.
"""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.text import fold
from eduplan.understand import dayrows, facts, grid, layout, markers, period, tables, tablewords
from eduplan.understand import lines as lines_mod
from eduplan.understand.entries import Entry
from eduplan.understand.factwords import FILE_EXTENSIONS, STRONG_TITLE_WORDS, TITLE_WORDS
from eduplan.understand.headingwords import section_kind
from eduplan.understand.lines import Line, keeps_row, text_lines
from eduplan.understand.timex import TimeContext

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


def _header_long_way(cells: list[str]) -> list[str | None] | None:
    """TableReader._header as it read before its early answer for rows of fewer than two roles."""
    roles = [tablewords.header_role(c) for c in cells]
    for i in range(1, len(roles)):
        if roles[i] is None and not cells[i].strip() and roles[i - 1] in ("time", "task", "detail"):
            roles[i] = roles[i - 1]
    for i in range(1, len(roles)):
        if roles[i] == "weekday:6" and roles[i - 1] == "time" and cells[i - 1].strip() in ("月", "月份"):
            roles[i] = "time"
    named = [r for r in roles if r]
    weekday_roles = [r for r in named if r.startswith("weekday:")]
    if len(weekday_roles) != len(set(weekday_roles)):
        return None
    if len(named) < 2 or len(set(named)) < 2:
        return None
    if len(weekday_roles) >= 5 or "task" in named or "units" in named:
        return roles
    if any(r in ("time", "week") for r in named) and any(r in ("detail", "theme") for r in named):
        return roles
    return None


_CELL_PIECES = [
    "",
    " ",
    "月",
    "月份",
    "日",
    "时间",
    "日期",
    "内容",
    "备注",
    "周次",
    "周一",
    "六",
    "一",
    "负责人",
    "3",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_CELL_PIECES), min_size=0, max_size=9))
def test_table_header_answers_as_the_long_way(cells: list[str]) -> None:
    reader = tables.TableReader(TimeContext(None, None, None), set())
    assert reader._header(cells) == _header_long_way(cells)


def test_table_header_cases() -> None:
    reader = tables.TableReader(TimeContext(None, None, None), set())
    assert reader._header(["月", "日", "工作内容"]) == ["time", "time", "task"]
    assert reader._header(["日期", "", "内容"]) == ["time", "time", "task"]
    assert reader._header(["时间", "", ""]) is None  # one role merged over three columns


@given(st.sampled_from(["1", "31", "9/8", "29/8", "9.8", "9月", "9月8日", " 1 2", "一", "", "123", "８"]))
def test_parse_day_cache_answers_as_the_function(cell: str) -> None:
    assert tables._parse_day(cell) == tables._parse_day.__wrapped__(cell)


def _drop_repeats_long_way(lines: list[Line], min_lines: int = 8, min_chars: int = 300) -> list[Line]:
    """lines._drop_repeats without its answer for lines that are all different."""
    keys = ["".join(ln.text.split()) for ln in lines]
    first: dict[str, int] = {}
    drop = [False] * len(lines)
    i = 0
    while i < len(lines):
        j0 = first.get(keys[i])
        if j0 is not None and j0 < i:
            n, chars = 0, 0
            while i + n < len(lines) and j0 + n < i and keys[j0 + n] == keys[i + n]:
                chars += len(keys[i + n])
                n += 1
            if n >= min_lines and chars >= min_chars:
                for k in range(i, i + n):
                    drop[k] = True
                i += n
                continue
        first.setdefault(keys[i], i)
        i += 1
    return [ln for ln, d in zip(lines, drop, strict=True) if not d]


_LINE_TEXTS = ["甲" * 40, "乙" * 40, "丙 " * 20, "丁" * 50, "一、总体要求", "a b", "ab", "戊" * 45]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_LINE_TEXTS), min_size=0, max_size=40))
def test_drop_repeats_answers_as_the_long_way(texts: list[str]) -> None:
    lines = [Line(k + 1, t, t) for k, t in enumerate(texts)]
    assert [ln.no for ln in lines_mod._drop_repeats(lines)] == [ln.no for ln in _drop_repeats_long_way(lines)]


def test_drop_repeats_still_drops_a_second_printing() -> None:
    texts = [f"第{k}条" + "字" * 40 for k in range(10)]
    lines = [Line(k + 1, t, t) for k, t in enumerate(texts + texts)]
    assert [ln.no for ln in lines_mod._drop_repeats(lines)] == list(range(1, 11))


_START_PIECES = [*"一二三四五六七八九十是、0123456789１２٣ ", "五是", "12、", "〇"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_START_PIECES), min_size=0, max_size=5).map("".join))
def test_line_start_gates(text: str) -> None:
    if lines_mod._SHI_START.match(text):
        assert text[:1] in lines_mod._CN_DIGITS
    if lines_mod._PAGE_CHUNK.match(text):
        assert text[:1].isdigit()
    assert bool(text.rstrip()) == bool(text.strip())


def test_logical_lines_cases() -> None:
    raw = ["", "  一、总体要求  ", "\t", "五是加强管理。六是做好服务", "1、" + "字" * 160, "2、下一页"]
    got = [(ln.no, ln.text) for ln in lines_mod.logical_lines(raw)]
    assert got[0] == (2, "一、总体要求")
    assert (4, "五是加强管理。") in got and (4, "六是做好服务") in got
    assert got[-1] == (5, "字" * 160 + "下一页")  # the page chunk 2、 joined back


@settings(max_examples=2000, deadline=None)
@given(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.lists(st.sampled_from([*"0123456789 -~", "Oct", "2022", "年", "月", "Fri", "Wed"]), max_size=8).map(
        "".join
    ),
)
def test_day_row_anchors_never_start_with_an_ideograph(first: str, rest: str) -> None:
    text = first + rest
    assert not any(rx.match(text) for rx in (dayrows._MONTH_YEAR, dayrows._DAY_ROW, dayrows._NUMBERS))


def test_day_row_anchors_still_read() -> None:
    rows = dayrows.DayRows(
        [Line(1, t, t) for t in ("2022 Oct", "21 Fri", "九月")], TimeContext(None, None, 2022)
    )
    assert rows.anchor(0) is not None and rows.month == 10
    got = rows.anchor(1)
    assert got is not None and got.slot is not None and got.slot.start.day == 21
    assert rows.anchor(2) is None


def _section_period_long_way(text: str) -> tuple | None:
    if (
        len(text) > 40
        or markers.numbering(text)
        or markers.bullet(text)
        or not layout._SCHOOL_YEAR.search(text)
    ):
        return None
    if not (layout._YEAR_LABEL.match(text) or text.rstrip().endswith(layout._CALENDAR_TITLE_ENDS)):
        return None
    return period.title_period(text)


def _header_words_long_way(text: str) -> str | None:
    t = text.strip()
    if len(t) > 8 or markers.numbering(t):
        return None
    return tablewords.header_role(t)


_LAYOUT_PIECES = [*_PERIOD_PIECES, "一、", "1.", "(二)", "●", "·", "周次", "备注", "日期", "校历", "行事历"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_LAYOUT_PIECES), min_size=0, max_size=6).map("".join))
def test_layout_line_tests_answer_as_the_long_way(text: str) -> None:
    assert layout.section_period(text) == _section_period_long_way(text)
    assert layout.header_words(text) == _header_words_long_way(text)


def _is_title_line_long_way(text: str) -> bool:
    if text.rstrip(":").endswith("附件") and len(text) <= 8:
        return True
    return (
        8 <= len(text) <= 40
        and not markers.numbering(text)
        and not re.search(r"[。;,!?:]", text)
        and bool(re.search(r"(?:19|20)\d\d|[xX]{2}", text))
        and any(w in text for w in STRONG_TITLE_WORDS)
    )


_TITLE_LINE_PIECES = [
    *STRONG_TITLE_WORDS,
    "2024",
    "xx",
    "年",
    "学校",
    "一、",
    "1.",
    "附件",
    ":",
    "。",
    ",",
    " ",
]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_TITLE_LINE_PIECES), min_size=0, max_size=7).map("".join))
def test_is_title_line_answers_as_the_long_way(text: str) -> None:
    assert layout.is_title_line(text) is _is_title_line_long_way(text)


def _mark_children_long_way(entries: list[Entry]) -> None:
    stack: list[Entry] = []
    for e in entries:
        if e.restart:
            stack.clear()
        if e.kind == "numbered" and e.rank is not None:
            while stack and stack[-1].rank is not None and stack[-1].rank >= e.rank:
                stack.pop()
            if stack:
                stack[-1].children += 1
                kinds = {section_kind(s.text[0][s.marker_len :]) for s in stack}
                e.non_item = e.non_item or "non_item" in kinds
                e.under_goal = e.under_goal or "goal" in kinds
            stack.append(e)


_ENTRY = st.tuples(
    st.sampled_from(["numbered", "numbered", "plain"]),
    st.sampled_from([0, 1, 2, 3]),
    st.sampled_from(["工作目标", "组织机构", "主要任务", "开展活动", "指导思想"]),
    st.booleans(),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_ENTRY, max_size=25))
def test_mark_children_answers_as_the_long_way(specs: list) -> None:
    def build() -> list[Entry]:
        return [
            Entry(kind, k, [f"一、{text}"], [f"一、{text}"], None, rank, 2, restart=restart)
            for k, (kind, rank, text, restart) in enumerate(specs)
        ]

    quick, long_way = build(), build()
    layout._mark_children(quick)
    _mark_children_long_way(long_way)
    assert [(e.children, e.non_item, e.under_goal) for e in quick] == [
        (e.children, e.non_item, e.under_goal) for e in long_way
    ]


def _pipe_rows_long_way(lines: list[Line]) -> list[Line]:
    """grid._pipe_rows with every pattern tried on every line."""
    cuts = [
        grid._cut_like(ln.orig, ln.text) if ln.cells is None and not grid._LONE_PIPE.match(ln.text) else None
        for ln in lines
    ]
    out: list[Line] = []
    for i, ln in enumerate(lines):
        if grid._MARKDOWN_RULE.match(ln.text) and ln.cells is None:
            continue
        cut = cuts[i]
        near = (i > 0 and cuts[i - 1] is not None) or (i + 1 < len(lines) and cuts[i + 1] is not None)
        if cut is not None and near:
            orig_cells, cells = cut
            while cells and not cells[-1]:
                cells, orig_cells = cells[:-1], orig_cells[:-1]
            if keeps_row(cells, bool(out) and out[-1].cells is not None):
                out.append(Line(ln.no, ln.orig, ln.text, cells, orig_cells))
            else:
                orig = " ".join(o for o, c in zip(orig_cells, cells, strict=True) if c)
                out.extend(text_lines(ln.no, orig, fold(orig)))
        else:
            out.append(ln)
    return out


_PIPE_PIECES = ["|", "｜", " ", "-", "--", ":", "周一", "内容", "1", "\t"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIPE_PIECES), max_size=6).map("".join), max_size=8))
def test_pipe_rows_answer_as_the_long_way(texts: list[str]) -> None:
    lines = [Line(k + 1, t, t) for k, t in enumerate(texts)]
    assert grid._pipe_rows(lines) == _pipe_rows_long_way(lines)
    for t in texts:
        if grid._MARKDOWN_RULE.match(t):
            assert "--" in t
        if grid._LONE_PIPE.match(t) or grid._cut_like(t, t):
            assert "|" in t or "｜" in t


def test_pipe_rows_cases() -> None:
    lines = [
        Line(k + 1, t, t) for k, t in enumerate(["| 日期 | 内容 |", "|---|---|", "| 9/1 | 开学 |", "正文"])
    ]
    got = grid._pipe_rows(lines)
    assert [ln.cells for ln in got] == [["日期", "内容"], ["9/1", "开学"], None]


_ROW_CELLS = [
    "",
    "周次",
    "周一",
    "周二",
    "周三",
    "周四",
    "周五",
    "内容",
    "备注",
    "1",
    "2",
    "开学典礼",
    "九月",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_ROW_CELLS), min_size=1, max_size=8), max_size=6))
def test_table_reader_keeps_its_header_first_weekday_column(rows: list[list[str]]) -> None:
    reader = tables.TableReader(TimeContext(date(2024, 9, 1), date(2025, 1, 31), 2024), set())
    for k, cells in enumerate(rows):
        reader.row(Line(k + 1, "\t".join(cells), "\t".join(cells), cells, cells))
        if reader.roles is not None:
            assert reader.first_day_column == next(
                (i for i, r in enumerate(reader.roles) if (r or "").startswith("weekday:")), None
            )
