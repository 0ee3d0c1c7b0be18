"""The logs panel: a pane per log file, and one loop in one worker thread that follows them all.

Any user can create files matching the log pattern in /tmp, so nothing here grows with their number:
stdout and stderr logs always come first, then at most MAX_EXTRA_LOGS other files (the most recently
modified; the title says how many were left out), and one follow loop polls them all. A worker per file
would each hold a thread of asyncio's default pool (min(32, CPUs + 4) threads, asyncio's
`loop.run_in_executor` documentation), leaving none for install or dry run. Listing, reading the
backlog and polling all run in workers; the UI thread only mounts panes and writes lines.

A file that floods (another user appending megabytes a second) cannot queue up memory either: the loop
reads again only once the UI has taken its previous batch, and a batch holds at most what a pane keeps.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

from textual import work
from textual.containers import Horizontal
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from prompt_alchemy_scheduler_tui.backends.log_files import (
    LOG_PATTERN,
    LogFileInfo,
    LogSelection,
    LogState,
    select_logs,
)
from prompt_alchemy_scheduler_tui.backends.log_follow import (
    POLL_INTERVAL,
    FollowEvent,
    FollowEventKind,
    LogFollower,
)
from prompt_alchemy_scheduler_tui.backends.log_safety import UnsafeLogError
from prompt_alchemy_scheduler_tui.backends.log_tail import MAX_LINES, last_lines, visible
from prompt_alchemy_scheduler_tui.widgets.log_pane import LogPane

BACKLOG_LINES = 200


@dataclass(frozen=True)
class OpenedLog:
    """A log file's state, its last lines, and its follower (continuing after those lines)."""

    info: LogFileInfo
    lines: tuple[str, ...]
    follower: LogFollower


