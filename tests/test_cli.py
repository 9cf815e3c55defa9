"""The command line: help texts, README drift, parse in its modes, errors, bench."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import eduplan.read
from eduplan.bench import parse as bench
from eduplan.cli import app
from eduplan.errors import ReadError

README = Path(__file__).resolve().parent.parent / "README.md"

TITLE = "某某县教育局2021年上半年工作计划"
CALENDAR = (
    f"{TITLE}\n"
    "周次\t日期\t工作内容\t责任股室\n"
    "1\t3.1—3.7\t开学工作检查\t基教股\n"
    "2\t3.8—3.14\t学校安全隐患排查\t安全股\n"
    "3\t3.15—3.21\t教师资格认定工作\t人事股\n"
    "4\t3.22—3.28\t全国中小学生安全教育日主题活动\t安全股、德育室\n"
)


def _commands(command, path: tuple[str, ...] = ()):
    """Every (path, command) of the Click tree under ``command``, groups included."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


def _leaf_commands():
    return [(p, c) for p, c in _commands(typer.main.get_command(app)) if not hasattr(c, "commands")]


def _options(command) -> set[str]:
    """Every option string ``--help`` shows for a command (``--help`` included)."""
    found = {"--help"}
    for param in command.params:
        if getattr(param, "hidden", False) or param.param_type_name != "option":
            continue
        found.update(param.opts)
        found.update(param.secondary_opts)
    return found


def _write_calendar(folder: Path, name: str = "calendar.txt") -> Path:
    path = folder / name
    path.write_text(CALENDAR, encoding="utf-8")
    return path


def _one_chinese_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    lines = text.splitlines()
    assert len(lines) == 1, text
    assert re.search(r"[\u4e00-\u9fff]", lines[0]), text
    assert "Traceback" not in text
    return lines[0]


# ---------------------------------------------------------------- help and README


def test_every_command_and_option_has_help() -> None:
    seen = []
    for path, command in _commands(typer.main.get_command(app)):
        where = " ".join(("eduplan", *path))
        assert (command.help or "").strip(), f"{where} has no help text"
        for param in command.params:
            assert (getattr(param, "help", None) or "").strip(), f"{where} {param.name} has no help text"
        seen.append(where)
    # The commands this issue promises exist (a rename shows up here).
    assert {"eduplan parse", "eduplan bench", "eduplan bench parse"} <= set(seen)


def test_help_runs_for_every_command() -> None:
    runner = CliRunner()
    for path, _ in _commands(typer.main.get_command(app)):
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output


def _readme_reference() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Command reference\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, "README.md has no '## Command reference' section"
    return match.group(1)


def _readme_sections() -> dict[str, str]:
    """README subsections of the command reference, keyed by command ('eduplan parse')."""
    sections = {}
    parts = re.split(r"^### `([^`]+)`\n", _readme_reference(), flags=re.M)
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        command = " ".join(w for w in heading.split() if re.fullmatch(r"[a-z][a-z-]*", w))
        sections[command] = body
    return sections


def test_readme_command_reference_matches_help() -> None:
    sections = _readme_sections()
    leaves = {" ".join(("eduplan", *p)): c for p, c in _leaf_commands()}
    assert set(sections) == set(leaves), "README command reference and the CLI list different commands"
    for name, command in leaves.items():
        options = _options(command)
        body = sections[name]
        for option in options:
            assert re.search(r"`" + re.escape(option) + r"[`\s]", body), f"README: {name} lacks {option}"
        mentioned = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", body))
        assert mentioned <= options, (
            f"README: {name} mentions options it does not have: {mentioned - options}"
        )


# ---------------------------------------------------------------- parse, one file


def test_parse_json_prints_one_plan_object(tmp_path: Path, run_eduplan) -> None:
    path = _write_calendar(tmp_path)
    run = run_eduplan("parse", path)
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert run.stderr == b""
    plan = json.loads(run.stdout.decode("utf-8"))  # exactly one JSON value, UTF-8
    assert plan["schema"] == "eduplan.plan/1"
    assert plan["source"]["name"] == "calendar.txt"
    assert plan["source"]["sha256"] == hashlib.sha256(CALENDAR.encode("utf-8")).hexdigest()
    assert isinstance(plan["items"], list)
    assert b"\\u" not in run.stdout  # Chinese is written as UTF-8, not escaped


def test_parse_json_same_with_explicit_format_and_year(tmp_path: Path, run_eduplan) -> None:
    path = _write_calendar(tmp_path)
    default = run_eduplan("parse", path)
    explicit = run_eduplan("parse", path, "--format", "json", "--year", "2021")
    assert explicit.returncode == 0, explicit.stderr.decode("utf-8", "replace")
    assert json.loads(explicit.stdout) == json.loads(default.stdout)


