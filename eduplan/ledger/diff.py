"""Match the items of a plan's new version to the items already in the ledger.

Pure: works on (normalised text, start, end) triples. An item whose text and span are both
unchanged is the same item; then the same text on another span, then the same span with a
revised text, then a closely similar text anywhere, are the same item *changed*. What is left
is added (new version only) or removed (ledger only). Matching a changed item to its old row
is what keeps progress already recorded against it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

SAME_SPAN_SIMILARITY = 0.6
"""A revised text on the same span is the same item when at least this similar."""
ANY_SPAN_SIMILARITY = 0.85
"""A revised text on another span is the same item only when nearly identical."""


@dataclass(frozen=True)
class Key:
    norm: str
    start: date | None
    end: date | None


@dataclass
class Matching:
    """Indices into the old and new lists."""

    same: list[tuple[int, int]] = field(default_factory=list)
    changed: list[tuple[int, int]] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def _similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SAME_SPAN_SIMILARITY or matcher.quick_ratio() < SAME_SPAN_SIMILARITY:
        return 0.0
    return matcher.ratio()


def match(old: list[Key], new: list[Key]) -> Matching:
    """Pair old and new items: exact, then same text, then same span, then similar text."""
    result = Matching()
    old_left = set(range(len(old)))
    new_left: list[int] = []

    exact: dict[Key, list[int]] = defaultdict(list)
    for i, key in enumerate(old):
        exact[key].append(i)
    for j, key in enumerate(new):
        if exact.get(key):
            i = exact[key].pop(0)
            old_left.discard(i)
            result.same.append((i, j))
        else:
            new_left.append(j)

    by_text: dict[str, list[int]] = defaultdict(list)
    for i in sorted(old_left):
        by_text[old[i].norm].append(i)
    rest = []
    for j in new_left:
        candidates = [i for i in by_text.get(new[j].norm, []) if i in old_left]
        if candidates:
            i = candidates[0]
            old_left.discard(i)
            result.changed.append((i, j))
        else:
            rest.append(j)

    still = []
    for j in rest:
        best, best_score = None, 0.0
        for i in sorted(old_left):
            if (old[i].start, old[i].end) != (new[j].start, new[j].end):
                continue
            score = _similarity(old[i].norm, new[j].norm)
            if score >= SAME_SPAN_SIMILARITY and score > best_score:
                best, best_score = i, score
        if best is None:
            still.append(j)
        else:
            old_left.discard(best)
            result.changed.append((best, j))

    for j in still:
        best, best_score = None, 0.0
        for i in sorted(old_left):
            score = _similarity(old[i].norm, new[j].norm)
            if score >= ANY_SPAN_SIMILARITY and score > best_score:
                best, best_score = i, score
        if best is None:
            result.added.append(j)
        else:
            old_left.discard(best)
            result.changed.append((best, j))

    result.removed = sorted(old_left)
    result.changed.sort(key=lambda pair: pair[1])
    return result
