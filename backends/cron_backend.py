"""The cron scheduler: our entry in the user's crontab, planned, diffed, backed up and applied.

Applying holds this tool's lock for the crontab's owner, checks that the crontab (and the job's
environment file) are still what the plan was made from, backs the crontab up, checks once more, and
only then writes; nothing else happens between that last check and the write. The result is read
back and compared.
"""

from __future__ import annotations

import os
import pwd
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.backup_store import Backup, BackupStore
from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult, CheckStatus
from prompt_alchemy_scheduler_tui.backends.cron_daemon import cron_daemon_running
from prompt_alchemy_scheduler_tui.backends.cron_syntax import ParsedExpression
from prompt_alchemy_scheduler_tui.backends.crontab_command import CrontabCommand
from prompt_alchemy_scheduler_tui.backends.crontab_edit import (
    job_lines,
    our_lines,
    with_entry,
    without_entries,
)
from prompt_alchemy_scheduler_tui.backends.crontab_entry import (
    CrontabLine,
    LineKind,
    display_command,
    legacy_paths,
    render_line,
)
from prompt_alchemy_scheduler_tui.backends.crontab_origin import CrontabOrigin
from prompt_alchemy_scheduler_tui.backends.job_env_file import (
    ENV_FILE_NAME,
    FILE_MODE,
    parse_env_file,
    put_text_file,
    read_text_file,
    render_env_file,
    shown_env_file,
)
from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.log_safety import prepare_log_directory, private_log_directory
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError, NightlyJob
from prompt_alchemy_scheduler_tui.backends.recorder_install import (
    prepare_records,
    record_install,
    recorder_change,
)
from prompt_alchemy_scheduler_tui.backends.run_now import scheduler_environment
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder
from prompt_alchemy_scheduler_tui.backends.schedule import Schedule
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    ChangePlan,
    ChangeResult,
    ConcurrentEditError,
    FileChange,
    InstalledJob,
    JobListing,
    Method,
    PlanAction,
    PlatformFact,
    ScheduleForm,
    SchedulerError,
    SchedulerUnavailableError,
    Tone,
)
from prompt_alchemy_scheduler_tui.backends.secret_masking import mask_text
from prompt_alchemy_scheduler_tui.backends.state_lock import exclusive_lock
from prompt_alchemy_scheduler_tui.backends.text_diff import unified_diff

METHOD = Method.CRON
CRON_PATH = "/usr/bin:/bin"  # Debian cron's default PATH for jobs (cron's entry.c, _PATH_DEFPATH)
_LISTED_ESCAPE = re.compile(r"\\[rb]")


