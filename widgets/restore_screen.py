"""Pick a backup to restore (every scheduler's, newest first within each)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.backup_store import Backup


class RestoreScreen(ModalScreen[str | None]):
    """Dismissed with the chosen backup's file name, or None."""

    DEFAULT_CSS = """
    RestoreScreen { align: center middle; }
    RestoreScreen > Vertical { width: 80; height: auto; max-height: 80%; border: thick $accent; background: $surface; }
    RestoreScreen Static { padding: 0 1; }
    """
    BINDINGS = [Binding("enter", "choose", "Choose", show=True), Binding("escape", "cancel", "Cancel")]

    def __init__(self, backups: list[Backup]) -> None:
        super().__init__()
        self.backups = backups

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Restore which backup? (Enter to choose, Esc to cancel)")
            yield OptionList(*[Option(_label(b), id=b.name, disabled=not b.valid) for b in self.backups])
        yield Footer()  # this dialog's own keys, not the main screen's

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_choose(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            options.action_select()

    def action_cancel(self) -> None:
        self.dismiss(None)


def _label(backup: Backup) -> str:
    """A complete backup shows its size (or that there was no file then); a damaged one says why not."""
    if backup.problem:
        return f"{backup.taken:%Y-%m-%d %H:%M:%S}  not restorable: {backup.problem}  {backup.name}"
    size = f"{backup.size:>6} bytes" if backup.existed else "     no file"
    return f"{backup.taken:%Y-%m-%d %H:%M:%S}  {size}  {backup.name}"
