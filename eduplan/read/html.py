"""HTML pages: the visible document text, one line per block, tables as tab-joined rows.

A table cell of several paragraphs (``<p>``, ``<li>``, ``<br>`` lines) gives one line per
paragraph, the further ones below its row with the other cells empty (``cells.py``). A list
item in a cell starts with the label a browser shows for it (``1.`` in an ``<ol>``, ``•`` in
a ``<ul>``), as a Word cell's numbered paragraphs start with theirs, so each reads as an entry.

Page furniture goes in three steps: elements that never carry the document (scripts,
navigation, footers, share bars …, by tag and by class/id words), then junk lines by
pattern (``junk.py``), then "related articles" lists. An element is only removed by
its class/id or as a soft furniture tag when it holds under half of the page's text,
so a page wrapped in ``<form id="form1">`` or ``<div class="nav-content">`` survives.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from eduplan.read.cells import paragraphs, sub_rows
from eduplan.read.junk import remove_junk

# Never document text.
HARD_DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "template",
        "svg",
        "math",
        "object",
        "embed",
        "canvas",
        "audio",
        "video",
        "select",
        "button",
        "input",
        "textarea",
        "head",
        "title",
        "meta",
        "link",
    }
)
# Usually furniture, but sometimes a wrapper around everything (ASP.NET's <form>).
SOFT_DROP_TAGS = frozenset({"form", "nav", "aside", "header", "footer", "menu"})
# <header>/<footer> inside these belong to the article (title, source line).
ARTICLE_TAGS = frozenset({"article", "main"})

BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "legend",
        "li",
        "main",
        "ol",
        "p",
        "section",
        "summary",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
        "body",
        "html",
    }
)
CELL_TAGS = frozenset({"td", "th"})

# class/id words of navigation, menus, breadcrumbs, share bars, footers, copyright,
# comments, related/recommended lists, adverts. Matched per word of the attribute
# (split at spaces, "-", "_" and camelCase), as the whole word or its prefix.
FURNITURE_WORDS = re.compile(
    r"^(?:nav|navbar|navigation|topnav|subnav|menu|menus|submenu|breadcrumbs?|crumbs?|bread|"
    r"share|sharebar|bdshare|jiathis|social|footer|foot|copyright|copy|comments?|reply|"
    r"related|relate|recommend|recommended|tuijian|xgwz|xgxx|hot|hotnews|rank|ranking|"
    r"sidebar|ads?|advert|advertisement|banner|login|search|location|position|weizhi|dqwz|"
    r"toolbar|tools|print|pager|pagination|prevnext|prev|next|qrcode|ewm)\d*$"
)
_ATTR_WORDS = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
SOFT_DROP_SHARE = 0.5
"""A soft-dropped element must hold less than this share of the page's text."""

_WS = re.compile(r"\s+")
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPAN_NUMBER = re.compile(r"\d+")
MAX_COLSPAN = 1000
LAYOUT_CELL_CHARS = 1000
"""A table with at most three rows and a cell this long is page layout, not data."""


def _furniture_attr(element: etree._Element) -> bool:
    attrs = (element.get("class") or "") + " " + (element.get("id") or "")
    if not attrs.strip():
        return False
    return any(FURNITURE_WORDS.match(word.lower()) for word in _ATTR_WORDS.split(attrs) if word)


def _inside_article(element: etree._Element) -> bool:
    return any(isinstance(a.tag, str) and a.tag in ARTICLE_TAGS for a in element.iterancestors())


_STYLED_OR_NAMED = etree.XPath(".//*[@class or @id or @style or @hidden]")


def _remove_furniture(body: etree._Element) -> None:
    page_chars = max(len(body.text_content()), 1)
    hard = list(body.iter(*HARD_DROP_TAGS))
    soft = [
        element
        for element in body.iter(*SOFT_DROP_TAGS)
        if not (element.tag in ("header", "footer") and _inside_article(element))
    ]
    soft.extend(
        element
        for element in _STYLED_OR_NAMED(body)
        if _furniture_attr(element)
        or _HIDDEN_STYLE.search(element.get("style") or "")
        or element.get("hidden") is not None
    )
    for element in hard:
        if element.getparent() is not None:
            element.drop_tree()
    for element in soft:
        if element.getparent() is None:
            continue
        if len(element.text_content()) < SOFT_DROP_SHARE * page_chars:
            element.drop_tree()


def _span(cell: etree._Element, attr: str) -> int:
    match = _SPAN_NUMBER.search(cell.get(attr) or "")
    return int(match.group()) if match else 1


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Flattener:
    """Walks an element tree, turning blocks into lines and tables into tab-joined rows."""

    def __init__(self, inline_blocks: frozenset[str] = frozenset(), list_labels: bool = False) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []
        self._inline_blocks = inline_blocks  # block tags read as a space, not a new line
        self._list_labels = list_labels  # an <li> starts with the number or bullet a browser shows

    def flush(self) -> None:
        if self._buf:
            line = _clean("".join(self._buf))
            self._buf.clear()
            if line:
                self.lines.append(line)

    def children(self, element: etree._Element) -> None:
        if element.text:
            self._buf.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self._buf.append(child.tail)

    def walk(self, element: etree._Element) -> None:
        tag = element.tag
        if not isinstance(tag, str):  # comment or processing instruction; its tail is the parent's
            return
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush()
            self.table(element)
        elif tag == "pre":
            self.flush()
            for line in element.text_content().splitlines():
                if line.strip():
                    self.lines.append(_clean(line))
        elif tag == "li" and self._list_labels:
            self.flush()
            self._buf.append(_list_label(element))
            self.children(element)
            self.flush()
        elif tag in self._inline_blocks:
            self._buf.append(" ")
            self.children(element)
            self._buf.append(" ")
        elif tag in BLOCK_TAGS:
            self.flush()
            self.children(element)
            self.flush()
        else:
            if tag in CELL_TAGS:  # a stray cell outside any row
                self._buf.append(" ")
            self.children(element)

    def table(self, table: etree._Element) -> None:
        rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        cells = [row.xpath("./td | ./th") for row in rows]
        for caption in table.xpath("./caption"):
            self.walk(caption)
        if _layout_table(table, cells):
            for row in cells:
                for cell in row:
                    self.flush()
                    self.children(cell)
                    self.flush()
            return
        for line in _grid(cells):
            self.lines.append(line)


