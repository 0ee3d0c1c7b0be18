"""The common interface of the cron and launchd backends, and the plain values they return.

Both faces (CLI and TUI) talk to schedulers only through this: list what is installed, plan a change
(that plan *is* the dry run), and apply a plan. Applying re-checks that nothing changed since planning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob


class SchedulerError(RuntimeError):
    """An operation failed; nothing of the user's was changed unless the message says otherwise."""


class SchedulerUnavailableError(SchedulerError):
    """The scheduler's tool is missing or cannot run here; the message says how to get it."""


class ConcurrentEditError(SchedulerError):
    """The crontab or plist changed between planning and applying: nothing was written."""


@dataclass(frozen=True)
class InstalledJob:
    """One prompt-alchemy nightly job as found in a scheduler.

    `managed` is False for legacy entries written by the old Go `prompt-alchemy schedule`.
    """

    method: str
    managed: bool
    expression: str
    description: str
    next_run: datetime | None
    command: str  # as shown to people: secrets masked
    location: str  # "crontab" line number or the plist path
    loaded: bool | None = None  # launchd only
    pid: int | None = None
    last_exit_status: int | None = None
    stdout_log: Path | None = None  # where the job appends its output (None: not known)
    stderr_log: Path | None = None


@dataclass(frozen=True)
class JobListing:
    """What `list` found: the jobs, whether the scheduler is usable here, and notes (daemon state...)."""

    method: str
    available: bool
    jobs: tuple[InstalledJob, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileChange:
    """A file of ours written beside the scheduler's own (the job's private environment file).

    `before`/`after` are None where the file does not (or will no longer) exist; `shown` is `after`
    as people see it, secrets masked.
    """

    path: Path
    before: str | None
    after: str | None
    mode: int
    shown: str | None

    @property
    def changes(self) -> bool:
        return self.before != self.after

    @property
    def title(self) -> str:
        """One line for people: what happens to the file (written how, or removed)."""
        if self.after is None:
            return f"Removes {self.path}"
        verb = "Writes" if self.before is None else "Rewrites"
        return f"{verb} {self.path} (mode {self.mode:04o}, only you can read it):"


@dataclass(frozen=True)
class ChangePlan:
    """Exactly what applying would do: file contents before and after, a diff, commands to run.

    `before`/`after` are None where the file does not exist (no crontab, no plist). A plan with
    `changes` False is a no-op. `removed` lists the jobs that go away. `diff` and `new_entry` are for
    people (secrets masked); `before`/`after` are what is compared and written.
    """

    method: str
    action: str  # "install", "uninstall" or "restore"
    before: str | None
    after: str | None
    diff: str
    new_entry: str | None
    commands: tuple[str, ...] = ()
    removed: tuple[InstalledJob, ...] = ()
    path: Path | None = None
    notes: tuple[str, ...] = ()
    job: NightlyJob | None = field(default=None, compare=False)
    files: tuple[FileChange, ...] = ()

    @property
    def changes(self) -> bool:
        return self.before != self.after or bool(self.commands) or any(f.changes for f in self.files)


@dataclass(frozen=True)
class ChangeResult:
    """What was done; `backup` is where the previous state was saved (restore with it)."""

    plan: ChangePlan
    backup: Path | None
    message: str


class SchedulerBackend(Protocol):
    """One scheduler (cron or launchd). Implementations never touch entries that are not ours."""

    method: str

    def availability(self) -> tuple[bool, str]:
        """(usable here, why not or a short description)."""
        ...

    def list_jobs(self) -> JobListing: ...

    def plan_install(self, job: NightlyJob) -> ChangePlan: ...

    def plan_uninstall(self) -> ChangePlan: ...

    def apply(self, plan: ChangePlan) -> ChangeResult: ...
