"""Quantified targets: the rates, counts and amounts a plan sets as goals.

``find_targets(lines, folded, skip)`` scans the folded copy of every line for numbers,
reads the unit and the comparison words around each, keeps the numbers that a goal
sentence sets (``入园率达到88.4%``, ``推进10个示范点建设``, ``投入726.5万元``,
``评选先进个人400名左右``) and drops the rest: dates, durations, ordinals, codes,
names, per-head rules and statements of work already done. Matching happens on the
folded copy; ``indicator`` and ``text`` are cut from the original line at the same
offsets, so they keep the document's own script.

The comparison comes from the words around the number: op words and signs before it
(``不低于``, ``≥``, ``破``), op words after it (``以上``, ``以内``), a linking word when the
phrase names a measure (``入学率为93%``, only where goals are set), a change verb that
makes the number a change (``提升3个百分点``), a pair of bounds (``保3争4``), or the first
value of a ``分别`` list for the values after it. Tables (TAB or pipe rows) are read
twice: each cell as a clause of its own, and, where a header or row label states the unit
(``巩固率(%)``), every bare number of that table with that unit. Sections that review
past work (工作回顾, a summary, or such a heading run into a long line) set no goals
except in clauses that look ahead (``年底前``, ``力争``).

The language knowledge (op words, units, goal and exclusion words) is data in
``targetwords.py``; this module only holds the structure.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable

from eduplan.plan import Target
from eduplan.understand import targetwords as tw

__all__ = ["find_targets"]


def _alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# ---------------------------------------------------------------- compiled patterns

# Arabic numbers; thousands groups are checked against the original line later.
# Each number pattern opens with a plain character class (its first character, consumed):
# re then scans for that class in C and tries the pattern only there. A lookahead or an
# optional group in front hides the class, and the pattern is tried at every position.
# The first digit's lookbehind spans it: ``(?<![A-Za-z0-9.]\d)`` after ``\d`` is
# ``(?<![A-Za-z0-9.])`` before it.
_ARABIC = re.compile(r"(\d(?<![A-Za-z0-9.]\d)(?:\d{0,2}(?:[, ]\d{3})+(?!\d)|\d{0,11}))(?:\.(\d{1,6}))?")
_CN_CHARS = "".join([*tw.CN_DIGITS, *tw.CN_SMALL_UNITS, *tw.CN_BIG_UNITS])
# ``百分之`` + a numeral, or a run of 1 to 8 numeral characters; 百 is a numeral character
# and 分 is none, so a match is a percentage exactly when it starts with 百分之.
_PERCENT_WORD = "百分之"
_CN_NUMBER = re.compile(rf"[{_CN_CHARS}](?:(?<=百)分之[{_CN_CHARS}]{{1,8}}|[{_CN_CHARS}]{{0,7}})")
_CN_DIGIT_RUN = re.compile(rf"[{re.escape(''.join(tw.CN_DIGITS))}]")

_PER_TAIL = rf"(?:[/每](?:{_alt(tw.PER_UNIT_HEADS)})(?:[·・.•/]?(?:{_alt(tw.PER_UNIT_HEADS)}))?)?"
_UNIT = re.compile(
    rf"[ \t]*(?P<infix>{_alt(tw.APPROX_INFIX)})?[ \t]*"
    rf"(?P<unit>(?P<mult>{_alt(tw.UNIT_MULTIPLIERS)})?"
    rf"(?P<base>(?:{_alt(set(tw.TARGET_UNITS) | set(tw.NON_TARGET_UNITS))})(?:(?<=元){_PER_TAIL})?)?)"
)
_NON_TARGET_UNITS = frozenset(tw.NON_TARGET_UNITS)
_COUNT_UNITS = frozenset(tw.COUNT_UNITS)
# What a non-empty match of _UNIT begins with: a blank, or (after any blanks) an infix, a
# multiplier or a unit.
_BLANK = frozenset(" \t")
_BLANKS = re.compile(r"[ \t]*")
_UNIT_WORD_AT = frozenset(
    w[0] for w in (*tw.APPROX_INFIX, *tw.UNIT_MULTIPLIERS, *tw.TARGET_UNITS, *tw.NON_TARGET_UNITS)
)
_UNIT_AT = _BLANK | _UNIT_WORD_AT
# What a match of _UNIT whose base is a count unit begins with: a blank, an infix, a
# multiplier or the unit itself.
_COUNT_UNIT_AT = frozenset(
    " \t" + "".join(w[0] for w in (*tw.APPROX_INFIX, *tw.UNIT_MULTIPLIERS, *tw.COUNT_UNITS))
)
_RATE_UNITS = frozenset({"%", "‰", "个百分点", "百分点"})

_OP_BEFORE = re.compile(rf"(?:{_alt(tw.OP_BEFORE)}|(?<![A-Za-z0-9\"'/=<>\-])(?:{_alt(tw.OP_SIGNS)})[ \t]*)$")
_OPS = {**tw.OP_BEFORE, **tw.OP_SIGNS}
_OP_BEFORE_ANY = re.compile(_alt(tw.OP_BEFORE))
_OP_AFTER = re.compile(rf"[ \t]*({_alt(tw.OP_AFTER)})")
_DESCRIPTIVE = re.compile(rf"(?:{_alt(tw.DESCRIPTIVE_BEFORE)})$")
_ORDINAL = re.compile(rf"(?:{_alt(tw.ORDINAL_PREFIXES)})[ \t]*$")
_CODE = re.compile(rf"(?:{_alt(tw.CODE_PREFIXES)})[ \t:]*$")
_PER = re.compile(rf"{re.escape(tw.PER_PREFIX)}[^\d,;。!?、]{{0,2}}[ \t(]*$")
_DE_BEFORE = re.compile(r"的[ \t]*$")
_BAN = re.compile(r"按[ \t]*$")
_CN_VERB = re.compile(rf"(?:{_alt(tw.CN_COUNT_VERBS)})(?:[^,;。!?]{{0,12}}等)?[ \t]*$")

_INDICATOR_END = re.compile(rf"(?:{_alt(tw.INDICATOR_ENDINGS)})$")
_GOAL = re.compile(_alt(tw.GOAL_WORDS))
_PAST = re.compile(_alt(tw.PAST_WORDS))
_LE = re.compile(r"了")
_LE_FALSE = re.compile(_alt(tw.LE_FALSE))
_CONDITION = re.compile(_alt(tw.CONDITION_WORDS))
_DESCRIBING = re.compile(_alt(tw.DESCRIPTIVE_WORDS))
_COMPARED = re.compile(r"[比较](?:19|20)\d\d年")  # ``比2010年增加32所``: a change already seen
_OP_GAP = re.compile(
    rf"({_alt(w for w in tw.OP_BEFORE if len(w) >= 2 and tw.OP_BEFORE[w] != '~')})[^\d,;。、]{{1,3}}$"
)
_PUNCT_OR_END = re.compile(r"[ \t]*(?:[,;。!?、:)”\"…]|$)")
# ``按计划完成``, ``完成目标任务``: plan and goal words that report, not look ahead
_FORWARD = re.compile(rf"(?<![按原])(?<!完成)(?<!实现)(?<!达到)(?:{_alt(tw.FORWARD_WORDS)})")
_PRESENT = re.compile(_alt(tw.PRESENT_WORDS))
_LINK = re.compile(rf"(?:{_alt(tw.MEASURE_ENDINGS)})[ \t]*(?:{_alt(tw.LINK_BEFORE)})[ \t]*$")
_LINK_WORD = re.compile(rf"(?:{_alt(tw.LINK_BEFORE)})[ \t]*$")
_SHARE = re.compile(r"占[^\d,;。!?、]{1,12}的[ \t]*$")  # ``占全部学位的70%``
_CHANGE = re.compile(rf"(?:{_alt(tw.CHANGE_BEFORE)})[ \t]*$")
# A number that lost its % sign keeps a rate's comparison: ``满意率在80以上``.
_RATE_NAMES = ("率", "度", "比例", "比重", "占比")
_BARE_RATE = re.compile(
    rf"(?:{'|'.join(_RATE_NAMES)})[ \t]*(?:{_alt([*tw.LINK_BEFORE, *tw.OP_BEFORE])})?[ \t]*$"
)
_PAIR_A = _alt(a for a, _ in tw.PAIRED_BOUNDS)
_PAIR_B = _alt(b for _, b in tw.PAIRED_BOUNDS)
_PAIR_FIRST = re.compile(rf"(?:{_PAIR_A})$")
_PAIR_SECOND = re.compile(rf"(?:{_PAIR_B})(?=\d)")
_PAIR_BEFORE = re.compile(rf"(?:{_PAIR_A})\d{{1,6}}[^\d,;。!?]{{0,3}}(?:{_PAIR_B})$")
# ``社团开始上课(共17次)``, ``讲座(2个班)``: a count in brackets annotates the entry before it.
# Whatever could give a unit-less number a bound, as in ``consider``: any of these before it.
_MAY_BIND = re.compile("|".join(f"(?:{p.pattern})" for p in (_OP_BEFORE, _PAIR_BEFORE, _PAIR_FIRST, _LINK)))
# What the text before a number ends with where _MAY_BIND or _BARE_RATE can match at all: the
# last character of a bound word, a sign, a link word, a pair's word or a rate's name.
_BIND_LAST = frozenset(
    w[-1]
    for w in (
        *tw.OP_BEFORE,
        *tw.OP_SIGNS,
        *tw.LINK_BEFORE,
        *_RATE_NAMES,
        *(w for pair in tw.PAIRED_BOUNDS for w in pair),
    )
)
_PAREN_OPEN = re.compile(r"\((?:共|共计|约|计)?[ \t]*$")
# Between two values of a 分别 list: a joiner, perhaps with the next value's own label
# (``分别为:小学95%、初中93%``).
_JOINER = re.compile(r"[ \t]*[、和及与][^\d,;。!?、]{0,12}")
_IN_NAME = re.compile(r"[^\d,;。!?、:]{0,2}率")
_RESPECTIVELY = "分别"
_TOTAL = re.compile(rf"(?:{_alt(tw.TOTAL_FALSE)})|{re.escape(tw.TOTAL_MARK)}")
_MEASURE_END = re.compile(rf"(?:{_alt(tw.MEASURE_ENDINGS)})$")
_GENERIC_RATE = 5  # a rate named in this many characters or fewer may refer back (测试合格率)
_GENERIC_NAME = 3  # 合格率, 满意度: a generic rate noun

# Something after the number that makes it part of a date, a time, a range, a version
# or a code: ``2019-03-25``, ``10:00``, ``3-5月``, ``2.0``, ``5G``.
_TAIL_JOIN = re.compile(r"[ \t]*(?:[-—–~～至到:/][ \t]*[\d一二三四五六七八九十两]|[A-Za-z])")
# What a match of _TAIL_JOIN begins with.
_TAIL_JOIN_AT = frozenset(" \t-—–~～至到:/" + string.ascii_letters)
_HEAD_JOIN = re.compile(r"(?:[\d一二三四五六七八九十两][ \t]*[-—–~～至到/:])[ \t]*$")

# Spans whose numbers are names or codes: quotes, titles, document numbers.
_PROTECTED = re.compile(
    r"《[^《》\n]{0,80}》|“[^“”\n]{0,40}”|\"[^\"\n]{0,40}\"|「[^「」\n]{0,40}」|『[^『』\n]{0,40}』"
    r"|〔[^〔〕\n]{0,12}〕|\[[^\[\]\n]{0,12}\]|【[^【】\n]{0,40}】"
)
_ANY_BREAK = re.compile(r"[,;。!?…、:()\t]")
_CLAUSE_BREAK = re.compile(r"[,;。!?…\t]")  # a table cell (TAB) is a clause of its own
_SENTENCE_BREAK = re.compile(r"[;。!?]")
_SOFT_BREAK = re.compile(r"[、:()\[\]“”\"《》「」]")

_LEADING = re.compile(
    rf"(?:[\s、,;:()\[\]“”\"《》·.\-—]+|(?:\d{{2,4}}|[xX×]{{2,4}}|20[xX]{{2}})年(?:度|底|末|内|初)?(?:前)?"
    rf"|(?:到|在|于)(?=\d|20[xX])|[上下]半年|标准(?!化)|{_alt(tw.LEADING_FILLERS)})"
)
_AFTER_LEADING = re.compile(rf"[ \t的]*(?:{_alt(tw.AFTER_LINKS)})(?!化)")
_TRAILING = re.compile(rf"(?:[\s、,;:()\[\]“”\"《》·.\-—]+|{_alt(tw.TRAILING_FILLERS)})$")
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、.]|[(][一二三四五六七八九十]{1,3}[)]|第[一二三四五六七八九十]{1,3}部分)"
)
# ``一、`` or ``(一)`` not right after a numeral, 、 or 第; like the number patterns it opens with
# its first character's class, the lookbehind spanning that character.
_INLINE_HEADING = re.compile(
    r"[(一二三四五六七八九十](?<![一二三四五六七八九十、第].)"
    r"(?:(?<=\()[一二三四五六七八九十]{1,3}\)|(?<=[一二三四五六七八九十])[一二三四五六七八九十]{0,2}、)"
)
_INLINE_HEADING_END = re.compile(r"[。;!?(:,]")
_INLINE_HEADING_LEN = 30
_HEADING_PAST = re.compile(_alt(tw.HEADING_PAST_WORDS))
_HEADING_PLAN = re.compile(_alt(tw.HEADING_PLAN_WORDS))
_HEADING_GOAL = re.compile(_alt(tw.HEADING_GOAL_WORDS))
_BY_YEAR = re.compile(r"(?:到|至|在|于)[ \t]*(?:19|20)\d\d年")  # ``到2025年,…``: the year a goal is due

_WINDOW = 80  # characters looked at before a number: keeps long lines linear
_MAX_INDICATOR = 40
_QUALIFIER_GAP = 4
_TITLE_LINES = 8  # a summary's title may follow a few lines of page junk
_NEAR = 10  # characters right before a number where op words, ordinals and codes sit
_TEXT_REACH = 300  # a target's text: its clause, at most this far either side of the number


def _text_span(clause: tuple[int, int], ns: int, ne: int) -> tuple[int, int]:
    """The clause around a number, cut to ``_TEXT_REACH`` either side: a line with no
    punctuation and thousands of numbers must not copy itself into every target."""
    return max(clause[0], ns - _TEXT_REACH), min(clause[1], ne + _TEXT_REACH)


# ---------------------------------------------------------------- helpers


def _cn_value(text: str) -> float | None:
    """The value of a Chinese numeral (``三``, ``十二``, ``一百五十``, ``两万``), or None."""
    total = 0
    section = 0
    digit: int | None = None
    for ch in text:
        if ch in tw.CN_DIGITS:
            if digit is not None:  # 一二 is not a number
                return None
            digit = tw.CN_DIGITS[ch]
        elif ch in tw.CN_SMALL_UNITS:
            section += (1 if digit is None else digit) * tw.CN_SMALL_UNITS[ch]
            digit = None
        elif ch in tw.CN_BIG_UNITS:
            section += digit or 0
            total += (section or 1) * tw.CN_BIG_UNITS[ch]
            section = 0
            digit = None
        else:
            return None
    return float(total + section + (digit or 0))


def _number_value(whole: str, frac: str | None) -> float | int:
    if frac is None and whole.isdecimal():
        return int(whole)  # what float() then int() gives for up to 12 digits, the common case
    value = float(whole.replace(",", "").replace(" ", "") + ("." + frac if frac else ""))
    return int(value) if value.is_integer() else value


class _Line:
    """One line's boundaries, computed once so every number is looked up in log time."""

    __slots__ = ("_clauses", "_protected", "_sentences", "_soft", "folded", "original")

    def __init__(self, original: str, folded: str) -> None:
        self.original = original
        self.folded = folded
        # Found when first asked: most lines' numbers are dropped before any boundary is needed.
        self._clauses: list[int] | None = None
        self._sentences: list[int] | None = None
        self._soft: list[int] | None = None
        self._protected: list[tuple[int, int]] | None = None

    @property
    def clauses(self) -> list[int]:
        if self._clauses is None:
            found = _CLAUSE_BREAK.finditer(self.folded)
            self._clauses = [m.start() for m in found if not self._thousands(m.start())]
        return self._clauses

    @property
    def sentences(self) -> list[int]:
        if self._sentences is None:
            self._sentences = [m.start() for m in _SENTENCE_BREAK.finditer(self.folded)]
        return self._sentences

    @property
    def soft(self) -> list[int]:
        if self._soft is None:
            self._soft = [m.start() for m in _SOFT_BREAK.finditer(self.folded)]
        return self._soft

    @property
    def protected(self) -> list[tuple[int, int]]:
        if self._protected is None:
            self._protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(self.folded)]
        return self._protected

    def _thousands(self, i: int) -> bool:
        """A comma written as ASCII between digit groups (``1,200``) is no clause break."""
        f = self.folded
        return (
            f[i] == ","
            and self.original[i] == ","
            and i > 0
            and f[i - 1].isdigit()
            and f[i + 1 : i + 4].isdigit()
            and not f[i + 4 : i + 5].isdigit()
        )

    @staticmethod
    def _span(breaks: list[int], pos: int, length: int) -> tuple[int, int]:
        k = bisect_right(breaks, pos - 1)
        start = breaks[k - 1] + 1 if k else 0
        end = breaks[k] if k < len(breaks) else length
        return start, end

    def clause(self, pos: int) -> tuple[int, int]:
        return self._span(self.clauses, pos, len(self.folded))

    def sentence(self, pos: int) -> tuple[int, int]:
        return self._span(self.sentences, pos, len(self.folded))

    def sentence_start(self, pos: int) -> int:
        return self._span(self.sentences, pos, len(self.folded))[0]

    def in_protected(self, pos: int) -> bool:
        k = bisect_right(self.protected, (pos, len(self.folded) + 1)) - 1
        return k >= 0 and self.protected[k][0] < pos < self.protected[k][1]

    def soft_breaks_between(self, start: int, end: int) -> list[int]:
        return self.soft[bisect_left(self.soft, start) : bisect_left(self.soft, end)]


