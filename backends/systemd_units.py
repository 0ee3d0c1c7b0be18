"""Our two systemd user units and the job's environment file: how they are written, and how a unit is
recognised as ours.

`prompt-alchemy-nightly.service` runs the job once (`Type=oneshot`): `ExecStart=` with the absolute
binary, `StandardOutput=append:`/`StandardError=append:` for the two logs (systemd.exec(5); systemd 240
and later), the job's variables from a mode-0600 `EnvironmentFile=` (never on a command line, never in
a unit file anyone can read), `TimeoutStartSec=` for `--timeout` (a oneshot service's whole run is its
start, which has no time limit by default: systemd.service(5)) and `LimitNOFILE=` for the open-files
limit. `prompt-alchemy-nightly.timer` starts it on one or more `OnCalendar=` lines (ORed), with
`Persistent=true` (a run missed while the machine was off or asleep runs once when it is back) and
`AccuracySec=1s` (the default coalesces elapses over a minute: systemd.timer(5)); `WantedBy=timers.target`
is what `systemctl --user enable` links it into.

Both start with the marker line and are ours only when they are exactly what this tool writes (parsed,
rendered again, compared byte for byte), like the crontab line: a unit of that name that is not is
reported and never touched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from prompt_alchemy_scheduler_tui.backends.job_command import parse_nightly_argv
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError, NightlyJob
from prompt_alchemy_scheduler_tui.backends.run_recorder import scheduled_argv, split_scheduled_argv
from prompt_alchemy_scheduler_tui.backends.secret_masking import mask_value

UNIT_NAME = "prompt-alchemy-nightly"
SERVICE_NAME = f"{UNIT_NAME}.service"
TIMER_NAME = f"{UNIT_NAME}.timer"
ENV_FILE_NAME = "systemd-nightly.env"  # not cron's nightly.env: uninstalling cron's job removes that one
ENV_FILE_MODE = 0o600
UNIT_FILE_MODE = 0o644

_SCHEDULE_COMMENT = "# cron schedule: "
_ENV_HEADER = (
    f"# prompt-alchemy-scheduler-tui: environment of the nightly job (EnvironmentFile= of {SERVICE_NAME})\n"
)
# systemd.syntax(7): a word needs no quotes when it holds none of these; `%` and `$` are escaped apart.
_PLAIN_WORD = re.compile(r"[A-Za-z0-9_@%+=:,./$-]+")
# systemd's own env-file writer (write_env_var in env-file.c) quotes a value holding whitespace or any
# of SHELL_NEED_QUOTES, and escapes SHELL_NEED_ESCAPE inside the double quotes.
_ENV_NEEDS_QUOTES = frozenset(" \t\n\r\"\\`$*?['()<>|&;!")
_ENV_NEEDS_ESCAPE = frozenset('"\\`$')
_ENV_LINE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")
_EXEC_WORD = re.compile(r'"(?:[^"\\]|\\.)*"|[^\s"]+')


class UnitKind(StrEnum):
    ABSENT = "absent"
    OURS = "ours"  # exactly what this tool writes
    MARKED = "marked"  # carries our marker but was changed: reported, never touched
    FOREIGN = "foreign"  # someone else's unit of that name: reported, never touched


@dataclass(frozen=True)
class ServiceParts:
    """What our service says; rendering these gives the service's text back, byte for byte."""

    binary: Path
    config: Path
    stdout_log: Path
    stderr_log: Path
    env_file: Path | None = None
    timeout_seconds: int | None = None
    number_of_files: int | None = None
    data_dir: Path | None = None
    recorder: Path | None = None  # the run recorder script (None: written before run recording)
    ping_url: str | None = None

    @property
    def job_argv(self) -> list[str]:
        data_dir = ["--data-dir", str(self.data_dir)] if self.data_dir is not None else []
        return [str(self.binary), "--config", str(self.config), *data_dir, "nightly"]

    @property
    def argv(self) -> list[str]:
        """What ExecStart= runs: the job through the run recorder, when it has one."""
        if self.recorder is None:
            return self.job_argv
        return scheduled_argv(self.recorder, self.job_argv, self.ping_url)


