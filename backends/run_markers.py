"""The marker lines a recorded run writes into both of its logs, so a log can be cut into runs.

The run recorder (a `/bin/sh` script, backends/run_recorder.py) writes exactly one start line before
the job and one end line after it, to stdout and to stderr:

    [prompt-alchemy-scheduler-tui] run 1764122400-4242 started 2026-11-26T02:00:00+0000 scheduled
    [prompt-alchemy-scheduler-tui] run 1764122400-4242 ended 2026-11-26T02:00:04+0000 exit 0

The run id is the start time in Unix seconds and the recorder's PID: unique per run on one machine,
and the same id names the run in the record store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MARKER_PREFIX = "[prompt-alchemy-scheduler-tui] run "

_MARKER = re.compile(
    r"^\[prompt-alchemy-scheduler-tui\] run (?P<run_id>\d{1,20}-\d{1,10}) "
    r"(?P<kind>started|ended) (?P<when>\S+) (?P<detail>[ -~]{0,40})$"
)


class MarkerKind(StrEnum):
    STARTED = "started"
    ENDED = "ended"


@dataclass(frozen=True)
class RunMarker:
    """One marker line: which run, start or end, when (as the recorder wrote it), and the rest
    ("scheduled"/"manual" on a start line, "exit N" on an end line)."""

    run_id: str
    kind: MarkerKind
    when: str
    detail: str


def parse_marker(line: str) -> RunMarker | None:
    """The marker in `line` (without its line ending), or None when it is any other line."""
    if not line.startswith(MARKER_PREFIX):
        return None
    match = _MARKER.match(line)
    if match is None:
        return None
    return RunMarker(match["run_id"], MarkerKind(match["kind"]), match["when"], match["detail"])


def is_run_start(line: str) -> bool:
    """True for a run's start line: where a log viewer jumps to with "previous/next run"."""
    marker = parse_marker(line)
    return marker is not None and marker.kind is MarkerKind.STARTED
