"""Run the nightly job once, now, as the scheduler would: same argv, environment and log files.

Prompt Alchemy's documented "manual testing": output is appended to the job's logs, so the log panes show it. Those
names may have been planted by another user, so both logs are opened with `open_log_for_append`, which
never follows a link and refuses a file that is not safely yours, before anything is written or run.

The job leads a session of its own (setsid(2)), so it is a process group of its own: it does not get
the terminal's SIGHUP and outlives the app that started it, and `RunningJob.cancel()` stops all of it,
grandchildren included.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.job_command import job_argv
from prompt_alchemy_scheduler_tui.backends.log_safety import log_problems, open_log_for_append, refusal
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.private_files import make_private_directory
from prompt_alchemy_scheduler_tui.backends.process_group import group_alive, signal_group
from prompt_alchemy_scheduler_tui.backends.relative_time import duration
from prompt_alchemy_scheduler_tui.backends.run_outcome import signal_name
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder

STOP_GRACE_SECONDS = 5.0  # after SIGTERM, how long the job's group has before SIGKILL
_DYING_SECONDS = 2.0  # after SIGKILL, how long to wait for the group to be gone before reporting anyway


@dataclass(frozen=True)
class RunResult:
    command: str
    exit_status: int  # as subprocess reports it: negative when signal -N ended the job
    started: datetime
    seconds: float
    cancelled: bool = False
    killed: bool = False  # cancelled, and part of it outlived SIGTERM: the group got SIGKILL

    def summary(self) -> str:
        """How the run ended, in one sentence."""
        took = f"after {self.seconds:.1f} s" if self.seconds < 60 else f"after {duration(self.seconds)}"
        if self.cancelled and self.killed:
            return f"Run cancelled {took}: SIGTERM did not stop all of it, so it was killed (SIGKILL)."
        if self.cancelled:
            return f"Run cancelled {took}: the job {self._ending()}."
        return f"The job {self._ending()} {took}."

    def _ending(self) -> str:
        if self.exit_status < 0:
            return f"was ended by {signal_name(-self.exit_status)}"
        if 128 < self.exit_status <= 128 + 64:
            # The run recorder (a shell) reports a job killed by signal N as 128 + N, as sh(1) does.
            return f"was ended by {signal_name(self.exit_status - 128)} (exit {self.exit_status})"
        # 126 and 127 are what sh(1), timeout(1) and env(1) exit with when they cannot start a command.
        hint = {
            126: " (a command was found but could not be run: see the error log)",
            127: " (a command was not found: see the error log)",
        }.get(self.exit_status, "")
        return f"exited with status {self.exit_status}{hint}"

    @property
    def succeeded(self) -> bool:
        return self.exit_status == 0 and not self.cancelled


class RunningJob:
    """A started run, for any caller (no UI in here): `wait(timeout)` from a thread, `cancel()` from
    anywhere; `pid` is also the id of the job's process group."""

    def __init__(
        self, process: subprocess.Popen[bytes], command: str, started: datetime, grace: float
    ) -> None:
        self.pid = process.pid
        self.command = command
        self.started = started
        self._process = process
        self._began = time.monotonic()
        self.grace = grace
        self._lock = threading.Lock()
        self._cancelled = False
        self._ended = False
        self._killed = False
        self._group_stopped = threading.Event()
        self._done = threading.Event()
        self._result: RunResult | None = None
        threading.Thread(target=self._collect, name=f"run-now-{self.pid}", daemon=True).start()

    @property
    def seconds(self) -> float:
        """How long it has been running."""
        return time.monotonic() - self._began

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        """Stop the job and everything it started: SIGTERM to its process group now, then SIGKILL to
        whatever of the group is still alive `grace` seconds later. Returns at once; a second call, or
        one after the job ended, does nothing. `wait()` returns once the group is stopped."""
        with self._lock:
            if self._cancelled or self._ended:
                return
            self._cancelled = True
        signal_group(self.pid, signal.SIGTERM)
        threading.Thread(target=self._stop_group, name=f"run-now-stop-{self.pid}", daemon=True).start()

    def wait(self, timeout: float | None = None) -> RunResult | None:
        """The result once the run is over (after a cancel: once its whole group is), or None when
        `timeout` seconds pass first."""
        if not self._done.wait(timeout):
            return None
        return self._result

    def _stop_group(self) -> None:
        deadline = time.monotonic() + self.grace
        while group_alive(self.pid) and time.monotonic() < deadline + _DYING_SECONDS:
            if not self._killed and time.monotonic() >= deadline:
                self._killed = signal_group(self.pid, signal.SIGKILL)
            time.sleep(0.05)
        self._group_stopped.set()

    def _collect(self) -> None:
        exit_status = self._process.wait()
        with self._lock:
            self._ended = True
            cancelled = self._cancelled
        if cancelled:
            self._group_stopped.wait()
        self._result = RunResult(
            self.command, exit_status, self.started, self.seconds, cancelled, self._killed
        )
        self._done.set()


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


