"""Run the nightly job once, now, as the scheduler would: same argv, environment and log files.

The seed's "manual testing": output is appended to the same /tmp logs, so the log panes show it. Those
names may have been planted by another user, so both logs are opened with `open_log_for_append`, which
never follows a link and refuses a file that is not safely yours, before anything is written or run.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.crontab_entry import find_timeout_program
from prompt_alchemy_scheduler_tui.backends.launchd_plist import BASE_PATH
from prompt_alchemy_scheduler_tui.backends.log_safety import log_problems, open_log_for_append, refusal
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob

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


def run_job_now(job: NightlyJob, method: str, on_start: Callable[[], None] | None = None) -> RunResult:
    """Run to completion (call from a worker thread); `on_start` is called once the logs are open and
    the job is about to start, so nobody is told "running" about a run that was refused.

    UnsafeLogError (an OSError) names every problem of both logs when either is not safe to append to,
    before anything is written; another OSError if the binary cannot be started.
    """
    argv = job.argv
    if job.timeout_seconds is not None:
        argv = [find_timeout_program(), str(job.timeout_seconds), *argv]
    started = datetime.now().astimezone()
    command = shlex.join(argv)
    logs = dict.fromkeys((job.stdout_log, job.stderr_log))
    problems = [problem for log in logs for problem in log_problems(log)]
    if problems:
        raise refusal(list(logs), problems)
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open_log_for_append(job.stdout_log))
        err = stack.enter_context(open_log_for_append(job.stderr_log))
        out.write(
            f"[prompt-alchemy-scheduler-tui] run now {started:%Y-%m-%d %H:%M:%S %Z}: {command}\n".encode()
        )
        out.flush()
        if on_start is not None:
            on_start()
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


def os_error_words(error: OSError) -> str:
    """An OSError as people read it: "/path: No such file or directory", never "[Errno 2] ..."."""
    words = error.strerror or str(error)
    return f"{error.filename}: {words}" if error.filename else words


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return os.environ.get("USER", "")