def test_parse_table_shows_title_and_columns(tmp_path: Path, run_eduplan) -> None:
    path = _write_calendar(tmp_path)
    run = run_eduplan("parse", path, "--format", "table", env={"COLUMNS": "160"})
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    out = run.stdout.decode("utf-8")
    assert TITLE in out
    for column in ("起止日期", "工作事项", "责任单位", "置信度"):
        assert column in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


def test_bad_year_is_refused_in_chinese(tmp_path: Path) -> None:
    path = _write_calendar(tmp_path)
    result = CliRunner().invoke(app, ["parse", str(path), "--year", "21"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "错误：年份 21 不合理，请给出四位公历年份，如 2021"


# ---------------------------------------------------------------- parse, several files


def test_folder_mode_writes_one_json_per_document(tmp_path: Path, run_eduplan) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _write_calendar(docs, "a.txt")
    _write_calendar(docs, "b.txt")
    (docs / "a.gold.json").write_text("{}", encoding="utf-8")  # an answer file, not a document
    (docs / "notes.csv").write_text("not a document", encoding="utf-8")  # not a format eduplan reads
    out = tmp_path / "out" / "new"  # created by the command
    run = run_eduplan("parse", docs, "--out", out)
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    for name in ("a", "b"):
        plan = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert plan["schema"] == "eduplan.plan/1"
        assert plan["source"]["name"] == f"{name}.txt"
    summary = run.stdout.decode("utf-8").strip().splitlines()[-1]
    assert "文件数 2" in summary
    assert "失败数 0" in summary
    assert "事项数" in summary


def test_folder_mode_counts_failures_and_exits_1(tmp_path: Path, run_eduplan) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    _write_calendar(docs, "good.txt")
    (docs / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    run = run_eduplan("parse", docs, "--out", out)
    assert run.returncode == 1
    assert [p.name for p in out.iterdir()] == ["good.json"]
    summary = run.stdout.decode("utf-8").strip().splitlines()[-1]
    assert "文件数 2" in summary
    assert "失败数 1" in summary
    assert "Traceback" not in run.stderr.decode("utf-8", "replace")


def test_several_files_need_out(tmp_path: Path, run_eduplan) -> None:
    a = _write_calendar(tmp_path, "a.txt")
    b = _write_calendar(tmp_path, "b.txt")
    run = run_eduplan("parse", a, b)
    assert run.returncode == 2
    line = _one_chinese_line(run.stderr)
    assert line.startswith("错误：") and "--out" in line
    assert run.stdout == b""


# ---------------------------------------------------------------- errors


def test_missing_file_is_one_chinese_line_exit_2(tmp_path: Path, run_eduplan) -> None:
    missing = tmp_path / "没有这个文件.txt"
    run = run_eduplan("parse", missing)
    assert run.returncode == 2
    assert _one_chinese_line(run.stderr) == f"错误：找不到文件 {missing}"
    assert run.stdout == b""


def test_read_error_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path, limits=None):
        raise ReadError("文件已损坏，无法读取")

    monkeypatch.setattr(eduplan.read, "read_file", broken)
    path = _write_calendar(tmp_path)
    result = CliRunner().invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    assert result.stderr == "错误：文件已损坏，无法读取\n"
    assert result.stdout == ""


def test_internal_error_is_one_line_exit_1_unless_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def buggy(path, limits=None):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(eduplan.read, "read_file", buggy)
    monkeypatch.delenv("EDUPLAN_DEBUG", raising=False)
    path = _write_calendar(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 1
    assert result.stderr == "内部错误：RuntimeError: boom second line（请报告此问题）\n"

    debug = runner.invoke(app, ["parse", str(path), "--debug"])
    assert isinstance(debug.exception, RuntimeError)
    by_env = runner.invoke(app, ["parse", str(path)], env={"EDUPLAN_DEBUG": "1"})
    assert isinstance(by_env.exception, RuntimeError)


def test_malformed_limit_variable_is_a_chinese_error(tmp_path: Path) -> None:
    path = _write_calendar(tmp_path)
    result = CliRunner().invoke(app, ["parse", str(path)], env={"EDUPLAN_MAX_FILE_BYTES": "lots"})
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：大小限制的环境变量必须是整数")


# ---------------------------------------------------------------- bench


ROWS = [line.split("\t") for line in CALENDAR.splitlines()[1:]]


def _docx(rows: list[list[str]]) -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(rows: list[list[str]]) -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append([TITLE])
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xls(rows: list[list[str]]) -> bytes:
    import io

    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("行事历")
    sheet.write(0, 0, TITLE)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            sheet.write(r, c, text)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _pdf(rows: list[list[str]]) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=16)
    table = Table(rows)
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.8, "black")])
    )
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph(TITLE, style), table])
    return out.getvalue()


