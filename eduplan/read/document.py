"""What a reader produces: the document's text as numbered lines, plus where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

CELL_SEPARATOR = "\t"
"""Cells of one table row are joined by a tab on one line; a vertically merged
continuation cell is an empty string so every row of a table keeps its column count."""


@dataclass
class Source:
    name: str
    sha256: str
    format: str  # txt, html, docx, xlsx, pdf
    encoding: str | None = None  # for txt/html; None for container formats

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