def _layout_table(table: etree._Element, cells: list[list[etree._Element]]) -> bool:
    """Page layout rather than data: nested tables, a single column, or a few huge cells."""
    if not cells or max(len(row) for row in cells) <= 1:
        return True
    if table.xpath(".//td//table | .//th//table"):
        return True
    if len(cells) <= 3:
        return any(len(cell.text_content()) > LAYOUT_CELL_CHARS for row in cells for cell in row)
    return False


CELL_INLINE_BLOCKS = frozenset({"div"})
"""Inside a cell a ``<div>`` is a wrapper (a day number and its label, a styled run),
not a paragraph; ``<p>``, ``<li>``, ``<br>``, headings and the other blocks are."""


# What an item's own text may start with that already numbers it (1. （一） 一、 ① •).
_OWN_LABEL = re.compile(r"\s*(?:\d{1,2}\s*[、.．)）]|[(（]|[一二三四五六七八九十]{1,3}\s*[、.]|[①-⑳•·●▪■◆-])")
_NO_MARKER_STYLE = re.compile(r"list-style(?:-type)?\s*:\s*none", re.IGNORECASE)


def _list_label(li: etree._Element) -> str:
    """The label a browser shows before an ``<li>``: ``3.`` in a decimal ``<ol>`` (its
    ``start`` and the items' ``value`` counted), ``•`` in a ``<ul>``; empty where the list
    hides its markers, numbers another way (type="a"), or the item's text numbers itself."""
    parent = li.getparent()
    if parent is None or parent.tag not in ("ol", "ul"):
        return ""
    if any(_NO_MARKER_STYLE.search(e.get("style") or "") for e in (li, parent)):
        return ""
    if _OWN_LABEL.match(li.text_content()):
        return ""
    if parent.tag == "ul":
        return "•"
    if (parent.get("type") or "1") != "1":
        return ""
    n = _int_attr(parent, "start", 1) - 1
    for item in parent.iterchildren("li"):
        n = _int_attr(item, "value", n + 1)
        if item is li:
            return f"{n}."
    return ""


def _int_attr(element: etree._Element, name: str, default: int) -> int:
    m = _SPAN_NUMBER.search(element.get(name) or "")
    return int(m.group()) if m else default


def _cell_paragraphs(cell: etree._Element) -> list[str]:
    inner = _Flattener(CELL_INLINE_BLOCKS, list_labels=True)
    inner.children(cell)
    inner.flush()
    return paragraphs(inner.lines)


def _consume(pending: dict[int, int], column: int) -> None:
    pending[column] -= 1
    if pending[column] <= 0:
        del pending[column]


def _grid(rows: list[list[etree._Element]]) -> list[str]:
    """Row lines with rowspan continuations and colspan fillers as empty cells.

    A cell of several paragraphs continues on lines below its row (``cells.sub_rows``).
    """
    pending: dict[int, int] = {}  # column -> rows below still covered by a rowspan
    grid: list[list[list[str]]] = []  # rows of cells, each cell its paragraphs
    for index, row in enumerate(rows):
        remaining_rows = len(rows) - index
        out: list[list[str]] = []
        cells = iter(row)
        cell = next(cells, None)
        while cell is not None or (pending and len(out) <= max(pending)):
            column = len(out)
            if column in pending:
                out.append([])
                _consume(pending, column)
                continue
            if cell is None:  # a gap before a column a rowspan still covers
                out.append([])
                continue
            colspan = min(max(_span(cell, "colspan"), 1), MAX_COLSPAN)
            rowspan = _span(cell, "rowspan")
            rowspan = remaining_rows if rowspan == 0 else min(max(rowspan, 1), remaining_rows)
            for k in range(column + 1, column + colspan):
                if k in pending:  # malformed overlap: this cell wins
                    _consume(pending, k)
            out.append(_cell_paragraphs(cell))
            out.extend([] for _ in range(colspan - 1))
            if rowspan > 1:
                for k in range(column, column + colspan):
                    pending[k] = rowspan - 1
            cell = next(cells, None)
        grid.append(out)
    width = max((len(r) for r in grid), default=0)
    lines = []
    for cells in grid:
        if any(cells):
            cells.extend([] for _ in range(width - len(cells)))
            lines.extend("\t".join(sub_row) for sub_row in sub_rows(cells))
    return lines


def html_lines(text: str) -> list[str]:
    """Visible text lines of an HTML document, junk removed."""
    text = _CONTROL.sub("", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        return []
    try:
        root = lxml.html.document_fromstring(text)
    except etree.ParserError:
        return []
    body = root.find("body")
    if body is None:
        body = root
    _remove_furniture(body)
    flattener = _Flattener()
    flattener.walk(body)
    flattener.flush()
    return remove_junk(flattener.lines)
