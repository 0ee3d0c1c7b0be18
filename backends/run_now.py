"""Run the nightly job once, now, as the scheduler would: same argv, environment and log files.

The seed's "manual testing": output is appended to the same /tmp logs, so the log panes show it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from backends.crontab_entry import find_timeout_program
from backends.launchd_plist import BASE_PATH
from backends.nightly_job import NightlyJob

CRON_PATH = "/usr/bin:/bin"  # Debian cron's default PATH for jobs (shared/FACTS.md)


@dataclass(frozen=True)
class RunResult:
    command: str
    exit_status: int
    started: datetime
    seconds: float


def job_environment(job: NightlyJob, method: str, home: Path | None = None) -> dict[str, str]:
    """What the scheduler gives the job: a bare PATH, HOME, SHELL, plus the job's own variables."""
    path = f"{job.binary.parent}:{BASE_PATH}" if method == "launchd" else CRON_PATH
    base = {
        "PATH": path,
        "HOME": str(home or Path.home()),
        "SHELL": "/bin/sh",
        "LOGNAME": _user(),
        "USER": _user(),
    }
    return {**base, **dict(job.environment)}


def run_job_now(job: NightlyJob, method: str) -> RunResult:
    """Run to completion (call from a worker thread); OSError if the binary cannot be started."""
    argv = job.argv
    if job.timeout_seconds is not None:
        argv = [find_timeout_program(), str(job.timeout_seconds), *argv]
    started = datetime.now().astimezone()
    command = shlex.join(argv)
    with job.stdout_log.open("ab") as out, job.stderr_log.open("ab") as err:
        out.write(
            f"[prompt-alchemy-scheduler-tui] run now {started:%Y-%m-%d %H:%M:%S %Z}: {command}\n".encode()
        )
        out.flush()
        completed = subprocess.run(
            argv,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=job_environment(job, method),
            cwd=Path.home(),
            check=False,
        )
    seconds = (datetime.now().astimezone() - started).total_seconds()
    return RunResult(command, completed.returncode, started, seconds)


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return os.environ.get("USER", "")
