"""What a careful user wants to know about a schedule before installing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from prompt_alchemy_scheduler_tui.backends.cron_calendar import CronCalendar, DayRule
from prompt_alchemy_scheduler_tui.backends.cron_syntax import ParsedExpression


@dataclass(frozen=True)
class ScheduleWarning:
    """One warning: a stable `code` for programs and a sentence for people."""

    code: str
    message: str


@dataclass(frozen=True)
class ClockChange:
    """A daylight-saving change: wall-clock minutes in [start, end) are skipped (gap) or repeated."""

    day: date
    start: datetime  # naive local wall time
    end: datetime
    skipped: bool


SLEEP_WARNING = ScheduleWarning(
    "sleep",
    "Cron skips runs while the machine is off or asleep; launchd (macOS) and systemd timers "
    "(Persistent=true) run a missed job once on wake or at the next boot.",
)


def schedule_warnings(parsed: ParsedExpression, start: datetime, zone: ZoneInfo) -> list[ScheduleWarning]:
    """Warnings for `parsed` as seen from `start` in `zone` (daylight-saving changes in the next year)."""
    if parsed.reboot:
        return [
            ScheduleWarning(
                "reboot",
                "@reboot runs when the cron daemon starts, not at a time of day; launchd cannot express it.",
            )
        ]
    calendar = CronCalendar.from_parsed(parsed)
    warnings: list[ScheduleWarning] = []
    dom_text, dow_text = parsed.fields[2].text, parsed.fields[4].text
    if calendar.both_days_restricted and calendar.day_rule is DayRule.OR:
        warnings.append(
            ScheduleWarning(
                "day-or",
                f"Both day fields are restricted ({dom_text} and {dow_text}), so cron runs on a day that "
                "matches EITHER of them, not only on days matching both.",
            )
        )
    elif calendar.both_days_restricted:
        starred = "day of month" if parsed.fields[2].starts_with_star else "day of week"
        warnings.append(
            ScheduleWarning(
                "day-and",
                f"The {starred} field starts with '*', so cron runs only on days matching BOTH day fields "
                f"({dom_text} and {dow_text}); without the leading '*' it would run on either.",
            )
        )
    if len(calendar.minutes) > 1:
        warnings.append(
            ScheduleWarning(
                "frequent",
                f"Runs {len(calendar.minutes)} times an hour; the nightly training job usually needs once a day.",
            )
        )
    clock_warning = _clock_change_warning(calendar, start, zone)
    if clock_warning is not None:
        warnings.append(clock_warning)
    warnings.append(SLEEP_WARNING)
    return warnings


def _clock_change_warning(calendar: CronCalendar, start: datetime, zone: ZoneInfo) -> ScheduleWarning | None:
    try:
        first_day = start.astimezone(UTC).date()
    except OverflowError:  # within a day of datetime.min or datetime.max: no clock change to tell of
        return None
    for change in clock_changes(zone, first_day):
        hit = _first_run_in(calendar, change)
        if hit is None:
            continue
        when = f"{change.start:%H:%M}-{change.end:%H:%M}"
        if change.skipped:
            return ScheduleWarning(
                "dst-skip",
                f"On {change.day.isoformat()} the clock jumps forward over {when} ({zone.key}): the "
                f"{hit:%H:%M} run falls in the gap. Debian cron runs it just after the jump; launchd and "
                "other crons may skip it.",
            )
        return ScheduleWarning(
            "dst-repeat",
            f"On {change.day.isoformat()} the clock goes back and repeats {when} ({zone.key}): the "
            f"{hit:%H:%M} run happens twice on some crons (Debian cron runs fixed-time jobs once).",
        )
    return None


def _first_run_in(calendar: CronCalendar, change: ClockChange) -> datetime | None:
    if not calendar.day_matches(change.start.date()):
        return None
    moment = change.start
    while moment < change.end:
        if calendar.matches(moment):
            return moment
        moment += timedelta(minutes=1)
    return None


@lru_cache(maxsize=64)
def clock_changes(zone: ZoneInfo, first_day: date, days: int = 366) -> tuple[ClockChange, ...]:
    """The zone's offset changes in `days` days from `first_day` (UTC), as local wall-clock intervals."""
    changes: list[ClockChange] = []
    # Keep a day away from 0001-01-01 and 9999-12-31: local times there may not be representable.
    first_day = max(first_day, date.min + timedelta(days=1))
    days = max(0, min(days, (date.max - first_day).days - 1))
    moment = datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC)
    offset = moment.astimezone(zone).utcoffset()
    for _ in range(days):
        following = moment + timedelta(days=1)
        next_offset = following.astimezone(zone).utcoffset()
        if next_offset != offset and offset is not None and next_offset is not None:
            instant = _bisect_change(moment, following, zone, offset)
            before = (instant + offset).replace(tzinfo=None)
            after = (instant + next_offset).replace(tzinfo=None)
            skipped = next_offset > offset
            start, end = (before, after) if skipped else (after, before)
            changes.append(ClockChange(day=start.date(), start=start, end=end, skipped=skipped))
        moment, offset = following, next_offset
    return tuple(changes)


def _bisect_change(low: datetime, high: datetime, zone: ZoneInfo, low_offset: timedelta) -> datetime:
    """The first UTC minute in (low, high] whose offset differs from `low_offset`."""
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        middle = max(middle.replace(second=0, microsecond=0), low + timedelta(minutes=1))
        if middle.astimezone(zone).utcoffset() == low_offset:
            low = middle
        else:
            high = middle
    return high