def start_job_now(
    job: NightlyJob,
    environment: Mapping[str, str],
    grace: float = STOP_GRACE_SECONDS,
    recorder: RunRecorder | None = None,
) -> RunningJob:
    """Start the job in its own session and return at once (nobody is told "running" about a run
    that was refused or could not start). With `recorder` it runs through the run recorder, as a
    "manual" run: recorded, and marked in both logs like a scheduled one.

    UnsafeLogError (an OSError) names every problem of both logs when either is not safe to append to,
    before anything is written; another OSError (see `start_failure_words`) when it cannot be started.
    """
    command = shlex.join(job_argv(job))
    if recorder is not None:
        _check_startable(job.binary)
        _prepare_records(recorder)
        argv = recorder.manual_argv(job_argv(job))
    else:
        argv = job_argv(job)
    started = datetime.now().astimezone()
    logs = dict.fromkeys((job.stdout_log, job.stderr_log))
    problems = [problem for log in logs for problem in log_problems(log)]
    if problems:
        raise refusal(list(logs), problems)
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open_log_for_append(job.stdout_log))
        err = stack.enter_context(open_log_for_append(job.stderr_log))
        if recorder is None:  # the recorder writes its own start and end markers
            out.write(
                f"[prompt-alchemy-scheduler-tui] run now {started:%Y-%m-%d %H:%M:%S %Z}: {command}\n".encode()
            )
            out.flush()
        process = subprocess.Popen(
            argv,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=dict(environment),
            cwd=Path.home(),
            start_new_session=True,
        )
    return RunningJob(process, command, started, grace)


def run_job_now(job: NightlyJob, environment: Mapping[str, str]) -> RunResult:
    """Start the job and wait for it to end (from a thread or the command line)."""
    result = start_job_now(job, environment).wait()
    assert result is not None
    return result


def _check_startable(binary: Path) -> None:
    """The errors exec would give, raised before the recorder's shell starts (it would only report them
    as exit 126 or 127): so a missing or non-executable binary is still explained in words."""
    if not binary.exists():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(binary))
    if not os.access(binary, os.X_OK) or binary.is_dir():
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(binary))
    interpreter = _interpreter(binary)
    if interpreter is not None and not Path(interpreter).exists():
        # What execve(2) answers for a script whose #! interpreter is missing: ENOENT for the script.
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(binary))


def _interpreter(binary: Path) -> str | None:
    """The interpreter on a script's `#!` line, or None (a binary, or unreadable)."""
    try:
        with binary.open("rb") as handle:
            first = handle.readline(256)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].split()
    return os.fsdecode(words[0]) if words else None


def _prepare_records(recorder: RunRecorder) -> None:
    """The record directory, so a manual run is recorded too; a run is never refused for it."""
    with contextlib.suppress(OSError):
        make_private_directory(recorder.records.parent)


def start_failure_words(error: OSError) -> str:
    """Why the job could not start, as people read it: "/path: No such file or directory", never
    "[Errno 2] ...", with the way out when there is a plain one."""
    words = error.strerror or str(error)
    if not error.filename:
        return words
    name = os.fsdecode(error.filename)
    path = Path(name)
    if isinstance(error, PermissionError) and path.is_file() and not os.access(path, os.X_OK):
        return f"{name}: permission denied: make it executable with chmod +x {shlex.quote(name)}"
    if isinstance(error, FileNotFoundError) and path.is_file():
        # execve(2): ENOENT for a file that exists means its #! interpreter does not.
        return f"{name}: No such file or directory (the file is there: the interpreter on its #! line is not)"
    return f"{name}: {words}"


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return os.environ.get("USER", "")
