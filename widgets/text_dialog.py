"""A dialog that shows a text and closes: the shape the help and the job details share."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


class TextDialog(ModalScreen[None]):
    """`title` over a scrollable `text`, its own keys in its own footer; subclasses bind the close keys
    to `close`."""

    DEFAULT_CSS = """
    TextDialog { align: center middle; }
    TextDialog > Vertical { width: 90%; max-width: 130; height: auto; max-height: 90%; border: thick $accent; background: $surface; }
    TextDialog .title { padding: 0 1; text-style: bold; }
    TextDialog VerticalScroll { height: auto; max-height: 34; padding: 0 1; }
    """

    def __init__(self, title: str, text: Text) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="title", markup=False)
            with VerticalScroll():
                yield Static(self.text)
        yield Footer()  # this dialog's own keys, not the main screen's

    def action_close(self) -> None:
        self.dismiss(None)
