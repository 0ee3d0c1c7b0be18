"""The launchd scheduler: our LaunchAgent plist, loaded with launchctl, restored on failure."""

from __future__ import annotations

import contextlib
import os
import re
import shlex
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from prompt_alchemy_scheduler_tui.backends.backup_store import Backup, BackupStore
from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult
from prompt_alchemy_scheduler_tui.backends.cron_description import describe
from prompt_alchemy_scheduler_tui.backends.cron_syntax import ParsedExpression, parse_expression
from prompt_alchemy_scheduler_tui.backends.job_command import TIMEOUT_PROGRAMS, parse_nightly_argv
from prompt_alchemy_scheduler_tui.backends.launchctl import Launchctl
from prompt_alchemy_scheduler_tui.backends.launchd_calendar import (
    LaunchdConversionError,
    intervals_from_plist,
    next_launchd_run,
    to_launchd,
)
from prompt_alchemy_scheduler_tui.backends.launchd_plist import (
    PLIST_NAME,
    agents_dir,
    build_plist,
    launchd_path,
    plist_bytes,
    read_plist,
)
from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.log_safety import prepare_log_directory
from prompt_alchemy_scheduler_tui.backends.nightly_job import (
    DEFAULT_STDERR_LOG,
    DEFAULT_STDOUT_LOG,
    LABEL,
    JobError,
    NightlyJob,
)
from prompt_alchemy_scheduler_tui.backends.private_files import read_regular_file, write_atomically
from prompt_alchemy_scheduler_tui.backends.recorder_install import (
    install_recorder,
    record_install,
    recorder_change,
)
from prompt_alchemy_scheduler_tui.backends.run_now import scheduler_environment
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder, split_scheduled_argv
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    ChangePlan,
    ChangeResult,
    ConcurrentEditError,
    InstalledJob,
    JobListing,
    Method,
    PlanAction,
    PlatformFact,
    ScheduleForm,
    SchedulerError,
    Tone,
)
from prompt_alchemy_scheduler_tui.backends.secret_masking import MASK, is_secret, mask_text, mask_value
from prompt_alchemy_scheduler_tui.backends.state_lock import exclusive_lock
from prompt_alchemy_scheduler_tui.backends.text_diff import unified_diff
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone

METHOD = Method.LAUNCHD
_DEFAULT_LOGS = {"StandardOutPath": DEFAULT_STDOUT_LOG, "StandardErrorPath": DEFAULT_STDERR_LOG}


