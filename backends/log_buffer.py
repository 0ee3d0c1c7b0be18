"""The lines one log pane keeps, and what the pane's filter, search and run jumps make of them.

Lines are numbered from the first one ever added, so a number keeps naming the same line when the
oldest lines are dropped to stay within `max_lines`: a search match or a view position stays put while
the file grows. A viewer renders `shown` (the lines the filter lets through) and asks for the rest.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate

from prompt_alchemy_scheduler_tui.backends.log_lines import PROBLEM_KINDS, LineKind, TextSearch, classify


class LogBuffer:
    def __init__(self, max_lines: int, measure: Callable[[str], int] = len) -> None:
        """`measure` gives a line's width on screen (terminal cells), kept for wrapping and scrolling."""
        self.max_lines = max_lines
        self._measure = measure
        self.first = 0  # the number of the oldest line kept
        self._texts: list[str] = []
        self._kinds: list[LineKind] = []
        self._cells: list[int] = []
        self.problems_only = False
        self.shown: list[int] = []  # numbers of the lines the filter lets through, ascending
        self.search: TextSearch | None = None
        self.matches: list[int] = []  # the shown lines the search finds, ascending
        self.run_starts: list[int] = []  # run start markers (the filter keeps every marker)

    @property
    def end(self) -> int:
        """The number the next line will get."""
        return self.first + len(self._texts)

    @property
    def lines(self) -> Sequence[str]:
        """Every kept line, filtered out or not, oldest first."""
        return self._texts

    def text(self, number: int) -> str:
        return self._texts[number - self.first]

    def kind(self, number: int) -> LineKind:
        return self._kinds[number - self.first]

    def cells(self, number: int) -> int:
        return self._cells[number - self.first]

    def append(self, lines: Iterable[str], kind: LineKind | None = None) -> None:
        """Add lines (each classified, unless `kind` says what they are), then drop the oldest beyond
        `max_lines`."""
        search, problems_only = self.search, self.problems_only
        number = self.end
        for text in lines:
            line_kind = kind or classify(text)
            self._texts.append(text)
            self._kinds.append(line_kind)
            self._cells.append(self._measure(text))
            if not problems_only or line_kind in PROBLEM_KINDS:
                self.shown.append(number)
                if search is not None and search.matches(text):
                    self.matches.append(number)
            if line_kind is LineKind.RUN_START:
                self.run_starts.append(number)
            number += 1
        excess = len(self._texts) - self.max_lines
        if excess > 0:
            self.first += excess
            del self._texts[:excess], self._kinds[:excess], self._cells[:excess]
            for numbers in (self.shown, self.matches, self.run_starts):
                del numbers[: bisect.bisect_left(numbers, self.first)]

    def clear(self) -> None:
        """Forget every line (numbering goes on: no old number can name a new line)."""
        self.first = self.end
        for kept in (self._texts, self._kinds, self._cells, self.shown, self.matches, self.run_starts):
            kept.clear()

    def set_problems_only(self, on: bool) -> None:
        """Show only errors, warnings, run markers and notes (on), or every line (off)."""
        self.problems_only = on
        numbers = range(self.first, self.end)
        if on:
            self.shown = [number for number in numbers if self._kinds[number - self.first] in PROBLEM_KINDS]
        else:
            self.shown = list(numbers)
        self._find()

    def set_search(self, query: str) -> int:
        """Search the shown lines for `query` (plain text, any case); returns the number of matches."""
        self.search = TextSearch(query)
        self._find()
        return len(self.matches)

    def clear_search(self) -> None:
        self.search = None
        self.matches = []

    def _find(self) -> None:
        search, first, texts = self.search, self.first, self._texts
        if search is None:
            self.matches = []
            return
        self.matches = [number for number in self.shown if search.matches(texts[number - first])]

    def widest(self) -> int:
        """The width of the widest shown line, in cells."""
        first, cells = self.first, self._cells
        return max((cells[number - first] for number in self.shown), default=0)


class RowMap:
    """Which screen row shows which part of which shown line: one row per line, or with `wrap` as
    many rows as the line needs at `width` cells (cut at the width, as `fold` does). `height` says how
    many rows a line needs when the viewer knows better (a double-width character is never cut in
    two, so such a line may need one more)."""

    def __init__(
        self, buffer: LogBuffer, width: int, wrap: bool, height: Callable[[int], int] | None = None
    ) -> None:
        self.shown = buffer.shown
        self.width = max(1, width)
        self.wrap = wrap
        self._starts: list[int] = []  # with wrap: the row each shown line starts at
        if wrap:
            width = self.width
            rows = height or (lambda number: max(1, -(-buffer.cells(number) // width)))
            self._starts = [0, *accumulate(rows(number) for number in self.shown)]

    @property
    def rows(self) -> int:
        return self._starts[-1] if self.wrap else len(self.shown)

    def line_at(self, row: int) -> tuple[int, int] | None:
        """(line number, which of its rows) shown at `row`, or None past the end."""
        if row < 0 or row >= self.rows:
            return None
        if not self.wrap:
            return self.shown[row], 0
        index = bisect.bisect_right(self._starts, row) - 1
        return self.shown[index], row - self._starts[index]

    def row_of(self, number: int) -> int:
        """The first row of line `number`, or of the first shown line after it (a hidden line's place)."""
        index = bisect.bisect_left(self.shown, number)
        if not self.wrap:
            return index
        return self._starts[min(index, len(self._starts) - 1)]