class CronBackend:
    """Edits only the lines it owns (and, on uninstall or install, the old Go tool's lines)."""

    method = METHOD
    help_text = "cron: one line in your crontab (Linux, macOS); runs missed while asleep are skipped"
    catches_up_missed_runs = False
    missed_runs_policy = "cron skips a run missed while the machine was off or asleep"
    extra_columns: tuple[str, ...] = ()

    def __init__(
        self,
        crontab: CrontabCommand | None = None,
        backups: BackupStore | None = None,
        daemon_check: Callable[[], bool | None] = cron_daemon_running,
        state_dir: Path | None = None,
        env_file: Path | None = None,
        system: str | None = None,
        recorder: RunRecorder | None = None,
    ) -> None:
        self.crontab = crontab or CrontabCommand()
        self.backups = backups or BackupStore(owner=self.crontab.user)
        self.daemon_check = daemon_check
        self.system = system or os.uname().sysname
        self._daemon: tuple[bool | None] | None = None  # looked for once per instance (a refresh builds anew)
        self.state_dir = state_dir or self.backups.directory.parent
        self.env_file = env_file or self.state_dir / ENV_FILE_NAME
        self._env_file_given = env_file is not None
        self.origin = CrontabOrigin(self.state_dir, self.crontab.user)
        # Another user's job cannot run a script in this user's private state directory: no recording.
        self.recorder = recorder or (None if self.crontab.user else RunRecorder.default(self.state_dir))

    @property
    def lock_path(self) -> Path:
        owner = self.crontab.user
        return self.state_dir / (f"crontab-{owner}.lock" if owner else "crontab.lock")

    def availability(self) -> tuple[bool, str]:
        try:
            return True, self.crontab.executable()
        except SchedulerUnavailableError as error:
            return False, str(error)

    def daemon_running(self) -> bool | None:
        if self._daemon is None:
            self._daemon = (self.daemon_check(),)
        return self._daemon[0]

    def auto_rank(self, system: str) -> int | None:
        """macOS prefers launchd. Elsewhere cron comes first, unless it is installed but no daemon runs
        (jobs would never fire): then it comes after systemd user timers (rank 1), when those work here."""
        if system == "Darwin":
            return 1
        return 2 if self.availability()[0] and self.daemon_running() is False else 0

    def auto_reason(self, system: str, first_choice: bool) -> str:
        if system == "Darwin":
            return "macOS without launchctl on PATH: falling back to cron."
        if self.daemon_running() is False:
            return (
                f"{system}: cron, though no cron daemon runs, as no other scheduler is usable here: jobs fire "
                "only once it is started."
            )
        return f"{system}: cron is the standard scheduler."

    def platform_facts(self) -> tuple[PlatformFact, ...]:
        if not self.availability()[0]:
            return (PlatformFact("cron daemon", "cron not installed", Tone.WARN),)
        running = self.daemon_running()
        if running:
            return (PlatformFact("cron daemon", "running", Tone.OK),)
        if running is None:
            return (PlatformFact("cron daemon", "unknown", Tone.WARN),)
        return (PlatformFact("cron daemon", "not running: cron jobs will not fire", Tone.BAD),)

    def doctor_checks(self, auto_method: Method | None) -> list[CheckResult]:
        name = "cron daemon"
        if not self.availability()[0]:
            return [
                CheckResult(name, CheckStatus.WARN, "cron not installed", "Only needed for --method cron.")
            ]
        running = self.daemon_running()
        if running:
            return [CheckResult(name, CheckStatus.OK, "running", "")]
        start = (
            "sudo launchctl load -w /System/Library/LaunchDaemons/com.vix.cron.plist"
            if self.system == "Darwin"
            else "sudo systemctl start cron (or: sudo service cron start; without systemd: sudo cron)"
        )
        if running is None:
            return [
                CheckResult(
                    name, CheckStatus.WARN, "could not tell whether it runs", f"If jobs never run: {start}"
                )
            ]
        status = CheckStatus.FAIL if auto_method is METHOD else CheckStatus.WARN
        return [CheckResult(name, status, "not running: cron jobs will not fire", start)]

    def schedule_form(self, parsed: ParsedExpression | None) -> ScheduleForm | None:
        return None  # cron runs the expression as written

    def job_environment(self, job: NightlyJob, home: Path) -> dict[str, str]:
        if self.crontab.user:
            # Run now runs as whoever runs this tool: the logs it creates would be theirs, and the
            # user's own job could no longer append to them.
            raise SchedulerError(
                f"Run now runs the job as you, but this crontab belongs to {self.crontab.user}; run it as "
                f"that user instead (sudo -u {self.crontab.user} prompt-alchemy-scheduler-tui). Nothing was run."
            )
        return scheduler_environment(job, CRON_PATH, home)

    def list_jobs(self, now: datetime | None = None) -> JobListing:
        available, reason = self.availability()
        if not available:
            return JobListing(METHOD, False, (), (reason,))
        text = self.crontab.read()
        lines = job_lines(text)
        notes = [*_marked_notes(lines), *self._entry_notes(lines)]
        if self.daemon_running() is False:
            notes.append(
                "The cron daemon is not running: jobs will not fire (start it: sudo systemctl start cron)."
            )
        if text is None:
            notes.append("No crontab.")
        return JobListing(METHOD, True, _ours(lines, now), tuple(notes))

    def plan_install(self, job: NightlyJob) -> ChangePlan:
        if job.environment and self.crontab.user and not self._env_file_given:
            raise JobError(
                "--env cannot be combined with --crontab-user: the job reads its variables from a private "
                f"file that {self.crontab.user} would have to own. Install as that user instead."
            )
        if self.crontab.user and job.stdout_log.parent == private_log_directory():
            raise JobError(
                "--private-logs cannot be combined with --crontab-user: the log directory is yours, and "
                f"{self.crontab.user}'s job could not write to it. Install as that user instead."
            )
        if job.ping_url and self.recorder is None:
            raise JobError(
                "--ping cannot be combined with --crontab-user: the job pings through the run recorder in "
                "your state directory, which that user's job cannot run. Install as that user instead."
            )
        limit_notes = _open_files_notes(job)
        job = replace(job, number_of_files=None)  # what is installed, as `list_jobs` will read it back
        entry = render_line(job, self.env_file, recorder=self.recorder.script if self.recorder else None)
        before = _editable(self.crontab.read())
        after = with_entry(before, entry)
        lines = job_lines(before)
        env_after = render_env_file(job.environment) if job.environment else None
        return ChangePlan(
            method=METHOD,
            action=PlanAction.INSTALL,
            before=before,
            after=after,
            diff=unified_diff(before, after),
            new_entry=mask_text(entry),
            removed=_ours(lines),
            job=job,
            files=(
                *self._env_change(env_after, shown_env_file(job.environment) if env_after else None),
                *recorder_change(self.recorder),
            ),
            notes=(*_marked_notes(lines), *_newline_note(before), *limit_notes, *self._recording_note()),
        )

    def _recording_note(self) -> tuple[str, ...]:
        if self.recorder is not None:
            return ()
        return (
            f"Runs of {self.crontab.user}'s job are not recorded (the recorder lives in your state directory); "
            "install as that user to record them.",
        )

    def plan_uninstall(self) -> ChangePlan:
        before = _editable(self.crontab.read())
        after = without_entries(
            before, keep_empty=self.origin.was_empty(), newline_was_added=self.origin.lacked_final_newline()
        )
        lines = job_lines(before)
        removed = _ours(lines)
        notes = list(_marked_notes(lines))
        if before is not None and after is None:
            notes.append("Nothing else is left: the crontab will be removed (crontab -r).")
        if before and after == "":
            notes.append(
                "Nothing else is left: the crontab stays, empty, as it was before the job was added."
            )
        return ChangePlan(
            method=METHOD,
            action=PlanAction.UNINSTALL,
            before=before,
            after=after,
            diff=unified_diff(before, after),
            new_entry=None,
            removed=removed,
            files=self._env_change(None, None) if removed else (),
            notes=tuple(notes),
        )

    def plan_restore(self, backup: Backup) -> ChangePlan:
        before = self.crontab.read()
        after = _editable(self.backups.load(backup))
        notes = [f"Restores {backup.path}."]
        if before is not None and after is None:
            notes.append("The backup was taken when there was no crontab: the crontab will be removed.")
        return ChangePlan(
            method=METHOD,
            action=PlanAction.RESTORE,
            before=before,
            after=after,
            diff=unified_diff(before, after),
            new_entry=None,
            removed=_ours(job_lines(before)) if after is None else (),
            notes=tuple(notes),
        )

    def apply(self, plan: ChangePlan) -> ChangeResult:
        """Write the plan if the crontab is still what it was when planned; back it up first."""
        if not plan.changes:
            return ChangeResult(plan, None, "The crontab already says this; nothing was written.")
        with exclusive_lock(self.lock_path, "crontab"):
            self._check_crontab(plan)
            self._check_files(plan)
            backup = self.backups.save(plan.before)
            first_install = plan.action is PlanAction.INSTALL and not our_lines(plan.before)
            installs = [f for f in plan.files if f.after is not None]
            removals = [f for f in plan.files if f.after is None]
            if plan.job is not None:
                _prepare_logs(plan.job)
                owner = self._file_owner()
                prepare_records(self.recorder, owner[0] if owner else None)
            self._put_files(installs)
            try:
                self._check_crontab(plan)  # the last look: nothing else runs before the write
                if plan.after is None:
                    self.crontab.remove()
                else:
                    self.crontab.write(plan.after)
            except SchedulerError:
                self._put_files([_undo(f) for f in installs])
                raise
            written = self.crontab.read()
            if written != plan.after:
                raise SchedulerError(
                    "The crontab read back differs from what was written (another program changed it at "
                    f"the same moment?). Your previous crontab is in {backup} "
                    "(prompt-alchemy-scheduler-tui restore latest); look at `crontab -l`."
                )
            self._put_files(removals)
            if first_install:
                self.origin.remember(plan.before)
            elif plan.after is None or not our_lines(plan.after):
                self.origin.forget()
        note = (
            record_install(self.recorder, METHOD, owner=self._file_owner())
            if plan.job is not None and self.recorder
            else None
        )
        return ChangeResult(plan, backup, _done_message(plan, backup) + (f" {note}" if note else ""))

    def _check_crontab(self, plan: ChangePlan) -> None:
        if self.crontab.read() != plan.before:
            raise ConcurrentEditError(
                "The crontab changed since it was read (crontab -e or another program?). Nothing was "
                "written; look at the new state and try again."
            )

    def _check_files(self, plan: ChangePlan) -> None:
        for change in plan.files:
            if _read_or_error(change.path) != change.before:
                raise ConcurrentEditError(
                    f"{change.path} changed since it was read. Nothing was written; try again."
                )

    def _env_change(self, after: str | None, shown: str | None) -> tuple[FileChange, ...]:
        before = _read_or_error(self.env_file)
        if before is None and after is None:
            return ()
        return (FileChange(self.env_file, before, after, FILE_MODE, shown),)

    def _put_files(self, changes: list[FileChange]) -> None:
        for change in changes:
            try:
                put_text_file(change.path, change.after, change.mode, self._file_owner())
            except (OSError, KeyError) as error:
                raise SchedulerError(
                    f"Could not write {change.path} ({getattr(error, 'strerror', None) or error}); the crontab was not "
                    "changed. Make that directory writable or free some space."
                ) from error

    def _file_owner(self) -> tuple[int, int] | None:
        """Root editing another user's crontab writes that user's files as theirs (the job reads them)."""
        if not self.crontab.user:
            return None
        entry = pwd.getpwnam(self.crontab.user)
        return entry.pw_uid, entry.pw_gid

    def _entry_notes(self, lines: list[CrontabLine]) -> list[str]:
        notes = []
        for line in lines:
            parts = line.parts
            if parts is None:
                continue
            if parts.inline_environment:
                notes.append(
                    f"crontab line {line.number} (written by an earlier version) has environment values on "
                    "its command line, which `ps` shows to every local user while the job runs: install "
                    "again to move them into a private file."
                )
            if parts.env_file is not None and not parts.env_file.exists():
                notes.append(
                    f"crontab line {line.number} reads {parts.env_file}, which is missing: the job will "
                    "fail. Install again to write it."
                )
        return notes


