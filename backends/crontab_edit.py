"""Pure edits of crontab text: add, replace or remove our entries, keeping every other byte.

Lines are handled with their own line endings, so comments, blank lines, NAME=value lines, odd spacing
and lines we cannot parse come back exactly as they were.
"""

from __future__ import annotations

import difflib

from backends.crontab_entry import CrontabLine, classify

OURS = frozenset({"managed", "legacy"})


def job_lines(text: str | None) -> list[CrontabLine]:
    """Every job line of the crontab (None or "" for no crontab gives [])."""
    lines = (text or "").splitlines(keepends=True)
    found = (classify(number, line.rstrip("\r\n")) for number, line in enumerate(lines, start=1))
    return [line for line in found if line is not None]


def with_entry(text: str | None, entry: str) -> str:
    """`text` with our entry in place of the first managed or legacy line (others removed), else appended."""
    lines = (text or "").splitlines(keepends=True)
    ours = _our_indexes(lines)
    new_line = entry + "\n"
    if ours:
        first = min(ours)
        kept = [line for index, line in enumerate(lines) if index not in ours or index == first]
        position = sum(1 for index in range(first) if index not in ours)
        kept[position] = new_line
        return "".join(kept)
    prefix = "".join(lines)
    if prefix and not prefix.endswith("\n"):
        prefix += "\n"
    return prefix + new_line


def without_entries(text: str | None) -> str | None:
    """`text` without managed and legacy lines; None when nothing at all is left (so: no crontab)."""
    lines = (text or "").splitlines(keepends=True)
    ours = _our_indexes(lines)
    remaining = "".join(line for index, line in enumerate(lines) if index not in ours)
    if not remaining and (text is None or ours):
        return None
    return remaining


def unified_diff(before: str | None, after: str | None, name: str = "crontab") -> str:
    """A unified diff, `(none)` standing for a crontab that does not exist."""
    before_lines = (before or "").splitlines(keepends=True)
    after_lines = (after or "").splitlines(keepends=True)
    diff = difflib.unified_diff(
        before_lines,
        after_lines,
        fromfile=f"{name} (current)" if before is not None else f"{name} (none)",
        tofile=f"{name} (new)" if after is not None else f"{name} (removed)",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff
    )


def _our_indexes(lines: list[str]) -> set[int]:
    indexes = set()
    for index, line in enumerate(lines):
        parsed = classify(index + 1, line.rstrip("\r\n"))
        if parsed is not None and parsed.kind in OURS:
            indexes.add(index)
    return indexes
