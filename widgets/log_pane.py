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
        self._status: str | None = None  # what happened to the file since it was listed, if anything

    def compose(self) -> ComposeResult:
        yield Static(classes="log-header")
        yield Log(max_lines=MAX_LINES, auto_scroll=False, highlight=False)

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
        self._render_header()
        self.backlog_shown = True

    def add_event(self, event: FollowEvent) -> None:
        if not self.backlog_shown:  # not mounted yet: its Log does not exist until then
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
            self.log_view.write_line(f"── {visible(event.message)}", scroll_end=self.following)
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

    def _render_header(self, status: str | None = None) -> None:
        text = Text()
        status = status or self._status
        state = status or self.info.state.value
        alarming = self.info.state is LogState.UNREADABLE and status is None
        style = "red" if alarming or (status is not None and "deleted" in status) else "dim"
        # Names, link targets and messages are shown through visible(): a planted name may hold escapes.
        text.append(visible(str(self.info.path)), style="bold").append(f"  {visible(state)}", style=style)
        if not self.following:
            text.append("  ⏸ paused (scroll to the bottom to follow)", style="yellow")
        for warning in dict.fromkeys(self.warnings):
            text.append(f"\n⚠ {visible(warning)}", style="bold yellow")
        self.query_one(".log-header", Static).update(text)
