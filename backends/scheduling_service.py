"""Cron and launchd together: what the seed's `schedule` does across both schedulers.

Installing with one method removes our job from the other (no duplicate runs after switching);
uninstalling removes every prompt-alchemy nightly job from both.

Which unavailable scheduler is an error: this machine's own scheduler (`home_method`: the one
`--method auto` picks, else launchd on macOS and cron elsewhere) must be usable to uninstall or to
list, since without it we cannot tell whether a job is installed. The other one being unavailable is
normal (launchd on Linux) and is skipped silently.
"""

from __future__ import annotations

from collections.abc import Mapping

from prompt_alchemy_scheduler_tui.backends.nightly_job import NightlyJob
from prompt_alchemy_scheduler_tui.backends.platform_detect import PlatformInfo
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    ChangePlan,
    ChangeResult,
    JobListing,
    SchedulerBackend,
    SchedulerError,
    SchedulerUnavailableError,
)


class SchedulingService:
    def __init__(self, platform: PlatformInfo, backends: Mapping[str, SchedulerBackend]) -> None:
        self.platform = platform
        self.backends = dict(backends)

    def list_all(self) -> list[JobListing]:
        listings = []
        for method, backend in self.backends.items():
            try:
                listings.append(backend.list_jobs())
            except SchedulerError as error:
                listings.append(JobListing(method, False, (), (str(error),)))
        return listings

    def plan_install(self, job: NightlyJob, method: str) -> list[ChangePlan]:
        """The install on the chosen scheduler, then the removal of our job from the others."""
        target = self.platform.resolve(method)
        plans = [self.backends[target].plan_install(job)]
        for other, backend in self.backends.items():
            if other != target:
                plans += self._removal_if_any(backend)
        return plans

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
    def home_method(self) -> str:
        """This machine's own scheduler: what `auto` picks here, else the OS's standard one."""
        if self.platform.auto_method is not None:
            return self.platform.auto_method
        return "launchd" if self.platform.is_macos else "cron"

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
    def _removal_if_any(backend: SchedulerBackend) -> list[ChangePlan]:
        available, _ = backend.availability()
        if not available:
            return []
        plan = backend.plan_uninstall()
        return [plan] if plan.removed else []
