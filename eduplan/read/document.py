"""What a reader produces: the document's text as numbered lines, plus where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

CELL_SEPARATOR = "\t"
"""Cells of one table row are joined by a tab on one line; a vertically merged
continuation cell is an empty string so every row of a table keeps its column count.

A cell holding several paragraphs (Word paragraphs or line breaks in one cell, HTML
``<p>``/``<li>``/``<br>`` lines, line breaks in a spreadsheet cell) gives one line per
paragraph: the first paragraph on the row's line, each further one on a following line
of the same table with every other cell empty, exactly as a vertically merged
continuation row. Where several cells of a row have several paragraphs, the k-th such
line holds the k-th paragraph of each. Text stacked down a narrow cell one or two
characters a line (``第/1/周``) is one paragraph."""


@dataclass
class Source:
    name: str
    sha256: str
    format: str  # txt, html, md, docx, xlsx, xls, pdf; doc, wps, et (converted by LibreOffice)
    encoding: str | None = None  # for txt/html/md; None for container formats

    def to_json(self) -> dict:
        return {"name": self.name, "sha256": self.sha256, "format": self.format, "encoding": self.encoding}


@dataclass
class TextDocument:
    """Text of one document: ``lines[i]`` is line i+1 as a person would number it."""

    lines: list[str]
    source: Source
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)