class LaunchdBackend:
    """Owns exactly one file, ~/Library/LaunchAgents/com.prompt-alchemy.nightly.plist (also the old Go tool's)."""

    method = METHOD
    help_text = "launchd: a LaunchAgent plist (macOS only); a run missed while asleep runs on wake"
    catches_up_missed_runs = True
    missed_runs_policy = "launchd runs a run missed while asleep once, on wake"
    extra_columns = ("Loaded", "PID", "Last exit")

    def __init__(
        self,
        directory: Path | None = None,
        launchctl: Launchctl | None = None,
        backups: BackupStore | None = None,
        system: str | None = None,
        recorder: RunRecorder | None = None,
    ) -> None:
        self.directory = directory or agents_dir()
        self.recorder = recorder or RunRecorder.default()
        self.launchctl = launchctl or Launchctl()
        self.backups = backups or BackupStore(kind="launchd")
        self.system = system or os.uname().sysname

    @property
    def path(self) -> Path:
        return self.directory / PLIST_NAME

    def availability(self) -> tuple[bool, str]:
        if self.system != "Darwin":
            return False, f"launchd exists only on macOS (this is {self.system}); use --method cron."
        try:
            return True, self.launchctl.executable()
        except SchedulerError as error:
            return False, str(error)

    def auto_rank(self, system: str) -> int | None:
        return 0 if system == "Darwin" else None

    def auto_reason(self, system: str, first_choice: bool) -> str:
        return "macOS: launchd is the native scheduler and runs jobs missed during sleep."

    def platform_facts(self) -> tuple[PlatformFact, ...]:
        try:
            return (PlatformFact("launchctl", self.launchctl.executable(), Tone.PLAIN),)
        except SchedulerError:
            return (PlatformFact("launchctl", "not available (macOS only)", Tone.MUTED),)

    def doctor_checks(self, auto_method: Method | None) -> list[CheckResult]:
        return []

    def schedule_form(self, parsed: ParsedExpression | None) -> ScheduleForm:
        """launchd's calendar intervals for the schedule, or why launchd cannot run it as cron would."""
        if parsed is None:
            return ScheduleForm(
                METHOD,
                None,
                "invalid expression",
                {"intervals": None, "count": 0, "error": "invalid expression"},
            )
        try:
            intervals = to_launchd(parsed).intervals
        except LaunchdConversionError as error:
            return ScheduleForm(
                METHOD, None, str(error), {"intervals": None, "count": 0, "error": str(error)}
            )
        data = {"intervals": [dict(i) for i in intervals], "count": len(intervals), "error": None}
        return ScheduleForm(METHOD, f"{len(intervals)} calendar interval(s)", None, data)

    def job_environment(self, job: NightlyJob, home: Path) -> dict[str, str]:
        return scheduler_environment(job, launchd_path(job), home)

    def plan_restore(self, backup: Backup) -> ChangePlan:
        """Putting a saved plist back (and loading it), or removing ours when none existed then."""
        before = self._current_text()
        after = self.backups.load(backup)
        commands = self._load_commands() if after is not None else self._removal_commands()
        return ChangePlan(
            method=METHOD,
            action=PlanAction.RESTORE,
            before=before,
            after=after,
            diff=unified_diff(_masked(before), _masked(after), name=PLIST_NAME),
            new_entry=None,
            commands=commands,
            path=self.path,
            notes=(f"Restores {backup.path}.",),
            entry_syntax="xml",
        )

    def list_jobs(self, now: datetime | None = None) -> JobListing:
        available, reason = self.availability()
        plist = read_plist(self.path)
        if not available and plist is None:
            return JobListing(METHOD, False, (), (reason,), self.extra_columns)
        if plist is None:
            notes = ("Unreadable plist at " + str(self.path),) if self.path.exists() else ()
            return JobListing(METHOD, available, (), notes, self.extra_columns)
        status = self.launchctl.status(LABEL) if available else None
        job = _installed(self.path, plist, now or datetime.now(local_zone()))
        if status is not None:
            pid = "—" if status.pid is None else str(status.pid)
            last = "—" if status.last_exit_status is None else str(status.last_exit_status)
            line = "loaded" if status.loaded else "not loaded"
            line += f", pid {status.pid}" if status.pid is not None else ""
            line += f", last exit {status.last_exit_status}" if status.last_exit_status is not None else ""
            job = replace(
                job,
                loaded=status.loaded,
                pid=status.pid,
                last_exit_status=status.last_exit_status,
                extra=("yes" if status.loaded else "no", pid, last),
                status=line,
            )
        return JobListing(METHOD, available, (job,), () if available else (reason,), self.extra_columns)

    def plan_install(self, job: NightlyJob) -> ChangePlan:
        """The plist XML and the launchctl calls; raises JobError when launchd cannot express the schedule."""
        try:
            schedule = to_launchd(parse_expression(job.schedule))
        except LaunchdConversionError as error:
            raise JobError(str(error)) from error
        content = plist_bytes(build_plist(job, schedule, recorder=self.recorder.script))
        before = self._current_text()
        after = content.decode("utf-8")
        removed = self._existing_jobs()
        mode = "0600" if job.has_secret else "0644"
        return ChangePlan(
            method=METHOD,
            action=PlanAction.INSTALL,
            before=before,
            after=after,
            diff=unified_diff(_masked(before), _masked(after), name=PLIST_NAME),
            new_entry=shown_plist_text(after),
            commands=self._load_commands(),
            removed=removed,
            path=self.path,
            notes=(f"{len(schedule.intervals)} calendar interval(s); file mode {mode}.",),
            job=job,
            files=recorder_change(self.recorder),
        )

    def plan_uninstall(self) -> ChangePlan:
        before = self._current_text()
        removed = self._existing_jobs()
        commands = self._removal_commands()
        return ChangePlan(
            method=METHOD,
            action=PlanAction.UNINSTALL,
            before=before,
            after=None,
            diff=unified_diff(_masked(before), None, name=PLIST_NAME),
            new_entry=None,
            commands=commands,
            removed=removed,
            path=self.path,
        )

    def apply(self, plan: ChangePlan) -> ChangeResult:
        available, reason = self.availability()
        if not available:
            raise SchedulerError(reason)
        with exclusive_lock(self.backups.directory.parent / "launchd.lock", "LaunchAgent plist"):
            return self._apply_locked(plan)

    def _apply_locked(self, plan: ChangePlan) -> ChangeResult:
        if self._current_text() != plan.before:
            raise ConcurrentEditError(
                f"{self.path} changed since it was read; nothing was done. Look again and retry."
            )
        if not plan.changes:
            return ChangeResult(plan, None, "launchd already has this job; nothing was done.")
        backup = self.backups.save(plan.before) if plan.before is not None else None
        if plan.after is None:
            self.launchctl.unload(LABEL, self.path)
            self.path.unlink(missing_ok=True)
            return ChangeResult(plan, backup, f"Removed the launchd job ({self.path})." + _saved(backup))
        self._install(plan)
        note = record_install(self.recorder, METHOD)
        return ChangeResult(
            plan,
            backup,
            f"Installed the launchd job ({self.path}) and loaded it."
            + _saved(backup)
            + (f" {note}" if note else ""),
        )

    def _install(self, plan: ChangePlan) -> None:
        assert plan.after is not None
        previous = read_regular_file(self.path, follow_links=True)
        try:
            if plan.job is not None:
                prepare_log_directory(plan.job.stdout_log)
        except OSError as error:
            raise SchedulerError(f"{error} Nothing was changed.") from error
        install_recorder(self.recorder, plan.files)
        was_loaded = self.launchctl.status(LABEL).loaded
        self.launchctl.unload(LABEL, self.path)
        try:
            content = plan.after.encode("utf-8")
            write_atomically(self.path, content, 0o600 if _plist_has_secret(content) else 0o644)
            self.launchctl.load(self.path)
        except (SchedulerError, OSError) as error:
            self._put_back(previous, was_loaded)
            raise SchedulerError(f"{error} The previous launchd job was put back as it was.") from error

    def _put_back(self, previous: bytes | None, was_loaded: bool) -> None:
        if previous is None:
            self.path.unlink(missing_ok=True)
            return
        write_atomically(self.path, previous, 0o600 if _plist_has_secret(previous) else 0o644)
        if was_loaded:
            # The first error is the one the user needs; the file is back in place either way.
            with contextlib.suppress(SchedulerError):
                self.launchctl.load(self.path)

    def _load_commands(self) -> tuple[str, ...]:
        """The launchctl calls that (re)load our plist, as shown in a plan."""
        return tuple(shlex.join(command) for command in self.launchctl.install_commands(LABEL, self.path))

    def _removal_commands(self) -> tuple[str, ...]:
        """The calls that unload and delete our plist, when there is one."""
        if not self.path.exists():
            return ()
        unload = (shlex.join(command) for command in self.launchctl.uninstall_commands(LABEL))
        return (*unload, shlex.join(["rm", str(self.path)]))

    def _existing_jobs(self) -> tuple[InstalledJob, ...]:
        """The job our plist describes now (what an install replaces or an uninstall removes)."""
        existing = read_plist(self.path)
        return (_installed(self.path, existing, datetime.now(local_zone())),) if existing is not None else ()

    def _current_text(self) -> str | None:
        try:
            data = read_regular_file(self.path, follow_links=True)
            return None if data is None else data.decode("utf-8", errors="surrogateescape")
        except OSError as error:
            raise SchedulerError(f"Cannot read {self.path}: {error.strerror or error}") from error


