"""The job's environment variables as a small list editor: add, edit and remove NAME=VALUE.

Values that look like credentials (backends/secret_masking.py) are masked in the list and typed into a
password field, until the user asks to see them (`reveal`). Each variable is checked as the command
line checks `--env` before it joins the list.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.nightly_job import (
    JobError,
    check_environment_count,
    check_environment_size,
    check_environment_variable,
)
from prompt_alchemy_scheduler_tui.backends.secret_masking import is_secret, mask_value

SHOWN_VALUE_LENGTH = 60  # longer values are cut in the list; the value field holds them whole

Variables = tuple[tuple[str, str], ...]


class VariableList(OptionList):
    """The variables; its keys are shown in the footer while it has focus."""

    BINDINGS = [
        Binding("enter", "select", "Edit", show=True),
        Binding("a", "add", "Add", show=True),
        Binding("delete,x", "remove", "Remove", show=True),
    ]

    class Add(Message):
        pass

    class Remove(Message):
        pass

    def action_add(self) -> None:
        self.post_message(self.Add())

    def action_remove(self) -> None:
        self.post_message(self.Remove())


class VariableInput(Input):
    """NAME or value: Enter saves the variable, Esc goes back to the list (not out of the dialog)."""

    BINDINGS = [
        Binding("enter", "submit", "Save variable", show=True),
        Binding("escape", "back", "Back to the list", show=True),
    ]

    class Back(Message):
        pass

    def action_back(self) -> None:
        self.post_message(self.Back())


class EnvironmentEditor(Vertical):
    DEFAULT_CSS = """
    EnvironmentEditor { height: auto; }
    EnvironmentEditor VariableList { height: auto; max-height: 6; min-height: 1; }
    EnvironmentEditor #env-empty { color: $text-muted; }
    EnvironmentEditor Horizontal { height: auto; }
    EnvironmentEditor #env-name { width: 2fr; }
    EnvironmentEditor #env-equals { width: 3; content-align: center middle; }
    EnvironmentEditor #env-value { width: 3fr; }
    EnvironmentEditor Button { margin-left: 1; }
    """

    def __init__(self, variables: Variables, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.variables: list[tuple[str, str]] = list(variables)
        self.revealed = False
        self._editing: int | None = None  # the index of the variable in the fields; None: a new one

    def compose(self) -> ComposeResult:
        yield VariableList(id="env-list")
        yield Static("No variables: a (on the list) or Add starts one.", id="env-empty")
        with Horizontal():
            yield VariableInput(placeholder="NAME", id="env-name", compact=True)
            yield Static("=", id="env-equals")
            yield VariableInput(placeholder="value", id="env-value", compact=True)
            yield Button("Add", id="env-add", compact=True)
            yield Button("Remove", id="env-remove", compact=True)

    def on_mount(self) -> None:
        self._show()

    @property
    def value(self) -> Variables:
        return tuple(self.variables)

    def reveal(self, revealed: bool) -> None:
        """Show secret values in clear (True) or masked."""
        self.revealed = revealed
        self._show()
        self._mask_field()

    def has_unsaved_variable(self) -> bool:
        """True while the fields hold a variable not yet saved to the list."""
        name, value = self._fields()
        if self._editing is None:
            return bool(name or value)
        return (name, value) != self.variables[self._editing]

    # The list.

    def _show(self, highlight: int | None = None) -> None:
        listing = self.query_one(VariableList)
        listing.clear_options()
        listing.add_options(Option(self._line(name, value)) for name, value in self.variables)
        listing.display = bool(self.variables)
        self.query_one("#env-empty").display = not self.variables
        if self.variables:
            listing.highlighted = min(highlight if highlight is not None else 0, len(self.variables) - 1)

    def _line(self, name: str, value: str) -> Text:
        masked = is_secret(name, value) and not self.revealed
        shown = mask_value(name, value) if masked else value
        if len(shown) > SHOWN_VALUE_LENGTH:
            shown = shown[: SHOWN_VALUE_LENGTH - 1] + "…"
        line = Text(f"{name}={shown_text(shown)}", no_wrap=True, overflow="ellipsis")
        return line.append("  (secret: ctrl+t shows it)", style="dim") if masked else line

    @on(OptionList.OptionSelected, "#env-list")
    def _edit(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._editing = event.option_index
        name, value = self.variables[event.option_index]
        self._fill(name, value)
        self.query_one("#env-value", Input).focus()

    @on(VariableList.Add)
    @on(Button.Pressed, "#env-add")
    def _add(self, event: Message) -> None:
        event.stop()
        self._editing = None
        self._fill("", "")
        self.query_one("#env-name", Input).focus()

    @on(VariableList.Remove)
    @on(Button.Pressed, "#env-remove")
    def _remove(self, event: Message) -> None:
        event.stop()
        index = self.query_one(VariableList).highlighted
        if not self.variables or index is None:
            self.notify("No variable to remove.", severity="warning")
            return
        name, _ = self.variables.pop(index)
        if self._editing == index:
            self._editing = None
            self._fill("", "")
        elif self._editing is not None and self._editing > index:
            self._editing -= 1
        self._show(index)
        self.notify(f"{name} removed (saved when the dialog is).")
        if not self.variables:
            self.query_one("#env-name", Input).focus()

    # The fields.

    def _fields(self) -> tuple[str, str]:
        return self.query_one("#env-name", Input).value.strip(), self.query_one("#env-value", Input).value

    def _fill(self, name: str, value: str) -> None:
        self.query_one("#env-name", Input).value = name
        self.query_one("#env-value", Input).value = value
        self._mask_field()

    @on(Input.Changed, "#env-name, #env-value")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._mask_field()

    def _mask_field(self) -> None:
        name, value = self._fields()
        self.query_one("#env-value", Input).password = is_secret(name, value) and not self.revealed

    @on(Input.Submitted, "#env-name, #env-value")
    def _save(self, event: Input.Submitted) -> None:
        """Check the variable as `--env` is checked; replace the one being edited (or one of that name)."""
        event.stop()
        name, value = self._fields()
        if not name and not value:
            self._back()
            return
        others = [i for i, (other, _) in enumerate(self.variables) if other == name and i != self._editing]
        try:
            if self._editing is None and not others:
                check_environment_count(len(self.variables) + 1)
            check_environment_size(name, value)
            check_environment_variable(name, value)
        except JobError as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return
        if self._editing is not None:
            index = self._editing
        elif others:  # a new variable of a name already listed replaces it
            index, others = others[0], others[1:]
        else:
            self.variables.append((name, value))
            index = len(self.variables) - 1
        self.variables[index] = (name, value)
        for other in reversed(others):  # the one being edited took a name that another had
            del self.variables[other]
            if other < index:
                index -= 1
        self._editing = None
        self._fill("", "")
        self._show(index)
        self.query_one(VariableList).focus()

    @on(VariableInput.Back)
    def _back_pressed(self, event: VariableInput.Back) -> None:
        event.stop()
        self._back()

    def _back(self) -> None:
        self._editing = None
        self._fill("", "")
        self.query_one(VariableList if self.variables else "#env-add").focus()
