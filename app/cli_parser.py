"""The command line's grammar; mirrors the seed's `prompt-alchemy schedule` where it overlaps."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from backends.platform_detect import METHODS
from backends.schedule import DEFAULT_EXPRESSION

PROG = "prompt-alchemy-scheduler-tui"
VERSION = "0.1.0"


def fail(message: str, code: int) -> int:
    """Report an error on one line of stderr, as every command does, and return the exit code to use."""
    sys.stderr.write(f"{PROG}: error: {message}\n")
    return code


class OneLineParser(argparse.ArgumentParser):
    """Usage errors are one line on stderr and exit 2, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see --help)\n")
        raise SystemExit(2)


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog=PROG,
        description="Install, show and remove Prompt Alchemy's nightly job (cron or launchd). "
        "Without a command, opens the terminal UI.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {VERSION}")
    parser.add_argument(
        "--crontab-user",
        metavar="USER",
        help="edit USER's crontab instead of your own (crontab -u; needs root)",
    )
    parser.add_argument(
        "--binary", dest="tui_binary", metavar="PATH", help="TUI: prompt-alchemy binary to schedule"
    )
    parser.add_argument(
        "--config", dest="tui_config", metavar="PATH", help="TUI: config file to pass with --config"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    explain = commands.add_parser("explain", help="check a cron expression: description, next runs, warnings")
    explain.add_argument("expression", metavar="EXPR", help='cron expression, quoted: "0 2 * * *"')
    explain.add_argument("--count", type=_positive_int, default=5, help="how many next runs (default 5)")
    explain.add_argument("--from", dest="start", metavar="ISO-DATETIME", help="reference time (default now)")
    explain.add_argument("--tz", metavar="ZONE", help="IANA time zone (default the local one)")
    explain.add_argument("--json", action="store_true", help="print one JSON object")

    doctor = commands.add_parser(
        "doctor", help="the troubleshooting checks: binary, config, scheduler, daemon"
    )
    doctor.add_argument("--binary", metavar="PATH")
    doctor.add_argument("--config", metavar="PATH")
    doctor.add_argument("--json", action="store_true")

    schedule = commands.add_parser(
        "schedule", help="install (default), --list or --uninstall the nightly job"
    )
    schedule.add_argument(
        "--time",
        default=DEFAULT_EXPRESSION,
        metavar="EXPR",
        help=f'cron expression (default "{DEFAULT_EXPRESSION}")',
    )
    schedule.add_argument("--method", choices=METHODS, default="auto", help="scheduler (default auto)")
    schedule.add_argument("--dry-run", action="store_true", help="show what would be written; change nothing")
    schedule.add_argument("--binary", metavar="PATH", help="prompt-alchemy binary (default: found on PATH)")
    schedule.add_argument(
        "--config", metavar="PATH", help="config file (default ~/.prompt-alchemy/config.yaml)"
    )
    schedule.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME[=VALUE]",
        help="environment variable for the job (repeatable); NAME alone copies your current value",
    )
    schedule.add_argument(
        "--timeout", type=_positive_int, metavar="SECONDS", help="kill the job after SECONDS"
    )
    schedule.add_argument(
        "--max-open-files", type=_positive_int, metavar="N", help="launchd: SoftResourceLimits NumberOfFiles"
    )
    action = schedule.add_mutually_exclusive_group()
    action.add_argument(
        "--list", action="store_true", help="list prompt-alchemy nightly jobs in cron and launchd"
    )
    action.add_argument("--uninstall", action="store_true", help="remove every prompt-alchemy nightly job")
    schedule.add_argument("--json", action="store_true")

    restore = commands.add_parser("restore", help="put back a crontab backup (default: list them)")
    restore.add_argument(
        "backup", nargs="?", metavar="BACKUP", help="backup file name or path; 'latest' for the newest"
    )
    restore.add_argument("--json", action="store_true", help="list the backups as JSON")
    restore.add_argument(
        "--dry-run", action="store_true", help="show what restoring would change; write nothing"
    )
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing the crontab")

    logs = commands.add_parser("logs", help="show (and follow) /tmp/prompt-alchemy-nightly*.log")
    logs.add_argument(
        "-n", "--lines", type=_non_negative_int, default=50, metavar="N", help="last N lines (default 50)"
    )
    logs.add_argument("-f", "--follow", action="store_true", help="keep printing new lines until Ctrl-C")
    logs.add_argument("files", nargs="*", metavar="FILE")
    return parser


def _positive_int(text: str) -> int:
    value = _non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text}")
    return value