def user_unit_directory() -> Path:
    """Where a user's own units live: `$XDG_CONFIG_HOME/systemd/user`, else `~/.config/systemd/user`
    (systemd.unit(5), "User Unit Search Path")."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def service_parts(job: NightlyJob, env_file: Path, recorder: Path | None = None) -> ServiceParts:
    return ServiceParts(
        binary=job.binary,
        config=job.config,
        stdout_log=job.stdout_log,
        stderr_log=job.stderr_log,
        env_file=env_file if job.environment else None,
        timeout_seconds=job.timeout_seconds,
        number_of_files=job.number_of_files,
        data_dir=job.data_dir,
        recorder=recorder,
        ping_url=job.ping_url,
    )


def render_service(parts: ServiceParts) -> str:
    """The service unit's exact text; JobError for a path systemd would read differently."""
    lines = [
        MARKER,
        "[Unit]",
        "Description=Prompt Alchemy nightly job (prompt-alchemy nightly)",
        "",
        "[Service]",
        "Type=oneshot",
        f"ExecStart={exec_line(parts.argv)}",
    ]
    if parts.env_file is not None:
        lines.append(f"EnvironmentFile={path_value('environment file', parts.env_file, glob=True)}")
    lines += [
        f"StandardOutput=append:{path_value('log', parts.stdout_log)}",
        f"StandardError=append:{path_value('error log', parts.stderr_log)}",
    ]
    if parts.timeout_seconds is not None:
        lines.append(f"TimeoutStartSec={parts.timeout_seconds}")
    if parts.number_of_files is not None:
        lines.append(f"LimitNOFILE={parts.number_of_files}")
    return "\n".join(lines) + "\n"


def render_timer(expression: str, on_calendar: tuple[str, ...]) -> str:
    """The timer unit's exact text; `expression` (the cron schedule it was made from) is a comment."""
    lines = [
        MARKER,
        f"{_SCHEDULE_COMMENT}{expression}",
        "[Unit]",
        f"Description=Start {SERVICE_NAME} on its schedule",
        "",
        "[Timer]",
        *(f"OnCalendar={line}" for line in on_calendar),
        "Persistent=true",
        "AccuracySec=1s",
        "",
        "[Install]",
        "WantedBy=timers.target",
    ]
    return "\n".join(lines) + "\n"


def exec_line(argv: list[str]) -> str:
    """`ExecStart=`'s value for `argv` (systemd.service(5), "Command lines").

    Every word is unquoted by systemd (systemd.syntax(7), "Quoting") and then `%` specifiers are
    expanded, so `%` is written `%%`. The arguments then undergo `$VAR` substitution, so their `$` is
    written `$$`; the program path does not (it "may not be a variable") and keeps its `$` as is. As
    argv[0] is substituted too, a program path holding `$` is given with the `@` prefix, the path
    first and argv[0] as an ordinary (escaped) word after it.
    """
    program, *arguments = argv
    words = [exec_word(program, program=True), *(exec_word(word) for word in arguments)]
    if "$" in program:
        return "@" + " ".join([words[0], exec_word(program), *words[1:]])
    return " ".join(words)


def exec_word(word: str, *, program: bool = False) -> str:
    """One word of a command line, quoted only when it must be."""
    if program and any(character in word for character in "\"'\\"):
        raise JobError(
            f"The binary path {word} holds a quote or a backslash, which systemd refuses in the program "
            "of a command line; move or link the binary to another path, or use --method cron."
        )
    check_systemd_text("The binary path" if program else f"The argument {word}", word)
    escaped = word.replace("%", "%%") if program else word.replace("%", "%%").replace("$", "$$")
    if _PLAIN_WORD.fullmatch(word):  # the program is absolute: it never starts with a prefix (`@`, `-`...)
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def path_value(what: str, path: Path, *, glob: bool = False) -> str:
    """A path as the value of a setting that takes it unquoted (`append:`, `EnvironmentFile=`).

    systemd reads the rest of the line as the path after expanding `%` specifiers (so `%` is written
    `%%`); it ignores a path holding `..` ("not normalized"), the unit file parser drops trailing
    blanks and joins a line ending in a backslash with the next, and `EnvironmentFile=` takes a glob
    pattern (systemd.exec(5)). Such a path cannot be written exactly and is refused.
    """
    text = str(path)
    check_systemd_text(f"The {what} path", text)
    if ".." in PurePosixPath(text).parts:
        raise JobError(f"The {what} path {text} holds '..', which systemd ignores there; give it without.")
    if text != text.rstrip(" \t\\"):
        raise JobError(
            f"The {what} path {text!r} ends in a blank or a backslash, which a unit file cannot hold there."
        )
    if glob and any(character in text for character in "*?["):
        raise JobError(f"The {what} path {text} holds a glob character, which EnvironmentFile= would expand.")
    return text.replace("%", "%%")


def parse_service(text: str) -> ServiceParts | None:
    """The parts of a service in exactly our form (rendering them again gives `text`), else None."""
    values = _settings(text)
    if values is None:
        return None
    argv = _exec_argv(values.get("ExecStart", ""))
    recorded = split_scheduled_argv(argv) if argv is not None else None
    nightly = parse_nightly_argv(recorded.job_argv if recorded is not None else argv or [])
    if nightly is None:
        return None
    stdout = values.get("StandardOutput", "").removeprefix("append:")
    stderr = values.get("StandardError", "").removeprefix("append:")
    try:
        parts = ServiceParts(
            binary=nightly.binary,
            config=nightly.config,
            data_dir=nightly.data_dir,
            recorder=recorded.script if recorded is not None else None,
            ping_url=recorded.ping_url if recorded is not None else None,
            stdout_log=Path(stdout.replace("%%", "%")),
            stderr_log=Path(stderr.replace("%%", "%")),
            env_file=Path(values["EnvironmentFile"].replace("%%", "%"))
            if "EnvironmentFile" in values
            else None,
            timeout_seconds=int(values["TimeoutStartSec"]) if "TimeoutStartSec" in values else None,
            number_of_files=int(values["LimitNOFILE"]) if "LimitNOFILE" in values else None,
        )
        return parts if render_service(parts) == text else None
    except (ValueError, JobError):
        return None


