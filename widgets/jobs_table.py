"""Installed prompt-alchemy nightly jobs of one scheduler, as a table (or why the scheduler is absent).

Columns are the common ones plus the scheduler's own (`JobListing.extra_columns`), so the table knows
no scheduler by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from prompt_alchemy_scheduler_tui.backends.relative_time import until
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import InstalledJob, JobListing

COMMON_COLUMNS = ("Schedule", "Description", "Next run", "Kind")
TARGET_COLUMN = "Command / plist"


class JobsTable(Vertical):
    DEFAULT_CSS = """
    JobsTable { height: auto; min-height: 4; }
    JobsTable DataTable { height: auto; max-height: 8; }
    JobsTable .note { color: $text-muted; padding: 0 1; }
    """

    @dataclass
    class JobChosen(Message):
        """A row was chosen (Enter or a click): the screen shows that job in full."""

        job: InstalledJob
        columns: tuple[str, ...]
        now: datetime

    def __init__(self, method: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.method = method
        self._listing: JobListing | None = None
        self._now: datetime | None = None

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("loading…", classes="note")

    def on_mount(self) -> None:
        self.border_title = f"{self.method} jobs"

    def show(self, listing: JobListing, now: datetime) -> None:
        self._listing, self._now = listing, now
        table = self.query_one(DataTable)
        table.clear()
        if not table.columns:
            table.add_columns(*COMMON_COLUMNS, *listing.extra_columns, TARGET_COLUMN)
        for job in listing.jobs:
            cells = (
                job.expression,
                job.description,
                until(job.next_run, now) if job.next_run else "—",
                "managed" if job.managed else "legacy",
                *job.extra,
                job.target,
            )
            table.add_row(*(Text(cell) for cell in cells))  # crontab text is never markup
        notes = list(listing.notes)
        if not listing.available:
            notes.insert(0, f"{self.method} is not available here.")
        elif not listing.jobs:
            notes.insert(0, "No prompt-alchemy nightly job.")
        table.display = bool(listing.jobs)
        self.query_one(".note", Static).update(Text("\n".join(dict.fromkeys(notes))))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self._listing is None or self._now is None:
            return
        jobs = self._listing.jobs
        if 0 <= event.cursor_row < len(jobs):
            self.post_message(self.JobChosen(jobs[event.cursor_row], self._listing.extra_columns, self._now))
