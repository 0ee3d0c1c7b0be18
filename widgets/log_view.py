"""The lines of one log, drawn from a LogBuffer: coloured by level, run markers as bands, search
matches highlighted, cut at the pane's width or wrapped.

Log text is untrusted: it reaches the screen only as rich Text built from the plain string (never
parsed as markup), after the follower made its control characters visible. Colours are theme variables
in component classes, so each theme (and NO_COLOR, where Textual turns colours into greys) keeps
errors bold, matches underlined and the current match reversed. Orange warning text is too faint on
the light themes' pale grey (a contrast ratio of 2.4 in atom-one-light), so there warnings get an
orange band instead.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence

from rich.cells import cell_len, get_character_cell_size
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from prompt_alchemy_scheduler_tui.backends.log_buffer import LogBuffer, RowMap
from prompt_alchemy_scheduler_tui.backends.log_lines import LineKind, nearest

MAX_FOLDS = 10_000  # as many as a pane keeps lines

_KIND_CLASS = {
    LineKind.ERROR: "log-view--error",
    LineKind.WARNING: "log-view--warning",
    LineKind.DEBUG: "log-view--debug",
    LineKind.RUN_START: "log-view--marker",
    LineKind.RUN_END: "log-view--marker",
    LineKind.NOTE: "log-view--note",
}


class LogView(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {*_KIND_CLASS.values(), "log-view--match", "log-view--current"}
    DEFAULT_CSS = """
    LogView { background: $surface; color: $foreground; overflow: scroll; }
    LogView:focus { background-tint: $foreground 5%; }
    LogView.-wrap { overflow-x: hidden; }
    LogView > .log-view--error { color: $text-error; text-style: bold; }
    LogView > .log-view--warning { color: $text-warning; }
    LogView:light > .log-view--warning { color: $foreground; background: $warning-muted; }
    LogView > .log-view--debug { color: $text-muted; }
    LogView > .log-view--marker { background: $primary-muted; color: $foreground; text-style: bold; }
    LogView > .log-view--note { color: $text-muted; text-style: italic; }
    LogView > .log-view--match { background: $accent-muted; text-style: underline; }
    LogView > .log-view--current { text-style: bold reverse; }
    """

    wrap: var[bool] = var(False)
    """Long lines continue on the next rows instead of running past the pane's right edge."""

    def __init__(self, max_lines: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.buffer = LogBuffer(max_lines, cell_len)
        self.current: int | None = None  # the search match the view was last moved to
        self._following = True
        self._rows: RowMap | None = None
        self._strips: LRUCache[int, tuple[Strip, Style]] = LRUCache(1024)
        # Wrapped rows of lines with wide characters, kept per line: working them out is a pass over
        # the line's characters, too slow to redo for every line each time lines arrive.
        self._folds: LRUCache[int, tuple[int, list[int]]] = LRUCache(MAX_FOLDS)

    @property
    def lines(self) -> Sequence[str]:
        """Every kept line, shown or filtered out."""
        return self.buffer.lines

    @property
    def shown_lines(self) -> list[str]:
        return [self.buffer.text(number) for number in self.buffer.shown]

    @property
    def following(self) -> bool:
        """At the bottom: new lines scroll into view. False while the user has scrolled away."""
        return self._following

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # Kept, not derived from the position: a view that grows or shrinks (the first layout, the
        # header gaining a line, a maximize) changes the bottom under a view that was following.
        self._following = round(new) >= self.max_scroll_y

    @property
    def view_size(self) -> Size:
        """The cells that show lines: the widget less its scrollbars."""
        size = self.size
        return Size(
            max(0, size.width - self.scrollbar_size_vertical),
            max(0, size.height - self.scrollbar_size_horizontal),
        )

    @property
    def rows(self) -> RowMap:
        if self._rows is None:
            self._rows = RowMap(self.buffer, self.view_size.width, self.wrap, self._row_count)
        return self._rows

    def _row_count(self, number: int) -> int:
        cells = self.buffer.cells(number)
        if cells == len(self.buffer.text(number)):
            return max(1, -(-cells // max(1, self.view_size.width)))
        return len(self._fold(number))

    def _fold(self, number: int) -> list[int]:
        """The cell each wrapped row of line `number` starts at. A double-width character that would
        straddle the edge starts the next row instead of being cut in two."""
        width = max(1, self.view_size.width)
        cells, line = self.buffer.cells(number), self.buffer.text(number)
        if cells == len(line):  # one cell per character: cut every `width` cells
            return list(range(0, cells, width)) or [0]
        cached = self._folds.get(number)
        if cached is not None and cached[0] == width:
            return cached[1]
        starts, used, cell = [0], 0, 0
        for character in line:
            size = get_character_cell_size(character)
            if used + size > width and used:
                starts.append(cell)
                used = 0
            used += size
            cell += size
        self._folds[number] = (width, starts)
        return starts

    def top_line(self) -> int | None:
        """The number of the line at the top of the view (None when nothing is shown)."""
        found = self.rows.line_at(round(self.scroll_y))
        return None if found is None else found[0]

    # Changing what is shown keeps the view on the same lines (or at the bottom, while following).

    def write_lines(self, lines: Iterable[str], *, scroll_end: bool, kind: LineKind | None = None) -> None:
        anchor = None if scroll_end else self.top_line()
        self.buffer.append((line.expandtabs() if "\t" in line else line for line in lines), kind)
        self._reshape(anchor, scroll_end)

    def clear(self) -> None:
        self.buffer.clear()
        self.current = None
        self._strips.clear()
        self._reshape(None, True)

    def set_problems_only(self, on: bool) -> None:
        self._keeping_place(lambda: self.buffer.set_problems_only(on))

    def watch_wrap(self, wrap: bool) -> None:
        self.set_class(wrap, "-wrap")
        self._keeping_place(lambda: None)

    def on_resize(self) -> None:
        if self.wrap:
            self._keeping_place(lambda: None)
        elif self._following:
            self.scroll_end(animate=False, immediate=True, x_axis=False)

    def _keeping_place(self, change: Callable[[], object]) -> None:
        following, anchor = self.following, self.top_line()
        change()
        self._strips.clear()
        self._reshape(anchor, following)

    def _reshape(self, anchor: int | None, scroll_end: bool) -> None:
        self._rows = None
        rows = self.rows
        width = self.view_size.width if self.wrap else self.buffer.widest()
        self.virtual_size = Size(width, rows.rows)
        if scroll_end:
            self.scroll_end(animate=False, immediate=True, x_axis=False)
        elif anchor is not None:
            self.scroll_to(y=rows.row_of(anchor), animate=False, immediate=True)
        self.refresh()

    # Search and run jumps: the buffer knows the lines; the view moves to them.

    def search(self, query: str) -> int:
        """Highlight `query` and move to the newest match at or above the bottom of the view (else the
        first one below it); returns the number of matches (the view stays put when there are none)."""
        count = self.buffer.set_search(query)
        self.current = None
        self._strips.clear()
        self.refresh()
        if count:
            bottom = self.rows.line_at(round(self.scroll_y) + self.view_size.height - 1)
            position = self.buffer.end if bottom is None else bottom[0] + 1
            self.go_to_match(nearest(self.buffer.matches, position, forward=False))
        return count

    def clear_search(self) -> None:
        self.buffer.clear_search()
        self.current = None
        self._strips.clear()
        self.refresh()

    def next_match(self, forward: bool) -> bool:
        """Move to the next (or previous) match; False when that wrapped around the end."""
        matches = self.buffer.matches
        start = self.current if self.current is not None else self.top_line()
        position = start if start is not None else self.buffer.first
        target = nearest(matches, position, forward=forward)
        self.go_to_match(target)
        return target is not None and (target > position if forward else target < position)

    def match_place(self) -> str:
        """ "3/17" while on the third of 17 matches, "17" before moving to one, "0" without any."""
        matches = self.buffer.matches
        index = bisect.bisect_left(matches, self.current) if self.current is not None else len(matches)
        if index < len(matches) and matches[index] == self.current:
            return f"{index + 1}/{len(matches)}"
        return str(len(matches))

    def go_to_match(self, number: int | None) -> None:
        if number is None:
            return
        for stale in (self.current, number):
            if stale is not None:
                self._strips.discard(stale)
        self.current = number
        self.show_line(number, self._match_columns(number))
        self.refresh()

    def jump_run(self, forward: bool) -> int | None:
        """Scroll the next (or previous) run's start line to the top, or as close to it as the view
        goes; returns that line, or None when there is none that way."""
        top = self.top_line()
        position = top if top is not None else self.buffer.first
        target = nearest(self.buffer.run_starts, position, forward=forward, wrap=False)
        if target is not None:
            self.scroll_to(y=self.rows.row_of(target), animate=False, immediate=True)
        return target

    def show_line(self, number: int, columns: tuple[int, int] = (0, 0)) -> None:
        """Scroll so that line `number` is in view (a third of the way down when it was not), and with
        it the cells `columns` (start, end) of it: the row they are on, or unwrapped, the columns."""
        start, end = columns
        width, height = self.view_size.width, self.view_size.height
        row = self.rows.row_of(number)
        if self.wrap:
            row += bisect.bisect_right(self._fold(number), start) - 1
        if not self.scroll_y <= row < self.scroll_y + height:
            self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)
        if not self.wrap and not self.scroll_x <= start <= end <= self.scroll_x + width:
            x = max(0, start - width // 3)
            if end > x + width:  # a long match: its start at the left edge
                x = start
            self.scroll_to(x=x, animate=False, immediate=True)

    def _match_columns(self, number: int) -> tuple[int, int]:
        """The cells of the first match in line `number`."""
        search, line = self.buffer.search, self.buffer.text(number)
        spans = search.spans(line) if search is not None else []
        if not spans:
            return 0, 0
        start, end = spans[0]
        return cell_len(line[:start]), cell_len(line[:end])

    # Drawing.

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        width = self.view_size.width
        found = self.rows.line_at(round(self.scroll_y) + y)
        if found is None:
            return Strip.blank(width, self.rich_style)
        number, part = found
        strip, style = self._line_strip(number)
        if not self.wrap:
            start = round(self.scroll_x)
            return strip.crop_extend(start, start + width, style)
        starts = self._fold(number)
        end = starts[part + 1] if part + 1 < len(starts) else strip.cell_length
        return strip.crop_extend(starts[part], end, style).extend_cell_length(width, style)

    def _line_strip(self, number: int) -> tuple[Strip, Style]:
        """The whole line, styled, and the style its row is padded with (so a marker is a full band)."""
        cached = self._strips.get(number)
        if cached is not None:
            return cached
        kind_class = _KIND_CLASS.get(self.buffer.kind(number))
        style = self.get_component_rich_style(kind_class) if kind_class else self.rich_style
        line = self.buffer.text(number)
        text = Text(line, no_wrap=True, end="")
        text.stylize(style)  # a span: Text.render() ignores Text.style itself
        search = self.buffer.search
        if search is not None:
            highlight = self.get_component_rich_style(
                "log-view--current" if number == self.current else "log-view--match", partial=True
            )
            for start, end in search.spans(line):
                text.stylize(highlight, start, end)
        strip = Strip(list(text.render(self.app.console)), self.buffer.cells(number))
        self._strips[number] = (strip, style)
        return strip, style
