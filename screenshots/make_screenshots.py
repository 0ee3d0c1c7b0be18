"""Regenerate the README's screenshots from the running app: `python screenshots/make_screenshots.py`.

Everything lives in /tmp/pa-demo (removed afterwards): a stand-in `prompt-alchemy`, its config, sample logs, a
file-backed stand-in `crontab` (so your own crontab is never read or touched) and a stand-in `systemctl`
that finds no systemd user manager (so your own is never asked). The clock is fixed so
the pictures only change when the screen does.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.widgets import DataTable

from prompt_alchemy_scheduler_tui.app.screen_sources import ScreenSources
from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp
from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.launchd_backend import LaunchdBackend
from prompt_alchemy_scheduler_tui.backends.path_discovery import find_binary, find_config
from prompt_alchemy_scheduler_tui.backends.platform_detect import describe_platform
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder
from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService
from prompt_alchemy_scheduler_tui.backends.systemctl import Loginctl, Systemctl
from prompt_alchemy_scheduler_tui.backends.systemd_backend import SystemdBackend
from prompt_alchemy_scheduler_tui.widgets.options_screen import OptionsScreen
from prompt_alchemy_scheduler_tui.widgets.plan_screen import PlanScreen
from prompt_alchemy_scheduler_tui.widgets.run_lines_screen import RunLinesScreen
from prompt_alchemy_scheduler_tui.widgets.runs_table import RunsTable

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 26, 8, 11, tzinfo=ZoneInfo("UTC"))
# Prompt Alchemy logs with logrus's text format to stdout; its command line prints errors to stderr.
STAND_IN = """#!/bin/sh
echo 'time="2026-11-26T08:12:03Z" level=info msg="nightly: loading 1,204 new interactions"'
echo 'time="2026-11-26T08:12:04Z" level=warning msg="provider anthropic slow: p95 4.1 s"'
echo 'time="2026-11-26T08:12:06Z" level=info msg="retrained 1841 prompt rankings in 2.9 s"'
"""
MARKER = "[prompt-alchemy-scheduler-tui] run {run} {what}\n"
STDOUT_LOG = (
    MARKER.format(run="1795572000-3101", what="started 2026-11-25T02:00:00+0000 scheduled")
    + 'time="2026-11-25T02:00:01Z" level=info msg="nightly: loading 988 new interactions"\n'
    + 'time="2026-11-25T02:00:02Z" level=warning msg="provider openai returned HTTP 429, retrying in 2 s"\n'
    + 'time="2026-11-25T02:00:04Z" level=debug msg="ranking batch 3 of 3"\n'
    + 'time="2026-11-25T02:00:05Z" level=error msg="Failed to write config" error="permission denied"\n'
    + MARKER.format(run="1795572000-3101", what="ended 2026-11-25T02:00:05+0000 exit 1")
    + MARKER.format(run="1795658400-4242", what="started 2026-11-26T02:00:00+0000 scheduled")
    + 'time="2026-11-26T02:00:01Z" level=info msg="Using config file: /tmp/pa-demo/home/.prompt-alchemy/config.yaml"\n'
    + 'time="2026-11-26T02:00:02Z" level=info msg="Training on 12 feature pairs"\n'
    + 'time="2026-11-26T02:00:04Z" level=info msg="Weights updated successfully" new_weights="map[length:0.1]" '
    "training_pairs=12\n" + MARKER.format(run="1795658400-4242", what="ended 2026-11-26T02:00:04+0000 exit 0")
)
# The record store as the run recorder writes it, for the two runs in the logs above.
RECORDS = (
    "v1 start 1795572000-3101 scheduled 1795572000 3101\n"
    "v1 end 1795572000-3101 scheduled 1795572000 1795572005 1\n"
    "v1 start 1795658400-4242 scheduled 1795658400 4242\n"
    "v1 end 1795658400-4242 scheduled 1795658400 1795658404 0\n"
)
STDERR_LOG = (
    MARKER.format(run="1795572000-3101", what="started 2026-11-25T02:00:00+0000 scheduled")
    + "Error: nightly failed: write config.yaml: permission denied\n"
    + MARKER.format(run="1795572000-3101", what="ended 2026-11-25T02:00:05+0000 exit 1")
    + MARKER.format(run="1795658400-4242", what="started 2026-11-26T02:00:00+0000 scheduled")
    + MARKER.format(run="1795658400-4242", what="ended 2026-11-26T02:00:04+0000 exit 0")
)
NO_USER_MANAGER = """#!/bin/sh
echo "Failed to connect to bus: No medium found" >&2
exit 1
"""
FAKE_CRONTAB = """#!/bin/sh
f="{state}/crontab"
case "$1" in
  -l) if [ -f "$f" ]; then cat "$f"; else echo "no crontab for demo" >&2; exit 1; fi ;;
  -) cat > "$f" ;;
  -r) rm -f "$f" ;;
