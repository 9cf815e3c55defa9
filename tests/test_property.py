"""Property-based tests: whatever bytes come in, reading and understanding them either
gives a sane plan or raises ReadError, and no single input takes more than a second.

Examples per test: 200, or ``EDUPLAN_HYPOTHESIS_EXAMPLES``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduplan.errors import ReadError
from eduplan.read import read_bytes
from eduplan.settings import Limits
from eduplan.understand import understand

EXAMPLES = int(os.environ.get("EDUPLAN_HYPOTHESIS_EXAMPLES", "200"))
DEV_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev"
CORPUS = [p.read_bytes() for p in sorted(DEV_CORPUS.glob("*.txt"))] if DEV_CORPUS.is_dir() else []
LIMITS = Limits()

SETTINGS = settings(
    deadline=1000,  # milliseconds: no single input may take longer than a second
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Characters documents of the genre are made of, plus anything else Unicode has.
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
GENRE = st.sampled_from(
    list("年月日周星期一二三四五六七八九十〇零两上中下旬初底末前后至到起止第学寒暑假春秋季")
    + list("股室办站中心科处局校县区市省教育工作计划安排责任单位主持者牵头")
    + list("—－-~～、，。；;：:（）()[]【】《》△●·/.|%％\t\n\r \u3000")
)
DIGITS = st.sampled_from(list("0123456789０１２３４５６７８９"))
ANYTHING = st.characters(blacklist_categories=("Cs",))
TEXT = st.text(alphabet=st.one_of(CJK, GENRE, GENRE, DIGITS, DIGITS, ANYTHING), max_size=3000)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])
NAMES = st.sampled_from(["doc.txt", "doc.htm", "doc.html"])


def check(data: bytes, name: str, year: int | None = None) -> None:
    """The properties every input must have."""
    try:
        doc = read_bytes(data, name, limits=LIMITS)
        plan = understand(doc, year=year)
    except ReadError as exc:
        assert str(exc).strip(), "a ReadError must carry a message for a person"
        return
    n_lines = len(doc.lines)
    for item in plan.items:
        if item.start is not None and item.end is not None:
            assert item.start <= item.end, item
        assert 1 <= item.line <= n_lines, (item.line, n_lines, item.title)
        assert 0.0 <= item.confidence <= 1.0, item
    for target in plan.targets:
        assert 1 <= target.line <= n_lines, (target.line, n_lines, target.indicator)
    if plan.period_start is not None and plan.period_end is not None:
        assert plan.period_start <= plan.period_end, (plan.period_start, plan.period_end)
    json.dumps(plan.to_json(), ensure_ascii=False)  # the contract stays serialisable


@pytest.fixture(scope="module", autouse=True)
def warm_up() -> None:
    """Import-time and first-call costs are not part of any example's second."""
    fallback = "某某县教育局2021年上半年工作计划\n3月1日 开学工作检查 基教股\n".encode()
    sample = CORPUS[0] if CORPUS else fallback
    try:
        understand(read_bytes(sample, "warm.txt", limits=LIMITS))
    except ReadError:
        pass


@SETTINGS
@given(text=TEXT, encoding=ENCODINGS, name=NAMES, year=st.none() | st.integers(1990, 2040))
def test_random_text(text: str, encoding: str, name: str, year: int | None) -> None:
    check(text.encode(encoding), name, year)


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    """A dev corpus document with slices deleted, duplicated, shuffled, inserted or cut mid-character."""
    lines = draw(st.sampled_from(CORPUS)).split(b"\n")
    for _ in range(draw(st.integers(1, 6))):
        n = len(lines)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 200)))
        op = draw(st.sampled_from(["delete", "duplicate", "shuffle", "insert", "cut"]))
        if op == "delete":
            del lines[i:j]
        elif op == "duplicate":
            lines[j:j] = lines[i:j]
        elif op == "shuffle":
            part = lines[i:j]
            lines[i:j] = draw(st.permutations(part)) if part else part
        elif op == "insert":
            inserted = draw(st.text(alphabet=st.one_of(CJK, GENRE, DIGITS), max_size=200))
            lines[i:i] = inserted.encode("utf-8").split(b"\n")
        else:  # cut a byte range out of one line, breaking UTF-8 sequences
            if i < n:
                line = lines[i]
                a = draw(st.integers(0, len(line)))
                b = draw(st.integers(a, min(len(line), a + 7)))
                lines[i] = line[:a] + line[b:]
    return b"\n".join(lines)


@pytest.mark.skipif(not CORPUS, reason=f"no dev corpus .txt documents at {DEV_CORPUS}")
@SETTINGS
@given(data=mutated_documents(), year=st.none() | st.integers(2015, 2030))
def test_mutated_corpus_documents(data: bytes, year: int | None) -> None:
    check(data, "mutated.txt", year)
