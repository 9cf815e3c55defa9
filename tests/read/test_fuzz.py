"""The fuzz driver of ``eduplan bench fuzz``: a CI-sized run finds no crash, and the driver itself
counts what it should (a crash is a crash, a Chinese refusal is not, the same seed gives the same
cases). Timing is the benchmark's business, not asserted here.

The seeds are the project's own: ``data/calendar.txt`` (a school 行事历 with a TAB table) and
``data/plan.txt`` (a bureau's 工作要点 with numbered measures, targets and 责任股室 markers), both
written by hand for these tests, which ``fuzz.build_seeds`` renders in every format. The shared dev
corpus (``../shared/corpus/dev``) adds its seeds where it is present, as under CI."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eduplan.documents
from eduplan.bench import fuzz
from eduplan.errors import EduplanError, ReadError
from eduplan.read import read_bytes
from eduplan.settings import Limits
from eduplan.understand import understand

CI_CASES = 2500
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def own_seeds() -> list[fuzz.Seed]:
    return fuzz.build_seeds(DATA)


@pytest.fixture(scope="module")
def seeds(own_seeds: list[fuzz.Seed], dev_corpus: Path) -> list[fuzz.Seed]:
    if not dev_corpus.is_dir():
        return own_seeds
    return own_seeds + fuzz.build_seeds(dev_corpus)


def test_own_seeds_cover_every_format_without_the_corpus(own_seeds):
    assert {s.format for s in own_seeds} == set(fuzz.FORMATS)
    names = {s.name for s in own_seeds}
    assert {"calendar.txt", "plan.txt", "calendar.docx", "plan.pdf", "calendar.big5.txt"} <= names
    # The seeds are documents the pipeline reads: each gives items before any mutation.
    for name in ("calendar.txt", "plan.txt"):
        seed = next(s for s in own_seeds if s.name == name)
        plan = eduplan.documents.plan_from_bytes(seed.data, seed.name)
        assert len(plan.items) >= 10, name


def test_corpus_seeds_join_where_present(seeds, own_seeds, dev_corpus):
    if not dev_corpus.is_dir():
        pytest.skip(f"no dev corpus at {dev_corpus}: the fuzz tests run on the project's own seeds")
    assert len(seeds) > len(own_seeds)
    assert {s.name for s in seeds} > {s.name for s in own_seeds}


def test_seeds_cover_every_format(seeds):
    assert {s.format for s in seeds} == set(fuzz.FORMATS)
    by_name = {s.name: s for s in seeds}
    docx = next(s for s in seeds if s.format == "docx")
    assert zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml")
    assert any(name.endswith(".gb18030.txt") for name in by_name)


def test_a_ci_sized_run_has_no_crash(seeds, tmp_path):
    result = fuzz.run_fuzz(CI_CASES, seed=2026, out_dir=tmp_path, seeds=seeds)
    assert result.cases == CI_CASES
    assert [f"{c.case.label()}: {c.error}" for c in result.crashes] == []
    # Both outcomes occur: mutations that break files and ones the reader survives.
    assert result.refused > CI_CASES // 20
    assert result.parsed > CI_CASES // 4
    assert set(result.by_format) >= set(fuzz.FORMATS)
    assert list(tmp_path.iterdir()) == [] or result.slowest_saved is not None


def test_same_seed_same_cases_whatever_the_order(seeds):
    first = list(fuzz.generate_cases(30, 7, seeds))
    again = list(fuzz.generate_cases(30, 7, seeds))
    assert [c.data for c in first] == [c.data for c in again]
    # Case 21 alone (as a worker process builds it) is case 21 of the whole run.
    alone = next(fuzz.generate_cases(1, 7, seeds, first=21))
    assert alone.data == first[20].data and alone.number == 21
    other = list(fuzz.generate_cases(30, 8, seeds))
    assert [c.data for c in other] != [c.data for c in first]


def test_crash_refusal_and_english_refusal_are_told_apart(seeds, tmp_path, monkeypatch):
    outcomes = iter([KeyError("boom"), ReadError("文件已损坏"), ReadError("broken file"), None] * 5)

    def pipeline(data, name, year=None, limits=None):
        error = next(outcomes)
        if error is not None:
            raise error
        return understand(read_bytes("3月1日 开学工作会议".encode(), "a.txt"))

    monkeypatch.setattr(eduplan.documents, "plan_from_bytes", pipeline)
    result = fuzz._run_range(1, 4, 1, seeds, Limits(), tmp_path)
    assert (result.cases, result.refused, result.parsed, len(result.crashes)) == (4, 1, 1, 2)
    keyerror, english = result.crashes
    assert "KeyError" in keyerror.error and "拒绝信息不是中文" in english.error
    saved = keyerror.saved
    assert saved is not None and saved.read_bytes() == keyerror.case.data
    note = saved.with_suffix(saved.suffix + ".txt").read_text(encoding="utf-8")
    assert "KeyError: 'boom'" in note and "重现" in note
    assert not fuzz.FuzzResult(cases=1, crashes=[keyerror]).ok


def test_summary_line_names_the_figures():
    case = fuzz.Case(12, "txt", "a.txt", ("flip",), "a.txt", b"x")
    result = fuzz.FuzzResult(cases=100, refused=30, parsed=70, slowest_seconds=0.25, slowest=case)
    line = fuzz.summary_line(result, seed=5)
    assert line.startswith("bench fuzz: 100 个用例（种子 5）· 拒绝 30 · 解析 70 · 崩溃 0 · 最慢 0.250 秒 CPU")
    assert "#12 txt a.txt [flip]" in line
    assert result.ok
    assert not fuzz.FuzzResult(cases=1, slowest_seconds=1.0).ok


def test_ten_thousand_member_mutation_is_refused_in_chinese(seeds):
    import random

    docx = next(s for s in seeds if s.format == "docx")
    rng = random.Random(0)
    while True:  # the mutation picks 100, 2,000 or 10,001 extra members: wait for the last
        data = fuzz._zip_many_members(rng, docx.data)
        if len(zipfile.ZipFile(io.BytesIO(data)).namelist()) > 10_000:
            break
    with pytest.raises(EduplanError, match="数量异常"):
        eduplan.documents.plan_from_bytes(data, "a.docx")


def test_hostile_runs_reach_the_length_asked():
    import random

    rng = random.Random(3)
    for length in (1, 50, 20_000):
        assert len(fuzz.hostile_run(rng, length)) == length


_PLAN_TEXT = st.lists(
    st.one_of(
        st.sampled_from([*fuzz._ALPHABET, "\n", "\r", "\x00", "\u202e"]),
        st.sampled_from(fuzz.HOSTILE),
        st.text(max_size=3),
    ),
    max_size=200,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_PLAN_TEXT, encoding=st.sampled_from(["utf-8", "gb18030", "utf-16", "big5"]))
def test_generated_text_reads_and_parses_or_is_refused(text, encoding):
    """Hypothesis-generated plan-like text: the pipeline returns a plan or refuses in Chinese."""
    case = fuzz.Case(1, "txt", "generated", (), "a.txt", text.encode(encoding, errors="replace"))
    outcome, error = fuzz.run_case(case, Limits())
    assert outcome in ("parsed", "refused"), repr(error)


def test_slow_cases_are_counted_and_saved_as_they_happen(seeds, tmp_path, monkeypatch):
    monkeypatch.setattr(fuzz, "SLOW_SECONDS", 0.0)  # every case counts as slow
    result = fuzz.run_fuzz(3, seed=4, out_dir=tmp_path, seeds=seeds)
    assert result.slow_cases == 3 and not result.ok
    # A saved case is a file with its note beside it (NAME.txt for a case NAME; a case may be a .txt).
    saved = sorted(p.name for p in tmp_path.iterdir() if (tmp_path / f"{p.name}.txt").exists())
    assert [name.split(".")[0] for name in saved] == ["slow-000001", "slow-000002", "slow-000003"]
    assert "3 个用例达到 0.0 秒" in "\n".join(fuzz.report_lines(result, 4))


@pytest.mark.parametrize("fmt", ["xls", "md", "doc"])
def test_cases_are_made_from_seeds_of_every_format_the_reader_takes(fmt):
    # dev2 holds .xls and .md documents: the fuzzer once stopped with KeyError on such a seed
    seeds = [fuzz.Seed(fmt, f"seed.{fmt}", b"\xd0\xcf\x11\xe0 some bytes of a seed document")]
    cases = list(fuzz.generate_cases(40, 7, seeds))
    assert len(cases) == 40
    from_seed = [c for c in cases if c.origin == f"seed.{fmt}"]
    assert from_seed and all(c.format == fmt for c in from_seed)
