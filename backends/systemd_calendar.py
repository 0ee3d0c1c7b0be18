"""Cron schedules as systemd `OnCalendar=` expressions, exactly, or a clear refusal.

systemd.time(7), "Calendar Events": `[WEEKDAYS] YEAR-MONTH-DAY HOUR:MINUTE:SECOND`; every date and time
component takes `*`, a comma list, ranges `a..b`, and repetitions `a/n` (a, a+n, ... to the end of the
component) or `a..b/n` (only the latter is written, see `_numbers`); weekdays take English names, lists and `..` ranges, but no repetition, and a
range may not wrap around the end of the week (`Sat..Mon` is refused). Within one expression the
weekday and the date are ANDed; several `OnCalendar=` lines of one timer are ORed (systemd.timer(5)).

So cron's day rule maps directly: when either day field starts with `*`, cron ANDs them, which is one
expression; when both are restricted, cron ORs them, which takes two lines, one with the day of month
and one with the weekday. Everything the accepted cron dialect can say fits that form, except
`@reboot`, which is not a calendar schedule (see `to_on_calendar`). Lines are written in the form
`systemd-analyze calendar` prints as "Normalized form", so what is written is what systemd shows.
"""

from __future__ import annotations

from itertools import pairwise

from prompt_alchemy_scheduler_tui.backends.cron_calendar import CronCalendar, DayRule
from prompt_alchemy_scheduler_tui.backends.cron_fields import (
    DAY_OF_MONTH,
    HOUR,
    MINUTE,
    MONTH,
    FieldSpec,
    value_runs,
)
from prompt_alchemy_scheduler_tui.backends.cron_syntax import ParsedExpression

# systemd's week starts on Monday; cron's weekday numbers are 0 (Sunday) to 6.
_WEEK = ((1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat"), (0, "Sun"))
_LONGEST_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


class SystemdConversionError(ValueError):
    """systemd cannot run this schedule as cron would; the message says why and what to do."""


def to_on_calendar(parsed: ParsedExpression) -> tuple[str, ...]:
    """The fewest `OnCalendar=` values that fire exactly when cron would, or SystemdConversionError.

    `@reboot` is refused rather than written as `OnBootSec=`: a user timer lives in the user's own
    manager, which starts at login (at boot only with lingering on) and stops at logout, and a boot
    timer whose time has passed fires when its manager starts (systemd.timer(5)), so it would run at
    every login after a logout, not once per boot as cron's `@reboot` does.
    """
    if parsed.reboot:
        raise SystemdConversionError(
            "@reboot is not a calendar schedule, and a user timer cannot run once per boot as cron does: "
            "its manager starts at your first login (at boot only with lingering on) and again after each "
            "logout, and OnBootSec= fires whenever that manager starts. Use --method cron for @reboot."
        )
    calendar = CronCalendar.from_parsed(parsed)
    time = f"{_numbers(calendar.hours, HOUR)}:{_numbers(calendar.minutes, MINUTE)}:00"
    months = _numbers(calendar.months, MONTH)
    days = _numbers(calendar.days, DAY_OF_MONTH)
    weekdays = _weekday_names(calendar.weekdays)
    if calendar.days_full and calendar.weekdays_full:
        return (f"*-{months}-* {time}",)
    if calendar.day_rule is DayRule.OR:
        if calendar.days_full or calendar.weekdays_full:
            return (f"*-{months}-* {time}",)  # a full field ORed with anything is every day
        weekday_line = f"{weekdays} *-{months}-* {time}"
        if not _some_day_exists(calendar):
            return (weekday_line,)  # the day-of-month half never comes (30 February): no line for it
        return (f"*-{months}-{days} {time}", weekday_line)
    if calendar.weekdays_full:
        return (f"*-{months}-{days} {time}",)
    if calendar.days_full:
        return (f"{weekdays} *-{months}-* {time}",)
    return (f"{weekdays} *-{months}-{days} {time}",)


def _some_day_exists(calendar: CronCalendar) -> bool:
    return any(day <= _LONGEST_MONTH[month] for month in calendar.months for day in calendar.days)


def _numbers(values: frozenset[int], spec: FieldSpec) -> str:
    """One component, as compactly as systemd can say it exactly: `*`, one repetition with its last
    value (`00..45/15`, `05..19/7`), or a list of values and `a..b` ranges, whichever is shortest. Two
    digits each, as systemd normalizes them."""
    if values == spec.all_values:
        return "*"
    ordered = sorted(values)
    candidates = [_runs(ordered)]
    step = _common_step(ordered)
    if step is not None and step > 1 and len(ordered) > 2:
        # Always with its last value: systemd 252 computes an open-ended `00/5` hour wrongly after
        # the end of a month (it skips to 05:00), while `00..20/5` elapses as listed.
        candidates.append(f"{ordered[0]:02d}..{ordered[-1]:02d}/{step}")
    return min(candidates, key=len)


def _common_step(ordered: list[int]) -> int | None:
    steps = {b - a for a, b in pairwise(ordered)}
    return steps.pop() if len(steps) == 1 else None


def _runs(ordered: list[int]) -> str:
    """`[1, 2, 3, 5]` -> `01..03,05`: consecutive runs of three or more as ranges."""
    return ",".join(
        f"{first:02d}" if first == last else f"{first:02d}..{last:02d}" for first, last in value_runs(ordered)
    )


def _weekday_names(weekdays: frozenset[int]) -> str:
    """`Mon..Fri`, `Sat,Sun`, `Mon,Tue,Sun`: runs of three or more as ranges, in systemd's Monday-first
    week (a range cannot wrap from Sunday to Monday)."""
    parts: list[str] = []
    run: list[str] = []
    for number, name in [*_WEEK, (None, "")]:
        if number is not None and number in weekdays:
            run.append(name)
            continue
        if len(run) >= 3:
            parts.append(f"{run[0]}..{run[-1]}")
        else:
            parts.extend(run)
        run = []
    return ",".join(parts)
