"""The job's options, opened from the schedule editor: environment variables, timeout, open files,
binary, config and where it logs. Dismissed with the new options (checked as the command line checks
its flags) or None when cancelled; nothing is written until the job is installed."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static

from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest, check_options, whole_number
from prompt_alchemy_scheduler_tui.backends.nightly_job import JobError
from prompt_alchemy_scheduler_tui.widgets.environment_editor import EnvironmentEditor

_NUMBER_CHARACTERS = r"[-+0-9]*"
_MASKED_HINT = "secret-looking values are masked; ctrl+t shows them"
_REVEALED_HINT = "secret-looking values are shown; ctrl+t masks them again"


class OptionInput(Input):
    """A field of the dialog: Enter saves the dialog (said in the footer, as Input's own Enter is not)."""

    BINDINGS = [Binding("enter", "submit", "Save", show=True)]


@dataclass(frozen=True)
class OptionDefaults:
    """What an empty field means, for the placeholders: the binary and config found here, and the two
    log directories on offer."""

    binary: Path | None
    config: Path | None
    shared_logs: Path  # /tmp, as Prompt Alchemy's documentation has it
    private_logs: Path


class OptionsScreen(ModalScreen[JobRequest | None]):
    DEFAULT_CSS = """
    OptionsScreen { align: center middle; }
    OptionsScreen > Vertical {
        width: 90%; max-width: 110; height: auto; max-height: 100%;
        border: thick $accent; background: $surface;
    }
    OptionsScreen #title { padding: 0 1; text-style: bold; }
    OptionsScreen VerticalScroll { height: auto; padding: 0 1; margin-bottom: 2; }
    OptionsScreen Horizontal { height: auto; }
    OptionsScreen .label { width: 11; }
    OptionsScreen .unit { width: auto; padding: 0 2 0 1; color: $text-muted; }
    OptionsScreen #binary, OptionsScreen #config { width: 1fr; }
    OptionsScreen #timeout, OptionsScreen #files { width: 10; }
    OptionsScreen Input { background: $boost; }
    OptionsScreen Input:focus { background: $primary 30%; }
    OptionsScreen .heading { margin-top: 1; text-style: bold; }
    OptionsScreen #secrets-hint { color: $text-muted; }
    OptionsScreen #buttons { dock: bottom; align: right middle; padding: 0 1; }
    OptionsScreen #buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("enter", "save", "Save", show=True),
        Binding("escape", "cancel", "Cancel", show=True),
        Binding("ctrl+t", "toggle_secrets", "Show/mask secrets", show=True),
    ]

    def __init__(self, options: JobRequest, defaults: OptionDefaults) -> None:
        super().__init__()
        self.options = options
        self.defaults = defaults
        self._private_at_start = options.log_directory == defaults.private_logs

    def compose(self) -> ComposeResult:
        options, defaults = self.options, self.defaults
        with Vertical():
            yield Static("Job options   [dim](Enter saves · Esc cancels)[/]", id="title")
            with VerticalScroll():
                with Horizontal():
                    yield Label("Binary", classes="label")
                    yield OptionInput(
                        options.binary or "",
                        placeholder=_found("prompt-alchemy", defaults.binary),
                        id="binary",
                        compact=True,
                    )
                with Horizontal():
                    yield Label("Config", classes="label")
                    yield OptionInput(
                        options.config or "",
                        placeholder=_found("config", defaults.config),
                        id="config",
                        compact=True,
                    )
                with Horizontal():
                    yield Label("Timeout", classes="label")
                    yield _number_input(options.timeout_seconds, "timeout")
                    yield Label("s", classes="unit")
                    yield Label("Open files", classes="label")
                    yield _number_input(options.number_of_files, "files")
                    yield Label("(cron sets none)", classes="unit")
                yield Checkbox(
                    Text(f"Private logs: {_tilde(defaults.private_logs)}"),
                    self._private_at_start,
                    id="private-logs",
                    compact=True,
                )
                yield Static("Environment", classes="heading")
                yield Static(_MASKED_HINT, id="secrets-hint")
                yield EnvironmentEditor(_pairs(options.environment), id="environment")
            with Horizontal(id="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()  # this dialog's own keys, not the main screen's

    def on_mount(self) -> None:
        self.query_one("#timeout", Input).focus()

    @on(Input.Submitted, "#binary, #config, #timeout, #files")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        """Check every field as the command line checks its flags; say what is wrong, or close with them."""
        editor = self.query_one(EnvironmentEditor)
        if editor.has_unsaved_variable():
            self.notify(
                "The variable in the NAME and value fields is not in the list yet: Enter adds it, Esc drops it.",
                title="Not saved",
                severity="warning",
            )
            editor.query_one("#env-value", Input).focus()
            return
        try:
            request = replace(
                self.options,
                binary=_path(self.query_one("#binary", Input).value),
                config=_path(self.query_one("#config", Input).value),
                timeout_seconds=whole_number("timeout", self.query_one("#timeout", Input).value),
                number_of_files=whole_number("open-files limit", self.query_one("#files", Input).value),
                environment=tuple(f"{name}={value}" for name, value in editor.value),
                log_directory=self._log_directory(),
            )
            check_options(request, os.environ)
        except JobError as error:
            self.notify(str(error), title="Not saved", severity="error", markup=False)
            return
        self.dismiss(request)

    def _log_directory(self) -> Path | None:
        """Unchanged unless the box was changed: a job logging elsewhere keeps its directory."""
        private = self.query_one("#private-logs", Checkbox).value
        if private == self._private_at_start:
            return self.options.log_directory
        return self.defaults.private_logs if private else self.defaults.shared_logs

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_toggle_secrets(self) -> None:
        editor = self.query_one(EnvironmentEditor)
        editor.reveal(not editor.revealed)
        self.query_one("#secrets-hint", Static).update(_REVEALED_HINT if editor.revealed else _MASKED_HINT)


def _number_input(value: int | None, id: str) -> Input:
    return OptionInput(
        "" if value is None else str(value),
        placeholder="none",
        restrict=_NUMBER_CHARACTERS,
        max_length=12,
        id=id,
        compact=True,
    )


def _tilde(path: Path) -> str:
    """`path` with the home directory written `~`, as people read it."""
    home = Path.home()
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)


def _found(what: str, path: Path | None) -> str:
    return f"empty: {path} (found)" if path is not None else f"empty: find {what}"


def _path(text: str) -> str | None:
    return text if text.strip() else None


def _pairs(environment: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((name, value) for name, _, value in (item.partition("=") for item in environment))