def _installed(path: Path, plist: dict[str, Any], now: datetime) -> InstalledJob:
    intervals = intervals_from_plist(plist.get("StartCalendarInterval", []))
    expression = intervals_to_expression(intervals)
    description = (
        describe(parse_expression(expression))
        if expression
        else f"{len(intervals)} launchd calendar intervals"
    )
    arguments = [str(a) for a in plist.get("ProgramArguments", [])]
    environment = plist.get("EnvironmentVariables")
    shown_env = [f"{k}={mask_value(k, str(v))}" for k, v in (environment or {}).items() if k != "PATH"]
    return InstalledJob(
        method=METHOD,
        managed=isinstance(environment, dict),  # the old Go tool wrote no EnvironmentVariables
        expression=expression or "(launchd intervals)",
        description=description,
        next_run=next_launchd_run(intervals, now) if intervals else None,
        command=shown_text(mask_text(" ".join([*shown_env, shlex.join(arguments)]))),
        location=str(path),
        target=str(path),
        extra=("no", "—", "—"),  # until launchctl says otherwise
        stdout_log=_path_or_none(plist.get("StandardOutPath")),
        stderr_log=_path_or_none(plist.get("StandardErrorPath")),
        recorded=split_scheduled_argv(arguments) is not None,
        job=_installed_job(plist, expression),
    )


