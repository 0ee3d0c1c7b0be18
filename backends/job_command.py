"""The job's command as an argv, the same for every scheduler and for "run now": the optional
`timeout SECONDS` wrapper, then `<binary> --config <config> nightly`."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError, NightlyJob

TIMEOUT_PROGRAMS = ("timeout", "gtimeout")


def find_timeout_program() -> str:
    """An absolute `timeout` (GNU coreutils; `gtimeout` from Homebrew on macOS)."""
    for name in TIMEOUT_PROGRAMS:
        found = shutil.which(name)
        if found:
            return os.path.abspath(found)
    raise JobError("--timeout needs the `timeout` command (GNU coreutils; on macOS: brew install coreutils).")


def job_argv(job: NightlyJob, timeout_program: str | None = None) -> list[str]:
    """What runs: the job's argv, wrapped in `timeout` when the job has a time limit."""
    if job.timeout_seconds is None:
        return job.argv
    return [timeout_program or find_timeout_program(), str(job.timeout_seconds), *job.argv]


@dataclass(frozen=True)
class NightlyArgv:
    """What `<binary> --config <config> [--data-dir <dir>] nightly` says."""

    binary: Path
    config: Path
    data_dir: Path | None


def parse_nightly_argv(argv: list[str]) -> NightlyArgv | None:
    """The parts of a job argv in exactly the form `NightlyJob.argv` writes, else None."""
    if len(argv) == 6 and argv[1] == "--config" and argv[3] == "--data-dir" and argv[5] == "nightly":
        return NightlyArgv(Path(argv[0]), Path(argv[2]), Path(argv[4]))
    if len(argv) == 4 and argv[1] == "--config" and argv[3] == "nightly":
        return NightlyArgv(Path(argv[0]), Path(argv[2]), None)
    return None
