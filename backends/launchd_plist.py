"""The LaunchAgent plist for our job: built with plistlib, written atomically, read back for listing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prompt_alchemy_scheduler_tui.backends.job_command import job_argv
from prompt_alchemy_scheduler_tui.backends.launchd_calendar import LaunchdSchedule
from prompt_alchemy_scheduler_tui.backends.nightly_job import LABEL, NightlyJob
from prompt_alchemy_scheduler_tui.backends.private_files import read_regular_file
from prompt_alchemy_scheduler_tui.backends.run_recorder import scheduled_argv

PLIST_NAME = f"{LABEL}.plist"
# launchd starts agents with PATH=/usr/bin:/bin:/usr/sbin:/sbin; add the usual install places.
BASE_PATH = "/usr/local/bin:/opt/homebrew/bin:/usr/bin:/bin:/usr/sbin:/sbin"


def launchd_path(job: NightlyJob) -> str:
    """The PATH the job gets: the binary's own directory first, then the usual install places."""
    return f"{job.binary.parent}:{BASE_PATH}"


def agents_dir(home: Path | None = None) -> Path:
    return (home or Path.home()) / "Library" / "LaunchAgents"


def build_plist(
    job: NightlyJob,
    schedule: LaunchdSchedule,
    timeout_program: str | None = None,
    recorder: Path | None = None,
) -> dict[str, Any]:
    """launchd.plist(5) keys for the job. ProgramArguments is an argv: no shell, no quoting, no `%` rule.
    With `recorder` (the run recorder script) the job runs through it."""
    arguments = job_argv(job, timeout_program)
    if recorder is not None:
        arguments = scheduled_argv(recorder, arguments, job.ping_url)
    environment = {"PATH": launchd_path(job), **dict(job.environment)}
    plist: dict[str, Any] = {
        "Label": LABEL,
        "ProgramArguments": arguments,
        "StartCalendarInterval": schedule.plist_value,
        "StandardOutPath": str(job.stdout_log),
        "StandardErrorPath": str(job.stderr_log),
        "RunAtLoad": False,
        "EnvironmentVariables": environment,
    }
    if job.number_of_files is not None:
        plist["SoftResourceLimits"] = {"NumberOfFiles": job.number_of_files}
    return plist


def plist_bytes(plist: dict[str, Any]) -> bytes:
    import plistlib  # imported on first use: start-up does not need it

    return plistlib.dumps(plist, fmt=plistlib.FMT_XML, sort_keys=False)


def read_plist(path: Path) -> dict[str, Any] | None:
    """The parsed plist, or None when it is missing or unreadable as a plist."""
    import plistlib  # imported on first use: start-up does not need it

    try:
        data = read_regular_file(path, follow_links=True)
        value = plistlib.loads(data) if data is not None else None
    except (OSError, plistlib.InvalidFileException, ValueError):
        return None
    return value if isinstance(value, dict) else None
