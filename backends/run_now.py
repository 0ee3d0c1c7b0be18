"""Run the nightly job once, now, as the scheduler would: same argv, environment and log files.

Prompt Alchemy's documented "manual testing": output is appended to the job's logs, so the log panes show it. Those
names may have been planted by another user, so both logs are opened with `open_log_for_append`, which
never follows a link and refuses a file that is not safely yours, before anything is written or run.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.job_command import job_argv
from prompt_alchemy_scheduler_tui.backends.log_safety import log_problems, open_log_for_append, refusal
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob


@dataclass(frozen=True)
class RunResult:
    command: str
    exit_status: int
    started: datetime
    seconds: float


def scheduler_environment(job: NightlyJob, path: str, home: Path) -> dict[str, str]:
    """What a scheduler gives a job: its bare PATH, HOME, SHELL, the user, plus the job's own variables."""
    base = {
        "PATH": path,
        "HOME": str(home),
        "SHELL": "/bin/sh",
        "LOGNAME": _user(),
        "USER": _user(),
    }
    return {**base, **dict(job.environment)}


def run_job_now(
    job: NightlyJob, environment: Mapping[str, str], on_start: Callable[[], None] | None = None
) -> RunResult:
    """Run to completion (call from a worker thread); `on_start` is called once the logs are open and
    the job is about to start, so nobody is told "running" about a run that was refused.

    UnsafeLogError (an OSError) names every problem of both logs when either is not safe to append to,
    before anything is written; another OSError if the binary cannot be started.
    """
    argv = job_argv(job)
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
            env=dict(environment),
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
