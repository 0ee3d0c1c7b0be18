"""Pick a crontab backup to restore (newest first)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from backends.crontab_backups import Backup


class RestoreScreen(ModalScreen[str | None]):
    """Dismissed with the chosen backup's file name, or None."""

    DEFAULT_CSS = """
    RestoreScreen { align: center middle; }
    RestoreScreen > Vertical { width: 80; height: auto; max-height: 80%; border: thick $accent; background: $surface; }
    RestoreScreen Static { padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, backups: list[Backup]) -> None:
        super().__init__()
        self.backups = backups

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Restore which crontab backup? (Enter to choose, Esc to cancel)")
            yield OptionList(
                *[
                    Option(f"{b.taken:%Y-%m-%d %H:%M:%S}  {b.size:>6} bytes  {b.name}", id=b.name)
                    for b in self.backups
                ]
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
