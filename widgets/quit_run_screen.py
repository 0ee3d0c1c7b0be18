"""Asked when quitting while a "run now" is going: stop the run, leave it running, or stay.

Dismissed with a QuitChoice. The run leads its own session, so "leave it running" is real: it goes on
after the app has gone and ends in the log files like a scheduled run.
"""

from __future__ import annotations

from enum import StrEnum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from prompt_alchemy_scheduler_tui.backends.relative_time import duration


class QuitChoice(StrEnum):
    STOP = "stop"
    LEAVE = "leave"
    STAY = "stay"


class QuitDuringRunScreen(ModalScreen[QuitChoice]):
    DEFAULT_CSS = """
    QuitDuringRunScreen { align: center middle; }
    QuitDuringRunScreen > Vertical { width: 90%; max-width: 76; height: auto; border: thick $warning; background: $surface; padding: 0 1; }
    QuitDuringRunScreen #question { margin-bottom: 1; }
    QuitDuringRunScreen Horizontal { height: auto; align: right middle; }
    QuitDuringRunScreen Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("s", "choose('stop')", "Stop the run and quit", show=True),
        Binding("l", "choose('leave')", "Leave it running and quit", show=True),
        Binding("escape", "choose('stay')", "Stay", show=True),
    ]

    def __init__(self, seconds: float, pid: int) -> None:
        super().__init__()
        self.seconds = seconds
        self.pid = pid

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"The job started with run now is still running ({duration(self.seconds)}, pid {self.pid}).\n"
                "Stop it (SIGTERM to all of it, SIGKILL after a few seconds) and quit, leave it running "
                "(its output keeps going to the log files), or stay?",
                id="question",
                markup=False,
            )
            with Horizontal():
                yield Button("Stop the run and quit", variant="error", id=QuitChoice.STOP)
                yield Button("Leave it running and quit", id=QuitChoice.LEAVE)
                yield Button("Stay", variant="primary", id=QuitChoice.STAY)
        yield Footer()  # this dialog's own keys, not the main screen's

    def on_mount(self) -> None:
        self.query_one(f"#{QuitChoice.STAY}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(QuitChoice(event.button.id or QuitChoice.STAY))

    def action_choose(self, choice: str) -> None:
        self.dismiss(QuitChoice(choice))