def _clean(phrase: str, noun_phrase: bool = False) -> tuple[int, int]:
    """Offsets (inside ``phrase``) of the phrase without leading verbs/scope and trailing adverbs.

    ``noun_phrase``: the phrase follows a count (``39个新建或改扩建项目``), so its verbs
    belong to the name; only a linking word (``标准落实…``, ``用于…``) and what follows it
    is stripped.
    """
    start, end = 0, len(phrase)
    if noun_phrase:
        m = _AFTER_LEADING.match(phrase)
        if not m:
            start = len(phrase) - len(phrase.lstrip(" \t的"))
            return _trim_end(phrase, start, end)
        start = m.end()
    for _ in range(12):
        m = _LEADING.match(phrase, start, end)
        if not m or m.end() == start:
            break
        rest = phrase[m.end() : end]
        if len(rest) == 1 or (rest and rest[0] in tw.BOUND_HEADS):
            break
        start = m.end()
    return _trim_end(phrase, start, end)


def _trim_end(phrase: str, start: int, end: int) -> tuple[int, int]:
    for _ in range(8):
        m = _TRAILING.search(phrase[start:end])
        if not m or m.start() == m.end():
            break
        end = start + m.start()
    return start, end


# ---------------------------------------------------------------- a candidate number


def _never(pos: int) -> bool:
    return False


