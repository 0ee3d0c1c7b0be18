"""Installing the recorder: its script as a planned file change, the store's private directory, and the
install line that missed-run counting starts from; what a hostile state directory does to each."""

from __future__ import annotations

import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.private_files import state_directory
from prompt_alchemy_scheduler_tui.backends.recorder_install import (
    install_recorder,
    prepare_records,
    record_install,
    recorder_change,
)
from prompt_alchemy_scheduler_tui.backends.run_recorder import (
    SCRIPT_MODE,
    RunRecorder,
    split_scheduled_argv,
)
from prompt_alchemy_scheduler_tui.backends.run_records import read_records
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ConcurrentEditError, SchedulerError


def _recorder() -> RunRecorder:
    return RunRecorder.default(state_directory())


def test_an_install_line_is_appended_to_a_private_store_and_read_back() -> None:
    recorder = _recorder()
    assert record_install(recorder, "cron", when=1_795_000_000) is None
    assert record_install(recorder, "systemd", when=1_795_000_100) is None
    book = read_records(recorder)
    assert [(i.time, i.method) for i in book.installs] == [
        (1_795_000_000, "cron"),
        (1_795_000_100, "systemd"),
    ]
    assert stat.S_IMODE(recorder.records.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(recorder.records.stat().st_mode) == 0o600


def test_a_fifo_as_the_store_is_a_note_not_a_hang() -> None:
    recorder = _recorder()
    recorder.records.parent.mkdir(parents=True, mode=0o700)
    os.mkfifo(recorder.records)
    began = time.monotonic()
    note = record_install(recorder, "cron")
    assert time.monotonic() - began < 10  # a hang guard
    assert note is not None and "could not be recorded" in note


def test_a_link_as_the_store_is_a_note_and_its_target_untouched(tmp_path: Path) -> None:
    recorder = _recorder()
    recorder.records.parent.mkdir(parents=True, mode=0o700)
    target = tmp_path / "victim"
    target.write_text("mine\n")
    recorder.records.symlink_to(target)
    note = record_install(recorder, "cron")
    assert note is not None and "could not be recorded" in note
    assert target.read_text() == "mine\n"


def test_a_store_directory_that_is_a_link_is_refused(tmp_path: Path) -> None:
    recorder = _recorder()
    recorder.records.parent.parent.mkdir(parents=True, mode=0o700)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    recorder.records.parent.symlink_to(elsewhere)
    assert record_install(recorder, "cron") is not None
    with pytest.raises(SchedulerError, match="nothing was written"):
        prepare_records(recorder)
    assert list(elsewhere.iterdir()) == []


def test_a_store_directory_others_can_write_to_is_refused() -> None:
    recorder = _recorder()
    recorder.records.parent.mkdir(parents=True)
    recorder.records.parent.chmod(0o777)
    with pytest.raises(SchedulerError, match="Cannot create"):
        prepare_records(recorder)


def test_the_script_is_a_planned_change_until_it_says_the_same() -> None:
    recorder = _recorder()
    (change,) = recorder_change(recorder)
    assert (change.path, change.before, change.after, change.mode) == (
        recorder.script,
        None,
        recorder.script_text,
        SCRIPT_MODE,
    )
    install_recorder(recorder, (change,))
    assert recorder.script.read_text() == recorder.script_text
    assert stat.S_IMODE(recorder.script.stat().st_mode) == SCRIPT_MODE
    assert recorder_change(recorder) == ()
    assert recorder_change(None) == ()


def test_a_script_changed_since_the_plan_is_not_overwritten() -> None:
    recorder = _recorder()
    (change,) = recorder_change(recorder)
    recorder.script.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    recorder.script.write_text("#!/bin/sh\n# mine\n")
    with pytest.raises(ConcurrentEditError):
        install_recorder(recorder, (change,))
    assert recorder.script.read_text() == "#!/bin/sh\n# mine\n"


def test_a_fifo_where_the_script_goes_is_an_error_not_a_hang() -> None:
    recorder = _recorder()
    recorder.script.parent.mkdir(parents=True, mode=0o700)
    os.mkfifo(recorder.script)
    with pytest.raises(SchedulerError, match="Cannot read"):
        recorder_change(recorder)


def test_a_state_directory_with_spaces_quotes_and_dollars_still_records(tmp_path: Path) -> None:
    base = tmp_path / "it's a $(touch pwned) `dir`"
    recorder = RunRecorder(base / "run-nightly.sh", base / "runs" / "runs.log")
    recorder.records.parent.mkdir(parents=True)
    recorder.script.write_text(recorder.script_text)
    result = subprocess.run(
        recorder.scheduled_argv(["sh", "-c", "exit 4"]), capture_output=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 4
    assert [run.exit_status for run in read_records(recorder).runs] == [4]
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/bin/sh", "/s/run-nightly.sh", "scheduled", "/bin/pa", "nightly"], (None, ["/bin/pa", "nightly"])),
        (
            ["/bin/sh", "/s/run-nightly.sh", "scheduled", "--ping", "https://hc/x", "/bin/pa"],
            ("https://hc/x", ["/bin/pa"]),
        ),
    ],
)
def test_a_scheduled_argv_splits_back_into_its_parts(
    argv: list[str], expected: tuple[object, object]
) -> None:
    parts = split_scheduled_argv(argv)
    assert parts is not None and (parts.ping_url, parts.job_argv) == expected
    assert parts.script == Path("/s/run-nightly.sh")


@pytest.mark.parametrize(
    "argv",
    [
        ["/bin/pa", "nightly"],
        ["/bin/sh", "/s/run-nightly.sh", "scheduled"],
        ["/bin/sh", "/s/run-nightly.sh", "scheduled", "--ping", "https://hc/x"],
        ["/bin/sh", "/s/other.sh", "scheduled", "/bin/pa"],
        ["/bin/bash", "/s/run-nightly.sh", "scheduled", "/bin/pa"],
    ],
)
def test_an_argv_not_written_by_the_recorder_is_not_split(argv: list[str]) -> None:
    assert split_scheduled_argv(argv) is None
