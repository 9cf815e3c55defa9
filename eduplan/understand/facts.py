"""Document facts: title, issuer, kind and the period a document plans for.

The title is the early line that reads most like this genre's title (a plan, summary or
calendar word, a period, an issuer), cleaned of what pages put around it: a label
(``标题:``), an article number (``【第1篇``), a file extension, a page or site suffix
(``_第1页``, ``_稿子365网``), pinyin glosses (``關(guān)``), a date or approval line after the
calendar word (``行事曆 1070528``). A covering notice ``关于印发《X》的通知`` gives X. A line
that only names a school (``翔 祥 幼 兒 園``) just above the title is part of it.

The issuer is read by its form: the start of the title, after any period, up to an ending
of a bureau (…教育局), a school (…中学, …幼儿园, …大学) or a school office (…处); a school
needs a name before its ending (``幼儿园`` alone is not an issuer). A bare ``教育局`` takes
the place named with it in the first lines (``衢州市教育局``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eduplan.understand import factwords as fw
from eduplan.understand.factwords import (
    CALENDAR_WORDS,
    COMPILATION_PATTERNS,
    PLAN_WORDS,
    SUMMARY_WORDS,
    TITLE_WORDS,
)
from eduplan.understand.lines import Line
from eduplan.understand.markers import numbering
from eduplan.understand.period import (
    PINYIN_GLOSS,
    Period,
    compact,
    compact_text,
    document_period,
    month_rows,
    time_tokens,
)

__all__ = [
    "Facts",
    "RowShape",
    "Title",
    "find_issuer",
    "find_kind",
    "find_title",
    "read_facts",
    "read_title",
    "row_shape",
    "year_of_text",
]

_COMPILATION = re.compile("|".join(COMPILATION_PATTERNS))
_SOURCE = re.compile(rf"(?:{'|'.join(fw.SOURCE_PREFIXES)})\s*[::]\s*(?P<who>[^\s::]{{2,30}})")
_SENTENCE = re.compile(r"[。;!?]|,.*,|:.{12,}|[:,]$|^.{25,},")
_PERIOD_ANCHORS = frozenset({"years", "school_year", "roc_school_year", "year_month", "year", "unknown_year"})
_MARKDOWN = re.compile(r"^#{1,6}\s+")
_LABEL = re.compile(rf"^(?:{'|'.join(fw.TITLE_LABELS)})\s*[::]\s*")
_ARTICLE_NO = re.compile(
    r"^[【\[]?\s*(?:第\s*[\d一二三四五六七八九十]+\s*篇|篇\s*[\d一二三四五六七八九十]+)\s*[】\]::]?\s*"
)
# A page number at the end of a title (…工作计划_第2页). The filler before it (``[_\-\s]*``) is
# walked back by hand from where the number starts: as a pattern's prefix the engine retried it
# from every character of a long run of dashes (quadratic: 15 s for one line the fuzzer built).
_PAGE_SUFFIX = re.compile(r"(?=[第(])(?:第\s*\d{1,4}\s*页|\(\s*第?\s*\d{1,4}\s*页\s*\))\s*$")
_PAGE_FILLER = frozenset("_-")


def _page_suffix_start(folded: str) -> int | None:
    """Where a trailing page number and the filler before it begin, or None."""
    m = _PAGE_SUFFIX.search(folded)
    if m is None:
        return None
    start = m.start()
    while start > 0 and (folded[start - 1] in _PAGE_FILLER or folded[start - 1].isspace()):
        start -= 1
    return start


_SITE_SPLIT = re.compile(r"\s*(?:_|\||\s-\s|——)\s*")
_DATE_TAIL = re.compile(
    r"^\s*[(\[]?\s*(?:1[0-4]\d[01]\d[0-3]\d(?!\d)|(?:19|20)\d{2}[01]\d[0-3]\d(?!\d)"
    r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?:19|20)?\d{2,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,2})"
)
_WRAPPED = re.compile(
    rf"关于(?:{'|'.join(fw.ISSUING_VERBS)})[^《]{{0,20}}《(?P<inner>[^》]{{4,80}})》"
    rf"(?:的)?(?:{'|'.join(fw.NOTICE_WORDS)})"
)
# 首页 > 新闻 > …; the > closing a tag written in a title (<b>) is no breadcrumb.
_BREADCRUMB = re.compile(r"(?:^|[\s\u4e00-\u9fff])>(?=[\s\u4e00-\u9fff])|»|›|→")
_WEEKDAY_DATE = re.compile(
    r"(?=\d)(?:\d{1,2}\s*月\s*\d{1,2}\s*[日号]\s*[(\[]?[^)\]]{0,12}?(?:星期|周|週|礼拜)[一二三四五六日天]"
    r"|\d{1,2}/\d{1,2}\s*\(\s*[一二三四五六日]\s*\))"
)
_WEEK_ROW = re.compile(r"^(?:第\s*[一二三四五六七八九十\d]{1,3}\s*[周週]|预备[周週])")
_WEEK_RANGE = re.compile(
    r"^\d{1,2}\s*[./月]\s*\d{1,2}\s*[日号]?\s*(?:[-—–~～至到]|--)+\s*(?:\d{1,2}\s*[./月])?\s*\d{1,2}"
)
_DAY_ROW = re.compile(
    r"^(?:\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}/\d{1,2}(?!\d)|\d{1,2}(?:\s*-\s*\d{1,2})?\s+"
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)|(?:星期|周)[一二三四五六日天](?:\s|$|\|))"
)
_NOT_NAME = re.compile(r"[^\w()（）·\s]")
_SCHOOL_YEAR_HINT = re.compile(r"学\s*年|(?:19|20)\d{2}\s*\S{1,3}\s*(?:19|20)?\d{2}")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+$")

_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        [(s, "bureau") for s in fw.BUREAU_SUFFIXES]
        + [(s, "school") for s in (*fw.SCHOOL_SUFFIXES, "中学校")]
        + [(s, "office") for s in fw.OFFICE_SUFFIXES],
        key=lambda p: -len(p[0]),
    )
)


@dataclass(frozen=True)
class Title:
    orig: str  # the title as written
    text: str  # its folded copy, same length
    index: int  # index in ``lines`` of the title's (last) line
    raw: str  # folded text of the title's line(s) before cleaning, for the period it states


# --------------------------------------------------------------------------- title


def _cut(orig: str, folded: str, start: int, end: int) -> tuple[str, str]:
    return orig[:start] + orig[end:], folded[:start] + folded[end:]


# Whether a text holds any title word, in one search: most lines hold none, and then the
# word-by-word scans below have nothing to find.
_ANY_TITLE_WORD = re.compile("|".join(map(re.escape, TITLE_WORDS)))


def _genre_end(folded: str) -> int:
    """End of the last title word in the line, or -1."""
    if _ANY_TITLE_WORD.search(folded) is None:
        return -1
    end = -1
    for word in TITLE_WORDS:
        at = folded.rfind(word)
        if at >= 0:
            end = max(end, at + len(word))
    return end


_META_OR_SOURCE = (*fw.META_PREFIXES, *fw.SOURCE_PREFIXES)  # str.startswith takes the tuple


def _clean(orig: str, folded: str) -> tuple[str, str, bool, bool] | None:
    """(orig, folded, is_file_name, is_markdown_heading) of a line as a title, or None when the
    line is page furniture (a breadcrumb, a metadata or navigation line)."""
    orig, folded = orig.strip(), folded.strip()
    m = _MARKDOWN.match(folded)
    heading = m is not None
    if m:
        orig, folded = orig[m.end() :], folded[m.end() :]
    m = _LABEL.match(folded)
    if m:
        orig, folded = orig[m.end() :], folded[m.end() :]
    elif folded.startswith(_META_OR_SOURCE):
        return None
    if _BREADCRUMB.search(folded):
        return None
    m = _ARTICLE_NO.match(folded)
    if m and m.end() < len(folded):
        orig, folded = orig[m.end() :], folded[m.end() :]
        if folded.endswith(("】", "]")):
            orig, folded = orig[:-1], folded[:-1]
    for m in reversed(list(PINYIN_GLOSS.finditer(folded))):
        orig, folded = _cut(orig, folded, m.start(), m.end())
    is_file = False
    low = folded.lower()
    for ext in fw.FILE_EXTENSIONS if low.endswith(fw.FILE_EXTENSIONS) else ():
        if low.endswith(ext):
            orig, folded, is_file = orig[: -len(ext)], folded[: -len(ext)], True
            break
    page = _page_suffix_start(folded)
    if page:
        orig, folded = orig[:page], folded[:page]
    for _ in range(3):  # …工作计划_工作计划_范文网: the site's name, then its section
        parts = [m for m in _SITE_SPLIT.finditer(folded) if m.start() > 0]
        if not parts:
            break
        last = parts[-1]
        tail = folded[last.end() :].strip()
        site = tail.endswith(fw.SITE_ENDINGS) or re.fullmatch(r"[\w.-]+\.(?:com|cn|net|org)", tail)
        if not tail or not (site or tail in TITLE_WORDS):
            break
        orig, folded = orig[: last.start()], folded[: last.start()]
    n = len(folded)
    if n >= 8 and n % 2 == 0 and folded[: n // 2] == folded[n // 2 :]:  # the title printed twice
        orig, folded = orig[: n // 2], folded[: n // 2]
    end = _genre_end(folded)
    if end > 0 and _DATE_TAIL.match(folded[end:]):
        orig, folded = orig[:end], folded[:end]
    m = _WRAPPED.search(folded)
    if m and _genre_end(m.group("inner")) > 0:
        orig, folded = orig[m.start("inner") : m.end("inner")], m.group("inner")
    orig, folded = orig.strip(), folded.strip()
    if not folded:
        return None
    return orig, folded, is_file, heading


def _navigation(folded: str) -> bool:
    """A run of short menu words (工作计划 工作总结 心得体会) rather than one title, or a table
    row written with pipes."""
    if folded.count("|") >= 2:
        return True
    parts = folded.split()
    if len(parts) < 3 or not all(2 <= len(p) <= 6 for p in parts):
        return False
    return sum(1 for p in parts if any(w in p for w in TITLE_WORDS)) >= 2


def _score(text: str, index: int, is_file: bool) -> float | None:
    dense = compact_text(text)
    if _ANY_TITLE_WORD.search(dense) is None:
        return None  # no title word: its score would be 0 (the tests below only return None too)
    if not 2 <= len(dense) <= 60 or _SENTENCE.search(text) or _navigation(text):
        return None
    if numbering(text):
        return None
    score = 0.0
    for rank, word in enumerate(TITLE_WORDS):
        if word in dense:
            score = max(score, 10 - rank * 0.4)
    if score == 0 or (len(dense) < 4 and dense not in fw.SHORT_TITLE_WORDS):
        return None
    if _COMPILATION.search(dense):
        score += 6
    if any(kind in _PERIOD_ANCHORS for _, _, kind, _ in time_tokens(dense)):
        score += 1
    if issuer_span(dense) is not None:
        score += 1
    if is_file:
        score -= 3
    if len(dense) > 40:
        score -= 1
    return score - index * 0.3


def _candidate(ln: Line) -> tuple[str, str, bool, bool] | None:
    if ln.cells is None:
        return _clean(ln.orig, ln.text)
    # A table row: its first filled cell, when that cell is a title (a sheet's title row
    # holding the titles of two terms side by side).
    filled = [(o, f) for o, f in zip(ln.orig_cells or ln.cells, ln.cells, strict=False) if f]
    if not filled or len(filled) > 3:
        return None
    return _clean(*filled[0])


def read_title(lines: list[Line], look: int = 25) -> Title | None:
    """The document's own title among its first lines, or None."""
    best: tuple[float, int, tuple[str, str, bool, bool]] | None = None
    for i, ln in enumerate(lines[:look]):
        found = _candidate(ln)
        if found is None:
            continue
        score = _score(found[1], i, found[2])
        if score is not None and (best is None or score > best[0]):
            best = (score, i, found)
    if best is None:
        return None
    _, i, (orig, folded, _, heading) = best
    raw = lines[i].text
    index = i
    if i > 0 and lines[i - 1].cells is None:  # the school's name on the line above
        above = _clean(lines[i - 1].orig, lines[i - 1].text)
        if above is not None:
            dense = compact_text(above[1])
            span = issuer_span(dense)
            if span == (0, len(dense)) and issuer_span(compact_text(folded)) is None:
                orig, folded, raw = above[0] + orig, above[1] + folded, lines[i - 1].text + raw
    if heading and compact_text(folded) in fw.SHORT_TITLE_WORDS and i + 1 < len(lines):
        nxt = lines[i + 1]
        m = _MARKDOWN.match(nxt.text)
        rest = nxt.text[m.end() :].strip() if m else ""
        kinds = {k for _, _, k, _ in time_tokens(compact_text(rest))}
        if m and rest and kinds & {"years", "school_year", "roc_school_year", "year"} and len(rest) <= 24:
            lead = len(nxt.text) - len(nxt.text[m.end() :].lstrip())
            orig = f"{orig} {nxt.orig[lead:].strip()}"
            folded = f"{folded} {rest}"
            raw, index = f"{raw} {rest}", i + 1
    return Title(orig, folded, index, raw)


