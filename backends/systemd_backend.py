"""The systemd scheduler: our user timer and service in ~/.config/systemd/user, enabled with
`systemctl --user`, backed up before every change and put back when a systemctl call fails.

Applying holds this tool's lock, checks that both units and the environment file are still what the
plan was made from, saves them (BackupStore kind "systemd"), writes the files atomically, then runs
`daemon-reload` and `enable --now`. If any systemctl call fails, the previous files come back, and so
does the timer's previous enabled and active state; the error says so.

Before an installed timer is replaced by one with another schedule, it is stopped and its
`Persistent=` stamp removed (`systemctl --user clean --what=state`, as systemd.timer(5) advises before
uninstalling): systemd computes a timer's next elapse from its last trigger, so the new schedule would
otherwise count from the old schedule's last run and could start the job at once.
"""

from __future__ import annotations

import contextlib
import os
import platform
import pwd
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from prompt_alchemy_scheduler_tui.backends.backup_store import Backup, BackupStore
from prompt_alchemy_scheduler_tui.backends.check_result import CheckResult
from prompt_alchemy_scheduler_tui.backends.cron_description import describe
from prompt_alchemy_scheduler_tui.backends.cron_syntax import (
    CronSyntaxError,
    ParsedExpression,
    parse_expression,
)
from prompt_alchemy_scheduler_tui.backends.job_env_file import put_text_file, read_text_file
from prompt_alchemy_scheduler_tui.backends.log_safety import prepare_log_directory
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError, NightlyJob
from prompt_alchemy_scheduler_tui.backends.private_files import read_regular_file, write_atomically
from prompt_alchemy_scheduler_tui.backends.recorder_install import (
    install_recorder,
    record_install,
    recorder_change,
)
from prompt_alchemy_scheduler_tui.backends.run_recorder import RunRecorder
from prompt_alchemy_scheduler_tui.backends.run_times import NeverFiresError, next_runs
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
)
from prompt_alchemy_scheduler_tui.backends.secret_masking import mask_text
from prompt_alchemy_scheduler_tui.backends.state_lock import exclusive_lock
from prompt_alchemy_scheduler_tui.backends.systemctl import (
    Linger,
    Loginctl,
    ManagerState,
    Systemctl,
)
from prompt_alchemy_scheduler_tui.backends.systemd_calendar import SystemdConversionError, to_on_calendar
from prompt_alchemy_scheduler_tui.backends.systemd_checks import MIN_VERSION, doctor_checks, platform_facts
from prompt_alchemy_scheduler_tui.backends.systemd_plans import (
    UnitPaths,
    done_message,
    install_commands,
    removal_commands,
    shown_command,
    shown_units,
    units_diff,
    without_ours,
)
from prompt_alchemy_scheduler_tui.backends.systemd_state import TimerState, UnitFiles, timer_state, with_state
from prompt_alchemy_scheduler_tui.backends.systemd_units import (
    ENV_FILE_MODE,
    ENV_FILE_NAME,
    SERVICE_NAME,
    TIMER_NAME,
    UNIT_FILE_MODE,
    ServiceParts,
    UnitKind,
    classify,
    parse_env_file,
    parse_service,
    parse_timer,
    render_env_file,
    render_service,
    render_timer,
    service_parts,
    shown_env_file,
    user_unit_directory,
)
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone

METHOD = Method.SYSTEMD
# systemd.exec(5), $PATH: the user manager's compiled-in search path ("/usr/local/sbin:/usr/local/bin:
# /usr/sbin:/usr/bin", plus ":/sbin:/bin" where /usr is split, as Debian builds it). Used for "run now"
# only when the manager cannot be asked for its own.
USER_MANAGER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class SystemdBackend:
    """Owns exactly prompt-alchemy-nightly.service and .timer in the user unit directory, and the job's
    environment file; never another unit, nor units of that name it did not write."""

    method = METHOD
    help_text = (
        "systemd: a user timer and service (Linux with a systemd user manager); "
        "a run missed while off or asleep runs on wake"
    )
    catches_up_missed_runs = True
    missed_runs_policy = "the timer (Persistent=true) runs a missed run once the machine is back"
    extra_columns = ("Enabled", "Active", "Last result")

    def __init__(
        self,
        directory: Path | None = None,
        systemctl: Systemctl | None = None,
        loginctl: Loginctl | None = None,
        backups: BackupStore | None = None,
        state_dir: Path | None = None,
        system: str | None = None,
        user: str | None = None,
        crontab_user: str | None = None,
        recorder: RunRecorder | None = None,
    ) -> None:
        self.directory = directory or user_unit_directory()
        self.systemctl = systemctl or Systemctl()
        self.loginctl = loginctl or Loginctl()
        self.backups = backups or BackupStore(kind="systemd")
        self.state_dir = state_dir or self.backups.directory.parent
        self.env_file = self.state_dir / ENV_FILE_NAME
        self.recorder = recorder or RunRecorder.default(self.state_dir)
        self.system = system or platform.system()
        self.user = user or _user_name()
        self.crontab_user = crontab_user
        # Asked once per instance (a refresh builds a new one), like cron's daemon check.
        self._manager: ManagerState | None = None
        self._version: tuple[int | None] | None = None
        self._linger: Linger | None = None

    @property
    def service_path(self) -> Path:
        return self.directory / SERVICE_NAME

    @property
    def timer_path(self) -> Path:
        return self.directory / TIMER_NAME

    @property
    def paths(self) -> UnitPaths:
        return UnitPaths(self.service_path, self.timer_path)

    @property
    def lock_path(self) -> Path:
        return self.state_dir / "systemd.lock"

    # What this machine offers.

    def manager(self) -> ManagerState:
        if self._manager is None:
            try:
                self._manager = self.systemctl.manager()
            except SchedulerError as error:
                self._manager = ManagerState(False, str(error))
        return self._manager

    def version(self) -> int | None:
        if self._version is None:
            self._version = (self.systemctl.version(),)
        return self._version[0]

    def linger(self) -> Linger:
        if self._linger is None:
            self._linger = self.loginctl.linger(self.user)
        return self._linger

    def availability(self) -> tuple[bool, str]:
        if self.system != "Linux":
            return (
                False,
                f"systemd user timers exist only on Linux (this is {self.system}); use --method cron.",
            )
        if self.crontab_user and self.crontab_user != self.user:
            return False, (
                f"--crontab-user {self.crontab_user}: systemd user timers belong to the user's own manager; "
                f"run this tool as {self.crontab_user} to use them."
            )
        try:
            executable = self.systemctl.executable()
        except SchedulerError as error:
            return False, str(error)
        manager = self.manager()
        if not manager.reachable:
            return False, f"No systemd user manager is reachable ({manager.detail}); use --method cron."
        version = self.version()
        if version is not None and version < MIN_VERSION:
            return False, (
                f"systemd {version} is older than {MIN_VERSION}, which the job's logs need "
                "(StandardOutput=append:); use --method cron."
            )
        return True, executable

    def auto_rank(self, system: str) -> int | None:
        return 1 if system == "Linux" else None  # after cron with a running daemon, before cron without

    def auto_reason(self, system: str, first_choice: bool) -> str:
        if first_choice:
            return (
                f"{system} without a running cron daemon, with a systemd user manager: systemd user timers "
                "(a run missed while off or asleep runs on wake)."
            )
        return f"{system}: systemd user timers, as cron is not usable here."

    def platform_facts(self) -> tuple[PlatformFact, ...]:
        return platform_facts(self)

    def doctor_checks(self, auto_method: Method | None) -> list[CheckResult]:
        if self.system != "Linux":
            return []
        installed = self._has_our_units()
        return doctor_checks(self, installed=installed, needed=installed or auto_method is METHOD)

    def schedule_form(self, parsed: ParsedExpression | None) -> ScheduleForm:
        """The `OnCalendar=` lines systemd would be given, or why it cannot run the schedule as cron does."""
        if parsed is None:
            return ScheduleForm(
                METHOD, None, "invalid expression", {"on_calendar": None, "error": "invalid expression"}
            )
        try:
            lines = to_on_calendar(parsed)
        except SystemdConversionError as error:
            return ScheduleForm(METHOD, None, str(error), {"on_calendar": None, "error": str(error)})
        return ScheduleForm(
            METHOD, "OnCalendar=" + " or ".join(lines), None, {"on_calendar": list(lines), "error": None}
        )

    def job_environment(self, job: NightlyJob, home: Path) -> dict[str, str]:
        """What a user service gets (systemd.exec(5), "Environment variables in spawned processes"):
        USER, LOGNAME, HOME and the login SHELL set by the manager, then the manager's own environment
        (it passes all of it on, PATH included), then the job's variables."""
        manager = self.manager()
        inherited = dict(manager.environment) if manager.reachable else {}
        defined = {
            "PATH": inherited.get("PATH") or USER_MANAGER_PATH,
            "HOME": str(home),
            "USER": self.user,
            "LOGNAME": self.user,
            "SHELL": _login_shell() or "/bin/sh",
        }
        return {**defined, **inherited, **dict(job.environment)}

    # Listing and planning.

    def list_jobs(self, now: datetime | None = None) -> JobListing:
        available, reason = self.availability()
        try:
            current = self._read()
        except SchedulerError as error:  # a unit we cannot read is reported; systemd itself is still there
            unreadable = (str(error),) if available else (str(error), reason)
            return JobListing(METHOD, available, (), unreadable, self.extra_columns)
        notes = self._notes(current)
        job = self._installed(current, now or datetime.now(local_zone()))
        if job is None:
            if not available and not notes:
                return JobListing(METHOD, False, (), (reason,), self.extra_columns)
            return JobListing(
                METHOD, available, (), tuple(notes if available else [*notes, reason]), self.extra_columns
            )
        if not available:
            return JobListing(METHOD, False, (job,), (*notes, reason), self.extra_columns)
        try:
            state = self.timer_state()
        except SchedulerError as error:
            return JobListing(
                METHOD, True, (job,), (*notes, f"Timer state unknown: {error}"), self.extra_columns
            )
        return JobListing(METHOD, True, (with_state(job, state),), tuple(notes), self.extra_columns)

    def plan_install(self, job: NightlyJob) -> ChangePlan:
        """Both units, the environment file and the systemctl calls; JobError for what systemd cannot run."""
        try:
            on_calendar = to_on_calendar(parse_expression(job.schedule))
        except (SystemdConversionError, CronSyntaxError) as error:
            raise JobError(str(error)) from error
        wanted = UnitFiles(
            render_service(service_parts(job, self.env_file, self.recorder.script)),
            render_timer(job.schedule, on_calendar),
            render_env_file(job.environment) if job.environment else None,
        )
        current = self._read()
        self._refuse_others(current, "installed")
        notes = [
            f"{len(on_calendar)} OnCalendar= line(s); Persistent=true: a run missed while the machine was off "
            "or asleep runs once when it is back.",
            *self._linger_notes(),
        ]
        if current.timer is not None and current.timer != wanted.timer:
            notes.append(
                "The installed timer is stopped and its Persistent= stamp removed first, so the new schedule "
                "counts from now rather than from the old schedule's last run."
            )
        return ChangePlan(
            method=METHOD,
            action=PlanAction.INSTALL,
            before=current.units,
            after=wanted.units,
            diff=units_diff(self.paths, current, wanted),
            new_entry=shown_units(self.paths, wanted),
            commands=install_commands(current, wanted),
            removed=self._existing(current),
            path=self.timer_path,
            notes=tuple(notes),
            job=job,
            files=(
                *self._env_change(
                    current, wanted, shown_env_file(job.environment) if job.environment else None
                ),
                *recorder_change(self.recorder),
            ),
            entry_syntax="ini",
        )

    def plan_uninstall(self) -> ChangePlan:
        current = self._read()
        wanted = without_ours(current)
        return ChangePlan(
            method=METHOD,
            action=PlanAction.UNINSTALL,
            before=current.units,
            after=wanted.units,
            diff=units_diff(self.paths, current, wanted),
            new_entry=None,
            commands=removal_commands(self.paths, current, wanted),
            removed=self._existing(current),
            path=self.timer_path,
            notes=tuple(self._notes(current)),
            files=self._env_change(current, wanted, None),
            entry_syntax="ini",
        )

    def plan_restore(self, backup: Backup) -> ChangePlan:
        """Putting saved units (and their environment file) back, and enabling the timer again."""
        saved = UnitFiles.from_text(self.backups.load(backup))
        current = self._read()
        self._refuse_others(current, "restored")
        restoring = saved.units is not None
        commands = (
            install_commands(current, saved) if restoring else removal_commands(self.paths, current, saved)
        )
        shown = None
        if saved.environment is not None:
            variables = parse_env_file(saved.environment)
            shown = shown_env_file(variables) if variables is not None else mask_text(saved.environment)
        return ChangePlan(
            method=METHOD,
            action=PlanAction.RESTORE,
            before=current.units,
            after=saved.units,
            diff=units_diff(self.paths, current, saved),
            new_entry=shown_units(self.paths, saved) if restoring else None,
            commands=commands,
            removed=self._existing(current) if not restoring else (),
            path=self.timer_path,
            notes=(f"Restores {backup.path}.",),
            files=self._env_change(current, saved, shown),
            entry_syntax="ini",
        )

    # Applying.

    def apply(self, plan: ChangePlan) -> ChangeResult:
        available, reason = self.availability()
        if not available:
            raise SchedulerUnavailableError(reason)
        with exclusive_lock(self.lock_path, "systemd units"):
            current = self._read()
            if current.units != plan.before or any(current.environment != f.before for f in plan.files):
                raise ConcurrentEditError(
                    f"The units in {self.directory} or the environment file changed since they were read; "
                    "nothing was done. Look again and retry."
                )
            if not plan.changes:
                return ChangeResult(plan, None, "systemd already has this job; nothing was done.")
            env_changes = [change for change in plan.files if change.path == self.env_file]
            environment = env_changes[0].after if env_changes else current.environment
            wanted = replace(UnitFiles.from_text(plan.after), environment=environment)
            if plan.job is not None:
                try:
                    prepare_log_directory(plan.job.stdout_log)
                except OSError as error:
                    raise SchedulerError(f"{error} Nothing was changed.") from error
            backup = self.backups.save(current.saved()) if current.units is not None else None
            previous = self.timer_state() if classify(current.timer, parse_timer) is UnitKind.OURS else None
            if plan.job is not None:
                install_recorder(self.recorder, plan.files)
            notes = self._carry_out(plan, current, wanted, previous)
            if plan.job is not None and (note := record_install(self.recorder, METHOD)):
                notes.append(note)
        return ChangeResult(plan, backup, done_message(plan, self.timer_path, backup, notes))

    def _carry_out(
        self, plan: ChangePlan, current: UnitFiles, wanted: UnitFiles, previous: TimerState | None
    ) -> list[str]:
        """Stop, write, reload, enable; on a failed call or write, put everything back as it was."""
        notes: list[str] = []
        ours_before = classify(current.timer, parse_timer) is UnitKind.OURS
        try:
            if wanted.timer is None:
                if ours_before:
                    self.systemctl.call("disable", "--now", TIMER_NAME)
                    notes += self._clean_state()
                self._write(wanted, current)
                self.systemctl.call("daemon-reload")
                return notes
            if ours_before and current.timer != wanted.timer:
                self.systemctl.call("stop", TIMER_NAME)
                notes += self._clean_state()
            self._write(wanted, current)
            if current.units != wanted.units:
                self.systemctl.call("daemon-reload")
            self.systemctl.call("enable", "--now", TIMER_NAME)
            return notes
        except (SchedulerError, OSError) as error:
            words = getattr(error, "strerror", None) if isinstance(error, OSError) else None
            raise SchedulerError(f"{words or error} {self._put_back(current, previous)}") from error

    def _put_back(self, previous: UnitFiles, state: TimerState | None) -> str:
        """Restore the files and the timer's enabled/active state of before; say what was done."""
        problems: list[str] = []

        def attempt(*args: str) -> None:
            try:
                self.systemctl.call(*args)
            except SchedulerError as error:
                problems.append(str(error))

        if self.timer_path.exists() and not (state and state.is_enabled):
            attempt("disable", "--now", TIMER_NAME)
        try:
            self._write(previous, self._read())
        except (OSError, SchedulerError) as error:
            return f"Putting the previous units back failed too ({error}); look at {self.directory}."
        attempt("daemon-reload")
        if state is not None and state.is_enabled:
            attempt("enable", TIMER_NAME)
        if state is not None and state.is_active:
            attempt("start", TIMER_NAME)
        if previous.units is None:
            said = "Nothing was left installed."
        else:
            again = [
                w
                for w, on in (("enabled", state and state.is_enabled), ("started", state and state.is_active))
                if on
            ]
            said = "The previous units were put back" + (
                f" and {' and '.join(again)} again." if again else "."
            )
        return said + (f" (While putting them back: {'; '.join(problems)}.)" if problems else "")

    def _clean_state(self) -> list[str]:
        """Remove the timer's Persistent= stamp; a manager that cannot (before systemd 243) only earns a note."""
        try:
            self.systemctl.call("clean", "--what=state", TIMER_NAME)
        except SchedulerError as error:
            return [f"The timer's Persistent= stamp was kept ({error})."]
        return []

    def _write(self, files: UnitFiles, current: UnitFiles) -> None:
        """Each file that differs from `current`, whole (atomically) or removed; nothing else is touched.
        The environment file is private (0600)."""
        if files.environment != current.environment:
            put_text_file(self.env_file, files.environment, ENV_FILE_MODE)
        for path, text, now in (
            (self.service_path, files.service, current.service),
            (self.timer_path, files.timer, current.timer),
        ):
            if text == now:
                continue
            if text is None:
                path.unlink(missing_ok=True)
            else:
                write_atomically(path, text.encode("utf-8", errors="surrogateescape"), UNIT_FILE_MODE)

    # Reading.

    def _read(self) -> UnitFiles:
        return UnitFiles(
            self._read_file(self.service_path, follow=True),
            self._read_file(self.timer_path, follow=True),
            self._read_file(self.env_file, follow=False),
        )

    @staticmethod
    def _read_file(path: Path, *, follow: bool) -> str | None:
        """A unit may be a link (`systemctl link`); our environment file never is."""
        try:
            if not follow:
                return read_text_file(path)
            data = read_regular_file(path, follow_links=True)
        except OSError as error:
            if path.is_symlink() and os.readlink(path) == os.devnull:  # systemd.unit(5): a masked unit
                raise SchedulerError(
                    f"{path} is masked (a link to /dev/null); it is left alone. "
                    f"`systemctl --user unmask {path.name}` undoes that."
                ) from error
            raise SchedulerError(f"Cannot read {path}: {error.strerror or error}") from error
        return None if data is None else data.decode("utf-8", errors="surrogateescape")

    def timer_state(self) -> TimerState:
        """What the user manager says about our timer; SchedulerError when it cannot be asked."""
        return timer_state(self.systemctl)

    def _has_our_units(self) -> bool:
        try:
            current = self._read()
        except SchedulerError:
            return False
        return UnitKind.OURS in (
            classify(current.service, parse_service),
            classify(current.timer, parse_timer),
        )

    def _notes(self, current: UnitFiles) -> list[str]:
        """What is there but not ours (never touched), and a job left half-installed."""
        notes = []
        for path, text, parse in (
            (self.service_path, current.service, parse_service),
            (self.timer_path, current.timer, parse_timer),
        ):
            kind = classify(text, parse)
            if kind is UnitKind.MARKED:
                notes.append(f"{path} carries this tool's marker but was changed by hand: left alone.")
            elif kind is UnitKind.FOREIGN:
                notes.append(f"{path} was not written by this tool: left alone.")
        kinds = (classify(current.service, parse_service), classify(current.timer, parse_timer))
        if kinds.count(UnitKind.OURS) == 1 and UnitKind.ABSENT in kinds:
            missing = self.service_path if kinds[0] is UnitKind.ABSENT else self.timer_path
            notes.append(f"{missing} is missing: install again, or uninstall.")
        return notes

    def _refuse_others(self, current: UnitFiles, what: str) -> None:
        for path, text, parse in (
            (self.service_path, current.service, parse_service),
            (self.timer_path, current.timer, parse_timer),
        ):
            if classify(text, parse) in (UnitKind.MARKED, UnitKind.FOREIGN):
                raise SchedulerError(
                    f"{path} exists and is not exactly what this tool writes, so the job cannot be {what} "
                    "without replacing it; nothing was written. Rename or remove it yourself, or use "
                    "--method cron."
                )

    def _linger_notes(self) -> list[str]:
        if self.system == "Linux" and self.linger().enabled is False:
            return [
                f"Lingering is off for {self.user}: the job runs only while you are logged in "
                f"(turn it on: loginctl enable-linger {self.user})."
            ]
        return []

    def _existing(self, current: UnitFiles) -> tuple[InstalledJob, ...]:
        job = self._installed(current, datetime.now(local_zone()))
        return (job,) if job is not None else ()

    def _env_change(self, current: UnitFiles, wanted: UnitFiles, shown: str | None) -> tuple[FileChange, ...]:
        if current.environment is None and wanted.environment is None:
            return ()
        return (FileChange(self.env_file, current.environment, wanted.environment, ENV_FILE_MODE, shown),)

    def _installed(self, current: UnitFiles, now: datetime) -> InstalledJob | None:
        parts = parse_service(current.service) if current.service is not None else None
        timer = parse_timer(current.timer) if current.timer is not None else None
        if parts is None and timer is None:
            return None
        expression, description, next_run = "(no timer)", "the timer unit is missing", None
        if timer is not None:
            expression = timer[0]
            try:
                parsed = parse_expression(expression)
                description = describe(parsed)
                runs = next_runs(parsed, now, 1)
                next_run = runs[0] if runs else None
            except (CronSyntaxError, NeverFiresError, ValueError):
                description = "OnCalendar=" + " or ".join(timer[1])
        command = shown_command(parts, current.environment) if parts else "(the service unit is missing)"
        return InstalledJob(
            method=METHOD,
            managed=True,
            expression=expression,
            description=description,
            next_run=next_run,
            command=command,
            location=str(self.timer_path),
            target=str(self.timer_path),
            extra=("?", "?", "?"),  # until the user manager says
            stdout_log=parts.stdout_log if parts else None,
            stderr_log=parts.stderr_log if parts else None,
            recorded=parts is not None and parts.recorder is not None,
            job=_installed_job(parts, timer, current.environment),
        )


