"""Parse and validate cron expressions in the *system cron* dialect.

The dialect is the intersection of Debian's Vixie cron 3.0pl1 and cronie: what both daemons accept and
run as written. croniter and cron-descriptor accept much more (seconds, `L`, `#`, `5/15`, `@DAILY`), so
this module is the gate; they only ever see expressions it has accepted and rewritten canonically.
Facts cited below come from crontab(5) and Debian's `entry.c`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prompt_alchemy_scheduler_tui.backends.cron_fields import FIELDS, FieldSpec
from prompt_alchemy_scheduler_tui.backends.crontab_text import split_fields, strip_blanks
from prompt_alchemy_scheduler_tui.backends.line_safety import unsafe_character_message

# crontab(5): macros are compared case-sensitively; `@DAILY` is "bad time specifier".
MACROS: dict[str, str] = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
REBOOT = "@reboot"
DEFAULT_EXPRESSION = "0 2 * * *"  # Prompt Alchemy's documented default: daily at 2 AM

MAX_EXPRESSION_LENGTH = 1000
_ITEM = re.compile(r"^(?:(?P<star>\*)|(?P<lo>[0-9A-Za-z]+)(?:-(?P<hi>[0-9A-Za-z]+))?)(?:/(?P<step>[0-9]+))?$")


class CronSyntaxError(ValueError):
    """An expression system cron would refuse, or would run differently from what it says.

    `field` names the offending field ("minute", "day of week", ...) or is None for whole-expression
    faults; `str(error)` is a complete sentence fit to show the user as is.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ParsedField:
    """One field: the values it matches, and whether its text starts with `*` (cron's day rule)."""

    spec: FieldSpec
    text: str
    values: frozenset[int]
    starts_with_star: bool
    has_step: bool

    @property
    def is_full(self) -> bool:
        """True when the field matches every value of its range (`*`, `*/1`, `0-59`, `0-7`, ...)."""
        return self.values == self.spec.all_values


@dataclass(frozen=True)
class ParsedExpression:
    """A valid expression: the text as typed, the macro if any, and the five parsed fields.

    `reboot` expressions have no fields: `@reboot` is "at boot", not a calendar schedule.
    """

    text: str
    macro: str | None
    fields: tuple[ParsedField, ...]

    @property
    def reboot(self) -> bool:
        return self.macro == REBOOT

    @property
    def five_fields(self) -> str:
        """The expression as five fields (macros expanded)."""
        if self.macro is not None:
            return MACROS.get(self.macro, self.macro)
        return " ".join(field.text for field in self.fields)


def parse_expression(text: str) -> ParsedExpression:
    """Parse `text` or raise CronSyntaxError with a message naming the field and the fix.

    Fields are separated by spaces and tabs only, as cron separates them (entry.c); any other control
    or line-separator character is refused, since it would split or corrupt the crontab line.
    """
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise CronSyntaxError(
            f"The expression is {len(text)} characters long; at most {MAX_EXPRESSION_LENGTH} are allowed "
            "(listing every value of all five fields takes under 400)."
        )
    problem = unsafe_character_message("The expression", text, allow_tab=True)
    if problem:
        raise CronSyntaxError(problem)
    stripped = strip_blanks(text)
    if not stripped:
        raise CronSyntaxError(
            "The expression is empty: enter five fields, minute hour day-of-month month day-of-week "
            "(for example 0 2 * * *)."
        )
    if stripped.startswith("@"):
        return _parse_macro(stripped)
    parts = split_fields(stripped)
    if len(parts) != 5:
        raise CronSyntaxError(_field_count_message(len(parts)))
    fields = tuple(_parse_field(part, spec) for part, spec in zip(parts, FIELDS, strict=True))
    return ParsedExpression(text=stripped, macro=None, fields=fields)


def _parse_macro(text: str) -> ParsedExpression:
    words = split_fields(text)
    if len(words) != 1:
        raise CronSyntaxError(f"{words[0]} is a whole schedule on its own: remove the fields after it.")
    if text == REBOOT:
        return ParsedExpression(text=text, macro=REBOOT, fields=())
    if text in MACROS:
        five = MACROS[text].split()
        fields = tuple(_parse_field(part, spec) for part, spec in zip(five, FIELDS, strict=True))
        return ParsedExpression(text=text, macro=text, fields=fields)
    lower = text.lower()
    if lower in MACROS or lower == REBOOT:
        raise CronSyntaxError(
            f"{text}: cron compares macros case-sensitively and refuses this one; write {lower}."
        )
    names = " ".join([*MACROS, REBOOT])
    raise CronSyntaxError(f"{text} is not a cron macro; use one of {names}.")


