"""The ledger commands end to end through the Typer app (``--db`` a SQLite file or the
PostgreSQL test schema): import, plans, agenda, export, units, db and holidays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.ledger import migrate

BUREAU = "甲县教育局"
CALENDAR = (
    "甲县教育局2024—2025学年度第一学期工作行事历\n"
    "周次\t起止日期\t工作内容\t责任单位\n"
    "9.2\n|\n9.8\n△秋季开学工作检查\n督导室\n"
    "9.9\n|\n9.15\n△庆祝教师节系列活动\n工会\n"
    "9.16\n|\n9.22\n△中小学教学视导\n基教股\n"
)
CALENDAR_TITLES = ["秋季开学工作检查", "庆祝教师节系列活动", "中小学教学视导"]
PLAN = (
    "甲县教育局2024年秋季学期工作要点\n"
    "一、加强教学管理\n"
    "1.开展课堂教学视导。(责任科室:基础教育股)\n"
    "2.做好国庆安全检查。(责任科室:校安股)\n"
)
# Plain output whatever the environment: wide lines, no colour codes, no --debug tracebacks.
ENV = {"COLUMNS": "220", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "EDUPLAN_DEBUG": None}


def run(*args: str | Path):
    result = CliRunner().invoke(app, [str(a) for a in args], env=ENV)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def table_cells(row: str) -> list[str]:
    """The cells of one row of a table as rich prints it (``│ 1 │ 基教股 │ … │``)."""
    return [cell.strip() for cell in row.strip().strip("│").split("│")]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def imported(tmp_path, db) -> str:
    """A SQLite ledger with the calendar and the plan imported under 甲县教育局."""
    calendar, plan = write(tmp_path, "行事历.txt", CALENDAR), write(tmp_path, "要点.txt", PLAN)
    assert run("import", calendar, plan, "--bureau", BUREAU, "--db", db).exit_code == 0
    return db


def test_import_of_two_files_prints_a_line_per_file_and_the_summary(tmp_path, ledger_url):
    calendar, plan = write(tmp_path, "行事历.txt", CALENDAR), write(tmp_path, "要点.txt", PLAN)
    result = run("import", calendar, plan, "--bureau", BUREAU, "--db", ledger_url)
    assert result.exit_code == 0
    assert lines(result.stdout) == ["文件数 2 · 成功 2 · 失败 0"]
    done = [line for line in lines(result.stderr) if line.startswith("✓")]
    assert len(done) == 2
    assert done[0].startswith(
        f"✓ 行事历.txt → {BUREAU} · 甲县教育局2024—2025学年度第一学期工作行事历：第 1 版，事项 3 项"
    )
    assert done[1].startswith(f"✓ 要点.txt → {BUREAU} · 甲县教育局2024年秋季学期工作要点：第 1 版，事项 2 项")

    listed = run("plans", "--db", ledger_url)
    assert listed.exit_code == 0
    rows = [table_cells(line) for line in lines(listed.stdout) if line.startswith("│")]
    # 编号, 教育局, 标题, 版本, 事项
    assert [row[1:] for row in rows] == [
        [BUREAU, "甲县教育局2024—2025学年度第一学期工作行事历", "1", "3"],
        [BUREAU, "甲县教育局2024年秋季学期工作要点", "1", "2"],
    ]


def test_importing_again_and_a_revision_are_reported(tmp_path, db):
    calendar = write(tmp_path, "行事历.txt", CALENDAR)
    assert run("import", calendar, "--bureau", BUREAU, "--db", db).exit_code == 0
    again = run("import", calendar, "--bureau", BUREAU, "--db", db)
    assert again.exit_code == 0
    assert "与已导入的第 1 版是同一文件，未作改动" in again.stderr

    revised = write(
        tmp_path, "行事历（修订）.txt", CALENDAR.replace("中小学教学视导", "中小学教学视导及作业检查")
    )
    result = run("import", revised, "--bureau", BUREAU, "--db", db)
    assert result.exit_code == 0
    assert "第 2 版，事项 3 项，指标 0 项；新增 0、删除 0、修改 1" in result.stderr
    assert "修改：中小学教学视导及作业检查" in lines(result.stderr)


def test_import_of_a_missing_file_is_one_error_line_and_imports_nothing(tmp_path, db):
    calendar = write(tmp_path, "行事历.txt", CALENDAR)
    missing = tmp_path / "没有这个文件.txt"
    result = run("import", calendar, missing, "--bureau", BUREAU, "--db", db)
    # Files are checked before any is read: a path that does not exist is the user's to fix
    # (exit 2, one line), not a per-file failure.
    assert result.exit_code == 2
    assert lines(result.stderr) == [f"错误：找不到文件 {missing}"]
    assert result.stdout == ""
    assert not (tmp_path / "cli.db").exists()


def test_import_of_an_empty_file_is_a_per_file_failure(tmp_path, db):
    calendar = write(tmp_path, "行事历.txt", CALENDAR)
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    result = run("import", calendar, empty, "--bureau", BUREAU, "--db", db)
    assert result.exit_code == 1
    assert lines(result.stdout) == ["文件数 2 · 成功 1 · 失败 1"]
    errors = [line for line in lines(result.stderr) if "错误" in line]
    assert errors == [f"错误：{empty}：空.txt 是空文件"]
    # The other file was imported all the same.
    assert "工作行事历" in run("plans", "--db", db).stdout


def test_agenda_of_a_term_week(imported):
    result = run("agenda", "--week", "1", "--date", "2024-09-02", "--bureau", BUREAU, "--db", imported)
    assert result.exit_code == 0
    out = lines(result.stdout)
    assert out[0] == "2024—2025学年度第一学期 第一周（2024-09-02 至 2024-09-08）"
    # The calendar's week 1 item and both items of the plan (their span is the whole term,
    # 2024-09-01 .. 2025-01-31: the document gives them no dates of their own).
    assert "到期事项（3 项）" in out
    shown = "\n".join(out)
    assert "秋季开学工作检查" in shown and "督导室" in shown
    assert "庆祝教师节系列活动" not in shown  # week 2


def test_agenda_errors_are_one_chinese_line(imported, db, tmp_path):
    office = run("agenda", "--date", "2024-09-02", "--office", "不存在股", "--db", imported)
    assert (office.exit_code, lines(office.stderr)) == (2, ["错误：找不到科室“不存在股”"])
    bad_date = run("agenda", "--date", "2024-13-45", "--db", imported)
    assert (bad_date.exit_code, lines(bad_date.stderr)) == (
        2,
        ["错误：--date 的日期“2024-13-45”看不懂，请写成 2021-03-01"],
    )
    empty = run("agenda", "--week", "1", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert empty.exit_code == 2
    assert len(lines(empty.stderr)) == 1 and lines(empty.stderr)[0].startswith("错误：还没有学期记录")


def test_export_ics_writes_a_parseable_file(imported, tmp_path):
    out = tmp_path / "导出" / "甲县.ics"
    result = run("export", "--format", "ics", "-o", out, "--bureau", BUREAU, "--db", imported)
    assert result.exit_code == 0
    assert lines(result.stdout)[0].startswith(f"已导出 {out}（")
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == sorted([*CALENDAR_TITLES, "开展课堂教学视导", "做好国庆安全检查"])

    only = tmp_path / "督导室.ics"
    assert run("export", "--format", "ics", "-o", only, "--office", "督导室", "--db", imported).exit_code == 0
    events = icalendar.Calendar.from_ical(only.read_bytes()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["秋季开学工作检查"]


def test_export_status_column_only_with_the_flag(imported, tmp_path, monkeypatch):
    import docx
    import openpyxl

    # 9-10: 开学检查 (9.2—9.8) is past and open, the other two calendar items are to come.
    monkeypatch.setattr("eduplan.ledger.exporting.clock_today", lambda: date(2024, 9, 10))
    plain, flagged = tmp_path / "plain.xlsx", tmp_path / "flagged.xlsx"
    assert (
        run("export", "--format", "xlsx", "-o", plain, "--office", "督导室", "--db", imported).exit_code == 0
    )
    args = (
        "export",
        "--format",
        "xlsx",
        "-o",
        flagged,
        "--office",
        "督导室",
        "--with-status",
        "--db",
        imported,
    )
    assert run(*args).exit_code == 0
    ws = openpyxl.load_workbook(plain)["行事历"]
    assert [c.value for c in ws[2]] == ["月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者"]
    assert not any("状态" in str(c.value) or "逾期" in str(c.value) for row in ws.iter_rows() for c in row)
    ws = openpyxl.load_workbook(flagged)["行事历"]
    assert ws["G2"].value == "状态"
    assert [
        (ws[f"D{r}"].value, ws[f"G{r}"].value) for r in range(3, ws.max_row + 1) if ws[f"D{r}"].value
    ] == [("秋季开学工作检查", "已逾期")]

    week = tmp_path / "week.docx"
    args = ("export", "--format", "docx", "--layout", "week", "-o", week, "--with-status", "--db", imported)
    assert run(*args, "--office", "基教股").exit_code == 0
    table = docx.Document(str(week)).tables[0]
    assert [c.text for c in table.rows[0].cells][-1] == "状态"
    assert [(r.cells[3].text, r.cells[6].text) for r in table.rows[1:] if r.cells[3].text] == [
        ("中小学教学视导", "未开始")
    ]


def test_units_merge_then_list(imported):
    before = run("units", "list", "--review", "--bureau", BUREAU, "--db", imported)
    assert before.exit_code == 0
    assert "基础教育股" in before.stdout and "基教股" in before.stdout

    merged = run("units", "merge", "基础教育股", "基教股", "--bureau", BUREAU, "--db", imported)
    assert merged.exit_code == 0
    assert lines(merged.stdout) == ["已把“基础教育股”并入“基教股”"]

    after = run("units", "list", "--bureau", BUREAU, "--db", imported)
    assert after.exit_code == 0
    assert "基础教育股" not in after.stdout
    row = next(line for line in lines(after.stdout) if "基教股" in line)
    cells = table_cells(row)
    assert cells[1:] == ["基教股", "科室", ""]  # reviewed by the merge
    assert "基教股" not in run("units", "list", "--review", "--bureau", BUREAU, "--db", imported).stdout

    again = run("units", "merge", "基础教育股", "基教股", "--bureau", BUREAU, "--db", imported)
    assert (again.exit_code, lines(again.stderr)) == (2, ["错误：“基础教育股”已经是“基教股”的别名"])


def test_db_current_and_upgrade(ledger_url):
    head = migrate.head()
    fresh = run("db", "current", "--db", ledger_url)
    assert (fresh.exit_code, lines(fresh.stdout)) == (0, [f"当前 空 · 最新 {head}"])
    upgraded = run("db", "upgrade", "--db", ledger_url)
    assert (upgraded.exit_code, lines(upgraded.stdout)) == (0, [f"数据库结构：空 → {head}"])
    current = run("db", "current", "--db", ledger_url)
    assert (current.exit_code, lines(current.stdout)) == (0, [f"当前 {head} · 最新 {head}"])


def test_an_unsupported_database_is_one_chinese_line():
    result = run("plans", "--db", "mysql://someone@localhost/ledger")
    assert (result.exit_code, lines(result.stderr)) == (
        2,
        ["错误：不支持的数据库：mysql（支持 SQLite 和 PostgreSQL）"],
    )


def test_holidays_added_for_2027_show_in_the_agenda(tmp_path, db):
    before = run("agenda", "--date", "2027-10-01", "--db", db)
    assert before.exit_code == 0
    assert any(line.startswith("提示：2027年的法定节假日安排尚未录入") for line in lines(before.stdout))
    assert "国庆节" not in before.stdout

    arrangement = write(
        tmp_path,
        "2027放假安排.txt",
        "# 国务院办公厅关于2027年部分节假日安排的通知\n"
        "2027-10-01..2027-10-07 国庆节 休\n"
        "2027-09-26 国庆节 班\n",
    )
    added = run("holidays", "add", arrangement, "--db", db)
    assert (added.exit_code, lines(added.stdout)) == (0, ["已录入 8 天"])

    after = run("agenda", "--date", "2027-10-01", "--db", db)
    assert after.exit_code == 0
    out = lines(after.stdout)
    assert out[0] == "2027-10-01"
    assert "🏮 10-01 国庆节放假" in out
    assert not any(line.startswith("提示：") for line in out)


def test_a_malformed_holiday_file_names_its_line(tmp_path, db):
    bad = write(tmp_path, "bad.txt", "2027-10-01 国庆节 休\n2027-10-02 国庆节 放\n")
    result = run("holidays", "add", bad, "--db", db)
    assert (result.exit_code, lines(result.stderr)) == (
        2,
        ["错误：第2行：最后一项应为“休”或“班”，而不是“放”。"],
    )
