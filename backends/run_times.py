"""Upcoming run times of a calendar expression, computed by croniter under cron's own day rule."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR, datetime

from prompt_alchemy_scheduler_tui.backends.cron_calendar import CronCalendar, DayRule
from prompt_alchemy_scheduler_tui.backends.cron_description import compress
from prompt_alchemy_scheduler_tui.backends.cron_syntax import ParsedExpression

# More than anyone reads; the sparsest schedules measured take about 0.3 s for that many.
MAX_RUNS = 1000

# croniter looks at most this many years ahead for the next match (its max_years_between_matches);
# a failure that close to year 9999 is the end of the calendar Python can represent, not a bug.
_SEARCH_YEARS = 50


class NeverFiresError(ValueError):
    """The expression is valid but matches no date at all (e.g. 30 February)."""


def croniter_expression(parsed: ParsedExpression) -> tuple[str, bool]:
    """A canonical expression and `day_or` flag under which croniter agrees with cron.

    croniter 7 expands `5-5` to `*`, changed `{max}/step`, and by default ignores cron's leading-`*` day
    rule (cron.c), so it is given explicit value lists and an explicit day rule instead.
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

    Fewer than `count` when the runs go past 9999-12-31, the last date Python represents: the list
    simply ends there. Raises NeverFiresError for a schedule that matches no date; returns [] for
    @reboot. ValueError for a `count` over MAX_RUNS or a start in year 1.
    """
    if start.tzinfo is None:
        raise ValueError("start must be time-zone aware")
    if count > MAX_RUNS:
        raise ValueError(f"At most {MAX_RUNS} next runs can be computed, not {count}.")
    if start.year == MINYEAR:  # croniter's conversions to UTC may step before 0001-01-01
        raise ValueError(f"Run times are computed from year {MINYEAR + 1} on, not from {start.isoformat()}.")
    if parsed.reboot or count <= 0:
        return []
    never = NeverFiresError(
        "This schedule never fires: no date matches its day-of-month and month fields "
        f"({parsed.five_fields})."
    )
    if not CronCalendar.from_parsed(parsed).fires_on_some_date():
        raise never
    from croniter import CroniterBadDateError, croniter  # with dateutil, 10 ms: not at start-up

    text, day_or = croniter_expression(parsed)
    runs: list[datetime] = []
    try:
        iterator = croniter(text, start, day_or=day_or)
        while len(runs) < count:
            runs.append(iterator.get_next(datetime))
    except (CroniterBadDateError, OverflowError, ValueError) as error:
        # Near year 9999 croniter steps past the end ("date value out of range", "year 10000 is out of
        # range", or no match within its search window): the list ends there. Elsewhere it is a bug.
        if not _near_the_end(runs[-1] if runs else start):
            if isinstance(error, CroniterBadDateError):
                raise never from error
            raise
    return runs


def _near_the_end(moment: datetime) -> bool:
    """True when a search from `moment` may step past year 9999 before it finds a match."""
    return moment.year > MAXYEAR - _SEARCH_YEARS - 1
