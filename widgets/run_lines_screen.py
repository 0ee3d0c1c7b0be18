"""One run's lines from both logs, cut out by its start and end markers."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.log_lines import LineKind, classify
from prompt_alchemy_scheduler_tui.backends.run_history import RunView
from prompt_alchemy_scheduler_tui.widgets.text_dialog import TextDialog


class RunLinesScreen(TextDialog):
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, run: RunView) -> None:
        record = run.record
        ended = f"{run.ended:%H:%M:%S}" if run.ended else "—"
        title = (
            f"Run {record.run_id} ({record.trigger}): {run.started:%Y-%m-%d %H:%M:%S} → {ended}, "
            f"exit {record.exit_status if record.exit_status is not None else '—'}"
        )
        super().__init__(title, run_text(run))


def run_text(run: RunView) -> Text:
    """The run's outcome, then its stdout lines and its stderr lines; log text is never markup."""
    text = Text()
    text.append("Outcome: ", style="bold").append(shown_text(run.outcome.summary) + "\n\n")
    if not run.lines.found:
        text.append(
            "This run's lines are no longer in the part of the logs that was read (or the logs were moved).",
            style="dim",
        )
        return text
    for name, lines in (("stdout log", run.lines.stdout), ("stderr log", run.lines.stderr)):
        text.append(f"{name}\n", style="bold underline")
        if not lines:
            text.append("(nothing)\n", style="dim")
        for line in lines:
            text.append(shown_text(line) + "\n", style=_style(line))
        text.append("\n")
    text.rstrip()
    return text


_STYLES = {LineKind.ERROR: "red", LineKind.WARNING: "yellow"}


def _style(line: str) -> str:
    """The log panes' reading of a line's level (backends/log_lines.py), as a colour."""
    return _STYLES.get(classify(line), "")
