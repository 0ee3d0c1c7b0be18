"""Next run times follow cron's real calendar, checked against cronsim (an independent evaluator)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cronsim import CronSim, CronSimError
from hypothesis import given, settings
from hypothesis import strategies as st

from prompt_alchemy_scheduler_tui.backends.cron_syntax import parse_expression
from prompt_alchemy_scheduler_tui.backends.run_times import NeverFiresError, next_runs
from prompt_alchemy_scheduler_tui.backends.schedule import Schedule
from tests.cron_strategies import cron_expressions

START = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def _runs(expression: str, count: int = 5, start: datetime = START) -> list[datetime]:
    return next_runs(parse_expression(expression), start, count)


def test_leading_star_ands_the_day_fields() -> None:
    runs = _runs("0 0 */2 * 1", 4)
    assert [r.date().isoformat() for r in runs] == ["2026-12-07", "2026-12-21", "2027-01-11", "2027-01-25"]
    assert all(r.isoweekday() == 1 and r.day % 2 == 1 for r in runs)


def test_two_restricted_day_fields_are_ored() -> None:
    runs = _runs("30 4 1,15 * 5", 4)
    assert [r.date().isoformat() for r in runs] == ["2026-11-27", "2026-12-01", "2026-12-04", "2026-12-11"]


def test_single_value_range_is_not_a_wildcard() -> None:
    # croniter alone expands 5-5 to *
    assert [r.day for r in _runs("0 0 5-5 * *", 3)] == [5, 5, 5]


def test_never_firing_schedule_is_reported_not_raised_from_explain() -> None:
    with pytest.raises(NeverFiresError):
        _runs("0 0 30 2 *")
    explanation = Schedule("0 0 30 2 *").explain(start=START)
    assert explanation.valid and explanation.never_fires and explanation.next_runs == ()
    assert explanation.warnings[0].code == "never"


def test_leap_day_is_found_years_ahead() -> None:
    assert _runs("0 0 29 2 *", 2)[1].year == 2032


def test_runs_are_in_the_requested_zone() -> None:
    paris = ZoneInfo("Europe/Paris")
    runs = (
        Schedule("0 2 * * *").explain(start=datetime(2026, 11, 26, 8, 0, tzinfo=paris), zone=paris).next_runs
    )
    assert runs[0] == datetime(2026, 11, 27, 2, 0, tzinfo=paris)
    assert runs[0].utcoffset() == timedelta(hours=1)


def test_reboot_has_no_run_times() -> None:
    assert _runs("@reboot") == []


@settings(max_examples=300, deadline=None)
@given(expression=cron_expressions(), minutes=st.integers(0, 60 * 24 * 366 * 2))
def test_next_runs_match_cronsim(expression: str, minutes: int) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes)
    parsed = parse_expression(expression)
    try:
        ours = [r.replace(tzinfo=None) for r in next_runs(parsed, start, 5)]
    except NeverFiresError:
        ours = []
    theirs = []
    try:
        oracle = CronSim(_for_cronsim(expression), start.replace(tzinfo=None))
        for _ in range(5):
            theirs.append(next(oracle))
    except StopIteration:
        pass
    except CronSimError:  # cronsim refuses a day that never comes (`30 2`, Feb 30): cron never fires it
        pass
    assert ours == theirs


def _for_cronsim(expression: str) -> str:
    """cronsim 2.8 reads `a-a/n` as `a/n` (a-to-max); Debian's entry.c reads it as `a`. Say `a` to it."""
    return re.sub(r"\b(\w+)-\1/\d+", r"\1", expression)


def test_cronsim_adapter_only_rewrites_single_value_ranges_with_steps() -> None:
    assert _for_cronsim("0-0/1 5-5/2,7-9/2 * * *") == "0 5,7-9/2 * * *"


# The end of the calendar: Python's datetime stops at 9999-12-31. The TUI and the CLI share this backend.

LAST_DAYS = datetime(9999, 12, 30, 0, 0, tzinfo=UTC)


def test_runs_past_year_9999_end_the_list_with_a_note() -> None:
    explanation = Schedule("0 2 * * *").explain(count=5, start=LAST_DAYS, zone=ZoneInfo("UTC"))
    assert [run.date().isoformat() for run in explanation.next_runs] == ["9999-12-30", "9999-12-31"]
    assert not explanation.never_fires
    assert explanation.warnings[-1].code == "calendar-end"
    assert explanation.warnings[-1].message.startswith("Only 2 of the 5 next runs are listed")


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
@pytest.mark.parametrize("expression", ["0 2 * * *", "* * * * *", "@yearly", "0 0 29 2 */7", "0 0 30 2 *"])
def test_explaining_from_the_last_minute_never_raises(zone: str, expression: str) -> None:
    here = ZoneInfo(zone)
    last_minute = datetime(9999, 12, 31, 23, 59, tzinfo=here)
    explanation = Schedule(expression).explain(count=1000, start=last_minute, zone=here)
    assert explanation.next_runs == () and explanation.valid
    codes = [warning.code for warning in explanation.warnings]
    assert ("never" in codes) if expression == "0 0 30 2 *" else ("calendar-end" in codes)


def test_a_rare_schedule_lists_every_run_up_to_the_end() -> None:
    runs = _runs("0 0 29 2 */7", 1000)  # 29 February on a Sunday: every 28 years or so
    assert 200 < len(runs) < 1000 and runs[-1].year > 9900
    assert all((run.month, run.day, run.isoweekday()) == (2, 29, 7) for run in runs)


def test_never_firing_is_decided_before_searching() -> None:
    for expression in ("0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30,31 2 */2"):
        with pytest.raises(NeverFiresError):
            _runs(expression, start=LAST_DAYS)
    for expression in ("0 0 31 4,5 *", "0 0 30 2 1", "0 0 */30 2 1"):
        assert _runs(expression, 1)


def test_out_of_range_requests_are_value_errors_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="At most 1000 next runs"):
        _runs("0 2 * * *", 1001)
    with pytest.raises(ValueError, match="from year 2 on"):
        _runs("0 2 * * *", 1, start=datetime(1, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="cannot be expressed in Asia/Tokyo"):
        Schedule("0 2 * * *").explain(
            start=datetime(9999, 12, 31, 23, 0, tzinfo=ZoneInfo("America/New_York")),
            zone=ZoneInfo("Asia/Tokyo"),
        )


def test_a_day_that_never_comes_has_no_runs_in_either() -> None:
    with pytest.raises(NeverFiresError):
        next_runs(parse_expression("* * 30 2 *"), datetime(2025, 1, 1, tzinfo=UTC), 5)
