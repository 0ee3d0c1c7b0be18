"""What this machine offers: each registered scheduler's state, and which one `--method auto` picks.

Prompt Alchemy's scheduling documentation: auto prefers launchd on macOS and falls back to cron;
elsewhere it uses cron. Each scheduler states its own rank per OS (`Scheduler.auto_rank`); the first
available one by rank wins.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from prompt_alchemy_scheduler_tui.backends.scheduler_backend import (
    Method,
    PlatformFact,
    Scheduler,
    SchedulerUnavailableError,
)

AUTO = "auto"


class NoSchedulerError(SchedulerUnavailableError):
    """No registered scheduler is available; the message says what to install."""


@dataclass(frozen=True)
class PlatformInfo:
    """What was found. `auto_method` is None when no scheduler exists (see `auto_reason`)."""

    system: str  # os.uname().sysname: "Linux", "Darwin", ...
    auto_method: Method | None
    auto_reason: str
    facts: tuple[PlatformFact, ...] = ()  # every scheduler's own lines, in registry order
    available: tuple[Method, ...] = ()

    @property
    def is_macos(self) -> bool:
        return self.system == "Darwin"

    @property
    def os_name(self) -> str:
        return {"Darwin": "macOS"}.get(self.system, self.system)

    def resolve(self, method: str) -> Method:
        """The concrete method for `method` ("auto" resolved), or NoSchedulerError."""
        if method != AUTO:
            return Method(method)
        if self.auto_method is None:
            raise NoSchedulerError(self.auto_reason)
        return self.auto_method


def method_choices() -> tuple[str, ...]:
    """What `--method` and the TUI's method choice accept: auto, then every registered scheduler."""
    return (AUTO, *(method.value for method in Method))


def describe_platform(schedulers: Sequence[Scheduler], system: str | None = None) -> PlatformInfo:
    """The platform as `schedulers` see it on `system` (default: this machine's)."""
    system = system or os.uname().sysname
    availability = {scheduler.method: scheduler.availability() for scheduler in schedulers}
    ranked = sorted(
        (rank, index, scheduler)
        for index, scheduler in enumerate(schedulers)
        if (rank := scheduler.auto_rank(system)) is not None
    )
    candidates = [scheduler for _, _, scheduler in ranked]
    chosen = next((s for s in candidates if availability[s.method][0]), None)
    if chosen is not None:
        method: Method | None = chosen.method
        reason = chosen.auto_reason(system, first_choice=chosen is candidates[0])
    else:
        method = None
        reason = "No scheduler found: " + " ".join(availability[s.method][1] for s in candidates)
    facts = tuple(fact for scheduler in schedulers for fact in scheduler.platform_facts())
    available = tuple(m for m, (usable, _) in availability.items() if usable)
    return PlatformInfo(system, method, reason, facts, available)


def detect_platform(system: str | None = None) -> PlatformInfo:
    """This machine (or `system`, for previews and tests) with the registered schedulers."""
    from prompt_alchemy_scheduler_tui.backends.scheduler_registry import SchedulerOptions, build_schedulers

    system = system or os.uname().sysname
    return describe_platform(build_schedulers(SchedulerOptions(system=system)), system)