def find_title(lines: list[Line], look: int = 25) -> tuple[str | None, str | None]:
    """(original title, folded title) of the document's title line, or (None, None)."""
    title = read_title(lines, look)
    return (title.orig, title.text) if title else (None, None)


# --------------------------------------------------------------------------- issuer


def _valid_name(name: str, suffix: str, kind: str) -> bool:
    if _NOT_NAME.search(name):
        return False
    if kind == "bureau":
        return not name.startswith(fw.GROUP_PREFIXES)
    if len(name) < 2 or name in fw.GENERIC_SCHOOL_NAMES or name.startswith(fw.GROUP_PREFIXES):
        return False
    if any(ch in name for ch in fw.LIST_JOINERS):  # 晋江市小学、幼儿园: kinds of school, listed
        return False
    if suffix in fw.SCHOOL_KINDS and name[-1] in fw.PLACE_ENDINGS:  # 晋江市小学: the city's schools
        return False
    return not name.endswith(("中", "中小"))


def issuer_span(dense: str) -> tuple[int, int] | None:
    """Offsets of the issuer's name at the start of a compacted folded title, or None."""
    tokens = time_tokens(dense)
    pos = 0
    while True:  # leading periods: 2023年…, 2023学年度第二学期…
        while pos < len(dense) and dense[pos] in " ([【(《":
            pos += 1
        tok = next((t for t in tokens if t[0] == pos), None)
        if tok is None:
            break
        pos = tok[1]
    stop = min(len(dense), pos + 40)
    for begin, _, _, _ in tokens:
        if begin > pos:
            stop = min(stop, begin)
            break
    for word in (*TITLE_WORDS, "关于", "的"):
        at = dense.find(word, pos)
        if at >= 0:
            stop = min(stop, at)
    segment = dense[pos:stop].rstrip()
    for end in range(len(segment), 1, -1):
        head = segment[:end]
        for suffix, kind in _SUFFIXES:
            if not head.endswith(suffix):
                continue
            if kind == "office" and end != len(segment):
                continue
            if _valid_name(head[: -len(suffix)], suffix, kind):
                return pos, pos + end
            break
    return None


