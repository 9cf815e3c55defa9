"""pdfminer's own warnings about a damaged PDF (an unreadable MediaBox, a font without its
bounding box) no longer reach stderr: ``eduplan parse`` of such a file prints only its answer.
Without ``eduplan.read.pdf.QUIET_LOGGERS`` the same run prints "Invalid MediaBox in /Page,
defaulting to US Letter" twice (checked by hand)."""

from __future__ import annotations

import re

from tests.read.conftest import build_pdf


def _damaged(pdf: bytes) -> bytes:
    """The same PDF with every page's MediaBox three numbers long (same length, so the offsets
    of the cross-reference table hold)."""
    damaged, count = re.subn(
        rb"(/MediaBox \[ [\d.]+ [\d.]+ [\d.]+ )([\d.]+)", lambda m: m[1] + b" " * len(m[2]), pdf
    )
    assert count >= 1
    return damaged


def test_a_damaged_pdf_is_read_without_pdfminer_warnings_on_stderr(tmp_path, run_eduplan):
    path = tmp_path / "计划.docx"  # named as something else: the reader goes by the bytes
    path.write_bytes(_damaged(build_pdf()))
    run = run_eduplan("parse", path)
    assert run.returncode in (0, 2), run.stderr.decode("utf-8", "replace")
    stderr = run.stderr.decode("utf-8", "replace")
    assert "MediaBox" not in stderr and "defaulting to US Letter" not in stderr
    if run.returncode == 0:
        assert stderr == ""
