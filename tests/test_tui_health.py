"""The TUI's health line, runs table and a chosen run's lines, over the real cron backend and a record
store and logs laid out as the recorder writes them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import DataTable

from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder
from prompt_alchemy_scheduler_tui.widgets.health_line import HealthLine
from prompt_alchemy_scheduler_tui.widgets.job_details_screen import JobDetailsScreen
from prompt_alchemy_scheduler_tui.widgets.run_lines_screen import RunLinesScreen
from prompt_alchemy_scheduler_tui.widgets.runs_table import RunsTable
from tests.tui_support import NOW, main_screen, make_app, wait_until

TRAINED = [
    'time="2026-11-25T02:00:01Z" level=info msg="Training on 12 feature pairs"',
    'time="2026-11-25T02:00:02Z" level=info msg="Weights updated successfully" new_weights="map[length:0.1]" '
    "training_pairs=12",
]
FAILED = ['time="2026-11-26T02:00:02Z" level=error msg="Failed to write config"']


def _write_runs(state: Path, logs: Path, runs: list[tuple[datetime, int, list[str], list[str]]]) -> None:
    """Records and log lines exactly as the recorder script writes them, for runs at fixed times."""
    recorder = RunRecorder.default(state / "recorder")
    recorder.records.parent.mkdir(parents=True, exist_ok=True)
    records = [f"v1 installed {int((NOW - timedelta(days=3)).timestamp())} cron"]
    out, err = [], []
    for number, (started, status, stdout, stderr) in enumerate(runs):
        epoch = int(started.timestamp())
        run_id = f"{epoch}-{4000 + number}"
        stamp = started.strftime("%Y-%m-%dT%H:%M:%S+0000")
        end = (started + timedelta(seconds=4)).strftime("%Y-%m-%dT%H:%M:%S+0000")
        records += [
            f"v1 start {run_id} scheduled {epoch} {4000 + number}",
            f"v1 end {run_id} scheduled {epoch} {epoch + 4} {status}",
        ]
        for lines, target in ((stdout, out), (stderr, err)):
            target.append(f"[prompt-alchemy-scheduler-tui] run {run_id} started {stamp} scheduled")
            target.extend(lines)
            target.append(f"[prompt-alchemy-scheduler-tui] run {run_id} ended {end} exit {status}")
    recorder.records.write_text("\n".join(records) + "\n")
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "prompt-alchemy-nightly.log").write_text("\n".join(out) + "\n")
    (logs / "prompt-alchemy-nightly.error.log").write_text("\n".join(err) + "\n")


def _install(app_state: Path, logs: Path, binary: Path, user: str) -> None:
    import os
    import pwd

    from tests.tui_support import make_app as _make  # the same backends the app builds

    account = pwd.getpwnam(user)
    recorder = app_state / "recorder"  # that user's, as root installing their job expects it
    recorder.mkdir(parents=True, mode=0o700)
    os.chown(recorder, account.pw_uid, account.pw_gid)
    service = _make(app_state, logs, binary, crontab_user=user).sources.service_factory()
    job = NightlyJob(
        "0 2 * * *",
        binary,
        binary.parent.parent / "config.yaml",
        stdout_log=logs / "prompt-alchemy-nightly.log",
        stderr_log=logs / "prompt-alchemy-nightly.error.log",
    )
    service.apply(service.plan_install(job, "cron"))


async def test_health_line_and_runs_table_show_the_last_runs_and_a_chosen_runs_lines(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    state, logs = tmp_path / "state", tmp_path / "logs"
    _install(state, logs, stand_in_binary, cron_user)
    day = timedelta(days=1)
    two = NOW.replace(hour=2, minute=0)
    _write_runs(
        state,
        logs,
        [
            (two - 2 * day, 0, TRAINED, []),
            (two - day, 0, TRAINED, []),
            (two, 1, FAILED, ["Error: failed to write config"]),
        ],
    )
    app = make_app(state, logs, stand_in_binary, crontab_user=cron_user)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(
            pilot, lambda: screen.populated and "last run" in str(screen.query_one(HealthLine).render())
        )
        line = str(screen.query_one(HealthLine).render())
        assert "last run 02:00, 4 s, failed (exit 1): Failed to write config" in line
        assert "last success Wed 02:00" not in line or "ago" in line
        assert "next in 17 h 49 min" in line and screen.query_one(HealthLine).has_class("unhealthy")
        table = screen.query_one(RunsTable).query_one(DataTable)
        assert table.row_count == 3
        assert [str(cell) for cell in table.get_row_at(0)][1:4] == ["scheduled", "4 s", "1"]
        assert "trained on 12 pairs" in str(table.get_row_at(1)[4])
        table.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RunLinesScreen))
        shown = str(app.screen.text)
        assert "Failed to write config" in shown and "Error: failed to write config" in shown
        assert "Training on 12" not in shown  # only that run's lines
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, RunLinesScreen))
        # The job's details carry its options and its health.
        screen.query_one("#cron-jobs").query_one(DataTable).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, JobDetailsScreen))
        details = str(app.screen.text)
        assert "recorded" in details and "last run failed: failed (exit 1): Failed to write config" in details
        assert "timeout" in details and "none" in details


async def test_a_job_installed_before_run_recording_says_so(
    cron_user: str, tmp_path: Path, stand_in_binary: Path
) -> None:
    from tests.conftest import write_crontab

    config = stand_in_binary.parent.parent / "config.yaml"
    write_crontab(
        cron_user, f"0 2 * * * {stand_in_binary} --config {config} nightly\n"
    )  # the old Go tool's line
    app = make_app(tmp_path / "state", tmp_path, stand_in_binary, crontab_user=cron_user)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await wait_until(
            pilot, lambda: "installed before run recording" in str(screen.query_one(HealthLine).render())
        )
        note = str(screen.query_one(RunsTable).query_one(".note").render())
        assert "installed before run recording" in note
