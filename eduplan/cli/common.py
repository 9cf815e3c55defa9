"""What every command shares: UTF-8 output, one Chinese error line, exit codes, common options.

Every error ends in exactly one line on stderr (``错误：…`` exit 2 for what the user can fix,
``内部错误：…`` exit 1 for bugs), never a traceback unless ``--debug`` or ``EDUPLAN_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from eduplan.errors import EduplanError

if TYPE_CHECKING:
    from eduplan.settings import Limits

DebugOption = Annotated[
    bool,
    typer.Option("--debug", help="出错时显示完整的 Python 调用栈（也可设环境变量 EDUPLAN_DEBUG=1）。"),
]


def utf8_streams() -> None:
    """People read Chinese: write UTF-8 whatever the locale or pipe says."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):  # a stream that cannot be reconfigured keeps its encoding
                pass


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def _write_bytes(stream, data: bytes) -> None:
    """Write UTF-8 bytes to a standard stream, whatever encoding the terminal declares."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:  # pragma: no cover - a text-only stream
        stream.write(data.decode("utf-8"))
        stream.flush()


def print_error(line: str) -> None:
    """One line on stderr, as UTF-8 bytes."""
    sys.stdout.flush()
    sys.stderr.flush()
    _write_bytes(sys.stderr, (one_line(line) + "\n").encode("utf-8", "replace"))


def write_stdout_bytes(data: bytes) -> None:
    sys.stdout.flush()
    _write_bytes(sys.stdout, data)


def debug_enabled(debug: bool) -> bool:
    return debug or os.environ.get("EDUPLAN_DEBUG", "").strip() not in ("", "0")


def internal_error_line(exc: BaseException) -> str:
    return f"内部错误：{type(exc).__name__}: {one_line(str(exc))}（请报告此问题）"


def guard(debug: bool, work: Callable[[], int]) -> None:
    """Run a command body; turn its exit code and errors into exit codes and one Chinese line."""
    utf8_streams()
    debug = debug_enabled(debug)
    try:
        code = work()
    except (typer.Exit, typer.Abort):
        raise
    except BrokenPipeError:
        # The reader of our output went away (`| head`): stop quietly.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        print_error("已中断")
        raise typer.Exit(130) from None
    except EduplanError as exc:
        if debug:
            raise
        print_error(f"错误：{exc}")
        raise typer.Exit(2) from None
    except Exception as exc:
        if debug:
            raise
        print_error(internal_error_line(exc))
        raise typer.Exit(1) from None
    raise typer.Exit(code)


def load_limits() -> Limits:
    """Size limits from the environment (EDUPLAN_MAX_FILE_BYTES …), with a Chinese error if malformed."""
    from eduplan.settings import Limits

    try:
        return Limits.from_env()
    except ValueError as exc:
        raise EduplanError(f"大小限制的环境变量必须是整数（{exc}）") from None


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="数据库地址（默认：环境变量 EDUPLAN_DATABASE_URL，否则当前目录的 eduplan.db；"
        "PostgreSQL 写作 postgresql+psycopg://用户@主机/库名）。",
        show_default=False,
    ),
]
BureauOption = Annotated[
    str | None,
    typer.Option("--bureau", help="教育局名称（台账里有多个教育局时用来限定范围）。", show_default=False),
]
OfficeOption = Annotated[
    str | None,
    typer.Option("--office", help="只看这个科室（股室）的事项，可写全称或别名。", show_default=False),
]
SchoolOption = Annotated[
    str | None,
    typer.Option(
        "--school", help="只看这所学校的事项（含“各学校”等面向全体学校的事项）。", show_default=False
    ),
]


def open_sessions(db: str | None):
    """A session factory on the ledger at ``db`` (upgraded to the newest schema on first use)."""
    from eduplan.ledger.db import connect, sessions

    return sessions(connect(db))


def parse_day(text: str | None, option: str = "--date"):
    """``2021-03-01`` (or ``2021/3/1``) as a date; a Chinese error otherwise."""
    from datetime import date

    if text is None:
        return None
    parts = text.strip().replace("/", "-").split("-")
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except (ValueError, IndexError):
        raise EduplanError(f"{option} 的日期“{text}”看不懂，请写成 2021-03-01") from None