def _ours(lines: list[CrontabLine], now: datetime | None = None) -> tuple[InstalledJob, ...]:
    """Our managed entries and the old Go tool's legacy lines, as installed jobs."""
    return tuple(_installed(line, now) for line in lines if line.kind in (LineKind.MANAGED, LineKind.LEGACY))


def _installed(line: CrontabLine, now: datetime | None) -> InstalledJob:
    schedule = Schedule(line.schedule)
    explanation = schedule.explain(count=1, start=now)
    return InstalledJob(
        method=METHOD,
        managed=line.kind is LineKind.MANAGED,
        expression=shown_text(line.schedule),
        description=shown_text(explanation.description or f"not understood: {explanation.error}"),
        next_run=explanation.next_runs[0] if explanation.next_runs else None,
        command=display_command(line.command),
        location=f"crontab line {line.number}",
        target=display_command(line.command),
        stdout_log=line.parts.stdout_log if line.parts else None,
        stderr_log=line.parts.stderr_log if line.parts else None,
        recorded=line.parts is not None and line.parts.recorder is not None,
        job=_installed_job(line),
    )


def _installed_job(line: CrontabLine) -> NightlyJob | None:
    """The job a line of ours (or the old Go tool's) runs, read back: its parts, and the variables of its
    environment file (or, for an earlier version's line, its inline assignments). None when that cannot
    be read whole: the file is missing, unreadable or no longer in the form this tool writes."""
    legacy = legacy_paths(line.command) if line.kind is LineKind.LEGACY else None
    parts = line.parts
    try:
        if legacy is not None:  # the old tool logged nowhere (cron mailed the output); ours logs to /tmp
            return NightlyJob(schedule=line.schedule, binary=legacy[0], config=legacy[1])
        if parts is None:
            return None
        environment = parts.inline_environment
        if parts.env_file is not None:
            text = read_text_file(parts.env_file)
            from_file = parse_env_file(text) if text is not None else None
            if from_file is None:
                return None
            environment = tuple({**dict(from_file), **dict(environment)}.items())
        return NightlyJob(
            schedule=line.schedule,
            binary=parts.binary,
            config=parts.config,
            environment=environment,
            stdout_log=parts.stdout_log,
            stderr_log=parts.stderr_log,
            timeout_seconds=parts.timeout_seconds,
            data_dir=parts.data_dir,
            ping_url=parts.ping_url,
        )
    except (OSError, JobError):
        return None


