"""The command line's grammar; mirrors Prompt Alchemy's `prompt-alchemy schedule` where it overlaps."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import datetime
from typing import NoReturn
from zoneinfo import ZoneInfo

from prompt_alchemy_scheduler_tui.backends.cron_syntax import DEFAULT_EXPRESSION
from prompt_alchemy_scheduler_tui.backends.line_safety import unsafe_character
from prompt_alchemy_scheduler_tui.backends.log_tail import MAX_LINES
from prompt_alchemy_scheduler_tui.backends.nightly_job import (
    MAX_ENVIRONMENT_VALUE_LENGTH,
    MAX_ENVIRONMENT_VARIABLES,
    MAX_NUMBER_OF_FILES,
    MAX_TIMEOUT_SECONDS,
    JobError,
    check_job_path,
    check_number_of_files,
    check_timeout,
)
from prompt_alchemy_scheduler_tui.backends.platform_detect import method_choices
from prompt_alchemy_scheduler_tui.backends.run_recorder import KEEP_RUNS
from prompt_alchemy_scheduler_tui.backends.run_times import MAX_RUNS
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import method_names
from prompt_alchemy_scheduler_tui.backends.scheduler_registry import schedulers_help
from prompt_alchemy_scheduler_tui.backends.time_zone import UnknownTimeZoneError, zone_named
from prompt_alchemy_scheduler_tui.backends.user_text import path_problem, shown

PROG = "prompt-alchemy-scheduler-tui"
VERSION = "0.1.0"

# Bounds of the command line's own arguments; the job's values are bounded in backends/nightly_job.py.
EARLIEST_FROM = datetime(1970, 1, 1)  # the Unix epoch: cron never ran before it
LATEST_FROM = datetime(9998, 12, 31, 23, 59, 59)  # a day of margin before datetime.max in any zone
MAX_LOG_FILES = 100
MAX_USER_NAME_LENGTH = 255  # LOGIN_NAME_MAX is 256 with the terminating NUL
MAX_MESSAGE_LENGTH = 1000
_USER_NAME = re.compile(r"^[^\s/:*?\[\]\\-][^\s/:*?\[\]\\]*$")
_DIGITS = re.compile(r"^[+-]?[0-9]+$")


def fail(message: str, code: int) -> int:
    """Report an error on one line of stderr, as every command does, and return the exit code to use."""
    sys.stderr.write(f"{PROG}: error: {one_line(message)}\n")
    return code


def one_line(message: str) -> str:
    """`message` as a single line: controls and line separators escaped, cut at MAX_MESSAGE_LENGTH.

    Messages quote what was typed and what tools answered (crontab's complaint spans two lines).
    """
    escaped = "".join(
        repr(character)[1:-1] if unsafe_character(character) else character for character in message
    )
    if len(escaped) > MAX_MESSAGE_LENGTH:
        return escaped[: MAX_MESSAGE_LENGTH - 1] + "…"
    return escaped


class OneLineParser(argparse.ArgumentParser):
    """Usage errors are one line on stderr and exit 2, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {one_line(message)} (see --help)\n")
        raise SystemExit(2)


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog=PROG,
        description=f"Install, show and remove Prompt Alchemy's nightly job ({method_names('or')}). "
        "Without a command, opens the terminal UI.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {VERSION}")
    parser.add_argument(
        "--crontab-user",
        type=_user_name,
        metavar="USER",
        help="edit USER's crontab instead of your own (crontab -u; needs root)",
    )
    parser.add_argument(
        "--binary",
        dest="tui_binary",
        type=_path("binary"),
        metavar="PATH",
        help="TUI: prompt-alchemy binary to schedule",
    )
    parser.add_argument(
        "--config",
        dest="tui_config",
        type=_path("config"),
        metavar="PATH",
        help="TUI: config file to pass with --config",
    )
    commands = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        parser_class=OneLineParser,
        help="what to do (none: open the terminal UI)",
    )

    explain = commands.add_parser("explain", help="check a cron expression: description, next runs, warnings")
    explain.add_argument(
        "expression",
        nargs="+",
        metavar="EXPR",
        help='cron expression: "0 2 * * *", or its five fields as separate words (quote * where files match)',
    )
    explain.add_argument(
        "--count",
        type=_integer_between(1, MAX_RUNS),
        default=5,
        help=f"how many next runs, 1-{MAX_RUNS} (default 5)",
    )
    explain.add_argument(
        "--from",
        dest="start",
        type=_start,
        metavar="ISO-DATETIME",
        help=f"reference time, {EARLIEST_FROM.year}-{LATEST_FROM.year} (default now)",
    )
    explain.add_argument("--tz", type=_zone, metavar="ZONE", help="IANA time zone (default the local one)")
    explain.add_argument("--json", action="store_true", help="print one JSON object")

    doctor = commands.add_parser(
        "doctor", help="the troubleshooting checks: binary, config, scheduler, daemon"
    )
    _add_job_paths(doctor)
    doctor.add_argument("--json", action="store_true", help="print the checks as a JSON list")

    schedule = commands.add_parser(
        "schedule", help="install (default), --list or --uninstall the nightly job"
    )
    schedule.add_argument(
        "--time",
        default=DEFAULT_EXPRESSION,
        metavar="EXPR",
        help=f'cron expression (default "{DEFAULT_EXPRESSION}")',
    )
    schedule.add_argument(
        "--method",
        choices=method_choices(),
        default="auto",
        help=f"scheduler (default auto: the best one here). {schedulers_help()}",
    )
    schedule.add_argument("--dry-run", action="store_true", help="show what would be written; change nothing")
    _add_job_paths(schedule)
    schedule.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME[=VALUE]",
        help=f"environment variable for the job (repeatable, at most {MAX_ENVIRONMENT_VARIABLES}; values up "
        f"to {MAX_ENVIRONMENT_VALUE_LENGTH} characters); NAME alone copies your current value",
    )
    schedule.add_argument(
        "--timeout",
        type=_checked_integer(check_timeout),
        metavar="SECONDS",
        help=f"kill the job after SECONDS, 1-{MAX_TIMEOUT_SECONDS} (a week)",
    )
    schedule.add_argument(
        "--max-open-files",
        type=_checked_integer(check_number_of_files),
        metavar="N",
        help=f"limit on the job's open files, 1-{MAX_NUMBER_OF_FILES} (where the scheduler sets one)",
    )
    schedule.add_argument(
        "--data-dir",
        type=_path("data directory"),
        metavar="DIR",
        help="where nightly finds prompts.db, written into the job as --data-dir (default: the config's "
        "data_dir; when it names none, ~/.prompt-alchemy, as nightly would otherwise use a throwaway database)",
    )
    schedule.add_argument(
        "--ping",
        metavar="URL",
        help="dead man's switch: the job requests URL/start when a run starts and URL/<exit status> when it "
        "ends (Healthchecks.io's convention), with curl, at most about 35 s each; off by default",
    )
    schedule.add_argument(
        "--private-logs",
        action="store_true",
        help="log to the per-user state directory instead of /tmp (where other users can plant files)",
    )
    action = schedule.add_mutually_exclusive_group()
    action.add_argument(
        "--list", action="store_true", help=f"list prompt-alchemy nightly jobs in {method_names()}"
    )
    action.add_argument("--uninstall", action="store_true", help="remove every prompt-alchemy nightly job")
    schedule.add_argument("--json", action="store_true", help="print the plans, results or listing as JSON")

    restore = commands.add_parser(
        "restore", help="put back a backup taken before a change (default: list them)"
    )
    restore.add_argument(
        "backup",
        nargs="?",
        type=_path("BACKUP", checked_as=path_problem),
        metavar="BACKUP",
        help="backup file name or path; 'latest' for the newest",
    )
    restore.add_argument("--json", action="store_true", help="list the backups as JSON")
    restore.add_argument(
        "--dry-run", action="store_true", help="show what restoring would change; write nothing"
    )
    restore.add_argument("--yes", action="store_true", help="do not ask before restoring")

    status = commands.add_parser(
        "status",
        help="is the nightly job healthy? last run, last success, next run, missed runs (exit 1: no)",
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")

    runs = commands.add_parser("runs", help="the job's recorded runs, newest first: when, how, outcome")
    runs.add_argument(
        "-n",
        "--count",
        type=_integer_between(1, KEEP_RUNS),
        default=20,
        metavar="N",
        help=f"the last N runs, 1-{KEEP_RUNS} (default 20)",
    )
    runs.add_argument("--json", action="store_true", help="print a JSON list of runs")

    logs = commands.add_parser("logs", help="show (and follow) /tmp/prompt-alchemy-nightly*.log")
    logs.add_argument(
        "-n",
        "--lines",
        type=_integer_between(0, MAX_LINES),
        default=50,
        metavar="N",
        help=f"last N lines, 0-{MAX_LINES} (default 50)",
    )
    logs.add_argument("-f", "--follow", action="store_true", help="keep printing new lines until Ctrl-C")
    logs.add_argument(
        "files",
        nargs="*",
        type=_path("FILE", checked_as=path_problem),
        metavar="FILE",
        help=f"log files (at most {MAX_LOG_FILES}; default /tmp/prompt-alchemy-nightly*.log)",
    )
    return parser


def _add_job_paths(command: argparse.ArgumentParser) -> None:
    """--binary and --config, as `doctor` and `schedule` take them."""
    command.add_argument(
        "--binary",
        type=_path("binary"),
        metavar="PATH",
        help="prompt-alchemy binary (default: found on PATH)",
    )
    command.add_argument(
        "--config",
        type=_path("config"),
        metavar="PATH",
        help="config file (default ~/.prompt-alchemy/config.yaml)",
    )


def _integer_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = _whole_number(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {_number(value)}")
        return value

    return parse


def _checked_integer(check: Callable[[int], None]) -> Callable[[str], int]:
    """A whole number that the backend check accepts; its sentence is the error message."""

    def parse(text: str) -> int:
        value = _whole_number(text)
        try:
            check(value)
        except JobError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        return value

    return parse


def _whole_number(text: str) -> int:
    """The number, or ±10**21 for one of more digits than any bound here (int() refuses 4300 digits)."""
    stripped = text.strip()
    if not _DIGITS.match(stripped):
        raise argparse.ArgumentTypeError(f"not a whole number: {shown(text)}")
    digits = stripped.lstrip("+-").lstrip("0") or "0"
    if len(digits) > 20:
        return -(10**21) if stripped.startswith("-") else 10**21
    return int(stripped)


def _number(value: int) -> str:
    return str(value) if -(10**20) < value < 10**20 else "a number with more than 20 digits"


def _path(what: str, checked_as: Callable[[str, str], str | None] | None = None) -> Callable[[str], str]:
    """A path argument: the job's own path rule (binary, config) or the generic one (BACKUP, FILE)."""

    def parse(text: str) -> str:
        if checked_as is not None:
            problem = checked_as(what, text)
            if problem is not None:
                raise argparse.ArgumentTypeError(problem)
            return text
        try:
            check_job_path(what, text)
        except JobError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        return text

    return parse


def _start(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not an ISO date-time such as 2026-11-26T08:00"
        ) from None
    if not EARLIEST_FROM <= moment.replace(tzinfo=None) <= LATEST_FROM:
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is out of range: give a date-time from {EARLIEST_FROM:%Y-%m-%d} to "
            f"{LATEST_FROM:%Y-%m-%d}"
        )
    return moment


def _zone(text: str) -> ZoneInfo:
    try:
        return zone_named(text)
    except UnknownTimeZoneError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _user_name(text: str) -> str:
    """A login name as crontab -u takes it; it also names backup files, so no `/` nor glob characters."""
    if not 1 <= len(text) <= MAX_USER_NAME_LENGTH or not _USER_NAME.match(text) or not text.isprintable():
        raise argparse.ArgumentTypeError(
            f"{shown(text)} is not a user name: 1-{MAX_USER_NAME_LENGTH} characters, no spaces, control "
            "characters, '/', ':', '\\', glob characters, nor a leading '-'"
        )
    return text
