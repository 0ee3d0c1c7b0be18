"""Which minutes a parsed cron expression fires at, by cron's own rules.

This is the reference matcher the rest of the backends lean on (run times, daylight-saving warnings,
the launchd conversion): it implements Debian's `cron.c` day rule rather than croniter's default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from prompt_alchemy_scheduler_tui.backends.cron_syntax import ParsedExpression

_LONGEST_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


class DayRule(Enum):
    """How day of month and day of week combine (Debian cron.c, `DOM_STAR || DOW_STAR`)."""

    AND = "and"  # either field starts with `*`: a day must match both
    OR = "or"  # neither starts with `*`: a day may match either


@dataclass(frozen=True)
class CronCalendar:
    """The value sets of a calendar expression plus the day rule; cron's truth for "does it fire"."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday; 7 already folded into 0
    day_rule: DayRule
    days_full: bool
    weekdays_full: bool

    @classmethod
    def from_parsed(cls, parsed: ParsedExpression) -> CronCalendar:
        if parsed.reboot:
            raise ValueError("@reboot has no calendar")
        minute, hour, dom, month, dow = parsed.fields
        rule = DayRule.AND if dom.starts_with_star or dow.starts_with_star else DayRule.OR
        return cls(
            minutes=minute.values,
            hours=hour.values,
            days=dom.values,
            months=month.values,
            weekdays=dow.values,
            day_rule=rule,
            days_full=dom.is_full,
            weekdays_full=dow.is_full,
        )

    @property
    def both_days_restricted(self) -> bool:
        return not self.days_full and not self.weekdays_full

    def fires_on_some_date(self) -> bool:
        """False for a schedule no date matches (30 February), decided without searching the calendar.

        Under OR any weekday matches somewhere in every month. Under AND a day of month that exists in a
        chosen month (29 February counts: leap years) falls on every weekday within 400 years.
        """
        if self.day_rule is DayRule.OR:
            return True
        return any(day <= _LONGEST_MONTH[month] for month in self.months for day in self.days)

    def day_matches(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        in_days = day.day in self.days
        in_weekdays = (day.isoweekday() % 7) in self.weekdays
        if self.day_rule is DayRule.AND:
            return in_days and in_weekdays
        return in_days or in_weekdays

    def matches(self, moment: datetime) -> bool:
        """True when cron fires at this wall-clock minute (seconds ignored)."""
        return moment.minute in self.minutes and moment.hour in self.hours and self.day_matches(moment.date())