class _Finder:
    def __init__(self, line: _Line, lineno: int) -> None:
        self.ln = line
        self.lineno = lineno
        self.prev_end = 0  # end of the previous number (and its unit) on this line
        # (op, unit, end, indicator span) of the previous target on this line
        self.prev: tuple[str, str | None, int, tuple[int, int] | None] | None = None
        self.respective = 0  # how many values of a 分别 list came before this one
        self.past_at = _never
        self.goal_at = _never

    # -- indicator --------------------------------------------------------

    def _phrase(self, start: int, end: int, noun_phrase: bool = False) -> tuple[int, int] | None:
        if end <= start:
            return None
        s, e = _clean(self.ln.folded[start:end], noun_phrase)
        if e - s < 2:
            return None
        return start + s, start + e

    def _before(self, seg_start: int, end: int) -> tuple[int, int] | None:
        """The nearest non-empty phrase before ``end``, walking back over soft breaks."""
        cuts = [seg_start, *(b + 1 for b in self.ln.soft_breaks_between(seg_start, end))]
        for cut in reversed(cuts):
            found = self._phrase(cut, end)
            if found:
                s, e = found
                return max(s, e - _MAX_INDICATOR), e
        return None

    def _after(self, start: int, clause_end: int, next_start: int) -> tuple[int, int] | None:
        f = self.ln.folded
        end = min(clause_end, next_start, start + _WINDOW)
        while start < end and f[start] in " \t的":
            start += 1
        if start < end and f[start] in "、:)”":
            return None
        found = self._phrase(start, end, noun_phrase=True)
        if found:
            s, e = found
            return s, min(e, s + _MAX_INDICATOR)
        return None

    def _previous_clause(self, clause_start: int) -> tuple[int, int] | None:
        if clause_start < 2:
            return None
        prev_start, prev_end = self.ln.clause(clause_start - 2)
        sentence = self.ln.sentence_start(clause_start - 1)
        if prev_start < sentence:
            return None
        return self._phrase(max(prev_start, prev_end - _WINDOW), prev_end)

    def indicator(
        self, ns: int, op_start: int | None, after_start: int, clause: tuple[int, int], next_start: int
    ) -> tuple[int, int] | None:
        # Phrases are looked for within _WINDOW of the number: a clause of thousands of soft breaks
        # (、、、…) made every number walk back over all of them, each walk trimming a longer phrase.
        seg_start = max(clause[0], self.prev_end, ns - _WINDOW)
        after = self._after(after_start, clause[1], next_start)
        if op_start is not None:
            return self._before(seg_start, op_start) or after
        if after and self.ln.folded[after[0] : after[1]] not in tw.GENERIC_INDICATORS:
            return after
        return (
            self._before(seg_start, ns)
            or after
            or self._previous_clause(clause[0])
            or self._raw(seg_start, op_start if op_start is not None else ns)
        )

    def _raw(self, start: int, end: int) -> tuple[int, int] | None:
        """The words before the number as they stand (``新建22所`` → 新建), the last resort."""
        f = self.ln.folded
        while start < end and not f[start].isalnum():
            start += 1
        while end > start and not f[end - 1].isalnum():
            end -= 1
        return (max(start, end - _MAX_INDICATOR), end) if end - start >= 2 else None

    # -- one number ---------------------------------------------------------

    def consider(
        self,
        ns: int,
        ne: int,
        value: float | int,
        chinese: bool,
        percent_word: bool,
        next_start: int,
        unit_of: tuple[str | None, int, int, str | None],
    ) -> Target | None:
        """The target the number sets, or None; ``unit_of`` is ``_unit_after`` of the number."""
        ln = self.ln
        f = ln.folded
        if f[ne : ne + 1] in _TAIL_JOIN_AT and _TAIL_JOIN.match(f, ne):
            return None
        infix, unit_s, unit_e, unit = unit_of
        lo = max(0, ns - _WINDOW)
        head = f[lo:ns]
        near = f[max(0, ns - _NEAR) : ns]  # the few characters right before the number
        if unit is None and self.prev is None:
            # No unit and nothing a bound could come from (an op word, a pair, a link, a bare
            # rate, the 分别 list of a previous target): the exclusion below that needs a unit or
            # a bound would drop it; most numbers of a plan (list numbers, codes) end here.
            close = near.rstrip(" \t")
            if close[-1:] not in _BIND_LAST and not close.endswith("\n"):
                return None  # neither _BARE_RATE nor _MAY_BIND can match (see _BIND_LAST)
            if (chinese or value > 1000 or not _BARE_RATE.search(close)) and not _MAY_BIND.search(close):
                return None
        if ln.in_protected(ns) or _ORDINAL.search(near) or _CODE.search(near) or _HEAD_JOIN.search(near):
            return None
        clause = ln.clause(ns)
        c_start, c_end = clause
        sent_start, sent_end = ln.sentence(ns)
        sent_start = max(sent_start, lo)
        clause_text = f[max(c_start, lo) : min(c_end, ne + _WINDOW)]
        before_clause = f[max(c_start, lo) : ns]
        sentence_before = f[sent_start:ns]
        close = near.rstrip(" \t")

        # A number that lost its % sign, right after a rate's name: ``满意率在80以上``.
        bare_rate = unit is None and not chinese and value <= 1000 and bool(_BARE_RATE.search(close))
        after = unit_e
        post = _OP_AFTER.match(f, after) if unit or bare_rate else None
        post_op = tw.OP_AFTER[post.group(1)] if post else None
        if post:
            after = post.end()
        if bare_rate and post is None and not _OP_BEFORE.search(close):
            bare_rate = False
        link_word = _LINK_WORD.search(close) if bare_rate else None
        annotation = bool(_PAREN_OPEN.search(near)) and f[after : after + 1] == ")"

        pre = _OP_BEFORE.search(close)
        pre_op = _OPS[pre.group(0).strip(" \t")] if pre else None
        op_start = ns - len(near) + pre.start() if pre else None
        has_pre = pre is not None
        change = False
        linked = False
        inherited: tuple[str, str | None, int] | None = None
        if not has_pre:
            pair = _PAIR_BEFORE.search(close)
            if pair or (_PAIR_FIRST.search(close) and _PAIR_SECOND.match(f, after)):
                # ``保3争4``: both numbers are lower bounds.
                pre_op, has_pre = ">=", True
                op_start = ns - len(near) + (pair.start() if pair else _PAIR_FIRST.search(close).start())
            elif _CHANGE.search(close):
                change = True  # ``提升3个百分点``: the number is the change itself
            elif (
                _LINK.search(close) or (unit in _RATE_UNITS and _SHARE.search(near))
            ) and not _PRESENT.search(sentence_before):
                pre_op, has_pre = "=", True  # ``毛入学率为93%``
                linked = True
                link = _LINK_WORD.search(close)
                op_start = (
                    ns - len(near) + link.start() if link else ns - len(near) + _SHARE.search(near).start()
                )
            elif self.prev is not None and _JOINER.fullmatch(f, self.prev[2], ns):
                if _RESPECTIVELY in f[max(sent_start, self.prev[2] - _WINDOW) : self.prev[2]]:
                    # ``A、B分别达到90%、95%``: later values take the first one's comparison.
                    inherited = self.prev[:3]
                    pre_op, has_pre = self.prev[0], True
                    if unit is None:
                        unit = self.prev[1]
        if link_word is not None and op_start is None:
            op_start = ns - len(near) + link_word.start()
        if not has_pre and not change:  # ``至少办1所``: a bound word with a short verb between
            gap = _OP_GAP.search(near)
            if gap:
                pre_op = tw.OP_BEFORE[gap.group(1)]  # the thing counted follows the number

        is_rate = unit in _RATE_UNITS or bare_rate

        # Rates may name their comparison further back (``达实际参考人数55%以上``).
        if not has_pre and not change and is_rate:
            seg = f[max(c_start, self.prev_end, lo) : ns]
            # an op word inside the rate's own name (达标率, 达线率) is no comparison
            ops = [m for m in _OP_BEFORE_ANY.finditer(seg) if not _IN_NAME.match(seg, m.end())]
            if ops and tw.OP_BEFORE[ops[-1].group(0)] != "~":
                pre_op = tw.OP_BEFORE[ops[-1].group(0)]
                op_start = max(c_start, self.prev_end, lo) + ops[-1].start()

        # -- exclusions
        if unit is None and not has_pre and not (bare_rate and post):
            return None
        if unit is None and isinstance(value, int) and 1900 <= value <= 2100:
            return None
        if pre_op is None and (_DE_BEFORE.search(near) or _PER.search(near)):
            return None
        if _CONDITION.search(before_clause) or _DESCRIBING.search(before_clause):
            return None
        if not (pre_op or post_op) and _DESCRIBING.search(sentence_before):
            return None  # ``全市共有幼儿园99所,…专任教师1556人``
        if not has_pre and any(m.group(0) == tw.TOTAL_MARK for m in _TOTAL.finditer(before_clause)):
            return None  # ``本学期共开展40次``: a total
        if self.past_at(ns):
            # A review of past work: only a clause that looks ahead sets a goal.
            if not _FORWARD.search(f[c_start:c_end]):
                return None
        elif _PAST.search(clause_text) or _PAST.search(sentence_before) or _COMPARED.search(before_clause):
            return None
        # 了/已 after the number mark the sentence as done, but not from a later table cell
        # (``巩固率达到99%<TAB>已完成98%``: a progress column).
        reach = min(sent_end, ne + _WINDOW)
        cell_end = f.find("\t", ne, reach)
        if _PAST.search(before_clause) or self._le(f[sent_start : reach if cell_end < 0 else cell_end]):
            return None
        # ``56人以上大班额``: a number with 以上 that qualifies the noun after it is no goal.
        if post and not has_pre and not _PUNCT_OR_END.match(f, post.end()):
            return None
        goal_before = bool(_GOAL.search(sentence_before))
        if annotation and not _GOAL.search(before_clause):
            return None  # ``讲座(2个班)``: a count in brackets annotates the entry before it
        if linked and not post_op:
            # ``入学率为93%`` states a value; it is a goal only where goals are set.
            looks_ahead = goal_before or _FORWARD.search(sentence_before) or _BY_YEAR.search(sentence_before)
            if not (looks_ahead or self.goal_at(ns)) or _PAST.search(
                f[sent_start : min(sent_end, ne + _WINDOW)]
            ):
                return None
        # a rate's change (``下降2个百分点``) is set as a goal; a count's change needs a goal word
        goal = goal_before or bool(_GOAL.search(clause_text)) or (change and is_rate)
        # ``政府有15000元补助``: a state, unless a goal word before it governs the number.
        if not has_pre and _DESCRIPTIVE.search(close) and not goal_before:
            return None
        if chinese:
            if value < 2 or unit not in _COUNT_UNITS or not _CN_VERB.search(head):
                return None
            nxt = f[unit_e : unit_e + 1]
            if nxt and (nxt in '一“"「《大' or _CN_DIGIT_RUN.match(nxt)):
                return None
            thing = self._after(after, c_end, next_start)
            if thing is None or not _INDICATOR_END.search(f[thing[0] : thing[1]]):
                return None
        elif not (pre_op or post_op or infix or goal or _BAN.search(near)):
            return None
        # ``推进233所学校239座改造项目``: a count right before another number only scopes it.
        if not (pre_op or post_op) and next_start < c_end and next_start - after <= _QUALIFIER_GAP:
            if not _ANY_BREAK.search(f, after, next_start):
                return None

        # -- comparison
        if post_op:
            op = post_op
        elif infix:
            op = "~"
        elif change:
            op = "="
        elif pre_op:
            op = pre_op
        elif is_rate and value == 100 and unit == "%":
            op = ">="
        else:
            op = "="

        if inherited is not None and self.prev is not None:
            span = self.prev[3]
        else:
            span = self.indicator(ns, op_start, after, clause, next_start)
        o = ln.original
        if span is None and self.prev is not None and self.prev[3] is not None and self.prev[2] >= sent_start:
            span = self.prev[3]  # ``…提升3个百分点,力争达到89.02%以上``: the same indicator
        if inherited is not None:
            self.respective += 1
        else:
            self.respective = 0
        if span is None:
            span = self._previous_clause(c_start)  # ``巩固率\t达到99%``: the label in the cell before
        indicator = o[span[0] : span[1]].strip() if span else ""
        shared = self._respective(f, o, span, c_start)
        if shared:
            indicator = shared
        t_start, t_end = _text_span(clause, ns, ne)
        if span and c_start >= 2 and self._anaphoric(f, span, c_start):
            # ``…书面测试。合格率在90以上``: the rate of what the clause before names.
            t_start = max(ln.clause(c_start - 2)[0], ns - _TEXT_REACH)
        if span and span[0] < t_start:
            t_start = max(span[0], ns - _TEXT_REACH)
        text = o[t_start:t_end].strip()
        if percent_word:
            unit_text: str | None = "%"
        elif unit_e > unit_s:
            unit_text = o[unit_s:unit_e].strip() or None
        else:
            unit_text = inherited[1] if inherited else None
        self.prev_end = after
        self.prev = (op, unit_text, after, span)
        return Target(
            indicator=indicator,
            text=text,
            op=op,
            value=value,
            unit=unit_text,
            line=self.lineno,
        )

    def _anaphoric(self, f: str, span: tuple[int, int], c_start: int) -> bool:
        """A rate named only by its generic noun at the head of its clause (``合格率``), or by a
        word that ends the clause before (``…书面测试,测试合格率``), refers back to that clause."""
        name = f[span[0] : span[1]]
        if len(name) > _GENERIC_RATE or not name.endswith(("率", "度")):
            return False
        if len(f[c_start : span[0]].strip(" \t、.0123456789")) > 1:
            return False
        stem = name[:-_GENERIC_NAME]
        return not stem or f[max(0, c_start - 1 - _NEAR) : c_start - 1].rstrip(" \t").endswith(stem)

    def _respective(self, f: str, o: str, span: tuple[int, int] | None, c_start: int) -> str | None:
        """``小学、初中入学率分别达到99%、98.5%``: the k-th value names the k-th subject, with the
        head noun the last subject carries (小学 → 小学入学率)."""
        if span is None or f.find(_RESPECTIVELY, span[1], span[1] + 4) < 0:
            return None
        whole = self._phrase(max(c_start, span[1] - _WINDOW), span[1])
        if whole is None:
            return None
        start, end = whole
        parts = f[start:end].split("、")
        k = self.respective
        if len(parts) < 2 or k >= len(parts) or any(not p for p in parts):
            return None
        offsets = [start]
        for part in parts[:-1]:
            offsets.append(offsets[-1] + len(part) + 1)
        own = o[offsets[k] : offsets[k] + len(parts[k])]
        last = parts[-1]
        if k == len(parts) - 1 or _MEASURE_END.search(parts[k]) or len(last) <= len(parts[k]):
            return own.strip()
        return (own + o[offsets[-1] + len(parts[k]) : end]).strip()

    @staticmethod
    def _le(text: str) -> bool:
        """A 了 or 已 that marks work as done (not 了解, 为了 …)."""
        if "已" in text:
            return True
        return any(
            not _LE_FALSE.match(text, max(0, m.start() - 1)) and not _LE_FALSE.match(text, m.start())
            for m in _LE.finditer(text)
        )


