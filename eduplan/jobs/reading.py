"""Reading an upload into a plan: the work the import screen hands to a child process."""

from __future__ import annotations

import logging

from eduplan.documents import is_plan_json, plan_from_bytes
from eduplan.errors import EduplanError, ReadError
from eduplan.jobs.pool import Progress
from eduplan.plan import Plan
from eduplan.read.sizes import file_too_big
from eduplan.settings import Limits

log = logging.getLogger(__name__)

STAGE_READING = "reading"
STAGE_UNDERSTANDING = "understanding"


def read_plan(
    data: bytes,
    name: str,
    year: int | None = None,
    progress: Progress | None = None,
    header_roles: dict[str, str] | None = None,
) -> tuple[Plan, list[str]]:
    """The plan the reader makes of an upload, and the document's numbered lines (``lines[i]`` is
    line i+1). A plan JSON is taken as it is; it has no lines of its own. ``year`` is the year
    for dates written without one, when the document does not say; ``header_roles`` the column
    headers the bureau taught (``ledger.corrections.Hints``). Errors are
    :class:`EduplanError` in Chinese; a bug of the reader is one too (not a 500 page)."""
    limits = Limits.from_env()
    if len(data) > limits.max_file_bytes:
        raise file_too_big(len(data), limits.max_file_bytes)
    if not data.strip():
        raise ReadError(f"文件是空的：{name}")
    if is_plan_json(data):
        return plan_from_bytes(data, name, limits=limits), []
    from eduplan.read import read_bytes
    from eduplan.understand import ReaderHints, understand

    if progress is not None:
        progress(STAGE_READING)
    doc = read_bytes(data, name, limits=limits)
    if progress is not None:
        progress(STAGE_UNDERSTANDING)
    try:
        hints = ReaderHints(header_roles=dict(header_roles)) if header_roles else None
        plan = understand(doc, year=year, hints=hints)
    except EduplanError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # the reader's own bug must not become a 500 page for an admin
        log.exception("understand failed on %s", name)
        raise ReadError(f"读取了文件 {name}，但没能识别其中的工作安排（{type(exc).__name__}）") from None
    return plan, list(doc.lines)


def read_upload_job(
    progress: Progress, data: bytes, name: str, year: int | None, header_roles: dict[str, str] | None = None
) -> dict:
    """In a child: the plan as JSON and the lines (plain data, cheap to send back)."""
    plan, lines = read_plan(data, name, year, progress, header_roles)
    return {"plan": plan.to_json(), "lines": lines, "items": len(plan.items)}
