"""Descriptions say what cron will do, avoiding cron-descriptor's known misreadings."""

from __future__ import annotations

import pytest

from prompt_alchemy_scheduler_tui.backends.cron_description import compress, describe
from prompt_alchemy_scheduler_tui.backends.cron_syntax import parse_expression


@pytest.mark.parametrize(
    ("expression", "description"),
    [
        ("0 2 * * *", "At 02:00"),
        ("30 3 * * *", "At 03:30"),
        ("0 1 * * 0", "At 01:00, only on Sunday"),
        ("0 4 1 * *", "At 04:00, on day 1 of the month"),
        ("0 */6 * * *", "Every 6 hours"),
        ("@daily", "At 00:00"),
        ("@weekly", "At 00:00, only on Sunday"),
        ("@reboot", "At boot (when the cron daemon starts); not a calendar schedule."),
        # "Sunday and Sunday" from cron-descriptor
        ("0 0 * * 0,7", "At 00:00, only on Sunday"),
        # "between day 5 and 5"
        ("0 0 5-5 * *", "At 00:00, on day 5 of the month"),
        # "every 2 days" (cron restarts the count each month)
        (
            "0 0 */2 * *",
            "At 00:00, on days 1, 3, 5, … 31 of the month (every 2 days, restarting each month)",
        ),
        # descriptor says "or on Monday"; cron ANDs because day of month starts with '*'
        (
            "0 0 */2 * 1",
            "At 00:00, on days 1, 3, 5, … 31 of the month (every 2 days, restarting each month), but only if "
            "that day is also a Monday",
        ),
        ("30 4 1,15 * 5", "At 04:30, on day 1 and 15 of the month, or on Friday"),
        # a full day-of-month ORed with Monday is every day
        ("0 0 1-31 * 1", "At 00:00"),
        # "every 2 days of the week, Monday through Friday" would be wrong
        ("0 0 * * 1-5/2", "At 00:00, only on Monday, Wednesday, and Friday"),
        # "every 5 months" would be wrong: the count restarts each year
        ("0 0 * */5 *", "At 00:00, only in January, June, and November"),
        ("*/7 * * * *", "At 0, 7, 14, 21, 28, 35, 42, 49, and 56 minutes past the hour"),
        ("0 9-17 * * mon-fri", "At 0 minutes past the hour, between 09:00 and 17:59, Monday through Friday"),
    ],
)
def test_describes_what_cron_does(expression: str, description: str) -> None:
    assert describe(parse_expression(expression)) == description


def test_twelve_hour_clock_is_explicit_not_from_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert describe(parse_expression("30 14 * * *"), use_24_hour=False) == "At 02:30 PM"
    assert describe(parse_expression("30 14 * * *")) == "At 14:30"


def test_compress_writes_runs_of_three_or_more_as_ranges() -> None:
    assert compress([1, 2, 3, 5, 7, 8]) == "1-3,5,7,8"
    assert compress([0]) == "0"