esac
"""


def _database(path: Path) -> None:
    """Prompt Alchemy's interactions table with three sessions of the last hours (two with a choice and
    a skip), so the preflight says what tonight's run would learn from."""
    import sqlite3
    import time

    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE user_interactions (id TEXT PRIMARY KEY, prompt_id TEXT, session_id TEXT, action TEXT, "
        "score REAL, timestamp INTEGER)"
    )
    recent = int(time.time()) - 3600
    rows = [
        ("1", "p1", "s1", "chosen", 1.0),
        ("2", "p2", "s1", "skipped", 0.0),
        ("3", "p3", "s2", "chosen", 1.0),
        ("4", "p4", "s2", "skipped", 0.0),
        ("5", "p5", "s3", "chosen", 1.0),
    ]
    connection.executemany(
        "INSERT INTO user_interactions VALUES (?, ?, ?, ?, ?, ?)", [(*row, recent) for row in rows]
    )
    connection.commit()
    connection.close()


def prepare(root: Path) -> ScreenSources:
    home = root / "home"
    (home / "go" / "bin").mkdir(parents=True)
    (home / ".prompt-alchemy").mkdir()
    binary = home / "go" / "bin" / "prompt-alchemy"
    binary.write_text(STAND_IN)
    binary.chmod(0o755)
    config = home / ".prompt-alchemy" / "config.yaml"
    config.write_text(f"providers: {{}}\ndata_dir: {home / '.prompt-alchemy'}\n")
    _database(home / ".prompt-alchemy" / "prompts.db")
    config.chmod(0o600)
    logs = root / "logs"
    logs.mkdir()
    (logs / "prompt-alchemy-nightly.log").write_text(STDOUT_LOG)
    (logs / "prompt-alchemy-nightly.error.log").write_text(STDERR_LOG)
    crontab = root / "crontab-stand-in"
    crontab.write_text(FAKE_CRONTAB.format(state=root))
    crontab.chmod(0o755)
    systemctl = root / "systemctl-stand-in"  # as on a machine without a systemd user manager
    systemctl.write_text(NO_USER_MANAGER)
    systemctl.chmod(0o755)
    (root / "crontab").write_text(
        "# nightly backups (not ours)\nMAILTO=ops@example.com\n0 5 * * * /usr/bin/backup --fast\n"
        f"0 3 * * * /usr/local/bin/prompt-alchemy --config {config} nightly\n"
    )

    recorder = RunRecorder.default(root / "state")
    recorder.records.parent.mkdir(parents=True, mode=0o700)
    recorder.records.write_text(RECORDS)

    def service() -> SchedulingService:
        cron = CronBackend(
            CrontabCommand(executable=str(crontab)),
            BackupStore(root / "backups"),
            daemon_check=lambda: True,
            recorder=recorder,
        )
        systemd = SystemdBackend(
            directory=root / "systemd-user",
            systemctl=Systemctl(executable=str(systemctl)),
            loginctl=Loginctl(executable=str(systemctl)),
            backups=BackupStore(root / "systemd-backups", kind="systemd"),
            system="Linux",
        )
        units = [cron, LaunchdBackend(directory=root / "LA", system="Linux"), systemd]
        return SchedulingService(describe_platform(units, "Linux"), {unit.method: unit for unit in units})

    paths = (find_binary(str(binary)), find_config(str(config)))
    return ScreenSources(
        service_factory=service, clock=lambda: NOW, log_directory=logs, find_paths=lambda: paths
    )