# ---------------------------------------------------------------- public


def _unit_after(f: str, ne: int, percent_word: bool) -> tuple[str | None, int, int, str | None] | None:
    """(infix, unit start, unit end, unit) after a number ending at ``ne``, or None where the
    unit makes it no target (a time, an age, an ordinal: NON_TARGET_UNITS) or an infix has no
    unit after it (``100多``)."""
    if percent_word:
        return None, ne, ne, "%"
    at = f[ne : ne + 1]
    if at not in _UNIT_AT:
        # no match of _UNIT can begin here: it matches the empty string, as without a unit
        return None, ne, ne, None
    if at in _BLANK:  # a table cell's number, mostly: _UNIT's unit group would start past the blanks
        after = _BLANKS.match(f, ne).end()
        if f[after : after + 1] not in _UNIT_WORD_AT:
            return None, after, after, None
    um = _UNIT.match(f, ne)
    infix = um.group("infix") if um else None
    unit_s, unit_e = (um.start("unit"), um.end("unit")) if um else (ne, ne)
    unit = f[unit_s:unit_e] or None
    base = um.group("base") if um else None
    if base in _NON_TARGET_UNITS:
        return None
    if infix and not unit:
        return None
    return infix, unit_s, unit_e, unit


def _numbers(folded: str) -> list[tuple[int, int, float | int, bool, bool]]:
    """(start, end, value, chinese, percent_word) for every number on the line, in order."""
    found: list[tuple[int, int, float | int, bool, bool]] = []
    for m in _ARABIC.finditer(folded):
        whole, frac = m.groups()
        if frac is None and whole.isdecimal():
            value: float | int = int(whole)  # _number_value's first case, without the call
        else:
            try:
                value = _number_value(whole, frac)
            except ValueError:
                continue
        found.append((*m.span(), value, False, False))
    arabic = len(found)
    for m in _CN_NUMBER.finditer(folded):
        start, end = m.span()
        if start and (folded[start - 1].isdigit() or folded[start - 1] == "."):
            continue
        numeral = m.group()
        percent = numeral.startswith(_PERCENT_WORD)
        if percent:
            numeral = numeral[len(_PERCENT_WORD) :]
        else:
            # only a count unit makes a bare numeral a number; one that no unit match can
            # begin with (_COUNT_UNIT_AT) spares the unit pattern
            if folded[end : end + 1] not in _COUNT_UNIT_AT:
                continue
            um = _UNIT.match(folded, end)
            if not um or um.group("base") not in _COUNT_UNITS:
                continue
        cn = _cn_value(numeral)
        if cn is None:
            continue
        value = int(cn) if cn.is_integer() else cn
        found.append((start, end, value, not percent, percent))
    if arabic and len(found) > arabic:  # each pattern's matches come in order already
        found.sort()
    return found


