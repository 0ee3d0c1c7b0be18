"""The run started with "run now", while it goes: one line above the footer with its elapsed time, a
worker thread that waits for its end, and `cancel()`.

Nothing here ticks while no run is going: the one-second timer lives from the start of a run to its end.
The waiting worker checks every WAIT_STEP seconds whether the app is closing, so quitting never waits
for the job (which keeps running in its own session).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from prompt_alchemy_scheduler_tui.backends.log_tail import visible
from prompt_alchemy_scheduler_tui.backends.relative_time import duration

if TYPE_CHECKING:
    from prompt_alchemy_scheduler_tui.backends.run_now import RunningJob, RunResult

WAIT_STEP = 0.25


class RunStatus(Static):
    DEFAULT_CSS = """
    RunStatus { height: 1; padding: 0 1; display: none; background: $warning-muted; color: $text; }
    RunStatus.-running { display: block; }
    """

    @dataclass
    class Ended(Message):
        """The run is over; `result` says how (exit status, cancelled, seconds)."""

        result: RunResult

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.running: RunningJob | None = None
        self._ticker: Timer | None = None

    def follow(self, running: RunningJob) -> None:
        """Show `running` until it ends, then post Ended."""
        self.running = running
        self.add_class("-running")
        self._show()
        self._ticker = self.set_interval(1.0, self._show)
        self._wait(running)

    def cancel(self) -> bool:
        """Ask the run to stop (see RunningJob.cancel); False when there is none."""
        if self.running is None:
            return False
        self.running.cancel()
        self._show()
        return True

    def _show(self) -> None:
        running = self.running
        if running is None:
            return
        state = "stopping" if running.cancelled else "running"
        self.update(
            visible(
                f"Run now {state}: {duration(running.seconds)} · x cancels · pid {running.pid} · "
                f"output in the log panes · {running.command}"
            )
        )

    @work(thread=True, group="run-wait", exit_on_error=False)
    def _wait(self, running: RunningJob) -> None:
        worker = get_current_worker()
        while (result := running.wait(WAIT_STEP)) is None:
            if worker.is_cancelled:
                return  # the app is closing: the run goes on without us
        self.post_message(self.Ended(result))

    def on_run_status_ended(self) -> None:
        """Handled here first (the line goes, the timer stops), then by the screen and the app."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.running = None
        self.remove_class("-running")
