"""The job's recorded runs, newest first: when, trigger, how long, exit status, outcome. Choosing a row
asks the screen to show that run's lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from prompt_alchemy_scheduler_tui.backends.health_report import HealthReport
from prompt_alchemy_scheduler_tui.backends.line_safety import shown_text
from prompt_alchemy_scheduler_tui.backends.run_history import RunView
from prompt_alchemy_scheduler_tui.backends.run_outcome import Outcome

COLUMNS = ("Started", "Trigger", "Took", "Exit", "Outcome")
MAX_ROWS = 200
_GOOD = {Outcome.TRAINED, Outcome.NOTHING_TO_TRAIN, Outcome.NO_PAIRS}


class RunsTable(Vertical):
    DEFAULT_CSS = """
    RunsTable { height: auto; min-height: 3; }
    RunsTable DataTable { height: auto; max-height: 5; }
    RunsTable .note { color: $text-muted; padding: 0 1; }
    """

    @dataclass
    class RunChosen(Message):
        run: RunView

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._runs: list[RunView] = []

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("reading run records…", classes="note")

    def on_mount(self) -> None:
        self.border_title = "Runs"
        self.query_one(DataTable).add_columns(*COLUMNS)

    def show(self, report: HealthReport, now: datetime) -> None:
        self._runs = list(reversed(report.runs))[:MAX_ROWS]
        table = self.query_one(DataTable)
        table.clear()
        for run in self._runs:
            table.add_row(*_cells(run, now))
        note = self.query_one(".note", Static)
        note.display = not self._runs
        self.border_subtitle = "Enter: the run's lines" if self._runs else ""
        if not self._runs and report.job is not None and not report.job.recorded:
            reason = report.health.not_recorded if report.health is not None else "runs are not recorded"
            note.update(Text(shown_text(reason[:1].upper() + reason[1:]) + "."))
        elif not self._runs:
            note.update("No runs recorded yet: each scheduled run and each run now is listed here.")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if 0 <= event.cursor_row < len(self._runs):
            self.post_message(self.RunChosen(self._runs[event.cursor_row]))


def _cells(run: RunView, now: datetime) -> tuple[str | Text, ...]:
    record = run.record
    started = run.started.astimezone(now.tzinfo)
    when = (
        started.strftime("%H:%M:%S") if started.date() == now.date() else started.strftime("%a %d %b %H:%M")
    )
    took = "—" if record.seconds is None else f"{record.seconds} s"
    status = "—" if record.exit_status is None else str(record.exit_status)
    style = "green" if run.outcome.outcome in _GOOD else ("" if run.running else "red")
    outcome = Text(shown_text(run.outcome.summary), style=style)
    return when, record.trigger, took, status, outcome
