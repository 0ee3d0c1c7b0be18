"""End to end: the real cron daemon runs the job through the run recorder three times (exit 0, exit 1,
killed by its --timeout); the records, the outcomes, the pings and `status` say so. Takes about three
minutes: cron fires once a minute."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pytest

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.health_report import health_report
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.run_outcome import Outcome
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder
from prompt_alchemy_scheduler_tui.backends.run_records import read_records
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone
from tests.conftest import read_crontab
from tests.ping_server import PingServer
from tests.test_cron_e2e import cron_daemon  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e

# Real `nightly` lines (Prompt Alchemy's cmd/nightly.go, logrus text format); the run number is kept in
# a file beside the stand-in: 1 trains and exits 0, 2 fails to write the config and exits 1, 3 hangs.
STAND_IN = """#!/bin/sh
here=$(dirname "$0")
n=$(( $(cat "$here/count" 2>/dev/null || echo 0) + 1 ))
echo "$n" > "$here/count"
echo 'time="2026-11-26T02:00:01Z" level=info msg="Using config file: /srv/pa/config.yaml"'
case $n in
1)
    echo 'time="2026-11-26T02:00:01Z" level=info msg="Training on 12 feature pairs"'
    echo 'time="2026-11-26T02:00:02Z" level=info msg="Weights updated successfully" config_file=/srv/pa/config.yaml new_weights="map[length:0.1]" training_pairs=12'
    exit 0 ;;
2)
    echo 'time="2026-11-26T02:00:01Z" level=info msg="Training on 3 feature pairs"'
    echo 'time="2026-11-26T02:00:02Z" level=error msg="Failed to write config" error="open /srv/pa/config.yaml: permission denied"'
    echo 'Error: failed to write config' >&2
    exit 1 ;;
*)
    sleep 30 ;;
esac
"""


def test_cron_runs_are_recorded_with_their_outcomes_and_status_turns_unhealthy(
    cron_user: str,
    cron_daemon: None,  # noqa: F811
    ping_server: PingServer,
    tmp_path: Path,
) -> None:
    if shutil.which("curl") is None:
        pytest.skip("needs curl (apt-get install --no-install-recommends curl)")
    account = pwd.getpwnam(cron_user)
    owner = (account.pw_uid, account.pw_gid)
    folder = Path(tempfile.mkdtemp(prefix="pa-health-", dir="/tmp"))
    try:
        os.chown(folder, *owner)
        folder.chmod(0o755)
        binary = folder / "prompt-alchemy"
        binary.write_text(STAND_IN)
        binary.chmod(0o755)
        os.chown(binary, *owner)
        config = folder / "config.yaml"
        config.write_text("data_dir: /srv/pa\n")
        state = folder / "state"
        (state / "runs").mkdir(parents=True, mode=0o700)
        for directory in (state, state / "runs", folder / "logs"):
            directory.mkdir(exist_ok=True, mode=0o700)
            os.chown(directory, *owner)
        recorder = RunRecorder(state / "run-nightly.sh", state / "runs" / "runs.log")
        job = NightlyJob(
            schedule="* * * * *",
            binary=binary,
            config=config,
            stdout_log=folder / "logs" / "nightly.log",
            stderr_log=folder / "logs" / "nightly.error.log",
            timeout_seconds=5,
            ping_url=ping_server.url,
        )
        backend = CronBackend(
            CrontabCommand(user=cron_user),
            BackupStore(tmp_path / "backups", owner=cron_user),
            env_file=state / "nightly.env",
            recorder=recorder,
        )
        _clear_of_the_minute_tick()
        backend.apply(backend.plan_install(job))
        assert "/bin/sh" in (read_crontab(cron_user) or "")

        deadline = time.monotonic() + 4 * 60
        while time.monotonic() < deadline and len(_ended(recorder)) < 3:
            time.sleep(1)
        line = (read_crontab(cron_user) or "").splitlines()[-1]
        report = health_report([backend.list_jobs()], [backend], datetime.now(local_zone()), 5)
        backend.apply(backend.plan_uninstall())  # no fourth run

        book = read_records(recorder)
        assert len(_ended(recorder)) >= 3, f"cron ran {len(book.runs)} time(s) in 4 minutes: {book}"
        assert report.health is not None and not report.health.healthy
        assert any("last run failed: killed by the timeout" in problem for problem in report.problems)
        first, second, third = report.runs[:3]
        assert [run.record.exit_status for run in (first, second, third)] == [0, 1, 124]
        assert [run.outcome.outcome for run in (first, second, third)] == [
            Outcome.TRAINED,
            Outcome.FAILED,
            Outcome.TIMEOUT,
        ]
        assert first.outcome.summary == "trained on 12 pairs"
        assert "Failed to write config" in second.outcome.summary
        assert {run.record.trigger for run in (first, second, third)} == {"scheduled"}
        assert "Error: failed to write config" in second.lines.stderr
        for expected in ("/ping/abc/start", "/ping/abc/0", "/ping/abc/1", "/ping/abc/124"):
            assert expected in ping_server.paths
        log = job.stdout_log.read_text()
        assert log.count(" started ") >= 3 and log.count(" ended ") >= 3

        # The same command cron ran, as the same user, with the record directory made unwritable: the
        # job still runs and its exit status is nightly's (run 2 again: exit 1).
        (folder / "count").write_text("1\n")
        before = (state / "runs" / "runs.log").read_bytes()
        (state / "runs").chmod(0)  # not even searchable: the store cannot be opened
        command = line.split(" ", 5)[5]
        result = subprocess.run(
            ["runuser", "-u", cron_user, "--", "/bin/sh", "-c", command], capture_output=True, timeout=60
        )
        assert result.returncode == 1, result
        (state / "runs").chmod(0o700)
        assert (state / "runs" / "runs.log").read_bytes() == before
        assert "Failed to write config" in job.stdout_log.read_text().rsplit(" started ", 1)[-1]
    finally:
        subprocess.run(["crontab", "-u", cron_user, "-r"], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def _ended(recorder: RunRecorder) -> list[object]:
    return [run for run in read_records(recorder).runs if run.ended is not None]


def _clear_of_the_minute_tick() -> None:
    """Debian cron notices a changed crontab at its minute tick unless written in the same second as its
    last look: keep away from the tick."""
    while time.localtime().tm_sec < 2 or time.localtime().tm_sec > 57:
        time.sleep(0.25)
