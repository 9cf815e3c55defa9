"""The garbage collector while the server runs (issue 12).

At startup the app holds some 200,000 long-lived objects (modules, the ORM's mappings, routes,
templates). Python's collector walks all of them in every full collection: about 100 ms of CPU,
once every few dozen requests, inside whichever request happened to allocate past the threshold —
a pause that lands straight in the pages' p95. Frozen once the app is set up, those objects are
left out of every collection; only what requests create is walked. A larger first-generation
threshold makes the young collections fewer: a page allocates tens of thousands of objects, most
freed by reference counting long before a collection would find them.

Both are undone when the app stops, so a process that makes many apps (the tests) neither keeps
the garbage of earlier apps frozen nor keeps the changed thresholds."""

from __future__ import annotations

import gc
from dataclasses import dataclass

YOUNG_THRESHOLD = 10_000
"""Allocations (less deallocations) between first-generation collections; Python's default is 700."""


@dataclass
class Settled:
    """What ``settle`` changed, for ``restore``."""

    thresholds: tuple[int, int, int]


def settle() -> Settled:
    """Freeze every object there is now and raise the young threshold. No collection first: one
    costs about 100 ms, and the tests start an app hundreds of times (the little garbage startup
    leaves is frozen with the rest until ``restore``)."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(before[0], YOUNG_THRESHOLD), *before[1:])
    return Settled(before)


def restore(settled: Settled) -> None:
    """Undo ``settle``: the frozen objects back in the oldest generation, the thresholds as they were."""
    gc.unfreeze()
    gc.set_threshold(*settled.thresholds)
