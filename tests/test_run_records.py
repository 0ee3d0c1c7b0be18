"""The record store read as a hostile world leaves it: torn, edited, planted, huge. Nothing here is
ever fatal, and a record is never misread."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.run_history import run_views
from prompt_alchemy_scheduler_tui.backends.run_outcome import Outcome
from prompt_alchemy_scheduler_tui.backends.run_recorder import KEEP_RUNS, RunRecorder
from prompt_alchemy_scheduler_tui.backends.run_records import (
    MAX_STORE_BYTES,
    parse_records,
    process_alive,
    read_records,
)

NOW = 1_795_700_000


def end(number: int, status: int = 0, trigger: str = "scheduled", started: int | None = None) -> str:
    begun = NOW + number * 60 if started is None else started
    return f"v1 end {begun}-{number} {trigger} {begun} {begun + 4} {status}"


def start(number: int, pid: int, started: int | None = None) -> str:
    begun = NOW + number * 60 if started is None else started
    return f"v1 start {begun}-{number} scheduled {begun} {pid}"


def store(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_a_whole_store_is_read_oldest_first() -> None:
    book = parse_records(
        store("v1 installed 1795699000 cron", start(1, 11), end(1, 0), start(2, 12), end(2, 1, "manual"))
    )
    assert [(r.run_id, r.trigger, r.exit_status, r.seconds) for r in book.runs] == [
        (f"{NOW + 60}-1", "scheduled", 0, 4),
        (f"{NOW + 120}-2", "manual", 1, 4),
    ]
    assert [(i.time, i.method) for i in book.installs] == [(1795699000, "cron")]
    assert book.skipped_lines == 0 and book.notes == ()


def test_a_torn_last_line_is_skipped_not_misread() -> None:
    """`v1 end ... 127` cut after its `1` would otherwise read as a run that exited 1."""
    data = store(end(1, 0)) + end(2, 127).encode()[:-2]
    book = parse_records(data)
    assert [r.exit_status for r in book.runs] == [0]
    assert book.skipped_lines == 1 and "skipped" in book.notes[0]


def test_a_record_glued_to_a_line_torn_by_a_full_disk_is_still_read() -> None:
    data = store(end(1, 0), start(2, 22)[:15] + start(3, 33), end(3, 5))
    book = parse_records(data)
    assert [r.exit_status for r in book.runs] == [0, 5]


@pytest.mark.parametrize(
    "garbage",
    [
        "garbage",
        "v1 end",
        "v2 end 1-1 scheduled 1 2 0",
        "v1 end 1-1 hourly 1 2 0",  # an unknown trigger
        "v1 end x-1 scheduled 1 2 0",
        "v1 end 1-1 scheduled 1 2 -1",
        "\0\0\0\0",
        "v1 end 1-1 scheduled 1 2 0 extra",
        "é ü 日本 \u202e",
        "\x1b]0;pwned\x07\x1b[2J",
    ],
)
def test_a_line_that_is_not_a_record_is_counted_and_skipped(garbage: str) -> None:
    book = parse_records(store(end(1, 0), garbage, end(2, 1)))
    assert [r.exit_status for r in book.runs] == [0, 1]
    assert book.skipped_lines == 1


def test_non_ascii_and_nul_bytes_do_not_stop_the_reading() -> None:
    data = b"\xff\xfe\x00\x00garbage\n" + store(end(1, 0)) + b"\xc3\xa9\x00\n" + store(end(2, 3))
    book = parse_records(data)
    assert [r.exit_status for r in book.runs] == [0, 3] and book.skipped_lines == 2


def test_nul_bytes_before_a_record_on_its_line_do_not_hide_it() -> None:
    """A crash can leave a file extended with zeros (delayed allocation): the next append follows them."""
    book = parse_records(b"\0" * 4096 + store(end(1, 2)))
    assert [r.exit_status for r in book.runs] == [2]


def test_crlf_line_endings_from_an_editor_are_read() -> None:
    book = parse_records(store(end(1, 0), end(2, 1)).replace(b"\n", b"\r\n"))
    assert [r.exit_status for r in book.runs] == [0, 1] and book.skipped_lines == 0


def test_blank_lines_are_neither_records_nor_garbage() -> None:
    book = parse_records(b"\n\n" + store(end(1, 0)) + b"\n\r\n")
    assert len(book.runs) == 1 and book.skipped_lines == 0


def test_numbers_too_large_for_a_time_are_garbage_not_a_crash() -> None:
    huge = "9" * 20
    book = parse_records(
        store(f"v1 end {huge}-1 scheduled {huge} {huge} 0", f"v1 installed {huge} cron", end(1, 0))
    )
    assert [r.exit_status for r in book.runs] == [0] and book.installs == ()
    assert book.skipped_lines == 2
    views = run_views(book.runs, [], [])
    assert views[0].as_json()["started"]


def test_the_largest_time_accepted_still_converts() -> None:
    (run,) = parse_records(store(f"v1 end 1-1 scheduled {10**11 - 10} {10**11 - 1} 0")).runs
    assert run.started_at.year > 5000 and run.ended_at is not None


def test_an_end_without_its_start_is_a_whole_record() -> None:
    (run,) = parse_records(store(end(7, 1))).runs
    assert (run.exit_status, run.ended, run.pid) == (1, NOW + 7 * 60 + 4, None)


def test_a_start_without_an_end_is_running_while_its_pid_lives() -> None:
    now = int(time.time())
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        book = parse_records(store(f"v1 start {now}-{sleeper.pid} scheduled {now} {sleeper.pid}"))
        (view,) = run_views(book.runs, [], [])
        assert view.running and view.outcome.outcome is Outcome.RUNNING
        assert view.as_json()["ended"] is None and view.as_json()["pid"] == sleeper.pid
    finally:
        sleeper.kill()
        sleeper.wait()
    (view,) = run_views(book.runs, [], [])
    assert not view.running and view.outcome.outcome is Outcome.UNKNOWN
    assert view.outcome.summary.startswith("ended without a record of its end")


@pytest.mark.parametrize(
    "pid", [0, 1, 99_999_999, 9_999_999_999], ids=["zero", "init", "over-max", "over-int"]
)
def test_a_pid_that_cannot_be_the_recorders_is_not_running(pid: int) -> None:
    """kill(0, 0) signals our own group and succeeds; PID 1 is always alive; a PID past a C int made
    os.kill raise OverflowError (a traceback in `status`)."""
    now = int(time.time())
    book = parse_records(store(f"v1 start {now}-{pid} scheduled {now} {pid}"))
    (view,) = run_views(book.runs, [], [])
    assert view.outcome.outcome is Outcome.UNKNOWN


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the boot time is Linux's CLOCK_BOOTTIME")
def test_a_run_that_started_before_the_last_boot_is_not_running_whatever_holds_its_pid_now() -> None:
    """After a power cut the PID of the run that was cut short goes to another process."""
    assert process_alive(os.getpid(), int(time.time()))
    assert not process_alive(os.getpid(), int(time.time() - time.clock_gettime(time.CLOCK_BOOTTIME)) - 3600)


def test_a_run_id_seen_twice_is_one_run() -> None:
    book = parse_records(store(start(1, 11), end(1, 0), end(1, 0), start(2, 12), start(2, 12), end(3, 1)))
    assert [r.run_id for r in book.runs] == [f"{NOW + 60}-1", f"{NOW + 120}-2", f"{NOW + 180}-3"]


def test_runs_are_ordered_by_start_whatever_order_they_ended_in() -> None:
    """Two overlapping runs: the one that started first ended last."""
    book = parse_records(store(start(1, 11), start(2, 12), end(2, 0), end(1, 1)))
    assert [r.run_id.split("-")[1] for r in book.runs] == ["1", "2"]


def test_keep_keeps_the_newest_runs_by_start() -> None:
    """A start left by a run cut short long ago is not newer than the runs that ended since."""
    book = parse_records(store(start(0, 2), end(1, 0), end(2, 1), end(3, 2)), keep=2)
    assert [r.exit_status for r in book.runs] == [1, 2]
    assert parse_records(store(end(1, 0)), keep=0).runs == ()


def test_at_most_keep_runs_are_built() -> None:
    lines = [end(n, n % 3) for n in range(KEEP_RUNS + 500)]
    book = parse_records(store(*lines))
    assert (
        len(book.runs) == KEEP_RUNS
        and book.runs[-1].run_id == f"{NOW + (KEEP_RUNS + 499) * 60}-{KEEP_RUNS + 499}"
    )


def test_the_install_lines_are_read_and_the_last_of_a_method_found() -> None:
    book = parse_records(store("v1 installed 100 cron", "v1 installed 200 systemd", "v1 installed 300 cron"))
    install = book.last_install("cron")
    assert install is not None and install.time == 300
    last = book.last_install()
    assert last is not None and last.method == "cron"
    assert book.last_install("launchd") is None


# --- read_records: the file itself ----------------------------------------------------------------


def _recorder(tmp_path: Path) -> RunRecorder:
    recorder = RunRecorder(tmp_path / "run-nightly.sh", tmp_path / "runs" / "runs.log")
    recorder.records.parent.mkdir()
    return recorder


def test_a_missing_store_is_no_runs_and_no_problem(tmp_path: Path) -> None:
    book = read_records(_recorder(tmp_path))
    assert book.runs == () and book.notes == ()


def test_a_fifo_as_the_store_is_refused_without_blocking(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path)
    os.mkfifo(recorder.records)
    code = (
        "from pathlib import Path; from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder; "
        "from prompt_alchemy_scheduler_tui.backends.run_records import read_records; "
        f"print(read_records(RunRecorder(Path('x'), Path({str(recorder.records)!r}))).problem)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert "is a FIFO (named pipe); not read" in result.stdout, result


@pytest.mark.parametrize("kind", ["directory", "link"])
def test_a_store_that_is_not_a_regular_file_is_a_note(tmp_path: Path, kind: str) -> None:
    recorder = _recorder(tmp_path)
    if kind == "directory":
        recorder.records.mkdir()
    else:
        target = tmp_path / "elsewhere"
        target.write_bytes(store(end(1, 0)))
        recorder.records.symlink_to(target)
    book = read_records(recorder)
    assert book.runs == () and book.problem is not None and "cannot be read" in book.problem


def test_of_a_20_mb_store_the_newest_runs_are_read(tmp_path: Path) -> None:
    recorder = _recorder(tmp_path)
    line = end(1, 0) + "\n"
    filler = (line * (20 * 1024 * 1024 // len(line) + 1)).encode()
    recorder.records.write_bytes(filler + store(end(2, 0), end(3, 7)))
    assert recorder.records.stat().st_size > MAX_STORE_BYTES
    began = time.monotonic()
    book = read_records(recorder)
    assert time.monotonic() - began < 30  # a hang guard
    assert [r.exit_status for r in book.runs[-2:]] == [0, 7]
    assert book.skipped_lines == 0  # the line cut by reading only the end is dropped, not counted


def test_an_unreadable_store_is_a_note(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        code = (
            "import os; from pathlib import Path; "
            "from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder; "
            "from prompt_alchemy_scheduler_tui.backends.run_records import read_records; "
            f"os.setuid(65534); print(read_records(RunRecorder(Path('x'), Path({str(tmp_path / 'runs.log')!r}))).problem)"
        )
        (tmp_path / "runs.log").write_bytes(store(end(1, 0)))
        (tmp_path / "runs.log").chmod(0o600)
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "HOME": "/"},
        )
        if "Permission denied" not in result.stdout and result.returncode != 0:
            pytest.skip(f"cannot run Python as nobody here: {result.stderr[-200:]}")
        assert "cannot be read: Permission denied" in result.stdout
    else:
        recorder = _recorder(tmp_path)
        recorder.records.write_bytes(store(end(1, 0)))
        recorder.records.chmod(0)
        assert "cannot be read" in (read_records(recorder).problem or "")
