"""cronsim (Healthchecks' evaluator, which follows Debian cron's day rule) as an independent oracle for
when cron fires: the schedulers' conversions are checked against it, never against our own matcher."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from cronsim import CronSim, CronSimError


def cronsim_text(expression: str) -> str:
    """cronsim 2.8 reads `a-a/n` as `a/n`; Debian reads it as `a` (see test_run_times)."""
    return re.sub(r"\b(\w+)-\1/\d+", r"\1", expression)


def cron_days(expression: str, year: int) -> set[date]:
    """The dates in `year` on which cron fires `expression` (its day, month and weekday fields)."""
    _, _, dom, month, dow = cronsim_text(expression).split()
    days: set[date] = set()
    try:
        day_iterator = CronSim(f"0 0 {dom} {month} {dow}", datetime(year, 1, 1) - timedelta(minutes=1))
    except CronSimError:
        return set()  # cronsim refuses a day that never comes (`30 2`, Feb 30): cron never fires it
    for moment in day_iterator:
        if moment.year != year:
            break
        days.add(moment.date())
    return days


def cron_times(expression: str) -> set[time]:
    """The times of day at which cron fires `expression` (its minute and hour fields)."""
    minute, hour, *_ = cronsim_text(expression).split()
    times: set[time] = set()
    for moment in CronSim(f"{minute} {hour} * * *", datetime(2001, 1, 1) - timedelta(minutes=1)):
        if moment.date() != date(2001, 1, 1):
            break
        times.add(moment.time())
    return times


def cron_minutes(expression: str, year: int) -> set[datetime]:
    """Cron's firing minutes in `year`: cronsim for the days, cronsim for the times of day."""
    times = cron_times(expression)
    return {datetime.combine(day, moment) for day in cron_days(expression, year) for moment in times}


def cron_next(expression: str, after: datetime, count: int) -> list[datetime]:
    """cronsim's first `count` firings strictly after `after` (naive wall-clock time); [] when none."""
    try:
        iterator = CronSim(cronsim_text(expression), after)
    except CronSimError:
        return []
    runs: list[datetime] = []
    for moment in iterator:
        runs.append(moment)
        if len(runs) == count:
            break
    return runs
