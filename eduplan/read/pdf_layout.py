"""Page geometry fixes before tables and lines are read.

* Character spacing (the PDF ``Tc`` operator) belongs after every glyph, the last of a string
  too; pdfminer.six applies it only between the glyphs of one string (pdfminer.six issue 1128),
  so a spreadsheet exported with ``Tc`` spacing (one digit per ``Tj``) has its numbers drift
  into the neighbouring cells. The page is laid out again with the spacing where the PDF
  specification puts it.
* Only rules bound table cells: a cell's background fill is a rectangle too, and two adjacent
  fills of the same colour draw an edge nobody sees. Filled rectangles that are not thin
  (a rule drawn as a filled bar is thin) are left out of table finding.
"""

from __future__ import annotations

from typing import Any

from pdfminer import utils
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

RULE_WIDTH = 3.0
"""A filled rectangle this thin (in points) in one direction is a drawn rule."""


class _SpacingAggregator(PDFPageAggregatorWithMarkedContent):
    def render_string_horizontal(  # type: ignore[override]
        self,
        seq: Any,
        matrix: Any,
        pos: Any,
        font: Any,
        fontsize: float,
        scaling: float,
        charspace: float,
        wordspace: float,
        rise: float,
        dxscale: float,
        ncs: Any,
        graphicstate: Any,
    ) -> Any:
        (x, y) = pos
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    at = utils.translate_matrix(matrix, (x, y))
                    x += self.render_char(at, font, fontsize, scaling, rise, cid, ncs, graphicstate)
                    x += charspace
                    if cid == 32 and wordspace:
                        x += wordspace
        return (x, y)


def relayout(page: Page) -> None:
    """Lay ``page`` out with character spacing applied after every glyph (before anything reads
    its objects); a pdfplumber whose internals differ keeps its own layout."""
    pdf = getattr(page, "pdf", None)
    rsrcmgr = getattr(pdf, "rsrcmgr", None)
    page_obj = getattr(page, "page_obj", None)
    if rsrcmgr is None or page_obj is None:
        return
    device = _SpacingAggregator(rsrcmgr, pageno=page.page_number, laparams=pdf.laparams)
    PDFPageInterpreter(rsrcmgr, device).process_page(page_obj)
    page._layout = device.get_result()


def is_ruling(obj: dict) -> bool:
    """False for a filled, unstroked rectangle that is not thin: a cell background."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    return min(obj.get("width", 0), obj.get("height", 0)) <= RULE_WIDTH
