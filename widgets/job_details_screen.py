"""One installed job in full: what the tables cut short (the whole command, where it lives, its logs).

Shown when a row of a job table is chosen; Esc or Enter closes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from prompt_alchemy_scheduler_tui.backends.relative_time import until
from prompt_alchemy_scheduler_tui.widgets.text_dialog import TextDialog

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.scheduler_backend import InstalledJob


def job_details(
    job: InstalledJob, columns: tuple[str, ...], now: datetime, health: tuple[str, ...] = ()
) -> Text:
    """The job's fields as labelled lines (text from the crontab or plist is never read as markup);
    `health`: its health line and problems, when the screen has them for this job."""
    rows = [
        ("scheduler", f"{job.method} ({'managed' if job.managed else 'legacy: written by the old Go tool'})"),
        ("schedule", f"{job.expression}  {job.description}"),
        (
            "next run",
            f"{job.next_run:%a %Y-%m-%d %H:%M %Z} ({until(job.next_run, now)})" if job.next_run else "—",
        ),
        ("where", job.location),
        ("command", job.command),
        ("output log", str(job.stdout_log) if job.stdout_log else "—"),
        ("error log", str(job.stderr_log) if job.stderr_log else "—"),
        *zip(columns, job.extra, strict=False),
    ]
    if job.status:
        rows.append(("state", job.status))
    installed = job.job
    if installed is not None:
        rows += [
            ("environment", ", ".join(installed.shown_environment) or "—"),  # secrets masked
            ("timeout", f"{installed.timeout_seconds} s" if installed.timeout_seconds else "none"),
            ("data dir", str(installed.data_dir) if installed.data_dir else "from the config (data_dir)"),
            ("ping", "on" if installed.ping_url else "off"),
        ]
    rows.append(("runs", "recorded" if job.recorded else "not recorded (see health)"))
    rows += [("health" if index == 0 else "", line) for index, line in enumerate(health)]
    text = Text()
    for label, value in rows:
        text.append(f"{label:>11}  ", style="bold").append(f"{value}\n")
    text.rstrip()
    return text


class JobDetailsScreen(TextDialog):
    BINDINGS = [
        Binding("escape", "close", "Close", show=True),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(
        self, job: InstalledJob, columns: tuple[str, ...], now: datetime, health: tuple[str, ...] = ()
    ) -> None:
        super().__init__(f"{job.method} job (Esc or Enter closes)", job_details(job, columns, now, health))
        self.job = job

    @property
    def details(self) -> Text:
        return self.text