async def shoot(sources: ScreenSources) -> None:
    app = SchedulerApp(sources)
    async with app.run_test(size=(120, 40)) as pilot:

        async def until(condition: object) -> None:
            for _ in range(200):
                if callable(condition) and condition():
                    break
                await pilot.pause(0.05)
            await pilot.pause(0.3)

        cron_jobs = app.main_screen.query_one("#cron-jobs").query_one(DataTable)
        await until(lambda: app.main_screen.populated and cron_jobs.row_count > 0)
        # The table draws its rows a refresh after it has them: wait until the picture shows them.
        await until(lambda: app.export_screenshot().count("At&#160;03:00") >= 2)
        app.save_screenshot("main.svg", str(HERE))
        await pilot.press("i")
        await until(lambda: isinstance(app.screen, PlanScreen))
        app.save_screenshot("install-confirmation.svg", str(HERE))
        await pilot.press("enter")
        await until(lambda: not isinstance(app.screen, PlanScreen))
        # The runs table, and the failed run's lines from both logs.
        runs = app.main_screen.query_one(RunsTable).query_one(DataTable)
        await until(lambda: runs.row_count == 2)
        runs.focus()
        await pilot.press("down", "enter")
        await until(lambda: isinstance(app.screen, RunLinesScreen))
        app.save_screenshot("runs.svg", str(HERE))
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, RunLinesScreen))
        app.main_screen.set_focus(None)
        await pilot.press("o")
        await until(lambda: isinstance(app.screen, OptionsScreen))
        await pilot.press(*"3600")
        app.screen.query_one("#env-add").focus()
        await pilot.press("enter", *"OPENAI_BASE_URL", "tab", *"http://localhost:8080/v1", "enter")
        await pilot.press("a", *"OPENAI_API_KEY", "tab", *"sk-proj-Zx81kQ2mV7pL0aB9cD3eF4gH", "enter")
        await pilot.pause(0.3)
        app.save_screenshot("options.svg", str(HERE))
        app.screen.query_one("#timeout").focus()
        await pilot.press("enter")
        await until(lambda: not isinstance(app.screen, OptionsScreen))
        await pilot.press("e")
        await pilot.press("ctrl+a", "ctrl+k", *"30 4 1,15 * 5", "escape")
        await pilot.press("d")
        await until(lambda: isinstance(app.screen, PlanScreen))
        app.save_screenshot("dry-run.svg", str(HERE))
        await pilot.press("escape", "u")
        await until(lambda: isinstance(app.screen, PlanScreen))
        app.save_screenshot("uninstall-confirmation.svg", str(HERE))
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, PlanScreen))
        await pilot.press("r")
        log = sources.log_directory / "prompt-alchemy-nightly.log"
        await until(lambda: "p95 4.1 s" in log.read_text())
        await pilot.pause(0.5)
        app.save_screenshot("logs.svg", str(HERE))
        # The stdout log on the whole screen, searched for "provider" (the current match reversed).
        await pilot.press("l", "m", "slash", *"provider", "enter")
        await until(lambda: app.screen.maximized is not None)
        app.save_screenshot("log-search.svg", str(HERE))


def main() -> None:
    root = Path("/tmp/pa-demo")  # fixed, so the pictures do not change with a random path
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    try:
        asyncio.run(shoot(prepare(root)))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    for name in (
        "main",
        "install-confirmation",
        "runs",
        "options",
        "dry-run",
        "uninstall-confirmation",
        "logs",
        "log-search",
    ):
        print(HERE / f"{name}.svg")


if __name__ == "__main__":
    main()
