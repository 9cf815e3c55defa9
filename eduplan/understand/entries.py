"""An entry of a document's layout: one candidate work item with the lines it spans."""

from __future__ import annotations

from dataclasses import dataclass, field

from eduplan.understand.slots import Slot
from eduplan.understand.timex import TimeContext


@dataclass
class Entry:
    kind: str  # "bullet", "numbered", "row", "plain"
    line: int
    orig: list[str]
    text: list[str]
    slot: Slot | None
    rank: float | None = None
    marker_len: int = 0
    unit_lines: list[str] = field(default_factory=list)
    units: list[str] | None = None  # from a responsibility column of a real table
    own: Slot | None = None  # a span given by the row's own date cell
    children: int = 0
    restart: bool = False  # first entry after a plan or annex heading
    non_item: bool = False  # under a member-list or principles heading
    under_goal: bool = False  # under a goal heading: a child stating a quantity is a goal
    guessed: bool = False  # a table row whose columns were guessed (no header recognised)
    ctx: TimeContext | None = None  # the sheet's or term's own time context, where it has one
    note: bool = False  # under a notes label (说明：, 附注：): work only where it dates itself
    weeks: dict[int, Slot] | None = None  # the numbered week rows of the entry's table section

    def add(self, orig: str, text: str) -> None:
        self.orig.append(orig)
        self.text.append(text)
