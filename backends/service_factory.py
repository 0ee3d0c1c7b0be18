"""The scheduling service for this machine: the registered schedulers and the platform they see."""

from __future__ import annotations

from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo, describe_platform
from prompt_alchemy_scheduler_tui.backends.scheduler_registry import SchedulerOptions, build_schedulers
from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService


def make_service(platform: PlatformInfo | None = None, crontab_user: str | None = None) -> SchedulingService:
    options = SchedulerOptions(crontab_user=crontab_user)
    if platform is not None:
        options = SchedulerOptions(system=platform.system, crontab_user=crontab_user)
    schedulers = build_schedulers(options)
    info = platform or describe_platform(schedulers, options.system)
    return SchedulingService(info, {scheduler.method: scheduler for scheduler in schedulers}, crontab_user)
