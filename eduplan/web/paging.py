"""Pages of a long list: which rows page N shows, and the page links (in Chinese) under it.

A page number comes from the query string (``page``, or another name where a page holds two
lists); one that is not a number, below 1 or past the last page shows the nearest page, so an
old link after the list shrank still lands somewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import urlencode

T = TypeVar("T")

PAGE_SIZE = 50
WINDOW = 2
"""Page links shown either side of the current page (the first and last are always shown)."""


@dataclass
class Page(Generic[T]):
    rows: list[T]
    number: int
    size: int
    total: int
    param: str = "page"
    query: dict[str, str] = field(default_factory=dict)
    anchor: str = ""

    @property
    def count(self) -> int:
        """How many pages there are (at least one, even for an empty list)."""
        return max(1, -(-self.total // self.size))

    @property
    def first_row(self) -> int:
        """The 1-based position of the page's first row (0 for an empty list)."""
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_row(self) -> int:
        return min(self.number * self.size, self.total)

    def href(self, number: int) -> str:
        values = {k: v for k, v in self.query.items() if v and k != self.param}
        if number > 1:
            values[self.param] = str(number)
        return ("?" + urlencode(values) if values else "?") + (f"#{self.anchor}" if self.anchor else "")

    @property
    def links(self) -> list[int | None]:
        """Page numbers to link, None where a gap (…) falls between them."""
        shown = sorted(
            {1, self.count}
            | set(range(max(1, self.number - WINDOW), min(self.count, self.number + WINDOW) + 1))
        )
        result: list[int | None] = []
        for n in shown:
            if result and n - (result[-1] or 0) > 1:
                result.append(None)
            result.append(n)
        return result


def page_number(raw: str | None) -> int:
    try:
        return max(1, int((raw or "1").strip()))
    except ValueError:
        return 1


def paginate(
    rows: Sequence[T],
    raw_number: str | None,
    *,
    size: int = PAGE_SIZE,
    param: str = "page",
    query: dict[str, str] | None = None,
    anchor: str = "",
) -> Page[T]:
    """Page ``raw_number`` (from the query string) of ``rows``; ``query`` holds the other
    parameters the page links keep."""
    count = max(1, -(-len(rows) // size))
    number = min(page_number(raw_number), count)
    start = (number - 1) * size
    return Page(list(rows[start : start + size]), number, size, len(rows), param, dict(query or {}), anchor)
