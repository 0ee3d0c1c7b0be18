"""Process start to first fully populated screen, against a minimal Textual app showing one label.

Run by hand: `python benchmarks/startup.py`. Both run headless in a fresh interpreter, RUNS times, and
report the moment their screen is shown (after the refresh that follows it; shutdown is not counted).
The app counts as populated when platform, jobs (real `crontab -l`), logs and the preview are on screen.
Target (issue 6): within 1.3x of the minimal app.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 10

MINIMAL = """
from textual.app import App
from textual.widgets import Label

class Minimal(App):
    def compose(self):
        yield Label("hello")

    def on_mount(self):
        self.call_after_refresh(self._shown)

    def _shown(self):
        import time
        print(time.time())
        self.exit()

Minimal().run(headless=True)
"""

OURS = """
from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp

class Measured(SchedulerApp):
    def on_mount(self):
        super().on_mount()
        self.set_interval(0.005, self._check)

    def _check(self):
        if len(self.screen_stack) > 1 and self.main_screen.populated and not self._is_done:
            self._is_done = True
            self.call_after_refresh(self._shown)

    _is_done = False

    def _shown(self):
        import time
        print(time.time())
        self.exit()

Measured().run(headless=True)
"""


FIRST_FRAME = """
from prompt_alchemy_scheduler_tui.app.main_screen import MainScreen
from prompt_alchemy_scheduler_tui.app.tui import SchedulerApp

class FirstFrame(SchedulerApp):
    def on_mount(self):
        super().on_mount()
        self.set_interval(0.005, self._check)

    _is_done = False

    def _check(self):
        if isinstance(self.screen, MainScreen) and self.screen.is_mounted and not self._is_done:
            self._is_done = True
            self.call_after_refresh(self._shown)

    def _shown(self):
        import time
        print(time.time())
        self.exit()

FirstFrame().run(headless=True)
"""


def measure(code: str) -> float:
    """Median milliseconds from spawning the interpreter to the screen it reports as shown."""
    timings = []
    for _ in range(RUNS):
        began = time.time()
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
        )
        timings.append(float(result.stdout.strip().splitlines()[-1]) - began)
    return statistics.median(timings) * 1000


def main() -> None:
    measure(MINIMAL)  # warm the file cache for both
    minimal = measure(MINIMAL)
    first = measure(FIRST_FRAME)
    ours = measure(OURS)
    ratio = ours / minimal
    print(f"minimal Textual app: {minimal:.0f} ms (median of {RUNS})")
    print(
        f"prompt-alchemy-scheduler-tui, first frame (placeholders): {first:.0f} ms ({first / minimal:.2f}x)"
    )
    print(f"prompt-alchemy-scheduler-tui, fully populated: {ours:.0f} ms (median of {RUNS})")
    print(f"ratio {ratio:.2f} (target within 1.3x: {'met' if ratio <= 1.3 else 'MISSED'})")


if __name__ == "__main__":
    main()