def _place_name(lines: list[Line], suffix: str, look: int = 15) -> str | None:
    """A place-qualified name ending in ``suffix`` (衢州市教育局) in the first lines."""
    for ln in lines[:look]:
        at = ln.text.find(suffix)
        while at > 0:
            run = _CJK_RUN.search(ln.text[:at])
            if run and 2 <= len(run.group()) <= 10 and run.group()[-1] in fw.PLACE_ENDINGS:
                if run.start() == 0 or not ("\u3400" <= ln.text[run.start() - 1] <= "\u9fff"):
                    return ln.orig[run.start() : at + len(suffix)]
            at = ln.text.find(suffix, at + 1)
    return None


def _title_issuer(orig: str, folded: str, lines: list[Line]) -> str | None:
    dense, where = compact(folded)
    span = issuer_span(dense)
    if span is None:
        return None
    name = orig[where[span[0]] : where[span[1] - 1] + 1]
    bare = dense[span[0] : span[1]]
    if bare in fw.BUREAU_SUFFIXES:
        return _place_name(lines, bare) or name
    return name


def find_issuer(
    title_orig: str | None, title: str | None, lines: list[Line], line: tuple[str, str] | None = None
) -> str | None:
    """The issuing body named at the start of the title, else at the start of the title's line
    (``line``: original and folded, the notice that wraps 《X》), else on the page's 来源 line;
    None for a compilation of several plans."""
    if title and title_orig:
        if _COMPILATION.search(compact_text(title)):
            return None
        found = _title_issuer(title_orig, title, lines)
        at = line[1].find("关于") if line is not None else -1
        if found is None and line is not None and at > 0:  # the notice wrapping 《X》 names it
            found = _title_issuer(line[0][:at], line[1][:at], lines)
        if found is not None:
            return found
    for ln in lines[:12]:
        m = _SOURCE.search(ln.text)
        if m and any(m.group("who").endswith(s) for s in fw.BUREAU_SUFFIXES):
            return ln.orig[m.start("who") : m.end("who")]
    return None