def _marked_notes(lines: list[CrontabLine]) -> tuple[str, ...]:
    return tuple(
        f"crontab line {line.number} carries this tool's marker but is not a line it wrote; it is left "
        f"alone: {shown_text(mask_text(line.text))}"
        for line in lines
        if line.kind is LineKind.MARKED
    )


def _open_files_notes(job: NightlyJob) -> tuple[str, ...]:
    if job.number_of_files is None:
        return ()
    return (
        f"cron sets no open-files limit: the limit of {job.number_of_files} is not written (launchd and "
        "systemd set one); the job gets the limit cron itself runs with.",
    )


def _newline_note(before: str | None) -> tuple[str, ...]:
    if before and not before.endswith("\n"):
        return (
            "Your crontab's last line has no final newline; crontab(1) refuses a file without one, so "
            "one is added before the new entry.",
        )
    return ()


def _prepare_logs(job: NightlyJob) -> None:
    try:
        prepare_log_directory(job.stdout_log)
    except OSError as error:
        raise SchedulerError(f"{error} Nothing was written to the crontab.") from error


def _editable(text: str | None) -> str | None:
    """`text`, unless it holds `\\r` or `\\b`: Debian's `crontab -l` shows a carriage return or a
    backspace that way (cron 3.0pl1-149, Debian bug #585552), so such text cannot be told from what the
    file really holds, and writing it back would turn those characters into a backslash and a letter."""
    match = _LISTED_ESCAPE.search(text or "")
    if text is not None and match is not None:
        number = text[: match.start()].count("\n") + 1
        raise SchedulerError(
            f"Crontab line {number} holds `\\r` or `\\b`. Debian's crontab -l shows a carriage return or a "
            "backspace that way, so this tool cannot tell what that line really holds and will not rewrite "
            "it; nothing was written. Edit with `crontab -e` instead (add or remove the job line by hand)."
        )
    return text


def _read_or_error(path: Path) -> str | None:
    try:
        return read_text_file(path)
    except OSError as error:
        raise SchedulerError(f"Cannot read {path}: {error.strerror or error}") from error


def _undo(change: FileChange) -> FileChange:
    return FileChange(change.path, change.after, change.before, change.mode, None)


def _done_message(plan: ChangePlan, backup: Path) -> str:
    done = {
        "install": "Installed the cron job",
        "uninstall": f"Removed {len(plan.removed)} cron job(s)",
        "restore": "Restored the crontab",
    }[plan.action]
    legacy = [
        f" Removed the old `prompt-alchemy schedule` entry at {job.location}: {job.expression} {job.command}."
        for job in plan.removed
        if not job.managed
    ]
    return f"{done}.{''.join(legacy)} Previous crontab saved to {backup}."
