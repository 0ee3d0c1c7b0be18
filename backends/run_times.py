"""Upcoming run times of a calendar expression, computed by croniter under cron's own day rule."""

from __future__ import annotations

from datetime import datetime

from croniter import CroniterBadDateError, croniter

from backends.cron_calendar import CronCalendar, DayRule
from backends.cron_description import compress
from backends.cron_syntax import ParsedExpression


class NeverFiresError(ValueError):
    """The expression is valid but matches no date at all (e.g. 30 February)."""


def croniter_expression(parsed: ParsedExpression) -> tuple[str, bool]:
    """A canonical expression and `day_or` flag under which croniter agrees with cron.

    croniter 7 expands `5-5` to `*`, changed `{max}/step`, and by default ignores cron's leading-`*` day
    rule (shared/FACTS.md), so it is given explicit value lists and an explicit day rule instead.
    """
    calendar = CronCalendar.from_parsed(parsed)

    def listed(values: frozenset[int], full: bool) -> str:
        return "*" if full else compress(sorted(values))

    minute, hour, dom, month, dow = parsed.fields
    days = listed(dom.values, calendar.days_full)
    weekdays = listed(dow.values, calendar.weekdays_full)
    day_or = calendar.day_rule is DayRule.OR
    if day_or and (calendar.days_full or calendar.weekdays_full):
        days = weekdays = "*"  # a full field ORed with anything is every day
    text = " ".join(
        (
            listed(minute.values, minute.is_full),
            listed(hour.values, hour.is_full),
            days,
            listed(month.values, month.is_full),
            weekdays,
        )
    )
    return text, day_or


def next_runs(parsed: ParsedExpression, start: datetime, count: int) -> list[datetime]:
    """The next `count` run times strictly after `start` (which must carry a time zone).

    Raises NeverFiresError for a schedule that matches no date; returns [] for @reboot.
    """
    if start.tzinfo is None:
        raise ValueError("start must be time-zone aware")
    if parsed.reboot or count <= 0:
        return []
    text, day_or = croniter_expression(parsed)
    iterator = croniter(text, start, day_or=day_or)
    try:
        return [iterator.get_next(datetime) for _ in range(count)]
    except CroniterBadDateError as error:
        raise NeverFiresError(
            "This schedule never fires: no date matches its day-of-month and month fields "
            f"({parsed.five_fields})."
        ) from error
