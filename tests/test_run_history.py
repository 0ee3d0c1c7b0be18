"""Logs cut into runs by the recorder's markers: overlapping runs, markers glued to output that did not
end its line, logs too large to read whole, special files, and hostile lines."""

from __future__ import annotations

import json
import os
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.run_history import (
    MAX_LOG_BYTES,
    MAX_RUN_LINES,
    cut_into_runs,
    read_log_end,
    run_views,
)
from prompt_alchemy_scheduler_tui.backends.run_outcome import Outcome
from prompt_alchemy_scheduler_tui.backends.run_records import RunRecord

WHEN = "2026-11-26T02:00:00+0000"


def started(run_id: str) -> str:
    return f"[prompt-alchemy-scheduler-tui] run {run_id} started {WHEN} scheduled"


def ended(run_id: str, status: int = 0) -> str:
    return f"[prompt-alchemy-scheduler-tui] run {run_id} ended {WHEN} exit {status}"


def test_each_run_gets_the_lines_between_its_markers() -> None:
    lines = ["before", started("1-1"), "a", "b", ended("1-1"), "between", started("2-2"), "c", ended("2-2")]
    assert cut_into_runs(lines) == {"1-1": ["a", "b"], "2-2": ["c"]}


def test_while_runs_overlap_a_line_goes_to_the_one_that_started_last() -> None:
    lines = [started("1-1"), "a", started("2-2"), "b", ended("2-2"), "c", ended("1-1")]
    assert cut_into_runs(lines) == {"1-1": ["a", "c"], "2-2": ["b"]}


def test_a_marker_glued_to_output_that_did_not_end_its_line_still_ends_the_run() -> None:
    """A job killed mid-line, or a progress bar: the end marker follows on the same line."""
    lines = [started("1-1"), "working", "50%" + ended("1-1", 143), "stray", started("2-2"), "b", ended("2-2")]
    assert cut_into_runs(lines) == {"1-1": ["working", "50%"], "2-2": ["b"]}
    views = run_views([RunRecord("1-1", "scheduled", 100, 104, 0, None)], lines, [])
    assert views[0].outcome.summary == "exit 0: 50%"


def test_lines_that_only_look_like_markers_are_output() -> None:
    fake = [
        "[prompt-alchemy-scheduler-tui] run 1-1 ended",
        "[prompt-alchemy-scheduler-tui] run x-1 ended 2026 exit 0",
        "[prompt-alchemy-scheduler-tui] run 1-1 ended 2026 exit 0 " + "x" * 100,
    ]
    assert cut_into_runs([started("1-1"), *fake, ended("1-1")]) == {"1-1": fake}


def test_a_run_whose_markers_are_gone_from_the_logs_is_still_listed_from_its_record() -> None:
    (view,) = run_views([RunRecord("9-9", "scheduled", 100, 104, 1, None)], [], [])
    assert not view.lines.found and view.outcome.outcome is Outcome.FAILED
    assert view.outcome.summary == "failed (exit 1): no output"


def test_a_run_with_more_lines_than_kept_keeps_its_first_and_last_half() -> None:
    body = [f"line {n}" for n in range(MAX_RUN_LINES * 3)]
    (view,) = run_views(
        [RunRecord("1-1", "scheduled", 100, 104, 0, None)], [started("1-1"), *body, ended("1-1")], []
    )
    kept = view.lines.stdout
    assert len(kept) == MAX_RUN_LINES + 1 and kept[0] == "line 0" and kept[-1] == body[-1]
    assert "lines not shown" in kept[MAX_RUN_LINES // 2]


def test_the_end_of_a_large_log_is_read_without_its_cut_first_line(tmp_path: Path) -> None:
    log = tmp_path / "nightly.log"
    line = "x" * 99 + "\n"
    log.write_text(
        line * (MAX_LOG_BYTES // len(line) + 10) + started("1-1") + "\nlast\n" + ended("1-1") + "\n"
    )
    lines = read_log_end(log)
    assert sum(len(text) + 1 for text in lines) <= MAX_LOG_BYTES
    assert all(text == "x" * 99 for text in lines[:-3]) and lines[-2] == "last"


def test_a_missing_or_special_log_gives_no_lines_and_never_blocks(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.log"
    os.mkfifo(fifo)
    directory = tmp_path / "dir.log"
    directory.mkdir()
    for path in (None, tmp_path / "missing.log", fifo, directory, Path("/dev/zero")):
        assert read_log_end(path) == []


def test_undecodable_bytes_and_control_characters_stay_in_lines_and_json_escapes_them(tmp_path: Path) -> None:
    log = tmp_path / "nightly.log"
    log.write_bytes(
        (started("1-1") + "\n").encode()
        + b"\xff\xfe bad \x1b]0;pwned\x07\x9b2J\n"
        + (ended("1-1") + "\n").encode()
    )
    lines = read_log_end(log)
    (view,) = run_views([RunRecord("1-1", "scheduled", 100, 104, 0, None)], lines, [])
    assert "\x1b" in view.outcome.summary  # the backend keeps the text; each face makes it safe to show
    text = json.dumps(view.as_json())
    assert "\x1b" not in text and "\x07" not in text and "\\u001b" in text
