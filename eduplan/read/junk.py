"""Page junk as data: lines a web page adds around a document, and how to spot them.

Everything a person would have to tell apart by eye lives in the tables below, so a
new site's furniture is a new row, not a new branch of code. ``junk_line`` answers for
one line; ``drop_related_blocks`` removes a "related articles" list (a heading line and
the short link titles after it); ``remove_junk`` does both. Lines that name the
issuer or publication date (来源、发布时间) are never junk.
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse
from collections.abc import Iterable

# (pattern, longest line it may match). A pattern only condemns a short line, so a
# sentence that happens to contain "版权所有" inside a paragraph survives.
JUNK_PATTERNS: tuple[tuple[str, int], ...] = (
    # Share bars, QR codes, page tools.
    (
        r"^(?:微信|手机|手機)?(?:扫一扫|掃一掃)|在手机打开|在手機打開|当前页$|當前頁$"
        r"|扫描.{0,4}二维码.{0,6}(?:分享|关注|打开|阅读|浏览)|掃描.{0,4}二維碼.{0,6}(?:分享|關注|打開|閱讀|瀏覽)",
        40,
    ),
    (
        r"打印本[页頁文]|【?打印】?$|^【?\s*打印\s*】|打印此[页頁]|关闭窗口|關閉窗口|【关闭】|【關閉】|^关闭$|^關閉$",
        40,
    ),
    (
        r"返回顶部|返回頂部|回到顶部|收藏本[页頁]|加入收藏|设为首页|設為首頁|保存本[页頁]|我要纠错|我要糾錯",
        60,
    ),
    (r"字[体號号]\s*[:：]?\s*【?\s*大\s*中\s*小|【\s*大\s*中\s*小\s*】", 60),
    (r"^\s*[【\[]?\s*(?:上一[篇条條页頁]|下一[篇条條页頁])", 200),
    (r"^\s*[【\[]?\s*(?:分享到|分享至|分享[:：])", 80),
    (r"^\s*(?:微信|微博|QQ空间|QQ空間|朋友圈)(?:\s+|$)", 30),
    # Site footer.
    (r"版权所有|版權所有|[Cc]opyright|COPYRIGHT|©|\([Cc]\)\s*\d{4}", 160),
    (r"ICP备|ICP備|ICP证|ICP證|公网安备|公網安備|网站标识码|網站標識碼|网站地图|網站地圖", 200),
    (r"技术支持|技術支持|建议使用.{0,20}浏览器|分辨率", 120),
    (r"^\s*(?:联系我们|聯繫我們|关于我们|關於我們|免责声明|免責聲明)", 60),
    # Document-sharing sites (文库, 稿子网): paywall and rights notices after a cut preview.
    (
        r"试读结束|試讀結束|开通会员|開通會員|付费下载|付費下載|免费下载|免費下載|下载文档|下載文檔"
        r"|代笔服务|代筆服務|联系客服|聯繫客服|侵犯.{0,4}(?:权益|權益)|版权声明|版權聲明",
        200,
    ),
    # Counters.
    (
        r"访问量|訪問量|访问次数|訪問次數|浏览次数|瀏覽次數|阅读次数|閱讀次數|点击数|點擊數|点击量|點擊量|浏览量|瀏覽量",
        80,
    ),
    # Breadcrumbs.
    (r"^\s*(?:当前位置|當前位置|您现在的位置|您現在的位置|您的位置|你的位置|现在的位置)\s*[:：]?", 120),
)

# A line with any of these carries the issuer or the date and is kept whatever else it holds.
KEEP_MARKERS = re.compile(r"来源|來源|发布时间|發布時間|发布日期|發布日期|发文|發文|文号|文號|索引号|索引號")

# The heading of a "related articles" list.
RELATED_HEADING = re.compile(
    r"相[关關](?:文章|阅读|閱讀|推荐|推薦|链接|鏈接|新闻|新聞|信息|内容|內容|文档|文檔|资料|資料)"
    r"|猜你喜[欢歡]|推荐阅读|推薦閱讀|延伸阅读|延伸閱讀|热门(?:文章|推荐|阅读)|熱門(?:文章|推薦|閱讀)"
    r"|最新(?:文章|发布|發布)|精彩推荐|精彩推薦|更多(?:文章|阅读|閱讀)|看了.{0,6}的人还看了|看了.{0,6}的人還看了"
)
RELATED_HEADING_MAX = 40
"""A related-list heading is a short line."""
RELATED_TITLE_MAX = 40
"""Link titles after the heading are short lines; the first longer line ends the list."""
NUMBERED_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十\d]+[章节節条條部分])"
)

# A longer line written as sentences (a full stop, or several commas) is document prose
# even when it mentions 版权所有 or 打印.
PROSE_MIN_CHARS = 50
_PROSE = re.compile(r"[。！？]|[，,；;].*[，,；;]")

_JUNK = tuple((re.compile(pattern), limit) for pattern, limit in JUNK_PATTERNS)


class _Unknown(Exception):
    """A construct ``_first_chars`` does not follow (``.``, a category, a negated set)."""


def _seq_first(items) -> tuple[set[str], bool]:
    """(characters a match of the parsed sequence can begin with away from the text's start,
    whether it can match empty)."""
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
            return chars, False
        if op is _sre.IN:
            for kind, value in av:
                if kind is _sre.LITERAL:
                    chars.add(chr(value))
                elif kind is _sre.RANGE and value[1] - value[0] <= 256:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                else:
                    raise _Unknown
            return chars, False
        if op is _sre.AT:
            if av is _sre.AT_BEGINNING:
                return chars, False  # matches at the text's start only: nothing more away from it
            continue  # $ and the like take no character
        if op is _sre.BRANCH:
            nullable = False
            for branch in av[1]:
                first, empty = _seq_first(branch)
                chars |= first
                nullable = nullable or empty
            if not nullable:
                return chars, False
            continue
        if op is _sre.SUBPATTERN:
            if av[1] or av[2]:  # flags inside the group
                raise _Unknown
            first, empty = _seq_first(av[3])
            chars |= first
            if not empty:
                return chars, False
            continue
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            first, empty = _seq_first(av[2])
            chars |= first
            if av[0] > 0 and not empty:
                return chars, False
            continue
        if op in (_sre.ASSERT, _sre.ASSERT_NOT):
            continue  # takes no character
        raise _Unknown
    return chars, True


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters every match of ``pattern`` that does not start at the text's start begins
    with, or None where that cannot be told (a pattern that may match empty, ``.`` first …)."""
    try:
        chars, empty = _seq_first(_sre_parse.parse(pattern))
    except Exception:  # _Unknown, or a parser of another Python version: no gate, same answers
        return None
    return None if empty else frozenset(chars)


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    """One pattern matching where any of ``patterns`` matches. Where their first characters can
    be told, away from the text's start it is tried only at one of them (a lookahead): the engine
    then skips every other position at once instead of trying each alternative there."""
    alternation = "|".join(f"(?:{pattern})" for pattern in patterns)
    firsts = [_first_chars(pattern) for pattern in patterns]
    if any(first is None for first in firsts):
        return re.compile(alternation)
    chars = "".join(sorted({re.escape(ch) for first in firsts for ch in first}))  # type: ignore[union-attr]
    return re.compile(f"(?:^|(?=[{chars}]))(?:{alternation})")


