"""The troubleshooting checks of Prompt Alchemy's scheduling documentation, each with a status and
what to do about it: the binary, the config, the scheduler `auto` uses, then each scheduler's own."""

from __future__ import annotations

import os
from collections.abc import Sequence

from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult, CheckStatus
from prompt_alchemy_scheduler_tui.backends.nightly_preflight import preflight
from prompt_alchemy_scheduler_tui.backends.path_discovery import (
    PathCheck,
    PathStatus,
    find_binary,
    find_config,
)
from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo, describe_platform
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import Scheduler
from prompt_alchemy_scheduler_tui.backends.scheduler_registry import SchedulerOptions, build_schedulers

__all__ = ["CheckResult", "CheckStatus", "run_checks"]


def run_checks(
    binary: str | None = None,
    config: str | None = None,
    schedulers: Sequence[Scheduler] | None = None,
    system: str | None = None,
) -> list[CheckResult]:
    """All checks, in the order a user would fix them."""
    options = SchedulerOptions(system=system) if system else SchedulerOptions()
    units = list(schedulers) if schedulers is not None else build_schedulers(options)
    info = describe_platform(units, options.system)
    config_check = find_config(config)
    checks = [_path_result("binary", find_binary(binary)), _path_result("config", config_check)]
    if config_check.usable:  # what `nightly` will read and write with this config, tonight
        checks += preflight(config_check.path, os.environ)
    checks.append(_scheduler_result(info))
    for unit in units:
        checks += unit.doctor_checks(info.auto_method)
    return checks


def _path_result(name: str, check: PathCheck) -> CheckResult:
    if check.status is PathStatus.FOUND:
        return CheckResult(name, CheckStatus.OK, str(check.path), "")
    status = CheckStatus.WARN if check.status is PathStatus.READABLE_BY_OTHERS else CheckStatus.FAIL
    return CheckResult(name, status, f"{check.path}: {check.status.value}", check.hint)


def _scheduler_result(info: PlatformInfo) -> CheckResult:
    if info.auto_method is None:
        return CheckResult("scheduler", CheckStatus.FAIL, "none available", info.auto_reason)
    found = ", ".join(method.value for method in info.available)
    return CheckResult(
        "scheduler",
        CheckStatus.OK,
        f"{info.os_name}: auto uses {info.auto_method}; available: {found}",
        info.auto_reason,
    )
