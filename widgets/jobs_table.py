"""Installed prompt-alchemy nightly jobs of one scheduler, as a table (or why the scheduler is absent).

Columns are the common ones plus the scheduler's own (`JobListing.extra_columns`), so the table knows
no scheduler by name.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from prompt_alchemy_scheduler_tui.backends.relative_time import until
from prompt_alchemy_scheduler_tui.backends.scheduler_backend import JobListing

COMMON_COLUMNS = ("Schedule", "Description", "Next run", "Kind")
TARGET_COLUMN = "Command / plist"


class JobsTable(Vertical):
    DEFAULT_CSS = """
    JobsTable { height: auto; min-height: 4; }
    JobsTable DataTable { height: auto; max-height: 8; }
    JobsTable .note { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, method: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.method = method

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("loading…", classes="note")

    def on_mount(self) -> None:
        self.border_title = f"{self.method} jobs"

    def show(self, listing: JobListing, now: datetime) -> None:
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
