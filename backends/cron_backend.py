"""The cron scheduler: our entry in the user's crontab, planned, diffed, backed up and applied."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from backends.crontab_backups import Backup, BackupStore
from backends.crontab_command import CrontabCommand
from backends.crontab_edit import job_lines, unified_diff, with_entry, without_entries
from backends.crontab_entry import CrontabLine, display_command, render_line
from backends.nightly_job import NightlyJob
from backends.platform_detect import cron_daemon_running
from backends.schedule import Schedule
from backends.scheduler_backend import (
    ChangePlan,
    ChangeResult,
    ConcurrentEditError,
    InstalledJob,
    JobListing,
    SchedulerError,
    SchedulerUnavailableError,
)

METHOD = "cron"


class CronBackend:
    """Edits only the lines it owns (and, on uninstall or install, the old Go tool's lines)."""

    method = METHOD

    def __init__(
        self,
        crontab: CrontabCommand | None = None,
        backups: BackupStore | None = None,
        daemon_check: Callable[[], bool | None] = cron_daemon_running,
    ) -> None:
        self.crontab = crontab or CrontabCommand()
        self.backups = backups or BackupStore(owner=self.crontab.user)
        self.daemon_check = daemon_check

    def availability(self) -> tuple[bool, str]:
        try:
            return True, self.crontab.executable()
        except SchedulerUnavailableError as error:
            return False, str(error)

    def list_jobs(self, now: datetime | None = None) -> JobListing:
        available, reason = self.availability()
        if not available:
            return JobListing(METHOD, False, (), (reason,))
        text = self.crontab.read()
        jobs = _ours(text, now)
        running = self.daemon_check()
        notes = []
        if running is False:
            notes.append(
                "The cron daemon is not running: jobs will not fire (start it: sudo systemctl start cron)."
            )
        if text is None:
            notes.append("No crontab.")
        return JobListing(METHOD, True, jobs, tuple(notes))

    def plan_install(self, job: NightlyJob) -> ChangePlan:
        entry = render_line(job)
        before = self.crontab.read()
        after = with_entry(before, entry)
        return ChangePlan(
            method=METHOD,
            action="install",
            before=before,
            after=after,
            diff=unified_diff(before, after),
            new_entry=entry,
            removed=_ours(before),
            job=job,
        )

    def plan_uninstall(self) -> ChangePlan:
        before = self.crontab.read()
        after = without_entries(before)
        return ChangePlan(
            method=METHOD,
            action="uninstall",
            before=before,
            after=after,
            diff=unified_diff(before, after),
            new_entry=None,
            removed=_ours(before),
            notes=("Nothing else is left: the crontab will be removed (crontab -r).",)
            if before is not None and after is None
            else (),
        )

    def plan_restore(self, backup: Backup) -> ChangePlan:
        before = self.crontab.read()
        after = self.backups.load(backup)
        return ChangePlan(
            method=METHOD,
            action="restore",
            before=before,
            after=after,
            diff=unified_diff(before, after),
            new_entry=None,
            notes=(f"Restores {backup.path}.",),
        )

    def apply(self, plan: ChangePlan) -> ChangeResult:
        """Write the plan if the crontab is still what it was when planned; back it up first."""
        if not plan.changes:
            return ChangeResult(plan, None, "The crontab already says this; nothing was written.")
        current = self.crontab.read()
        if current != plan.before:
            raise ConcurrentEditError(
                "The crontab changed since it was read (crontab -e or another program?). Nothing was "
                "written; look at the new state and try again."
            )
        backup = self.backups.save(current)
        if plan.after is None:
            self.crontab.remove()
        else:
            self.crontab.write(plan.after)
        written = self.crontab.read()
        if written != plan.after:
            raise SchedulerError(
                f"crontab stored something other than what was sent; your previous crontab is in {backup} "
                "(prompt-alchemy-scheduler-tui restore latest)."
            )
        return ChangeResult(plan, backup, _done_message(plan, backup))


def _ours(text: str | None, now: datetime | None = None) -> tuple[InstalledJob, ...]:
    """Our managed entries and the old Go tool's legacy lines, as installed jobs."""
    return tuple(_installed(line, now) for line in job_lines(text) if line.kind != "foreign")


def _installed(line: CrontabLine, now: datetime | None) -> InstalledJob:
    schedule = Schedule(line.schedule)
    explanation = schedule.explain(count=1, start=now)
    return InstalledJob(
        method=METHOD,
        managed=line.kind == "managed",
        expression=line.schedule,
        description=explanation.description or f"not understood: {explanation.error}",
        next_run=explanation.next_runs[0] if explanation.next_runs else None,
        command=display_command(line.command),
        location=f"crontab line {line.number}",
    )


def _done_message(plan: ChangePlan, backup: Path) -> str:
    done = {
        "install": "Installed the cron job",
        "uninstall": f"Removed {len(plan.removed)} cron job(s)",
        "restore": "Restored the crontab",
    }[plan.action]
    return f"{done}. Previous crontab saved to {backup}."
