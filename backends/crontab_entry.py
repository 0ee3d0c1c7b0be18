"""Our crontab line: how it is written, and how a crontab line is recognised as ours or legacy.

Our line carries a trailing shell comment as its marker, so it stays one line per job and the shell
ignores it: `<schedule> <command> # prompt-alchemy-scheduler-tui:nightly`. Cron hands everything after
the schedule to /bin/sh, except that an unescaped `%` ends the command (crontab(5)), so every `%` is
written `\\%`. Environment variables are shell prefix assignments, which reach this job only.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass

from backends.nightly_job import JobError, NightlyJob, is_secret_name

MARKER = "# prompt-alchemy-scheduler-tui:nightly"
MAX_COMMAND_BYTES = 998  # everything after the schedule, marker included; see check_command_length
LEGACY_PROGRAM = "prompt-alchemy"

_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_ENV_LINE = re.compile(r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*=")
_ASSIGNMENT = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>'(?:[^']|'\"'\"')*'|\S*)")


@dataclass(frozen=True)
class CrontabLine:
    """A job line split into schedule and command; `kind` is "managed", "legacy" or "foreign"."""

    number: int  # 1-based line number in the crontab
    text: str  # the line as written, without its line ending
    schedule: str
    command: str
    kind: str


def render_line(job: NightlyJob, timeout_program: str | None = None) -> str:
    """The exact crontab line for `job` (no newline). Raises JobError for what a line cannot carry."""
    words: list[str] = [f"{name}={shlex.quote(value)}" for name, value in job.environment]
    if job.timeout_seconds is not None:
        words += [timeout_program or find_timeout_program(), str(job.timeout_seconds)]
    words += [shlex.quote(arg) for arg in job.argv]
    words += [f">>{shlex.quote(str(job.stdout_log))}", f"2>>{shlex.quote(str(job.stderr_log))}"]
    command = " ".join(words)
    if "\n" in command or "\r" in command:
        raise JobError("A path or value contains a line break, which a crontab line cannot hold.")
    if "\\%" in command:
        raise JobError(
            "A path or value contains a backslash before '%', which cron cannot pass on unchanged."
        )
    check_command_length(f"{command.replace('%', chr(92) + '%')} {MARKER}")
    return f"{job.schedule} {command.replace('%', chr(92) + '%')} {MARKER}"


def check_command_length(command: str) -> None:
    """JobError when cron would refuse the command part of our line for its length.

    Debian's cron 3.0pl1 (MAX_COMMAND 1000 in cron.h) refuses a command over 998 bytes: `crontab -`
    answers "command too long" and installs nothing (checked with cron 3.0pl1-162). Saying so at
    planning time keeps the dry run honest.
    """
    size = len(command.encode("utf-8", "surrogateescape"))
    if size > MAX_COMMAND_BYTES:
        raise JobError(
            f"The crontab command would be {size} bytes long; cron refuses more than {MAX_COMMAND_BYTES} "
            '(Debian: "command too long"). Use shorter paths or fewer or shorter --env values.'
        )


def find_timeout_program() -> str:
    """An absolute `timeout` (GNU coreutils; `gtimeout` from Homebrew on macOS)."""
    for name in ("timeout", "gtimeout"):
        found = shutil.which(name)
        if found:
            return os.path.abspath(found)
    raise JobError("--timeout needs the `timeout` command (GNU coreutils; on macOS: brew install coreutils).")


def classify(number: int, text: str) -> CrontabLine | None:
    """A job line's parts, or None for blank, comment and NAME=value lines."""
    stripped = text.strip()
    if not stripped or stripped.startswith("#") or _ENV_LINE.match(text):
        return None
    parts = stripped.split(None, 1 if stripped.startswith("@") else 5)
    expected = 2 if stripped.startswith("@") else 6
    if len(parts) < expected:
        return None
    schedule, command = " ".join(parts[:-1]), parts[-1]
    if command.endswith(" " + MARKER) or command == MARKER:
        kind = "managed"
    elif _is_legacy(command):
        kind = "legacy"
    else:
        kind = "foreign"
    return CrontabLine(number, text, schedule, command, kind)


def _is_legacy(command: str) -> bool:
    """The old Go tool's `<path>/prompt-alchemy --config <cfg> nightly`: by program basename and argument."""
    before_stdin = _UNESCAPED_PERCENT.split(command, 1)[0]  # crontab(5): an unescaped % ends the command
    try:
        words = shlex.split(before_stdin)
    except ValueError:
        return False
    return bool(words) and os.path.basename(words[0]) == LEGACY_PROGRAM and "nightly" in words[1:]


def display_command(command: str) -> str:
    """The command as shown to people: our marker dropped, `\\%` unescaped, credentials masked."""
    shown = command.removesuffix(MARKER).rstrip().replace("\\%", "%")

    def mask(match: re.Match[str]) -> str:
        return f"{match['name']}=…" if is_secret_name(match["name"]) else match.group(0)

    return _ASSIGNMENT.sub(mask, shown)
