"""What a log line is (an error, a warning, a run marker...) and where a search text occurs in it.

Prompt Alchemy logs through logrus's text formatter (its internal/log/log.go), which writes
`time="2026-11-26T02:00:01Z" level=error msg="Failed to write config"` when the output is a file; its
command line (cobra) prints a failed command's error as `Error: <message>`, and a Go panic starts with
`panic: `. Log text is untrusted: a search is a plain text, never a pattern, and costs at most one pass
over the line whatever the text and the query hold.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from enum import Enum

from prompt_alchemy_scheduler_tui.backends.run_markers import MARKER_PREFIX, MarkerKind, parse_marker

MAX_QUERY = 200  # characters of a search text: more than any line fragment anyone types


class LineKind(Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    DEBUG = "debug"
    PLAIN = "plain"  # no level found: shown as written
    RUN_START = "run-start"
    RUN_END = "run-end"
    NOTE = "note"  # the viewer's own remark (the file was truncated, rotated...), never read from a file


# Kept by the "errors and warnings" filter: the problems, and where each run starts and ends (so a
# problem can be told apart by run) and what happened to the file.
PROBLEM_KINDS = frozenset(
    {LineKind.ERROR, LineKind.WARNING, LineKind.RUN_START, LineKind.RUN_END, LineKind.NOTE}
)

# logrus's level names (logrus.go, Level.String) and the short "warn" it also parses; JSON output too.
_LEVEL = re.compile(r'(?:^|[\s"{,])"?level"?[=:]"?([A-Za-z]{4,7})\b')
_LEVELS = {
    "panic": LineKind.ERROR,
    "fatal": LineKind.ERROR,
    "error": LineKind.ERROR,
    "warning": LineKind.WARNING,
    "warn": LineKind.WARNING,
    "info": LineKind.INFO,
    "debug": LineKind.DEBUG,
    "trace": LineKind.DEBUG,
}
_ERROR_STARTS = ("Error:", "panic: ")
_OffsetMap = Callable[[int], int]


def classify(line: str) -> LineKind:
    """The kind of one log line (without its line ending): a run marker, else its logrus level, else
    an error for cobra's `Error:` and Go's `panic: ` lines, else PLAIN."""
    if line.startswith(MARKER_PREFIX):
        marker = parse_marker(line)
        if marker is not None:
            return LineKind.RUN_START if marker.kind is MarkerKind.STARTED else LineKind.RUN_END
    if "level" in line:  # the cheap test first: most lines of other programs have no level field
        match = _LEVEL.search(line)
        if match is not None:
            kind = _LEVELS.get(match[1].lower())
            if kind is not None:
                return kind
    if line.startswith(_ERROR_STARTS):
        return LineKind.ERROR
    return LineKind.PLAIN


class TextSearch:
    """A case-insensitive plain-text search: `query` is looked for as written, never as a pattern.

    Matching lowers both sides and uses str.find, which stays linear in the line's length for any
    query (a regular expression with IGNORECASE tries the whole query at every position).
    """

    def __init__(self, query: str) -> None:
        if not query:
            raise ValueError("an empty search matches everything")
        self.query = query[:MAX_QUERY]
        self._needle = self.query.lower()

    def matches(self, line: str) -> bool:
        return self._needle in line.lower()

    def spans(self, line: str) -> list[tuple[int, int]]:
        """Where the query occurs in `line`, as (start, end) offsets into `line` itself, left to right,
        not overlapping."""
        lowered, offsets = _lowered(line)
        spans = []
        start = lowered.find(self._needle)
        while start >= 0:
            end = start + len(self._needle)
            spans.append((offsets(start), offsets(end - 1) + 1))
            start = lowered.find(self._needle, end)
        return spans


def _lowered(line: str) -> tuple[str, _OffsetMap]:
    """`line` lowered, and a map from offsets in the lowered text back to offsets in `line`.

    Lowering keeps the length of nearly every text; a few characters grow ("İ" becomes "i̇"), and
    then each lowered offset is mapped back to the character it came from."""
    lowered = line.lower()
    if len(lowered) == len(line):
        return lowered, _identity
    back: list[int] = []
    for index, character in enumerate(line):
        back.extend([index] * len(character.lower()))
    return lowered, back.__getitem__


def _identity(offset: int) -> int:
    return offset


def nearest(numbers: list[int], position: int, *, forward: bool, wrap: bool = True) -> int | None:
    """The first of the sorted `numbers` after `position` (or the last before it), wrapping around to
    the other end when `wrap`; None when there is none."""
    if not numbers:
        return None
    if forward:
        index = bisect.bisect_right(numbers, position)
        if index < len(numbers):
            return numbers[index]
        return numbers[0] if wrap else None
    index = bisect.bisect_left(numbers, position) - 1
    if index >= 0:
        return numbers[index]
    return numbers[-1] if wrap else None
