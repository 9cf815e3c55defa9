"""While the app runs, what startup built is frozen out of the garbage collector's walks and the
young threshold is raised (issue 12: a full collection over it cost ~100 ms inside a request);
both are undone when the app stops."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from eduplan.web import heap


def test_a_running_app_freezes_the_startup_heap_and_stopping_it_undoes_that(app):
    thresholds = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:
        assert client.get("/login").status_code == 200
        assert gc.get_freeze_count() > 10_000  # modules, mappings, routes: all left out
        assert gc.get_threshold()[0] >= heap.YOUNG_THRESHOLD
        assert gc.get_threshold()[1:] == thresholds[1:]
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_settle_keeps_a_higher_young_threshold_already_set():
    before = gc.get_threshold()
    try:
        gc.set_threshold(heap.YOUNG_THRESHOLD * 2, before[1], before[2])
        settled = heap.settle()
        assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD * 2
        heap.restore(settled)
        assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD * 2
        assert gc.get_freeze_count() == 0
    finally:
        gc.set_threshold(*before)
