"""Every argument of every command is bounded: out of bounds is exit 2 and one line on stderr saying what
is allowed, never a traceback nor minutes of work.

Each row ran before as a traceback, a wrong answer, or unbounded work. The commands that reach a crontab
name a user that does not exist, so no row can read or write a real crontab even if its bound regressed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

HANG_GUARD = 60  # seconds: a guard against hangs and runaway work, not a timing assertion
NOBODY = ["--crontab-user", "pa-bounds-nobody"]
LONG_PATH = "/" + "a" * 5000  # stat() fails with ENAMETOOLONG
HUGE = "1" + "0" * 30
THOUSANDS_OF_DIGITS = "9" * 5000  # int() refuses more than 4300 digits


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, timeout=HANG_GUARD, cwd=cwd)


def _paths(tmp_path: Path) -> list[str]:
    binary = tmp_path / "bin" / "prompt-alchemy"
    binary.parent.mkdir(exist_ok=True)
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    config = tmp_path / "config.yaml"
    config.write_text("providers: {}\n")
    config.chmod(0o600)
    return ["--binary", str(binary), "--config", str(config)]


CASES: list[tuple[str, list[str], str]] = [
    # explain
    (
        "count-20-digits",
        ["explain", "0 2 * * *", "--count", "99999999999999999999"],
        "must be between 1 and 1000",
    ),
    ("count-2e6", ["explain", "0 2 * * *", "--count", "2000000"], "must be between 1 and 1000, got 2000000"),
    ("count-5000-digits", ["explain", "0 2 * * *", "--count", THOUSANDS_OF_DIGITS], "more than 20 digits"),
    ("count-zero", ["explain", "0 2 * * *", "--count", "0"], "must be between 1 and 1000, got 0"),
    ("count-word", ["explain", "0 2 * * *", "--count", "many"], "not a whole number: 'many'"),
    (
        "from-year-9999",
        ["explain", "0 2 * * *", "--from", "9999-12-31T23:59"],
        "from 1970-01-01 to 9998-12-31",
    ),
    ("from-year-1", ["explain", "0 2 * * *", "--from", "0001-01-01T00:30+09:00"], "is out of range"),
    ("from-garbage", ["explain", "0 2 * * *", "--from", "garbage"], "'garbage' is not an ISO date-time"),
    ("from-empty", ["explain", "0 2 * * *", "--from", ""], "'' is not an ISO date-time"),
    (
        "from-long",
        ["explain", "0 2 * * *", "--from", "2" * 5000],
        "(5000 characters) is not an ISO date-time",
    ),
    ("tz-directory", ["explain", "0 2 * * *", "--tz", "Europe"], "Unknown time zone 'Europe'"),
    ("tz-long", ["explain", "0 2 * * *", "--tz", "A" * 5000], "(5000 characters): use an IANA name"),
    ("tz-empty", ["explain", "0 2 * * *", "--tz", ""], "Unknown time zone ''"),
    ("tz-newline", ["explain", "0 2 * * *", "--tz", "Europe/Paris\n"], "Unknown time zone 'Europe/Paris\\n'"),
    ("tz-escape", ["explain", "0 2 * * *", "--tz", "../../../etc/passwd"], "Unknown time zone"),
    # schedule: paths (the same rule as the TUI's --binary/--config and doctor's)
    ("binary-long", [*NOBODY, "schedule", "--binary", LONG_PATH], "The binary path is 5001 bytes long"),
    (
        "binary-long-dry",
        [*NOBODY, "schedule", "--dry-run", "--binary", LONG_PATH],
        "at most 4095 are allowed",
    ),
    ("config-long", [*NOBODY, "schedule", "--config", LONG_PATH], "The config path is 5001 bytes long"),
    ("config-component", [*NOBODY, "schedule", "--config", "/" + "c" * 256], "a 256-byte component"),
    ("binary-empty", [*NOBODY, "schedule", "--binary", ""], "The binary path is empty"),
    (
        "binary-newline",
        [*NOBODY, "schedule", "--binary", "/opt/pa\n/x"],
        "control or line-separator character (U+000A)",
    ),
    ("binary-not-utf8", [*NOBODY, "schedule", "--dry-run", "--binary", "/opt/\udcff"], "is not valid UTF-8"),
    # schedule: numbers and variables
    (
        "open-files-1e30",
        [*NOBODY, "schedule", "--max-open-files", HUGE],
        "between 1 and 1048576, got a number",
    ),
    ("open-files-zero", [*NOBODY, "schedule", "--max-open-files", "0"], "between 1 and 1048576, got 0"),
    ("timeout-1e30", [*NOBODY, "schedule", "--timeout", HUGE], "between 1 and 604800 seconds (a week)"),
    ("timeout-week-and-1", [*NOBODY, "schedule", "--timeout", "604801"], "got 604801"),
    ("time-long", [*NOBODY, "schedule", "--time", "*/" + THOUSANDS_OF_DIGITS + " * * * *"], "at most 1000"),
    ("time-newline", [*NOBODY, "schedule", "--time", "0\n2 * * *"], "control or line-separator character"),
    # top level: the TUI's options, and the crontab user (it also names backup files)
    ("tui-binary-long", ["--binary", LONG_PATH], "The binary path is 5001 bytes long"),
    ("tui-config-separator", ["--config", "/etc/pa\u2028.yaml"], "(U+2028)"),
    ("user-long", ["--crontab-user", "u" * 10_000, "restore"], "(10000 characters) is not a user name"),
    ("user-newline", ["--crontab-user", "x\ny", "schedule", "--list"], "'x\\ny' is not a user name"),
    ("user-slash", ["--crontab-user", "../x", "restore"], "is not a user name"),
    ("user-glob", ["--crontab-user", "*", "restore"], "is not a user name"),
    ("user-option", ["--crontab-user=-r", "restore"], "nor a leading '-'"),
    ("user-empty", ["--crontab-user", "", "restore"], "'' is not a user name"),
    # doctor
    ("doctor-binary-long", ["doctor", "--binary", LONG_PATH], "The binary path is 5001 bytes long"),
    ("doctor-config-tab", ["doctor", "--config", "/etc/pa\t.yaml"], "(U+0009)"),
    # restore
    ("restore-long", [*NOBODY, "restore", "r" * 5000], "BACKUP is 5000 bytes long; at most 4095"),
    ("restore-component", [*NOBODY, "restore", "r" * 300], "BACKUP has a 300-byte component"),
    ("restore-escape", [*NOBODY, "restore", "../../etc/passwd"], "is not in "),
    ("restore-elsewhere", [*NOBODY, "restore", "/tmp/crontab-20260101-000000-000000.txt"], "is not in "),
    ("restore-control", [*NOBODY, "restore", "crontab-\x1b[2J.txt"], "(U+001B)"),
    # logs
    ("logs-n-1e30", ["logs", "-n", HUGE], "must be between 0 and 10000"),
    ("logs-n-negative", ["logs", "-n", "-1"], "must be between 0 and 10000, got -1"),
    ("logs-file-long", ["logs", LONG_PATH], "FILE is 5001 bytes long"),
    ("logs-many-files", ["logs", *(f"/tmp/pa-{i}.log" for i in range(101))], "101 files given; at most 100"),
    # argparse's own messages quote what was typed
    ("unrecognized-newline", ["doctor", "a\nb"], "unrecognized arguments: a\\nb"),
]


@pytest.mark.parametrize(
    ("args", "expected"), [(args, expected) for _, args, expected in CASES], ids=[c[0] for c in CASES]
)
def test_out_of_bounds_is_exit_2_and_one_line(args: list[str], expected: str) -> None:
    result = _run(*args)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, (result.stdout[-500:], result.stderr[-500:])
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr.endswith("\n"), result.stderr[-2000:]
    assert lines[0].startswith("prompt-alchemy-scheduler-tui") and ": error: " in lines[0]
    assert expected in lines[0] and len(lines[0]) < 1200


ENV_CASES: list[tuple[str, list[str], str]] = [
    ("env-value-5000", ["--env", "LEVEL=" + "v" * 5000], "The value of LEVEL is 5000 characters long"),
    ("env-5000-times", [f"--env=V{i}=1" for i in range(5000)], "5000 environment variables were given"),
    ("env-name-300", ["--env", "A" * 300 + "=1"], "is 300 characters long; at most 255"),
    ("env-bare-newline", ["--env", "BAD\nNAME"], "'BAD\\nNAME' is not a valid environment variable name"),
    (
        "env-not-utf8",
        ["--method", "launchd", "--env", "LEVEL=\udcff"],
        "The value of LEVEL is not valid UTF-8",
    ),
]


@pytest.mark.parametrize(
    ("args", "expected"), [(args, expected) for _, args, expected in ENV_CASES], ids=[c[0] for c in ENV_CASES]
)
def test_job_values_out_of_bounds_are_exit_2_and_one_line(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    result = _run(*NOBODY, "schedule", "--dry-run", *_paths(tmp_path), *args)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, (result.stdout[-500:], result.stderr[-500:])
    assert result.stderr.splitlines() == [result.stderr.rstrip("\n")]
    assert expected in result.stderr and "v" * 100 not in result.stderr  # values are never echoed


@pytest.mark.parametrize(
    "character",
    ["\t", "\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x1f", "\x7f", "\x85", "\u2028", "\u2029"],
    ids=lambda character: f"U+{ord(character):04X}",
)
def test_no_control_character_reaches_a_one_line_crontab_entry(tmp_path: Path, character: str) -> None:
    paths = _paths(tmp_path)
    for option in ("--binary", "--config"):
        changed = [*paths]
        changed[changed.index(option) + 1] += character
        result = _run(*NOBODY, "schedule", "--dry-run", *changed)
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert f"(U+{ord(character):04X})" in result.stderr


def test_explain_at_the_end_of_the_range_still_answers() -> None:
    """A sparse schedule runs out of calendar before --count: the list ends with a note, exit 0."""
    result = _run("explain", "0 0 29 2 */7", "--count", "1000", "--from", "9000-01-01T00:00", "--tz", "UTC")
    assert result.returncode == 0 and result.stderr == ""
    # 29 February falls on a Sunday in 32 of the years 9000-9999.
    assert "Only 32 of the 1000 next runs are listed" in result.stdout


def test_explain_refuses_a_huge_expression_on_stdout_like_any_invalid_one() -> None:
    result = _run("explain", "*/" + THOUSANDS_OF_DIGITS + " * * * *")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "The expression is 5010 characters long; at most 1000 are allowed" in result.stdout
    assert len(result.stdout) < 1000


def test_a_closed_pipe_ends_quietly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "prompt_alchemy_scheduler_tui", "explain", "* * * * *", "--count", "1000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    _, err = process.communicate(timeout=HANG_GUARD)
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_logs_of_a_fifo_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    """/tmp is shared: anyone can put a FIFO where the log should be; open() on it blocked for ever.

    Driven through the CLI so that a regression is caught by the hang guard instead of hanging pytest.
    """
    fifo = tmp_path / "prompt-alchemy-nightly.log"
    os.mkfifo(fifo)
    result = _run("logs", str(fifo))
    assert result.returncode == 0 and result.stdout == f"==> {fifo} (unreadable) <==\n"
    assert result.stderr == f"warning: {fifo} is a FIFO (named pipe), not a log file: not opened\n"


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["doctor", "--binary", "pa"], 1, "[FAIL] binary: pa: missing"),
        (
            [*NOBODY, "schedule", "--dry-run", "--binary", "pa"],
            2,
            "The binary path must be absolute, got pa.",
        ),
        (
            ["logs", "a.log"],
            2,
            "The current directory no longer exists: give the log files as absolute paths.",
        ),
    ],
    ids=["doctor", "schedule", "logs"],
)
def test_relative_paths_in_a_deleted_working_directory(
    tmp_path: Path, args: list[str], code: int, expected: str
) -> None:
    """getcwd() fails once the directory is gone; a relative path then means nothing, said in one line."""
    script = 'mkdir gone && cd gone && rmdir ../gone && exec "$0" -m prompt_alchemy_scheduler_tui "$@"'
    result = subprocess.run(
        ["/bin/sh", "-c", script, sys.executable, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=HANG_GUARD,
        cwd=tmp_path,
    )
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == code
    assert expected in result.stdout + result.stderr


def test_a_cron_command_over_crontabs_limit_is_refused_at_planning(tmp_path: Path) -> None:
    """Debian's crontab refuses a command over 998 bytes; the dry run says so instead of showing it."""
    deep = tmp_path.joinpath(*["d" * 200] * 5)
    deep.mkdir(parents=True)
    binary = deep / "prompt-alchemy"
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    config = tmp_path / "config.yaml"
    config.write_text("providers: {}\ndata_dir: /srv/pa\n")  # no --data-dir to add (and no home to find)
    config.chmod(0o600)
    result = _run(
        *NOBODY, "schedule", "--dry-run", "--method", "cron", "--binary", str(binary), "--config", str(config)
    )
    assert result.returncode == 2 and "cron refuses more than 998" in result.stderr, result.stderr[-300:]
    assert result.stderr.count("\n") == 1
