"""The Textual app: it only wires the main screen, the bindings, the palette and the styles together."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from prompt_alchemy_scheduler_tui.app.commands import SchedulerCommands
from prompt_alchemy_scheduler_tui.app.main_screen import MainScreen
from prompt_alchemy_scheduler_tui.app.screen_sources import ScreenSources
from prompt_alchemy_scheduler_tui.app.terminal_watch import watch_terminal
from prompt_alchemy_scheduler_tui.backends.app_settings import save_theme, saved_theme
from prompt_alchemy_scheduler_tui.backends.path_discovery import find_binary, find_config
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import method_names
from prompt_alchemy_scheduler_tui.widgets.quit_run_screen import QuitChoice, QuitDuringRunScreen

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService


class SchedulerApp(App[None]):
    TITLE = "Prompt Alchemy · nightly job"
    SUB_TITLE = method_names()
    CSS_PATH = Path(__file__).with_name("tui.tcss")
    COMMANDS = App.COMMANDS | {SchedulerCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        # Outside the editor (where it copies), Ctrl+C quits too, instead of Textual's "press q to quit".
        Binding("ctrl+c", "quit", "Quit", show=False),
        Binding("question_mark", "show_help_panel", "Help", id="help"),
    ]

    def __init__(
        self,
        sources: ScreenSources | None = None,
        crontab_user: str | None = None,
        binary: str | None = None,
        config: str | None = None,
    ) -> None:
        super().__init__()
        self.sources = sources or ScreenSources(
            service_factory=lambda: _make_service(crontab_user),
            find_paths=lambda: (find_binary(binary), find_config(config)),
            chosen_paths=(binary, config),
        )
        self._quit_when_run_ends = False

    def get_default_screen(self) -> MainScreen:
        """The main screen is the app's default screen: pushing it over Textual's empty default
        screen would style and lay out a whole screen for nothing at start."""
        # Start-up allocates many objects that all live on: collecting them (some 200 passes, ~30 ms)
        # finds nothing. Collection resumes once the first screen is complete (or after 5 s).
        gc.disable()
        # Workers do many short blocking calls (crontab, launchctl, file reads); with the default 5 ms
        # switch interval each one waits for the rendering thread to yield the GIL.
        sys.setswitchinterval(0.0005)
        return MainScreen(self.sources)

    def on_mount(self) -> None:
        if not self.is_headless:  # tests drive a headless app in pytest's own process: no signals
            watch_terminal(asyncio.get_running_loop(), self._terminal_gone)
        theme = saved_theme()
        if theme is not None and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, lambda changed: save_theme(changed.name))
        self._startup_timer = self.set_interval(0.02, self._check_startup)
        self.set_timer(5, self._end_startup)

    def _check_startup(self) -> None:
        if self.main_screen.populated:
            self._end_startup()

    def _end_startup(self) -> None:
        self._startup_timer.stop()
        if not gc.isenabled():
            gc.freeze()  # what start-up built stays out of every later collection
            gc.enable()

    async def action_quit(self) -> None:
        """Quit at once, unless a "run now" job is going: then ask whether to stop it, leave it
        running, or stay. Quitting again while it is being stopped quits at once."""
        running = self.main_screen.run_status.running
        if running is None or self._quit_when_run_ends:
            self.exit()
        elif not isinstance(self.screen, QuitDuringRunScreen):
            self.push_screen(QuitDuringRunScreen(running.seconds, running.pid), self._quit_chosen)

    def _quit_chosen(self, choice: QuitChoice | None) -> None:
        if choice is QuitChoice.LEAVE:
            self.exit()
        elif choice is QuitChoice.STOP:
            if self.main_screen.run_status.cancel() is None:  # it ended meanwhile
                self.exit()
                return
            self._quit_when_run_ends = True
            self.notify("Stopping the run; quitting when it has ended (q quits at once).")

    def on_run_status_ended(self) -> None:
        """The run is over: quit if that was waited for; a quit question still open no longer applies."""
        if self._quit_when_run_ends:
            self.exit()
        elif isinstance(self.screen, QuitDuringRunScreen):
            self.screen.dismiss(QuitChoice.STAY)

    def _terminal_gone(self, signum: int) -> None:
        """SIGHUP, SIGTERM, or the terminal hung up: exit now. A "run now" job is left running: it has
        its own session and logs to files, so it ends like a scheduled run. Should the shutdown stall
        writing to a terminal that is gone, the process ends anyway after a second."""
        self.exit(return_code=128 + signum)
        ending = threading.Timer(1.0, os._exit, (128 + signum,))
        ending.daemon = True
        ending.start()

    @property
    def main_screen(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen


def _make_service(crontab_user: str | None) -> SchedulingService:
    """Imported here, in the worker that builds the service, not on the UI thread at start-up."""
    from prompt_alchemy_scheduler_tui.backends.service_factory import make_service

    return make_service(crontab_user=crontab_user)
