"""Cron schedules as launchd `StartCalendarInterval` dicts, exactly, or a clear refusal.

launchd.plist(5) and Apple's open-source launchd (`src/core.c`): keys Minute, Hour,
Day, Weekday, Month; a missing key is a wildcard; dicts in an array are alternatives; Day and Weekday in
one dict are ORed; Month is ignored whenever Weekday is set; Weekday 0 and 7 are Sunday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import product

from prompt_alchemy_scheduler_tui.backends.cron_calendar import CronCalendar, DayRule
from prompt_alchemy_scheduler_tui.backends.cron_syntax import ParsedExpression

MAX_INTERVALS = 1000

CalendarInterval = dict[str, int]


class LaunchdConversionError(ValueError):
    """launchd cannot run this schedule as cron would; the message says why and what to do."""


@dataclass(frozen=True)
class LaunchdSchedule:
    intervals: tuple[CalendarInterval, ...]

    @property
    def plist_value(self) -> CalendarInterval | list[CalendarInterval]:
        """A single dict where one suffices (as launchd.plist(5) shows it), else the array."""
        return dict(self.intervals[0]) if len(self.intervals) == 1 else [dict(i) for i in self.intervals]


def to_launchd(parsed: ParsedExpression) -> LaunchdSchedule:
    """The minimal exactly-equivalent intervals, or LaunchdConversionError."""
    if parsed.reboot:
        raise LaunchdConversionError(
            "@reboot is not a calendar schedule: launchd's equivalent is RunAtLoad, which also runs at every "
            "login and load. Use --method cron for @reboot."
        )
    calendar = CronCalendar.from_parsed(parsed)
    times = _time_parts(calendar)
    days = _day_parts(calendar)
    count = len(times) * len(days)
    if count > MAX_INTERVALS:
        raise LaunchdConversionError(
            f"launchd would need {count} calendar intervals for this schedule (at most {MAX_INTERVALS} are "
            "written): use --method cron, or a schedule with fewer distinct minutes."
        )
    return LaunchdSchedule(tuple({**day, **moment} for day in days for moment in times))


def _time_parts(calendar: CronCalendar) -> list[CalendarInterval]:
    minutes = _keyed("Minute", calendar.minutes, full=len(calendar.minutes) == 60)
    hours = _keyed("Hour", calendar.hours, full=len(calendar.hours) == 24)
    return [{**hour, **minute} for hour, minute in product(hours, minutes)]


def _day_parts(calendar: CronCalendar) -> list[CalendarInterval]:
    months = _keyed("Month", calendar.months, full=len(calendar.months) == 12)
    month_restricted = len(calendar.months) < 12
    every_day = (calendar.days_full and calendar.weekdays_full) or (
        calendar.day_rule is DayRule.OR and (calendar.days_full or calendar.weekdays_full)
    )
    if every_day:
        return months
    if calendar.day_rule is DayRule.AND and not calendar.days_full and not calendar.weekdays_full:
        raise LaunchdConversionError(
            "This schedule needs days matching BOTH the day of month and the day of week (a field starting "
            "with '*' makes cron AND them); launchd can only OR Day and Weekday. Use --method cron."
        )
    weekdays_needed = not calendar.weekdays_full
    if weekdays_needed and month_restricted:
        raise LaunchdConversionError(
            "launchd ignores Month whenever Weekday is set (Apple's launchd calendar code), so a weekday "
            "restriction combined with a month restriction would fire in every month. Use --method cron."
        )
    day_dicts = (
        [{"Day": day, **month} for day in sorted(calendar.days) for month in months]
        if not calendar.days_full
        else []
    )
    if not weekdays_needed:
        return day_dicts
    weekday_dicts = [{"Weekday": weekday} for weekday in sorted(calendar.weekdays)]
    if not day_dicts:
        return weekday_dicts
    # Both restricted, cron ORs them, months are all: pair Day and Weekday in shared dicts (launchd ORs them).
    size = max(len(day_dicts), len(weekday_dicts))
    return [{**day_dicts[i % len(day_dicts)], **weekday_dicts[i % len(weekday_dicts)]} for i in range(size)]


def _keyed(key: str, values: frozenset[int], *, full: bool) -> list[CalendarInterval]:
    return [{}] if full else [{key: value} for value in sorted(values)]


def interval_matches_day(interval: CalendarInterval, day: date) -> bool:
    """launchd's own reading of one dict's day keys (Month ignored when Weekday is set)."""
    weekday_key = interval.get("Weekday")
    if "Month" in interval and weekday_key is None and interval["Month"] != day.month:
        return False
    weekday = day.isoweekday() % 7
    day_ok = "Day" in interval and interval["Day"] == day.day
    weekday_ok = weekday_key is not None and weekday_key % 7 == weekday
    if "Day" in interval and weekday_key is not None:
        return day_ok or weekday_ok
    if "Day" in interval:
        return day_ok
    if weekday_key is not None:
        return weekday_ok
    return True


def interval_times(interval: CalendarInterval) -> list[time]:
    hours = [interval["Hour"]] if "Hour" in interval else range(24)
    minutes = [interval["Minute"]] if "Minute" in interval else range(60)
    return [time(hour, minute) for hour in hours for minute in minutes]


def next_launchd_run(
    intervals: tuple[CalendarInterval, ...], after: datetime, years: int = 8
) -> datetime | None:
    """The first wall-clock minute after `after` at which launchd would start the job, or None."""
    start = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    day = start.date()
    for _ in range(366 * years):
        candidates = [
            moment
            for interval in intervals
            if interval_matches_day(interval, day)
            for moment in interval_times(interval)
            if day != start.date() or moment >= start.time()
        ]
        if candidates:
            return datetime.combine(day, min(candidates), tzinfo=after.tzinfo)
        day += timedelta(days=1)
    return None


def intervals_from_plist(value: object) -> tuple[CalendarInterval, ...]:
    """StartCalendarInterval as read from a plist: one dict or an array of them (bad entries dropped)."""
    items = value if isinstance(value, list) else [value]
    keys = ("Minute", "Hour", "Day", "Weekday", "Month")
    return tuple(
        {key: int(item[key]) for key in keys if key in item and isinstance(item[key], int)}
        for item in items
        if isinstance(item, dict)
    )
