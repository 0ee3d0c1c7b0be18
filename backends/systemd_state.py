"""What is there and what runs: our two units and the environment file as on disk (one value that plans
compare and backups keep), and what the user manager says about the timer (`systemctl --user show`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from prompt_alchemy_scheduler_tui.backends.backup_store import BackupError
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import InstalledJob
from prompt_alchemy_scheduler_tui.backends.systemctl import Systemctl, parse_timestamp
from prompt_alchemy_scheduler_tui.backends.systemd_units import SERVICE_NAME, TIMER_NAME
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone

STATE_PROPERTIES = (
    "UnitFileState",
    "ActiveState",
    "SubState",
    "NextElapseUSecRealtime",
    "LastTriggerUSec",
    "Result",
    "ExecMainStatus",
    "ExecMainStartTimestamp",
)
_ACTIVE = ("active", "activating", "reloading")


@dataclass(frozen=True)
class UnitFiles:
    """Both units' text as on disk (None: absent), and the environment file's."""

    service: str | None
    timer: str | None
    environment: str | None = None

    @property
    def units(self) -> str | None:
        """Both units as one text (a plan's `before`/`after`); None when neither exists."""
        if self.service is None and self.timer is None:
            return None
        return json.dumps({"service": self.service, "timer": self.timer}, indent=1, sort_keys=True)

    def saved(self) -> str:
        """The text a backup keeps: both units and the environment file."""
        return json.dumps(
            {"service": self.service, "timer": self.timer, "environment": self.environment},
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_text(cls, text: str | None) -> UnitFiles:
        """From `units` or `saved` text; BackupError for text that is neither."""
        if text is None:
            return cls(None, None)
        try:
            value = json.loads(text)
        except ValueError as error:
            raise BackupError("The saved systemd units cannot be read back; nothing was restored.") from error
        fields = ("service", "timer", "environment")
        if not isinstance(value, dict) or not all(isinstance(value.get(name), str | None) for name in fields):
            raise BackupError("The saved systemd units cannot be read back; nothing was restored.")
        return cls(value.get("service"), value.get("timer"), value.get("environment"))


@dataclass(frozen=True)
class TimerState:
    """What the user manager says about our timer and the last run of its service."""

    enabled: str  # UnitFileState: enabled, disabled, ...
    active: str  # ActiveState (SubState)
    next_elapse: datetime | None
    last_trigger: datetime | None
    result: str | None
    exit_status: int | None
    last_start: datetime | None

    @property
    def is_enabled(self) -> bool:
        return self.enabled == "enabled"

    @property
    def is_active(self) -> bool:
        return self.active.split(" ")[0] in _ACTIVE

    @property
    def last_result(self) -> str:
        if self.last_start is None:
            return "never run"
        return f"{self.result or '?'} (exit {'?' if self.exit_status is None else self.exit_status})"


def timer_state(systemctl: Systemctl) -> TimerState:
    """Our timer's state and its service's last run, as the user manager reports them (SchedulerError
    when it cannot be asked)."""
    found = systemctl.show((TIMER_NAME, SERVICE_NAME), STATE_PROPERTIES)
    timer, service = found.get(TIMER_NAME, {}), found.get(SERVICE_NAME, {})
    sub = timer.get("SubState", "")
    status = service.get("ExecMainStatus", "")
    return TimerState(
        enabled=timer.get("UnitFileState") or "unknown",
        active=(timer.get("ActiveState") or "unknown") + (f" ({sub})" if sub else ""),
        next_elapse=parse_timestamp(timer.get("NextElapseUSecRealtime", "")),
        last_trigger=parse_timestamp(timer.get("LastTriggerUSec", "")),
        result=service.get("Result") or None,
        exit_status=int(status) if status.lstrip("-").isdigit() else None,
        last_start=parse_timestamp(service.get("ExecMainStartTimestamp", "")),
    )


def with_state(job: InstalledJob, state: TimerState) -> InstalledJob:
    """The listed job with the manager's word on it: its columns, one status line, its next run."""
    zone = local_zone()
    line = f"timer {state.enabled}, {state.active}"
    if state.next_elapse is not None:
        line += f"; next {state.next_elapse.astimezone(zone):%Y-%m-%d %H:%M %Z}"
    if state.last_trigger is not None:
        line += f"; last triggered {state.last_trigger.astimezone(zone):%Y-%m-%d %H:%M %Z}"
    if state.last_start is not None:
        line += (
            f"; last run {state.last_start.astimezone(zone):%Y-%m-%d %H:%M %Z}: "
            f"{state.result or '?'}, exit status {state.exit_status}"
        )
    return replace(
        job,
        next_run=state.next_elapse.astimezone(zone) if state.next_elapse is not None else job.next_run,
        loaded=state.is_active,
        last_exit_status=state.exit_status if state.last_start is not None else None,
        extra=(state.enabled, state.active, state.last_result),
        status=line,
    )
