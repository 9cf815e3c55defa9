"""``eduplan bench parse``: parse throughput beside the floor any parser pays.

The floor is reading every document and normalising every line (``read_file`` +
``eduplan.text.normalize``); the full parse is ``read_file`` + ``understand``. Both run
over the whole corpus in one process, ``runs`` times after one warm-up; the figures are
medians over the runs. Memory: the tracemalloc peak of one parse pass and the process's
maximum resident set size.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import eduplan
from eduplan.documents import find_documents
from eduplan.errors import EduplanError
from eduplan.settings import Limits

MB = 1024 * 1024


def repo_root() -> Path:
    """The repository holding the package (eduplan/ is one level below it)."""
    return Path(eduplan.__file__).resolve().parent.parent


def default_corpus() -> Path:
    """``../shared/corpus/dev`` beside the repository."""
    return repo_root().parent / "shared" / "corpus" / "dev"


def corpus_documents(folder: Path) -> list[Path]:
    """Every document of a corpus folder (recursively), gold answers skipped."""
    if not folder.is_dir():
        raise EduplanError(f"找不到语料文件夹 {folder}")
    docs = find_documents(folder)
    if not docs:
        raise EduplanError(f"语料文件夹 {folder} 中没有文档")
    return docs


@dataclass(frozen=True)
class BenchResult:
    """Figures of one benchmark; speeds are medians over the timed runs."""

    documents: int
    total_bytes: int
    runs: int
    floor_seconds: float
    """Median time of one floor pass (read + normalise) over the corpus."""
    parse_seconds: float
    """Median time of one full parse pass (read + understand) over the corpus."""
    items: int
    """Items found in one parse pass (a sanity figure, not a speed)."""
    peak_traced_bytes: int
    """tracemalloc peak during one parse pass."""
    max_rss_bytes: int
    """The process's maximum resident set size at the end."""

    @property
    def parse_docs_per_s(self) -> float:
        return self.documents / self.parse_seconds

    @property
    def parse_kb_per_s(self) -> float:
        return self.total_bytes / 1024 / self.parse_seconds

    @property
    def floor_docs_per_s(self) -> float:
        return self.documents / self.floor_seconds

    @property
    def floor_kb_per_s(self) -> float:
        return self.total_bytes / 1024 / self.floor_seconds

    @property
    def ratio(self) -> float:
        """How many times longer the full parse takes than the floor."""
        return self.parse_seconds / self.floor_seconds


def _median_seconds(work: Callable[[], object], runs: int) -> float:
    work()  # warm-up: imports, caches, page cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    # A pass too fast for the clock still gets a positive time.
    return max(statistics.median(times), 1e-9)


def _max_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # bytes on macOS, KiB on Linux


def bench_parse(corpus: Path, runs: int = 5, limits: Limits | None = None) -> BenchResult:
    """Time the floor and the full parse over every document of ``corpus``."""
    from eduplan.read import read_file
    from eduplan.text import normalize
    from eduplan.understand import understand

    if runs < 1:
        raise EduplanError("轮数至少为 1")
    docs = corpus_documents(corpus)
    total_bytes = sum(p.stat().st_size for p in docs)

    def floor_pass() -> int:
        chars = 0
        for path in docs:
            for line in read_file(path, limits=limits).lines:
                chars += len(normalize(line))
        return chars

    def parse_pass() -> int:
        items = 0
        for path in docs:
            items += len(understand(read_file(path, limits=limits)).items)
        return items

    floor_seconds = _median_seconds(floor_pass, runs)
    parse_seconds = _median_seconds(parse_pass, runs)

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        items = parse_pass()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    return BenchResult(
        documents=len(docs),
        total_bytes=total_bytes,
        runs=runs,
        floor_seconds=floor_seconds,
        parse_seconds=parse_seconds,
        items=items,
        peak_traced_bytes=peak,
        max_rss_bytes=_max_rss_bytes(),
    )


def _speed(kb_per_s: float) -> str:
    return f"{kb_per_s / 1024:.1f} MB/s" if kb_per_s >= 1024 else f"{kb_per_s:.0f} KB/s"


def summary_line(r: BenchResult) -> str:
    """The one greppable line."""
    return (
        f"bench parse: {r.documents} documents, {r.total_bytes / 1024:.0f} KB"
        f" · parse {_speed(r.parse_kb_per_s)} ({r.parse_docs_per_s:.0f} docs/s)"
        f" · floor {_speed(r.floor_kb_per_s)}"
        f" · parse/floor {r.ratio:.1f}×"
        f" · peak {r.peak_traced_bytes / MB:.1f} MB (RSS {r.max_rss_bytes / MB:.0f} MB)"
    )


def report_lines(r: BenchResult) -> list[str]:
    """What ``eduplan bench parse`` prints, the summary line last."""
    return [
        f"语料：{r.documents} 个文档，共 {r.total_bytes / 1024:.1f} KB；"
        f"每项计时 {r.runs} 轮（另有 1 轮预热），取中位数",
        f"下限（读取 + 规范化）：{r.floor_kb_per_s:,.0f} KB/s，{r.floor_docs_per_s:,.1f} 文档/s，"
        f"每轮 {r.floor_seconds * 1000:.1f} ms",
        f"完整解析（读取 + 理解）：{r.parse_kb_per_s:,.0f} KB/s，{r.parse_docs_per_s:,.1f} 文档/s，"
        f"每轮 {r.parse_seconds * 1000:.1f} ms，共 {r.items} 个事项",
        f"解析/下限 耗时之比：{r.ratio:.1f}×",
        f"内存峰值：一次解析 {r.peak_traced_bytes / MB:.1f} MB（tracemalloc），"
        f"进程最大 RSS {r.max_rss_bytes / MB:.1f} MB",
        summary_line(r),
    ]
