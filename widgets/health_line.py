"""The job's health in one line, always visible: the last run and the next, or what is wrong."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from prompt_alchemy_scheduler_tui.backends.health_report import HealthReport
from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text


class HealthLine(Static):
    """Renders a HealthReport; the `unhealthy` class gives the warning colour (and a mark that stays
    readable without colour)."""

    DEFAULT_CSS = """
    HealthLine { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    HealthLine.healthy { color: $text-success; }
    HealthLine.unhealthy { color: $text-warning; text-style: bold; }
    """

    def on_mount(self) -> None:
        self.update("Health: reading run records…")

    def show(self, report: HealthReport, now: datetime) -> None:
        health = report.health
        if health is None:
            runs = f" · {len(report.runs)} earlier run(s) recorded" if report.runs else ""
            self.set_classes("")
            self.update(Text(f"Health: no nightly job installed{runs}"))
            return
        self.set_classes("healthy" if health.healthy else "unhealthy")
        mark = "✓ " if health.healthy else "⚠ "
        line = mark + shown_text(health.summary(now))
        if not health.healthy:
            line += " — " + shown_text(health.problems[0])
        self.update(Text(line))
        self.tooltip = "\n".join(shown_text(problem) for problem in health.problems) or None
