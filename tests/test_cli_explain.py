"""`explain` and `doctor` on the command line, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

PROG = [sys.executable, "-m", "prompt_alchemy_scheduler_tui"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PROG, *args], capture_output=True, text=True, check=False)


def test_explain_json_has_the_promised_members() -> None:
    result = _run(
        "explain", "0 2 * * 0", "--count", "3", "--from", "2026-11-26T08:00", "--tz", "Europe/Paris", "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["valid"] is True and data["error"] is None
    assert data["description"] == "At 02:00, only on Sunday"
    assert data["next_runs"] == [
        "2026-11-29T02:00:00+01:00",
        "2026-12-06T02:00:00+01:00",
        "2026-12-13T02:00:00+01:00",
    ]
    assert {w["code"] for w in data["warnings"]} >= {"sleep"}


def test_explain_invalid_exits_2_with_the_message() -> None:
    result = _run("explain", "5/15 * * * *")
    assert result.returncode == 2
    assert "minute: '5/15' puts a step after a single value" in result.stdout


def test_explain_text_shows_relative_times() -> None:
    result = _run("explain", "0 2 * * *", "--from", "2026-11-26T08:11", "--tz", "UTC", "--count", "1")
    assert result.returncode == 0
    assert "Fri 2026-11-27 02:00 UTC  (in 17 h 49 min)" in result.stdout


def test_usage_errors_are_one_line_and_exit_2() -> None:
    for args in (["explain"], ["explain", "* * * * *", "--count", "0"], ["frobnicate"]):
        result = _run(*args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    bad_zone = _run("explain", "* * * * *", "--tz", "Mars/Olympus")
    assert bad_zone.returncode == 2 and "Unknown time zone 'Mars/Olympus'" in bad_zone.stderr


def test_version_and_help() -> None:
    assert _run("--version").stdout.strip() == "prompt-alchemy-scheduler-tui 0.1.0"
    assert "explain" in _run("--help").stdout


def test_doctor_json_lists_every_check() -> None:
    result = _run("doctor", "--json")
    checks = {c["check"] for c in json.loads(result.stdout)}
    assert checks == {"binary", "config", "scheduler", "cron daemon", "systemd --user"}


def test_five_words_are_one_expression() -> None:
    result = subprocess.run(
        [*PROG, "explain", "0", "2", "*", "*", "*"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.splitlines()[:2] == ["0 2 * * *", "  At 02:00"]


def test_every_option_of_every_command_has_help_text() -> None:
    from prompt_alchemy_scheduler_tui.app.cli_parser import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices  # argparse keeps them there
    for name, command in [("", parser), *commands.items()]:
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help text"
