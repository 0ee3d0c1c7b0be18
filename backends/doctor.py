"""The seed's troubleshooting checks, each with a status and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from prompt_alchemy_scheduler_tui.backends.path_discovery import (
    PathCheck,
    PathStatus,
    find_binary,
    find_config,
)
from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo, detect_platform


class CheckStatus(Enum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: CheckStatus
    detail: str
    hint: str


def run_checks(
    binary: str | None = None, config: str | None = None, platform_info: PlatformInfo | None = None
) -> list[CheckResult]:
    """All checks, in the order a user would fix them."""
    info = platform_info or detect_platform()
    return [
        _path_result("binary", find_binary(binary)),
        _path_result("config", find_config(config)),
        _scheduler_result(info),
        _daemon_result(info),
    ]


def _path_result(name: str, check: PathCheck) -> CheckResult:
    if check.status is PathStatus.FOUND:
        return CheckResult(name, CheckStatus.OK, str(check.path), "")
    status = CheckStatus.WARN if check.status is PathStatus.READABLE_BY_OTHERS else CheckStatus.FAIL
    return CheckResult(name, status, f"{check.path}: {check.status.value}", check.hint)


def _scheduler_result(info: PlatformInfo) -> CheckResult:
    if info.auto_method is None:
        return CheckResult("scheduler", CheckStatus.FAIL, "none available", info.auto_reason)
    found = ", ".join(
        f"{name} ({path})"
        for name, path in (("crontab", info.crontab_path), ("launchctl", info.launchctl_path))
        if path
    )
    return CheckResult(
        "scheduler",
        CheckStatus.OK,
        f"{info.os_name}: auto uses {info.auto_method}; found {found}",
        info.auto_reason,
    )


def _daemon_result(info: PlatformInfo) -> CheckResult:
    if info.crontab_path is None:
        return CheckResult(
            "cron daemon", CheckStatus.WARN, "cron not installed", "Only needed for --method cron."
        )
    if info.cron_daemon_running:
        return CheckResult("cron daemon", CheckStatus.OK, "running", "")
    start = (
        "sudo launchctl load -w /System/Library/LaunchDaemons/com.vix.cron.plist"
        if info.is_macos
        else "sudo systemctl start cron (or: sudo service cron start; without systemd: sudo cron)"
    )
    if info.cron_daemon_running is None:
        return CheckResult(
            "cron daemon", CheckStatus.WARN, "could not tell whether it runs", f"If jobs never run: {start}"
        )
    status = CheckStatus.WARN if info.auto_method == "launchd" else CheckStatus.FAIL
    return CheckResult("cron daemon", status, "not running: cron jobs will not fire", start)