def _markdown(rows: list[list[str]]) -> str:
    lines = [f"# {TITLE}", "", "| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines) + "\n"


def _html(rows: list[list[str]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<html><head><meta charset="utf-8"></head><body><h1>{TITLE}</h1><table>{body}</table></body></html>'
    )


def _bench_corpora(tmp_path: Path) -> tuple[Path, Path]:
    """Two small corpora built here (no shared corpus needed): the calendar in every format the
    reader takes, split over two folders; the first holds gold answers and a note with none."""
    first, second = tmp_path / "c1", tmp_path / "c2"
    first.mkdir()
    second.mkdir()
    _write_calendar(first, "a.txt")
    (first / "b.md").write_text(_markdown(ROWS), encoding="utf-8")
    (first / "c.html").write_text(_html(ROWS), encoding="utf-8")
    for stem in ("a", "b", "c"):
        (first / f"{stem}.gold.json").write_text("{}", encoding="utf-8")
    (first / "SOURCES.md").write_text("# 来源\n\n没有答案的说明，不是文档。\n", encoding="utf-8")
    (second / "d.docx").write_bytes(_docx(ROWS))
    (second / "e.xlsx").write_bytes(_xlsx(ROWS))
    (second / "f.xls").write_bytes(_xls(ROWS))
    (second / "g.pdf").write_bytes(_pdf(ROWS))
    return first, second


def test_bench_corpus_documents_are_the_answered_ones(tmp_path: Path) -> None:
    first, second = _bench_corpora(tmp_path)
    assert [p.name for p in bench.corpus_documents(first)] == ["a.txt", "b.md", "c.html"]
    assert [p.name for p in bench.corpus_documents(second)] == ["d.docx", "e.xlsx", "f.xls", "g.pdf"]


def test_bench_figures(tmp_path: Path) -> None:
    first, second = _bench_corpora(tmp_path)
    result = bench.bench_parse([first, second], runs=2)
    assert result.documents == 7
    assert result.corpora == (first, second)
    assert [f.format for f in result.formats] == ["txt", "md", "html", "docx", "xlsx", "xls", "pdf"]
    assert all(f.documents == 1 for f in result.formats)
    txt = result.formats[0]
    # A text file's text is its lines again, one line break each.
    assert txt.text_bytes == txt.file_bytes == len(CALENDAR.encode("utf-8"))
    assert result.text_bytes == sum(f.text_bytes for f in result.formats)
    assert result.file_bytes == sum(f.file_bytes for f in result.formats)
    assert result.read_seconds == pytest.approx(sum(f.read_seconds for f in result.formats))
    assert result.items >= 7 * 4  # every rendering of the calendar gives its four rows
    for name in (
        "floor_seconds",
        "understand_seconds",
        "understand_mb_per_s",
        "floor_mb_per_s",
        "ratio",
        "peak_traced_bytes",
        "max_rss_bytes",
    ):
        assert getattr(result, name) > 0, name
    line = bench.summary_line(result)
    assert line.startswith("bench parse: 7 documents, ")
    assert "understand/floor" in line and " pdf " in line
    report = bench.report_lines(result)
    assert report[-1] == line
    assert any(row.startswith("  pdf：1 个文档") for row in report)


def test_bench_caches_are_emptied_between_passes() -> None:
    from eduplan.text import _t2s_char

    _t2s_char("學")
    assert _t2s_char.cache_info().currsize > 0
    bench.clear_caches()
    assert _t2s_char.cache_info().currsize == 0


def test_bench_command_last_line(tmp_path: Path, run_eduplan) -> None:
    first, second = _bench_corpora(tmp_path)
    run = run_eduplan("bench", "parse", "--corpus", first, "--corpus", second, "--runs", "1")
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    out = run.stdout.decode("utf-8").strip().splitlines()
    assert out[0] == f"语料：{first}、{second}"
    assert re.fullmatch(
        r"bench parse: 7 documents, \d+ KB text \(\d+ KB files\) · understand [\d.]+ [KM]B/s \(\d+ docs/s\)"
        r" · floor [\d.]+ [KM]B/s · understand/floor [\d.]+× · read txt \d+ ms md \d+ ms html \d+ ms"
        r" docx \d+ ms xlsx \d+ ms xls \d+ ms pdf \d+ ms · peak [\d.]+ MB \(RSS \d+ MB\)",
        out[-1],
    ), out[-1]


def test_bench_missing_corpus_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "parse", "--corpus", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：找不到语料文件夹")


def test_default_corpus_is_beside_the_repository(repo_root: Path) -> None:
    corpus = repo_root.parent / "shared" / "corpus"
    assert bench.default_corpus() == corpus / "dev"
    present = [corpus / name for name in ("dev", "dev2") if (corpus / name).is_dir()]
    assert bench.default_corpora() == (present or [corpus / "dev"])
