"""The Textual app: it only wires the main screen, the bindings, the palette and the styles together."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from prompt_alchemy_scheduler_tui.app.commands import SchedulerCommands
from prompt_alchemy_scheduler_tui.app.main_screen import MainScreen, ScreenSources
from prompt_alchemy_scheduler_tui.backends.app_settings import save_theme, saved_theme
from prompt_alchemy_scheduler_tui.backends.path_discovery import find_binary, find_config
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import method_names

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.scheduling_service import SchedulingService


class SchedulerApp(App[None]):
    TITLE = "Prompt Alchemy · nightly job"
    SUB_TITLE = method_names()
    CSS_PATH = Path(__file__).with_name("tui.tcss")
    COMMANDS = App.COMMANDS | {SchedulerCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
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

    @property
    def main_screen(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen


def _make_service(crontab_user: str | None) -> SchedulingService:
    """Imported here, in the worker that builds the service, not on the UI thread at start-up."""
    from prompt_alchemy_scheduler_tui.backends.service_factory import make_service

    return make_service(crontab_user=crontab_user)
