"""The gate: what system cron accepts, and the exact message for everything it refuses."""

from __future__ import annotations

import pytest

from prompt_alchemy_scheduler_tui.backends.cron_syntax import CronSyntaxError, parse_expression
from prompt_alchemy_scheduler_tui.backends.line_safety import describe_character


@pytest.mark.parametrize(
    "expression",
    [
        "0 2 * * *",
        "30 3 * * *",
        "0 1 * * 0",
        "0 4 1 * *",
        "0 */6 * * *",
        "0 0 * * 7",
        "0 0 * * 0,7",
        "0 0 * * 5-7",
        "0 9-17 * * mon-fri",
        "0 0 * JAN,feb *",
        "0 0 * jan-Mar *",
        "0 0 * * SUN",
        "5-59/15 * * * *",
        "*/1 * * * *",
        "0 0 1-31/2 * 1",
        "1,2,3-5,*/20 * * * *",
        "  0\t2 *  * *  ",
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
        "@reboot",
    ],
)
def test_accepts_what_system_cron_accepts(expression: str) -> None:
    parsed = parse_expression(expression)
    assert parsed.text == expression.strip()


def test_weekday_seven_is_sunday() -> None:
    assert parse_expression("0 0 * * 7").fields[4].values == frozenset({0})
    assert parse_expression("0 0 * * 5-7").fields[4].values == frozenset({5, 6, 0})


def test_names_become_numbers_case_insensitively() -> None:
    parsed = parse_expression("0 0 * Jan-MAR mon,FRI")
    assert parsed.fields[3].values == frozenset({1, 2, 3})
    assert parsed.fields[4].values == frozenset({1, 5})


def test_macros_expand_to_five_fields() -> None:
    assert parse_expression("@weekly").five_fields == "0 0 * * 0"
    assert parse_expression("@reboot").reboot
    assert parse_expression("@reboot").fields == ()


