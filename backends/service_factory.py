"""The one place that knows which backend class serves which method on this machine."""

from __future__ import annotations

from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.launchd_backend import LaunchdBackend
from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo, detect_platform
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import SchedulerBackend
from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService


def make_service(platform: PlatformInfo | None = None, crontab_user: str | None = None) -> SchedulingService:
    info = platform or detect_platform()
    backends: dict[str, SchedulerBackend] = {
        # The daemon was just looked for by detect_platform; a refresh builds a new service.
        "cron": CronBackend(CrontabCommand(user=crontab_user), daemon_check=lambda: info.cron_daemon_running),
        "launchd": LaunchdBackend(system=info.system),
    }
    return SchedulingService(info, backends)
