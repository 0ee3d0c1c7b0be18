"""The schedule editor: expression input, presets, method choice, and the job's options on one line
(edited in the options dialog). It says what changed; the screen asks the backend what that means
and hands the answer to the ScheduleView."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Select, Static

from prompt_alchemy_scheduler_tui.backends.cron_syntax import (
    DEFAULT_EXPRESSION,
    CronSyntaxError,
    parse_expression,
)
from prompt_alchemy_scheduler_tui.backends.platform_detect import method_choices

if TYPE_CHECKING:  # the job builder is loaded off the UI thread, once a job is
    from prompt_alchemy_scheduler_tui.backends.job_builder import JobRequest

# The examples of Prompt Alchemy's scheduling documentation.
PRESETS: tuple[tuple[str, str], ...] = (
    ("Daily 2 AM", "0 2 * * *"),
    ("Daily 3:30 AM", "30 3 * * *"),
    ("Weekly, Sunday 1 AM", "0 1 * * 0"),
    ("Monthly, 1st at 4 AM", "0 4 1 * *"),
    ("Every 6 hours", "0 */6 * * *"),
)


class CronExpressionValidator(Validator):
    """The system-cron dialect's own check (backends.cron_syntax), so the Input shows what cron refuses."""

    def validate(self, value: str) -> ValidationResult:
        try:
            parse_expression(value)
        except CronSyntaxError as error:
            return self.failure(str(error))
        return self.success()


class CronEditor(Vertical):
    DEFAULT_CSS = """
    CronEditor { height: auto; }
    CronEditor Horizontal { height: auto; }
    CronEditor #expression { width: 1fr; }
    CronEditor #method { width: 16; }
    CronEditor #presets { width: 1fr; }
    CronEditor #options-summary { width: 1fr; height: auto; max-height: 3; padding-left: 1; }
    CronEditor #options { margin-left: 1; }
    """

    @dataclass
    class Changed(Message):
        """The expression or the method changed (sent on every keystroke)."""

        editor: CronEditor
        expression: str
        method: str

        @property
        def control(self) -> CronEditor:
            return self.editor

    def __init__(self, expression: str = DEFAULT_EXPRESSION, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = expression
        # The job's options (everything but the schedule); None: the defaults, nothing set.
        self.options: JobRequest | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Input(
                self._initial,
                placeholder="minute hour day-of-month month day-of-week",
                id="expression",
                validators=[CronExpressionValidator()],  # an invalid expression is styled as invalid
            )
            yield Select([(m, m) for m in method_choices()], value="auto", allow_blank=False, id="method")
        yield Select(
            [(f"{label}  ({expr})", expr) for label, expr in PRESETS], prompt="Presets…", id="presets"
        )
        with Horizontal():
            yield Static("", id="options-summary", markup=False)
            yield Button("Options…", id="options", compact=True)

    @property
    def expression(self) -> str:
        return self.query_one("#expression", Input).value

    @property
    def method(self) -> str:
        return str(self.query_one("#method", Select).value)

    def set_expression(self, expression: str) -> None:
        self.query_one("#expression", Input).value = expression

    def load(self, expression: str, method: str) -> None:
        """Start from another job's schedule and method (the installed job's)."""
        self.set_expression(expression)
        self.query_one("#method", Select).value = method

    def set_options(self, options: JobRequest | None, summary: str) -> None:
        self.options = options
        self.query_one("#options-summary", Static).update(f"Options: {summary}")

    @on(Input.Changed, "#expression")
    @on(Select.Changed, "#method")
    def _changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed(self, self.expression, self.method))

    @on(Select.Changed, "#presets")
    def _preset(self, event: Select.Changed) -> None:
        """A preset fills the expression and then gets out of the way: nothing stays focused (so the
        next key is an action, not typing over the schedule), and the list goes back to its prompt so
        the same preset can be chosen again."""
        event.stop()
        if isinstance(event.value, str):
            self.set_expression(event.value)
            presets = self.query_one("#presets", Select)
            with presets.prevent(Select.Changed):
                presets.clear()
            self.screen.set_focus(None)