@pytest.mark.parametrize(
    ("expression", "field", "message"),
    [
        (
            "",
            None,
            "The expression is empty: enter five fields, minute hour day-of-month month day-of-week "
            "(for example 0 2 * * *).",
        ),
        (
            "0 0 2 * * *",
            None,
            "6 fields given: cron takes exactly five: minute hour day-of-month month day-of-week. System cron "
            "has no seconds field (that is a Quartz/croniter extension): remove the first field if it is "
            "seconds, the last if it is a year.",
        ),
        (
            "0 0 2 * * * 2027",
            None,
            "7 fields given: cron takes exactly five: minute hour day-of-month month day-of-week. System cron "
            "has no seconds or year field: remove them.",
        ),
        (
            "0 2 *",
            None,
            "3 fields given: cron takes exactly five: minute hour day-of-month month day-of-week.",
        ),
        (
            "0 0 L * *",
            "day of month",
            "day of month: 'L': 'L' (last day) is not supported by system cron; list the days instead "
            "(e.g. 28-31 with a check in the job).",
        ),
        (
            "0 0 15W * *",
            "day of month",
            "day of month: '15W': 'W' (nearest weekday) is not supported by system cron.",
        ),
        (
            "0 0 * * 5#3",
            "day of week",
            "day of week: '5#3': '#' (nth weekday of the month) is not supported by system cron: Debian "
            "silently ignores the '#n' part and would run on every such weekday. Use a day-of-month range "
            "with the weekday in a wrapper script instead.",
        ),
        ("0 0 ? * 1", "day of month", "day of month: '?': '?' is Quartz syntax, not cron's: use '*'."),
        ("H 0 * * *", "minute", "minute: 'H': 'H' (hashed value) is Jenkins syntax, not cron's."),
        ("H/15 0 * * *", "minute", "minute: 'H/15': 'H' (hashed value) is Jenkins syntax, not cron's."),
        ("R 0 * * *", "minute", "minute: 'R': 'R' (random value) is a croniter extension, not cron's."),
        (
            "5/15 * * * *",
            "minute",
            "minute: '5/15' puts a step after a single value, which cron refuses; write '5-59/15' "
            "(from 5 every 15) or '*/15'.",
        ),
        ("*/0 * * * *", "minute", "minute: '*/0' has step 0; a step must be 1 or more."),
        ("1-5/0 * * * *", "minute", "minute: '1-5/0' has step 0; a step must be 1 or more."),
        ("60 * * * *", "minute", "minute: 60 is out of range (0-59)."),
        ("0 24 * * *", "hour", "hour: 24 is out of range (0-23)."),
        ("0 0 0 * *", "day of month", "day of month: 0 is out of range (1-31)."),
        ("0 0 32 * *", "day of month", "day of month: 32 is out of range (1-31)."),
        ("0 0 * 13 *", "month", "month: 13 is out of range (1-12)."),
        ("0 0 * * 8", "day of week", "day of week: 8 is out of range (0-7)."),
        (
            "0 0 5-1 * *",
            "day of month",
            "day of month: range '5-1' is reversed; cron accepts it but it matches nothing, so the job would "
            "never run. Write '1-5' or list the values.",
        ),
        (
            "0 0 * * fri-mon",
            "day of week",
            "day of week: range 'fri-mon' is reversed; cron accepts it but it matches nothing, so the job "
            "would never run. Write 'mon-fri' or list the values.",
        ),
        ("@DAILY", None, "@DAILY: cron compares macros case-sensitively and refuses this one; write @daily."),
        (
            "@fortnightly",
            None,
            "@fortnightly is not a cron macro; use one of @yearly @annually @monthly @weekly @daily @midnight "
            "@hourly @reboot.",
        ),
        ("@daily 0", None, "@daily is a whole schedule on its own: remove the fields after it."),
        (
            "0 0 * * monday",
            "day of week",
            "day of week: 'monday' is not a name cron knows; cron only knows three-letter names: write 'mon'.",
        ),
        (
            "0 0 * foo *",
            "month",
            "month: 'foo' is not a name cron knows; use three-letter names such as 'jan' or numbers 1-12.",
        ),
        ("0 0 mon * *", "day of month", "day of month: 'mon' is not a number; this field takes 1-31."),
        ("1,,2 * * * *", "minute", "minute: '1,,2' has an empty item in its list."),
        (
            "-5 * * * *",
            "minute",
            "minute: '-5' is not valid cron syntax; use *, a number, a-b, a list a,b, */n or a-b/n.",
        ),
        ("*/x * * * *", "minute", "minute: '*/x' has a step that is not a whole number."),
        # Only spaces and tabs separate fields (entry.c); a line break would split the crontab line.
        *(
            (
                f"0{separator}2 * * *",
                None,
                f"The expression contains U+{ord(separator):04X} ({describe_character(separator)[8:-1]}), a "
                "control or line-separator character that cannot be written into a one-line job entry; "
                "remove it.",
            )
            for separator in ("\n", "\r", "\v", "\f", "\x1c", "\x85", "\u2028", "\u2029")
        ),
        pytest.param(
            "*/" + "9" * 5000 + " * * * *",  # int() refuses over 4300 digits: this was a ValueError
            None,
            "The expression is 5010 characters long; at most 1000 are allowed (listing every value of all "
            "five fields takes under 400).",
            id="5010-characters",
        ),
        # A wide space is not a blank to cron: "0\u20002" is one (bad) field, so four fields in all.
        (
            "0\u20002 * * *",
            None,
            "4 fields given: cron takes exactly five: minute hour day-of-month month day-of-week.",
        ),
    ],
)
def test_refuses_with_a_precise_message(expression: str, field: str | None, message: str) -> None:
    with pytest.raises(CronSyntaxError) as caught:
        parse_expression(expression)
    assert str(caught.value) == message
    assert caught.value.field == field
