"""Large calendar downloads are built in a child process, small ones in the request; the file is
the same either way (its cells read back)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest

from eduplan.calendar.model import CalendarDoc, CalendarRow
from eduplan.jobs import exports
from eduplan.jobs.pool import ChildLimits, ChildProcesses

TITLE = "某县教育局2024年秋季学期工作行事历"


class Counting(ChildProcesses):
    def __init__(self) -> None:
        super().__init__(ChildLimits(seconds=60))
        self.runs = 0

    def run(self, fn, *args, **kwargs):
        self.runs += 1
        return super().run(fn, *args, **kwargs)


def calendar(rows: int) -> CalendarDoc:
    first = date(2024, 9, 2)
    return CalendarDoc(
        title=TITLE,
        calname="行事历",
        rows=[
            CalendarRow(
                uid=f"item-{i}",
                title=f"第{i}项工作",
                text=f"第{i}项工作检查",
                start=first + timedelta(days=i % 100),
                end=first + timedelta(days=i % 100),
                units=("基教股",),
            )
            for i in range(rows)
        ],
    )


def cells(data: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]


@pytest.mark.parametrize("threshold, in_child", [("1000", False), ("5", True)])
def test_from_the_threshold_on_the_file_is_built_in_a_child(monkeypatch, threshold, in_child):
    monkeypatch.setenv("EDUPLAN_EXPORT_CHILD_ROWS", threshold)
    processes = Counting()
    doc = calendar(20)
    data = exports.render_export("xlsx", doc, processes=processes)
    assert processes.runs == (1 if in_child else 0)
    found = cells(data)
    assert TITLE in found and "第19项工作" in found
    assert found == cells(exports.render("xlsx", doc))


def test_a_word_download_in_a_child(monkeypatch):
    import docx

    monkeypatch.setenv("EDUPLAN_EXPORT_CHILD_ROWS", "0")
    data = exports.render_export("docx", calendar(3), processes=Counting())
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(data)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "第2项工作" in text


@pytest.mark.parametrize("raw, expected", [("", 2000), ("50", 50), ("x", 2000), ("-3", 2000), ("0", 0)])
def test_the_threshold_from_the_environment(raw, expected):
    assert exports.child_rows({"EDUPLAN_EXPORT_CHILD_ROWS": raw}) == expected
