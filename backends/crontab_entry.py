"""Our crontab line: how it is written, and how a crontab line is recognised as ours, legacy or foreign.

Our line carries a trailing shell comment as its marker, so it stays one line per job and the shell
ignores it: `<schedule> [. '<env file>' && ]/bin/sh '<run recorder>' scheduled [--ping '<url>' ]
[timeout N ]'<binary>' --config '<config>' [--data-dir '<dir>' ]nightly >>'<log>' 2>>'<error log>'
# prompt-alchemy-scheduler-tui:nightly`. Lines written before run recording lack the recorder part.
Cron hands everything after the schedule to /bin/sh, except that an unescaped `%` ends the command
(crontab(5)), so every `%` is written `\\%`.

A line is ours only when it is exactly what this tool writes (parsed, rendered again, compared byte
for byte); one that merely ends in the marker is reported and left alone. A line is the old Go
`prompt-alchemy schedule`'s only in the exact form that tool wrote (cmd/schedule.go:
`"%s --config %s nightly"`, unquoted, nothing after `nightly`).
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.crontab_text import split_fields, strip_blanks
from prompt_alchemy_scheduler_tui.backends.job_command import TIMEOUT_PROGRAMS, find_timeout_program
from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text, unsafe_character_message
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError, NightlyJob
from prompt_alchemy_scheduler_tui.backends.run_recorder import (
    PING_OPTION,
    SHELL,
    Trigger,
    split_scheduled_argv,
)
from prompt_alchemy_scheduler_tui.backends.secret_masking import mask_text

MARKER = "# prompt-alchemy-scheduler-tui:nightly"
MAX_COMMAND_BYTES = 998  # everything after the schedule, marker included; see check_command_length
LEGACY_PROGRAM = "prompt-alchemy"

_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_SHELL_SYNTAX = re.compile(r"[;&|<>$`'\"\\%()\[\]{}*?!#~\t]")
_ENV_LINE = re.compile(r"^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=")
_INLINE_ASSIGNMENT = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$", re.DOTALL)


class LineKind(StrEnum):
    MANAGED = "managed"  # written by this tool, in its exact form
    LEGACY = "legacy"  # written by the old Go `prompt-alchemy schedule`
    MARKED = "marked"  # ends in our marker but is not in our form: reported, never touched
    FOREIGN = "foreign"


@dataclass(frozen=True)
class EntryParts:
    """What our entry's command says. `inline_environment` is the earlier version's form: values written
    as prefix assignments on the line itself (visible to `ps`); this version writes `env_file`."""

    binary: Path
    config: Path
    stdout_log: Path
    stderr_log: Path
    env_file: Path | None = None
    inline_environment: tuple[tuple[str, str], ...] = ()
    timeout_program: str | None = None
    timeout_seconds: int | None = None
    data_dir: Path | None = None
    recorder: Path | None = None  # the run recorder script the job runs through (None: written before it)
    ping_url: str | None = None


@dataclass(frozen=True)
class CrontabLine:
    """A job line split into schedule and command; `parts` is set for our managed lines."""

    number: int  # 1-based line number in the crontab
    text: str  # the line as written, without its line ending
    schedule: str
    command: str
    kind: LineKind
    parts: EntryParts | None = None


def render_line(
    job: NightlyJob,
    env_file: Path | None = None,
    timeout_program: str | None = None,
    recorder: Path | None = None,
) -> str:
    """The exact crontab line for `job` (no newline). Raises JobError for what a line cannot carry.

    The job's environment is not on the line: it is in `env_file`, which the caller writes. With
    `recorder` (the run recorder script, which the caller writes too) the job runs through it.
    """
    if job.ping_url and recorder is None:
        raise JobError("--ping needs the run recorder, which this crontab cannot use.")
    if job.environment and env_file is None:
        raise JobError("The job has environment variables but no private file to keep them in.")
    parts = EntryParts(
        binary=job.binary,
        config=job.config,
        stdout_log=job.stdout_log,
        stderr_log=job.stderr_log,
        env_file=env_file if job.environment else None,
        timeout_program=(timeout_program or find_timeout_program()) if job.timeout_seconds else None,
        timeout_seconds=job.timeout_seconds,
        data_dir=job.data_dir,
        recorder=recorder,
        ping_url=job.ping_url,
    )
    command = render_command(parts)
    problem = unsafe_character_message("The crontab entry", command)
    if problem:
        raise JobError(problem)
    check_command_length(command)
    return f"{job.schedule} {command}"


def render_command(parts: EntryParts) -> str:
    """The command part of our line, marker included, `%` escaped for cron."""
    words: list[str] = []
    if parts.env_file is not None:
        words += [".", shlex.quote(str(parts.env_file)), "&&"]
    words += [f"{name}={shlex.quote(value)}" for name, value in parts.inline_environment]
    if parts.recorder is not None:
        words += [SHELL, shlex.quote(str(parts.recorder)), Trigger.SCHEDULED]
        if parts.ping_url:
            words += [PING_OPTION, shlex.quote(parts.ping_url)]
    if parts.timeout_program is not None and parts.timeout_seconds is not None:
        words += [shlex.quote(parts.timeout_program), str(parts.timeout_seconds)]
    words += [shlex.quote(str(parts.binary)), "--config", shlex.quote(str(parts.config))]
    if parts.data_dir is not None:
        words += ["--data-dir", shlex.quote(str(parts.data_dir))]
    words += ["nightly"]
    words += [f">>{shlex.quote(str(parts.stdout_log))}", f"2>>{shlex.quote(str(parts.stderr_log))}"]
    command = " ".join(words)
    if "\\%" in command:
        raise JobError(
            "A path or value contains a backslash before '%', which cron cannot pass on unchanged."
        )
    return f"{command.replace('%', chr(92) + '%')} {MARKER}"


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
            '(Debian: "command too long"). Use shorter paths.'
        )


def classify(number: int, text: str) -> CrontabLine | None:
    """A job line's parts, or None for blank, comment and NAME=value lines (cron's reading of them)."""
    stripped = strip_blanks(text)
    if not stripped or stripped.startswith("#") or _ENV_LINE.match(text):
        return None
    macro = stripped.startswith("@")
    parts = split_fields(text, 1 if macro else 5)
    if len(parts) < (2 if macro else 6) or not parts[-1]:
        return None
    schedule, command = " ".join(parts[:-1]), parts[-1]
    if MARKER in command:  # ours only in our exact form; anything else that names us is reported
        entry = parse_command(command) if command.endswith(" " + MARKER) else None
        kind = LineKind.MANAGED if entry is not None else LineKind.MARKED
        return CrontabLine(number, text, schedule, command, kind, entry)
    kind = LineKind.LEGACY if is_legacy_command(command) else LineKind.FOREIGN
    return CrontabLine(number, text, schedule, command, kind)


def parse_command(command: str) -> EntryParts | None:
    """The parts of a command in exactly our form (rendering them again gives `command`), else None."""
    body = command.removesuffix(" " + MARKER)
    if _UNESCAPED_PERCENT.search(body):
        return None
    try:
        words = shlex.split(body.replace("\\%", "%"))
    except ValueError:
        return None
    parts = _parts_from_words(words)
    if parts is None:
        return None
    try:
        return parts if render_command(parts) == command else None
    except JobError:
        return None


def _parts_from_words(words: list[str]) -> EntryParts | None:
    index = 0
    env_file = None
    if words[:1] == ["."] and len(words) > 2 and words[2] == "&&":
        env_file, index = Path(words[1]), 3
    inline: list[tuple[str, str]] = []
    while index < len(words) and (match := _INLINE_ASSIGNMENT.match(words[index])):
        inline.append((match["name"], match["value"]))
        index += 1
    recorded = split_scheduled_argv(words[index:])
    rest = recorded.job_argv if recorded is not None else words[index:]
    timeout_program, timeout_seconds = None, None
    if len(rest) > 1 and os.path.basename(rest[0]) in TIMEOUT_PROGRAMS and rest[1].isdigit():
        timeout_program, timeout_seconds = rest[0], int(rest[1])
        rest = rest[2:]
    data_dir = None
    if len(rest) == 8 and rest[3] == "--data-dir":
        data_dir = Path(rest[4])
        rest = [*rest[:3], *rest[5:]]
    if (
        len(rest) != 6
        or rest[1] != "--config"
        or rest[3] != "nightly"
        or not rest[4].startswith(">>")
        or not rest[5].startswith("2>>")
    ):
        return None
    return EntryParts(
        binary=Path(rest[0]),
        config=Path(rest[2]),
        stdout_log=Path(rest[4][2:]),
        stderr_log=Path(rest[5][3:]),
        env_file=env_file,
        inline_environment=tuple(inline),
        timeout_program=timeout_program,
        timeout_seconds=timeout_seconds,
        data_dir=data_dir,
        recorder=recorded.script if recorded is not None else None,
        ping_url=recorded.ping_url if recorded is not None else None,
    )


def is_legacy_command(command: str) -> bool:
    """The old Go tool's exact `<binary> --config <config> nightly`: unquoted, nothing after `nightly`.

    That tool wrote the absolute path of its own executable (basename `prompt-alchemy`) and the config
    path, nothing before, between or after. So a line with anything in front of the binary (`nice`,
    `cd /srv &&`, `NAME=value`), shell syntax in a path (`;`, `&&`, `%`, quotes), or what looks like
    further options in the config path (a space before a dash) is someone's own line, never legacy.
    """
    head = command.removesuffix(" nightly")
    if head == command:
        return False
    binary, separator, config = head.partition(" --config ")
    return (
        bool(separator)
        and binary.startswith("/")
        and binary.rsplit("/", 1)[-1] == LEGACY_PROGRAM
        and bool(config)
        and strip_blanks(config) == config
        and " -" not in config
        and not _SHELL_SYNTAX.search(binary + config)
    )


def legacy_paths(command: str) -> tuple[Path, Path] | None:
    """(binary, config) of the old Go tool's line, None for any other command."""
    if not is_legacy_command(command):
        return None
    binary, _, config = command.removesuffix(" nightly").partition(" --config ")
    return Path(binary), Path(config)


def display_command(command: str) -> str:
    """The command as shown to people: our marker dropped, `\\%` unescaped, credentials masked."""
    return shown_text(mask_text(command.removesuffix(MARKER).rstrip(" \t").replace("\\%", "%")))
