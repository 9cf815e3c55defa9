"""Child processes with memory and time limits for work that must not run in the server.

Each piece of work runs in a child process of its own, forked from a ``forkserver`` that has
imported the reader once (so a child starts in milliseconds, and never inherits the server's
threads or sockets). The child sets ``RLIMIT_AS`` before it starts, so a document that would take
gigabytes fails with a Chinese message instead of swapping the machine; a child that overruns its
time is killed. A child that exits gives all its memory back to the system — a long-lived pool
worker would keep what one huge document made it grow to (the server grew from 130 to 640 MB over
the upload tests and never came back down).

At most ``processes`` children run at once; more work waits for a free one (in the caller's
thread: call :meth:`ChildProcesses.run` from a worker thread, never the event loop).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from eduplan.errors import EduplanError

log = logging.getLogger(__name__)

PRELOAD = ("eduplan.read", "eduplan.understand", "eduplan.documents", "eduplan.calendar.excel")
"""Modules the fork server imports once, so that every child starts with them loaded."""

Progress = Callable[[str], None]


class JobFailed(EduplanError):
    """The work could not be done; the message is for people (Chinese)."""


class JobTimedOut(JobFailed):
    """The child ran past its time and was killed."""


class JobOutOfMemory(JobFailed):
    """The child needed more memory than its limit."""


@dataclass(frozen=True)
class ChildLimits:
    """Limits of one child. Environment: EDUPLAN_JOB_SECONDS, EDUPLAN_JOB_MEMORY_MB,
    EDUPLAN_JOB_PROCESSES."""

    seconds: float = 120.0
    """Longest a child may run before it is killed."""
    memory_mb: int = 2048
    """Address space a child may take (RLIMIT_AS), in MiB."""
    processes: int = 1
    """Children that run at once (one of the two cores stays for the web server)."""
    niceness: int = 10
    """Added to a child's nice value, so that on a busy machine the pages people are waiting for
    get the CPU before a background import (0 keeps the server's priority)."""

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ChildLimits:
        env = os.environ if environ is None else environ
        default = cls()

        def number(name: str, fallback: float, kind: type) -> Any:
            raw = (env.get(name) or "").strip()
            try:
                value = kind(raw) if raw else fallback
            except ValueError:
                return fallback
            return value if value > 0 else fallback

        return cls(
            seconds=number("EDUPLAN_JOB_SECONDS", default.seconds, float),
            memory_mb=number("EDUPLAN_JOB_MEMORY_MB", default.memory_mb, int),
            processes=number("EDUPLAN_JOB_PROCESSES", default.processes, int),
            niceness=default.niceness,
        )


def timed_out_message(seconds: float) -> str:
    return f"处理时间超过 {seconds:g} 秒上限，已停止。文件可能过大或已损坏，请拆分或另存后再试"


def memory_message(memory_mb: int) -> str:
    return f"处理时所需内存超过 {memory_mb} MB 上限，已停止。文件可能过大或过于复杂，请拆分后再试"


CRASH_MESSAGE = "处理时出现内部错误，没有完成（请报告此问题）"


def died_message(memory_mb: int) -> str:
    return f"处理进程意外退出（可能超出了 {memory_mb} MB 内存上限），没有完成。请拆分文件后再试"


def _child_main(
    conn: Connection, fn: Callable[..., Any], args: tuple, memory_mb: int, niceness: int = 0
) -> None:
    """In the child: lower its priority, limit the address space, run ``fn(progress, *args)``,
    send the outcome."""
    import resource

    if niceness > 0:
        try:
            os.nice(niceness)
        except OSError:  # not allowed here: run at the server's priority
            pass
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # a hard limit already lower: keep it
        pass

    def progress(stage: str) -> None:
        conn.send(("progress", stage))

    try:
        result = fn(progress, *args)
    except MemoryError:
        outcome: tuple[str, Any] = ("memory", None)
    except EduplanError as error:
        outcome = ("error", str(error))
    except Exception:
        log.exception("job %s failed", getattr(fn, "__name__", fn))
        outcome = ("crash", None)
    else:
        outcome = ("ok", result)
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("memory", None))
    conn.close()


class ChildProcesses:
    """Runs functions in limited child processes, at most ``limits.processes`` at once."""

    def __init__(self, limits: ChildLimits | None = None, preload: tuple[str, ...] = PRELOAD) -> None:
        self.limits = limits or ChildLimits.from_env()
        self._slots = threading.BoundedSemaphore(self.limits.processes)
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(list(preload))
        self._children: set[multiprocessing.process.BaseProcess] = set()
        self._lock = threading.Lock()
        self.closed = False

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        progress: Progress | None = None,
        seconds: float | None = None,
    ) -> Any:
        """``fn(progress, *args)`` in a child; its result, or :class:`JobFailed` (Chinese)."""
        limit = seconds or self.limits.seconds
        with self._slots:
            if self.closed:
                raise JobFailed("服务正在停止，没有开始处理，请稍后再试")
            receiver, sender = self._context.Pipe(duplex=False)
            child = self._context.Process(
                target=_child_main,
                args=(sender, fn, args, self.limits.memory_mb, self.limits.niceness),
                daemon=True,
            )
            child.start()
            sender.close()
            with self._lock:
                self._children.add(child)
            try:
                return self._wait(child, receiver, limit, progress)
            finally:
                receiver.close()
                if child.is_alive():
                    child.kill()
                child.join(5)
                with self._lock:
                    self._children.discard(child)

    def _wait(self, child, receiver: Connection, limit: float, progress: Progress | None) -> Any:
        deadline = time.monotonic() + limit
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                child.kill()
                raise JobTimedOut(timed_out_message(limit))
            try:
                ready = receiver.poll(min(left, 0.5))
                message = receiver.recv() if ready else None
            except (EOFError, OSError):
                child.join(5)
                if child.exitcode is not None and child.exitcode < 0:
                    log.warning("job child ended by signal %s", -child.exitcode)
                raise JobFailed(died_message(self.limits.memory_mb)) from None
            if message is None:
                continue
            kind, value = message
            if kind == "progress":
                if progress is not None:
                    progress(value)
                continue
            if kind == "ok":
                return value
            if kind == "error":
                raise JobFailed(value)
            if kind == "memory":
                raise JobOutOfMemory(memory_message(self.limits.memory_mb))
            raise JobFailed(CRASH_MESSAGE)

    def close(self) -> None:
        """Kill the children still running (shutdown); later runs are refused."""
        self.closed = True
        with self._lock:
            children = list(self._children)
        for child in children:
            if child.is_alive():
                child.kill()


_shared: ChildProcesses | None = None
_shared_lock = threading.Lock()


def shared_processes() -> ChildProcesses:
    """The process's one set of limited children (made on first use, limits from the environment)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.closed:
            _shared = ChildProcesses()
        return _shared