class _Sections:
    """Whether a line sits in a review of past work (工作回顾, 基本情况, a summary's body).

    A numbered heading or the title with a PAST word opens such a section at its level
    (title 0, ``一、`` 1, ``(一)`` 2); a later heading at the same or a higher level closes
    it, and a heading with a PLAN word closes it from level 1 up, so ``二、2021年工作计划``
    ends a summary while ``(一)紧盯目标`` inside it does not.
    """

    def __init__(self) -> None:
        self.level: int | None = None
        self.goal: int | None = None  # level of an open goal section (主要目标, 发展指标)
        self.seen = 0

    def _state(self, pos: int) -> tuple[int, bool, bool]:
        return pos, self.level is not None, self.goal is not None

    def past(self, folded: str) -> list[tuple[int, bool, bool]]:
        """(offset, in a past section, in a goal section) from there on, first at offset 0.

        Besides a heading line, a heading run into a long line (``…思路一、2024年工作总结(一)…``,
        pages that lost their line breaks) opens or closes a section where it stands; such an
        inline heading opens a section only with a PAST word, since ``一、二年级`` is no heading.
        """
        self.seen += 1
        text = folded.strip()
        level = None
        if len(text) <= 60:
            m = _HEADING.match(text)
            if m:
                level = 2 if text.startswith("(") else 1
            elif self.seen <= _TITLE_LINES and "。" not in text:
                level = 0
        if level is not None:
            # a heading line may run on into its first measure: judge the heading alone
            self._heading(level, _SENTENCE_BREAK.split(text, maxsplit=1)[0] if level else text, inline=False)
        states = [self._state(0)]
        if level == 0:
            return states
        lead = -1  # the line's leading blanks, measured at its first inline heading
        for m in _INLINE_HEADING.finditer(folded):
            if lead < 0:
                lead = len(folded) - len(folded.lstrip())
            if m.start() <= lead:
                continue
            heading = _INLINE_HEADING_END.split(folded[m.end() : m.end() + _INLINE_HEADING_LEN], maxsplit=1)[
                0
            ]
            before = (self.level, self.goal)
            self._heading(2 if m.group(0).startswith("(") else 1, heading, inline=True)
            if (self.level, self.goal) != before:
                states.append(self._state(m.start()))
        return states

    def _heading(self, level: int, text: str, inline: bool) -> None:
        if level and _HEADING_GOAL.search(text):
            self.goal = level if self.goal is None or level <= self.goal else self.goal
        elif self.goal is not None and level <= self.goal and (not inline or _HEADING_PLAN.search(text)):
            self.goal = None
        plan = bool(_HEADING_PLAN.search(text))
        past = bool(_HEADING_PAST.search(text)) and not plan
        if past:
            if self.level is None or level <= self.level:
                self.level = level
        elif (inline or level == 0) and not plan and (self.level is None or level > self.level or level == 0):
            # a title-like line near the top (a page date, a site name) does not end a summary
            return
        elif self.level is not None and (level <= self.level or (plan and level <= max(self.level, 1))):
            self.level = None