def _installed_job(
    parts: ServiceParts | None, timer: tuple[str, tuple[str, ...]] | None, environment: str | None
) -> NightlyJob | None:
    """The job our units run, read back: the service's parts, the timer's cron schedule and the
    variables of the environment file; None when a unit is missing or the file is not in our form."""
    if parts is None or timer is None:
        return None
    variables: tuple[tuple[str, str], ...] | None = ()
    if parts.env_file is not None:
        variables = parse_env_file(environment) if environment is not None else None
    if variables is None:
        return None
    try:
        return NightlyJob(
            schedule=timer[0],
            binary=parts.binary,
            config=parts.config,
            environment=variables,
            stdout_log=parts.stdout_log,
            stderr_log=parts.stderr_log,
            timeout_seconds=parts.timeout_seconds,
            number_of_files=parts.number_of_files,
            data_dir=parts.data_dir,
            ping_url=parts.ping_url,
        )
    except JobError:
        return None


def _user_name() -> str:
    try:
        return pwd.getpwuid(_uid()).pw_name
    except KeyError:
        return str(_uid())


def _login_shell() -> str | None:
    with contextlib.suppress(KeyError):
        return pwd.getpwuid(_uid()).pw_shell or None
    return None


def _uid() -> int:
    return os.getuid()