# One search over all patterns first: most lines match none, and then one search is enough.
_ANY_JUNK = _any_of([pattern for pattern, _ in JUNK_PATTERNS])
_LONGEST_JUNK = max(limit for _, limit in JUNK_PATTERNS)

# Spam headlines: several short titles glued by "_" or "|" with nothing else on the line.
# Split at the separator alone and strip the parts: "\s*[_|｜]\s*" retried every space of a long
# run of spaces without a separator (quadratic: 17 s for one line the fuzzer built).
_HEADLINE_SPLIT = re.compile(r"[_|｜]")
_SENTENCE_PUNCT = re.compile(r"[，。；;！？!?、：:（）()“”\"《》]")
_DATE_LIKE = re.compile(r"\d{1,8}\s*[.\-/月年]\s*\d")  # bounded: a run of digits is not retried per digit
SPAM_MIN_PARTS = 4
SPAM_MIN_PART_CHARS = 4
SPAM_MIN_MEAN_CHARS = 7


def spam_headline(line: str) -> bool:
    """True for a line of four or more short titles joined by ``_`` or ``|``.

    Such lines are SEO headlines of scraped pages. A real table row written with
    pipes has short cells (周次|日期), dates or punctuation, so it does not qualify.
    """
    if "_" not in line and "|" not in line and "｜" not in line:
        return False
    parts = [part.strip() for part in _HEADLINE_SPLIT.split(line.strip())]
    if len(parts) < SPAM_MIN_PARTS:
        return False
    if any(len(p) < SPAM_MIN_PART_CHARS for p in parts):
        return False
    if sum(len(p) for p in parts) / len(parts) < SPAM_MIN_MEAN_CHARS:
        return False
    return not any(_SENTENCE_PUNCT.search(p) or _DATE_LIKE.search(p) for p in parts)


def junk_line(line: str) -> bool:
    """True when ``line`` is page furniture (share bar, footer, counter, spam headline)."""
    text = line.strip()
    if not text:
        return False
    if KEEP_MARKERS.search(text):
        return False
    n = len(text)
    if n > _LONGEST_JUNK or (n > PROSE_MIN_CHARS and _PROSE.search(text)) or not _ANY_JUNK.search(text):
        return spam_headline(text)
    for pattern, limit in _JUNK:
        if n <= limit and pattern.search(text):
            return True
    return spam_headline(text)


def related_heading(line: str) -> bool:
    """True for the heading line of a "related articles" list (相关文章、猜你喜欢 …)."""
    text = line.strip()
    return 0 < len(text) <= RELATED_HEADING_MAX and RELATED_HEADING.search(text) is not None


def drop_related_blocks(lines: Iterable[str]) -> list[str]:
    """Remove each related-articles heading and the short link-title lines after it.

    The list ends at the first line longer than a link title or one that opens a
    numbered section (一、 / （二） / 第三章), which is document text again.
    """
    out: list[str] = []
    in_block = False
    for line in lines:
        if related_heading(line):
            in_block = True
            continue
        if in_block:
            text = line.strip()
            if not text or (len(text) <= RELATED_TITLE_MAX and not NUMBERED_HEADING.match(text)):
                continue
            in_block = False
        out.append(line)
    return out


def remove_junk(lines: Iterable[str]) -> list[str]:
    """Lines without junk lines and without related-articles blocks."""
    return [line for line in drop_related_blocks(lines) if not junk_line(line)]