def _field_count_message(count: int) -> str:
    expected = "cron takes exactly five: minute hour day-of-month month day-of-week"
    if count == 6:
        return (
            f"6 fields given: {expected}. System cron has no seconds field (that is a Quartz/croniter "
            "extension): remove the first field if it is seconds, the last if it is a year."
        )
    if count == 7:
        return f"7 fields given: {expected}. System cron has no seconds or year field: remove them."
    noun = "field" if count == 1 else "fields"
    return f"{count} {noun} given: {expected}."


def _parse_field(text: str, spec: FieldSpec) -> ParsedField:
    values: set[int] = set()
    has_step = False
    for item in text.split(","):
        if not item:
            raise CronSyntaxError(f"{spec.name}: '{text}' has an empty item in its list.", spec.name)
        item_values, item_step = _parse_item(item, spec)
        values |= item_values
        has_step = has_step or item_step
    if spec.sunday_is_seven and 7 in values:
        # crontab(5): 0 and 7 are both Sunday.
        values = (values - {7}) | {0}
    return ParsedField(
        spec=spec,
        text=text,
        values=frozenset(values),
        starts_with_star=text.startswith("*"),
        has_step=has_step,
    )


def _parse_item(item: str, spec: FieldSpec) -> tuple[set[int], bool]:
    match = _ITEM.match(item)
    if match is None:
        raise CronSyntaxError(_unsupported_item_message(item, spec), spec.name)
    step_text = match["step"]
    step = int(step_text) if step_text is not None else 1
    if step_text is not None and step == 0:
        raise CronSyntaxError(f"{spec.name}: '{item}' has step 0; a step must be 1 or more.", spec.name)
    if match["star"]:
        low, high = spec.low, spec.high
    else:
        low = _value(match["lo"], item, spec)
        high = _value(match["hi"], item, spec) if match["hi"] is not None else low
        if match["hi"] is None and step_text is not None:
            # entry.c: a step is only read after a range or `*`; `5/15` is "bad minute".
            raise CronSyntaxError(
                f"{spec.name}: '{item}' puts a step after a single value, which cron refuses; "
                f"write '{low}-{spec.high}/{step}' (from {low} every {step}) or '*/{step}'.",
                spec.name,
            )
        if low > high:
            raise CronSyntaxError(
                f"{spec.name}: range '{item}' is reversed; cron accepts it but it matches nothing, so the "
                f"job would never run. Write '{match['hi']}-{match['lo']}' or list the values.",
                spec.name,
            )
    return set(range(low, high + 1, step)), step_text is not None


def _value(token: str, item: str, spec: FieldSpec) -> int:
    if token.isdigit():
        number = int(token)
        if not spec.low <= number <= spec.high_accepted:
            raise CronSyntaxError(
                f"{spec.name}: {number} is out of range ({spec.low}-{spec.high_accepted}).", spec.name
            )
        return number
    named = spec.names.get(token.lower())
    if named is not None:
        return named
    raise CronSyntaxError(_unsupported_item_message(item, spec, token), spec.name)


_SPECIAL_CHARACTERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"#"),
        "'#' (nth weekday of the month) is not supported by system cron: Debian silently ignores the "
        "'#n' part and would run on every such weekday. Use a day-of-month range with the weekday "
        "in a wrapper script instead.",
    ),
    (re.compile(r"^\?$"), "'?' is Quartz syntax, not cron's: use '*'."),
    (
        re.compile(r"^[0-9]*L[W]?$|^L-?[0-9]*$"),
        "'L' (last day) is not supported by system cron; list the days instead (e.g. 28-31 with a check "
        "in the job).",
    ),
    (re.compile(r"^[0-9]+W$"), "'W' (nearest weekday) is not supported by system cron."),
    (re.compile(r"^H(\(.*\))?(/[0-9]+)?$"), "'H' (hashed value) is Jenkins syntax, not cron's."),
    (re.compile(r"^R$"), "'R' (random value) is a croniter extension, not cron's."),
)


def _unsupported_item_message(item: str, spec: FieldSpec, token: str | None = None) -> str:
    for pattern, reason in _SPECIAL_CHARACTERS:
        if pattern.search(item):
            return f"{spec.name}: '{item}': {reason}"
    if "/" in item and not re.fullmatch(r".*/[0-9]+", item):
        return f"{spec.name}: '{item}' has a step that is not a whole number."
    bad = token if token is not None else item
    if re.fullmatch(r"[A-Za-z]+", bad):
        if spec.names:
            first = next(iter(spec.names))
            hint = f"use three-letter names such as '{first}' or numbers {spec.low}-{spec.high}"
            if bad[:3].lower() in spec.names and len(bad) > 3:
                hint = f"cron only knows three-letter names: write '{bad[:3].lower()}'"
            return f"{spec.name}: '{bad}' is not a name cron knows; {hint}."
        return f"{spec.name}: '{bad}' is not a number; this field takes {spec.low}-{spec.high}."
    return f"{spec.name}: '{item}' is not valid cron syntax; use *, a number, a-b, a list a,b, */n or a-b/n."
