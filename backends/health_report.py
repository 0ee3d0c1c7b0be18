"""One call for both faces: the installed job, its runs (records, log lines, outcomes) and its health.

`status`, `runs` and the TUI's health line and runs table all come from `health_report`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.job_health import (
    NOT_RECORDED,
    NOT_RECORDED_HERE,
    JobHealth,
    job_health,
)
from prompt_alchemy_scheduler_tui.backends.nightly_job import DEFAULT_STDERR_LOG, DEFAULT_STDOUT_LOG
from prompt_alchemy_scheduler_tui.backends.recorder_install import recorder_problem
from prompt_alchemy_scheduler_tui.backends.run_history import RunView, read_log_end, run_views
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder
from prompt_alchemy_scheduler_tui.backends.run_records import RecordBook, read_records
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import InstalledJob, JobListing, Scheduler

NO_JOB = "no prompt-alchemy nightly job is installed"


@dataclass(frozen=True)
class HealthReport:
    job: InstalledJob | None  # the managed job the report is about (None: nothing installed)
    runs: tuple[RunView, ...]  # oldest first
    health: JobHealth | None
    notes: tuple[str, ...]

    @property
    def healthy(self) -> bool:
        return self.health is not None and self.health.healthy

    @property
    def problems(self) -> tuple[str, ...]:
        return self.health.problems if self.health is not None else (NO_JOB,)

    def as_json(self) -> dict[str, object]:
        """`status --json`: the health's fields, plus which job and what could not be read."""
        base: dict[str, object] = (
            self.health.as_json()
            if self.health is not None
            else {
                "healthy": False,
                "problems": [NO_JOB],
                "last_run": None,
                "last_success": None,
                "running": None,
                "next_run": None,
                "missed": [],
            }
        )
        base["method"] = str(self.job.method) if self.job else None
        base["schedule"] = self.job.expression if self.job else None
        base["notes"] = list(self.notes)
        return base


def health_report(
    listings: list[JobListing],
    schedulers: list[Scheduler],
    now: datetime,
    timeout_seconds: int | None = None,
    log_directory: Path | None = None,
) -> HealthReport:
    """The report for the first job of ours found (in registry order); runs recorded by "run now" are
    shown even when nothing is installed."""
    by_method = {scheduler.method: scheduler for scheduler in schedulers}
    # Ours first; then the old Go tool's lines (they run without the recorder: "installed before run recording").
    found = [(listing, job) for listing in listings for job in listing.jobs if job.managed]
    found += [(listing, job) for listing in listings for job in listing.jobs if not job.managed]
    if not found:
        recorder = _any_recorder(schedulers)
        book = read_records(recorder) if recorder else RecordBook((), ())
        stdout, stderr = _logs(None, log_directory)
        views = run_views(book.runs, read_log_end(stdout), read_log_end(stderr))
        return HealthReport(None, tuple(views), None, book.notes)
    listing, job = found[0]
    scheduler = by_method[listing.method]
    # Only the job's own scheduler's store: one without a recorder (another user's crontab) must not
    # be shown this user's runs from another scheduler's store as if they were that job's.
    recorder = scheduler.recorder
    book = read_records(recorder) if recorder else RecordBook((), ())
    timeout = (
        timeout_seconds if timeout_seconds is not None else (job.job.timeout_seconds if job.job else None)
    )
    stdout, stderr = _logs(job, log_directory)
    views = run_views(book.runs, read_log_end(stdout), read_log_end(stderr), timeout)
    if recorder is None:
        job = replace(job, recorded=False)
    health = job_health(
        job,
        views,
        book,
        now,
        scheduler.catches_up_missed_runs,
        scheduler.missed_runs_policy,
        NOT_RECORDED if recorder else NOT_RECORDED_HERE,
    )
    broken = recorder_problem(recorder, job.recorded)
    if broken is not None:  # the job cannot run at all: the first thing to say
        health = replace(health, healthy=False, problems=(broken, *health.problems))
    notes = list(book.notes)
    if len(found) > 1:
        others = ", ".join(f"{listing.method}" for listing, _ in found[1:])
        notes.append(
            f"More than one nightly job is installed ({listing.method}, {others}); this is about {listing.method}'s."
        )
    return HealthReport(job, tuple(views), health, tuple(notes))


def _logs(job: InstalledJob | None, log_directory: Path | None) -> tuple[Path, Path]:
    """The two logs a job's runs are cut from: its own, else (nothing installed, or the old Go tool's job,
    which logs nowhere: cron mails its output) the default ones, where "run now" writes."""
    logs = log_directory or DEFAULT_STDOUT_LOG.parent
    stdout = job.stdout_log if job is not None and job.stdout_log else logs / DEFAULT_STDOUT_LOG.name
    stderr = job.stderr_log if job is not None and job.stderr_log else logs / DEFAULT_STDERR_LOG.name
    return stdout, stderr


def _any_recorder(schedulers: list[Scheduler]) -> RunRecorder | None:
    return next((s.recorder for s in schedulers if s.recorder is not None), None)