# --------------------------------------------------------------------------- kind


@dataclass(frozen=True)
class RowShape:
    """How a document's rows are dated: counts of lines that head a week (第3周, 预备周), a day
    or a span of days (5月29日 星期二, 2/19, 21 Fri, 3.7—3.13) or a month (九月, 二月主题:);
    dates labelled with a weekday (1月20日(星期二)); whether the very first lines head a week."""

    weeks: int = 0
    days: int = 0
    months: int = 0
    weekday_dates: int = 0
    week_heading: bool = False


def row_shape(lines: list[Line], months: int = 0, look: int = 2000) -> RowShape:
    """The ``RowShape`` of the first ``look`` lines; ``months`` as counted by the caller."""
    weeks = days = weekday_dates = 0
    week_heading = False
    for i, ln in enumerate(lines[:look]):
        first = next((c for c in ln.cells if c), "") if ln.cells else ln.text
        head = first.strip()
        if _WEEK_ROW.match(head):
            weeks += 1
            if i < 3 and ln.cells is None and re.search(r"\d{1,2}\s*月\s*\d{1,2}", head):
                week_heading = True
        elif _DAY_ROW.match(head) or _WEEK_RANGE.match(head):  # a day or a span of days
            days += 1
        if i < 300 and ("月" in ln.text or "/" in ln.text):  # each form of _WEEKDAY_DATE has one
            weekday_dates += len(_WEEKDAY_DATE.findall(ln.text))
    return RowShape(weeks, days, months, weekday_dates, week_heading)


