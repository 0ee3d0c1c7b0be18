"""One log file's tail pane: header with state and safety warnings, then the lines, following live.

Following pauses while the user has scrolled up (new lines are kept but the view stays put) and
resumes once they are back at the bottom. At most MAX_LINES lines are kept.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Log, Static

from prompt_alchemy_scheduler_tui.backends.log_files import LogFileInfo, LogState
from prompt_alchemy_scheduler_tui.backends.log_follow import FollowEvent, FollowEventKind
from prompt_alchemy_scheduler_tui.backends.log_tail import MAX_LINES, visible


class LogPane(Vertical):
    DEFAULT_CSS = """
    LogPane { height: 1fr; min-height: 5; }
    LogPane .log-header { height: auto; padding: 0 1; }
    LogPane Log { height: 1fr; min-height: 3; }
    """

    def __init__(self, info: LogFileInfo, backlog: tuple[str, ...] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.info = info
        self.warnings: list[str] = list(info.warnings)
        self._backlog = backlog
        self._early: list[FollowEvent] = []  # events that arrived before the pane was mounted

    def compose(self) -> ComposeResult:
        yield Static(classes="log-header")
        yield Log(max_lines=MAX_LINES, auto_scroll=False, highlight=False)

    def on_mount(self) -> None:
        """The file's last lines go in with the pane: no second pass after it is drawn."""
        self.show_backlog(self.info, self._backlog)
        self._backlog = ()
        for event in self._early:
            self.add_event(event)
        self._early = []

    @property
    def log_view(self) -> Log:
        return self.query_one(Log)

    @property
    def following(self) -> bool:
        """False while the user has scrolled away from the bottom."""
        return self.log_view.is_vertical_scroll_end or self.log_view.max_scroll_y == 0

    backlog_shown = False  # the file's last lines are on screen (the startup benchmark waits for it)

    def show_backlog(self, info: LogFileInfo, lines: tuple[str, ...]) -> None:
        self.info = info
        self.warnings = list(info.warnings)
        self.log_view.clear()
        self.log_view.write_lines(lines, scroll_end=True)
        self._render_header(None)
        self.backlog_shown = True

    def add_event(self, event: FollowEvent) -> None:
        if not self.backlog_shown:  # not mounted yet: its Log does not exist until then
            self._early.append(event)
            return
        if event.kind is FollowEventKind.LINES:
            self.log_view.write_lines(event.lines, scroll_end=self.following)
            self._render_header(None)
            return
        if event.kind is FollowEventKind.WARNING:
            self.warnings.append(event.message)
            self._render_header(None)
            return
        if event.kind in (FollowEventKind.TRUNCATED, FollowEventKind.ROTATED, FollowEventKind.APPEARED):
            self.log_view.write_line(f"── {visible(event.message)}", scroll_end=self.following)
        self._render_header(event.message if event.kind is FollowEventKind.DELETED else None)

    def _render_header(self, status: str | None) -> None:
        text = Text()
        state = status or self.info.state.value
        style = "red" if self.info.state is LogState.UNREADABLE or status else "dim"
        # Names, link targets and messages are shown through visible(): a planted name may hold escapes.
        text.append(visible(str(self.info.path)), style="bold").append(f"  {visible(state)}", style=style)
        if not self.following:
            text.append("  ⏸ paused (scroll to the bottom to follow)", style="yellow")
        for warning in dict.fromkeys(self.warnings):
            text.append(f"\n⚠ {visible(warning)}", style="bold yellow")
        self.query_one(".log-header", Static).update(text)

    def on_mouse_scroll_down(self) -> None:
        self.call_after_refresh(self._render_header, None)

    def on_mouse_scroll_up(self) -> None:
        self.call_after_refresh(self._render_header, None)
