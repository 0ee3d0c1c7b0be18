"""The live preview of a schedule: description, next runs with relative times, warnings or the error."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from prompt_alchemy_scheduler_tui.backends.relative_time import until

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.schedule import ScheduleExplanation


class ScheduleView(Static):
    DEFAULT_CSS = """
    ScheduleView { height: auto; padding: 0 1; }
    """

    def show(self, explanation: ScheduleExplanation, now: datetime, method: str) -> None:
        text = Text()
        if not explanation.valid:
            text.append("✗ ", style="bold red").append(explanation.error or "invalid", style="red")
            text.append("\nInstall is disabled until the expression is valid.", style="dim")
            self.update(text)
            return
        text.append("✓ ", style="bold green").append(explanation.description or "", style="bold")
        if explanation.next_runs:
            text.append(f"\nNext runs ({explanation.time_zone}):", style="dim")
            for run in explanation.next_runs:
                text.append(f"\n  {run:%a %Y-%m-%d %H:%M}  ").append(f"({until(run, now)})", style="cyan")
        for form in explanation.forms:
            if form.method != method:  # only the form of the scheduler chosen in the editor
                continue
            if form.error:
                text.append(f"\n✗ {form.method}: {form.error}", style="red")
            else:
                text.append(f"\n{form.method}: {form.summary}", style="dim")
        for warning in explanation.warnings:
            style = "red" if warning.code == "never" else "dim" if warning.code == "sleep" else "yellow"
            text.append(f"\n⚠ {warning.message}", style=style)
        self.update(text)
