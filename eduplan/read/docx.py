"""Word (.docx): body paragraphs and tables in document order.

The body is read from python-docx's XML tree directly, so paragraphs and tables come
out interleaved as they are printed, and merged cells are known exactly: a cell
spanning grid columns (``gridSpan``) is its text once followed by empty strings, a
vertically merged continuation cell (``vMerge`` without ``restart``) is an empty
string. A cell of several paragraphs (or line breaks) gives one line per paragraph, the
further ones on lines of their own below its row (``eduplan.read.cells``). Text boxes,
headers, footers and deleted revisions are not body text.
Automatically numbered paragraphs get the label Word shows (一、 （一） 1. ①) in front
of their text, from word/numbering.xml (see ``eduplan.read.numbering``).
"""

from __future__ import annotations

import io
import re

import docx
from lxml import etree

from eduplan.read.cells import paragraphs, sub_rows
from eduplan.read.numbering import Numbering, without_broken_numbering
from eduplan.read.sizes import TextBudget

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_NS = {"w": W, "mc": MC}
_P = f"{{{W}}}p"
_TBL = f"{{{W}}}tbl"
_SDT = f"{{{W}}}sdt"
_SDT_CONTENT = f"{{{W}}}sdtContent"
_CUSTOM_XML = f"{{{W}}}customXml"
_T = f"{{{W}}}t"
_TAB = f"{{{W}}}tab"
_VAL = f"{{{W}}}val"

# Visible run content of one paragraph, in order, outside text boxes, deletions and
# the VML fallback copy of drawings.
_RUN_CONTENT = etree.XPath(
    "(.//w:r/w:t | .//w:r/w:br | .//w:r/w:cr | .//w:r/w:tab | .//w:r/w:noBreakHyphen)"
    "[not(ancestor::w:txbxContent)][not(ancestor::w:del)][not(ancestor::w:moveFrom)][not(ancestor::mc:Fallback)]",
    namespaces=_NS,
)
_ROWS = etree.XPath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr", namespaces=_NS)
_CELLS = etree.XPath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc", namespaces=_NS)
_GRID_SPAN = etree.XPath("string(./w:tcPr/w:gridSpan/@w:val)", namespaces=_NS)
_V_MERGE = etree.XPath("./w:tcPr/w:vMerge", namespaces=_NS)
_GRID_BEFORE = etree.XPath("string(./w:trPr/w:gridBefore/@w:val)", namespaces=_NS)
_GRID_AFTER = etree.XPath("string(./w:trPr/w:gridAfter/@w:val)", namespaces=_NS)

MAX_SPAN = 64
"""Word tables have at most 63 columns."""
_TABS = re.compile(r"\t+")


def _int(value: str, default: int = 1) -> int:
    try:
        return min(max(int(value), 0), MAX_SPAN)
    except ValueError:
        return default


def paragraph_text(p: etree._Element, numbering: Numbering | None = None) -> str:
    """A paragraph's visible text; ``\\n`` at line breaks, one ``\\t`` per run of tabs.

    With ``numbering``, an automatically numbered paragraph starts with its label (an
    empty one is still counted, as Word does, but stays empty).
    """
    label = numbering.label(p) if numbering is not None else ""
    parts: list[str] = []
    for node in _RUN_CONTENT(p):
        tag = node.tag
        if tag == _T:
            parts.append(node.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag.endswith("}noBreakHyphen"):
            parts.append("-")
        else:  # w:br, w:cr
            parts.append("\n")
    text = _TABS.sub("\t", "".join(parts))
    return label + text.lstrip() if label and text.strip() else text


def _content_children(element: etree._Element):
    """Block-level children, looking through content controls and custom XML wrappers."""
    for child in element:
        tag = child.tag
        if tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _content_children(content)
        elif tag == _CUSTOM_XML:
            yield from _content_children(child)
        elif tag in (_P, _TBL):
            yield child


def _cell_paragraphs(tc: etree._Element, numbering: Numbering | None = None) -> list[str]:
    """A cell's paragraphs (split at line breaks too); a nested table gives one per row."""
    parts: list[str] = []
    for child in _content_children(tc):
        if child.tag == _P:
            parts.extend(paragraph_text(child, numbering).split("\n"))
        else:
            parts.extend(" ".join(cells) for cells in table_rows(child, numbering))
    return paragraphs(parts)


def table_rows(tbl: etree._Element, numbering: Numbering | None = None) -> list[list[str]]:
    """Lines of a table as cell texts, merged cells as empty strings, all of one width.

    A cell of several paragraphs continues on the lines below its row (``cells.sub_rows``).
    """
    rows: list[list[list[str]]] = []
    for tr in _ROWS(tbl):
        cells: list[list[str]] = [[] for _ in range(_int(_GRID_BEFORE(tr), 0))]
        for tc in _CELLS(tr):
            span = max(_int(_GRID_SPAN(tc)), 1)
            merge = _V_MERGE(tc)
            continuation = bool(merge) and merge[0].get(_VAL, "continue") != "restart"
            cells.append([] if continuation else _cell_paragraphs(tc, numbering))
            cells.extend([] for _ in range(span - 1))
        cells.extend([] for _ in range(_int(_GRID_AFTER(tr), 0)))
        rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    lines: list[list[str]] = []
    for cells in rows:
        cells.extend([] for _ in range(width - len(cells)))
        lines.extend(sub_rows(cells))
    return lines


def docx_lines(data: bytes, budget: TextBudget) -> list[str]:
    """Lines of a .docx body: paragraphs split at line breaks, table rows tab-joined."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:
        patched = without_broken_numbering(data)
        if patched is None:
            raise
        document = docx.Document(io.BytesIO(patched))
    numbering = Numbering.of(document)
    body = document.element.body
    lines: list[str] = []
    for child in _content_children(body):
        if child.tag == _P:
            for line in paragraph_text(child, numbering).split("\n"):
                line = line.strip()
                if line:
                    lines.append(budget.take(line))
        else:
            for cells in table_rows(child, numbering):
                if any(cells):
                    lines.append(budget.take("\t".join(cells)))
    return lines
