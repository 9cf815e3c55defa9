"""Work for the child processes' tests and benchmarks (module-level, so a child can import it)."""

from __future__ import annotations

import io
import time

from eduplan.jobs.pool import Progress


def echo(progress: Progress, value: object) -> object:
    progress("收到")
    return value


def sleep(progress: Progress, seconds: float) -> str:
    progress("开始")
    time.sleep(seconds)
    return "醒了"


def slow_read(progress: Progress, data: bytes, name: str, year: int | None) -> dict:
    """A reading that never ends in time (for the time-limit tests)."""
    progress("reading")
    time.sleep(60)
    return {}


def allocate(progress: Progress, mib: int) -> int:
    block = bytearray(mib * 1024 * 1024)
    return len(block)


def niceness(progress: Progress) -> int:
    import os

    return os.nice(0)


def pid(progress: Progress) -> int:
    import os

    return os.getpid()


def million_cell_xlsx(rows: int = 1000, columns: int = 1000) -> bytes:
    """A workbook of ``rows × columns`` cells (a million by default, about 2 MB): short numbers
    and words in every cell, the kind of sheet that once took 12.7 s in the request."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    words = ("完成", "检查", "上报", "培训")
    for r in range(rows):
        sheet.append([(r * columns + c) % 997 if c % 2 else words[(r + c) % 4] for c in range(columns)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
