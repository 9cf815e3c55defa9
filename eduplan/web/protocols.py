"""Which HTTP parser and event loop uvicorn runs the app on, for ``eduplan serve`` and the
benchmarks alike."""

from __future__ import annotations

from importlib.util import find_spec


def fast_protocols() -> dict:
    """httptools and uvloop when installed (dependencies; uvloop has no Windows build), else
    uvicorn's own choice; named, so ``serve`` and ``bench load`` are sure to run on the same."""
    return {
        "http": "httptools" if find_spec("httptools") else "auto",
        "loop": "uvloop" if find_spec("uvloop") else "auto",
    }