def _installed_job(plist: dict[str, Any], expression: str | None) -> NightlyJob | None:
    """The job a plist runs, read back from ProgramArguments (`timeout N` first when it has a time limit),
    EnvironmentVariables (without the PATH this tool adds), SoftResourceLimits and the two log paths;
    None for a plist this tool could not have written (intervals no cron expression gives, other
    arguments, values of the wrong type)."""
    arguments = plist.get("ProgramArguments")
    variables = plist.get("EnvironmentVariables", {})
    limits = plist.get("SoftResourceLimits", {})
    if (
        expression is None
        or not isinstance(arguments, list)
        or not all(isinstance(word, str) for word in arguments)
        or not isinstance(variables, dict)
        or not all(isinstance(value, str) for value in variables.values())
        or not isinstance(limits, dict)
    ):
        return None
    recorded = split_scheduled_argv(arguments)
    if recorded is not None:
        arguments = recorded.job_argv
    timeout = None
    if len(arguments) > 2 and os.path.basename(arguments[0]) in TIMEOUT_PROGRAMS and arguments[1].isdigit():
        timeout, arguments = int(arguments[1]), arguments[2:]
    files = limits.get("NumberOfFiles")
    if files is not None and (not isinstance(files, int) or isinstance(files, bool)):
        return None
    nightly = parse_nightly_argv(arguments)
    if nightly is None:
        return None
    logs = {key: plist.get(key, str(default)) for key, default in _DEFAULT_LOGS.items()}
    try:
        job = NightlyJob(
            schedule=expression,
            binary=nightly.binary,
            config=nightly.config,
            stdout_log=Path(logs["StandardOutPath"]),
            stderr_log=Path(logs["StandardErrorPath"]),
            timeout_seconds=timeout,
            number_of_files=files,
            data_dir=nightly.data_dir,
            ping_url=recorded.ping_url if recorded is not None else None,
        )
        added = launchd_path(job)
        environment = tuple((k, v) for k, v in variables.items() if (k, v) != ("PATH", added))
        return replace(job, environment=environment)
    except (JobError, TypeError, ValueError):
        return None


def intervals_to_expression(intervals: tuple[dict[str, int], ...]) -> str | None:
    """A cron expression whose exact conversion gives back these intervals, or None (hand-made plists)."""
    if not intervals:
        return None
    fields = []
    for key in ("Minute", "Hour", "Day", "Month", "Weekday"):
        values = sorted({interval[key] for interval in intervals if key in interval})
        fields.append(",".join(str(v) for v in values) if values else "*")
    expression = " ".join(fields)
    try:
        converted = to_launchd(parse_expression(expression)).intervals
    except (LaunchdConversionError, ValueError):
        return None
    as_set = {frozenset(i.items()) for i in converted}
    return expression if as_set == {frozenset(i.items()) for i in intervals} else None


def _plist_has_secret(content: bytes) -> bool:
    import plistlib  # imported on first use: start-up does not need it

    try:
        value = plistlib.loads(content)
    except Exception:
        return True  # unknown: keep it private
    env = value.get("EnvironmentVariables") if isinstance(value, dict) else None
    return isinstance(env, dict) and any(is_secret(str(k), str(v)) for k, v in env.items())


_PLIST_STRING_VALUE = re.compile(r"(<key>(?P<key>[^<]*)</key>\s*<string>)(?P<value>[^<]*)(</string>)")


def shown_plist_text(text: str) -> str:
    """The plist's XML as people see it: the value of every secret-looking key or value masked."""

    def mask(match: re.Match[str]) -> str:
        secret = is_secret(match["key"], match["value"]) and match["value"]
        return match[1] + (MASK if secret else match["value"]) + match[4]

    return shown_text(mask_text(_PLIST_STRING_VALUE.sub(mask, text)))


def _masked(text: str | None) -> str | None:
    return None if text is None else shown_plist_text(text)


def _path_or_none(value: object) -> Path | None:
    return Path(value) if isinstance(value, str) and value else None


def _saved(backup: Path | None) -> str:
    return f" Previous plist saved to {backup}." if backup else ""
