"""What one run of `prompt-alchemy nightly` did, read from its own output and exit status.

Its output is logrus text, one record a line, on stdout (Prompt Alchemy's cmd/nightly.go):
`time="2026-11-26T02:00:01Z" level=info msg="Training on 12 feature pairs"`. The outcomes it logs:
"No new interactions" (exit 0), "No training pairs generated" (exit 0), "Training on N feature pairs"
then "Weights updated successfully" with `new_weights` and `training_pairs` (exit 0), and on failure
`level=error` records or an `Error: ...` line from the command framework on stderr (exit 1). Around it,
`timeout` exits 124 (GNU coreutils), a shell that cannot find the program 127, one that cannot run it
126. Anything else is reported as "exit N" with the last line: never a guess.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# A key starts only where a word starts: without the look-behind a long line with no `=` (a base64 blob,
# a progress bar) is tried from every position, quadratic (a 20,000-character line took a second).
_FIELD = re.compile(r'(?<![A-Za-z0-9_.-])(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)=(?P<value>"(?:[^"\\]|\\.)*"|\S*)')
_TRAINING = re.compile(r"^Training on (?P<pairs>\d{1,9}) feature pairs$")
MAX_RECORD_LINE = 16 * 1024  # logrus lines of `nightly` are a few hundred characters; longer is not one
MAX_QUOTED = 200  # characters of a log line quoted in a summary


class Outcome(StrEnum):
    TRAINED = "trained"
    NOTHING_TO_TRAIN = "nothing-to-train"
    NO_PAIRS = "no-pairs"
    FAILED = "failed"
    TIMEOUT = "timeout"
    NOT_FOUND = "not-found"
    COULD_NOT_START = "could-not-start"
    KILLED = "killed"  # by a signal other than the timeout's
    RUNNING = "running"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class LogRecord:
    """One logrus line: its level, message and other fields (values unquoted)."""

    level: str
    message: str
    fields: dict[str, str]


@dataclass(frozen=True)
class RunOutcome:
    outcome: Outcome
    summary: str  # one line for people
    training_pairs: int | None = None
    new_weights: str | None = None


def parse_record(line: str) -> LogRecord | None:
    """A logrus text line's fields, or None for any other line."""
    if len(line) > MAX_RECORD_LINE:
        return None
    fields = {match["key"]: _unquote(match["value"]) for match in _FIELD.finditer(line)}
    if "level" not in fields or "msg" not in fields:
        return None
    level, message = fields.pop("level"), fields.pop("msg")
    return LogRecord(level, message, fields)


def run_outcome(
    stdout: Sequence[str],
    stderr: Sequence[str],
    exit_status: int | None,
    *,
    seconds: int | None = None,
    timeout_seconds: int | None = None,
) -> RunOutcome:
    """The outcome of one run from its lines (stdout's and stderr's) and its exit status (None: running).

    `timeout_seconds` is the job's time limit: a run killed by SIGTERM after at least that long was
    stopped by the scheduler's limit (systemd's TimeoutStartSec= signals the whole unit).
    """
    records = [record for line in (*stdout, *stderr) if (record := parse_record(line)) is not None]
    if exit_status is None:
        return RunOutcome(Outcome.RUNNING, "running")
    if exit_status == 124:
        return RunOutcome(Outcome.TIMEOUT, "killed by the timeout (timeout exits 124)")
    signal_number = exit_status - 128 if 128 < exit_status < 128 + 65 else None
    if (
        signal_number == signal.SIGTERM
        and timeout_seconds
        and seconds is not None
        and seconds >= timeout_seconds
    ):
        return RunOutcome(Outcome.TIMEOUT, f"stopped by the {timeout_seconds} s time limit (SIGTERM)")
    if signal_number is not None:
        return RunOutcome(Outcome.KILLED, f"killed by {signal_name(signal_number)} (exit {exit_status})")
    if exit_status == 127:
        return RunOutcome(Outcome.NOT_FOUND, "prompt-alchemy not found (exit 127): check the binary path")
    if exit_status == 126:
        return RunOutcome(Outcome.COULD_NOT_START, "prompt-alchemy could not be started (exit 126)")
    if exit_status != 0:
        return RunOutcome(
            Outcome.FAILED, f"failed (exit {exit_status}): {_quoted(_first_error(records, stderr, stdout))}"
        )
    for record in reversed(records):
        if record.message == "Weights updated successfully":
            pairs = _int(record.fields.get("training_pairs")) or _pairs_from(records)
            weights = record.fields.get("new_weights")
            summary = f"trained on {pairs} pairs" if pairs is not None else "trained"
            return RunOutcome(Outcome.TRAINED, summary, pairs, weights)
        if record.message == "No new interactions":
            return RunOutcome(Outcome.NOTHING_TO_TRAIN, "nothing to train (no interactions in the last 24 h)")
        if record.message == "No training pairs generated":
            return RunOutcome(
                Outcome.NO_PAIRS, "no training pairs (no session with both a choice and a skip)"
            )
    last = next((line for line in reversed([*stdout, *stderr]) if line.strip()), "no output")
    return RunOutcome(Outcome.UNKNOWN, f"exit 0: {_quoted(last)}")


def signal_name(number: int) -> str:
    """SIGTERM for 15; "signal 99" for a number no signal has."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _first_error(records: list[LogRecord], stderr: Sequence[str], stdout: Sequence[str]) -> str:
    for record in records:
        if record.level in ("error", "fatal", "panic"):
            return record.message
    for line in (*stderr, *stdout):
        if line.startswith("Error:"):
            return line
    return next((line for line in reversed([*stdout, *stderr]) if line.strip()), "no output")


def _pairs_from(records: list[LogRecord]) -> int | None:
    for record in records:
        match = _TRAINING.match(record.message)
        if match:
            return int(match["pairs"])
    return None


def _quoted(text: str) -> str:
    """A log line as part of a one-line summary: its first MAX_QUOTED characters."""
    text = text.strip()
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"


def _int(text: str | None) -> int | None:
    """A count written in decimal digits; None for anything else, or too long to be one (int() refuses
    more than 4,300 digits with a ValueError)."""
    if text is None or not (text.isdecimal() and text.isascii()) or len(text) > 9:
        return None
    return int(text)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value
