"""``eduplan bench parse``: the understanding stage's speed beside the floor any reader pays.

Every document of the corpora (``../shared/corpus/dev`` and ``dev2`` by default) is read once
per timed pass by format (txt, md, html, docx, xlsx, xls, pdf: PDF extraction shows apart), and
its text — the reader's lines, counted as UTF-8 bytes with a line break each — is what the other
two figures are measured on:

* understanding: ``understand`` over the documents already read;
* floor: decoding that same text from its UTF-8 bytes into lines and folding them
  (``eduplan.text.fold_lines``), what any reader of the text pays at least.

Times are CPU time of this one process (one core; a busy shared machine stretches wall time,
not CPU time), medians over ``runs`` passes after one warm-up. Every ``functools`` cache of the
eduplan modules is emptied before each pass, so a pass does not find the previous pass's answers.
Memory: the tracemalloc peak of one understanding pass and the process's maximum resident set size.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import eduplan
from eduplan.documents import GOLD_SUFFIX, find_documents
from eduplan.errors import EduplanError
from eduplan.settings import Limits

MB = 1024 * 1024
DEFAULT_CORPORA = ("dev", "dev2")
"""The folders of ``../shared/corpus`` measured by default, those present."""
FORMAT_ORDER = ("txt", "md", "html", "docx", "xlsx", "xls", "doc", "wps", "et", "pdf")


def repo_root() -> Path:
    """The repository holding the package (eduplan/ is one level below it)."""
    return Path(eduplan.__file__).resolve().parent.parent


def default_corpus() -> Path:
    """``../shared/corpus/dev`` beside the repository."""
    return repo_root().parent / "shared" / "corpus" / "dev"


def default_corpora() -> list[Path]:
    """``../shared/corpus/dev`` and ``dev2`` beside the repository, those present (``dev`` alone,
    missing, when neither is, so the error names where the corpus was looked for)."""
    base = repo_root().parent / "shared" / "corpus"
    present = [base / name for name in DEFAULT_CORPORA if (base / name).is_dir()]
    return present or [default_corpus()]


def corpus_documents(folder: Path) -> list[Path]:
    """Every document of a corpus folder (recursively), gold answers skipped.

    In a folder of answered documents (any ``NAME.gold.json`` in it) the documents are those with
    an answer beside them, so notes such as a ``SOURCES.md`` are not taken for documents.
    """
    if not folder.is_dir():
        raise EduplanError(f"找不到语料文件夹 {folder}")
    docs = find_documents(folder)
    answered = {p.parent / p.name[: -len(GOLD_SUFFIX)] for p in folder.rglob("*" + GOLD_SUFFIX)}
    if answered:
        docs = [p for p in docs if p.parent / p.stem in answered]
    if not docs:
        raise EduplanError(f"语料文件夹 {folder} 中没有文档")
    return docs


@dataclass(frozen=True)
class FormatFigures:
    """Reading one format: its documents, file and text bytes, and the median CPU time per pass."""

    format: str
    documents: int
    file_bytes: int
    text_bytes: int
    read_seconds: float

    @property
    def text_mb_per_s(self) -> float:
        return self.text_bytes / MB / self.read_seconds


@dataclass(frozen=True)
class BenchResult:
    """Figures of one benchmark; times are medians over the timed runs, in CPU seconds."""

    corpora: tuple[Path, ...]
    documents: int
    file_bytes: int
    text_bytes: int
    """The reader's lines as UTF-8, one line break each: what understanding is measured on."""
    runs: int
    floor_seconds: float
    """One floor pass: decode the text from UTF-8 into lines and fold them."""
    understand_seconds: float
    """One understanding pass over the documents already read."""
    read_seconds: float
    """One reading pass over every file (the sum of the formats' passes)."""
    items: int
    """Items found in one understanding pass (a sanity figure, not a speed)."""
    peak_traced_bytes: int
    """tracemalloc peak during one understanding pass."""
    max_rss_bytes: int
    """The process's maximum resident set size at the end."""
    formats: tuple[FormatFigures, ...] = field(default=())

    @property
    def understand_mb_per_s(self) -> float:
        return self.text_bytes / MB / self.understand_seconds

    @property
    def floor_mb_per_s(self) -> float:
        return self.text_bytes / MB / self.floor_seconds

    @property
    def understand_docs_per_s(self) -> float:
        return self.documents / self.understand_seconds

    @property
    def ratio(self) -> float:
        """How many times longer understanding takes than the floor."""
        return self.understand_seconds / self.floor_seconds

    @property
    def parse_seconds(self) -> float:
        """Reading plus understanding, one pass: what a whole parse of the corpora costs."""
        return self.read_seconds + self.understand_seconds


def clear_caches() -> None:
    """Empty every ``functools`` cache of the loaded eduplan modules."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "eduplan" or name.startswith("eduplan.")):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and hasattr(value, "cache_info"):
                clear()


def _median_seconds(work: Callable[[], object], runs: int) -> float:
    clear_caches()
    work()  # warm-up: imports, page cache
    times = []
    for _ in range(runs):
        clear_caches()
        t0 = time.process_time()
        work()
        times.append(time.process_time() - t0)
    # A pass too fast for the clock still gets a positive time.
    return max(statistics.median(times), 1e-9)


def _max_rss_bytes() -> int:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # bytes on macOS, KiB on Linux


def text_bytes(lines: Iterable[str]) -> bytes:
    """A document's lines as UTF-8 text, one line break after each."""
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _format_key(fmt: str) -> tuple[int, str]:
    return (FORMAT_ORDER.index(fmt) if fmt in FORMAT_ORDER else len(FORMAT_ORDER), fmt)


