"""Limited child processes: each piece of work in a process of its own, its result and progress
sent back, killed past its time, stopped past its memory, with a Chinese message each time."""

from __future__ import annotations

import os

import pytest

from eduplan.jobs import samples
from eduplan.jobs.pool import ChildLimits, ChildProcesses, JobFailed, JobOutOfMemory, JobTimedOut


@pytest.fixture(scope="module")
def processes() -> ChildProcesses:
    return ChildProcesses(ChildLimits(seconds=30, memory_mb=1024, processes=1))


def test_the_result_and_the_progress_come_back(processes):
    stages = []
    assert processes.run(samples.echo, {"计划": [1, 2]}, progress=stages.append) == {"计划": [1, 2]}
    assert stages == ["收到"]


def test_each_run_is_a_process_of_its_own(processes):
    first, second = processes.run(samples.pid), processes.run(samples.pid)
    assert first != second
    assert os.getpid() not in (first, second)


def test_a_child_runs_below_the_server_s_priority():
    """A background import must not take the CPU from the pages people are waiting for."""
    here = os.nice(0)
    assert ChildLimits().niceness == 10
    assert ChildProcesses(ChildLimits(seconds=30, niceness=10)).run(samples.niceness) == min(here + 10, 19)
    assert ChildProcesses(ChildLimits(seconds=30, niceness=0)).run(samples.niceness) == here


def test_a_child_past_its_time_is_killed_with_a_chinese_message():
    short = ChildProcesses(ChildLimits(seconds=1, memory_mb=1024))
    with pytest.raises(JobTimedOut, match="处理时间超过 1 秒上限，已停止"):
        short.run(samples.sleep, 60)
    assert not short._children  # nothing left running


def test_a_child_past_its_memory_limit_stops_with_a_chinese_message(processes):
    with pytest.raises(JobOutOfMemory, match="所需内存超过 1024 MB 上限"):
        processes.run(samples.allocate, 2048)
    assert processes.run(samples.allocate, 16) == 16 * 1024 * 1024  # the next one still runs


def test_a_reading_error_is_passed_on_as_it_is(processes):
    from eduplan.jobs.reading import read_upload_job

    with pytest.raises(JobFailed, match=r"文件是空的：空\.txt"):
        processes.run(read_upload_job, b"  \n", "空.txt", None)


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, ChildLimits(120.0, 2048, 1, 10)),
        ({"EDUPLAN_JOB_SECONDS": "5", "EDUPLAN_JOB_MEMORY_MB": "512"}, ChildLimits(5.0, 512, 1, 10)),
        ({"EDUPLAN_JOB_PROCESSES": "3"}, ChildLimits(120.0, 2048, 3, 10)),
        ({"EDUPLAN_JOB_SECONDS": "abc", "EDUPLAN_JOB_MEMORY_MB": "-1"}, ChildLimits(120.0, 2048, 1, 10)),
    ],
)
def test_limits_from_the_environment(environ, expected):
    assert ChildLimits.from_env(environ) == expected
