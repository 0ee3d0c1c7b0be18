"""The run recorder: a `/bin/sh` script every scheduled run goes through, so each run leaves a record.

The job must not need this tool or Python when it runs, so the recorder is plain POSIX sh and standard
utilities (`date`, `wc`, `tail`, `mv`; `curl` only for the optional ping). It appends a start line to
the record store, writes a start marker to both logs (backends/run_markers.py), runs the job, then
writes the end marker and an end line, and exits with the job's own status. A record that cannot be
written (directory gone, disk full) is skipped silently: the job runs all the same. Only a regular
file (or none yet) is written: opening a FIFO planted as the store would wait for a reader for ever and
the job would never run, and a symbolic link is not followed (readers refuse links too, so appending
through one would only add lines to whatever file it names).

Each record is one short line appended with `>>` (O_APPEND: one write(2) each, so two overlapping runs
never tear each other's lines). An end line repeats the start's fields, so it is a whole record alone.
The store is trimmed to its last 2,000 lines (1,000 runs) once it passes 4,000: rarely, because the trim
rewrites the file, and an append landing between its `tail` and its `mv` would be lost.

Signals: the job runs in the foreground; TERM, INT and HUP are trapped so that when the whole process
group is signalled (a stop, systemd's TimeoutStartSec=) the recorder outlives the job and records how it
ended (128 + the signal's number, as sh reports it). `timeout` (coreutils) exits 124 when it kills.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.private_files import state_directory

SCRIPT_NAME = "run-nightly.sh"
RECORDS_DIRECTORY = "runs"
RECORDS_NAME = "runs.log"
SHELL = "/bin/sh"
SCRIPT_MODE = 0o644
KEEP_RUNS = 1000
PING_OPTION = "--ping"
PING_SECONDS = 10  # curl's --max-time per attempt; with 2 retries a ping costs at most about 35 s


class Trigger(StrEnum):
    SCHEDULED = "scheduled"
    MANUAL = "manual"


_SCRIPT = """\
#!/bin/sh
# Written by prompt-alchemy-scheduler-tui; rewritten at each install. Records each run of the
# nightly job in the file below, marks its start and end in both logs, and exits with the job's status.
# Usage: {script_name} scheduled|manual [--ping URL] COMMAND [ARGUMENT...]
# Its own names start with _pa_ (an inherited variable of the same name would reach the job changed),
# and its own tools come from the standard directories whatever PATH the job was given; the job gets
# its environment as it came, PATH included.
_pa_path_set=${{PATH+set}}
_pa_path=${{PATH-}}
PATH=/usr/bin:/bin${{PATH:+:$PATH}}
_pa_records={records}
_pa_trigger=$1
shift
_pa_ping=
if [ "$1" = --ping ]; then
\t_pa_ping=$2
\tshift 2
fi
_pa_started=$(date +%s)
_pa_run=$_pa_started-$$
_pa_mark() {{
\t_pa_line="[prompt-alchemy-scheduler-tui] run $_pa_run $1 $(date +%Y-%m-%dT%H:%M:%S%z) $2"
\tprintf '%s\\n' "$_pa_line"
\tprintf '%s\\n' "$_pa_line" >&2
}}
# "Absent, or a regular file", asked in that order: once it exists it stays a file, whereas asking -f
# first leaves a gap in which an overlapping run creates it and this one skips its record.
_pa_store_is_file() {{
\t[ ! -L "$_pa_records" ] && {{ [ ! -e "$_pa_records" ] || [ -f "$_pa_records" ]; }}
}}
_pa_record() {{
\t_pa_store_is_file && printf '%s\\n' "$1" >>"$_pa_records"
}} 2>/dev/null
_pa_send_ping() {{
\tif [ -n "$_pa_ping" ] && command -v curl >/dev/null 2>&1; then
\t\tcurl -fsS -m {ping_seconds} --retry 2 -o /dev/null "$_pa_ping$1" >/dev/null 2>&1
\tfi
}}
_pa_trim() {{
\t_pa_store_is_file || return 0
\t_pa_lines=$(wc -l <"$_pa_records") || return 0
\tif [ "$_pa_lines" -gt {trim_above} ]; then
\t\ttail -n {keep_lines} "$_pa_records" >"$_pa_records.$$" && mv -f "$_pa_records.$$" "$_pa_records" \\
\t\t\t|| rm -f "$_pa_records.$$"
\tfi
}} 2>/dev/null
trap : TERM INT HUP
_pa_record "v1 start $_pa_run $_pa_trigger $_pa_started $$"
_pa_mark started "$_pa_trigger"
_pa_send_ping /start
if [ -n "$_pa_path_set" ]; then PATH=$_pa_path; else unset PATH; fi
"$@"
_pa_status=$?
PATH=/usr/bin:/bin${{_pa_path:+:$_pa_path}}
trap - TERM INT HUP
_pa_mark ended "exit $_pa_status"
_pa_record "v1 end $_pa_run $_pa_trigger $_pa_started $(date +%s) $_pa_status"
_pa_send_ping "/$_pa_status"
_pa_trim
exit "$_pa_status"
"""


@dataclass(frozen=True)
class RunRecorder:
    """Where the recorder script and the record store live (both in this tool's state directory)."""

    script: Path
    records: Path

    @classmethod
    def default(cls, state_dir: Path | None = None) -> RunRecorder:
        base = state_dir or state_directory()
        return cls(base / SCRIPT_NAME, base / RECORDS_DIRECTORY / RECORDS_NAME)

    @property
    def script_text(self) -> str:
        return _SCRIPT.format(
            script_name=SCRIPT_NAME,
            records=shlex.quote(str(self.records)),
            ping_seconds=PING_SECONDS,
            trim_above=4 * KEEP_RUNS,
            keep_lines=2 * KEEP_RUNS,
        )

    def scheduled_argv(self, job_argv: list[str], ping_url: str | None = None) -> list[str]:
        return scheduled_argv(self.script, job_argv, ping_url)

    def manual_argv(self, job_argv: list[str]) -> list[str]:
        """What "run now" runs: the same script, given inline (`sh -c`), so it needs no installed file.
        It never pings: a manual run must not tell the dead man's switch that the scheduled run worked."""
        return [SHELL, "-c", self.script_text, SCRIPT_NAME, Trigger.MANUAL, *job_argv]


def scheduled_argv(script: Path, job_argv: list[str], ping_url: str | None = None) -> list[str]:
    """What the scheduler runs: sh, the recorder script, then the job's own argv."""
    return [SHELL, str(script), Trigger.SCHEDULED, *_ping(ping_url), *job_argv]


@dataclass(frozen=True)
class RecordedCommand:
    """A scheduled argv split back into its recorder part and the job's own argv."""

    script: Path
    ping_url: str | None
    job_argv: list[str]


def split_scheduled_argv(argv: list[str]) -> RecordedCommand | None:
    """The parts of an argv written by `scheduled_argv`, or None for a job run without the recorder."""
    if len(argv) < 4 or argv[0] != SHELL or argv[2] != Trigger.SCHEDULED or not argv[1].endswith(SCRIPT_NAME):
        return None
    rest = argv[3:]
    ping = None
    if rest[:1] == [PING_OPTION]:
        if len(rest) < 3:
            return None
        ping, rest = rest[1], rest[2:]
    return RecordedCommand(Path(argv[1]), ping, rest)


def _ping(url: str | None) -> list[str]:
    return [PING_OPTION, url] if url else []
