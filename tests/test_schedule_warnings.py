"""Warnings a careful user wants before installing."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from prompt_alchemy_scheduler_tui.backends.schedule import Schedule

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 11, 26, 8, 0, tzinfo=PARIS)


def _codes(expression: str, zone: ZoneInfo = PARIS) -> dict[str, str]:
    explanation = Schedule(expression).explain(start=START, zone=zone)
    return {w.code: w.message for w in explanation.warnings}


def test_or_rule_is_named_when_both_day_fields_are_restricted() -> None:
    codes = _codes("30 4 1,15 * 5")
    assert codes["day-or"] == (
        "Both day fields are restricted (1,15 and 5), so cron runs on a day that matches EITHER of them, "
        "not only on days matching both."
    )
    assert "day-and" not in codes


def test_and_rule_is_named_when_a_day_field_starts_with_star() -> None:
    codes = _codes("0 0 */2 * 1")
    assert codes["day-and"].startswith("The day of month field starts with '*', so cron runs only on days")
    assert "day-or" not in codes


def test_plain_daily_schedule_has_no_day_rule_warning() -> None:
    assert {"day-or", "day-and", "frequent"}.isdisjoint(_codes("0 4 * * *"))


def test_more_often_than_hourly_is_flagged() -> None:
    assert _codes("*/15 * * * *")["frequent"] == (
        "Runs 4 times an hour; the nightly training job usually needs once a day."
    )
    assert "frequent" not in _codes("0 * * * *")


def test_run_inside_spring_forward_gap_names_the_date() -> None:
    message = _codes("30 2 * * *")["dst-skip"]
    assert message.startswith(
        "On 2027-03-28 the clock jumps forward over 02:00-03:00 (Europe/Paris): the 02:30 run"
    )


def test_run_inside_repeated_hour_names_the_date() -> None:
    new_york = ZoneInfo("America/New_York")
    explanation = Schedule("30 1 * * *").explain(start=datetime(2026, 11, 26, tzinfo=new_york), zone=new_york)
    message = {w.code: w.message for w in explanation.warnings}["dst-repeat"]
    assert message.startswith("On 2027-11-07 the clock goes back and repeats 01:00-02:00 (America/New_York)")


def test_no_clock_warning_outside_the_change_or_in_utc() -> None:
    assert "dst-skip" not in _codes("0 4 * * *")
    assert "dst-skip" not in _codes("30 2 * * *", ZoneInfo("UTC"))


def test_clock_warning_respects_the_day_fields() -> None:
    # 2027-03-28 is a Sunday: a Monday-only 02:30 job is untouched by that change.
    assert "dst-skip" not in _codes("30 2 * * 1")
    assert "dst-skip" in _codes("30 2 * * 0")


def test_sleep_note_is_always_there_for_calendar_schedules() -> None:
    assert "sleep" in _codes("0 2 * * *")
    assert set(_codes("@reboot")) == {"reboot"}


def test_invalid_expression_has_error_and_nothing_else() -> None:
    explanation = Schedule("61 * * * *").explain(start=START.astimezone(UTC))
    assert not explanation.valid
    assert explanation.error == "minute: 61 is out of range (0-59)."
    assert explanation.error_field == "minute"
    assert explanation.next_runs == () and explanation.warnings == () and explanation.description is None
