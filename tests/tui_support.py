"""Building the TUI for tests: fixed platform, fixed clock, real cron backend for a throwaway user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from textual.css.query import NoMatches
from textual.pilot import Pilot

from prompt_alchemy_scheduler_tui.app.main_screen import MainScreen
from prompt_alchemy_scheduler_tui.app.screen_sources import ScreenSources
from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp
from prompt_alchemy_scheduler_tui.backends.backup_store import BackupStore
from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.launchd_backend import LaunchdBackend
from prompt_alchemy_scheduler_tui.backends.path_discovery import PathCheck, PathStatus
from prompt_alchemy_scheduler_tui.backends.platform_detect import describe_platform
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder
from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService
from prompt_alchemy_scheduler_tui.backends.systemctl import Loginctl, Systemctl
from prompt_alchemy_scheduler_tui.backends.systemd_backend import SystemdBackend

NOW = datetime(2026, 11, 26, 8, 11, tzinfo=ZoneInfo("UTC"))


def make_app(
    state: Path,
    log_directory: Path,
    binary: Path,
    crontab_user: str | None = None,
    crontab_executable: str | None = None,
    config: Path | None = None,
    cron_env_file: Path | None = None,
    systemd: SystemdBackend | None = None,
) -> SchedulerApp:
    """The real app over real backends; only the platform facts and the clock are fixed. `cron_env_file`
    is where root keeps `crontab_user`'s variables (their own file); `systemd` replaces the one that
    finds no user manager."""

    def service() -> SchedulingService:
        cron = CronBackend(
            CrontabCommand(user=crontab_user, executable=crontab_executable),
            BackupStore(state / "backups", owner=crontab_user),
            daemon_check=lambda: True,
            recorder=RunRecorder.default(state / "recorder"),
            env_file=cron_env_file,
        )
        launchd = LaunchdBackend(directory=state / "LaunchAgents", system="Linux")
        units = [cron, launchd, systemd or unreachable_systemd(state)]
        return SchedulingService(describe_platform(units, "Linux"), {unit.method: unit for unit in units})

    config = config or binary.parent.parent / "config.yaml"
    paths = (
        PathCheck("binary", binary, PathStatus.FOUND, ""),
        PathCheck("config", config, PathStatus.FOUND, ""),
    )
    sources = ScreenSources(
        service_factory=service, clock=lambda: NOW, log_directory=log_directory, find_paths=lambda: paths
    )
    return SchedulerApp(sources)


def unreachable_systemd(state: Path) -> SystemdBackend:
    """systemd as on a machine without a user manager: a stand-in systemctl and loginctl that answer as
    the real ones do then, so the screen is the same on every machine."""
    stand_in = state / "no-user-manager"
    stand_in.parent.mkdir(parents=True, exist_ok=True)
    stand_in.write_text('#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n')
    stand_in.chmod(0o755)
    return SystemdBackend(
        directory=state / "systemd-user",
        systemctl=Systemctl(executable=str(stand_in)),
        loginctl=Loginctl(executable=str(stand_in)),
        backups=BackupStore(state / "systemd-backups", kind="systemd"),
        system="Linux",
    )


def main_screen(app: SchedulerApp) -> MainScreen:
    return app.main_screen


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until `condition` holds (workers finish, messages land), or fail.

    A widget that is mounted but not yet composed has no children to query: that counts as "not yet".
    """
    steps = int(timeout / 0.05)
    for _ in range(steps):
        if _holds(condition):
            return
        await pilot.pause(0.05)
    assert condition(), "condition not met in time"


def _holds(condition: Callable[[], bool]) -> bool:
    try:
        return condition()
    except NoMatches:
        return False


def record_notifications(app: SchedulerApp, notes: list[str]) -> None:
    """Append every notification's message to `notes` (they are still shown as usual)."""
    original = app.notify

    def recording(message: str, **options: object) -> None:
        notes.append(str(message))
        original(message, **options)  # type: ignore[arg-type]

    app.notify = recording  # type: ignore[method-assign,assignment]
