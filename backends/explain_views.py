"""Per-scheduler views added to a schedule explanation (today: launchd's calendar intervals)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from prompt_alchemy_scheduler_tui.backends.launchd_calendar import LaunchdConversionError, to_launchd
from prompt_alchemy_scheduler_tui.backends.schedule import Schedule, ScheduleExplanation


def launchd_view(schedule: Schedule) -> dict[str, Any]:
    """`{"intervals": [...], "count": n, "error": None}` or the reason launchd cannot run it as cron would."""
    if schedule.parsed is None:
        return {"intervals": None, "count": 0, "error": "invalid expression"}
    try:
        intervals = to_launchd(schedule.parsed).intervals
    except LaunchdConversionError as error:
        return {"intervals": None, "count": 0, "error": str(error)}
    return {"intervals": [dict(i) for i in intervals], "count": len(intervals), "error": None}


def explain_everything(schedule: Schedule, explanation: ScheduleExplanation) -> ScheduleExplanation:
    return replace(explanation, extras={**explanation.extras, "launchd": launchd_view(schedule)})