def _state_at(states: list[tuple[int, bool, bool]], which: int) -> Callable[[int], bool]:
    """Whether the position sits in a past (``which`` 1) or a goal (2) section."""
    if len(states) == 1:
        flag = states[0][which]
        return lambda pos: flag
    starts = [s[0] for s in states]
    return lambda pos: states[bisect_right(starts, pos) - 1][which]


# ---------------------------------------------------------------- tables

_UNIT_WORDS = rf"(?:{_alt(tw.UNIT_MULTIPLIERS)})?(?:{_alt(tw.TARGET_UNITS)})"
# ``巩固率(%)``, ``投入(万元)``, ``单位:所``: the unit every number under (or beside) it takes.
_HEADER_UNIT = re.compile(
    rf"(?:\([ \t]*(?P<a>{_UNIT_WORDS})[ \t]*\)|单位[ \t]*:[ \t]*(?P<b>{_UNIT_WORDS}))[ \t]*$"
)
_CELL_NUMBER = re.compile(
    rf"[ \t]*(?P<pre>{_alt([*tw.OP_BEFORE, *tw.OP_SIGNS])})?[ \t]*(?P<num>\d{{1,9}}(?:\.\d{{1,6}})?)"
    rf"[ \t]*(?P<unit>{_UNIT_WORDS})?[ \t]*(?P<post>{_alt(tw.OP_AFTER)})?[ \t]*"
)
_TABLE_NON_GOAL = re.compile(_alt(tw.TABLE_NON_GOAL_HEADERS))
_TABLE_GOAL = re.compile(_alt(tw.TABLE_GOAL_HEADERS))
_TABLE_CAPTION = re.compile(_alt([*tw.TABLE_GOAL_HEADERS, *tw.TABLE_CAPTION_WORDS]))
_YEAR_HEADER = re.compile(r"[ \t]*((?:19|20)\d\d)年?(?:度|底|末)?[ \t]*(?:\([^()]{0,12}\))?[ \t]*")
_MD_RULE = re.compile(r"[ \t|:\-]*")
_MAX_CELLS = 40  # a row with more cells than this is no table of indicators


