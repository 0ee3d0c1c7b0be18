"""The run started with "run now", while it goes: one line above the footer with its elapsed time, a
worker thread that waits for its end, `cancel()`, and what one-run-at-a-time refuses (`busy()`). The
screen's worker builds and starts the job (it holds the paths and the scheduler) and hands it over.

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
        self.starting = False  # set by the screen while its worker builds and starts the job
        self._ticker: Timer | None = None

    def busy(self) -> str | None:
        """Why another run cannot start now (one run at a time), or None."""
        if self.running is not None:
            return (
                f"The job is already running ({duration(self.running.seconds)}): one run at a time. "
                "x cancels it."
            )
        if self.starting:
            return "The job is already starting: one run at a time."
        return None

    def started(self, running: RunningJob | None) -> None:
        """The end of an attempt to start: show `running` until it ends, then post Ended (None: it
        did not start, and the reason has been shown)."""
        self.starting = False
        if running is None:
            return
        self.running = running
        self.add_class("-running")
        self._show()
        self._ticker = self.set_interval(1.0, self._show)
        self._wait(running)
        self.notify(visible(f"Running {running.command} … output goes to the log panes."), markup=False)

    def cancel(self) -> str | None:
        """Ask the run to stop (see RunningJob.cancel) and say what was done; None when none goes."""
        running = self.running
        if running is None:
            return None
        if running.cancelled:
            return (
                f"Already cancelling the run: SIGKILL follows if it is still there after {running.grace:g} s."
            )
        running.cancel()
        self._show()
        return f"Cancelling the run: SIGTERM sent to all of it (SIGKILL in {running.grace:g} s if needed)."

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

    def on_run_status_ended(self, message: Ended) -> None:
        """Handled here first (the line goes, the timer stops, the ending is said), then by the screen
        and the app."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.running = None
        self.remove_class("-running")
        result = message.result
        if result.succeeded:
            self.notify(result.summary(), timeout=15)
        else:
            self.notify(result.summary(), severity="warning" if result.cancelled else "error", timeout=15)
