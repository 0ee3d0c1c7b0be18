"""Every registered scheduler together: what Prompt Alchemy's `schedule` command does across them.

Installing with one method removes our job from the others (no duplicate runs after switching);
uninstalling removes every prompt-alchemy nightly job from all of them.

Which unavailable scheduler is an error: this machine's own scheduler (`home_method`: the one
`--method auto` picks, else launchd on macOS and cron elsewhere) must be usable to uninstall or to
list, since without it we cannot tell whether a job is installed. The other one being unavailable is
normal (launchd on Linux) and is skipped silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from prompt_alchemy_scheduler_tui.backends.backup_store import Backup, BackupNotFoundError
from prompt_alchemy_scheduler_tui.backends.health_report import HealthReport, health_report
from prompt_alchemy_scheduler_tui.backends.job_builder import BuiltJob
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError, NightlyJob
from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    ChangePlan,
    ChangeResult,
    JobListing,
    Method,
    Scheduler,
    SchedulerError,
    SchedulerUnavailableError,
)


class InstallBlockedError(JobError):
    """The job could not run as it is (missing binary, unreadable config): nothing was planned."""


class SchedulingService:
    def __init__(
        self, platform: PlatformInfo, backends: Mapping[Method, Scheduler], job_user: str | None = None
    ) -> None:
        self.platform = platform
        self.job_user = job_user  # --crontab-user: whose job this is (None: yours)
        self.backends: dict[Method, Scheduler] = {Method(method): unit for method, unit in backends.items()}

    @property
    def schedulers(self) -> list[Scheduler]:
        """Every registered scheduler, in registry order (one job table each)."""
        return list(self.backends.values())

    def scheduler(self, method: str) -> Scheduler:
        """The scheduler for `method`, "auto" resolved (NoSchedulerError when none is available)."""
        return self.backends[self.platform.resolve(method)]

    def plan_job_install(self, built: BuiltJob, method: str, *, dry_run: bool) -> list[ChangePlan]:
        """`plan_install` for a job built from the user's choices. A job that could not run as it is
        (a missing binary, an unreadable config) is refused with InstallBlockedError, except in a dry
        run, which shows it anyway (the problems are reported beside it)."""
        if built.problems and not dry_run:
            raise InstallBlockedError("Not installed: " + " ".join(built.problems))
        return self.plan_install(built.job, method)

    def restorable_backups(self) -> list[tuple[Scheduler, Backup]]:
        """Every scheduler's backups, newest first within each, in registry order."""
        return [
            (unit, backup)
            for unit in self.schedulers
            if unit.backups is not None and unit.availability()[0]
            for backup in unit.backups.backups()
        ]

    def plan_restore(self, name: str) -> ChangePlan:
        """The plan putting back the backup called `name` ("latest": the newest of the home scheduler)."""
        if name == "latest":
            home = self.backends.get(self.home_method)
            if home is None or home.backups is None:
                raise BackupNotFoundError("This machine's scheduler keeps no backups.")
            return home.plan_restore(home.backups.find("latest"))
        for unit in self.schedulers:
            if unit.backups is None:
                continue
            try:
                backup = unit.backups.find(name)
            except BackupNotFoundError:
                continue
            return unit.plan_restore(backup)
        directories = ", ".join(str(u.backups.directory) for u in self.schedulers if u.backups is not None)
        raise BackupNotFoundError(
            f"No backup named {name} in {directories}; `restore` without a name lists them."
        )

    def health(self, now: datetime) -> HealthReport:
        """The installed job's runs and health (both faces' `status`, `runs`, health line).

        SchedulerError when no job was found because this machine's own scheduler could not be listed
        (`crontab -u` of a user that does not exist, say): that is not knowing, not "nothing installed"."""
        listings = self.list_all()
        report = health_report(listings, self.schedulers, now)
        if report.job is None and (problem := self.home_unavailable(listings)):
            raise SchedulerError(f"{problem} Cannot tell whether the nightly job is healthy.")
        return report

    def list_all(self) -> list[JobListing]:
        listings = []
        for method, backend in self.backends.items():
            try:
                listings.append(backend.list_jobs())
            except SchedulerError as error:
                listings.append(JobListing(Method(method), False, (), (str(error),), backend.extra_columns))
        return listings

    def plan_install(self, job: NightlyJob, method: str) -> list[ChangePlan]:
        """The install on the chosen scheduler, then the removal of our job from the others."""
        target = self.platform.resolve(method)
        plans = [self.backends[target].plan_install(job)]
        for other, backend in self.backends.items():
            if other != target:
                plans += self._removal_if_any(backend)
        # What the install replaces, wherever it is installed now, so its plan can name what changes.
        removed = [old for plan in plans for old in plan.removed]
        replaced = next((old for old in removed if old.managed), None) or next(iter(removed), None)
        return [replace(plans[0], replaces=replaced.job if replaced else None), *plans[1:]]

    def plan_uninstall_all(self) -> list[ChangePlan]:
        """Removal plans for every scheduler that has our job; SchedulerUnavailableError (with how to
        get it) when this machine's own scheduler is unavailable, as nothing could be removed from it."""
        home = self.backends.get(self.home_method)
        if home is not None:
            available, reason = home.availability()
            if not available:
                raise SchedulerUnavailableError(f"Cannot uninstall from {self.home_method}: {reason}")
        plans: list[ChangePlan] = []
        for backend in self.backends.values():
            plans += self._removal_if_any(backend)
        return plans

    @property
    def home_method(self) -> Method:
        """This machine's own scheduler: what `auto` picks here, else the one that ranks first here."""
        if self.platform.auto_method is not None:
            return self.platform.auto_method
        ranked = sorted(
            (rank, index, unit.method)
            for index, unit in enumerate(self.schedulers)
            if (rank := unit.auto_rank(self.platform.system)) is not None
        )
        return ranked[0][2] if ranked else self.schedulers[0].method

    def home_unavailable(self, listings: list[JobListing]) -> str | None:
        """Why this machine's own scheduler could not be listed (from `list_all`'s result), or None."""
        for listing in listings:
            if listing.method == self.home_method and not listing.available:
                return f"Could not list the {listing.method} jobs: " + " ".join(listing.notes)
        return None

    def apply(self, plans: list[ChangePlan]) -> list[ChangeResult]:
        """Apply in order; stop at the first failure (earlier results stay, and are in the error)."""
        results: list[ChangeResult] = []
        for plan in plans:
            backend = self.backends[plan.method]
            available, reason = backend.availability()
            if not available:
                raise SchedulerUnavailableError(reason)
            try:
                results.append(backend.apply(plan))
            except SchedulerError as error:
                if results:
                    done = "; ".join(result.message for result in results)
                    raise type(error)(f"{error} (already done: {done})") from error
                raise
        return results

    @staticmethod
    def _removal_if_any(backend: Scheduler) -> list[ChangePlan]:
        available, _ = backend.availability()
        if not available:
            return []
        plan = backend.plan_uninstall()
        # A plan that removes nothing still counts when it has something to say (a line that carries
        # our marker but is not ours: it keeps running, and the user must hear of it).
        return [plan] if plan.removed or plan.notes else []