def _cells(line: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The separator and the (start, end) of every cell of a table row, or None for prose."""
    sep = "\t" if "\t" in line else ("|" if line.count("|") >= 2 else None)
    if sep is None:
        return None
    parts = line.split(sep)
    if len(parts) > _MAX_CELLS + 1:  # more separators than _MAX_CELLS
        return None
    spans: list[tuple[int, int]] = []
    start = 0
    for part in parts:
        end = start + len(part)
        spans.append((start, end))
        start = end + 1
    if sep == "|":  # Markdown rows begin and end with a pipe
        if spans and not line[spans[0][0] : spans[0][1]].strip():
            spans = spans[1:]
        if spans and not line[spans[-1][0] : spans[-1][1]].strip():
            spans = spans[:-1]
    return (sep, spans) if len(spans) >= 2 else None


def _header_unit(cell: str) -> tuple[str, int] | None:
    """(unit, where the name ends) of a header or label cell that states a unit."""
    m = _HEADER_UNIT.search(cell)
    if not m:
        return None
    return (m.group("a") or m.group("b")), m.start()


def _table_targets(
    lines: list[str], folded: list[str], skip: set[int], sections: dict[int, list[tuple[int, bool, bool]]]
) -> tuple[list[Target], set[tuple[int, float]]]:
    """Targets from tables whose numbers carry no unit of their own: the unit stands in the
    column's header (``巩固率(%)``) or the row's label (``入园率(%) | 95``). Only rows of the same
    table (consecutive rows with the same separator and cell count) take a header's unit.
    A table under a review of past work reports results and gives none; one under a goal
    heading lists goals. Also returns the (line, value) pairs claimed, so the sentence reader
    does not repeat them."""
    found: list[Target] = []
    claimed: set[tuple[int, float]] = set()
    # every row split once: a row is looked at as a block's next row, as a block's start and
    # again when its table is read; only a line with a TAB or a pipe can be a row
    cells = [_cells(f) if ("\t" in f or "|" in f) else None for f in folded]
    i = 0
    n = len(folded)
    while i < n:
        row = None if i in skip else cells[i]
        if row is None:
            i += 1
            continue
        sep = row[0]
        block = [i]
        j = i + 1
        while j < n and j not in skip:
            nxt = cells[j]
            if nxt is None or nxt[0] != sep:
                break
            if not _MD_RULE.fullmatch(folded[j]):
                block.append(j)
            j += 1
        state = sections.get(i)
        if len(block) >= 2 and not (state and state[0][1]):
            _read_table(lines, folded, cells, block, found, claimed, bool(state and state[0][2]))
        i = j
    return found, claimed


def _column_has_number(folded: list[str], rows: list[tuple[int, list[tuple[int, int]]]], k: int) -> bool:
    """Whether some row's k-th cell is a number (a plain loop: no generator per column)."""
    fullmatch = _CELL_NUMBER.fullmatch
    for r, spans in rows:
        a, b = spans[k]
        if fullmatch(folded[r], a, b):
            return True
    return False


def _label_cell(f: str, spans: list[tuple[int, int]]) -> int | None:
    """The first cell of a row with text that is no number: the row's label."""
    for k, (a, b) in enumerate(spans):
        if f[a:b].strip() and not _CELL_NUMBER.fullmatch(f, a, b):
            return k
    return None


def _read_table(
    lines: list[str],
    folded: list[str],
    cells: list[tuple[str, list[tuple[int, int]]] | None],
    block: list[int],
    found: list[Target],
    claimed: set[tuple[int, float]],
    in_goal_section: bool,
) -> None:
    head = block[0]
    hf = folded[head]
    _, hspans = cells[head] or ("", [])
    headers = [hf[a:b].strip() for a, b in hspans]
    ho = lines[head] if head < len(lines) and len(lines[head]) == len(hf) else hf
    head_cells = [ho[a:b].strip() for a, b in hspans]
    width = len(headers)
    units = [_header_unit(h) for h in headers]
    rows = [(r, cells[r]) for r in block[1:]]
    rows = [(r, c[1]) for r, c in rows if c is not None and len(c[1]) == width]
    if not rows:
        return
    numeric = [
        k
        for k in range(width)
        if not _TABLE_NON_GOAL.search(headers[k]) and _column_has_number(folded, rows, k)
    ]
    goal_cols = [k for k in numeric if _TABLE_GOAL.search(headers[k])]
    caption = " ".join(folded[max(0, head - 2) : head + 1])
    goal_table = bool(goal_cols) or in_goal_section or bool(_TABLE_CAPTION.search(caption))
    if goal_cols:
        numeric = goal_cols
    else:
        years = [(int(m.group(1)), k) for k in numeric if (m := _YEAR_HEADER.fullmatch(headers[k]))]
        if len(years) >= 2:  # ``2020年 | 2025年``: the latest year is the goal
            numeric = [max(years)[1]]
    for r, spans in rows:
        f = folded[r]
        o = lines[r] if r < len(lines) and len(lines[r]) == len(f) else f
        label_k = _label_cell(f, spans)
        if label_k is None:
            continue
        la, lb = spans[label_k]
        row_unit = _header_unit(f[la:lb])
        for k in numeric:
            if k == label_k:
                continue
            m = _CELL_NUMBER.fullmatch(f, *spans[k])
            if m is None:
                continue
            unit_of = row_unit or units[k]
            own = m.group("unit")
            if own:  # a cell's own unit comes first: ``95%`` under 目标值
                unit_of = (o[m.start("unit") : m.end("unit")], 0)
            if unit_of is None:
                continue
            unit = unit_of[0]
            whole, _, frac = m.group("num").partition(".")
            value = _number_value(whole, frac or None)
            pre, post = m.group("pre"), m.group("post")
            if not (pre or post or goal_table):
                continue  # a table of values with no goal in sight reports a state
            op = tw.OP_AFTER[post] if post else (_OPS[pre] if pre else "=")
            label = o[la : la + row_unit[1]].strip() if row_unit else o[la:lb].strip()
            column = head_cells[k][: units[k][1]].strip() if units[k] else ""
            if not row_unit and column and _MEASURE_END.search(column):
                label += column  # ``一中 | 巩固率(%)`` → 一中巩固率
            found.append(
                Target(
                    indicator=label,
                    text=o[la:lb].strip() + " " + o[spans[k][0] : spans[k][1]].strip(),
                    op=op,
                    value=value,
                    unit=unit,
                    line=r + 1,
                )
            )
            claimed.add((r, float(value)))


def find_targets(lines: list[str], folded: list[str], skip: set[int] | None = None) -> list[Target]:
    """Every quantified goal on the lines, in document order (see the module docstring).

    ``folded[i]`` is ``eduplan.text.fold(lines[i])``; ``skip`` holds 0-based indexes of
    lines to ignore. Never raises on text; a target printed twice is kept once.
    """
    skip = skip or set()
    sections = _Sections()
    section_states: dict[int, list[tuple[int, bool, bool]]] = {}
    for i, f in enumerate(folded):
        if i in skip or not f or not f.strip():
            continue
        try:
            section_states[i] = sections.past(f)
        except Exception:  # one odd line must never sink the document
            continue
    try:
        table, claimed = _table_targets(lines, folded, skip, section_states)
    except Exception:  # a table that cannot be read leaves its lines to the sentence reader
        table, claimed = [], set()
    targets: list[Target] = []
    seen: set[tuple[str, int, float, str | None, str]] = set()
    for i, f in enumerate(folded):
        states = section_states.get(i)
        if states is None:
            continue
        try:
            numbers = _numbers(f)
            if not numbers:
                continue
            finder: _Finder | None = None  # made for the first number that may be a target
            last_end = -1
            for k, (ns, ne, value, chinese, percent_word) in enumerate(numbers):
                if ns < last_end:
                    continue
                unit_of = _unit_after(f, ne, percent_word)
                if unit_of is None:
                    last_end = ne
                    continue
                if unit_of[3] is None and (finder is None or finder.prev is None):
                    # consider's first gate, without the call: no unit, no earlier target on the
                    # line and nothing before the number a bound could come from (most numbers)
                    close = f[max(0, ns - _NEAR) : ns].rstrip(" \t")
                    if close[-1:] not in _BIND_LAST and not close.endswith("\n"):
                        last_end = ne
                        continue
                if finder is None:
                    original = lines[i] if i < len(lines) else f
                    if len(original) != len(f):
                        original = f
                    finder = _Finder(_Line(original, f), i + 1)
                    finder.past_at = _state_at(states, 1)
                    finder.goal_at = _state_at(states, 2)
                next_start = numbers[k + 1][0] if k + 1 < len(numbers) else len(f)
                target = finder.consider(ns, ne, value, chinese, percent_word, next_start, unit_of)
                last_end = ne
                if target is None or (i, float(value)) in claimed:
                    continue
                c_start, c_end = _text_span(finder.ln.clause(ns), ns, ne)
                key = (f[c_start:c_end].strip(), ns - c_start, float(value), target.unit, target.op)
                if key in seen:
                    continue
                seen.add(key)
                targets.append(target)
        except Exception:  # one odd line must never sink the document
            continue
    if table:
        targets = sorted([*targets, *table], key=lambda t: t.line)
    return targets