def parse_timer(text: str) -> tuple[str, tuple[str, ...]] | None:
    """(cron schedule, OnCalendar lines) of a timer in exactly our form, else None."""
    lines = text.split("\n")
    if len(lines) < 3 or lines[0] != MARKER or not lines[1].startswith(_SCHEDULE_COMMENT):
        return None
    expression = lines[1].removeprefix(_SCHEDULE_COMMENT)
    on_calendar = tuple(line.removeprefix("OnCalendar=") for line in lines if line.startswith("OnCalendar="))
    return (expression, on_calendar) if render_timer(expression, on_calendar) == text else None


def classify(text: str | None, parse: Callable[[str], object | None]) -> UnitKind:
    """ABSENT, OURS (exactly our form, per `parse`), MARKED (our marker, changed) or FOREIGN."""
    if text is None:
        return UnitKind.ABSENT
    if parse(text) is not None:
        return UnitKind.OURS
    return UnitKind.MARKED if text.startswith(MARKER + "\n") else UnitKind.FOREIGN


def render_env_file(environment: tuple[tuple[str, str], ...]) -> str:
    """The environment file's exact text: a header, then `NAME=value` lines as systemd writes them."""
    for name, value in environment:
        check_systemd_text(f"The value of {name}", value)
    return _ENV_HEADER + "".join(f"{name}={env_value(value)}\n" for name, value in environment)


def shown_env_file(environment: tuple[tuple[str, str], ...]) -> str:
    """The file's text as shown to people: secret values masked."""
    return _ENV_HEADER + "".join(
        f"{name}={env_value(mask_value(name, value))}\n" for name, value in environment
    )


def env_value(value: str) -> str:
    """A value as systemd's own env-file writer puts it: bare, or double-quoted with `"\\`$` escaped.

    systemd.exec(5), EnvironmentFile=: in double quotes a backslash before any of those four keeps the
    character, and no `$` substitution happens in these files.
    """
    if not any(character in _ENV_NEEDS_QUOTES for character in value):
        return value
    return '"' + "".join("\\" + c if c in _ENV_NEEDS_ESCAPE else c for c in value) + '"'


def parse_env_file(text: str) -> tuple[tuple[str, str], ...] | None:
    """The variables of a file in exactly our form, else None."""
    if not text.startswith(_ENV_HEADER):
        return None
    pairs: list[tuple[str, str]] = []
    for line in text[len(_ENV_HEADER) :].split("\n")[:-1]:
        match = _ENV_LINE.match(line)
        if match is None:
            return None
        value = match["value"]
        if value.startswith('"') and value.endswith('"') and len(value) >= 2:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        pairs.append((match["name"], value))
    return tuple(pairs) if render_env_file(tuple(pairs)) == text else None


def check_systemd_text(what: str, text: str) -> None:
    """JobError for characters systemd refuses in a unit or environment file: it reads them as UTF-8
    and drops a value holding a Unicode noncharacter or a byte order mark (systemd.exec(5))."""
    for character in text:
        code = ord(character)
        if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE or code == 0xFEFF:
            raise JobError(
                f"{what} holds U+{code:04X}, which systemd refuses in its files; remove it or use --method cron."
            )


def _settings(text: str) -> dict[str, str] | None:
    """`Key=value` of each setting line (the last one wins), or None when the text is not ours at all."""
    if not text.startswith(MARKER + "\n"):
        return None
    values: dict[str, str] = {}
    for line in text.split("\n"):
        key, separator, value = line.partition("=")
        if separator and not line.startswith(("#", "[")):
            values[key] = value
    return values


def _exec_argv(value: str) -> list[str] | None:
    """The argv of an `ExecStart=` value in our own form (see `exec_line`), or None."""
    separate_argv0 = value.startswith("@")
    words = _EXEC_WORD.findall(value.removeprefix("@"))
    if not words:
        return None
    argv = []
    for index, word in enumerate(words):
        if word.startswith('"'):
            word = re.sub(r"\\(.)", r"\1", word[1:-1])
        word = word.replace("%%", "%")
        argv.append(word if index == 0 else word.replace("$$", "$"))
    if separate_argv0:
        if len(argv) < 2 or argv[1] != argv[0]:
            return None
        del argv[1]
    return argv
