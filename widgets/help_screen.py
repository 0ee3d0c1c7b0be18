"""What the screen shows, its keys, and where this tool writes files: `?` opens it, `?` or Esc closes it."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from prompt_alchemy_scheduler_tui.widgets.text_dialog import TextDialog

PANELS = (
    (
        "Platform",
        "this machine: the OS, which scheduler `auto` picks and why, each scheduler's state, and "
        "the prompt-alchemy binary and config the job will use",
    ),
    (
        "Schedule",
        "the cron expression (five fields or a macro), a preset, the method, and the job's options on "
        "one line (`o` edits them: variables, timeout, open files, binary, config, logs); it starts "
        "from the installed job. Below: what the expression means, its next runs, and warnings",
    ),
    (
        "Jobs",
        "one table per scheduler with the installed prompt-alchemy nightly jobs; choose a row to see "
        "the job in full",
    ),
    (
        "Health",
        "the line under the title: the last run and the next, or in the warning colour what is wrong "
        "(a failed last run, a missed run, no success for longer than the schedule allows)",
    ),
    (
        "Runs",
        "every recorded run, newest first: when, scheduled or manual, how long, exit status, what it did; "
        "Enter shows that run's lines from both logs",
    ),
    (
        "Logs",
        "the job's output and error logs, followed live; scroll up to pause; `l` moves into them, "
        "then the keys below act on the focused log",
    ),
    (
        "Run",
        "only while a job started with r runs: the line above the keys, with its elapsed time; x cancels "
        "it, and quitting asks whether to stop it or leave it running",
    ),
)


def help_text(
    keys: list[tuple[str, str]], pane_keys: list[tuple[str, str]], files: list[tuple[str, str]]
) -> Text:
    text = Text()
    for title, rows in (
        ("What the screen shows", PANELS),
        ("\nKeys", keys),
        ("\nKeys in a log pane", pane_keys),
    ):
        text.append(f"{title}\n", style="bold")
        for name, what in rows:
            text.append(f"  {name:<9}", style="bold").append(f"{what}\n")
    text.append("\nWhere files are written\n", style="bold")
    for where, what in files:
        text.append(f"  {what}: ", style="bold").append(f"{where}\n")
    text.rstrip()
    return text


class HelpScreen(TextDialog):
    BINDINGS = [
        Binding("question_mark", "close", "Close", show=True),
        Binding("escape", "close", "Close", show=False),
    ]

    def __init__(
        self, keys: list[tuple[str, str]], pane_keys: list[tuple[str, str]], files: list[tuple[str, str]]
    ) -> None:
        super().__init__("Help (? or Esc closes)", help_text(keys, pane_keys, files))
