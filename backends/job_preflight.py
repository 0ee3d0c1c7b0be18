"""The preflight of the job as installed (its config, its own environment, its data directory and
logs), or, with nothing installed, of the config this tool found."""

from __future__ import annotations

from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult
from prompt_alchemy_scheduler_tui.backends.nightly_job import (
    DEFAULT_STDERR_LOG,
    DEFAULT_STDOUT_LOG,
    NightlyJob,
)
from prompt_alchemy_scheduler_tui.backends.nightly_preflight import preflight
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import JobListing


def installed_job(listings: list[JobListing]) -> NightlyJob | None:
    """The first managed job read back whole by its scheduler, or None."""
    for listing in listings:
        for job in listing.jobs:
            if job.managed and job.job is not None:
                return job.job
    return None


def job_preflight(listings: list[JobListing], config: Path | None) -> list[CheckResult]:
    job = installed_job(listings)
    if job is not None:
        return preflight(
            job.config,
            dict(job.environment),
            str(job.data_dir) if job.data_dir else None,
            logs=(job.stdout_log, job.stderr_log),
        )
    if config is None:
        return []
    return preflight(config, {}, logs=(DEFAULT_STDOUT_LOG, DEFAULT_STDERR_LOG))
