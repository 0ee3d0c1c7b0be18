"""The one interface every scheduler implements, and the plain values schedulers return.

Both faces (CLI and TUI) talk to schedulers only through this interface, iterating the registry
(backends/scheduler_registry.py): list what is installed, plan a change (that plan *is* the dry run),
apply a plan, restore a backup. Nothing outside a scheduler's own modules knows its name.

Adding a scheduler: one module (or a few) implementing `Scheduler`, a `Method` member, and one line in
the registry. What its author must keep to is written on each member below; above all, `apply` never
touches a byte that is not ours and re-checks, just before writing, that nothing changed since planning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult
from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.backup_store import Backup, BackupStore
    from prompt_alchemy_scheduler_tui.backends.cron_syntax import ParsedExpression
    from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder


class Method(StrEnum):
    """The schedulers this tool knows, in the registry's order."""

    CRON = "cron"
    LAUNCHD = "launchd"
    SYSTEMD = "systemd"


def method_names(conjunction: str = "and") -> str:
    """Every scheduler's name as people list them: "cron, launchd and systemd"."""
    names = [method.value for method in Method]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


class PlanAction(StrEnum):
    INSTALL = "install"
    UNINSTALL = "uninstall"
    RESTORE = "restore"


class Tone(Enum):
    """How a fact reads: fine, worth a look, broken, beside the point, or plain information."""

    OK = "ok"
    WARN = "warn"
    BAD = "bad"
    MUTED = "muted"
    PLAIN = "plain"


@dataclass(frozen=True)
class PlatformFact:
    """One line a scheduler adds to the platform panel (`cron daemon running`, `launchctl /bin/...`)."""

    label: str
    value: str
    tone: Tone


@dataclass(frozen=True)
class ScheduleForm:
    """The exact form a schedule takes in one scheduler (launchd's calendar intervals), or why it
    cannot take one. `summary` is one line for people; `data` is the `explain --json` member."""

    method: Method
    summary: str | None
    error: str | None
    data: Mapping[str, Any]


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

    method: Method
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
    target: str = ""  # what names the job in a table: its command (cron) or its file (launchd)
    extra: tuple[str, ...] = ()  # values of the scheduler's `extra_columns`
    status: str | None = None  # one line of the scheduler's own state ("loaded, pid 42, last exit 0")
    recorded: bool = False  # runs through the run recorder (False: installed before run recording)
    # The job as installed, read back from what the scheduler holds (every option: environment, timeout,
    # open files, paths, logs), so that a change can start from it; None when it cannot be read whole.
    job: NightlyJob | None = field(default=None, compare=False)


@dataclass(frozen=True)
class JobListing:
    """What `list` found: the jobs, whether the scheduler is usable here, and notes (daemon state...)."""

    method: Method
    available: bool
    jobs: tuple[InstalledJob, ...]
    notes: tuple[str, ...] = ()
    extra_columns: tuple[str, ...] = ()  # the scheduler's own columns; each job's `extra` fills them


@dataclass(frozen=True)
class FileChange:
    """A file of ours written beside the scheduler's own (the job's private environment file, the run
    recorder script).

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
        readers = (
            "only you can read it" if not self.mode & 0o044 else "others may read it: it holds no secret"
        )
        return f"{verb} {self.path} (mode {self.mode:04o}, {readers}):"


@dataclass(frozen=True)
class ChangePlan:
    """Exactly what applying would do: file contents before and after, a diff, commands to run.

    `before`/`after` are None where the file does not exist (no crontab, no plist). A plan with
    `changes` False is a no-op. `removed` lists the jobs that go away. `diff` and `new_entry` are for
    people (secrets masked); `before`/`after` are what is compared and written.
    """

    method: Method
    action: PlanAction
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
    entry_syntax: str = "bash"  # how to highlight `new_entry` ("bash" for a crontab line, "xml")
    replaces: NightlyJob | None = field(default=None, compare=False)  # the installed job an install replaces

    @property
    def changes(self) -> bool:
        return self.before != self.after or bool(self.commands) or any(f.changes for f in self.files)


@dataclass(frozen=True)
class ChangeResult:
    """What was done; `backup` is where the previous state was saved (restore with it)."""

    plan: ChangePlan
    backup: Path | None
    message: str


@runtime_checkable
class Scheduler(Protocol):
    """One scheduler. Implementations never touch entries that are not ours.

    Errors: SchedulerUnavailableError when the scheduler's tool is missing (say how to get it),
    ConcurrentEditError when what was planned on changed, JobError when the job cannot be expressed
    (refused, never approximated), SchedulerError for anything else; each message is a sentence that
    says whether anything was written.
    """

    @property
    def method(self) -> Method: ...

    @property
    def help_text(self) -> str:
        """One line: what this scheduler is, for --method's help and the TUI."""
        ...

    @property
    def extra_columns(self) -> tuple[str, ...]:
        """This scheduler's own job-table columns; each InstalledJob.extra gives their values."""
        ...

    @property
    def catches_up_missed_runs(self) -> bool:
        """True when a run missed while the machine was off or asleep runs once it is back."""
        ...

    @property
    def missed_runs_policy(self) -> str:
        """What it does about a missed run, in a few words for people."""
        ...

    @property
    def recorder(self) -> RunRecorder | None:
        """The run recorder its jobs run through, and where their records are; None: none."""
        ...

    @property
    def backups(self) -> BackupStore | None:
        """Where `apply` saves what it replaces (restorable with `plan_restore`); None: no backups."""
        ...

    def availability(self) -> tuple[bool, str]:
        """(usable here, the path of its tool or why not and how to get it)."""
        ...

    def auto_rank(self, system: str) -> int | None:
        """Its rank for `--method auto` on `system` (platform.system()): lowest wins; None: never."""
        ...

    def auto_reason(self, system: str, first_choice: bool) -> str:
        """Why `auto` picked it on `system` (as the first choice, or as a fallback)."""
        ...

    def platform_facts(self) -> tuple[PlatformFact, ...]:
        """Its lines on the platform panel (daemon state, tool path)."""
        ...

    def doctor_checks(self, auto_method: Method | None) -> list[CheckResult]:
        """Its own troubleshooting checks, given which scheduler `auto` uses here."""
        ...

    def schedule_form(self, parsed: ParsedExpression | None) -> ScheduleForm | None:
        """How it would run this schedule, exactly, or why it cannot; None: as cron writes it."""
        ...

    def job_environment(self, job: NightlyJob, home: Path) -> dict[str, str]:
        """The environment it gives the job (for "run now"): its PATH, HOME, ... and the job's own."""
        ...

    def list_jobs(self) -> JobListing:
        """Our job and the old Go tool's, each with `job` read back from what the scheduler holds."""
        ...

    def plan_install(self, job: NightlyJob) -> ChangePlan:
        """What installing writes (the dry run); reads, never writes."""
        ...

    def plan_uninstall(self) -> ChangePlan: ...

    def plan_restore(self, backup: Backup) -> ChangePlan:
        """Putting `backup` back; BackupError for a backup that does not read back whole."""
        ...

    def apply(self, plan: ChangePlan) -> ChangeResult:
        """Carry out `plan`: first check that what it was made from is unchanged (ConcurrentEditError,
        nothing written), back up what it replaces, and undo its own partial work on failure."""
        ...
