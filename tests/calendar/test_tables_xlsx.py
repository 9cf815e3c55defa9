"""The generic table → .xlsx writer: types kept, formula-like text never a formula, sheet names."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from eduplan.calendar.tables_xlsx import Percent, Sheet, sheet_name, tables_xlsx


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_title_note_header_and_typed_rows():
    data = tables_xlsx(
        [
            Sheet(
                "办结率",
                ["单位", "已办结", "应办结", "办结率", "截止"],
                [["基教股", 2, 3, Percent(2 / 3), date(2024, 9, 6)], ["教研室", 0, 0, Percent(None), None]],
                title="各科室办结率",
                note="截至 2024-09-30",
            )
        ]
    )
    ws = _open(data)["办结率"]
    assert ws["A1"].value == "各科室办结率"
    assert ws["A2"].value == "截至 2024-09-30"
    assert [c.value for c in ws[3]] == ["单位", "已办结", "应办结", "办结率", "截止"]
    first = [c.value for c in ws[4]]
    assert first[:3] == ["基教股", 2, 3]
    assert abs(first[3] - 2 / 3) < 1e-9 and ws["D4"].number_format == "0.0%"
    assert first[4].date() == date(2024, 9, 6)
    assert [c.value for c in ws[5]] == ["教研室", 0, 0, "—", None]
    assert ws.freeze_panes == "A4"


def test_formula_like_text_stays_text():
    evil = '=HYPERLINK("http://example.com","点我")'
    data = tables_xlsx([Sheet("x", ["事项"], [[evil], ["+1+1"], ["@SUM(A1)"], ["-2"]])])
    ws = _open(data)["x"]
    cells = [ws.cell(r, 1) for r in range(2, 6)]
    assert [c.value for c in cells] == [evil, "+1+1", "@SUM(A1)", "-2"]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)
    # In the file itself the text is a string (shared or inline), never an <f> formula element.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_sheet_names_are_made_valid_and_unique():
    assert sheet_name("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert len(sheet_name("很" * 40)) == 31
    wb = _open(tables_xlsx([Sheet("同名", ["a"], []), Sheet("同名", ["a"], [])]))
    assert wb.sheetnames == ["同名", "同名(2)"]
