"""Pure edits of crontab text: add, replace or remove our entries, keeping every other byte.

Lines are handled with their own line endings (split at `\\n` only, as cron splits them), so comments,
blank lines, NAME=value lines, odd spacing, control characters and lines we cannot parse come back
exactly as they were. Only managed lines (exactly our form) and legacy lines (exactly the old Go
tool's form) are ever replaced or removed.
"""

from __future__ import annotations

from prompt_alchemy_scheduler_tui.backends.crontab_entry import CrontabLine, LineKind, classify
from prompt_alchemy_scheduler_tui.backends.crontab_text import line_body, split_lines

OURS = frozenset({LineKind.MANAGED, LineKind.LEGACY})


def job_lines(text: str | None) -> list[CrontabLine]:
    """Every job line of the crontab (None or "" for no crontab gives [])."""
    found = (classify(number, line_body(line)) for number, line in enumerate(split_lines(text), start=1))
    return [line for line in found if line is not None]


def our_lines(text: str | None) -> list[CrontabLine]:
    """The managed and legacy lines: what install replaces and uninstall removes."""
    return [line for line in job_lines(text) if line.kind in OURS]


def with_entry(text: str | None, entry: str) -> str:
    """`text` with our entry in place of the first managed or legacy line (others removed), else appended.

    Appending to text without a final newline adds one first: crontab(1) refuses a file without one.
    """
    lines = split_lines(text)
    ours = _our_indexes(lines)
    new_line = entry + "\n"
    if ours:
        first = min(ours)
        return "".join(
            new_line if index == first else line
            for index, line in enumerate(lines)
            if index not in ours or index == first
        )
    prefix = "".join(lines)
    if prefix and not prefix.endswith("\n"):
        prefix += "\n"
    return prefix + new_line


def without_entries(
    text: str | None, *, keep_empty: bool = False, newline_was_added: bool = False
) -> str | None:
    """`text` without managed and legacy lines.

    None (no crontab) when nothing at all is left, unless `keep_empty`: then "" (an empty crontab, for
    a user who had an empty one before our entry was added). `newline_was_added`: the crontab had no
    final newline until `with_entry` appended our line; when ours is still the last line, that newline
    goes again.
    """
    lines = split_lines(text)
    ours = _our_indexes(lines)
    remaining = "".join(line for index, line in enumerate(lines) if index not in ours)
    if newline_was_added and lines and len(lines) - 1 in ours and remaining.endswith("\n"):
        remaining = remaining[:-1]
    if text is None:
        return None
    if not remaining and ours:
        return "" if keep_empty else None
    return remaining


def _our_indexes(lines: list[str]) -> set[int]:
    indexes = set()
    for index, line in enumerate(lines):
        parsed = classify(index + 1, line_body(line))
        if parsed is not None and parsed.kind in OURS:
            indexes.add(index)
    return indexes
