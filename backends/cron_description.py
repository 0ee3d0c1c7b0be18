"""Plain-English descriptions of cron expressions, via cron-descriptor, without its misreadings.

cron-descriptor 2.2.1 reads the environment's locale unless told, raises on macros, says "Sunday and
Sunday" for `0,7`, "every 2 days" for `*/2` (cron restarts the count each month), "between day 5 and 5"
for `5-5`, and joins the two day fields with "or" even where cron ANDs them. So it is
fed canonical fields built from the parsed value sets, one part at a time, and the day fields are joined
here by cron's real day rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cron_descriptor import ExpressionDescriptor

from prompt_alchemy_scheduler_tui.backends.cron_calendar import CronCalendar, DayRule
from prompt_alchemy_scheduler_tui.backends.cron_fields import value_runs
from prompt_alchemy_scheduler_tui.backends.cron_syntax import ParsedExpression, ParsedField

_PERIODS = {"minute": 60, "hour": 24, "month": 12, "day of week": 7}


def describe(parsed: ParsedExpression, *, use_24_hour: bool = True) -> str:
    """One sentence saying when the expression fires, in English, independent of the user's locale."""
    if parsed.reboot:
        return "At boot (when the cron daemon starts); not a calendar schedule."
    calendar = CronCalendar.from_parsed(parsed)
    minute, hour, dom, month, dow = (canonical_field(field) for field in parsed.fields)
    # cron-descriptor loads its translations on import (~20 ms): only when a description is asked for.
    from cron_descriptor import DescriptionTypeEnum, ExpressionDescriptor, Options

    options = Options()
    options.locale_code = "en_US"
    options.use_24hour_time_format = use_24_hour
    descriptor = ExpressionDescriptor(f"{minute} {hour} {dom} {month} {dow}", options)
    # The full sentence of the time fields alone gets cron-descriptor's capitalisation and clean-ups.
    time_text = ExpressionDescriptor(f"{minute} {hour} * * *", options).get_description()
    month_text = descriptor.get_description(DescriptionTypeEnum.MONTH)
    day_text = _day_text(parsed, calendar, descriptor)
    return f"{time_text}{day_text}{month_text}"


def _day_text(parsed: ParsedExpression, calendar: CronCalendar, descriptor: ExpressionDescriptor) -> str:
    from cron_descriptor import DescriptionTypeEnum

    dom_text = _dom_phrase(parsed.fields[2], descriptor)
    dow_text = _strip_joiner(descriptor.get_description(DescriptionTypeEnum.DAYOFWEEK))
    if calendar.day_rule is DayRule.OR:
        if calendar.days_full or calendar.weekdays_full:
            return ""  # cron ORs a full field with the other: every day
        return f", {dom_text}, or {dow_text}"
    if calendar.days_full and calendar.weekdays_full:
        return ""
    if calendar.days_full:
        return f", {dow_text}"
    if calendar.weekdays_full:
        return f", {dom_text}"
    # crontab(5): a field starting with `*` makes cron AND the two day fields.
    weekdays = _strip_only(dow_text).replace(", and ", " or ").replace(" and ", " or ")
    return f", {dom_text}, but only if that day is also a {weekdays}"


def _dom_phrase(field: ParsedField, descriptor: ExpressionDescriptor) -> str:
    from cron_descriptor import DescriptionTypeEnum

    values = sorted(field.values)
    if field.has_step and len(values) > 6:
        step = values[1] - values[0]
        return (
            f"on days {values[0]}, {values[1]}, {values[2]}, … {values[-1]} of the month "
            f"(every {step} days, restarting each month)"
        )
    return _strip_joiner(descriptor.get_description(DescriptionTypeEnum.DAYOFMONTH))


def _strip_joiner(text: str) -> str:
    for prefix in (", or ", ", "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _strip_only(text: str) -> str:
    return text.removeprefix("only on ").removeprefix("on ")


def canonical_field(field: ParsedField) -> str:
    """The field rewritten so descriptor and croniter read it as cron does.

    Full fields become `*`; `*/n` stays when n divides the field's period (so it reads "every n hours");
    anything else becomes its explicit sorted values, with runs of three or more as ranges.
    """
    if field.is_full:
        return "*"
    period = _PERIODS.get(field.spec.name)
    text = field.text
    if text.startswith("*/") and "," not in text and period is not None:
        step = int(text[2:])
        if period % step == 0:
            return text
    return compress(sorted(field.values))


def compress(values: list[int]) -> str:
    """`[1, 2, 3, 5]` -> `1-3,5`: the shortest list cron, croniter and cron-descriptor all read alike."""
    return ",".join(str(first) if first == last else f"{first}-{last}" for first, last in value_runs(values))
