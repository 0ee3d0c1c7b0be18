"""One log file's tail pane: a header (state, safety warnings, what the view does), the lines, and a
search box that opens on `/`.

Following pauses while the user has scrolled up (new lines are kept but the view stays put) and
resumes once they are back at the bottom. At most MAX_LINES lines are kept. The pane's keys (search,
the errors filter, wrap, maximize, run jumps) are its own bindings: the footer shows them while it has
focus, and none of them is a key of the main screen.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Input, Static

from prompt_alchemy_scheduler_tui.backends.log_files import LogFileInfo, LogState
from prompt_alchemy_scheduler_tui.backends.log_follow import FollowEvent, FollowEventKind
from prompt_alchemy_scheduler_tui.backends.log_lines import MAX_QUERY, LineKind
from prompt_alchemy_scheduler_tui.backends.log_tail import MAX_LINES, visible
from prompt_alchemy_scheduler_tui.widgets.log_view import LogView

SEARCH_PLACEHOLDER = "search this log (text, any case) · Enter finds · Esc closes"
_MATCH = Binding.Group("Find", compact=True)
_RUN = Binding.Group("Run", compact=True)


class LogPane(Vertical):
    ALLOW_MAXIMIZE = True
    DEFAULT_CSS = """
    LogPane { height: 1fr; min-height: 5; }
    LogPane .log-header { height: auto; padding: 0 1; }
    LogPane LogView { height: 1fr; min-height: 3; }
    LogPane Input, LogPane Input:focus { height: 1; border: none; padding: 0 1; }
    """
    BINDINGS = [
        # Priority: looked up as the key is read, so the keys typed right after it reach the search box.
        Binding(
            "slash",
            "search",
            "Search",
            tooltip="search this log (text, any case)",
            id="log-search",
            priority=True,
        ),
        Binding("n", "next_match", "Next", group=_MATCH, tooltip="next search match", id="log-next-match"),
        Binding(
            "N",
            "previous_match",
            "Previous",
            group=_MATCH,
            tooltip="previous search match",
            id="log-previous-match",
        ),
        Binding("f", "filter", "Errors", tooltip="only errors and warnings, or all lines", id="log-filter"),
        Binding("w", "wrap", "Wrap", tooltip="wrap long lines, or cut them at the edge", id="log-wrap"),
        Binding(
            "left_square_bracket",
            "previous_run",
            "Prev",
            group=_RUN,
            tooltip="previous run's start",
            id="log-previous-run",
        ),
        Binding(
            "right_square_bracket",
            "next_run",
            "Next",
            group=_RUN,
            tooltip="next run's start",
            id="log-next-run",
        ),
        Binding("m", "maximize", "Max", tooltip="this log on the whole screen, or back", id="log-maximize"),
        Binding("escape", "leave", show=False, tooltip="close the search, else restore the screen"),
    ]

    def __init__(self, info: LogFileInfo, backlog: tuple[str, ...] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.info = info
        self.warnings: list[str] = list(info.warnings)
        self._backlog = backlog
        self._early: list[FollowEvent] = []  # events that arrived before the pane was mounted
        self._status: str | None = None  # what happened to the file since it was listed, if anything
        self.query_text = ""  # the last search, offered again when `/` reopens the box
        self._box: Input | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="log-header")
        yield LogView(MAX_LINES)

    def on_mount(self) -> None:
        """The file's last lines go in with the pane: no second pass after it is drawn."""
        self.show_backlog(self.info, self._backlog)
        self._backlog = ()
        # Paused and following show the moment the view scrolls (wheel, keys or scrollbar).
        self.watch(self.log_view, "scroll_y", lambda: self._render_header(), init=False)
        for event in self._early:
            self.add_event(event)
        self._early = []

    @property
    def log_view(self) -> LogView:
        return self.query_one(LogView)

    @property
    def following(self) -> bool:
        """False while the user has scrolled away from the bottom."""
        return self.log_view.following

    backlog_shown = False  # the file's last lines are on screen (the startup benchmark waits for it)

    def show_backlog(self, info: LogFileInfo, lines: tuple[str, ...]) -> None:
        self.info = info
        self.warnings = list(info.warnings)
        self.log_view.clear()
        self.log_view.write_lines(lines, scroll_end=True)
        self._render_header()
        self.backlog_shown = True

    def add_event(self, event: FollowEvent) -> None:
        if not self.backlog_shown:  # not mounted yet: its view does not exist until then
            self._early.append(event)
            return
        if event.kind is FollowEventKind.LINES:
            self.log_view.write_lines(event.lines, scroll_end=self.following)
            if self._status is None and self.info.state is not LogState.PRESENT:
                self._status = "present"  # it was empty or missing when listed
            self._render_header()
            return
        if event.kind is FollowEventKind.WARNING:
            self.warnings.append(event.message)
            self._render_header()
            return
        if event.kind in (FollowEventKind.TRUNCATED, FollowEventKind.ROTATED, FollowEventKind.APPEARED):
            note = f"── {visible(event.message)}"
            self.log_view.write_lines([note], scroll_end=self.following, kind=LineKind.NOTE)
        if event.kind in (FollowEventKind.ROTATED, FollowEventKind.APPEARED, FollowEventKind.DELETED):
            # A new file (or none): the old file's warnings no longer apply; the follower sends the new
            # file's own right after this event.
            self.warnings = []
        self._status = {
            FollowEventKind.DELETED: event.message,
            FollowEventKind.APPEARED: "appeared",
            FollowEventKind.ROTATED: "present (rotated)",
            FollowEventKind.TRUNCATED: "present (truncated)",
        }.get(event.kind, self._status)
        self._render_header()

    # Keys.

    async def action_search(self) -> None:
        box = self._box
        if box is not None and self.screen.focused is box:
            raise SkipAction()  # a `/` typed into the search box is text
        if box is None:  # made on first use: a pane that is never searched costs no input at start-up
            box = self._box = Input(placeholder=SEARCH_PLACEHOLDER, max_length=MAX_QUERY)
            await self.mount(box)
        box.display = True
        box.value = self.query_text
        self._focus(box)
        box.select_all()

    @on(Input.Submitted)
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value
        if not query:
            self._leave_search()
            return
        self.query_text = query
        if self.log_view.search(query) == 0:
            where = "the errors and warnings of " if self.log_view.buffer.problems_only else ""
            self._say(f'No match for "{query}" in {where}{self._file_name}.', severity="warning")
        else:
            self._close_box()
            self._focus(self.log_view)
        self._render_header()

    def action_next_match(self) -> None:
        self._step_match(forward=True)

    def action_previous_match(self) -> None:
        self._step_match(forward=False)

    def _step_match(self, *, forward: bool) -> None:
        view = self.log_view
        if view.buffer.search is None:
            self._say("No search in this log: press / to search.")
            return
        if not view.buffer.matches:
            self._say(f'No match for "{self.query_text}" in {self._file_name}.', severity="warning")
            return
        if not view.next_match(forward) and len(view.buffer.matches) > 1:
            self._say("Search wrapped around to the " + ("first match." if forward else "last match."))
        self._render_header()

    def action_filter(self) -> None:
        view = self.log_view
        view.set_problems_only(not view.buffer.problems_only)
        self._render_header()

    def action_wrap(self) -> None:
        self.log_view.wrap = not self.log_view.wrap
        self._render_header()

    def action_previous_run(self) -> None:
        self._jump_run(forward=False)

    def action_next_run(self) -> None:
        self._jump_run(forward=True)

    def _jump_run(self, *, forward: bool) -> None:
        view = self.log_view
        top = view.top_line()
        if view.jump_run(forward) is not None:
            if view.top_line() == top:  # the rest of the log fits below it: nothing to scroll
                self._say(f"The {'next' if forward else 'previous'} run's start is in view.")
            return
        if not view.buffer.run_starts:
            self._say(
                f"No run start lines in {self._file_name}: only runs recorded by this tool mark their start."
            )
        else:
            self._say(f"No {'later' if forward else 'earlier'} run start in {self._file_name}.")

    def action_maximize(self) -> None:
        if self.is_maximized:
            self.screen.minimize()
        else:
            self.screen.maximize(self, container=False)
        self._focus(self.log_view)

    def action_leave(self) -> None:
        """Esc: close the search (and its highlights), else restore a maximized pane, else let the screen
        have the key."""
        if self.searching or self.log_view.buffer.search is not None:
            self._leave_search()
        elif self.is_maximized:
            self.screen.minimize()
        else:
            raise SkipAction()

    def _leave_search(self) -> None:
        self._close_box()
        self.log_view.clear_search()
        self._focus(self.log_view)
        self._render_header()

    @property
    def searching(self) -> bool:
        """The search box is open."""
        return self._box is not None and self._box.display

    def _close_box(self) -> None:
        if self._box is not None:
            self._box.display = False

    def _focus(self, widget: Widget) -> None:
        """Focus `widget` before the next key is handled: `Widget.focus()` waits for the next idle
        moment, and keys typed fast after `/` would meanwhile reach the screen's one-key actions
        (`r` runs the job)."""
        self.screen.set_focus(widget)

    @property
    def _file_name(self) -> str:
        return visible(self.info.path.name)

    def _say(self, message: str, severity: SeverityLevel = "information") -> None:
        self.notify(message, severity=severity, markup=False)

    def _render_header(self, status: str | None = None) -> None:
        text = Text()
        status = status or self._status
        state = status or self.info.state.value
        alarming = self.info.state is LogState.UNREADABLE and status is None
        style = "red" if alarming or (status is not None and "deleted" in status) else "dim"
        # Names, link targets and messages are shown through visible(): a planted name may hold escapes.
        text.append(visible(str(self.info.path)), style="bold").append(f"  {visible(state)}", style=style)
        view = self.log_view
        if not view.following:
            text.append("  ⏸ paused (scroll to the bottom to follow)", style="yellow")
        if view.buffer.problems_only:
            shown = len(view.buffer.shown)
            text.append(f"  errors and warnings only ({shown} lines; f shows all)", style="bold")
        if view.wrap:
            text.append("  wrapped", style="dim")
        search = view.buffer.search
        if search is not None:
            text.append(f'  search "{visible(search.query)}": {view.match_place()}', style="bold")
        for warning in dict.fromkeys(self.warnings):
            text.append(f"\n⚠ {visible(warning)}", style="bold yellow")
        self.query_one(".log-header", Static).update(text)
