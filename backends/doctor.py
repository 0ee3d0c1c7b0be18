"""The troubleshooting checks of Prompt Alchemy's scheduling documentation, each with a status and
what to do about it: the binary, the config, the scheduler `auto` uses, then each scheduler's own."""

from __future__ import annotations

import os
from collections.abc import Sequence

from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult, CheckStatus
from prompt_alchemy_scheduler_tui.backends.job_preflight import installed_job
from prompt_alchemy_scheduler_tui.backends.nightly_job import (
    DEFAULT_STDERR_LOG,
    DEFAULT_STDOUT_LOG,
)
from prompt_alchemy_scheduler_tui.backends.nightly_preflight import DATA_DIR_VARIABLE, preflight
from prompt_alchemy_scheduler_tui.backends.path_discovery import (
    PathCheck,
    PathStatus,
    find_binary,
    find_config,
)
from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo, describe_platform
from prompt_alchemy_scheduler_tui.backends.recorder_install import recorder_problem
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import JobListing, Scheduler, SchedulerError
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
    listings = _listings(units)
    installed = installed_job(listings)
    config_check = find_config(config or (str(installed.config) if installed else None))
    binary_check = find_binary(binary or (str(installed.binary) if installed else None))
    checks = [_path_result("binary", binary_check), _path_result("config", config_check)]
    if config_check.usable:  # what `nightly` will read and write with this config, tonight
        environment = dict(installed.environment) if installed else {}
        checks += preflight(
            config_check.path,
            environment,
            str(installed.data_dir) if installed and installed.data_dir else None,
            logs=(installed.stdout_log, installed.stderr_log)
            if installed
            else (DEFAULT_STDOUT_LOG, DEFAULT_STDERR_LOG),
        )
        checks += _shell_only_variables(environment)
    checks.append(_scheduler_result(info))
    checks += _recorder_checks(units, listings)
    for unit in units:
        checks += unit.doctor_checks(info.auto_method)
    return checks


def _recorder_checks(schedulers: Sequence[Scheduler], listings: list[JobListing]) -> list[CheckResult]:
    """The run recorder of each installed job that runs through it: a missing script fails every run."""
    by_method = {scheduler.method: scheduler for scheduler in schedulers}
    checks = []
    for listing in listings:
        for job in listing.jobs:
            recorder = by_method[listing.method].recorder
            if not job.recorded or recorder is None:
                continue
            problem = recorder_problem(recorder, job.recorded)
            if problem is None:
                checks.append(CheckResult("run recorder", CheckStatus.OK, str(recorder.script), ""))
            else:
                checks.append(
                    CheckResult(
                        "run recorder", CheckStatus.FAIL, problem, "Install the job again to rewrite it."
                    )
                )
    return checks


def _listings(schedulers: Sequence[Scheduler]) -> list[JobListing]:
    listings = []
    for scheduler in schedulers:
        try:
            listings.append(scheduler.list_jobs())
        except SchedulerError:
            continue  # its own doctor check says why
    return listings


def _shell_only_variables(job_environment: dict[str, str]) -> list[CheckResult]:
    """A variable that steers nightly, set in this shell but not given to the job: it works by hand and
    not from the scheduler, which starts jobs with an environment of its own."""
    names = [name for name in (DATA_DIR_VARIABLE,) if os.environ.get(name) and name not in job_environment]
    return [
        CheckResult(
            "shell only",
            CheckStatus.WARN,
            f"{name} is set in your shell but the scheduled job does not get it, so the job may use "
            "another database than `prompt-alchemy nightly` run by hand",
            f"Install with --data-dir {os.environ[name]} (or --env {name}).",
        )
        for name in names
    ]


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