def _calendar_titles(lines: list[Line]) -> int:
    """Distinct school years named by calendar title lines anywhere in the text (two sheets of
    a workbook, each its own 校历), counted up to two."""
    years: set[str] = set()
    budget = 300  # title-like lines looked at: a title is not on every line
    for ln in lines:
        if len(ln.text) > 80 or not _SCHOOL_YEAR_HINT.search(ln.text) or _SENTENCE.search(ln.text):
            continue
        if not any(w in ln.text.replace(" ", "") for w in CALENDAR_WORDS):  # 校 历, letter-spaced
            continue
        budget -= 1
        if budget < 0:
            break
        found = _candidate(ln)
        if found is None:
            continue
        dense = compact_text(found[1])
        if len(dense) > 40 or not any(w in dense for w in CALENDAR_WORDS):
            continue
        for _, _, kind, value in time_tokens(dense):
            if kind in ("years", "school_year", "roc_school_year"):
                years.add(value)
                break
        if len(years) >= 2:
            break
    return len(years)


def find_kind(
    title: str | None,
    week_rows: int,
    plan_headers: int,
    shape: RowShape | None = None,
    lines: list[Line] | None = None,
) -> str:
    """calendar, summary, compilation or plan: from the title's words, then from the rows
    (``week_rows`` week or day rows found by the layout, ``shape`` as counted in the lines)."""
    t = compact_text(title or "")
    shape = shape or RowShape()
    weeks = max(week_rows, shape.weeks)
    dated = weeks + shape.days
    if _COMPILATION.search(t) or plan_headers >= 2 or (lines is not None and _calendar_titles(lines) >= 2):
        return "compilation"
    summary_at = min((t.find(w) for w in SUMMARY_WORDS if w in t), default=-1)
    plan_at = min((t.find(w) for w in PLAN_WORDS if w in t), default=-1)
    if summary_at >= 0 and (plan_at < 0 or summary_at < plan_at):
        return "summary"
    if any(w in t for w in CALENDAR_WORDS):
        # A 行事历 whose rows are months is a month-by-month plan.
        if shape.months >= 2 and dated == 0 and week_rows == 0:
            return "plan"
        return "calendar"
    if weeks >= 3 or (plan_at < 0 and (dated >= 3 or shape.weekday_dates >= 3 or shape.week_heading)):
        return "calendar"
    if plan_at < 0 and lines is not None:
        head = " ".join(ln.text for ln in lines[:8])
        if any(w in head for w in CALENDAR_WORDS):
            return "calendar"
    return "plan"


