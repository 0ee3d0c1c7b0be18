"""Run now, the backend: the job leads its own session, `cancel()` stops its whole process group,
and every ending (exit status, signal, cancel, failure to start) is said in words."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.run_now import (
    RunResult,
    run_job_now,
    scheduler_environment,
    start_failure_words,
    start_job_now,
)
from tests.run_jobs import alive, kill_group, needs_proc, read_pid, write_sleeping_job


def _job(tmp_path: Path, binary: Path) -> NightlyJob:
    return NightlyJob(
        schedule="0 2 * * *",
        binary=binary,
        config=tmp_path / "config.yaml",
        stdout_log=tmp_path / "prompt-alchemy-nightly.log",
        stderr_log=tmp_path / "prompt-alchemy-nightly.error.log",
    )


def _environment(job: NightlyJob) -> dict[str, str]:
    return scheduler_environment(job, "/usr/bin:/bin", Path.home())


def _wait_for(path: Path, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = read_pid(path)
        if pid is not None:
            return pid
        time.sleep(0.02)
    raise AssertionError(f"{path} never appeared")


@needs_proc
def test_cancel_stops_the_whole_process_group_grandchild_included(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    write_sleeping_job(stand_in_binary, tmp_path)
    job = _job(tmp_path, stand_in_binary)
    running = start_job_now(job, _environment(job))
    try:
        assert os.getsid(running.pid) == running.pid and os.getpgid(running.pid) == running.pid
        grandchild = _wait_for(tmp_path / "grandchild.pid")
        assert os.getpgid(grandchild) == running.pid
        assert running.wait(0.2) is None  # still going
        running.cancel()
        result = running.wait(10)
        assert result is not None and result.cancelled and not result.killed
        assert not alive(running.pid) and not alive(grandchild)
        assert result.summary().startswith("Run cancelled after ")
        assert result.summary().endswith(": the job was ended by SIGTERM.")
    finally:
        kill_group(running.pid, tmp_path)


@needs_proc
def test_a_job_that_ignores_sigterm_is_killed_after_the_grace_period(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    write_sleeping_job(stand_in_binary, tmp_path, ignore_term=True)
    job = _job(tmp_path, stand_in_binary)
    running = start_job_now(job, _environment(job), grace=0.5)
    try:
        grandchild = _wait_for(tmp_path / "grandchild.pid")
        running.cancel()
        running.cancel()  # a second cancel changes nothing
        assert running.wait(0.3) is None  # SIGTERM is ignored: still there within the grace period
        result = running.wait(10)
        assert result is not None and result.cancelled and result.killed
        assert not alive(running.pid) and not alive(grandchild)
        assert result.summary().endswith(": SIGTERM did not stop all of it, so it was killed (SIGKILL).")
    finally:
        kill_group(running.pid, tmp_path)


def test_a_run_that_ended_cannot_be_cancelled_and_says_its_exit_status(
    tmp_path: Path, stand_in_binary: Path
) -> None:
    stand_in_binary.write_text("#!/bin/sh\necho failing >&2\nexit 3\n")
    job = _job(tmp_path, stand_in_binary)
    running = start_job_now(job, _environment(job))
    result = running.wait(10)
    running.cancel()
    assert result is not None and result.exit_status == 3 and not result.cancelled
    assert running.wait(0) == result
    assert result.summary().startswith("The job exited with status 3 after ")
    assert job.stderr_log.read_text() == "failing\n"


def test_run_job_now_waits_for_the_end(tmp_path: Path, stand_in_binary: Path) -> None:
    job = _job(tmp_path, stand_in_binary)
    result = run_job_now(job, _environment(job))
    assert result.succeeded and result.summary().startswith("The job exited with status 0 after ")


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (127, "exited with status 127 (a command was not found: see the error log)"),
        (126, "exited with status 126 (a command was found but could not be run: see the error log)"),
        (-9, "was ended by SIGKILL"),
    ],
)
def test_endings_are_said_in_words(status: int, words: str) -> None:
    from datetime import datetime

    result = RunResult("prompt-alchemy nightly", status, datetime.now().astimezone(), 1.25)
    assert result.summary() == f"The job {words} after 1.2 s."


def test_a_missing_binary_is_said_in_words(tmp_path: Path, stand_in_binary: Path) -> None:
    job = _job(tmp_path, tmp_path / "gone" / "prompt-alchemy")
    with pytest.raises(FileNotFoundError) as caught:
        start_job_now(job, _environment(job))
    assert start_failure_words(caught.value) == f"{job.binary}: No such file or directory"


def test_a_binary_that_is_not_executable_says_how_to_fix_it(tmp_path: Path, stand_in_binary: Path) -> None:
    stand_in_binary.chmod(0o644)
    job = _job(tmp_path, stand_in_binary)
    with pytest.raises(PermissionError) as caught:
        start_job_now(job, _environment(job))
    assert start_failure_words(caught.value) == (
        f"{stand_in_binary}: permission denied: make it executable with chmod +x {stand_in_binary}"
    )


def test_a_script_whose_interpreter_is_missing_says_so(tmp_path: Path, stand_in_binary: Path) -> None:
    stand_in_binary.write_text("#!/nonexistent/interpreter\n")
    job = _job(tmp_path, stand_in_binary)
    with pytest.raises(FileNotFoundError) as caught:
        start_job_now(job, _environment(job))
    assert start_failure_words(caught.value) == (
        f"{stand_in_binary}: No such file or directory "
        "(the file is there: the interpreter on its #! line is not)"
    )


@pytest.mark.parametrize(
    ("seconds", "words"), [(0.4, "0 s"), (59.9, "59 s"), (725, "12 min 5 s"), (7385, "2 h 3 min")]
)
def test_running_times_read_as_people_say_them(seconds: float, words: str) -> None:
    from prompt_alchemy_scheduler_tui.backends.relative_time import duration

    assert duration(seconds) == words
