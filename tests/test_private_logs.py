"""The job's own `>>` follows a planted link: unsafe log paths are named at install, and a per-user log
directory is offered; once installed there, `logs`, the panes and "run now" follow the job."""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
from pathlib import Path
from typing import Any

from prompt_alchemy_scheduler_tui.backends.job_builder import log_advice
from prompt_alchemy_scheduler_tui.backends.log_safety import private_log_directory
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from tests.conftest import read_crontab, run_cli, user_owned_stand_in


def _cli(user: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, user=user)


def test_a_planted_log_link_is_named_with_the_way_out(tmp_path: Path, stand_in_binary: Path) -> None:
    victim = tmp_path / "bashrc"
    victim.write_text("# mine\n")
    planted = tmp_path / "prompt-alchemy-nightly.log"
    planted.symlink_to(victim)
    job = NightlyJob(
        "0 2 * * *",
        stand_in_binary,
        stand_in_binary.parent.parent / "config.yaml",
        stdout_log=planted,
        stderr_log=tmp_path / "prompt-alchemy-nightly.error.log",
    )
    (advice,) = log_advice(job)
    assert f"{planted} is a symbolic link to {victim}" in advice
    assert f"--private-logs to log to {private_log_directory()}" in advice
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    clean = NightlyJob(
        "0 2 * * *",
        stand_in_binary,
        stand_in_binary.parent.parent / "config.yaml",
        stdout_log=mine / "out.log",
        stderr_log=mine / "err.log",
    )
    assert log_advice(clean) == []


def test_private_logs_are_installed_created_and_followed(cron_user: str, run_as_user: Any) -> None:
    home: Path = run_as_user.home
    paths = user_owned_stand_in(cron_user, home)
    private = home / ".local" / "state" / "prompt-alchemy-scheduler-tui" / "logs"
    preview = run_as_user("schedule", "--private-logs", "--dry-run", *paths)
    assert preview.returncode == 0, preview.stderr
    assert f">>{private}/prompt-alchemy-nightly.log" in preview.stdout
    assert not private.exists()  # a dry run creates nothing
    installed = run_as_user("schedule", "--private-logs", *paths)
    assert installed.returncode == 0, installed.stderr
    assert f"2>>{private}/prompt-alchemy-nightly.error.log" in (read_crontab(cron_user) or "")
    info = private.stat()
    assert stat.S_IMODE(info.st_mode) == 0o700 and info.st_uid == pwd.getpwnam(cron_user).pw_uid
    log = private / "prompt-alchemy-nightly.log"
    log.write_text("trained on 12 pairs\n")
    os.chown(log, info.st_uid, info.st_gid)
    shown = run_as_user("logs", "-n", "5")
    assert shown.returncode == 0, shown.stderr
    assert f"==> {log} (present, 20 B) <==\ntrained on 12 pairs" in shown.stdout


def test_private_logs_for_another_users_crontab_are_refused(cron_user: str, stand_in_binary: Path) -> None:
    """Root's private directory is not one the other user's job could write to."""
    config = stand_in_binary.parent.parent / "config.yaml"
    result = _cli(
        cron_user, "schedule", "--private-logs", "--binary", str(stand_in_binary), "--config", str(config)
    )
    assert result.returncode == 2 and "cannot be combined with --crontab-user" in result.stderr
    assert read_crontab(cron_user) is None


def test_a_private_log_directory_that_is_a_link_is_refused(cron_user: str, run_as_user: Any) -> None:
    home: Path = run_as_user.home
    paths = user_owned_stand_in(cron_user, home)
    state = home / ".local" / "state" / "prompt-alchemy-scheduler-tui"
    state.mkdir(parents=True)
    elsewhere = home / "elsewhere"
    elsewhere.mkdir()
    (state / "logs").symlink_to(elsewhere)
    account = pwd.getpwnam(cron_user)
    for path in (home / ".local", home / ".local" / "state", state, elsewhere):
        os.chown(path, account.pw_uid, account.pw_gid)
    os.lchown(state / "logs", account.pw_uid, account.pw_gid)
    result = run_as_user("schedule", "--private-logs", *paths)
    assert result.returncode == 1 and "Cannot use" in result.stderr and "Traceback" not in result.stderr
    assert read_crontab(cron_user) is None


async def test_the_panes_follow_the_installed_jobs_log_directory(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    from prompt_alchemy_scheduler_tui.widgets.log_pane import LogPane
    from prompt_alchemy_scheduler_tui.widgets.logs_panel import LogsPanel
    from tests.conftest import write_crontab
    from tests.tui_support import main_screen, make_app, wait_until

    private = tmp_path / "private-logs"
    private.mkdir(mode=0o700)
    (private / "prompt-alchemy-nightly.log").write_text("trained on 3 pairs\n")
    config = stand_in_binary.parent.parent / "config.yaml"
    write_crontab(
        cron_user,
        f"0 2 * * * {stand_in_binary} --config {config} nightly >>{private}/prompt-alchemy-nightly.log "
        f"2>>{private}/prompt-alchemy-nightly.error.log # prompt-alchemy-scheduler-tui:nightly\n",
    )
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: screen.query_one(LogsPanel).directory == private)
        await wait_until(
            pilot,
            lambda: any(
                pane.backlog_shown and "trained on 3 pairs" in pane.log_view.lines
                for pane in screen.query(LogPane)
            ),
        )
        assert screen.log_directory == private
