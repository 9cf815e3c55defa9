"""Bad input through the real command, as a person would meet it.

Every refused file ends with exit code 2 (an error the user can act on, not a crash),
nothing on stdout, and exactly one line of Chinese on stderr; never a traceback. Each run
is under RLIMIT_AS 2 GB, and its own peak RSS is checked as well.
"""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
from pathlib import Path

import pytest

MAX_RSS = 1024**3  # 1 GiB: far above a normal parse, far below reading a bomb into memory


def _assert_refused(run) -> str:
    stderr = run.stderr.decode("utf-8", "replace")
    assert not run.timed_out
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    line = lines[0]
    assert re.search(r"[\u4e00-\u9fff]", line), line
    assert line.startswith("错误："), line  # not 内部错误：a refusal, not a crash
    assert run.returncode == 2, (run.returncode, line)
    assert run.stdout == b""
    assert run.max_rss_bytes < MAX_RSS, run.max_rss_bytes
    return line


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("某某县教育局2021年上半年工作计划")
    for month in range(3, 7):
        document.add_paragraph(f"{month}月：开展教学常规检查，责任单位：教研室")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_empty_file(tmp_path: Path, run_eduplan) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    _assert_refused(run_eduplan("parse", path))


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf"])
def test_random_bytes_with_a_document_suffix(tmp_path: Path, run_eduplan, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(random.Random(20210301).randbytes(64 * 1024))
    _assert_refused(run_eduplan("parse", path))


def test_truncated_docx(tmp_path: Path, run_eduplan) -> None:
    data = _docx_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    _assert_refused(run_eduplan("parse", path))


def test_zip_bomb_docx(tmp_path: Path, run_eduplan) -> None:
    """A real docx whose document.xml inflates to 300 MB of zeros."""
    original = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    path = tmp_path / "bomb.docx"
    chunk = b"0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info.filename, original.read(info))
        with bomb.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
            for _ in range(300):
                member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024  # small on disk, huge unpacked
    _assert_refused(run_eduplan("parse", path))


def test_50_mb_text_is_refused_by_the_default_limit(tmp_path: Path, run_eduplan) -> None:
    path = tmp_path / "huge.txt"
    line = "3月1日—3月7日\t开学工作检查\t基教股\n".encode()
    with path.open("wb") as out:
        out.write("某某县教育局2021年上半年工作计划\n".encode())
        block = line * (1024 * 1024 // len(line) + 1)
        while out.tell() < 50 * 1024 * 1024:
            out.write(block)
    _assert_refused(run_eduplan("parse", path))


def test_size_limit_is_configurable(tmp_path: Path, run_eduplan) -> None:
    path = tmp_path / "plan.txt"
    text = "某某县教育局2021年上半年工作计划\n" + "3月1日 开学工作检查 基教股\n" * 100
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 1000
    _assert_refused(run_eduplan("parse", path, env={"EDUPLAN_MAX_FILE_BYTES": "1000"}))


def test_pdf_without_text_layer(tmp_path: Path, run_eduplan) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(2):
        for row in range(10):  # something like a scanned table's ruling, but no text
            pdf.rect(50, 700 - row * 40, 500, 30, stroke=1, fill=row % 2)
        pdf.line(50, 100, 550, 100 + page * 10)
        pdf.circle(300, 400, 50)
        pdf.showPage()
    pdf.save()
    _assert_refused(run_eduplan("parse", path))


def test_document_without_dates_gives_a_plan_with_a_warning(tmp_path: Path, run_eduplan) -> None:
    path = tmp_path / "opinion.txt"
    path.write_text(
        "某某县教育局关于加强学校管理工作的意见\n"
        "一、加强师德师风建设\n"
        "1.开展师德师风专题教育活动，树立先进典型。\n"
        "2.完善教师考核评价机制，落实师德一票否决。\n"
        "二、提升教育教学质量\n"
        "1.深化课堂教学改革，推进集体备课。\n"
        "2.加强教学常规管理，规范作业布置。\n",
        encoding="utf-8",
    )
    run = run_eduplan("parse", path)
    stderr = run.stderr.decode("utf-8", "replace")
    assert run.returncode == 0, stderr
    assert stderr == ""
    assert run.max_rss_bytes < MAX_RSS
    plan = json.loads(run.stdout.decode("utf-8"))
    assert plan["warnings"], "a document without any date must say so in warnings"
    for item in plan["items"]:
        assert item["start"] is None and item["end"] is None, item
