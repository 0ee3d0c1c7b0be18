"""Cron -> StartCalendarInterval: exact over whole years (checked against cronsim), minimal, or refused."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings

from prompt_alchemy_scheduler_tui.backends.cron_syntax import parse_expression
from prompt_alchemy_scheduler_tui.backends.launchd_calendar import (
    LaunchdConversionError,
    interval_matches_day,
    interval_times,
    next_launchd_run,
    to_launchd,
)
from tests.cron_oracle import cron_minutes
from tests.cron_strategies import cron_expressions


def _intervals(expression: str) -> list[dict[str, int]]:
    return list(to_launchd(parse_expression(expression)).intervals)


def _launchd_minutes(intervals: list[dict[str, int]], year: int) -> set[datetime]:
    """launchd's firing minutes in `year`, by its documented semantics (interval_matches_day)."""
    fired: set[datetime] = set()
    times = [interval_times(interval) for interval in intervals]
    day = date(year, 1, 1)
    while day.year == year:
        for interval, moments in zip(intervals, times, strict=True):
            if interval_matches_day(interval, day):
                fired.update(datetime.combine(day, moment) for moment in moments)
        day += timedelta(days=1)
    return fired


@settings(max_examples=120, deadline=None)
@given(expression=cron_expressions())
def test_intervals_fire_exactly_when_cron_does_in_leap_and_common_years(expression: str) -> None:
    try:
        intervals = _intervals(expression)
    except LaunchdConversionError:
        return  # refusals are pinned down by their own tests
    for year in (2028, 2027):
        assert _launchd_minutes(intervals, year) == cron_minutes(expression, year)


def test_daily_is_one_dict_with_two_keys() -> None:
    assert _intervals("0 2 * * *") == [{"Hour": 2, "Minute": 0}]
    assert to_launchd(parse_expression("0 2 * * *")).plist_value == {"Hour": 2, "Minute": 0}


def test_weekly_keeps_its_weekday_and_every_six_hours_works() -> None:
    # The old Go tool read only minute and hour: weekly became daily, */6 failed.
    assert _intervals("0 1 * * 0") == [{"Weekday": 0, "Hour": 1, "Minute": 0}]
    assert _intervals("0 */6 * * *") == [{"Hour": h, "Minute": 0} for h in (0, 6, 12, 18)]


def test_wildcards_are_left_out_not_enumerated() -> None:
    assert _intervals("* * * * *") == [{}]
    assert _intervals("0 0 1-31 * 1") == [{"Hour": 0, "Minute": 0}]  # a full day field ORed: every day
    assert _intervals("0 0 * * 0,7") == [{"Weekday": 0, "Hour": 0, "Minute": 0}]


def test_or_of_days_pairs_day_and_weekday_in_shared_dicts() -> None:
    assert _intervals("30 4 1,15 * 5") == [
        {"Day": 1, "Weekday": 5, "Hour": 4, "Minute": 30},
        {"Day": 15, "Weekday": 5, "Hour": 4, "Minute": 30},
    ]


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("@reboot", "@reboot is not a calendar schedule"),
        ("0 2 * 6 1", "launchd ignores Month whenever Weekday is set"),
        ("0 2 1 6 1", "launchd ignores Month whenever Weekday is set"),
        ("0 0 */2 * 1", "launchd can only OR Day and Weekday"),
        (
            "*/2 */2 1-20 * *",
            "launchd would need 7200 calendar intervals for this schedule (at most 1000 are written)",
        ),
    ],
)
def test_refuses_what_launchd_cannot_express(expression: str, reason: str) -> None:
    with pytest.raises(LaunchdConversionError, match=re.escape(reason)):
        _intervals(expression)


def test_up_to_a_thousand_intervals_is_accepted() -> None:
    assert len(_intervals("*/2 0-22 1 * *")) == 30 * 23
    assert len(_intervals("* * 1-20 * *")) == 20  # every minute of those days: wildcards stay wildcards


def test_next_launchd_run_follows_the_intervals() -> None:
    intervals = tuple(_intervals("30 4 1,15 * 5"))
    assert next_launchd_run(intervals, datetime(2026, 11, 26, 8, 0)) == datetime(2026, 11, 27, 4, 30)
    assert next_launchd_run((), datetime(2026, 11, 26)) is None


def test_a_day_that_never_comes_fires_neither_in_cron_nor_in_launchd() -> None:
    intervals = _intervals("0 0 30 2 *")
    for year in (2028, 2027):
        assert _launchd_minutes(intervals, year) == cron_minutes("0 0 30 2 *", year) == set()