def bench_parse(corpora: Path | Sequence[Path], runs: int = 5, limits: Limits | None = None) -> BenchResult:
    """Time reading (by format), the floor and understanding over every document of ``corpora``."""
    from eduplan.read import read_file
    from eduplan.read.txt import text_lines
    from eduplan.text import fold_lines
    from eduplan.understand import understand

    if runs < 1:
        raise EduplanError("轮数至少为 1")
    folders = (corpora,) if isinstance(corpora, Path) else tuple(corpora)
    if not folders:
        raise EduplanError("没有给出语料文件夹")
    paths = [path for folder in folders for path in corpus_documents(folder)]
    documents = [read_file(path, limits=limits) for path in paths]
    texts = [text_bytes(doc.lines) for doc in documents]

    by_format: dict[str, list[int]] = {}
    for i, doc in enumerate(documents):
        by_format.setdefault(doc.source.format, []).append(i)

    formats = []
    for fmt in sorted(by_format, key=_format_key):
        group = [paths[i] for i in by_format[fmt]]

        def read_pass(group: list[Path] = group) -> None:
            for path in group:
                read_file(path, limits=limits)

        formats.append(
            FormatFigures(
                format=fmt,
                documents=len(group),
                file_bytes=sum(p.stat().st_size for p in group),
                text_bytes=sum(len(texts[i]) for i in by_format[fmt]),
                read_seconds=_median_seconds(read_pass, runs),
            )
        )

    def floor_pass() -> int:
        chars = 0
        for data in texts:
            for line in fold_lines(text_lines(data.decode("utf-8"))):
                chars += len(line)
        return chars

    def understand_pass() -> int:
        return sum(len(understand(doc).items) for doc in documents)

    floor_seconds = _median_seconds(floor_pass, runs)
    understand_seconds = _median_seconds(understand_pass, runs)

    clear_caches()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        items = understand_pass()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    return BenchResult(
        corpora=folders,
        documents=len(documents),
        file_bytes=sum(p.stat().st_size for p in paths),
        text_bytes=sum(map(len, texts)),
        runs=runs,
        floor_seconds=floor_seconds,
        understand_seconds=understand_seconds,
        read_seconds=sum(f.read_seconds for f in formats),
        items=items,
        peak_traced_bytes=peak,
        max_rss_bytes=_max_rss_bytes(),
        formats=tuple(formats),
    )


def _speed(mb_per_s: float) -> str:
    return f"{mb_per_s:.1f} MB/s" if mb_per_s >= 1 else f"{mb_per_s * 1024:.0f} KB/s"


def _size(n: int) -> str:
    return f"{n / MB:.2f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def summary_line(r: BenchResult) -> str:
    """The one greppable line."""
    reading = " ".join(f"{f.format} {f.read_seconds * 1000:.0f} ms" for f in r.formats)
    return (
        f"bench parse: {r.documents} documents, {_size(r.text_bytes)} text ({_size(r.file_bytes)} files)"
        f" · understand {_speed(r.understand_mb_per_s)} ({r.understand_docs_per_s:.0f} docs/s)"
        f" · floor {_speed(r.floor_mb_per_s)}"
        f" · understand/floor {r.ratio:.1f}×"
        f" · read {reading}"
        f" · peak {r.peak_traced_bytes / MB:.1f} MB (RSS {r.max_rss_bytes / MB:.0f} MB)"
    )


def report_lines(r: BenchResult) -> list[str]:
    """What ``eduplan bench parse`` prints, the summary line last."""
    lines = [
        "语料：" + "、".join(str(folder) for folder in r.corpora),
        f"共 {r.documents} 个文档，文件 {_size(r.file_bytes)}，读出的文字 {_size(r.text_bytes)}（UTF-8）；"
        f"每项计时 {r.runs} 轮（另有 1 轮预热），取 CPU 时间（单核）的中位数",
        "读取（按格式）：",
    ]
    for f in r.formats:
        lines.append(
            f"  {f.format}：{f.documents} 个文档，文件 {_size(f.file_bytes)}，文字 {_size(f.text_bytes)}，"
            f"每轮 {f.read_seconds * 1000:.1f} ms，{_speed(f.text_mb_per_s)} 文字"
        )
    lines += [
        f"下限（解码 + 规范化同样的文字）：{_speed(r.floor_mb_per_s)}，每轮 {r.floor_seconds * 1000:.1f} ms",
        f"理解（对读出的文字）：{_speed(r.understand_mb_per_s)}，{r.understand_docs_per_s:,.1f} 文档/s，"
        f"每轮 {r.understand_seconds * 1000:.1f} ms，共 {r.items} 个事项",
        f"理解/下限 耗时之比：{r.ratio:.1f}×",
        f"完整解析（读取 + 理解）：每轮 {r.parse_seconds * 1000:.1f} ms，"
        f"{r.documents / r.parse_seconds:,.1f} 文档/s",
        f"内存峰值：一次理解 {r.peak_traced_bytes / MB:.1f} MB（tracemalloc），"
        f"进程最大 RSS {r.max_rss_bytes / MB:.1f} MB",
        summary_line(r),
    ]
    return lines