class LogsPanel(Horizontal):
    @dataclass
    class Ready(Message):
        """The panes of the first listing are mounted."""

    @dataclass
    class Opened(Message, bubble=False):
        selection: LogSelection
        opened: dict[Path, OpenedLog]  # the selected logs that had no pane yet

    @dataclass
    class Events(Message, bubble=False):
        events: list[FollowEvent]

    def __init__(self, directory: Path, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.directory = directory
        self.panes: dict[Path, LogPane] = {}
        self._followers: dict[Path, LogFollower] = {}
        # What the follow loop polls: replaced whole by the UI thread, never changed in place.
        self._polled: tuple[LogFollower, ...] = ()
        self._stop = threading.Event()
        self._delivered = threading.Event()  # set: the UI has handled the last batch of events
        self._delivered.set()
        self._ready = False

    def on_mount(self) -> None:
        self.border_title = self._title(0)
        self._follow_all()
        self.reopen()

    def on_unmount(self) -> None:
        self._stop.set()

    @property
    def shown(self) -> bool:
        """The first listing's panes are mounted and each shows its file's last lines."""
        return self._ready and all(pane.backlog_shown for pane in self.panes.values())

    def show_directory(self, directory: Path) -> None:
        """Follow the logs in `directory` instead (where the installed job writes them)."""
        if directory != self.directory:
            self.directory = directory
            self.border_title = self._title(0)
            self.reopen()

    def reopen(self) -> None:
        """List the log files again (refresh): new ones get a pane, ones no longer selected lose theirs."""
        self._open(frozenset(self.panes))

    @work(thread=True, exclusive=True, group="open-logs", exit_on_error=False)
    def _open(self, shown: frozenset[Path]) -> None:
        selection = select_logs(self.directory)
        opened = {info.path: _open_log(info) for info in selection.logs if info.path not in shown}
        self.post_message(self.Opened(selection, opened))

    @work(thread=True, exclusive=True, group="follow-logs", exit_on_error=False)
    def _follow_all(self) -> None:
        """Each followed file in turn (one stat() when idle), then a pause; events go out in one message,
        and the next poll waits until the UI has handled it."""
        worker = get_current_worker()
        while not self._stop.is_set() and not worker.is_cancelled:
            if self._delivered.is_set():
                events = [_bounded(event) for follower in self._polled for event in follower.poll()]
                if events:
                    self._delivered.clear()
                    self.post_message(self.Events(events))
            self._stop.wait(POLL_INTERVAL)

    def on_logs_panel_opened(self, message: Opened) -> None:
        if message.selection.directory != self.directory:
            return  # a listing of the directory followed before show_directory(): a thread worker
            # cannot be stopped mid-read, so its late answer is dropped here
        selected = [info.path for info in message.selection.logs]
        for path in [path for path in self.panes if path not in selected]:
            gone = self.panes.pop(path)
            if self.screen.maximized is gone:
                self.screen.minimize()  # else the screen would show nothing but the footer
            gone.remove()
            self._followers.pop(path, None)
        for path in selected:
            log = message.opened.get(path)
            if path in self.panes or log is None:
                continue
            pane = LogPane(log.info, log.lines)
            self.panes[path] = pane
            self._followers[path] = log.follower
            self.mount(pane)
        self._polled = tuple(self._followers.values())
        self.border_title = self._title(message.selection.skipped)
        if not self._ready:
            self._ready = True
            self.post_message(self.Ready())

    def on_logs_panel_events(self, message: Events) -> None:
        try:
            for event in message.events:
                pane = self.panes.get(event.path)
                if pane is not None:
                    pane.add_event(event)
        finally:
            self._delivered.set()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            message = visible(f"Following the logs failed: {event.worker.error}")
            self.notify(message, severity="error", timeout=15, markup=False)

    def focus_next_pane(self) -> None:
        """Focus the first pane, or the one after the focused pane (wrapping around); a maximized pane
        gives way to the one focused."""
        panes = list(self.panes.values())
        if not panes:
            self.notify("The log files are still being listed; try again in a moment.")
            return
        current = next((pane for pane in panes if pane.has_focus_within), None)
        chosen = panes[(panes.index(current) + 1) % len(panes)] if current is not None else panes[0]
        screen = self.screen
        if screen.maximized is not None and screen.maximized is not chosen:
            screen.maximize(chosen, container=False)
        screen.set_focus(chosen.log_view)  # now, not at the next idle: keys typed right after must reach it

    async def search(self) -> bool:
        """Open the search of the maximized pane, else the first one; False when a pane has focus (its
        own `/` searches it)."""
        panes = list(self.panes.values())
        if any(pane.has_focus_within for pane in panes):
            return False
        maximized = self.screen.maximized
        pane = maximized if isinstance(maximized, LogPane) else next(iter(panes), None)
        if pane is None:
            self.notify("The log files are still being listed; try again in a moment.")
        else:
            await pane.action_search()
        return True

    def _title(self, skipped: int) -> str:
        title = f"Logs ({self.directory / LOG_PATTERN})"
        if skipped:
            title += f" · {skipped} older matching files not shown"
        return title


def _bounded(event: FollowEvent) -> FollowEvent:
    """At most MAX_LINES lines per event: a pane keeps no more, so more would only cost memory."""
    if event.kind is not FollowEventKind.LINES or len(event.lines) <= MAX_LINES:
        return event
    skipped = len(event.lines) - MAX_LINES + 1
    note = f"… [{skipped} lines not shown: more arrived at once than a pane keeps]"
    return replace(event, lines=(note, *event.lines[-(MAX_LINES - 1) :]))


def _open_log(info: LogFileInfo) -> OpenedLog:
    """The backlog and a follower starting right after it (runs in the worker: it reads the file)."""
    lines: tuple[str, ...] = ()
    offset = None
    if info.size:
        try:
            chunk = last_lines(info.path, BACKLOG_LINES)
            lines, offset = chunk.lines, chunk.end_offset
        except OSError as error:
            reason = str(error) if isinstance(error, UnsafeLogError) else f"cannot read: {error.strerror}"
            info = replace(info, state=LogState.UNREADABLE, warnings=(*info.warnings, reason))
    return OpenedLog(info, lines, LogFollower(info.path, start_offset=offset))
