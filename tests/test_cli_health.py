"""`status` and `runs` on the command line, run as a throwaway user against its own real crontab, with
records written into that user's state directory."""

from __future__ import annotations

import json
import os
import pwd
import re
import subprocess
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from prompt_alchemy_scheduler_tui.backends.crontab_entry import render_line
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from tests.conftest import run_cli, write_crontab

OUTCOMES = {
    "trained",
    "nothing-to-train",
    "no-pairs",
    "failed",
    "timeout",
    "not-found",
    "running",
    "unknown",
    "killed",
    "could-not-start",
}
TRAINED = 'time="2026-11-26T02:00:02Z" level=info msg="Weights updated successfully" training_pairs=12'
# What must never reach a terminal raw: ESC (OSC title, CSI clear), BEL, C1 CSI, bidi override, NUL.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\x00"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class UserState:
    """The throwaway user's state directory: its record store and its private logs."""

    def __init__(self, user: str, home: Path) -> None:
        account = pwd.getpwnam(user)
        self.owner = (account.pw_uid, account.pw_gid)
        self.home = home
        self.state = home / ".local" / "state" / "prompt-alchemy-scheduler-tui"
        self.records = self.state / "runs" / "runs.log"
        self.stdout = self.state / "logs" / "prompt-alchemy-nightly.log"

    def paths(self) -> list[str]:
        """A binary and config the user owns, as --binary/--config arguments."""
        binary = self.home / "bin" / "prompt-alchemy"
        binary.parent.mkdir(exist_ok=True)
        binary.write_text("#!/bin/sh\necho ran\n")
        binary.chmod(0o755)
        config = self.home / "config.yaml"
        config.write_text("providers: {}\n")
        config.chmod(0o600)
        for path in (binary.parent, binary, config):
            os.chown(path, *self.owner)
        return ["--binary", str(binary), "--config", str(config)]

    def append(self, path: Path, *lines: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with path.open("ab") as handle:
            handle.write("".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape"))
        os.chown(path, *self.owner)

    def run(
        self, started: int, status: int | None, *output: str, trigger: str = "scheduled", pid: int = 4242
    ) -> str:
        """A run as the recorder leaves it: records and marked log lines."""
        run_id = f"{started}-{pid}"
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started))
        self.append(self.records, f"v1 start {run_id} {trigger} {started} {pid}")
        lines = [f"[prompt-alchemy-scheduler-tui] run {run_id} started {stamp} {trigger}", *output]
        if status is not None:
            self.append(self.records, f"v1 end {run_id} {trigger} {started} {started + 3} {status}")
            lines.append(f"[prompt-alchemy-scheduler-tui] run {run_id} ended {stamp} exit {status}")
        self.append(self.stdout, *lines)
        return run_id


@pytest.fixture
def user_state(cron_user: str, run_as_user: Any) -> UserState:
    return UserState(cron_user, run_as_user.home)


def _install(run_as_user: Any, user_state: UserState, schedule: str = "0 2 * * *") -> None:
    installed = run_as_user("schedule", "--time", schedule, "--private-logs", *user_state.paths())
    assert installed.returncode == 0, installed.stderr
    assert user_state.records.is_file()  # the install line: where missed runs start counting


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert not result.stderr, result.stderr
    return json.loads(result.stdout)


def test_with_nothing_installed_status_is_unhealthy_and_runs_lists_none(run_as_user: Any) -> None:
    status = run_as_user("status")
    assert status.returncode == 1, status.stderr
    assert status.stdout.splitlines()[:2] == [
        "healthy: no",
        "problem: no prompt-alchemy nightly job is installed",
    ]
    data = _json(run_as_user("status", "--json"))
    assert data["healthy"] is False and data["problems"] == ["no prompt-alchemy nightly job is installed"]
    for key in ("last_run", "last_success", "next_run"):
        assert data[key] is None
    assert data["missed"] == []
    runs = run_as_user("runs")
    assert (runs.returncode, runs.stdout) == (0, "No runs recorded yet.\n")
    assert _json(run_as_user("runs", "--json")) == []


