"""Cron and launchd together: what the seed's `schedule` does across both schedulers.

Installing with one method removes our job from the other (no duplicate runs after switching);
uninstalling removes every prompt-alchemy nightly job from both.
"""

from __future__ import annotations

from collections.abc import Mapping

from backends.nightly_job import NightlyJob
from backends.platform_detect import PlatformInfo
from backends.scheduler_backend import (
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
        plans: list[ChangePlan] = []
        for backend in self.backends.values():
            plans += self._removal_if_any(backend)
        return plans

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
