"""Cron -> OnCalendar: exact over whole years, as the REAL `systemd-analyze calendar` computes the
elapses, checked against cronsim; minimal (one line, two only for cron's OR of the day fields); or refused."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prompt_alchemy_scheduler_tui.backends.cron_calendar import CronCalendar, DayRule
from prompt_alchemy_scheduler_tui.backends.cron_syntax import parse_expression
from prompt_alchemy_scheduler_tui.backends.systemd_calendar import SystemdConversionError, to_on_calendar
from tests.cron_oracle import cron_days, cron_next, cron_times
from tests.cron_strategies import cron_expressions
from tests.systemd_analyze import calendar

YEARS = (2027, 2028)  # a common year, then a leap year
BEFORE = datetime(YEARS[0], 1, 1) - timedelta(seconds=1)  # elapses are strictly after the base time
ITERATIONS = 1441  # a day holds at most 1440 minutes; two years at most 731 days
PREFIX = 300  # elapses of the whole lines compared one by one from a random moment
LAST_YEAR = 2199  # systemd computes no elapse after 2199 (a yearly line stops there)


def _lines(expression: str) -> tuple[str, ...]:
    return to_on_calendar(parse_expression(expression))


def _date_and_time(line: str) -> tuple[str, str]:
    """`Mon *-*-01 02:00:00` -> (`Mon *-*-01`, `02:00:00`): the date part and the time part of a line."""
    date_part, _, time_part = line.rpartition(" ")
    return date_part, time_part


def _month_start(index: int) -> datetime:
    return datetime(YEARS[0] + index // 12, index % 12 + 1, 1)


# Where to start comparing minute by minute: anywhere, or in the last 36 hours of a month, where
# systemd 252's repetitions go wrong (see backends/systemd_calendar.py).
_STARTS = st.one_of(
    st.integers(0, 2 * 366 * 24 * 60).map(lambda minutes: BEFORE + timedelta(minutes=minutes)),
    st.tuples(st.integers(1, 24), st.integers(1, 36 * 60)).map(
        lambda pair: _month_start(pair[0]) - timedelta(minutes=pair[1], seconds=1)
    ),
)


@settings(max_examples=150, deadline=None)
@given(expression=cron_expressions(), start=_STARTS)
def test_on_calendar_fires_exactly_when_cron_does(expression: str, start: datetime) -> None:
    lines = _lines(expression)  # a five-field expression is never refused
    (time_part,) = {_date_and_time(line)[1] for line in lines}
    day_specs = [f"{_date_and_time(line)[0]} 00:00:00" for line in lines]
    results = calendar([*day_specs, f"*-*-* {time_part}", *lines], BEFORE, ITERATIONS)
    day_results, time_result, line_results = (
        results[: len(lines)],
        results[len(lines)],
        results[-len(lines) :],
    )

    # What systemd writes back is what was written: the lines are already in systemd's normal form.
    assert [result.normalized for result in line_results] == list(lines)

    # Whole years: the days systemd fires on (each line's date part) and its times of day, against cron's.
    systemd_days = {moment.date() for result in day_results for moment in result.elapses}
    systemd_times = {m.time() for m in time_result.elapses if m.date() == BEFORE.date() + timedelta(days=1)}
    assert systemd_times == cron_times(expression)
    for year in YEARS:
        assert {day for day in systemd_days if day.year == year} == cron_days(expression, year)

    # The whole lines, minute by minute, from a moment somewhere in those years (or another year).
    fired = sorted({m for r in calendar(list(lines), start, PREFIX) for m in r.elapses})[:PREFIX]
    assert fired == [m for m in cron_next(expression, start, PREFIX) if m.year <= LAST_YEAR]


@settings(max_examples=150, deadline=None)
@given(expression=cron_expressions())
def test_two_lines_only_for_cron_or_of_two_restricted_day_fields(expression: str) -> None:
    parsed = parse_expression(expression)
    calendar_ = CronCalendar.from_parsed(parsed)
    lines = to_on_calendar(parsed)
    needs_two = calendar_.day_rule is DayRule.OR and calendar_.both_days_restricted
    if needs_two and not _day_half_never_comes(expression):
        assert len(lines) == 2
    else:
        assert len(lines) == 1


def _day_half_never_comes(expression: str) -> bool:
    """True when cron's day-of-month half matches no date in any year (day 30 of February only)."""
    _, _, dom, month, _ = expression.split()
    return not any(cron_days(f"0 0 {dom} {month} *", year) for year in (2027, 2028))


@pytest.mark.parametrize(
    ("expression", "lines"),
    [
        ("0 2 * * *", ["*-*-* 02:00:00"]),
        ("*/15 * * * *", ["*-*-* *:00..45/15:00"]),
        ("0 9-17 * * mon-fri", ["Mon..Fri *-*-* 09..17:00:00"]),
        ("30 4 1,15 * 5", ["*-*-01,15 04:30:00", "Fri *-*-* 04:30:00"]),  # cron ORs: two lines
        ("0 0 */2 * 1", ["Mon *-*-01..31/2 00:00:00"]),  # `*/2` starts with `*`: cron ANDs, one line
        ("0 0 1-31 * 1", ["*-*-* 00:00:00"]),  # a full day field ORed with anything is every day
        ("0 0 * * 0-2", ["Mon,Tue,Sun *-*-* 00:00:00"]),  # a range cannot wrap from Sunday to Monday
        ("0 0 * * 0,7", ["Sun *-*-* 00:00:00"]),
        ("5-50/7 */6 1-10 jan,jun,dec *", ["*-01,06,12-01..10 00..18/6:05..47/7:00"]),
        ("0 0 30 2 1", ["Mon *-02-* 00:00:00"]),  # 30 February never comes: no line for it
        ("@weekly", ["Sun *-*-* 00:00:00"]),
        ("@monthly", ["*-*-01 00:00:00"]),
        ("@hourly", ["*-*-* *:00:00"]),
    ],
)
def test_compact_lines(expression: str, lines: list[str]) -> None:
    assert list(_lines(expression)) == lines


def test_reboot_is_refused_with_the_reason() -> None:
    with pytest.raises(SystemdConversionError, match=re.escape("Use --method cron for @reboot")):
        _lines("@reboot")


def test_a_day_that_never_comes_fires_neither_in_cron_nor_in_systemd() -> None:
    (result,) = calendar(list(_lines("0 0 30 2 *")), BEFORE, 10)
    assert result.elapses == () and cron_days("0 0 30 2 *", 2028) == set()


def test_the_oracle_sees_a_wrong_line() -> None:
    """The comparison can fail: Monday *and* the 1st is not cron's `0 0 1 * 1` (Monday *or* the 1st)."""
    (result,) = calendar(["Mon *-*-01 00:00:00"], BEFORE, ITERATIONS)
    assert {m.date() for m in result.elapses if m.year == 2027} != cron_days("0 0 1 * 1", 2027)
    assert date(2027, 2, 1) in cron_days("0 0 1 * 1", 2027)


def test_every_five_hours_fires_at_midnight_after_a_month_ends() -> None:
    """systemd 252 reads the open-ended `00/5` as skipping midnight after a month's end; ours does not."""
    lines = list(_lines("0 */5 * * *"))
    (result,) = calendar(lines, datetime(2027, 1, 31, 23, 59, 59), 2)
    assert result.elapses == (datetime(2027, 2, 1, 0, 0), datetime(2027, 2, 1, 5, 0))
