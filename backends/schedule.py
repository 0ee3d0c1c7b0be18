"""The schedule model: everything the editor, the CLI and the installers need from one expression."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, datetime
from typing import Any
from zoneinfo import ZoneInfo

from prompt_alchemy_scheduler_tui.backends.cron_description import describe
from prompt_alchemy_scheduler_tui.backends.cron_syntax import (
    CronSyntaxError,
    ParsedExpression,
    parse_expression,
)
from prompt_alchemy_scheduler_tui.backends.crontab_text import strip_blanks
from prompt_alchemy_scheduler_tui.backends.run_times import NeverFiresError, next_runs
from prompt_alchemy_scheduler_tui.backends.schedule_warnings import ScheduleWarning, schedule_warnings
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import ScheduleForm
from prompt_alchemy_scheduler_tui.backends.time_zone import local_zone


@dataclass(frozen=True)
class ScheduleExplanation:
    """A schedule explained: valid or the exact error; description, next runs and warnings if valid.

    `forms` holds the exact form the schedule takes in each scheduler that has one of its own (launchd's
    intervals), added by `explain_everything`.
    """

    expression: str
    valid: bool
    error: str | None
    error_field: str | None
    description: str | None
    next_runs: tuple[datetime, ...]
    never_fires: bool
    warnings: tuple[ScheduleWarning, ...]
    time_zone: str
    forms: tuple[ScheduleForm, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "valid": self.valid,
            "error": self.error,
            "error_field": self.error_field,
            "description": self.description,
            "next_runs": [moment.isoformat() for moment in self.next_runs],
            "never_fires": self.never_fires,
            "warnings": [{"code": w.code, "message": w.message} for w in self.warnings],
            "time_zone": self.time_zone,
            **{form.method.value: dict(form.data) for form in self.forms},
        }


class Schedule:
    """A cron expression in the system-cron dialect, parsed once and questioned many times.

    Construction never raises: an invalid expression gives a Schedule with `valid` False and `error`
    set, so the editor can show it on every keystroke.
    """

    def __init__(self, expression: str) -> None:
        self.expression = strip_blanks(expression)
        self.parsed: ParsedExpression | None
        self.error: CronSyntaxError | None
        try:
            self.parsed = parse_expression(expression)
            self.error = None
        except CronSyntaxError as error:
            self.parsed = None
            self.error = error

    @property
    def valid(self) -> bool:
        return self.parsed is not None

    def require(self) -> ParsedExpression:
        """The parsed expression, or the CronSyntaxError for callers that must not go on."""
        if self.parsed is None:
            assert self.error is not None
            raise self.error
        return self.parsed

    def explain(
        self, *, count: int = 5, start: datetime | None = None, zone: ZoneInfo | None = None
    ) -> ScheduleExplanation:
        """Everything about the expression as seen from `start` (default now) in `zone`.

        Never raises for the expression itself. ValueError for a `count` over MAX_RUNS or a `start`
        that cannot be placed in `zone` or is in year 1; runs past 9999-12-31 end the list with a
        "calendar-end" warning.
        """
        zone = zone or local_zone()
        start = in_zone(start, zone)
        if self.parsed is None:
            assert self.error is not None
            return ScheduleExplanation(
                expression=self.expression,
                valid=False,
                error=str(self.error),
                error_field=self.error.field,
                description=None,
                next_runs=(),
                never_fires=False,
                warnings=(),
                time_zone=zone.key,
            )
        warnings = schedule_warnings(self.parsed, start, zone)
        never_fires = False
        try:
            runs = next_runs(self.parsed, start, count)
        except NeverFiresError as error:
            runs, never_fires = [], True
            warnings.insert(0, ScheduleWarning("never", str(error)))
        else:
            if len(runs) < count and not self.parsed.reboot:
                warnings.append(_calendar_end_warning(len(runs), count))
        return ScheduleExplanation(
            expression=self.expression,
            valid=True,
            error=None,
            error_field=None,
            description=describe(self.parsed),
            next_runs=tuple(runs),
            never_fires=never_fires,
            warnings=tuple(warnings),
            time_zone=zone.key,
        )


def _calendar_end_warning(found: int, asked: int) -> ScheduleWarning:
    return ScheduleWarning(
        "calendar-end",
        f"Only {found} of the {asked} next runs are listed: the others would fall after {MAXYEAR}-12-31, "
        "the last date this tool can represent.",
    )


def in_zone(moment: datetime | None, zone: ZoneInfo) -> datetime:
    """`moment` in `zone`: now if None, a naive time read as wall-clock time in `zone`.

    ValueError when an aware `moment` within a day of 0001-01-01 or 9999-12-31 has no date in `zone`.
    """
    if moment is None:
        return datetime.now(zone)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(zone)
    except OverflowError:
        raise ValueError(
            f"{moment.isoformat()} cannot be expressed in {zone.key}: it would fall outside the years "
            f"{MINYEAR} to {MAXYEAR}."
        ) from None
