"""Attacks a hostile tester found on the trust fixes, each a regression test (all failed before)."""

from __future__ import annotations

import os
import pwd
import shlex
import stat
import subprocess
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.crontab_entry import MARKER
from tests.conftest import read_crontab, run_cli, write_crontab
from tests.tui_support import main_screen, make_app, wait_until

APP = "prompt-alchemy-scheduler-tui"


def _state_dir(home: Path) -> Path:
    return home / "xdg_state_home" / APP


def _paths(binary: Path) -> list[str]:
    return ["--binary", str(binary), "--config", str(binary.parent.parent / "config.yaml")]


def _run_with_timeout(*args: str, user: str, seconds: float = 15) -> subprocess.CompletedProcess[str] | None:
    """run_cli with a timeout; None when the command hung."""
    try:
        return run_cli(*args, user=user, timeout=seconds)
    except subprocess.TimeoutExpired:
        return None


# 1. Lookalikes of the old Go tool's line are removed: anything before `<path>/prompt-alchemy` counts
#    as the "binary", so people's own lines with nice, an env prefix, `cd &&` or a `%` stdin construct go.
@pytest.mark.parametrize(
    "line",
    [
        "0 1 * * * nice -n 10 /usr/bin/prompt-alchemy --config /etc/pa.yaml nightly",
        "0 1 * * * OLLAMA_HOST=http://gpu:11434 /usr/bin/prompt-alchemy --config /etc/pa.yaml nightly",
        "0 1 * * * cd /srv && /usr/bin/prompt-alchemy --config /etc/pa.yaml nightly",
        "0 1 * * * cat %0 2 * * * /usr/bin/prompt-alchemy --config /etc/pa.yaml nightly",
        "0 1 * * * /usr/bin/prompt-alchemy --config /etc/pa.yaml;echo nightly",
    ],
)
def test_attack_legacy_lookalike_with_prefix_is_not_removed(cron_user: str, line: str) -> None:
    original = "# mine\n" + line + "\n"
    write_crontab(cron_user, original)
    result = run_cli("schedule", "--uninstall", user=cron_user)
    assert read_crontab(cron_user) == original, result.stdout


# 2. A key pasted without `NAME=` (or with a typo in the separator) is echoed whole in the error.
@pytest.mark.parametrize(
    "item",
    ["sk-proj-Zx81hQpL0aVb2mNc3dEf", "OPENAI_API_KEY:sk-proj-Zx81hQpL0aVb2mNc3dEf"],
)
def test_attack_env_name_error_does_not_echo_a_key(cron_user: str, stand_in_binary: Path, item: str) -> None:
    result = run_cli("schedule", *_paths(stand_in_binary), "--dry-run", "--env", item, user=cron_user)
    assert result.returncode == 2
    assert "Zx81hQpL0aVb2mNc3dEf" not in result.stderr + result.stdout


# 3. Cron's own env-line syntax (`NAME = value`, unquoted values with spaces) defeats masking in diffs.
def test_attack_crontab_password_line_with_spaces_is_masked(cron_user: str, stand_in_binary: Path) -> None:
    write_crontab(cron_user, "DB_PASSWORD = hunter2secret\nSMTP_PASS=first second-half-of-pw\n")
    result = run_cli("schedule", *_paths(stand_in_binary), "--dry-run", user=cron_user)
    assert result.returncode == 0
    assert "hunter2secret" not in result.stdout
    assert "second-half-of-pw" not in result.stdout


# 4. Escape sequences planted in a crontab line reach the terminal raw (dry-run diff, list notes);
#    with --crontab-user that is another user's text landing on root's terminal.
def test_attack_escape_sequences_in_crontab_reach_the_terminal(cron_user: str, stand_in_binary: Path) -> None:
    write_crontab(cron_user, "# \x1b]0;owned\x07\x1b[2J\n0 1 * * * echo \x1b[8mhidden " + MARKER + "\n")
    dry = run_cli("schedule", *_paths(stand_in_binary), "--dry-run", user=cron_user)
    listing = run_cli("schedule", "--list", user=cron_user)
    assert "\x1b" not in dry.stdout
    assert "\x1b" not in listing.stdout


# 5. The TUI renders crontab text as Rich markup: a `[/x]` in a legacy line's path or a marked line
#    crashes the app with a MarkupError traceback as soon as it lists the jobs.
@pytest.mark.parametrize(
    "crontab",
    [
        "0 1 * * * /usr/bin/prompt-alchemy --config /c[/x] nightly\n",
        f"0 1 * * * echo [/bold] {MARKER}\n",
    ],
)
async def test_attack_tui_survives_markup_in_crontab_lines(
    cron_user: str, tmp_path: Path, stand_in_binary: Path, crontab: str
) -> None:
    write_crontab(cron_user, crontab)
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: main_screen(app).populated or not app.is_running)
        await pilot.pause(0.5)
        assert app.is_running
    assert app._exception is None, repr(app._exception)
    assert read_crontab(cron_user) == crontab


