"""The registry: every scheduler this tool supports, one line each, in the order faces show them.

Both faces iterate this (job tables, `--method` choices, `explain --json` members, doctor sections);
none of them names a scheduler. A new scheduler is its own modules, a `Method` member and one line
here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from prompt_alchemy_scheduler_tui.backends.cron_backend import CronBackend
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.launchd_backend import LaunchdBackend
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import Method, Scheduler
from prompt_alchemy_scheduler_tui.backends.systemd_backend import SystemdBackend


@dataclass(frozen=True)
class SchedulerOptions:
    """What building the schedulers may depend on: the OS, and whose crontab (root only)."""

    system: str = field(default_factory=lambda: os.uname().sysname)
    crontab_user: str | None = None


REGISTRY: dict[Method, Callable[[SchedulerOptions], Scheduler]] = {
    Method.CRON: lambda options: CronBackend(CrontabCommand(user=options.crontab_user)),
    Method.LAUNCHD: lambda options: LaunchdBackend(system=options.system),
    Method.SYSTEMD: lambda options: SystemdBackend(system=options.system, crontab_user=options.crontab_user),
}


def schedulers_help() -> str:
    """One line per registered scheduler, for `--method`'s help (building them does no I/O)."""
    return "; ".join(scheduler.help_text for scheduler in build_schedulers(SchedulerOptions()))


def build_schedulers(options: SchedulerOptions) -> list[Scheduler]:
    """One instance of every registered scheduler, in registry order."""
    return [make(options) for make in REGISTRY.values()]
