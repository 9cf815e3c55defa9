"""Large calendar downloads (Excel, Word) built in a limited child process.

A term's 行事历 of a bureau is a few hundred rows and renders in the request in milliseconds;
a province-wide or many-year selection of thousands of rows takes seconds of CPU and hundreds of
megabytes in openpyxl / python-docx. From ``EDUPLAN_EXPORT_CHILD_ROWS`` rows (default 2000) the
file is rendered in a child of ``pool`` (memory and time limits, memory given back when it exits);
the request's thread only waits on it, and the server's interpreter stays free for other requests.
"""

from __future__ import annotations

import os

from eduplan.calendar.model import CalendarDoc
from eduplan.errors import EduplanError
from eduplan.jobs.pool import ChildProcesses, Progress, shared_processes

DEFAULT_CHILD_ROWS = 2000
FORMATS = ("xlsx", "docx")


def child_rows(environ: dict[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    raw = (env.get("EDUPLAN_EXPORT_CHILD_ROWS") or "").strip()
    try:
        value = int(raw) if raw else DEFAULT_CHILD_ROWS
    except ValueError:
        return DEFAULT_CHILD_ROWS
    return value if value >= 0 else DEFAULT_CHILD_ROWS


def render(fmt: str, doc: CalendarDoc, with_status: bool = False) -> bytes:
    """The file itself, in this process."""
    if fmt == "xlsx":
        from eduplan.calendar.excel import render_xlsx

        return render_xlsx(doc, with_status=with_status)
    if fmt == "docx":
        from eduplan.calendar.word import render_docx

        return render_docx(doc, layout="week", with_status=with_status)
    raise EduplanError(f"不支持的导出格式：{fmt}")


def render_job(progress: Progress, fmt: str, doc: CalendarDoc, with_status: bool) -> bytes:
    """In a child."""
    progress("rendering")
    return render(fmt, doc, with_status)


def render_export(
    fmt: str, doc: CalendarDoc, with_status: bool = False, processes: ChildProcesses | None = None
) -> bytes:
    """The file: in this process for a small calendar, in a limited child from
    ``child_rows()`` rows on (``JobFailed`` in Chinese when it runs out of time or memory)."""
    if len(doc.rows) < child_rows():
        return render(fmt, doc, with_status)
    return (processes or shared_processes()).run(render_job, fmt, doc, with_status)
