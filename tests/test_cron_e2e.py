"""End to end: the real cron daemon fires our real crontab line for a stand-in prompt-alchemy."""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.cron_daemon import cron_daemon_running
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.nightly_job import (
    DEFAULT_STDERR_LOG,
    DEFAULT_STDOUT_LOG,
    NightlyJob,
)
from tests.conftest import read_crontab

pytestmark = pytest.mark.e2e

STAND_IN = """#!/bin/sh
{ printf '%s\\n' "$@"; printf 'ENV=%s\\n' "$PA_E2E_VALUE"; } > "$(dirname "$0")/record.txt"
p=$$
while [ "$p" -gt 1 ]; do
    tr '\\000' ' ' < /proc/$p/cmdline; echo
    p=$(sed 's/.*) [A-Z] \\([0-9]*\\).*/\\1/' /proc/$p/stat)
done > "$(dirname "$0")/command-lines.txt"
echo "stand-in nightly ran"
echo "stand-in complains" >&2
"""


@pytest.fixture
def cron_daemon() -> Iterator[None]:
    """The running cron daemon, or one started here (and only that one stopped afterwards)."""
    if cron_daemon_running():
        yield
        return
    if shutil.which("cron") is None or os.geteuid() != 0:
        pytest.skip("needs root and Debian's cron daemon (apt-get install --no-install-recommends cron)")
    daemon = subprocess.Popen(["cron", "-f"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.1)  # see _clear_of_the_minute_tick
    try:
        yield
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


@pytest.fixture
def fresh_logs() -> Iterator[None]:
    """Move existing /tmp/prompt-alchemy-nightly*.log aside and put them back afterwards."""
    saved: list[tuple[Path, Path]] = []
    for log in (DEFAULT_STDOUT_LOG, DEFAULT_STDERR_LOG):
        if log.exists() or log.is_symlink():
            aside = Path(tempfile.mktemp(prefix=log.name + ".", dir="/tmp"))
            log.rename(aside)
            saved.append((log, aside))
    try:
        yield
    finally:
        for log in (DEFAULT_STDOUT_LOG, DEFAULT_STDERR_LOG):
            log.unlink(missing_ok=True)
        for log, aside in saved:
            aside.rename(log)


def test_cron_daemon_runs_the_installed_job(
    cron_user: str, cron_daemon: None, fresh_logs: None, tmp_path: Path
) -> None:
    account = pwd.getpwnam(cron_user)
    folder = Path(tempfile.mkdtemp(prefix="pa e2e 100% ", dir="/tmp"))
    try:
        os.chown(folder, account.pw_uid, account.pw_gid)
        folder.chmod(0o755)
        binary = folder / "prompt-alchemy"
        binary.write_text(STAND_IN)
        binary.chmod(0o755)
        config = folder / "config 50%.yaml"
        config.write_text("providers: {}\n")
        job = NightlyJob(
            schedule="* * * * *",
            binary=binary,
            config=config,
            environment=(("PA_E2E_VALUE", "it's 100% $real `value`"),),
            timeout_seconds=30,
        )
        private = folder / "state"
        private.mkdir(mode=0o700)
        os.chown(private, account.pw_uid, account.pw_gid)
        backend = CronBackend(
            CrontabCommand(user=cron_user),
            BackupStore(tmp_path / "backups", owner=cron_user),
            env_file=private / "nightly.env",
        )
        backend.apply(backend.plan_install(job))
        env_file = (private / "nightly.env").stat()
        assert (env_file.st_uid, stat.S_IMODE(env_file.st_mode)) == (account.pw_uid, 0o600)
        assert "100%" not in (read_crontab(cron_user) or "").replace("e2e 100\\%", "")
        record = folder / "record.txt"
        deadline = time.monotonic() + 75
        while time.monotonic() < deadline and not (record.exists() and DEFAULT_STDOUT_LOG.exists()):
            time.sleep(0.5)
        time.sleep(0.5)  # let the job finish writing
        assert record.exists(), "cron did not run the job within 75 s"
        assert record.read_text().splitlines() == [
            "--config",
            str(config),
            "nightly",
            "ENV=it's 100% $real `value`",
        ]
        # Every process from the job up to cron: no command line shows the value (ps shows them all).
        command_lines = (folder / "command-lines.txt").read_text()
        assert "nightly" in command_lines and "real `value`" not in command_lines
        assert "stand-in nightly ran" in DEFAULT_STDOUT_LOG.read_text()
        assert "stand-in complains" in DEFAULT_STDERR_LOG.read_text()
        backend.apply(backend.plan_uninstall())
        assert read_crontab(cron_user) is None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _clear_of_the_minute_tick() -> None:
    """Debian cron reloads crontabs when the spool directory's mtime (whole seconds) differs from the one
    it saw at its last load, which happens at each minute tick and at start-up. A write in the same second
    as that load goes unnoticed, so install away from the tick (and a second after start-up)."""
    while time.localtime().tm_sec < 2 or time.localtime().tm_sec > 57:
        time.sleep(0.25)
