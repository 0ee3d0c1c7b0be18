"""The one model of crontab text that every edit, listing, backup, diff and restore uses.

Cron reads its file line by line up to `\\n` only and separates fields with spaces and tabs only
(Debian cron, misc.c `get_string()` and `skip_comments()`, entry.c `load_entry()`; cronie likewise).
Python's `splitlines()` and `str.split()` also break at `\\v`, `\\f`, `\\x1c`-`\\x1e`, NEL and
U+2028/2029, which would split or merge other people's lines: nothing here uses them.
"""

from __future__ import annotations

import re

BLANKS = " \t"
_BLANK_RUN = re.compile(r"[ \t]+")


def split_lines(text: str | None) -> list[str]:
    """The crontab's lines, each with its own `\\n` (the last may have none); [] for no or empty text."""
    if not text:
        return []
    lines = text.split("\n")
    last = lines.pop()
    result = [line + "\n" for line in lines]
    if last:
        result.append(last)
    return result


def line_body(line: str) -> str:
    """A line without its `\\n` (a `\\r` before it is part of the line, as it is for cron)."""
    return line.removesuffix("\n")


def strip_blanks(text: str) -> str:
    """`text` without leading and trailing spaces and tabs, and nothing else removed."""
    return text.strip(BLANKS)


def split_fields(text: str, max_split: int = -1) -> list[str]:
    """Fields separated by runs of spaces and tabs, as cron separates them; leading blanks ignored.

    With `max_split`, the last item is the rest of the text after that many fields, unchanged except
    for its leading blanks (cron hands the command to the shell as written).
    """
    rest = text.lstrip(BLANKS)
    if not rest:
        return []
    return _BLANK_RUN.split(rest, maxsplit=max_split if max_split >= 0 else 0)
