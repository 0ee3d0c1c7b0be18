"""Runs as people see them: each record joined with its lines from both logs and the outcome they show.

The logs are cut into runs by the recorder's marker lines (backends/run_markers.py); only the end of
each log is read (MAX_LOG_BYTES), so an old run's lines may be gone: the run is still listed, from its
record, with what its exit status alone says.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.log_safety import open_log_for_reading
from prompt_alchemy_scheduler_tui.backends.run_markers import MARKER_PREFIX, MarkerKind, parse_marker
from prompt_alchemy_scheduler_tui.backends.run_outcome import Outcome, RunOutcome, run_outcome
from prompt_alchemy_scheduler_tui.backends.run_records import RunRecord, process_alive

MAX_LOG_BYTES = 4 * 1024 * 1024  # the end of each log that is cut into runs
MAX_RUN_LINES = 2000  # lines kept per run and log: the first half and the last half


@dataclass(frozen=True)
class RunLines:
    """A run's lines from the stdout log and the stderr log (markers excluded)."""

    stdout: tuple[str, ...] = ()
    stderr: tuple[str, ...] = ()
    found: bool = False  # False: the run's markers are no longer in the end of the logs that was read


@dataclass(frozen=True)
class RunView:
    """One run: its record, what it did, and its lines."""

    record: RunRecord
    outcome: RunOutcome
    lines: RunLines = field(default_factory=RunLines)

    @property
    def running(self) -> bool:
        return self.outcome.outcome is Outcome.RUNNING

    @property
    def succeeded(self) -> bool:
        return self.record.exit_status == 0

    @property
    def started(self) -> datetime:
        return self.record.started_at

    @property
    def ended(self) -> datetime | None:
        return self.record.ended_at

    def as_json(self) -> dict[str, object]:
        """The run for `runs --json` and `status --json`."""
        record = self.record
        return {
            "id": record.run_id,
            "trigger": record.trigger,
            "started": record.started_at.isoformat(),
            "ended": record.ended_at.isoformat() if record.ended_at else None,
            "seconds": record.seconds,
            "exit_status": record.exit_status,
            "pid": record.pid if self.running else None,
            "outcome": str(self.outcome.outcome),
            "summary": self.outcome.summary,
            "training_pairs": self.outcome.training_pairs,
        }


def cut_into_runs(lines: Iterable[str]) -> dict[str, list[str]]:
    """Each run's lines, by run id: the lines between its start and end markers. While two runs overlap
    a line belongs to the one that started last (a log cannot say more)."""
    runs: dict[str, list[str]] = {}
    open_runs: list[str] = []
    for line in _unglued(lines):
        marker = parse_marker(line) if line.startswith("[") else None
        if marker is None:
            if open_runs:
                runs[open_runs[-1]].append(line)
            continue
        if marker.kind is MarkerKind.STARTED:
            runs[marker.run_id] = []
            open_runs.append(marker.run_id)
        elif marker.run_id in open_runs:
            open_runs.remove(marker.run_id)
    return runs


def _unglued(lines: Iterable[str]) -> Iterator[str]:
    """The lines, with a marker the recorder wrote after output that did not end its line (a job killed
    mid-line, a progress bar: `50%[prompt-alchemy-scheduler-tui] run ... ended ...`) on a line of its own."""
    for line in lines:
        head, found, tail = line.partition(MARKER_PREFIX)
        if found and head:
            yield head
            yield found + tail
        else:
            yield line


def read_log_end(path: Path | None) -> list[str]:
    """The last MAX_LOG_BYTES of a log as lines (a missing, unreadable or special file gives none: the
    log panes and doctor say why)."""
    if path is None:
        return []
    try:
        with open_log_for_reading(path) as log:
            size = os.fstat(log.fileno()).st_size
            log.seek(max(0, size - MAX_LOG_BYTES))
            data = log.read(MAX_LOG_BYTES)
    except OSError:
        return []
    if size > MAX_LOG_BYTES:
        data = data.split(b"\n", 1)[-1]  # the first line read is cut
    return data.decode("utf-8", "replace").splitlines()


def run_views(
    records: Sequence[RunRecord],
    stdout_lines: Iterable[str],
    stderr_lines: Iterable[str],
    timeout_seconds: int | None = None,
) -> list[RunView]:
    """Every record with its lines and outcome, oldest first."""
    stdout_runs = cut_into_runs(stdout_lines)
    stderr_runs = cut_into_runs(stderr_lines)
    views = []
    for record in records:
        out = stdout_runs.get(record.run_id)
        err = stderr_runs.get(record.run_id)
        lines = RunLines(_bounded(out or []), _bounded(err or []), out is not None or err is not None)
        views.append(RunView(record, _outcome(record, lines, timeout_seconds), lines))
    return views


def _outcome(record: RunRecord, lines: RunLines, timeout_seconds: int | None) -> RunOutcome:
    if record.ended is None:
        if record.pid is not None and process_alive(record.pid, record.started):
            return RunOutcome(Outcome.RUNNING, f"running (pid {record.pid})")
        return RunOutcome(
            Outcome.UNKNOWN,
            "ended without a record of its end (the machine went off, or the run was killed with SIGKILL)",
        )
    return run_outcome(
        lines.stdout,
        lines.stderr,
        record.exit_status,
        seconds=record.seconds,
        timeout_seconds=timeout_seconds,
    )


def _bounded(lines: list[str]) -> tuple[str, ...]:
    if len(lines) <= MAX_RUN_LINES:
        return tuple(lines)
    half = MAX_RUN_LINES // 2
    return (*lines[:half], f"[… {len(lines) - MAX_RUN_LINES} lines not shown …]", *lines[-half:])