def test_a_fresh_install_with_a_successful_run_is_healthy(run_as_user: Any, user_state: UserState) -> None:
    _install(run_as_user, user_state)
    user_state.run(int(time.time()) - 60, 0, TRAINED, trigger="scheduled")
    status = run_as_user("status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert status.stdout.startswith("healthy: yes\njob: cron, 0 2 * * * (At 02:00)\n")
    assert "trained on 12 pairs" in status.stdout and "problem:" not in status.stdout
    data = _json(run_as_user("status", "--json"))
    assert data["healthy"] is True and data["problems"] == [] and data["missed"] == []
    assert data["last_run"]["outcome"] == "trained" and data["last_success"]["exit_status"] == 0
    assert datetime.fromisoformat(data["next_run"]).utcoffset() is not None


def test_a_failed_last_run_makes_status_exit_1(run_as_user: Any, user_state: UserState) -> None:
    _install(run_as_user, user_state)
    now = int(time.time())
    user_state.run(now - 120, 0, TRAINED, trigger="scheduled")
    user_state.run(now - 60, 1, 'time="x" level=error msg="Failed to write config"', trigger="scheduled")
    status = run_as_user("status")
    assert status.returncode == 1
    assert "problem: last run failed: failed (exit 1): Failed to write config" in status.stdout
    data = _json(run_as_user("status", "--json"))
    assert data["healthy"] is False and data["last_run"]["outcome"] == "failed"
    assert data["last_success"]["outcome"] == "trained"


def test_runs_json_lists_the_newest_first_with_iso_times_and_known_outcomes(
    run_as_user: Any, user_state: UserState
) -> None:
    _install(run_as_user, user_state)
    now = int(time.time())
    user_state.run(now - 600, 0, TRAINED)
    user_state.run(now - 500, 0, 'time="x" level=info msg="No new interactions"')
    user_state.run(now - 400, 124)
    user_state.run(now - 300, 127)
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        user_state.run(now - 10, None, pid=sleeper.pid)
        runs = _json(run_as_user("runs", "-n", "3", "--json"))
    finally:
        sleeper.kill()
        sleeper.wait()
    assert isinstance(runs, list) and len(runs) == 3
    assert [run["outcome"] for run in runs] == ["running", "not-found", "timeout"]
    running = runs[0]
    assert running["ended"] is None and running["exit_status"] is None and running["pid"] == sleeper.pid
    for run in runs:
        assert set(run) >= {"trigger", "started", "ended", "exit_status", "outcome", "summary"}
        assert run["trigger"] == "scheduled" and run["outcome"] in OUTCOMES
        assert datetime.fromisoformat(run["started"]).utcoffset() is not None
        if run["ended"] is not None:
            assert datetime.fromisoformat(run["ended"]).utcoffset() is not None
    every = _json(run_as_user("runs", "--json"))
    assert [run["outcome"] for run in every][-2:] == ["nothing-to-train", "trained"]
    assert every[-1]["summary"] == "trained on 12 pairs"


def test_runs_prints_a_table_newest_first(run_as_user: Any, user_state: UserState) -> None:
    _install(run_as_user, user_state)
    now = int(time.time())
    user_state.run(now - 600, 0, TRAINED)
    user_state.run(now - 300, 1, "Error: failed to write config", trigger="manual")
    result = run_as_user("runs", "-n", "5")
    assert result.returncode == 0, result.stderr
    header, newest, oldest = result.stdout.splitlines()
    assert header.split() == ["started", "trigger", "took", "exit", "outcome"]
    assert "manual" in newest and newest.endswith("failed: failed (exit 1): Error: failed to write config")
    assert oldest.endswith("trained: trained on 12 pairs")


@pytest.mark.parametrize(
    "args",
    [
        ["runs", "-n", "0"],
        ["runs", "-n", "x"],
        ["runs", "-n", "1001"],
        ["status", "--bogus"],
        ["status", "x"],
    ],
)
def test_bad_input_exits_2(run_as_user: Any, args: list[str]) -> None:
    result = run_as_user(*args)
    assert result.returncode == 2 and result.stderr and not result.stdout


def test_terminal_escapes_in_a_runs_log_lines_never_reach_the_terminal_raw(
    run_as_user: Any, user_state: UserState
) -> None:
    _install(run_as_user, user_state)
    now = int(time.time())
    user_state.run(now - 300, 0, f"done {HOSTILE}", trigger="manual")  # exit 0, no logrus line: quoted
    user_state.run(now - 200, 1, f'time="x" level=error msg="boom {HOSTILE}"', trigger="manual")
    user_state.run(now - 100, 3, f"Error: {HOSTILE}", trigger="manual")
    for args in (["runs"], ["status"]):
        result = run_as_user(*args)
        assert "pwned" in result.stdout and "evil" in result.stdout, result.stdout  # shown, made safe
        assert not RAW.search(result.stdout), repr(result.stdout)
    for args in (["runs", "--json"], ["status", "--json"]):
        result = run_as_user(*args)
        assert not RAW.search(result.stdout) and "pwned" in result.stdout
        json.loads(result.stdout)


def test_a_huge_log_line_is_cut_short_in_runs(run_as_user: Any, user_state: UserState) -> None:
    _install(run_as_user, user_state)
    user_state.run(int(time.time()) - 60, 1, "Error: " + "z" * 200_000, trigger="manual")
    result = run_as_user("runs")
    assert result.returncode == 0 and max(len(line) for line in result.stdout.splitlines()) < 400


def test_a_job_installed_before_run_recording_says_so(
    cron_user: str, run_as_user: Any, user_state: UserState
) -> None:
    binary, config = user_state.paths()[1::2]
    line = render_line(NightlyJob("0 2 * * *", Path(binary), Path(config)), recorder=None)
    write_crontab(cron_user, line + "\n")
    status = run_as_user("status")
    assert status.returncode == 1, status.stdout + status.stderr
    assert "problem: no run records yet (installed before run recording)" in status.stdout
    data = _json(run_as_user("status", "--json"))
    assert data["recorded"] is False and data["healthy"] is False
    assert run_as_user("runs").stdout.startswith("No run records yet (installed before run recording)")


def test_status_for_another_users_crontab_with_nothing_installed_is_unhealthy(cron_user: str) -> None:
    result = run_cli("status", user=cron_user)
    assert result.returncode == 1 and "no prompt-alchemy nightly job is installed" in result.stdout


def test_status_for_a_user_that_does_not_exist_exits_2_and_says_why() -> None:
    """crontab -u failed: that is not knowing, not "nothing installed" (exit 1 with no reason)."""
    for command in ("status", "runs"):
        result = run_cli(command, user="no-such-user-pat")
        assert result.returncode == 2 and not result.stdout
        assert "Could not list the cron jobs" in result.stderr and "no-such-user-pat" in result.stderr


def test_another_users_job_is_not_shown_this_users_runs(
    cron_user: str, stand_in_binary: Path, isolated_home: Path
) -> None:
    """Root's job for another user runs without the recorder (it lives in root's private state); the
    records root's own runs left in root's store are not that job's."""
    config = stand_in_binary.parent.parent / "config.yaml"
    installed = run_cli("schedule", "--binary", str(stand_in_binary), "--config", str(config), user=cron_user)
    assert installed.returncode == 0, installed.stderr
    store = isolated_home / "xdg_state_home" / "prompt-alchemy-scheduler-tui" / "runs" / "runs.log"
    store.parent.mkdir(parents=True, exist_ok=True)
    now = int(time.time())
    store.write_text(f"v1 end {now - 60}-7 manual {now - 60} {now - 57} 1\n")
    status = run_cli("status", user=cron_user)
    assert status.returncode == 1
    assert "last run: none recorded" in status.stdout and "exit 1" not in status.stdout
    assert "problem: runs of another user's job are not recorded where this tool looks" in status.stdout
    assert "install again" not in status.stdout
    runs = run_cli("runs", user=cron_user)
    assert runs.stdout.startswith("No runs recorded here: runs of another user's job are not recorded")
    assert _json(run_cli("runs", "--json", user=cron_user)) == []


def test_nights_with_no_run_since_the_install_are_missed_runs(
    run_as_user: Any, user_state: UserState
) -> None:
    _install(run_as_user, user_state)
    three_days_ago = int(time.time()) - 3 * 86_400
    user_state.records.write_text(f"v1 installed {three_days_ago} cron\n")  # as if installed then
    status = run_as_user("status")
    assert status.returncode == 1
    assert re.search(r"^missed: [23] \(", status.stdout, re.MULTILINE), status.stdout
    assert re.search(
        r"^problem: missed [23] scheduled run\(s\) .*cron skips a run missed", status.stdout, re.M
    )
    data = _json(run_as_user("status", "--json"))
    assert len(data["missed"]) in (2, 3) and data["healthy"] is False
    assert all(datetime.fromisoformat(moment).strftime("%H:%M") == "02:00" for moment in data["missed"])