# --------------------------------------------------------------------------- all facts


@dataclass(frozen=True)
class Facts:
    title: Title | None
    issuer: str | None
    period: Period
    shape: RowShape
    warnings: tuple[str, ...] = ()

    @property
    def title_orig(self) -> str | None:
        return self.title.orig if self.title else None

    @property
    def title_text(self) -> str | None:
        return self.title.text if self.title else None


def read_facts(lines: list[Line], year: int | None = None) -> Facts:
    """Title, issuer, row shape and period of a document (its kind needs the layout's counts:
    ``find_kind``). ``year`` is the year the user gave for a document that states none."""
    title = read_title(lines)
    if title is not None:
        line = lines[title.index]
        wrapping = (line.orig, line.text) if line.cells is None else None
        issuer = find_issuer(title.orig, title.text, lines, wrapping)
    else:
        issuer = find_issuer(None, None, lines)
    texts = [ln.text for ln in lines if ln.cells is None]
    shape = row_shape(lines, months=len(month_rows(texts)))
    month_plan = shape.weeks + shape.days == 0 and not (
        title and _COMPILATION.search(compact_text(title.text))
    )
    head = [ln.text for i, ln in enumerate(lines[:12]) if title is None or i != title.index]
    period = document_period(title.raw if title else None, head, texts, year, month_plan)
    warnings: tuple[str, ...] = ()
    if period.source == "year" and period.start is not None:
        warnings = (f"标题中没有写明计划期间，按 {period.start.year} 年全年处理。",)
    return Facts(title, issuer, period, shape, warnings)


# --------------------------------------------------------------------------- year


def year_of_text(lines: list[Line], look: int = 12) -> int | None:
    """A plan year stated near the top (2021年…), for documents whose title has none."""
    for ln in lines[:look]:
        m = re.search(r"((?:19|20)\d{2})\s*年", ln.text)
        if m:
            return int(m.group(1))
    return None
