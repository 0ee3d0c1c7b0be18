"""The record store: one line per run event, appended by the recorder script (backends/run_recorder.py)
and, for installs, by this tool.

    v1 start <run id> <trigger> <started> <pid>
    v1 end <run id> <trigger> <started> <ended> <exit status>
    v1 installed <time> <method>

Times are Unix seconds. An end line is a whole record alone, so a start line lost to a trim or a torn
write costs nothing once the run has ended. Readers skip any other line (torn by a full disk, garbage,
a later format) and count it in a note instead of failing.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from prompt_alchemy_scheduler_tui.backends.private_files import read_regular_file
from prompt_alchemy_scheduler_tui.backends.run_recorder import KEEP_RUNS, RunRecorder

MAX_STORE_BYTES = 16 * 1024 * 1024  # a store this large is not ours (the recorder trims it near 60 KiB)
PID_MAX = 4_194_304  # the highest PID Linux can hand out (pid_max's limit); macOS stops at 99,999
BOOT_SLACK = 120  # seconds: the boot time read from two clocks is that exact at worst

# Matched in C over the whole store. Each pattern starts with its literal `v1 <kind> ` rather than `^`:
# a literal prefix lets the engine skip ahead, several times faster than trying `^` at every position,
# and a record appended after a line torn by a full disk (no newline: `v1 start 1795v1 end ...`) is
# still found. A line ends at a newline (a CR before it is allowed): the last line of a store without
# one was torn mid-write and is skipped, since its exit status may be cut short (`12` of `127`).
# Times have at most 11 digits (year 5138): a larger number is no time a datetime can hold.
_END_LINE = re.compile(
    r"v1 end (\d{1,20}-\d{1,10}) (scheduled|manual) (\d{1,11}) (\d{1,11}) (\d{1,3})\r?(?=\n)"
)
_START_LINE = re.compile(r"v1 start (\d{1,20}-\d{1,10}) (scheduled|manual) (\d{1,11}) (\d{1,10})\r?(?=\n)")
_INSTALL_LINE = re.compile(r"v1 installed (\d{1,11}) ([a-z]{1,20})\r?(?=\n)")
_BLANK_LINE = re.compile(r"\n\r?(?=\n)")


class RunRecord(NamedTuple):
    """One run. A NamedTuple rather than a dataclass: the store holds thousands and is read on every
    refresh, and a tuple is several times cheaper to build."""

    run_id: str
    trigger: str  # "scheduled" or "manual"
    started: int  # Unix seconds
    ended: int | None  # None while running (or when the run never recorded its end)
    exit_status: int | None
    pid: int | None

    @property
    def started_at(self) -> datetime:
        return datetime.fromtimestamp(self.started).astimezone()

    @property
    def ended_at(self) -> datetime | None:
        return None if self.ended is None else datetime.fromtimestamp(self.ended).astimezone()

    @property
    def seconds(self) -> int | None:
        return None if self.ended is None else max(0, self.ended - self.started)


@dataclass(frozen=True)
class Install:
    time: int
    method: str


@dataclass(frozen=True)
class RecordBook:
    """What the store holds: runs oldest first (at most KEEP_RUNS), installs, and what was skipped."""

    runs: tuple[RunRecord, ...]
    installs: tuple[Install, ...]
    skipped_lines: int = 0
    problem: str | None = None  # the store could not be read at all

    @property
    def notes(self) -> tuple[str, ...]:
        notes = []
        if self.problem:
            notes.append(self.problem)
        if self.skipped_lines:
            notes.append(
                f"{self.skipped_lines} line(s) of the run record store were not records (torn by a full disk, "
                "or edited) and were skipped."
            )
        return tuple(notes)

    def last_install(self, method: str | None = None) -> Install | None:
        installs = [i for i in self.installs if method is None or i.method == method]
        return installs[-1] if installs else None


def parse_records(data: bytes, keep: int = KEEP_RUNS) -> RecordBook:
    """The newest `keep` runs in `data` (by start time), in the order they started; garbage lines are
    counted, never fatal. A run id seen twice (a line repeated by an edit or a copy) is one run: its
    last end line, else its last start line.

    Only the runs kept are built as records: a store of 10,000 runs is read in about 10 ms
    (benchmarks/run_records.py).
    """
    text = data.decode("ascii", "replace")
    all_ends = _END_LINE.findall(text)
    all_starts = _START_LINE.findall(text)
    ends = {end[0]: end for end in all_ends}
    running = {start[0]: start for start in all_starts if start[0] not in ends}
    installs = [Install(int(when), method) for when, method in _INSTALL_LINE.findall(text)]
    events = [*ends.values(), *running.values()]
    if len(events) > keep:
        events = sorted(events, key=lambda event: int(event[2]))[-keep:] if keep > 0 else []
    runs = sorted(map(_record, events), key=lambda run: run.started)
    torn_tail = bool(text) and not text.endswith("\n")
    lines = text.count("\n") + torn_tail - len(_BLANK_LINE.findall("\n" + text))
    matched = len(all_ends) + len(all_starts) + len(installs)
    return RecordBook(tuple(runs), tuple(installs), max(0, lines - matched))


def _record(event: tuple[str, ...]) -> RunRecord:
    if len(event) == 4:  # a start line: running, or ended without saying so
        run_id, trigger, started, pid = event
        return RunRecord(run_id, trigger, int(started), None, None, int(pid))
    run_id, trigger, started, ended, status = event
    return RunRecord(run_id, trigger, int(started), int(ended), int(status), None)


def read_records(recorder: RunRecorder) -> RecordBook:
    """The store's records; an unreadable store is a note, never an exception (nothing here is fatal).
    Of a store larger than MAX_STORE_BYTES only the end is read: the newest runs are there."""
    try:
        data = read_regular_file(recorder.records, from_end=True)
    except OSError as error:
        return RecordBook(
            (),
            (),
            problem=f"The run records in {recorder.records} cannot be read: {error.strerror or error}.",
        )
    if data is None:
        return RecordBook((), ())
    if len(data) >= MAX_STORE_BYTES:
        data = data[-MAX_STORE_BYTES:].partition(b"\n")[2]  # the first line read is cut
    return parse_records(data)


def process_alive(pid: int, started: int | None = None) -> bool:
    """True when a process with this PID exists (ours or not) and may be the run that started at
    `started`: a "running" record is still running. A PID out of range is no process (kill(0) would
    signal our own group), and a run that started before the machine last booted is not running,
    whatever now holds its PID (PIDs are handed out again after a restart)."""
    if not 1 < pid <= PID_MAX:
        return False
    booted = _boot_time()
    if started is not None and booted is not None and started < booted - BOOT_SLACK:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _boot_time() -> float | None:
    """When this machine booted, in Unix seconds; None where no clock says (CLOCK_BOOTTIME is Linux's
    and counts time asleep, so now minus it is the boot)."""
    clock = getattr(time, "CLOCK_BOOTTIME", None)
    if clock is None:
        return None
    return time.time() - time.clock_gettime(clock)
