"""The five cron fields: their names, ranges and the names cron accepts for their values."""

from __future__ import annotations

from dataclasses import dataclass, field

MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True)
class FieldSpec:
    """What one field accepts. `high_accepted` exceeds `high` only for day of week, where 7 is Sunday."""

    name: str
    low: int
    high: int
    high_accepted: int
    names: dict[str, int] = field(default_factory=dict, hash=False, compare=False)

    @property
    def all_values(self) -> frozenset[int]:
        return frozenset(range(self.low, self.high + 1))

    @property
    def sunday_is_seven(self) -> bool:
        return self.high_accepted > self.high


MINUTE = FieldSpec("minute", 0, 59, 59)
HOUR = FieldSpec("hour", 0, 23, 23)
DAY_OF_MONTH = FieldSpec("day of month", 1, 31, 31)
# crontab(5) and Debian's entry.c: names are the first three letters, case-insensitive, and (on Debian)
# allowed in ranges and lists too.
MONTH = FieldSpec("month", 1, 12, 12, {name: number for number, name in enumerate(MONTH_NAMES, start=1)})
DAY_OF_WEEK = FieldSpec("day of week", 0, 6, 7, {name: number for number, name in enumerate(WEEKDAY_NAMES)})

FIELDS: tuple[FieldSpec, ...] = (MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK)


def value_runs(ordered: list[int]) -> list[tuple[int, int]]:
    """Sorted values as (first, last) runs: consecutive runs of three or more as one range, shorter ones
    as single values. `[1, 2, 3, 5, 6]` -> `[(1, 3), (5, 5), (6, 6)]`. Each scheduler writes them its way."""
    runs: list[tuple[int, int]] = []
    start = previous = ordered[0]
    for value in [*ordered[1:], None]:
        if value is not None and value == previous + 1:
            previous = value
            continue
        if previous - start >= 2:
            runs.append((start, previous))
        else:
            runs.extend((v, v) for v in range(start, previous + 1))
        if value is not None:
            start = previous = value
    return runs