# 6. --crontab-user U --private-logs: the logs go to root's own state directory (root-owned, 0700), so
#    U's job cannot open its `>>` log and never runs; install says "Installed".
def test_attack_crontab_user_with_private_logs_installs_a_job_that_cannot_run(
    cron_user: str, stand_in_binary: Path
) -> None:
    result = run_cli("schedule", *_paths(stand_in_binary), "--private-logs", user=cron_user)
    if result.returncode != 0:
        return  # refusing (as --env with --crontab-user is refused) is fine
    line = (read_crontab(cron_user) or "").splitlines()[-1]
    log = shlex.split(line.split(">>", 1)[1])[0]
    probe = subprocess.run(
        ["su", "-s", "/bin/sh", cron_user, "-c", f"true >>{shlex.quote(log)}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert probe.returncode == 0, f"{cron_user}'s job cannot open its log: {probe.stderr.strip()}"


# 7. A FIFO where one of the tool's small state files should be blocks it forever.
def test_attack_fifo_as_env_file_hangs_install_dry_run(
    cron_user: str, stand_in_binary: Path, isolated_home: Path
) -> None:
    state = _state_dir(isolated_home)
    state.mkdir(parents=True, mode=0o700)
    os.mkfifo(state / "nightly.env")
    result = _run_with_timeout("schedule", *_paths(stand_in_binary), "--dry-run", user=cron_user)
    assert result is not None, "schedule --dry-run hung on a FIFO named nightly.env"


def test_attack_fifo_as_origin_file_hangs_uninstall(
    cron_user: str, stand_in_binary: Path, isolated_home: Path
) -> None:
    assert run_cli("schedule", *_paths(stand_in_binary), user=cron_user).returncode == 0
    os.mkfifo(_state_dir(isolated_home) / f"crontab-{cron_user}-origin")
    result = _run_with_timeout("schedule", "--uninstall", "--dry-run", user=cron_user)
    assert result is not None, "schedule --uninstall hung on a FIFO named crontab-USER-origin"


def test_attack_fifo_named_like_a_backup_hangs_restore_and_install(
    cron_user: str, stand_in_binary: Path, isolated_home: Path
) -> None:
    backups = _state_dir(isolated_home) / "crontab-backups"
    backups.mkdir(parents=True, mode=0o700)
    os.mkfifo(backups / f"crontab-{cron_user}-20200101-000000-000000.txt")
    listed = _run_with_timeout("restore", user=cron_user)
    installed = _run_with_timeout("schedule", *_paths(stand_in_binary), user=cron_user)
    assert listed is not None, "restore (list) hung on a FIFO in the backup directory"
    assert installed is not None, "install hung pruning backups past a FIFO"


# 8. A crontab whose last line is a comment without a newline is accepted by crontab(1); its backup is
#    listed as restorable, but restoring it fails ("crontab rejects it" is not true here).
def test_attack_backup_without_final_newline_cannot_be_restored(
    cron_user: str, stand_in_binary: Path
) -> None:
    original = "0 5 * * * /usr/bin/backup\n# last line, no newline"
    write_crontab(cron_user, original)
    assert read_crontab(cron_user) == original
    assert run_cli("schedule", *_paths(stand_in_binary), user=cron_user).returncode == 0
    listing = run_cli("restore", "--json", user=cron_user)
    oldest = listing.stdout.split('"name": "')[-1].split('"')[0]
    result = run_cli("restore", oldest, "--yes", user=cron_user)
    assert result.returncode == 0, result.stderr
    assert read_crontab(cron_user) == original


# 9. A state directory that is a link to another user's world-writable directory is used as is: backups
#    (the whole crontab), the lock and the log directory land where that user can replace or plant files.
def test_attack_state_dir_linked_to_another_users_directory_is_refused(
    cron_user: str, stand_in_binary: Path, isolated_home: Path, tmp_path: Path
) -> None:
    other = tmp_path / "mallory-dir"
    other.mkdir()
    nobody = pwd.getpwnam("nobody")
    os.chown(other, nobody.pw_uid, nobody.pw_gid)
    other.chmod(0o777)
    state = _state_dir(isolated_home)
    state.parent.mkdir(parents=True)
    state.symlink_to(other)
    write_crontab(cron_user, "# mine: DATABASE_URL=postgres://u:pw@db/app\n")
    result = run_cli("schedule", *_paths(stand_in_binary), user=cron_user)
    assert result.returncode != 0 or not any(other.iterdir()), (
        f"wrote into {other} (owner nobody, mode {stat.filemode(other.stat().st_mode)}): "
        f"{sorted(p.name for p in other.iterdir())}"
    )


# 10. Our own line with one trailing blank (an editor's doing) is neither ours nor "marked": install
#     silently adds a second job (two nightly runs at once) and uninstall says "Nothing to do" while the
#     job keeps running; nothing names line 1.
def test_attack_managed_line_with_trailing_blank_is_reported(cron_user: str, stand_in_binary: Path) -> None:
    assert run_cli("schedule", *_paths(stand_in_binary), user=cron_user).returncode == 0
    edited = (read_crontab(cron_user) or "").replace(MARKER + "\n", MARKER + " \n")
    write_crontab(cron_user, edited)
    result = run_cli("schedule", "--uninstall", user=cron_user)
    assert read_crontab(cron_user) != edited or "crontab line 1" in result.stdout + result.stderr, (
        result.stdout
    )
