"""A schedule explained for every registered scheduler: the exact form it takes in each (launchd's
calendar intervals), or why that scheduler cannot run it as cron would."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from prompt_alchemy_scheduler_tui.backends.schedule import Schedule, ScheduleExplanation
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import Scheduler


def explain_everything(
    schedule: Schedule, explanation: ScheduleExplanation, schedulers: Sequence[Scheduler]
) -> ScheduleExplanation:
    forms = tuple(
        form for scheduler in schedulers if (form := scheduler.schedule_form(schedule.parsed)) is not None
    )
    return replace(explanation, forms=forms)
